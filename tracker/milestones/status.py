"""Milestone status rules, as at a given date. Knows nothing of Flask or the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tracker.vocabulary import N_, RichStrEnum, Tone


class MilestoneStatus(RichStrEnum):
    ACHIEVED_ON_TIME = "achieved_on_time", N_("Achieved on time"), "✔", Tone.GREEN, "star", "", 4
    ACHIEVED_LATE = "achieved_late", N_("Achieved late"), "✔", Tone.BLUE, "star-open", ".", 2
    ON_TRACK = "on_track", N_("On track"), "●", Tone.GREEN, "circle", "", 3
    AT_RISK = "at_risk", N_("At risk"), "▲", Tone.AMBER, "triangle-up", "/", 1
    OVERDUE = "overdue", N_("Overdue"), "✖", Tone.RED, "x", "x", 0


ACHIEVED_ON_TIME = MilestoneStatus.ACHIEVED_ON_TIME
ACHIEVED_LATE = MilestoneStatus.ACHIEVED_LATE
OVERDUE = MilestoneStatus.OVERDUE
AT_RISK = MilestoneStatus.AT_RISK
ON_TRACK = MilestoneStatus.ON_TRACK

STATUSES = tuple(MilestoneStatus)


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


def milestone_status(facts: MilestoneFacts, as_of: date) -> MilestoneStatus:
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
