"""The decision log (besluitenlijst): every decision of a programme, a decision's page, the
forms that record a decision in a meeting, answer a lead's request, create follow-up actions
and give the manager's advice on a request; and the programme's decision history. Routes of
the steering blueprint."""

from __future__ import annotations

from flask import abort, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from tracker import timeutil
from tracker.audit import queries as audit_queries
from tracker.auth.permissions import can_manage_programme, require_programme_manager
from tracker.editing import save_form
from tracker.extensions import db
from tracker.i18n import gettext as _
from tracker.projects.models import Action, Programme, QuarterlyUpdate, Subproject
from tracker.quarters import Quarter
from tracker.steering import access, agenda, queries, services
from tracker.steering.forms import AdviceForm, DecisionForm, FollowUpForm
from tracker.steering.models import Decision, Meeting, RequestAdvice
from tracker.steering.status import DecisionStatus
from tracker.steering.views import bp


@bp.route("/programmes/<int:programme_id>/decisions")
@login_required
def decision_log(programme_id: int):
    """Every decision, filtered by status; beside it the requests still waiting for one."""
    access.require_reader()
    programme = db.get_or_404(Programme, programme_id)
    status = request.args.get("status") or None
    if status is not None and DecisionStatus.get(status) is None:
        status = None
    today = timeutil.today()
    quarter = Quarter.of(today)
    open_requests = agenda.requests(
        queries.requests_up_to(programme.id, quarter),
        str(quarter),
        queries.request_answers(programme.id),
        queries.advice_texts(programme.id),
    )
    return render_template(
        "steering/decision_log.html",
        programme=programme,
        decisions=queries.decision_log(programme.id, status),
        status=status,
        statuses=list(DecisionStatus),
        requests=open_requests,
        newest_meeting=queries.newest_meeting(programme.id),
        can_manage=can_manage_programme(current_user),
        today=today,
    )


def _decision(decision_id: int) -> Decision:
    decision = db.session.scalar(
        select(Decision)
        .where(Decision.id == decision_id)
        .options(
            joinedload(Decision.meeting).joinedload(Meeting.programme),
            selectinload(Decision.subprojects),
            selectinload(Decision.follow_up_actions).joinedload(Action.subproject),
            joinedload(Decision.request).joinedload(QuarterlyUpdate.subproject),
        )
    )
    if decision is None:
        abort(404)
    return decision


@bp.route("/decisions/<int:decision_id>")
@login_required
def decision(decision_id: int):
    access.require_decision_reader(decision_id)
    decision = _decision(decision_id)
    return render_template(
        "steering/decision.html",
        decision=decision,
        meeting=decision.meeting,
        programme=decision.meeting.programme,
        can_manage=can_manage_programme(current_user),
        reads_everything=access.reads_everything(current_user),
    )


def _live_subprojects(programme_id: int) -> list[Subproject]:
    return list(
        db.session.scalars(
            select(Subproject)
            .where(Subproject.programme_id == programme_id, Subproject.archived_at.is_(None))
            .order_by(Subproject.code)
        )
    )


def _answerable(programme_id: int, keep: int | None) -> list[dict]:
    """The requests a decision may answer: those still open, and the one it answers already."""
    quarter = str(Quarter.of(timeutil.today()))
    rows = queries.requests_up_to(programme_id, Quarter.parse(quarter))
    answers = queries.request_answers(programme_id)
    still_open = {r.id for r in agenda.requests(rows, quarter, answers, {})}
    return [r for r in rows if r["id"] in still_open or r["id"] == keep]


@bp.route("/meetings/<int:meeting_id>/decisions/new", methods=["GET", "POST"])
@login_required
def new_decision(meeting_id: int):
    require_programme_manager()
    meeting = db.get_or_404(Meeting, meeting_id)
    return _decision_form(meeting, None, _("New decision"))


@bp.route("/decisions/<int:decision_id>/edit", methods=["GET", "POST"])
@login_required
def edit_decision(decision_id: int):
    require_programme_manager()
    decision = db.get_or_404(Decision, decision_id)
    return _decision_form(decision.meeting, decision, _("Edit decision"))


def _decision_form(meeting: Meeting, decision: Decision | None, title: str):
    requests = _answerable(meeting.programme_id, decision.request_id if decision else None)
    form = DecisionForm(
        obj=decision, subprojects=_live_subprojects(meeting.programme_id), requests=requests
    )
    if not form.is_submitted():
        if decision is not None:
            form.subproject_ids.data = [s.id for s in decision.subprojects]
        else:
            _prefill_answer(form, requests)
    saved: dict = {}

    def apply():
        saved["decision"] = services.save_decision(decision, meeting, form.data)

    back = url_for("steering.meeting", meeting_id=meeting.id, _anchor="decisions")
    return save_form(
        form,
        decision,
        "steering/decision_form.html",
        apply=apply,
        success=_("Decision saved."),
        redirect_to=lambda: url_for("steering.decision", decision_id=saved["decision"].id),
        title=title,
        meeting=meeting,
        programme=meeting.programme,
        cancel_url=back,
    )


def _prefill_answer(form: DecisionForm, requests: list[dict]) -> None:
    """Opened from a request (``?request=<id>``): the form answers it, for its subproject."""
    wanted = request.args.get("request", type=int)
    chosen = next((r for r in requests if r["id"] == wanted), None)
    if chosen is not None:
        form.request_id.data = chosen["id"]
        form.answer.data = "taken"
        form.text.data = chosen["text"]
        form.subproject_ids.data = [chosen["subproject_id"]]


@bp.route("/decisions/<int:decision_id>/follow-ups/new", methods=["GET", "POST"])
@login_required
def new_follow_up(decision_id: int):
    require_programme_manager()
    decision = db.get_or_404(Decision, decision_id)
    subprojects = _live_subprojects(decision.meeting.programme_id)
    form = FollowUpForm(subprojects=subprojects)
    if not form.is_submitted():
        form.start_date.data = timeutil.today()
        form.due_date.data = decision.due_date
        linked = [s.id for s in decision.subprojects]
        if len(linked) == 1:
            form.subproject_id.data = linked[0]
    back = url_for("steering.decision", decision_id=decision.id)
    return save_form(
        form,
        None,
        "steering/follow_up_form.html",
        apply=lambda: services.add_follow_up(decision, form.data),
        success=_("Follow-up action saved. The subproject's lead keeps its state and progress."),
        redirect_to=lambda: back,
        title=_("New follow-up action"),
        decision=decision,
        programme=decision.meeting.programme,
        cancel_url=back,
    )


@bp.route("/requests/<int:request_id>/advice", methods=["GET", "POST"])
@login_required
def advice(request_id: int):
    """The programme manager's advice on what a lead asked, printed in the steering pack."""
    require_programme_manager()
    asked = db.get_or_404(QuarterlyUpdate, request_id)
    if not (asked.decisions_requested or "").strip():
        abort(404)
    existing = db.session.scalar(select(RequestAdvice).where(RequestAdvice.request_id == asked.id))
    form = AdviceForm(obj=existing)
    back = url_for("steering.decision_log", programme_id=asked.subproject.programme_id)
    return save_form(
        form,
        existing,
        "steering/advice_form.html",
        apply=lambda: services.save_advice(existing, asked.id, form.advice.data),
        success=_("Advice saved."),
        redirect_to=lambda: back + "#requests",
        title=_("Advice on the request of %(code)s", code=asked.subproject.code),
        asked=asked,
        programme=asked.subproject.programme,
        cancel_url=back,
    )


@bp.route("/programmes/<int:programme_id>/decisions/history")
@login_required
def decision_history(programme_id: int):
    """The audit trail of the programme's meetings, decisions and advice."""
    access.require_reader()
    programme = db.get_or_404(Programme, programme_id)
    page = request.args.get("page", default=1, type=int) or 1
    return render_template(
        "steering/history.html",
        programme=programme,
        history=audit_queries.records_page(queries.decision_records(programme.id), page),
    )
