"""The reporting layer: a few SQL queries per dataset, into DataFrames, through the status rules.

Pages, the dashboard, the PDF and the exports all take their numbers from these functions, so
they cannot disagree. No function here runs a query per row.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pandas as pd
from sqlalchemy import func, select

from tracker.auth.models import User, subproject_leads
from tracker.extensions import db
from tracker.indicators import status as indicator_rules
from tracker.indicators.models import Indicator, Measurement
from tracker.milestones import status as milestone_rules
from tracker.milestones.models import Milestone, MilestoneDateChange
from tracker.projects import status as subproject_rules
from tracker.projects.models import (
    Action,
    Meeting,
    Municipality,
    Organisation,
    Programme,
    QuarterlyUpdate,
    Subproject,
)
from tracker.quarters import Quarter

MILESTONE_COLUMNS = [
    "id",
    "subproject_id",
    "title",
    "baseline_date",
    "planned_date",
    "forecast_date",
    "achieved_on",
    "at_risk",
    "slip_days",
    "status",
]
INDICATOR_COLUMNS = [
    "id",
    "subproject_id",
    "name",
    "unit",
    "direction",
    "baseline_value",
    "baseline_date",
    "target_value",
    "target_date",
    "rollup",
    "latest_period",
    "latest_value",
    "actual",
    "progress",
    "expected",
    "status",
]


def _frame(rows, columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame([tuple(r) for r in rows], columns=columns)


def subprojects(programme_id: int, subproject_ids: list[int] | None = None) -> pd.DataFrame:
    """Subprojects with municipality and the names of their leads."""
    query = (
        select(
            Subproject.id,
            Subproject.code,
            Subproject.name,
            Subproject.municipality_id,
            Municipality.name,
            Municipality.cbs_code,
        )
        .join(Municipality, Subproject.municipality_id == Municipality.id)
        .where(Subproject.programme_id == programme_id)
        .order_by(Subproject.code)
    )
    if subproject_ids is not None:
        query = query.where(Subproject.id.in_(subproject_ids))
    frame = _frame(
        db.session.execute(query),
        ["id", "code", "name", "municipality_id", "municipality", "cbs_code"],
    )
    leads = db.session.execute(
        select(subproject_leads.c.subproject_id, User.name)
        .join(User, User.id == subproject_leads.c.user_id)
        .join(Subproject, Subproject.id == subproject_leads.c.subproject_id)
        .where(Subproject.programme_id == programme_id)
        .order_by(User.name)
    ).all()
    names: dict[int, list[str]] = {}
    for subproject_id, name in leads:
        names.setdefault(subproject_id, []).append(name)
    frame["leads"] = [", ".join(names.get(i, [])) for i in frame["id"]]
    return frame


def _milestone_facts_query(programme_id: int, subproject_ids: list[int] | None):
    """The columns the milestone status rules need, for a programme or some of its subprojects."""
    query = (
        select(
            Milestone.id,
            Milestone.subproject_id,
            Milestone.title,
            Milestone.baseline_date,
            Milestone.planned_date,
            Milestone.forecast_date,
            Milestone.achieved_on,
            Milestone.at_risk,
        )
        .join(Subproject, Subproject.id == Milestone.subproject_id)
        .where(Subproject.programme_id == programme_id)
    )
    if subproject_ids is not None:
        query = query.where(Milestone.subproject_id.in_(subproject_ids))
    return query


def milestones(
    programme_id: int, as_of: date, subproject_ids: list[int] | None = None
) -> pd.DataFrame:
    query = _milestone_facts_query(programme_id, subproject_ids).order_by(
        Milestone.planned_date, Milestone.id
    )
    rows = []
    for row in db.session.execute(query):
        facts = milestone_rules.MilestoneFacts(
            baseline_date=row.baseline_date,
            planned_date=row.planned_date,
            forecast_date=row.forecast_date,
            achieved_on=row.achieved_on,
            at_risk=bool(row.at_risk),
        )
        rows.append(
            (*row, milestone_rules.slip_days(facts), milestone_rules.milestone_status(facts, as_of))
        )
    return _frame(rows, MILESTONE_COLUMNS)


def indicators(
    programme_id: int, quarter: Quarter, subproject_ids: list[int] | None = None
) -> pd.DataFrame:
    """Each indicator with its rolled-up value over the periods up to ``quarter`` and its status.

    A value is judged against the progress expected at the end of its newest period.
    """
    query = (
        select(
            Indicator.id,
            Indicator.subproject_id,
            Indicator.name,
            Indicator.unit,
            Indicator.direction,
            Indicator.baseline_value,
            Indicator.baseline_date,
            Indicator.target_value,
            Indicator.target_date,
            Indicator.rollup,
        )
        .where(Indicator.programme_id == programme_id)
        .order_by(Indicator.subproject_id, Indicator.name)
    )
    if subproject_ids is not None:
        query = query.where(Indicator.subproject_id.in_(subproject_ids))
    values = measurements(programme_id, quarter, subproject_ids)
    # grouped in plain Python: pandas' groupby builds a frame per indicator, far too slow for
    # a programme with thousands of indicators
    by_indicator: dict[int, list[tuple[str, float]]] = {}
    for indicator_id, period, value in zip(
        values["indicator_id"].tolist(),
        values["period"].tolist(),
        values["value"].tolist(),
        strict=True,
    ):
        by_indicator.setdefault(indicator_id, []).append((period, value))
    period_ends: dict[str, date] = {}
    rows = []
    for row in db.session.execute(query):
        facts = indicator_rules.IndicatorFacts(
            direction=row.direction,
            baseline_value=row.baseline_value,
            baseline_date=row.baseline_date,
            target_value=row.target_value,
            target_date=row.target_date,
            rollup=row.rollup,
        )
        own = by_indicator.get(row.id)
        if not own:
            rows.append((*row, None, None, None, None, None, indicator_rules.NO_DATA))
            continue
        latest_period, latest_value = own[-1]
        actual = indicator_rules.rolled_up([value for _, value in own], row.rollup)
        reached = indicator_rules.progress(facts, actual)
        if latest_period not in period_ends:
            period_ends[latest_period] = Quarter.parse(latest_period).end
        expected = indicator_rules.expected_progress(facts, period_ends[latest_period])
        rows.append(
            (
                *row,
                latest_period,
                float(latest_value),
                actual,
                reached,
                expected,
                indicator_rules.status_for(reached, expected),
            )
        )
    return _frame(rows, INDICATOR_COLUMNS)


def measurements(
    programme_id: int, up_to: Quarter, subproject_ids: list[int] | None = None
) -> pd.DataFrame:
    """Every measurement of periods up to and including ``up_to``, oldest first."""
    query = (
        select(
            Measurement.id,
            Measurement.indicator_id,
            Indicator.subproject_id,
            Measurement.period,
            Measurement.value,
        )
        .join(Indicator, Indicator.id == Measurement.indicator_id)
        .where(Indicator.programme_id == programme_id, Measurement.period <= str(up_to))
        .order_by(Measurement.indicator_id, Measurement.period)
    )
    if subproject_ids is not None:
        query = query.where(Indicator.subproject_id.in_(subproject_ids))
    return _frame(
        db.session.execute(query), ["id", "indicator_id", "subproject_id", "period", "value"]
    )


def indicator_measurements(indicator_ids: list[int], up_to: Quarter) -> pd.DataFrame:
    """The measurements of the given indicators, periods up to ``up_to``, oldest first: the
    same columns as ``measurements``, for charts that show only a few indicators."""
    query = (
        select(
            Measurement.id,
            Measurement.indicator_id,
            Indicator.subproject_id,
            Measurement.period,
            Measurement.value,
        )
        .join(Indicator, Indicator.id == Measurement.indicator_id)
        .where(Measurement.indicator_id.in_(indicator_ids), Measurement.period <= str(up_to))
        .order_by(Measurement.indicator_id, Measurement.period)
    )
    return _frame(
        db.session.execute(query), ["id", "indicator_id", "subproject_id", "period", "value"]
    )


def lead_rags(programme_id: int, quarter: Quarter) -> dict[int, str]:
    """Each subproject's RAG from its newest quarterly update up to ``quarter``."""
    rows = db.session.execute(
        select(QuarterlyUpdate.subproject_id, QuarterlyUpdate.quarter, QuarterlyUpdate.rag)
        .join(Subproject, Subproject.id == QuarterlyUpdate.subproject_id)
        .where(Subproject.programme_id == programme_id, QuarterlyUpdate.quarter <= str(quarter))
        .order_by(QuarterlyUpdate.quarter)
    ).all()
    return {subproject_id: rag for subproject_id, _, rag in rows}


def status_overview(programme_id: int, as_of: date) -> pd.DataFrame:
    """One row per subproject: milestone and indicator counts by status, lead's and computed RAG."""
    quarter = Quarter.of(as_of)
    frame = subprojects(programme_id)
    milestone_frame = milestones(programme_id, as_of)
    indicator_frame = indicators(programme_id, quarter)
    lead = lead_rags(programme_id, quarter)
    for status in milestone_rules.STATUSES:
        counts = (
            milestone_frame[milestone_frame["status"] == status].groupby("subproject_id").size()
        )
        frame[f"milestones_{status}"] = [int(counts.get(i, 0)) for i in frame["id"]]
    for status in indicator_rules.STATUSES:
        counts = (
            indicator_frame[indicator_frame["status"] == status].groupby("subproject_id").size()
        )
        frame[f"indicators_{status}"] = [int(counts.get(i, 0)) for i in frame["id"]]
    milestone_groups = milestone_frame.groupby("subproject_id")["status"].apply(list).to_dict()
    indicator_groups = indicator_frame.groupby("subproject_id")["status"].apply(list).to_dict()
    frame["computed_rag"] = [
        subproject_rules.computed_rag(milestone_groups.get(i, []), indicator_groups.get(i, []))
        for i in frame["id"]
    ]
    frame["lead_rag"] = [lead.get(i) for i in frame["id"]]
    return frame


# --- The dashboard's datasets (also for the quarterly report) ---------------------------------

CHANGE_LIMIT = 25


def programmes() -> pd.DataFrame:
    """Every programme, by name: the dashboard's programme choice."""
    return _frame(
        db.session.execute(
            select(Programme.id, Programme.name, Programme.start_date, Programme.end_date).order_by(
                Programme.name
            )
        ),
        ["id", "name", "start_date", "end_date"],
    )


def overview_from(
    subproject_frame: pd.DataFrame,
    milestone_frame: pd.DataFrame,
    indicator_frame: pd.DataFrame,
    lead: dict[int, str],
) -> pd.DataFrame:
    """What ``status_overview`` gives, from frames already loaded: callers that also need the
    milestones and indicators themselves (the dashboard, the report) query them only once."""
    frame = subproject_frame.copy()
    milestone_groups = _statuses_by_subproject(milestone_frame)
    indicator_groups = _statuses_by_subproject(indicator_frame)
    ids = frame["id"].tolist()
    for status in milestone_rules.STATUSES:
        frame[f"milestones_{status}"] = [milestone_groups.get(i, []).count(status) for i in ids]
    for status in indicator_rules.STATUSES:
        frame[f"indicators_{status}"] = [indicator_groups.get(i, []).count(status) for i in ids]
    frame["computed_rag"] = [
        subproject_rules.computed_rag(milestone_groups.get(i, []), indicator_groups.get(i, []))
        for i in ids
    ]
    frame["lead_rag"] = [lead.get(i) for i in frame["id"]]
    # pandas may store a missing RAG as NaN rather than None: only strings count as a RAG
    frame["rag_differs"] = [
        subproject_rules.rag_disagrees(
            lead_rag if isinstance(lead_rag, str) else None,
            computed if isinstance(computed, str) else None,
        )
        for lead_rag, computed in zip(frame["lead_rag"], frame["computed_rag"], strict=True)
    ]
    return frame


def _statuses_by_subproject(frame: pd.DataFrame) -> dict[int, list[str]]:
    groups: dict[int, list[str]] = {}
    for subproject_id, status in zip(
        frame["subproject_id"].tolist(), frame["status"].tolist(), strict=True
    ):
        groups.setdefault(subproject_id, []).append(status)
    return groups


def decisions_requested(
    programme_id: int, quarter: Quarter, subproject_ids: list[int] | None = None
) -> pd.DataFrame:
    """What each subproject's newest quarterly update up to ``quarter`` asks of the steering
    group; subprojects whose newest update asks nothing are left out."""
    query = (
        select(
            QuarterlyUpdate.subproject_id,
            QuarterlyUpdate.quarter,
            QuarterlyUpdate.decisions_requested,
        )
        .join(Subproject, Subproject.id == QuarterlyUpdate.subproject_id)
        .where(Subproject.programme_id == programme_id, QuarterlyUpdate.quarter <= str(quarter))
        .order_by(QuarterlyUpdate.subproject_id, QuarterlyUpdate.quarter)
    )
    if subproject_ids is not None:
        query = query.where(QuarterlyUpdate.subproject_id.in_(subproject_ids))
    newest: dict[int, tuple] = {}
    for subproject_id, period, text in db.session.execute(query):
        newest[subproject_id] = (subproject_id, period, (text or "").strip())
    return _frame([row for row in newest.values() if row[2]], ["subproject_id", "quarter", "text"])


def previous_meeting(programme_id: int, before: date) -> dict | None:
    """The newest steering-group meeting held before ``before`` (id, held_on, title), if any."""
    row = db.session.execute(
        select(Meeting.id, Meeting.held_on, Meeting.title)
        .where(Meeting.programme_id == programme_id, Meeting.held_on < before)
        .order_by(Meeting.held_on.desc(), Meeting.id.desc())
        .limit(1)
    ).first()
    return None if row is None else {"id": row.id, "held_on": row.held_on, "title": row.title}


def changes_since(
    programme_id: int,
    since: date,
    as_of: date,
    subproject_ids: list[int] | None = None,
    limit: int = CHANGE_LIMIT,
) -> dict[str, tuple[pd.DataFrame, int]]:
    """What changed after ``since`` up to ``as_of``: milestones achieved, planned dates moved,
    measurements entered. Each kind as (the newest ``limit`` rows, how many there are in all),
    one query per kind whatever the data size."""
    after = datetime.combine(since + timedelta(days=1), time.min)
    until = datetime.combine(as_of + timedelta(days=1), time.min)
    total = func.count().over().label("total")

    achieved = (
        select(
            Milestone.id,
            Milestone.subproject_id,
            Milestone.title,
            Milestone.achieved_on,
            Milestone.baseline_date,
            total,
        )
        .join(Subproject, Subproject.id == Milestone.subproject_id)
        .where(
            Subproject.programme_id == programme_id,
            Milestone.achieved_on > since,
            Milestone.achieved_on <= as_of,
        )
        .order_by(Milestone.achieved_on.desc(), Milestone.id.desc())
        .limit(limit)
    )
    moved = (
        select(
            MilestoneDateChange.id,
            Milestone.subproject_id,
            Milestone.title,
            MilestoneDateChange.from_date,
            MilestoneDateChange.to_date,
            MilestoneDateChange.reason,
            MilestoneDateChange.changed_at,
            total,
        )
        .join(Milestone, Milestone.id == MilestoneDateChange.milestone_id)
        .join(Subproject, Subproject.id == Milestone.subproject_id)
        .where(
            Subproject.programme_id == programme_id,
            MilestoneDateChange.changed_at >= after,
            MilestoneDateChange.changed_at < until,
        )
        .order_by(MilestoneDateChange.changed_at.desc(), MilestoneDateChange.id.desc())
        .limit(limit)
    )
    entered = (
        select(
            Measurement.id,
            Indicator.subproject_id,
            Indicator.name,
            Indicator.unit,
            Measurement.period,
            Measurement.value,
            Measurement.entered_at,
            total,
        )
        .join(Indicator, Indicator.id == Measurement.indicator_id)
        .where(
            Indicator.programme_id == programme_id,
            Measurement.entered_at >= after,
            Measurement.entered_at < until,
        )
        .order_by(Measurement.entered_at.desc(), Measurement.id.desc())
        .limit(limit)
    )
    if subproject_ids is not None:
        achieved = achieved.where(Milestone.subproject_id.in_(subproject_ids))
        moved = moved.where(Milestone.subproject_id.in_(subproject_ids))
        entered = entered.where(Indicator.subproject_id.in_(subproject_ids))
    kinds = {
        "achieved": (
            achieved,
            ["id", "subproject_id", "title", "achieved_on", "baseline_date"],
        ),
        "moved": (
            moved,
            ["id", "subproject_id", "title", "from_date", "to_date", "reason", "changed_at"],
        ),
        "measured": (
            entered,
            ["id", "subproject_id", "name", "unit", "period", "value", "entered_at"],
        ),
    }
    result = {}
    for kind, (query, columns) in kinds.items():
        rows = db.session.execute(query).all()
        count = int(rows[0].total) if rows else 0
        result[kind] = (_frame([tuple(r)[:-1] for r in rows], columns), count)
    return result


# --- "As at" a quarter's end: the quarterly report, the archive and the exports -----------------

AS_AT_MILESTONE_COLUMNS = [*MILESTONE_COLUMNS, "planned_date_at_start"]


def planned_date_as_at(
    planned_date: date, changes: list[tuple[datetime, date, date]], day: date
) -> date:
    """The planned date as it stood at the end of ``day``.

    ``changes`` are a milestone's date moves as (changed_at, from_date, to_date), oldest first.
    The answer is the ``to_date`` of the last move made on or before ``day``; before any move it
    is the first move's ``from_date``; a milestone never moved has always had ``planned_date``.
    """
    if not changes:
        return planned_date
    known = [to_date for changed_at, _, to_date in changes if changed_at.date() <= day]
    if known:
        return known[-1]
    return changes[0][1]


def milestones_as_at(
    programme_id: int,
    as_at: date,
    subproject_ids: list[int] | None = None,
    since: date | None = None,
) -> pd.DataFrame:
    """Milestones with the facts known at the end of ``as_at``, as :func:`milestones` gives them.

    An achievement dated after ``as_at`` is not known then (``achieved_on`` is empty), and the
    planned date is the one that stood then (from the date-change history), so slip and status
    are those a report made on ``as_at`` would have shown. The forecast date and the at-risk flag
    keep no history: their current values are the best available and are used as they are.
    With ``since``, ``planned_date_at_start`` holds the planned date as it stood on ``since``
    (e.g. the day before the quarter began), so a move within the quarter can be told.
    Two queries, whatever the number of milestones.
    """
    query = _milestone_facts_query(programme_id, subproject_ids).order_by(Milestone.id)
    change_query = (
        select(
            MilestoneDateChange.milestone_id,
            MilestoneDateChange.changed_at,
            MilestoneDateChange.from_date,
            MilestoneDateChange.to_date,
        )
        .join(Milestone, Milestone.id == MilestoneDateChange.milestone_id)
        .join(Subproject, Subproject.id == Milestone.subproject_id)
        .where(Subproject.programme_id == programme_id)
        .order_by(MilestoneDateChange.changed_at, MilestoneDateChange.id)
    )
    if subproject_ids is not None:
        change_query = change_query.where(Milestone.subproject_id.in_(subproject_ids))
    history: dict[int, list[tuple[datetime, date, date]]] = {}
    for milestone_id, changed_at, from_date, to_date in db.session.execute(change_query):
        history.setdefault(milestone_id, []).append((changed_at, from_date, to_date))
    rows = []
    for row in db.session.execute(query):
        changes = history.get(row.id, [])
        planned = planned_date_as_at(row.planned_date, changes, as_at)
        achieved = row.achieved_on if row.achieved_on and row.achieved_on <= as_at else None
        facts = milestone_rules.MilestoneFacts(
            baseline_date=row.baseline_date,
            planned_date=planned,
            forecast_date=row.forecast_date,
            achieved_on=achieved,
            at_risk=bool(row.at_risk),
        )
        at_start = planned_date_as_at(row.planned_date, changes, since) if since else None
        rows.append(
            (
                row.id,
                row.subproject_id,
                row.title,
                row.baseline_date,
                planned,
                row.forecast_date,
                achieved,
                bool(row.at_risk),
                milestone_rules.slip_days(facts),
                milestone_rules.milestone_status(facts, as_at),
                at_start,
            )
        )
    rows.sort(key=lambda r: (r[4], r[0]))
    return _frame(rows, AS_AT_MILESTONE_COLUMNS)


def actions(programme_id: int, subproject_ids: list[int] | None = None) -> pd.DataFrame:
    """Actions with their owner's name. State and progress keep no history: current values."""
    query = (
        select(
            Action.id,
            Action.subproject_id,
            Action.title,
            Organisation.name,
            Action.start_date,
            Action.due_date,
            Action.state,
            Action.progress,
        )
        .join(Subproject, Subproject.id == Action.subproject_id)
        .outerjoin(Organisation, Organisation.id == Action.owner_id)
        .where(Subproject.programme_id == programme_id)
        .order_by(Subproject.code, Action.due_date, Action.id)
    )
    if subproject_ids is not None:
        query = query.where(Action.subproject_id.in_(subproject_ids))
    return _frame(
        db.session.execute(query),
        ["id", "subproject_id", "title", "owner", "start_date", "due_date", "state", "progress"],
    )


def quarterly_updates(
    programme_id: int, up_to: Quarter, subproject_ids: list[int] | None = None
) -> pd.DataFrame:
    """The leads' quarterly updates of quarters up to and including ``up_to``, oldest first."""
    query = (
        select(
            QuarterlyUpdate.id,
            QuarterlyUpdate.subproject_id,
            QuarterlyUpdate.quarter,
            QuarterlyUpdate.rag,
            QuarterlyUpdate.achieved,
            QuarterlyUpdate.next_steps,
            QuarterlyUpdate.risks,
            QuarterlyUpdate.decisions_requested,
            User.name,
            QuarterlyUpdate.updated_at,
        )
        .join(Subproject, Subproject.id == QuarterlyUpdate.subproject_id)
        .outerjoin(User, User.id == QuarterlyUpdate.updated_by_id)
        .where(Subproject.programme_id == programme_id, QuarterlyUpdate.quarter <= str(up_to))
        .order_by(QuarterlyUpdate.quarter, Subproject.code)
    )
    if subproject_ids is not None:
        query = query.where(QuarterlyUpdate.subproject_id.in_(subproject_ids))
    return _frame(
        db.session.execute(query),
        [
            "id",
            "subproject_id",
            "quarter",
            "rag",
            "achieved",
            "next_steps",
            "risks",
            "decisions_requested",
            "updated_by",
            "updated_at",
        ],
    )


def measurement_details(
    programme_id: int, up_to: Quarter, subproject_ids: list[int] | None = None
) -> pd.DataFrame:
    """Measurements of periods up to ``up_to`` with indicator name, unit, note, source and who
    entered them: the appendix of the report and the export's measurement sheet."""
    query = (
        select(
            Measurement.id,
            Measurement.indicator_id,
            Indicator.subproject_id,
            Indicator.name,
            Indicator.unit,
            Measurement.period,
            Measurement.value,
            Measurement.note,
            Measurement.source,
            User.name,
            Measurement.entered_at,
        )
        .join(Indicator, Indicator.id == Measurement.indicator_id)
        .outerjoin(User, User.id == Measurement.entered_by_id)
        .where(Indicator.programme_id == programme_id, Measurement.period <= str(up_to))
        .order_by(Measurement.period, Indicator.subproject_id, Indicator.name)
    )
    if subproject_ids is not None:
        query = query.where(Indicator.subproject_id.in_(subproject_ids))
    return _frame(
        db.session.execute(query),
        [
            "id",
            "indicator_id",
            "subproject_id",
            "indicator",
            "unit",
            "period",
            "value",
            "note",
            "source",
            "entered_by",
            "entered_at",
        ],
    )
