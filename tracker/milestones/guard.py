"""What of a milestone its viewer may still change, read from the closed quarters and the
approved updates (the rules are :mod:`tracker.milestones.freeze`).

A milestone achieved in a closed quarter is part of that quarter's archived report: it is read
only for everyone, like the quarter's page. The status fields an approved update reported are
read only for the subproject's lead, like the approved quarter page; the programme manager may
still correct them. The pages show both as text, and a save from a page opened earlier is
refused with the reason beside the form, keeping what was typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tracker.editing import Invalid
from tracker.errors import refuse
from tracker.i18n import gettext as _
from tracker.milestones import freeze
from tracker.milestones.models import Milestone
from tracker.quarters import Quarter
from tracker.quarters.lock import Closure, QuarterClosed, closed_quarters, closure
from tracker.season import queries as season_queries
from tracker.season import rules as season_rules
from tracker.season.services import approved_message


class UpdateApproved(Invalid):
    """A lead's change to what an approved quarterly update reported about a milestone."""

    def __init__(self, field: str, quarter: Quarter):
        super().__init__(field, approved_message(quarter))


@dataclass(frozen=True)
class Guard:
    """``closed``: the closing of the quarter the milestone was achieved in (all is read only);
    ``frozen``: the status fields an approved update reported, read only for this viewer;
    ``frozen_by``: the approved quarters whose updates reported them."""

    closed: Closure | None
    season: Quarter
    approved: frozenset[Quarter]
    frozen: tuple[str, ...]
    frozen_by: tuple[Quarter, ...]

    @property
    def approved_notices(self) -> list[str]:
        """Why the frozen fields are shown as text: one sentence per approved quarter."""
        return [approved_message(quarter) for quarter in self.frozen_by]

    def check(self, milestone: Milestone | None, data: dict) -> None:
        """Refuse a save the closed quarter or an approved update does not allow. A new
        milestone may not be dated as achieved in a quarter whose update was approved (the
        closed quarters refuse it themselves, :class:`tracker.quarters.lock.QuarterLocked`)."""
        if milestone is None:
            achieved = freeze.achievement_quarter(data.get("achieved_on"))
            if achieved in self.approved:
                raise UpdateApproved("achieved_on", achieved)
            return
        if self.closed is not None:
            moved = data.get("achieved_on", milestone.achieved_on) != milestone.achieved_on
            raise QuarterClosed(self.closed.quarter, field="achieved_on" if moved else "")
        before = {field: getattr(milestone, field) for field in freeze.STATUS_FIELDS}
        after = {
            field: value.strip() if isinstance(value, str) else value
            for field, value in data.items()
            if field in freeze.STATUS_FIELDS
        }
        found = freeze.approved_change(before, after, self.season, set(self.approved))
        if found is not None:
            raise UpdateApproved(*found)

    def refuse_delete(self, milestone: Milestone) -> None:
        """Stop a deletion that would take an achievement away from the quarter that reported
        it, with the page that says why (409)."""
        if self.closed is not None:
            raise QuarterClosed(self.closed.quarter, field="achieved_on")
        achieved = freeze.achievement_quarter(milestone.achieved_on)
        if achieved in self.approved:
            refuse(409, _("Update approved"), approved_message(achieved))


def guard_for(
    user, milestone: Milestone | None, today: date, subproject_id: int | None = None
) -> Guard:
    """The guard of ``milestone`` for ``user``, or of a new milestone of ``subproject_id``: two
    queries at most."""
    season = season_rules.season_quarter(today)
    if milestone is None:
        approved: frozenset[Quarter] = frozenset()
        if user.role == "lead" and subproject_id is not None:
            approved = frozenset(season_queries.approved_quarters(subproject_id))
        return Guard(None, season, approved, (), ())
    achieved = freeze.achievement_quarter(milestone.achieved_on)
    closed = closure(milestone.subproject.programme_id, achieved) if achieved else None
    approved = frozenset()
    if user.role == "lead":  # the manager and the admin may still correct an approved update
        approved = frozenset(season_queries.approved_quarters(milestone.subproject_id))
    frozen = freeze.frozen_fields(milestone.achieved_on, season, set(approved))
    frozen_by = sorted(
        {freeze.reporting_quarter(field, milestone.achieved_on, season) for field in frozen}
    )
    return Guard(closed, season, approved, frozen, tuple(frozen_by))


def closed_milestone_ids(programme_id: int, milestones: list[dict]) -> set[int]:
    """The milestones (rows with ``id`` and ``achieved_on``) achieved in a closed quarter of the
    programme, which no one may edit or delete any more: one query."""
    closed = set(closed_quarters(programme_id))
    return {
        row["id"]
        for row in milestones
        if isinstance(row["achieved_on"], date)
        and str(freeze.achievement_quarter(row["achieved_on"])) in closed
    }
