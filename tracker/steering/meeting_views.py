"""Meeting pages: the programme's meetings, a meeting with its agenda and decisions, and the
form whose agenda is drafted from the quarter's data. Routes of the steering blueprint."""

from __future__ import annotations

from datetime import date

from flask import abort, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker import timeutil
from tracker.auth.permissions import can_manage_programme, require_programme_manager
from tracker.editing import delete_record, save_form
from tracker.extensions import db
from tracker.i18n import date_format, ngettext
from tracker.i18n import gettext as _
from tracker.projects import current
from tracker.projects.models import Action, Programme
from tracker.quarters import Quarter, quarter_range
from tracker.steering import access, drafting, queries, services
from tracker.steering.forms import MeetingForm
from tracker.steering.models import Decision, Meeting
from tracker.steering.views import bp


def meeting_quarters(programme: Programme) -> list[Quarter]:
    """The quarters a meeting may discuss: from the programme's first to the current one."""
    last = min(Quarter.of(timeutil.today()), Quarter.of(programme.end_date))
    return quarter_range(Quarter.of(programme.start_date), last)


def default_quarter(quarters: list[Quarter], held_on: date) -> Quarter | None:
    """The quarter ended last before the meeting: the one whose report it discusses."""
    wanted = Quarter.of(held_on).previous()
    earlier = [q for q in quarters if q <= wanted]
    return earlier[-1] if earlier else (quarters[0] if quarters else None)


def agenda_text(draft) -> str:
    return render_template("steering/agenda.txt", draft=draft).strip() + "\n"


@bp.route("/programmes/<int:programme_id>/meetings")
@login_required
def meetings(programme_id: int):
    access.require_reader()
    programme = db.get_or_404(Programme, programme_id)
    current.remember(programme.id)
    return render_template(
        "steering/meetings.html",
        programme=programme,
        meetings=queries.meetings(programme.id),
        can_manage=can_manage_programme(current_user),
    )


@bp.route("/meetings/<int:meeting_id>")
@login_required
def meeting(meeting_id: int):
    access.require_reader()
    meeting = db.session.scalar(
        select(Meeting)
        .where(Meeting.id == meeting_id)
        .options(
            selectinload(Meeting.programme),
            selectinload(Meeting.decisions).selectinload(Decision.subprojects),
            selectinload(Meeting.decisions)
            .selectinload(Decision.follow_up_actions)
            .joinedload(Action.subproject),
            selectinload(Meeting.decisions).joinedload(Decision.request),
        )
    )
    if meeting is None:
        abort(404)
    draft = drafting.draft(meeting.programme_id, Quarter.parse(meeting.quarter), meeting.held_on)
    return render_template(
        "steering/meeting.html",
        meeting=meeting,
        programme=meeting.programme,
        draft=draft,
        can_manage=can_manage_programme(current_user),
    )


@bp.route("/programmes/<int:programme_id>/meetings/new", methods=["GET", "POST"])
@login_required
def new_meeting(programme_id: int):
    require_programme_manager()
    programme = db.get_or_404(Programme, programme_id)
    return _meeting_form(programme, None, _("New meeting"))


@bp.route("/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
@login_required
def edit_meeting(meeting_id: int):
    require_programme_manager()
    meeting = db.get_or_404(Meeting, meeting_id)
    return _meeting_form(meeting.programme, meeting, _("Edit meeting"))


def _meeting_form(programme: Programme, meeting: Meeting | None, title: str):
    quarters = meeting_quarters(programme)
    form = MeetingForm(obj=meeting, quarters=quarters)
    if meeting is None and not form.is_submitted():
        form.held_on.data = timeutil.today()
        chosen = default_quarter(quarters, form.held_on.data)
        form.quarter.data = str(chosen) if chosen else None
        form.title.data = _("Steering group meeting")
        if chosen is not None:
            form.agenda.data = agenda_text(drafting.draft(programme.id, chosen, form.held_on.data))
    back = (
        url_for("steering.meeting", meeting_id=meeting.id)
        if meeting
        else url_for("steering.meetings", programme_id=programme.id)
    )
    context = {
        "title": title,
        "programme": programme,
        "meeting": meeting,
        "cancel_url": back,
    }
    if form.is_submitted() and request.form.get("draft") is not None:
        return _redraft(form, programme, context)
    saved: dict = {}

    def apply():
        saved["meeting"] = services.save_meeting(meeting, programme.id, form.data)

    return save_form(
        form,
        meeting,
        "steering/meeting_form.html",
        apply=apply,
        success=_("Meeting saved."),
        redirect_to=lambda: url_for("steering.meeting", meeting_id=saved["meeting"].id),
        **context,
    )


def _redraft(form: MeetingForm, programme: Programme, context: dict):
    """The agenda proposed from the chosen quarter, in the form, not saved."""
    form.validate()
    quarter_ok = not form.quarter.errors and form.quarter.data
    if quarter_ok and form.held_on.data and not form.held_on.errors:
        draft = drafting.draft(programme.id, Quarter.parse(form.quarter.data), form.held_on.data)
        form.agenda.data = agenda_text(draft)
        form.agenda.raw_data = None
        for field in form:  # nothing is saved yet: the other fields are judged on saving
            field.errors = []
        status = 200
    else:
        status = 400
    return render_template(
        "steering/meeting_form.html", form=form, conflict=None, drafted=status == 200, **context
    ), status


@bp.route("/meetings/<int:meeting_id>/delete", methods=["GET", "POST"])
@login_required
def delete_meeting(meeting_id: int):
    require_programme_manager()
    meeting = db.get_or_404(Meeting, meeting_id)
    count = len(meeting.decisions)
    dependents = (
        [ngettext("%(num)d decision was taken in it", "%(num)d decisions were taken in it", count)]
        if count
        else []
    )
    return delete_record(
        meeting,
        what=f"{meeting.title} ({date_format(meeting.held_on)})",
        dependents=dependents,
        back_to=url_for("steering.meeting", meeting_id=meeting.id),
        success=_("Meeting deleted."),
        redirect_to=url_for("steering.meetings", programme_id=meeting.programme_id),
    )
