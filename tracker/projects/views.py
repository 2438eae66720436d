from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.exc import StaleDataError

from tracker import timeutil
from tracker.auth.permissions import (
    can_edit_subproject,
    can_manage_programme,
    require_subproject_editor,
)
from tracker.editing import Invalid, delete_record, save_form
from tracker.errors import render_error
from tracker.events import queries as event_queries
from tracker.extensions import db
from tracker.i18n import gettext as _
from tracker.indicators import queries as indicator_queries
from tracker.labels import status_of
from tracker.milestones import queries as milestone_queries
from tracker.milestones.guard import closed_milestone_ids
from tracker.projects import current, services
from tracker.projects import quarter as quarter_service
from tracker.projects import queries as project_queries
from tracker.projects.forms import (
    ActionForm,
    EditOrganisationLinkForm,
    OrganisationLinkForm,
    SubprojectForm,
)
from tracker.projects.models import (
    Action,
    Programme,
    Subproject,
    SubprojectOrganisation,
)
from tracker.projects.page_rows import page_rows, stale_of
from tracker.quarters import Quarter
from tracker.quarters.display import quarter_text
from tracker.quarters.lock import QuarterClosed, closure
from tracker.season import services as season_services
from tracker.season.panel import quarter_panel
from tracker.setup import first_run
from tracker.setup import queries as setup_queries
from tracker.steering import access as steering_access
from tracker.steering import exceptions
from tracker.steering.exceptions import ExceptionReportIncomplete
from tracker.steering.models import Decision

bp = Blueprint("projects", __name__)


def empty_page():
    """No programme (not archived) yet: the manager is shown the way to set one up, others
    whom to ask."""
    can_manage = can_manage_programme(current_user)
    return render_template(
        "projects/empty.html", can_manage=can_manage, checklist=_checklist(None, can_manage)
    )


def _checklist(programme_id: int | None, can_manage: bool) -> first_run.Checklist | None:
    """The first-run guide, for those who set up, while a step of it is still open."""
    if not can_manage:
        return None
    found = first_run.checklist(setup_queries.first_run_facts(programme_id))
    return None if found.done else found


@bp.route("/")
@login_required
def overview():
    programme = current.current_programme()
    if programme is None:
        return empty_page()
    return redirect(url_for("projects.programme", programme_id=programme.id))


@bp.route("/programmes/<int:programme_id>")
@login_required
def programme(programme_id: int):
    programme = db.get_or_404(Programme, programme_id)
    current.remember(programme.id)
    as_of = timeutil.today()
    quarter = Quarter.of(as_of)
    rows = page_rows(project_queries.status_overview(programme.id, as_of))
    own = page_rows(indicator_queries.programme_indicators(programme.id, quarter))
    return render_template(
        "projects/programme.html",
        programme=programme,
        programmes=project_queries.live_programmes(),
        rows=rows,
        indicators=own,
        as_of=as_of,
        quarter=quarter,
        can_manage=can_manage_programme(current_user),
        checklist=_checklist(programme.id, can_manage_programme(current_user))
        if programme.archived_at is None
        else None,
    )


@bp.route("/subprojects/<int:subproject_id>")
@login_required
def subproject(subproject_id: int):
    subproject = db.session.scalar(
        select(Subproject)
        .where(Subproject.id == subproject_id)
        .options(
            joinedload(Subproject.programme),
            joinedload(Subproject.municipality),
            selectinload(Subproject.leads),
            selectinload(Subproject.actions).options(
                joinedload(Action.owner),
                joinedload(Action.decision).joinedload(Decision.meeting),
                joinedload(Action.from_event),
            ),
            joinedload(Subproject.from_event),
            selectinload(Subproject.updates),
            selectinload(Subproject.organisation_links).joinedload(
                SubprojectOrganisation.organisation
            ),
        )
    )
    if subproject is None:
        abort(404)
    as_of = timeutil.today()
    quarter = Quarter.of(as_of)
    milestones = page_rows(
        milestone_queries.milestones(subproject.programme_id, as_of, [subproject.id])
    )
    indicators = page_rows(
        indicator_queries.indicators(subproject.programme_id, quarter, [subproject.id])
    )
    can_edit = can_edit_subproject(current_user, subproject.id)
    return render_template(
        "projects/subproject.html",
        subproject=subproject,
        milestones=milestones,
        closed_milestones=closed_milestone_ids(subproject.programme_id, milestones)
        if can_edit
        else set(),
        indicators=indicators,
        stale=stale_of(indicators, subproject, as_of),
        as_of=as_of,
        quarter=quarter,
        can_edit=can_edit,
        can_manage=can_manage_programme(current_user),
        can_read_decisions=steering_access.reads_everything(current_user)
        or subproject.id in steering_access.led_ids(current_user),
    )


@bp.route("/subprojects/<int:subproject_id>/edit", methods=["GET", "POST"])
@login_required
def edit_subproject(subproject_id: int):
    subproject = db.get_or_404(Subproject, subproject_id)
    require_subproject_editor(subproject.id)
    form = SubprojectForm(obj=subproject)

    def apply():
        subproject.name = form.name.data.strip()
        subproject.aim = (form.aim.data or "").strip()

    return save_form(
        form,
        subproject,
        "form_page.html",
        apply=apply,
        success=_("Subproject saved."),
        redirect_to=lambda: _back(subproject.id),
        title=_("Edit subproject"),
        subproject=subproject,
        cancel_url=_back(subproject.id),
    )


def _back(subproject_id: int, anchor: str | None = None) -> str:
    return url_for("projects.subproject", subproject_id=subproject_id, _anchor=anchor)


@bp.route("/subprojects/<int:subproject_id>/actions/new", methods=["GET", "POST"])
@login_required
def new_action(subproject_id: int):
    subproject = db.get_or_404(Subproject, subproject_id)
    require_subproject_editor(subproject.id)
    return _action_form(subproject, None, _("New action"))


@bp.route("/actions/<int:action_id>/edit", methods=["GET", "POST"])
@login_required
def edit_action(action_id: int):
    action = db.get_or_404(Action, action_id)
    require_subproject_editor(action.subproject_id)
    return _action_form(action.subproject, action, _("Edit action"))


def _action_form(subproject: Subproject, action: Action | None, title: str):
    form = ActionForm(
        obj=action,
        organisations=services.organisations(action.owner_id if action else None),
        events=event_queries.event_choices(subproject.programme_id),
    )
    return save_form(
        form,
        action,
        "form_page.html",
        apply=lambda: services.save_action(action, subproject.id, form.data),
        success=_("Action saved."),
        redirect_to=lambda: _back(subproject.id, "actions"),
        title=title,
        subproject=subproject,
        cancel_url=_back(subproject.id, "actions"),
    )


@bp.route("/actions/<int:action_id>/delete", methods=["GET", "POST"])
@login_required
def delete_action(action_id: int):
    action = db.get_or_404(Action, action_id)
    require_subproject_editor(action.subproject_id)
    return delete_record(
        action,
        what=action.title,
        dependents=services.action_dependents(action),
        back_to=_back(action.subproject_id, "actions"),
        success=_("Action deleted."),
        redirect_to=_back(action.subproject_id, "actions"),
        subproject=action.subproject,
    )


@bp.route("/subprojects/<int:subproject_id>/organisations/new", methods=["GET", "POST"])
@login_required
def new_organisation_link(subproject_id: int):
    subproject = db.get_or_404(Subproject, subproject_id)
    require_subproject_editor(subproject.id)
    form = OrganisationLinkForm(organisations=services.organisations())
    return save_form(
        form,
        None,
        "form_page.html",
        apply=lambda: services.link_organisation(
            subproject.id,
            form.organisation_id.data,
            form.new_name.data or "",
            form.new_kind.data or "",
            form.role.data,
        ),
        success=_("Organisation linked."),
        redirect_to=lambda: _back(subproject.id, "organisations"),
        title=_("Link an organisation"),
        subproject=subproject,
        cancel_url=_back(subproject.id, "organisations"),
    )


@bp.route("/organisation-links/<int:link_id>/edit", methods=["GET", "POST"])
@login_required
def edit_organisation_link(link_id: int):
    link = db.get_or_404(SubprojectOrganisation, link_id)
    require_subproject_editor(link.subproject_id)
    form = EditOrganisationLinkForm(obj=link)

    def apply():
        link.role = form.role.data.strip()

    return save_form(
        form,
        link,
        "form_page.html",
        apply=apply,
        success=_("Organisation link saved."),
        redirect_to=lambda: _back(link.subproject_id, "organisations"),
        title=_("Role of %(name)s", name=link.organisation.name),
        subproject=link.subproject,
        cancel_url=_back(link.subproject_id, "organisations"),
    )


@bp.route("/organisation-links/<int:link_id>/delete", methods=["GET", "POST"])
@login_required
def delete_organisation_link(link_id: int):
    link = db.get_or_404(SubprojectOrganisation, link_id)
    require_subproject_editor(link.subproject_id)
    return delete_record(
        link,
        what=_("link with %(name)s", name=link.organisation.name),
        dependents=[],
        back_to=_back(link.subproject_id, "organisations"),
        success=_("Organisation link deleted."),
        redirect_to=_back(link.subproject_id, "organisations"),
        subproject=link.subproject,
    )


def _read_only(closed, form) -> bool:
    """A closed quarter's page shows its values as text; after a save refused because the
    quarter was closed meanwhile, the form stays, so what was typed is not lost."""
    return closed is not None and not form.is_submitted()


@bp.route("/subprojects/<int:subproject_id>/quarter")
@bp.route("/subprojects/<int:subproject_id>/quarter/<quarter:quarter>", methods=["GET", "POST"])
@login_required
def quarter_page(subproject_id: int, quarter: Quarter | None = None):
    """One form for the whole quarter; saved in one transaction, all or nothing."""
    subproject = db.get_or_404(Subproject, subproject_id)
    require_subproject_editor(subproject.id)
    current = Quarter.of(timeutil.today())
    quarter = quarter or current
    if quarter > current:
        return render_error(404, _("This quarter has not begun yet."))
    if request.method == "POST":
        season_services.refuse_if_approved(current_user, subproject.id, quarter)
    records = quarter_service.load(subproject.id, quarter)
    form = quarter_service.build_form(
        records.indicators,
        records.open_milestones,
        data=quarter_service.initial_data(records, quarter),
    )
    status = 200
    if form.validate_on_submit():
        stale = quarter_service.stale_records(form, records)
        if stale:
            flash(
                _(
                    "Someone else saved part of this quarter while you were editing: "
                    "%(what)s. Nothing was saved; your input is kept. Check it, then save again.",
                    what="; ".join(stale),
                ),
                "error",
            )
            status = 409
        else:
            try:
                quarter_service.save(form, records, subproject.id, quarter, current_user.id)
                db.session.commit()
            except QuarterClosed as refusal:
                db.session.rollback()
                flash(_("Nothing was saved; your input is kept.") + " " + refusal.message, "error")
                status = 409
            except ExceptionReportIncomplete as incomplete:
                db.session.rollback()
                form.require_exception_fields(incomplete.missing)
                flash(_exception_owed(incomplete.computed_rag), "error")
                status = 400
            except (Invalid, IntegrityError, StaleDataError):
                db.session.rollback()
                flash(
                    _(
                        "The quarter could not be saved: it clashed with data saved at the same "
                        "moment. Nothing was saved; reload the page and enter it again."
                    ),
                    "error",
                )
                status = 409
            else:
                flash(_("Quarter %(quarter)s saved.", quarter=quarter_text(quarter)), "success")
                # the id from the URL: after the commit reading subproject.id would reload it
                return redirect(_back(subproject_id, "updates"))
    elif form.errors:
        status = 400
        flash(_("Nothing was saved: correct the fields marked below."), "error")
    history = indicator_queries.measurement_history(
        subproject.programme_id, quarter, [subproject.id]
    )
    previous = indicator_queries.indicators(
        subproject.programme_id,
        quarter.previous(),
        [subproject.id],
        history=history.up_to_quarter(quarter.previous()),
    )
    closed = closure(subproject.programme_id, quarter)
    season = quarter_panel(current_user, subproject, quarter, timeutil.today())
    return render_template(
        "projects/quarter.html",
        exception=exceptions.listing(subproject, quarter, timeutil.today(), history),
        subproject=subproject,
        quarter=quarter,
        current=current,
        closed=closed,
        read_only=_read_only(closed, form) or (season.read_only and not form.is_submitted()),
        form=form,
        records=records,
        counted=event_queries.counted_values(records.counted, quarter),
        previous={row["id"]: row for row in page_rows(previous)},
        season=season,
    ), status


def _exception_owed(computed_rag: str | None) -> str:
    return _(
        "Nothing was saved: with these values the computed status is %(status)s, so the "
        "exception report below must be filled in. Your input is kept.",
        status=status_of(computed_rag, "rag").label,
    )
