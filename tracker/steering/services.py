"""Writes of the steering group's cycle: tolerances, meetings, decisions with their subprojects
and follow-up actions, the advice on a request (the exception report is written by
``exceptions``)."""

from __future__ import annotations

from tracker.extensions import db
from tracker.projects.models import Action, Programme
from tracker.steering import queries
from tracker.steering.models import Decision, DecisionSubproject, Meeting, RequestAdvice


def tolerance_stamp(programme: Programme) -> str:
    """The tolerances a form was opened on: a programme has no version column, so the values
    themselves tell whether someone saved in between."""
    return f"{programme.tolerance_slip_days}:{programme.tolerance_points}"


def set_tolerances(programme: Programme, slip_days: int, points_below: int) -> None:
    programme.tolerance_slip_days = slip_days
    programme.tolerance_points = points_below


def save_meeting(meeting: Meeting | None, programme_id: int, data: dict) -> Meeting:
    if meeting is None:
        meeting = Meeting(programme_id=programme_id)
        db.session.add(meeting)
    meeting.held_on = data["held_on"]
    meeting.quarter = data["quarter"]
    meeting.title = data["title"].strip()
    for name in ("attendees", "agenda", "notes"):
        setattr(meeting, name, (data[name] or "").strip())
    return meeting


def save_decision(decision: Decision | None, meeting: Meeting, data: dict) -> Decision:
    """Write a decision and the subprojects it concerns (one record per subproject, so the
    audit trail shows each link made or removed)."""
    if decision is None:
        decision = Decision(meeting=meeting, number=queries.next_number(meeting.id))
        db.session.add(decision)
    decision.text = data["text"].strip()
    decision.owner = (data["owner"] or "").strip()
    decision.due_date = data["due_date"]
    decision.status = data["status"]
    decision.request_id = data["request_id"]
    decision.answer = data["answer"] if data["request_id"] else None
    wanted = set(data["subproject_ids"] or [])
    for link in list(decision.subproject_links):
        if link.subproject_id not in wanted:
            decision.subproject_links.remove(link)
    present = {link.subproject_id for link in decision.subproject_links}
    for subproject_id in sorted(wanted - present):
        decision.subproject_links.append(DecisionSubproject(subproject_id=subproject_id))
    return decision


def add_follow_up(decision: Decision, data: dict) -> Action:
    """A follow-up action in a subproject: an ordinary action of that subproject, planned, that
    links back to the decision; its lead keeps its state and progress as for any action. The
    decision is linked to the subproject too, so the subproject's lead may read it."""
    action = Action(
        subproject_id=data["subproject_id"],
        decision_id=decision.id,
        title=data["title"].strip(),
        description=(data["description"] or "").strip(),
        start_date=data["start_date"],
        due_date=data["due_date"],
        state="planned",
        progress=0,
    )
    db.session.add(action)
    if all(link.subproject_id != action.subproject_id for link in decision.subproject_links):
        decision.subproject_links.append(DecisionSubproject(subproject_id=action.subproject_id))
    return action


def save_advice(advice: RequestAdvice | None, request_id: int, text: str) -> RequestAdvice:
    if advice is None:
        advice = RequestAdvice(request_id=request_id)
        db.session.add(advice)
    advice.advice = (text or "").strip()
    return advice
