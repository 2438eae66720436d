"""Read queries of the steering group's cycle: meetings, the decision log, the leads' requests,
exception reports and what the exception rules need (tolerances, reasons). A few SQL queries
each, never one per row; the dashboard, the quarter form and the meeting pages share them.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import func, or_, select
from sqlalchemy.orm import contains_eager, selectinload

from tracker import tables
from tracker.extensions import db
from tracker.fetch import column_rows, param, param_list, prepared
from tracker.indicators import queries as indicator_queries
from tracker.milestones.models import Milestone, MilestoneDateChange
from tracker.projects.models import Action, Programme, QuarterlyUpdate, Subproject
from tracker.quarters import Quarter
from tracker.steering import agenda, rules
from tracker.steering.models import (
    Decision,
    DecisionSubproject,
    ExceptionReport,
    Meeting,
    RequestAdvice,
)
from tracker.steering.status import ANSWERED, STILL_OPEN, DecisionStatus


def previous_meeting(programme_id: int, before: date) -> dict | None:
    """The newest steering-group meeting held before ``before`` (id, held_on, title), if any."""
    rows = column_rows(_previous_meeting_query(), programme_id=programme_id, before=before)
    return {"id": rows[0].id, "held_on": rows[0].held_on, "title": rows[0].title} if rows else None


@prepared
def _previous_meeting_query():
    return (
        select(Meeting.id, Meeting.held_on, Meeting.title)
        .where(Meeting.programme_id == param("programme_id"), Meeting.held_on < param("before"))
        .order_by(Meeting.held_on.desc(), Meeting.id.desc())
        .limit(1)
    )


def tolerances(programme_id: int) -> rules.Tolerances:
    row = db.session.execute(
        select(Programme.tolerance_slip_days, Programme.tolerance_points).where(
            Programme.id == programme_id
        )
    ).first()
    return rules.Tolerances() if row is None else rules.Tolerances(*row)


def latest_reasons(programme_id: int, subproject_ids: list[int] | None = None) -> dict[int, str]:
    """Each milestone's newest recorded reason for moving its planned date."""
    return dict(
        column_rows(
            _reasons_query(subproject_ids is not None),
            programme_id=programme_id,
            subproject_ids=subproject_ids,
        )
    )


@prepared
def _reasons_query(scoped: bool):
    query = (
        select(MilestoneDateChange.milestone_id, MilestoneDateChange.reason)
        .join(Milestone, Milestone.id == MilestoneDateChange.milestone_id)
        .join(Subproject, Subproject.id == Milestone.subproject_id)
        .where(Subproject.programme_id == param("programme_id"))
        .order_by(MilestoneDateChange.changed_at, MilestoneDateChange.id)
    )
    if scoped:
        query = query.where(Milestone.subproject_id.in_(param_list("subproject_ids")))
    return query


def measurement_history(
    programme_id: int, up_to: Quarter, subproject_ids: list[int] | None = None
) -> dict[int, list[tuple[str, float, str]]]:
    """Per indicator its (period, value, note) up to ``up_to``, oldest first: the notes say why
    a value lags, the values give the status of an earlier quarter."""
    return indicator_queries.measurement_history(programme_id, up_to, subproject_ids).by_indicator


def exception_report(subproject_id: int, quarter: Quarter) -> ExceptionReport | None:
    return db.session.scalar(
        select(ExceptionReport).where(
            ExceptionReport.subproject_id == subproject_id,
            ExceptionReport.quarter == str(quarter),
        )
    )


def quarter_reports(
    programme_id: int, quarter: Quarter, subproject_ids: list[int] | None = None
) -> list[dict]:
    """The quarterly updates of ``quarter`` and the one before, each with its exception report:
    who reported, the lead's status then and now, and the cause and measure of a deviation."""
    rows = column_rows(
        _quarter_reports_query(subproject_ids is not None),
        programme_id=programme_id,
        quarters=[str(quarter), str(quarter.previous())],
        subproject_ids=subproject_ids,
    )
    keys = ("subproject_id", "quarter", "rag", "cause", "measure", "measure_owner", "measure_due")
    return tables.dicts(rows, keys)


@prepared
def _quarter_reports_query(scoped: bool):
    query = (
        select(
            QuarterlyUpdate.subproject_id,
            QuarterlyUpdate.quarter,
            QuarterlyUpdate.rag,
            ExceptionReport.cause,
            ExceptionReport.measure,
            ExceptionReport.measure_owner,
            ExceptionReport.measure_due,
        )
        .join(Subproject, Subproject.id == QuarterlyUpdate.subproject_id)
        .outerjoin(
            ExceptionReport,
            (ExceptionReport.subproject_id == QuarterlyUpdate.subproject_id)
            & (ExceptionReport.quarter == QuarterlyUpdate.quarter),
        )
        .where(
            Subproject.programme_id == param("programme_id"),
            QuarterlyUpdate.quarter.in_(param_list("quarters")),
        )
        .order_by(QuarterlyUpdate.subproject_id, QuarterlyUpdate.quarter)
    )
    if scoped:
        query = query.where(QuarterlyUpdate.subproject_id.in_(param_list("subproject_ids")))
    return query


def open_requests(
    programme_id: int, quarter: Quarter, subproject_ids: list[int] | None = None
) -> list[dict]:
    """What leads asked of the steering group in any quarter up to ``quarter`` that no decision
    has answered yet (taken or rejected; a postponement keeps it open), oldest first."""
    rows = column_rows(
        _open_requests_query(subproject_ids is not None),
        programme_id=programme_id,
        quarter=str(quarter),
        subproject_ids=subproject_ids,
    )
    keys = ("id", "subproject_id", "quarter", "text")
    return tables.dicts(rows, keys)


@prepared
def _open_requests_query(scoped: bool):
    answered = (
        select(Decision.id)
        .where(Decision.request_id == QuarterlyUpdate.id, Decision.answer.in_(ANSWERED))
        .exists()
    )
    query = (
        select(
            QuarterlyUpdate.id,
            QuarterlyUpdate.subproject_id,
            QuarterlyUpdate.quarter,
            QuarterlyUpdate.decisions_requested,
        )
        .join(Subproject, Subproject.id == QuarterlyUpdate.subproject_id)
        .where(
            Subproject.programme_id == param("programme_id"),
            QuarterlyUpdate.quarter <= param("quarter"),
            QuarterlyUpdate.decisions_requested != "",
            ~answered,
        )
        .order_by(QuarterlyUpdate.quarter, Subproject.code)
    )
    if scoped:
        query = query.where(QuarterlyUpdate.subproject_id.in_(param_list("subproject_ids")))
    return query


def open_decisions(programme_id: int) -> list[dict]:
    """Decisions still open or in progress, each with its follow-up actions (one row per
    action; a decision without any has one row whose action fields are None)."""
    keys = (
        "id",
        "meeting_id",
        "held_on",
        "number",
        "text",
        "owner",
        "due_date",
        "status",
        "action_id",
        "action_subproject_id",
        "action_title",
        "action_state",
        "action_due_date",
    )
    rows = column_rows(_open_decisions_query(), programme_id=programme_id)
    return tables.dicts(rows, keys)


@prepared
def _open_decisions_query():
    return (
        select(
            Decision.id,
            Meeting.id,
            Meeting.held_on,
            Decision.number,
            Decision.text,
            Decision.owner,
            Decision.due_date,
            Decision.status,
            Action.id,
            Action.subproject_id,
            Action.title,
            Action.state,
            Action.due_date,
        )
        .join(Meeting, Meeting.id == Decision.meeting_id)
        .outerjoin(Action, Action.decision_id == Decision.id)
        .where(Meeting.programme_id == param("programme_id"), Decision.status.in_(STILL_OPEN))
        .order_by(Meeting.held_on, Decision.number, Action.due_date, Action.id)
    )


def approval_decisions(programme_id: int, held_after: date, held_until: date) -> list[dict]:
    """Decisions of the programme's meetings held after ``held_after`` up to ``held_until``,
    newest meeting first: the ones that can have approved a report of a quarter that ended on
    ``held_after``. A lapsed decision approved nothing and is left out."""
    query = (
        select(
            Decision.id,
            Decision.number,
            Decision.text,
            Meeting.id,
            Meeting.held_on,
            Meeting.title,
        )
        .join(Meeting, Meeting.id == Decision.meeting_id)
        .where(
            Meeting.programme_id == programme_id,
            Meeting.held_on > held_after,
            Meeting.held_on <= held_until,
            Decision.status != DecisionStatus.LAPSED,
        )
        .order_by(Meeting.held_on.desc(), Meeting.id.desc(), Decision.number)
    )
    columns = ("id", "number", "text", "meeting_id", "held_on", "meeting_title")
    return [dict(zip(columns, row, strict=True)) for row in db.session.execute(query)]


EXCEPTION_COLUMNS = ["subproject_id", *rules.REQUIRED_FIELDS]


def exception_reports(
    programme_id: int, quarter: Quarter, subproject_ids: list[int] | None = None
) -> pd.DataFrame:
    """The exception reports of ``quarter``: cause, consequences and corrective measure per
    subproject, for the quarterly report's summary and (through
    :func:`exception_reports_by_subproject`) the agenda, so the two cannot disagree. One query."""
    query = (
        select(*(getattr(ExceptionReport, name) for name in EXCEPTION_COLUMNS))
        .join(Subproject, Subproject.id == ExceptionReport.subproject_id)
        .where(Subproject.programme_id == programme_id, ExceptionReport.quarter == str(quarter))
        .order_by(Subproject.code)
    )
    if subproject_ids is not None:
        query = query.where(ExceptionReport.subproject_id.in_(subproject_ids))
    return tables.frame(db.session.execute(query), EXCEPTION_COLUMNS)


def exception_reports_by_subproject(programme_id: int, quarter: Quarter) -> dict[int, dict]:
    """The reports of :func:`exception_reports` keyed by subproject, every field (the agenda's
    draft looks a subproject's report up)."""
    rows = tables.records(exception_reports(programme_id, quarter))
    return {row["subproject_id"]: row for row in rows}


def requests_up_to(programme_id: int, quarter: Quarter) -> list[dict]:
    """Every decision a lead asked of the steering group in ``quarter`` or before, with the
    subproject's code (live subprojects only)."""
    rows = db.session.execute(
        select(
            QuarterlyUpdate.id,
            QuarterlyUpdate.subproject_id,
            Subproject.code,
            QuarterlyUpdate.quarter,
            QuarterlyUpdate.decisions_requested,
        )
        .join(Subproject, Subproject.id == QuarterlyUpdate.subproject_id)
        .where(
            Subproject.programme_id == programme_id,
            Subproject.archived_at.is_(None),
            QuarterlyUpdate.quarter <= str(quarter),
            QuarterlyUpdate.decisions_requested != "",
        )
        .order_by(QuarterlyUpdate.quarter, Subproject.code)
    ).all()
    keys = ("id", "subproject_id", "code", "quarter", "text")
    return tables.dicts(rows, keys)


def request_answers(programme_id: int) -> dict[int, list[str]]:
    """Per request the answers decisions gave it (several: postponed, then taken)."""
    rows = db.session.execute(
        select(Decision.request_id, Decision.answer)
        .join(Meeting, Meeting.id == Decision.meeting_id)
        .where(Meeting.programme_id == programme_id, Decision.request_id.is_not(None))
        .order_by(Meeting.held_on, Decision.number)
    ).all()
    answers: dict[int, list[str]] = {}
    for request_id, answer in rows:
        answers.setdefault(request_id, []).append(answer)
    return answers


def advice_texts(programme_id: int) -> dict[int, str]:
    """The programme manager's advice per request."""
    rows = db.session.execute(
        select(RequestAdvice.request_id, RequestAdvice.advice)
        .join(QuarterlyUpdate, QuarterlyUpdate.id == RequestAdvice.request_id)
        .join(Subproject, Subproject.id == QuarterlyUpdate.subproject_id)
        .where(Subproject.programme_id == programme_id)
    ).all()
    return dict(rows)


def decision_rows(programme_id: int) -> list[dict]:
    """Every decision of the programme with the meeting it was taken in, oldest first."""
    rows = db.session.execute(
        select(
            Decision.id,
            Meeting.id,
            Meeting.held_on,
            Decision.number,
            Decision.text,
            Decision.owner,
            Decision.due_date,
            Decision.status,
        )
        .join(Meeting, Meeting.id == Decision.meeting_id)
        .where(Meeting.programme_id == programme_id)
        .order_by(Meeting.held_on, Meeting.id, Decision.number)
    ).all()
    keys = ("id", "meeting_id", "held_on", "number", "text", "owner", "due_date", "status")
    return tables.dicts(rows, keys)


def follow_ups(programme_id: int) -> dict[int, list[agenda.FollowUp]]:
    """The follow-up actions of the programme's decisions, per decision, by due date."""
    rows = db.session.execute(
        select(
            Action.decision_id,
            Action.id,
            Action.subproject_id,
            Subproject.code,
            Action.title,
            Action.state,
            Action.progress,
            Action.due_date,
        )
        .join(Subproject, Subproject.id == Action.subproject_id)
        .where(Subproject.programme_id == programme_id, Action.decision_id.is_not(None))
        .order_by(Action.due_date, Action.id)
    ).all()
    found: dict[int, list[agenda.FollowUp]] = {}
    for decision_id, *values in rows:
        found.setdefault(decision_id, []).append(agenda.FollowUp(*values))
    return found


def meetings(programme_id: int) -> list[dict]:
    """The programme's meetings, newest first, each with how many decisions it took."""
    rows = db.session.execute(
        select(Meeting.id, Meeting.held_on, Meeting.title, Meeting.quarter, func.count(Decision.id))
        .outerjoin(Decision, Decision.meeting_id == Meeting.id)
        .where(Meeting.programme_id == programme_id)
        .group_by(Meeting.id, Meeting.held_on, Meeting.title, Meeting.quarter)
        .order_by(Meeting.held_on.desc(), Meeting.id.desc())
    ).all()
    keys = ("id", "held_on", "title", "quarter", "decisions")
    return tables.dicts(rows, keys)


def newest_meeting(programme_id: int) -> Meeting | None:
    return db.session.scalar(
        select(Meeting)
        .where(Meeting.programme_id == programme_id)
        .order_by(Meeting.held_on.desc(), Meeting.id.desc())
        .limit(1)
    )


def decision_log(programme_id: int, status: str | None = None) -> list[Decision]:
    """The decision log, newest meeting first, with everything a row shows loaded in a fixed
    number of queries."""
    query = (
        select(Decision)
        .join(Meeting, Meeting.id == Decision.meeting_id)
        .where(Meeting.programme_id == programme_id)
        .options(
            contains_eager(Decision.meeting),
            selectinload(Decision.subprojects),
            selectinload(Decision.follow_up_actions).joinedload(Action.subproject),
            selectinload(Decision.request).joinedload(QuarterlyUpdate.subproject),
        )
        .order_by(Meeting.held_on.desc(), Meeting.id.desc(), Decision.number)
    )
    if status:
        query = query.where(Decision.status == status)
    return list(db.session.scalars(query))


def concerns(decision_id: int, subproject_ids: set[int]) -> bool:
    """Whether the decision concerns one of ``subproject_ids`` (linked or followed up there)."""
    if not subproject_ids:
        return False
    linked = (
        select(DecisionSubproject.id)
        .where(
            DecisionSubproject.decision_id == decision_id,
            DecisionSubproject.subproject_id.in_(subproject_ids),
        )
        .exists()
    )
    followed = (
        select(Action.id)
        .where(Action.decision_id == decision_id, Action.subproject_id.in_(subproject_ids))
        .exists()
    )
    return bool(db.session.scalar(select(or_(linked, followed))))


def next_number(meeting_id: int) -> int:
    return (
        db.session.scalar(
            select(func.coalesce(func.max(Decision.number), 0)).where(
                Decision.meeting_id == meeting_id
            )
        )
        + 1
    )


def decision_records(programme_id: int) -> dict[str, list[int]]:
    """The ids of the programme's meetings, decisions, their subproject links and the advice on
    its requests: what its decision history lists."""
    meeting_ids = select(Meeting.id).where(Meeting.programme_id == programme_id)
    decision_ids = select(Decision.id).where(Decision.meeting_id.in_(meeting_ids))
    return {
        "Meeting": list(db.session.scalars(meeting_ids)),
        "Decision": list(db.session.scalars(decision_ids)),
        "DecisionSubproject": list(
            db.session.scalars(
                select(DecisionSubproject.id).where(
                    DecisionSubproject.decision_id.in_(decision_ids)
                )
            )
        ),
        "RequestAdvice": list(
            db.session.scalars(
                select(RequestAdvice.id)
                .join(QuarterlyUpdate, QuarterlyUpdate.id == RequestAdvice.request_id)
                .join(Subproject, Subproject.id == QuarterlyUpdate.subproject_id)
                .where(Subproject.programme_id == programme_id)
            )
        ),
    }
