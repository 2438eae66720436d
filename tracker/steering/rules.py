"""The steering group's rules: when a subproject owes an exception report, what it must say,
and which milestones and indicators deviate beyond the programme's tolerances.

Plain Python on plain values, so the quarter form, the dashboard and the meeting agenda apply the
same rules and tests need no database.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from tracker.vocabulary import N_

EXCEPTION_RAGS = ("amber", "red")
DEFAULT_SLIP_DAYS = 0
DEFAULT_POINTS_BELOW = 10
MAX_SLIP_DAYS = 365
MAX_POINTS_BELOW = 100

# The fields an exception report must fill, in the order the form shows them.
REQUIRED_FIELDS = (
    "cause",
    "consequence_time",
    "consequence_result",
    "consequence_money",
    "measure",
    "measure_owner",
    "measure_due",
)

# Why a milestone is listed: its kind, in order of urgency.
OVERDUE = "overdue"
FORECAST_LATE = "forecast_late"
MOVED = "moved"
DEVIATION_LABELS = {
    OVERDUE: N_("past its planned date"),
    FORECAST_LATE: N_("forecast after its planned date"),
    MOVED: N_("moved past its baseline date"),
}


@dataclass(frozen=True)
class Tolerances:
    """What a programme accepts before a deviation needs explaining: days a milestone may slip
    and percentage points an indicator may lag its expected trajectory."""

    slip_days: int = DEFAULT_SLIP_DAYS
    points_below: int = DEFAULT_POINTS_BELOW


def needs_exception_report(lead_rag: str | None, computed_rag: str | None) -> bool:
    """Amber or red, whether the lead says so or the milestones and indicators do."""
    return lead_rag in EXCEPTION_RAGS or computed_rag in EXCEPTION_RAGS


def missing_fields(report: Mapping[str, object]) -> list[str]:
    """The required fields of an exception report left empty (blank text counts as empty)."""
    missing = []
    for name in REQUIRED_FIELDS:
        value = report.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            missing.append(name)
    return missing


def is_blank(report: Mapping[str, object]) -> bool:
    return len(missing_fields(report)) == len(REQUIRED_FIELDS)


@dataclass(frozen=True)
class MilestoneDeviation:
    kind: str
    days: int


def milestone_deviation(
    planned_date: date,
    baseline_date: date,
    forecast_date: date | None,
    achieved_on: date | None,
    as_of: date,
    tolerances: Tolerances,
) -> MilestoneDeviation | None:
    """The most urgent way an open milestone is late beyond tolerance, with the days, or None.

    Overdue counts from the day after the planned date; a forecast counts against the planned
    date; a move counts against the baseline, the date the steering group agreed to.
    """
    if achieved_on is not None and achieved_on <= as_of:
        return None
    candidates = [
        (OVERDUE, (as_of - planned_date).days),
        (FORECAST_LATE, (forecast_date - planned_date).days if forecast_date else 0),
        (MOVED, (planned_date - baseline_date).days),
    ]
    for kind, days in candidates:
        if days > 0 and days > tolerances.slip_days:
            return MilestoneDeviation(kind, days)
    return None


def points_below(progress: float | None, expected: float | None) -> float | None:
    """How many percentage points an indicator lags its expected progress (negative: ahead)."""
    if progress is None or expected is None or math.isnan(progress) or math.isnan(expected):
        return None
    return round((expected - progress) * 100, 1)


def indicator_deviates(progress: float | None, expected: float | None, tolerances: Tolerances):
    """Whether an indicator lags its trajectory by more than the tolerated points."""
    lag = points_below(progress, expected)
    return lag is not None and lag > tolerances.points_below


def rag_change(previous: str | None, current: str | None) -> bool:
    """Whether a status moved between two quarters; a first status counts as a change when it
    needs attention."""
    if current is None:
        return False
    if previous is None:
        return current in EXCEPTION_RAGS
    return previous != current


def not_reported(subproject_ids: Iterable[int], reported: Iterable[int]) -> list[int]:
    """The subprojects without a quarterly update, in the order given."""
    done = set(reported)
    return [i for i in subproject_ids if i not in done]


def judged_on(quarter_start: date, quarter_end: date, today: date) -> date:
    """The day a quarter is judged by: today while it runs, else its last day."""
    return today if quarter_start <= today <= quarter_end else quarter_end
