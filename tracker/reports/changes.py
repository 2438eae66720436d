"""What changed in a programme between two days: the dashboard's "since the last meeting"."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import func, or_, select

from tracker.auth.models import User
from tracker.fetch import column_rows, param, prepared
from tracker.indicators.models import Indicator, Measurement
from tracker.milestones.models import Milestone, MilestoneDateChange
from tracker.projects.models import Subproject, in_scope
from tracker.quarters import Quarter

CHANGE_LIMIT = 25


def changes_since(
    programme_id: int,
    since: date,
    as_of: date,
    subproject_ids: list[int] | None = None,
    limit: int = CHANGE_LIMIT,
) -> dict[str, tuple[list[dict], int]]:
    """What changed after ``since`` up to ``as_of``: milestones achieved, planned dates moved,
    measurements entered (of periods up to the quarter of ``as_of``, so a dashboard filtered on
    an earlier quarter lists nothing of a later one). Each kind as (the newest ``limit`` rows,
    how many there are in all), one query per kind whatever the data size."""
    after = datetime.combine(since + timedelta(days=1), time.min)
    until = datetime.combine(as_of + timedelta(days=1), time.min)
    scoped = subproject_ids is not None
    params = {
        "programme_id": programme_id,
        "since": since,
        "as_of": as_of,
        "after": after,
        "until": until,
        "quarter": str(Quarter.of(as_of)),
        "subproject_ids": subproject_ids,
    }
    result = {}
    for kind, columns in COLUMNS.items():
        rows = column_rows(_query(kind, scoped, limit), **params)
        count = int(rows[0].total) if rows else 0
        result[kind] = ([dict(zip(columns, tuple(row)[:-1], strict=True)) for row in rows], count)
    return result


COLUMNS = {
    "achieved": ["id", "subproject_id", "title", "achieved_on", "baseline_date"],
    "moved": ["id", "subproject_id", "title", "from_date", "to_date", "reason", "changed_at"],
    "measured": [
        "id",
        "subproject_id",
        "name",
        "unit",
        "period",
        "value",
        "entered_at",
        "counted_value",
        "override_reason",
        "entered_by",
    ],
}


@prepared
def _query(kind: str, scoped: bool, limit: int):
    """The newest ``limit`` changes of a kind, each with how many there are in all."""
    total = func.count().over().label("total")
    if kind == "achieved":
        return (
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
                Subproject.programme_id == param("programme_id"),
                Milestone.achieved_on > param("since"),
                Milestone.achieved_on <= param("as_of"),
                in_scope(Milestone.subproject_id, scoped),
            )
            .order_by(Milestone.achieved_on.desc(), Milestone.id.desc())
            .limit(limit)
        )
    if kind == "moved":
        return (
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
                Subproject.programme_id == param("programme_id"),
                MilestoneDateChange.changed_at >= param("after"),
                MilestoneDateChange.changed_at < param("until"),
                in_scope(Milestone.subproject_id, scoped),
            )
            .order_by(MilestoneDateChange.changed_at.desc(), MilestoneDateChange.id.desc())
            .limit(limit)
        )
    in_subprojects = in_scope(Indicator.subproject_id, scoped)
    return (
        select(
            Measurement.id,
            Indicator.subproject_id,
            Indicator.name,
            Indicator.unit,
            Measurement.period,
            Measurement.value,
            Measurement.entered_at,
            Measurement.counted_value,
            Measurement.override_reason,
            User.name,
            total,
        )
        .join(Indicator, Indicator.id == Measurement.indicator_id)
        .outerjoin(User, User.id == Measurement.entered_by_id)
        .where(
            Indicator.programme_id == param("programme_id"),
            Measurement.entered_at >= param("after"),
            Measurement.entered_at < param("until"),
            Measurement.period <= param("quarter"),
            in_subprojects if scoped else or_(Indicator.subproject_id.is_(None), in_subprojects),
        )
        .order_by(Measurement.entered_at.desc(), Measurement.id.desc())
        .limit(limit)
    )
