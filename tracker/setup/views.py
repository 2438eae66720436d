"""The set-up pages: the programme manager and the admin create and keep programmes, their
municipalities and subprojects; everyone else reads them."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm.exc import StaleDataError

from tracker.auth.permissions import can_manage_programme, require_programme_manager
from tracker.editing import ConfirmDeleteForm, delete_record, is_stale, save_form
from tracker.errors import refuse
from tracker.events import queries as event_queries
from tracker.extensions import db
from tracker.i18n import gettext as _
from tracker.projects.models import Municipality, Programme, Subproject
from tracker.setup import queries, services
from tracker.setup.forms import (
    REPORTING_FREQUENCY_LABELS,
    MunicipalityForm,
    ProgrammeForm,
    SubprojectSetupForm,
)

bp = Blueprint("setup", __name__, url_prefix="/setup")


@bp.app_context_processor
def inject_frequency_labels():
    return {"REPORTING_FREQUENCY_LABELS": REPORTING_FREQUENCY_LABELS}


def _programme_page(programme_id: int) -> str:
    return url_for("setup.programme", programme_id=programme_id)


def _require_live(record) -> None:
    """Archived records are read only: restore first, then change."""
    programme = record if isinstance(record, Programme) else record.programme
    if record.archived_at is not None or programme.archived_at is not None:
        refuse(
            409,
            _("Archived"),
            _("This is archived: it can be read, not changed. Restore it first."),
        )


# --- Overview --------------------------------------------------------------------------------


@bp.route("")
@login_required
def index():
    return render_template(
        "setup/index.html",
        programmes=queries.programmes(),
        can_manage=can_manage_programme(current_user),
    )


# --- Programmes ------------------------------------------------------------------------------


@bp.route("/programmes/<int:programme_id>")
@login_required
def programme(programme_id: int):
    programme = db.get_or_404(Programme, programme_id)
    return render_template(
        "setup/programme.html",
        programme=programme,
        subprojects=queries.subprojects(programme.id),
        indicators=queries.programme_indicators(programme.id),
        can_manage=can_manage_programme(current_user),
        form=ConfirmDeleteForm(formdata=None),
    )


@bp.route("/programmes/new", methods=["GET", "POST"])
@login_required
def new_programme():
    require_programme_manager()
    return _programme_form(None, _("New programme"))


@bp.route("/programmes/<int:programme_id>/edit", methods=["GET", "POST"])
@login_required
def edit_programme(programme_id: int):
    programme = db.get_or_404(Programme, programme_id)
    require_programme_manager()
    _require_live(programme)
    return _programme_form(programme, _("Edit programme"))


def _programme_form(programme: Programme | None, title: str):
    form = ProgrammeForm(obj=programme)
    saved: list[Programme] = []
    return save_form(
        form,
        programme,
        "form_page.html",
        apply=lambda: saved.append(services.save_programme(programme, form.data)),
        success=_("Programme saved."),
        redirect_to=lambda: _programme_page(saved[0].id),
        title=title,
        cancel_url=_programme_page(programme.id) if programme else url_for("setup.index"),
    )


@bp.route("/programmes/<int:programme_id>/archive", methods=["GET", "POST"])
@login_required
def archive_programme(programme_id: int):
    programme = db.get_or_404(Programme, programme_id)
    require_programme_manager()
    _require_live(programme)
    return _archive(
        programme,
        what=programme.name,
        explanation=_(
            "An archived programme leaves the programme tabs, the dashboard and the reports "
            "page's list. Its pages, its subprojects and its closed quarters' reports stay "
            "readable here, and you can restore it at any time."
        ),
        back=_programme_page(programme.id),
        success=_("Programme archived."),
    )


@bp.route("/programmes/<int:programme_id>/restore", methods=["POST"])
@login_required
def restore_programme(programme_id: int):
    programme = db.get_or_404(Programme, programme_id)
    require_programme_manager()
    return _restore(programme, _programme_page(programme.id), _("Programme restored."))


@bp.route("/programmes/<int:programme_id>/delete", methods=["GET", "POST"])
@login_required
def delete_programme(programme_id: int):
    programme = db.get_or_404(Programme, programme_id)
    require_programme_manager()
    dependents = services.programme_dependents(programme)
    return delete_record(
        programme,
        what=programme.name,
        dependents=dependents,
        back_to=_programme_page(programme.id),
        success=_("Programme deleted."),
        redirect_to=url_for("setup.index"),
        instead=_archive_instead(
            programme, url_for("setup.archive_programme", programme_id=programme.id)
        ),
    )


def _archive_instead(record, url: str) -> tuple[str, str] | None:
    return (_("Archive it instead"), url) if record.archived_at is None else None


# --- Municipalities --------------------------------------------------------------------------


def _municipalities_page() -> str:
    return url_for("setup.municipalities")


@bp.route("/municipalities")
@login_required
def municipalities():
    return render_template(
        "setup/municipalities.html",
        rows=queries.municipalities(),
        can_manage=can_manage_programme(current_user),
    )


@bp.route("/municipalities/new", methods=["GET", "POST"])
@login_required
def new_municipality():
    require_programme_manager()
    return _municipality_form(None, _("New municipality"))


@bp.route("/municipalities/<int:municipality_id>/edit", methods=["GET", "POST"])
@login_required
def edit_municipality(municipality_id: int):
    municipality = db.get_or_404(Municipality, municipality_id)
    require_programme_manager()
    return _municipality_form(municipality, _("Edit municipality"))


def _municipality_form(municipality: Municipality | None, title: str):
    form = MunicipalityForm(obj=municipality)
    return save_form(
        form,
        municipality,
        "form_page.html",
        apply=lambda: services.save_municipality(municipality, form.data),
        success=_("Municipality saved."),
        redirect_to=_municipalities_page,
        title=title,
        cancel_url=_municipalities_page(),
    )


@bp.route("/municipalities/<int:municipality_id>/delete", methods=["GET", "POST"])
@login_required
def delete_municipality(municipality_id: int):
    municipality = db.get_or_404(Municipality, municipality_id)
    require_programme_manager()
    return delete_record(
        municipality,
        what=municipality.name,
        dependents=services.municipality_dependents(municipality),
        back_to=_municipalities_page(),
        success=_("Municipality deleted."),
        redirect_to=_municipalities_page(),
    )


# --- Subprojects -----------------------------------------------------------------------------


@bp.route("/programmes/<int:programme_id>/subprojects/new", methods=["GET", "POST"])
@login_required
def new_subproject(programme_id: int):
    programme = db.get_or_404(Programme, programme_id)
    require_programme_manager()
    _require_live(programme)
    return _subproject_form(programme, None, _("New subproject"))


@bp.route("/subprojects/<int:subproject_id>/edit", methods=["GET", "POST"])
@login_required
def edit_subproject(subproject_id: int):
    subproject = db.get_or_404(Subproject, subproject_id)
    require_programme_manager()
    _require_live(subproject)
    return _subproject_form(subproject.programme, subproject, _("Edit subproject"))


def _subproject_form(programme: Programme, subproject: Subproject | None, title: str):
    municipalities = queries.all_municipalities()
    if not municipalities:
        flash(_("Add the programme's municipalities first: a subproject lies in one."), "error")
        return redirect(url_for("setup.new_municipality"))
    leads = services.lead_users()
    if subproject is not None:  # a lead who left the role stays listed until taken off
        leads += [u for u in subproject.leads if u not in leads]
    form = SubprojectSetupForm(
        obj=subproject,
        municipalities=municipalities,
        leads=leads,
        events=event_queries.event_choices(programme.id),
    )
    if subproject is not None and not form.is_submitted():
        form.lead_ids.data = [u.id for u in subproject.leads]

    def apply():
        chosen = set(form.lead_ids.data or [])
        services.save_subproject(
            subproject, programme, form.data, [u for u in leads if u.id in chosen]
        )

    return save_form(
        form,
        subproject,
        "form_page.html",
        apply=apply,
        success=_("Subproject saved."),
        redirect_to=lambda: _programme_page(programme.id),
        title=f"{title} · {programme.name}",
        cancel_url=_programme_page(programme.id),
    )


@bp.route("/subprojects/<int:subproject_id>/archive", methods=["GET", "POST"])
@login_required
def archive_subproject(subproject_id: int):
    subproject = db.get_or_404(Subproject, subproject_id)
    require_programme_manager()
    _require_live(subproject)
    return _archive(
        subproject,
        what=f"{subproject.code} {subproject.name}",
        explanation=_(
            "An archived subproject leaves the programme's lists, the dashboard and new "
            "reports; its indicators' values still count in the programme indicators they "
            "feed. Its page and history stay readable, nobody can change it, and you can "
            "restore it at any time."
        ),
        back=_programme_page(subproject.programme_id),
        success=_("Subproject archived."),
    )


@bp.route("/subprojects/<int:subproject_id>/restore", methods=["POST"])
@login_required
def restore_subproject(subproject_id: int):
    subproject = db.get_or_404(Subproject, subproject_id)
    require_programme_manager()
    return _restore(subproject, _programme_page(subproject.programme_id), _("Subproject restored."))


@bp.route("/subprojects/<int:subproject_id>/delete", methods=["GET", "POST"])
@login_required
def delete_subproject(subproject_id: int):
    subproject = db.get_or_404(Subproject, subproject_id)
    require_programme_manager()
    return delete_record(
        subproject,
        what=f"{subproject.code} {subproject.name}",
        dependents=services.subproject_dependents(subproject),
        back_to=_programme_page(subproject.programme_id),
        success=_("Subproject deleted."),
        redirect_to=_programme_page(subproject.programme_id),
        also_delete=lambda: services.delete_subproject_links(subproject),
        instead=_archive_instead(
            subproject, url_for("setup.archive_subproject", subproject_id=subproject.id)
        ),
    )


# --- Archiving -------------------------------------------------------------------------------


def _archive(record, *, what: str, explanation: str, back: str, success: str):
    """Ask for confirmation, then archive; a form opened on an older version is refused."""
    form = ConfirmDeleteForm()
    status = 200
    if form.is_submitted():
        if form.validate() and not is_stale(form, record):
            services.archive(record)
            try:
                db.session.commit()
            except StaleDataError:
                db.session.rollback()
            else:
                flash(success, "success")
                return redirect(back)
        flash(_("Someone else changed this record meanwhile. Check it, then try again."), "error")
        status = 409
    form.version.data = str(record.version)
    return render_template(
        "setup/archive.html", form=form, what=what, explanation=explanation, back_to=back
    ), status


def _restore(record, back: str, success: str):
    if record.archived_at is not None:
        services.restore(record)
        db.session.commit()
    flash(success, "success")
    return redirect(back)
