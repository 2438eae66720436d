"""Read queries of the steering group's cycle: meetings, the decision log, the leads' requests,
exception reports and what the exception rules need (tolerances, reasons). A few SQL queries
each, never one per row; the dashboard, the quarter form and the meeting pages share them.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import select

from tracker import tables
from tracker.extensions import db
from tracker.indicators.models import Indicator, Measurement
from tracker.milestones.models import Milestone, MilestoneDateChange
from tracker.projects.models import Action, Programme, QuarterlyUpdate, Subproject
from tracker.quarters import Quarter
from tracker.steering import rules
from tracker.steering.models import Decision, ExceptionReport, Meeting
from tracker.steering.status import ANSWERED, STILL_OPEN, DecisionStatus


def previous_meeting(programme_id: int, before: date) -> dict | None:
    """The newest steering-group meeting held before ``before`` (id, held_on, title), if any."""
    row = db.session.execute(
        select(Meeting.id, Meeting.held_on, Meeting.title)
        .where(Meeting.programme_id == programme_id, Meeting.held_on < before)
        .order_by(Meeting.held_on.desc(), Meeting.id.desc())
        .limit(1)
    ).first()
    return None if row is None else {"id": row.id, "held_on": row.held_on, "title": row.title}


def tolerances(programme_id: int) -> rules.Tolerances:
    row = db.session.execute(
        select(Programme.tolerance_slip_days, Programme.tolerance_points).where(
            Programme.id == programme_id
        )
    ).first()
    return rules.Tolerances() if row is None else rules.Tolerances(*row)


def latest_reasons(programme_id: int, subproject_ids: list[int] | None = None) -> dict[int, str]:
    """Each milestone's newest recorded reason for moving its planned date."""
    query = (
        select(MilestoneDateChange.milestone_id, MilestoneDateChange.reason)
        .join(Milestone, Milestone.id == MilestoneDateChange.milestone_id)
        .join(Subproject, Subproject.id == Milestone.subproject_id)
        .where(Subproject.programme_id == programme_id)
        .order_by(MilestoneDateChange.changed_at, MilestoneDateChange.id)
    )
    if subproject_ids is not None:
        query = query.where(Milestone.subproject_id.in_(subproject_ids))
    return {milestone_id: reason for milestone_id, reason in db.session.execute(query)}


def measurement_history(
    programme_id: int, up_to: Quarter, subproject_ids: list[int] | None = None
) -> dict[int, list[tuple[str, float, str]]]:
    """Per indicator its (period, value, note) up to ``up_to``, oldest first: the notes say why
    a value lags, the values give the status of an earlier quarter."""
    query = (
        select(Measurement.indicator_id, Measurement.period, Measurement.value, Measurement.note)
        .join(Indicator, Indicator.id == Measurement.indicator_id)
        .where(Indicator.programme_id == programme_id, Measurement.period <= str(up_to))
        .order_by(Measurement.indicator_id, Measurement.period)
    )
    if subproject_ids is not None:
        query = query.where(Indicator.subproject_id.in_(subproject_ids))
    history: dict[int, list[tuple[str, float, str]]] = {}
    for indicator_id, period, value, note in db.session.execute(query):
        history.setdefault(indicator_id, []).append((period, value, note or ""))
    return history


def exception_report(subproject_id: int, quarter: Quarter) -> ExceptionReport | None:
    return db.session.scalar(
        select(ExceptionReport).where(
            ExceptionReport.subproject_id == subproject_id,
            ExceptionReport.quarter == str(quarter),
        )
    )


def quarter_reports(
    programme_id: int, quarter: Quarter, subproject_ids: list[int] | None = None
) -> pd.DataFrame:
    """The quarterly updates of ``quarter`` and the one before, each with its exception report:
    who reported, the lead's status then and now, and the cause and measure of a deviation."""
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
            Subproject.programme_id == programme_id,
            QuarterlyUpdate.quarter.in_([str(quarter), str(quarter.previous())]),
        )
        .order_by(QuarterlyUpdate.subproject_id, QuarterlyUpdate.quarter)
    )
    if subproject_ids is not None:
        query = query.where(QuarterlyUpdate.subproject_id.in_(subproject_ids))
    return tables.frame(
        db.session.execute(query),
        ["subproject_id", "quarter", "rag", "cause", "measure", "measure_owner", "measure_due"],
    )


def open_requests(
    programme_id: int, quarter: Quarter, subproject_ids: list[int] | None = None
) -> pd.DataFrame:
    """What leads asked of the steering group in any quarter up to ``quarter`` that no decision
    has answered yet (taken or rejected; a postponement keeps it open), oldest first."""
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
            Subproject.programme_id == programme_id,
            QuarterlyUpdate.quarter <= str(quarter),
            QuarterlyUpdate.decisions_requested != "",
            ~answered,
        )
        .order_by(QuarterlyUpdate.quarter, Subproject.code)
    )
    if subproject_ids is not None:
        query = query.where(QuarterlyUpdate.subproject_id.in_(subproject_ids))
    return tables.frame(db.session.execute(query), ["id", "subproject_id", "quarter", "text"])


def open_decisions(programme_id: int) -> pd.DataFrame:
    """Decisions still open or in progress, each with its follow-up actions (one row per
    action; a decision without any has one row with an empty action)."""
    query = (
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
        .where(Meeting.programme_id == programme_id, Decision.status.in_(STILL_OPEN))
        .order_by(Meeting.held_on, Decision.number, Action.due_date, Action.id)
    )
    return tables.frame(
        db.session.execute(query),
        [
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
        ],
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


EXCEPTION_COLUMNS = [
    "subproject_id",
    "cause",
    "consequence_time",
    "consequence_result",
    "consequence_money",
    "measure",
    "measure_owner",
    "measure_due",
]


def exception_reports(
    programme_id: int, quarter: Quarter, subproject_ids: list[int] | None = None
) -> pd.DataFrame:
    """The exception reports of ``quarter``: cause, consequences and corrective measure per
    subproject, for the quarterly report's summary. One query."""
    query = (
        select(*(getattr(ExceptionReport, name) for name in EXCEPTION_COLUMNS))
        .join(Subproject, Subproject.id == ExceptionReport.subproject_id)
        .where(Subproject.programme_id == programme_id, ExceptionReport.quarter == str(quarter))
        .order_by(Subproject.code)
    )
    if subproject_ids is not None:
        query = query.where(ExceptionReport.subproject_id.in_(subproject_ids))
    return tables.frame(db.session.execute(query), EXCEPTION_COLUMNS)
