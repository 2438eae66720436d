"""Writes to milestones: the baseline date stays fixed, every move of the planned date is kept."""

from __future__ import annotations

from datetime import date

from tracker.editing import Invalid
from tracker.extensions import db
from tracker.i18n import gettext as _
from tracker.milestones.models import Milestone, MilestoneDateChange

FIELDS = (
    "title",
    "description",
    "action_id",
    "forecast_date",
    "at_risk",
    "achieved_on",
    "evidence",
)


def save_milestone(
    milestone: Milestone | None, subproject_id: int, data: dict, user_id: int | None
) -> Milestone:
    """Create a milestone (its baseline is its first planned date) or change one.

    A change of the planned date needs a reason and is recorded as a MilestoneDateChange.
    """
    planned = data["planned_date"]
    if milestone is None:
        milestone = Milestone(
            subproject_id=subproject_id, baseline_date=planned, planned_date=planned
        )
        db.session.add(milestone)
    elif planned != milestone.planned_date:
        move_planned_date(milestone, planned, data.get("reason") or "", user_id)
    for key in FIELDS:
        if key not in data:  # shown as text: an approved update froze it
            continue
        value = data[key]
        setattr(milestone, key, value.strip() if isinstance(value, str) else value)
    return milestone


def move_planned_date(milestone: Milestone, to: date, reason: str, user_id: int | None) -> None:
    if not reason.strip():
        raise Invalid("reason", _("Give a reason: the planned date moves."))
    db.session.add(
        MilestoneDateChange(
            milestone=milestone,
            from_date=milestone.planned_date,
            to_date=to,
            reason=reason.strip(),
            changed_by_id=user_id,
        )
    )
    milestone.planned_date = to


def mark_achieved(milestone: Milestone, on: date, evidence: str) -> None:
    milestone.achieved_on = on
    milestone.evidence = evidence.strip()


def delete_milestone_history(milestone: Milestone) -> None:
    """A milestone's date changes go with it (the audit trail keeps them)."""
    for change in list(milestone.date_changes):
        db.session.delete(change)
