"""Milestone status rules, as at a given date. Knows nothing of Flask or the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

ACHIEVED_ON_TIME = "achieved_on_time"
ACHIEVED_LATE = "achieved_late"
OVERDUE = "overdue"
AT_RISK = "at_risk"
ON_TRACK = "on_track"

STATUSES = (ACHIEVED_ON_TIME, ACHIEVED_LATE, OVERDUE, AT_RISK, ON_TRACK)


@dataclass(frozen=True)
class MilestoneFacts:
    baseline_date: date
    planned_date: date
    forecast_date: date | None = None
    achieved_on: date | None = None
    at_risk: bool = False


def slip_days(facts: MilestoneFacts) -> int:
    """Days the planned date moved from the baseline; positive means later."""
    return (facts.planned_date - facts.baseline_date).days


def milestone_status(facts: MilestoneFacts, as_of: date) -> str:
    """Status as known on ``as_of``.

    An achievement after ``as_of`` is not yet known then. Achieved counts as on time when it
    happened by the baseline date, the commitment the steering group agreed to; a milestone is
    overdue from the day after its planned date.
    """
    if facts.achieved_on is not None and facts.achieved_on <= as_of:
        if facts.achieved_on <= facts.baseline_date:
            return ACHIEVED_ON_TIME
        return ACHIEVED_LATE
    if facts.planned_date < as_of:
        return OVERDUE
    if facts.at_risk or (
        facts.forecast_date is not None and facts.forecast_date > facts.planned_date
    ):
        return AT_RISK
    return ON_TRACK


def is_achieved(status: str) -> bool:
    return status in (ACHIEVED_ON_TIME, ACHIEVED_LATE)
