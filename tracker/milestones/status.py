"""Milestone status rules, as at a given date. Knows nothing of Flask or the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from tracker.i18n import gettext
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


class SlipKind(StrEnum):
    """What a milestone's slip is measured by, said beside the number."""

    MOVED = "moved"
    FORECAST = "forecast"
    OVERDUE = "overdue"
    LATE = "late"

    @property
    def label(self) -> str:
        return gettext(_SLIP_LABELS[self])

    @classmethod
    def labels(cls) -> dict[str, str]:
        return {kind.value: kind.label for kind in cls}


_SLIP_LABELS = {
    SlipKind.MOVED: N_("planned date moved"),
    SlipKind.FORECAST: N_("forecast later than planned"),
    SlipKind.OVERDUE: N_("planned date passed, not achieved"),
    SlipKind.LATE: N_("achieved late"),
}


def slip(facts: MilestoneFacts, as_of: date) -> tuple[int, SlipKind | None]:
    """Days the milestone runs behind its baseline date (the commitment the steering group
    agreed to) as known on ``as_of``, and what shows it.

    An achievement known by then counts as it happened (achieved 50 days late is a slip of 50,
    whatever the planned date says). Otherwise the latest of: the planned date, a forecast later
    than it, and, once the planned date has passed, ``as_of`` itself. A negative slip is a
    planned date moved earlier; no slip has no kind.
    """
    baseline = facts.baseline_date
    if facts.achieved_on is not None and facts.achieved_on <= as_of:
        days = (facts.achieved_on - baseline).days
        return days, SlipKind.LATE if days > 0 else None
    candidates = [((facts.planned_date - baseline).days, SlipKind.MOVED)]
    if facts.forecast_date is not None and facts.forecast_date > facts.planned_date:
        candidates.append(((facts.forecast_date - baseline).days, SlipKind.FORECAST))
    if facts.planned_date < as_of:
        candidates.append(((as_of - baseline).days, SlipKind.OVERDUE))
    days, kind = max(candidates, key=lambda candidate: candidate[0])
    return days, kind if days else None


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


def assess(
    baseline_date: date,
    planned_date: date,
    forecast_date: date | None,
    achieved_on: date | None,
    at_risk: bool,
    as_of: date,
) -> tuple[int, SlipKind | None, MilestoneStatus]:
    """``(*slip(facts, as_of), milestone_status(facts, as_of))`` in one pass over plain values:
    the queries judge thousands of milestones per request, and building a ``MilestoneFacts``
    and a list of candidates per milestone cost more than the rules themselves. The two rules
    above stay the definition; ``tests/milestones`` checks that this agrees with them."""
    if achieved_on is not None and achieved_on <= as_of:
        days = (achieved_on - baseline_date).days
        on_time = achieved_on <= baseline_date
        return (
            days,
            SlipKind.LATE if days > 0 else None,
            ACHIEVED_ON_TIME if on_time else ACHIEVED_LATE,
        )
    days, kind = (planned_date - baseline_date).days, SlipKind.MOVED
    forecast_late = forecast_date is not None and forecast_date > planned_date
    if forecast_late:
        forecast_days = (forecast_date - baseline_date).days
        if forecast_days > days:
            days, kind = forecast_days, SlipKind.FORECAST
    if planned_date < as_of:
        overdue_days = (as_of - baseline_date).days
        if overdue_days > days:
            days, kind = overdue_days, SlipKind.OVERDUE
        status = OVERDUE
    elif at_risk or forecast_late:
        status = AT_RISK
    else:
        status = ON_TRACK
    return days, kind if days else None, status


def is_achieved(status: str) -> bool:
    return status in (ACHIEVED_ON_TIME, ACHIEVED_LATE)
