"""Read queries of milestones: a few SQL queries into DataFrames, through the status rules.

Pages, the dashboard, the PDF and the exports take their milestone numbers from here, so they
cannot disagree. No function here runs a query per row.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd
from sqlalchemy import select

from tracker import tables
from tracker.fetch import column_rows, param, prepared
from tracker.milestones import status as milestone_rules
from tracker.milestones.models import Milestone, MilestoneDateChange
from tracker.projects.models import Subproject, in_scope

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
    "slip_kind",
    "status",
]

AS_AT_MILESTONE_COLUMNS = [*MILESTONE_COLUMNS, "planned_date_at_start"]


def milestone_facts_query(scoped: bool):
    """The columns the milestone status rules need, of the programme given as ``programme_id``
    when the statement runs, or of its subprojects given as ``subproject_ids`` if ``scoped``."""
    return (
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
        .where(
            Subproject.programme_id == param("programme_id"),
            in_scope(Milestone.subproject_id, scoped),
        )
    )


def milestones(
    programme_id: int, as_of: date, subproject_ids: list[int] | None = None
) -> pd.DataFrame:
    rows = []
    for row in column_rows(
        _milestones_query(subproject_ids is not None),
        programme_id=programme_id,
        subproject_ids=subproject_ids,
    ):
        _id, _subproject_id, _title, baseline, planned, forecast, achieved, at_risk = row
        rows.append(
            (
                *row,
                *milestone_rules.assess(
                    baseline, planned, forecast, achieved, bool(at_risk), as_of
                ),
            )
        )
    return tables.frame(rows, MILESTONE_COLUMNS)


@prepared
def _milestones_query(scoped: bool):
    return milestone_facts_query(scoped).order_by(Milestone.planned_date, Milestone.id)


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
    scoped = subproject_ids is not None
    params = {"programme_id": programme_id, "subproject_ids": subproject_ids}
    history: dict[int, list[tuple[datetime, date, date]]] = {}
    for milestone_id, changed_at, from_date, to_date in column_rows(
        _date_changes_query(scoped), **params
    ):
        history.setdefault(milestone_id, []).append((changed_at, from_date, to_date))
    rows = []
    for row in column_rows(_milestones_by_id_query(scoped), **params):
        changes = history.get(row.id, [])
        planned = planned_date_as_at(row.planned_date, changes, as_at)
        achieved = row.achieved_on if row.achieved_on and row.achieved_on <= as_at else None
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
                *milestone_rules.assess(
                    row.baseline_date,
                    planned,
                    row.forecast_date,
                    achieved,
                    bool(row.at_risk),
                    as_at,
                ),
                at_start,
            )
        )
    rows.sort(key=lambda r: (r[4], r[0]))
    return tables.frame(rows, AS_AT_MILESTONE_COLUMNS)


@prepared
def _milestones_by_id_query(scoped: bool):
    return milestone_facts_query(scoped).order_by(Milestone.id)


@prepared
def _date_changes_query(scoped: bool):
    return (
        select(
            MilestoneDateChange.milestone_id,
            MilestoneDateChange.changed_at,
            MilestoneDateChange.from_date,
            MilestoneDateChange.to_date,
        )
        .join(Milestone, Milestone.id == MilestoneDateChange.milestone_id)
        .join(Subproject, Subproject.id == Milestone.subproject_id)
        .where(
            Subproject.programme_id == param("programme_id"),
            in_scope(Milestone.subproject_id, scoped),
        )
        .order_by(MilestoneDateChange.changed_at, MilestoneDateChange.id)
    )


def date_change_reasons(
    programme_id: int, as_at: date, subproject_ids: list[int] | None = None
) -> pd.DataFrame:
    """Each milestone's newest reason for moving its planned date, as recorded by the end of
    ``as_at``: what a report as at that day says about a slip. One query."""
    query = (
        select(Milestone.id, Milestone.subproject_id, MilestoneDateChange.reason)
        .join(MilestoneDateChange, MilestoneDateChange.milestone_id == Milestone.id)
        .join(Subproject, Subproject.id == Milestone.subproject_id)
        .where(
            Subproject.programme_id == programme_id,
            MilestoneDateChange.changed_at < as_at + timedelta(days=1),
        )
        .order_by(MilestoneDateChange.changed_at, MilestoneDateChange.id)
    )
    if subproject_ids is not None:
        query = query.where(Milestone.subproject_id.in_(subproject_ids))
    newest = {row[0]: row for row in column_rows(query)}
    return tables.frame(list(newest.values()), ["milestone_id", "subproject_id", "reason"])
