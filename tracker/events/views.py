"""Events: everyone reads them; the lead of the event's subproject and the programme manager
keep them (an event of the programme as a whole: the manager only)."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError
from wtforms import BooleanField, HiddenField

from tracker import timeutil
from tracker.auth.permissions import (
    can_edit_subproject,
    can_manage_programme,
    require_programme_manager,
    require_subproject_editor,
)
from tracker.editing import ConfirmDeleteForm, Invalid, delete_record, is_stale, save_form
from tracker.errors import refuse
from tracker.events import overrides, queries, services
from tracker.events import reach as reach_rules
from tracker.events.forms import (
    EventForm,
    FollowUpForm,
    OverrideForm,
    PupilsForm,
    RegistrationForm,
    RemoveOverrideForm,
    WorkshopForm,
)
from tracker.events.models import Event, PupilsReached, Registration, Workshop
from tracker.extensions import db
from tracker.i18n import gettext as _
from tracker.indicators.models import Indicator
from tracker.milestones.models import Milestone
from tracker.projects import services as action_services
from tracker.projects.models import Action, Municipality, Programme, Subproject
from tracker.quarters import Quarter
from tracker.quarters.display import quarter_text
from tracker.quarters.lock import ensure_quarter_open
from tracker.season import services as season_services

bp = Blueprint("events", __name__)

SCHOOL_KINDS = ("school_vmbo", "school_mbo", "school_hbo")


def _page(event_id: int, anchor: str | None = None) -> str:
    return url_for("events.event", event_id=event_id, _anchor=anchor)


def can_edit_event(user, event: Event) -> bool:
    if event.subproject_id is None:
        return can_manage_programme(user)
    return can_edit_subproject(user, event.subproject_id)


def _require_editor(event: Event) -> None:
    if event.subproject_id is None:
        require_programme_manager()
    else:
        require_subproject_editor(event.subproject_id)


# --- Lists ------------------------------------------------------------------------------------


@bp.route("/programmes/<int:programme_id>/events")
@login_required
def programme_events(programme_id: int):
    programme = db.get_or_404(Programme, programme_id)
    return render_template(
        "events/list.html",
        programme=programme,
        subproject=None,
        rows=queries.event_rows(programme.id),
        new_url=url_for("events.new_programme_event", programme_id=programme.id)
        if can_manage_programme(current_user)
        else None,
    )


@bp.route("/subprojects/<int:subproject_id>/events")
@login_required
def subproject_events(subproject_id: int):
    subproject = db.get_or_404(Subproject, subproject_id)
    editable = can_edit_subproject(current_user, subproject.id) and subproject.archived_at is None
    return render_template(
        "events/list.html",
        programme=subproject.programme,
        subproject=subproject,
        rows=queries.event_rows(subproject.programme_id, subproject.id),
        new_url=url_for("events.new_event", subproject_id=subproject.id) if editable else None,
    )


@bp.route("/programmes/<int:programme_id>/events/reach")
@login_required
def reach(programme_id: int):
    programme = db.get_or_404(Programme, programme_id)
    today = timeutil.today()
    year = request.args.get("year", type=int) or today.year
    if not programme.start_date.year <= year <= max(programme.end_date.year, today.year):
        year = today.year
    members, attended = queries.reach_rows(programme.id)
    return render_template(
        "events/reach.html",
        programme=programme,
        year=year,
        years=range(programme.start_date.year, max(programme.end_date.year, today.year) + 1),
        groups=reach_rules.reach(members, attended, year),
        follow_ups=queries.follow_up_counts(programme.id, year),
    )


# --- One event ------------------------------------------------------------------------------


@bp.route("/events/<int:event_id>")
@login_required
def event(event_id: int):
    event = queries.event_page(event_id)
    if event is None:
        abort(404)
    return render_template(
        "events/event.html",
        event=event,
        registrations=sorted(event.registrations, key=lambda r: r.organisation.name.lower()),
        can_edit=can_edit_event(current_user, event),
        show_people=can_manage_programme(current_user),
        follow_ups=queries.follow_ups(event.id),
        can_follow_up=bool(_follow_up_subprojects(event)),
    )


# --- What an event led to -------------------------------------------------------------------


def _follow_up_subprojects(event: Event) -> list[Subproject]:
    """The live subprojects of the event's programme the user may add an action to."""
    if current_user.role == "steering" or event.programme.archived_at is not None:
        return []
    subprojects = db.session.scalars(
        select(Subproject)
        .where(
            Subproject.programme_id == event.programme_id,
            Subproject.archived_at.is_(None),
        )
        .order_by(Subproject.code)
    ).all()
    return [s for s in subprojects if can_edit_subproject(current_user, s.id)]


@bp.route("/events/<int:event_id>/follow-up", methods=["GET", "POST"])
@login_required
def new_follow_up(event_id: int):
    """Vervolg vastleggen: a new joint action in a subproject, linked back to the event."""
    event = db.get_or_404(Event, event_id)
    subprojects = _follow_up_subprojects(event)
    if not subprojects:
        abort(403)
    data = None
    if request.method == "GET":
        own = event.subproject_id if event.subproject_id in {s.id for s in subprojects} else None
        today = timeutil.today()
        data = {
            "subproject_id": own or (subprojects[0].id if len(subprojects) == 1 else None),
            "title": _("Follow-up of %(title)s", title=event.title)[:200],
            "start_date": today,
            "due_date": today + timedelta(days=90),
        }
    form = FollowUpForm(
        data=data,
        organisations=action_services.organisations(),
        subprojects=subprojects,
    )
    return save_form(
        form,
        None,
        "form_page.html",
        apply=lambda: services.add_follow_up(event, form.subproject_id.data, form.data),
        success=_("Follow-up recorded."),
        redirect_to=lambda: _page(event.id, "follow-ups"),
        title=_("Record a follow-up of %(title)s", title=event.title),
        cancel_url=_page(event.id, "follow-ups"),
    )


@bp.route("/subprojects/<int:subproject_id>/events/new", methods=["GET", "POST"])
@login_required
def new_event(subproject_id: int):
    subproject = db.get_or_404(Subproject, subproject_id)
    require_subproject_editor(subproject.id)
    return _event_form(None, subproject.programme, subproject, _("New event"))


@bp.route("/programmes/<int:programme_id>/events/new", methods=["GET", "POST"])
@login_required
def new_programme_event(programme_id: int):
    programme = db.get_or_404(Programme, programme_id)
    require_programme_manager()
    return _event_form(None, programme, None, _("New event of the programme"))


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
@login_required
def edit_event(event_id: int):
    event = db.get_or_404(Event, event_id)
    _require_editor(event)
    return _event_form(event, event.programme, event.subproject, _("Edit event"))


def _event_form(event: Event | None, programme: Programme, subproject, title: str):
    subproject_id = subproject.id if subproject else None
    data = None
    if event is None and subproject is not None:
        data = {"municipality_id": subproject.municipality_id}
    elif event is not None:
        data = {
            "action_ids": [a.id for a in event.actions],
            "milestone_ids": [m.id for m in event.milestones],
        }
    form = EventForm(
        obj=event,
        data=data,
        municipalities=db.session.scalars(select(Municipality).order_by(Municipality.name)),
        organisations=queries.live_organisations(),
        earlier=queries.earlier_events(programme.id, None, event.id if event else None),
        actions=_of_subproject(Action, subproject_id, Action.title),
        milestones=_of_subproject(Milestone, subproject_id, Milestone.planned_date),
    )
    saved: list[Event] = []
    cancel = _page(event.id) if event else _list_url(programme.id, subproject_id)
    return save_form(
        form,
        event,
        "form_page.html",
        apply=lambda: saved.append(
            services.save_event(event, programme.id, subproject_id, form.data)
        ),
        success=_("Event saved."),
        redirect_to=lambda: _page(saved[0].id),
        title=title,
        subproject=subproject,
        cancel_url=cancel,
    )


def _of_subproject(model, subproject_id, order):
    if subproject_id is None:
        return []
    return db.session.scalars(
        select(model).where(model.subproject_id == subproject_id).order_by(order)
    ).all()


def _list_url(programme_id: int, subproject_id: int | None) -> str:
    if subproject_id is None:
        return url_for("events.programme_events", programme_id=programme_id)
    return url_for("events.subproject_events", subproject_id=subproject_id)


@bp.route("/events/<int:event_id>/delete", methods=["GET", "POST"])
@login_required
def delete_event(event_id: int):
    event = db.get_or_404(Event, event_id)
    _require_editor(event)
    back = _list_url(event.programme_id, event.subproject_id)
    dependents = []
    if event.registrations:
        dependents.append(
            _(
                "%(num)d registrations: remove them first, so no attendance is lost by accident.",
                num=len(event.registrations),
            )
        )
    if event.pupils:
        dependents.append(_("the pupils reached: remove them first."))
    return delete_record(
        event,
        what=event.title,
        dependents=dependents,
        back_to=_page(event.id),
        success=_("Event deleted."),
        redirect_to=back,
        also_delete=lambda: services.unlink_follow_ups(event),
        subproject=event.subproject,
    )


# --- Workshops ------------------------------------------------------------------------------


@bp.route("/events/<int:event_id>/workshops/new", methods=["GET", "POST"])
@login_required
def new_workshop(event_id: int):
    event = db.get_or_404(Event, event_id)
    _require_editor(event)
    return _workshop_form(event, None, _("New workshop"))


@bp.route("/workshops/<int:workshop_id>/edit", methods=["GET", "POST"])
@login_required
def edit_workshop(workshop_id: int):
    workshop = db.get_or_404(Workshop, workshop_id)
    _require_editor(workshop.event)
    return _workshop_form(workshop.event, workshop, _("Edit workshop"))


def _workshop_form(event: Event, workshop: Workshop | None, title: str):
    data = {"organisation_ids": [o.id for o in workshop.organisations]} if workshop else None
    form = WorkshopForm(obj=workshop, data=data, organisations=queries.live_organisations())
    return save_form(
        form,
        workshop,
        "form_page.html",
        apply=lambda: services.save_workshop(workshop, event, form.data),
        success=_("Workshop saved."),
        redirect_to=lambda: _page(event.id, "workshops"),
        title=f"{title} – {event.title}",
        subproject=event.subproject,
        cancel_url=_page(event.id, "workshops"),
    )


@bp.route("/workshops/<int:workshop_id>/delete", methods=["GET", "POST"])
@login_required
def delete_workshop(workshop_id: int):
    workshop = db.get_or_404(Workshop, workshop_id)
    _require_editor(workshop.event)
    back = _page(workshop.event_id, "workshops")
    return delete_record(
        workshop,
        what=workshop.topic,
        dependents=[],
        back_to=back,
        success=_("Workshop deleted."),
        redirect_to=back,
        subproject=workshop.event.subproject,
    )


# --- Registrations and attendance -----------------------------------------------------------


@bp.route("/events/<int:event_id>/registrations/new", methods=["GET", "POST"])
@login_required
def new_registration(event_id: int):
    event = db.get_or_404(Event, event_id)
    _require_editor(event)
    interested = queries.interested_in_follow_up(event)
    data = {"organisation_ids": [o.id for o in interested]} if interested else None
    form = RegistrationForm(data=data, organisations=queries.live_organisations())
    return save_form(
        form,
        None,
        "events/registration_form.html",
        apply=lambda: services.register(
            event, form.organisation_ids.data, form.wants_follow_up.data
        ),
        success=_("Registered."),
        redirect_to=lambda: _page(event.id, "registrations"),
        title=_("Register organisations for %(title)s", title=event.title),
        subproject=event.subproject,
        interested=interested,
        cancel_url=_page(event.id, "registrations"),
    )


@bp.route("/registrations/<int:registration_id>/delete", methods=["GET", "POST"])
@login_required
def delete_registration(registration_id: int):
    registration = db.get_or_404(Registration, registration_id)
    event = registration.event
    _require_editor(event)
    return _remove(
        registration,
        _("the registration of %(name)s", name=registration.organisation.name),
        _page(event.id, "registrations"),
        _("Registration removed."),
        lambda: services.unregister(registration),
        event,
    )


def _remove(obj, what: str, back: str, success: str, apply, event: Event):
    """Confirm, then remove ``obj`` through its service, which recounts in the same
    transaction; a version that moved on meanwhile is refused."""
    form = ConfirmDeleteForm()
    status = 200
    if form.is_submitted():
        if form.validate() and not is_stale(form, obj):
            try:
                apply()
                db.session.commit()
            except Invalid as error:
                db.session.rollback()
                flash(error.message, "error")
                return redirect(back), 303
            except StaleDataError:
                db.session.rollback()
            else:
                flash(success, "success")
                return redirect(back)
        flash(
            _("Someone else changed this record meanwhile. Check it before you delete it."), "error"
        )
        status = 409
    form.version.data = str(obj.version)
    return render_template(
        "confirm_delete.html",
        form=form,
        what=what,
        dependents=[],
        back_to=back,
        subproject=event.subproject,
        instead=None,
    ), status


def _versions(registrations) -> str:
    return ",".join(f"{r.id}:{r.version}" for r in sorted(registrations, key=lambda r: r.id))


def _attendance_form(registrations, formdata=None):
    class AttendanceForm(FlaskForm):
        versions = HiddenField()

    for registration in registrations:
        setattr(AttendanceForm, f"attended_{registration.id}", BooleanField(_("Attended")))
        setattr(
            AttendanceForm,
            f"follow_up_{registration.id}",
            BooleanField(_("Interest in a follow-up")),
        )
    data = {"versions": _versions(registrations)}
    for registration in registrations:
        data[f"attended_{registration.id}"] = registration.attended
        data[f"follow_up_{registration.id}"] = registration.wants_follow_up
    kwargs = {} if formdata is None else {"formdata": formdata}
    return AttendanceForm(data=data, **kwargs)


@bp.route("/events/<int:event_id>/attendance", methods=["GET", "POST"])
@login_required
def attendance(event_id: int):
    event = queries.event_page(event_id)
    if event is None:
        abort(404)
    _require_editor(event)
    registrations = sorted(event.registrations, key=lambda r: r.organisation.name.lower())
    form = _attendance_form(registrations, request.form if request.method == "POST" else None)
    status = 200
    if form.validate_on_submit():
        if form.versions.data != _versions(registrations):
            flash(
                _(
                    "Someone else changed the registrations meanwhile. Your ticks are kept "
                    "below; check the list, then save again."
                ),
                "error",
            )
            form.versions.data = _versions(registrations)
            status = 409
        else:
            attended = {r.id for r in registrations if form[f"attended_{r.id}"].data}
            follow_up = {r.id for r in registrations if form[f"follow_up_{r.id}"].data}
            try:
                services.mark_attendance(event, attended, follow_up)
                db.session.commit()
            except StaleDataError:
                db.session.rollback()
                flash(_("Someone else changed this record meanwhile. Check it, then try again."))
                return redirect(url_for("events.attendance", event_id=event.id)), 303
            except Invalid as error:
                db.session.rollback()
                flash(error.message, "error")
                status = 409
            else:
                flash(_("Attendance saved."), "success")
                return redirect(_page(event.id, "registrations"))
    elif form.is_submitted():
        status = 400
    return render_template(
        "events/attendance.html", event=event, registrations=registrations, form=form
    ), status


# --- Pupils reached -------------------------------------------------------------------------


@bp.route("/events/<int:event_id>/pupils/new", methods=["GET", "POST"])
@login_required
def new_pupils(event_id: int):
    event = db.get_or_404(Event, event_id)
    _require_editor(event)
    schools = [o for o in queries.live_organisations() if o.kind in SCHOOL_KINDS]
    form = PupilsForm(schools=schools)
    return save_form(
        form,
        None,
        "form_page.html",
        apply=lambda: services.add_pupils(
            event, form.school_id.data, form.level.data, form.number.data
        ),
        success=_("Pupils reached saved."),
        redirect_to=lambda: _page(event.id, "pupils"),
        title=_("Pupils reached at %(title)s", title=event.title),
        subproject=event.subproject,
        cancel_url=_page(event.id, "pupils"),
    )


@bp.route("/pupils/<int:pupils_id>/delete", methods=["GET", "POST"])
@login_required
def delete_pupils(pupils_id: int):
    row = db.get_or_404(PupilsReached, pupils_id)
    event = row.event
    _require_editor(event)
    return _remove(
        row,
        _("%(num)d pupils of %(school)s", num=row.number, school=row.school.name),
        _page(event.id, "pupils"),
        _("Removed."),
        lambda: services.remove_pupils(row),
        event,
    )


# --- Overriding a counted value ----------------------------------------------------------------


def _counted_indicator_to_adjust(indicator_id: int, quarter: Quarter) -> Indicator:
    """A counted indicator whose value of ``quarter`` the current user may set: the editors
    of its subproject (the lead among them, as for any of its values), or for a programme
    indicator the manager. A closed quarter refuses (409), and so, for a lead, does an
    approved update of it."""
    indicator = db.get_or_404(Indicator, indicator_id)
    if indicator.subproject_id is None:
        require_programme_manager()
        if indicator.programme.archived_at is not None:
            refuse(
                409,
                _("Archived"),
                _("This programme is archived: it can be read, not changed. Restore it first."),
            )
    else:
        require_subproject_editor(indicator.subproject_id)
    if not indicator.counted or quarter > Quarter.of(timeutil.today()):
        abort(404)
    ensure_quarter_open(indicator.programme_id, quarter, field="value")
    if indicator.subproject_id is not None:  # on opening the form too, before anything is typed
        season_services.refuse_if_approved(current_user, indicator.subproject_id, quarter)
    return indicator


@bp.route(
    "/indicators/<int:indicator_id>/quarter/<quarter:quarter>/adjust", methods=["GET", "POST"]
)
@login_required
def adjust_count(indicator_id: int, quarter: Quarter):
    indicator = _counted_indicator_to_adjust(indicator_id, quarter)
    measurement = overrides.stored(indicator, quarter)
    counted = measurement.counted_value if measurement else overrides.count_now(indicator, quarter)
    form = OverrideForm(obj=measurement, unit=indicator.unit)
    if not form.is_submitted() and (measurement is None or not measurement.overridden):
        form.value.data = counted
    page = url_for("indicators.indicator", indicator_id=indicator.id, _anchor="measurements")
    return save_form(
        form,
        measurement,
        "events/adjust_count.html",
        apply=lambda: overrides.override_count(
            indicator,
            quarter,
            form.value.data,
            form.override_reason.data,
            current_user.id,
            measurement,
        ),
        success=_("Adjusted value saved."),
        redirect_to=lambda: page,
        title=_(
            "Adjust the counted value of %(quarter)s: %(indicator)s",
            quarter=quarter_text(quarter),
            indicator=indicator.name,
        ),
        subproject=indicator.subproject,
        cancel_url=page,
        indicator=indicator,
        quarter=quarter,
        measurement=measurement,
        counted=counted,
        remove_form=RemoveOverrideForm(formdata=None, version=measurement.version)
        if measurement is not None and measurement.overridden
        else None,
    )


@bp.route(
    "/indicators/<int:indicator_id>/quarter/<quarter:quarter>/adjust/remove", methods=["POST"]
)
@login_required
def remove_adjustment(indicator_id: int, quarter: Quarter):
    indicator = _counted_indicator_to_adjust(indicator_id, quarter)
    measurement = overrides.stored(indicator, quarter)
    if measurement is None or not measurement.overridden:
        abort(404)
    form = RemoveOverrideForm()
    if not form.validate_on_submit():
        abort(400)
    adjust_page = url_for("events.adjust_count", indicator_id=indicator.id, quarter=quarter)
    if is_stale(form, measurement):
        flash(_("Someone else changed this value meanwhile. Check it, then try again."), "error")
        return redirect(adjust_page), 303
    try:
        overrides.remove_override(indicator, measurement)
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        flash(_("Someone else changed this value meanwhile. Check it, then try again."), "error")
        return redirect(adjust_page), 303
    flash(_("The counted value applies again."), "success")
    return redirect(url_for("indicators.indicator", indicator_id=indicator.id))
