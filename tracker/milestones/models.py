from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.quarters.lock import QuarterLocked
from tracker.timeutil import utcnow


class Milestone(QuarterLocked, db.Model):
    """A result to reach by a date. ``baseline_date`` is the first planned date and never moves.

    Its achievement belongs to the quarter it is dated in: once that quarter is closed, the
    achievement date cannot be set into it, moved out of it or cleared.
    """

    __tablename__ = "milestone"
    __programme_via__ = "subproject"
    __quarter_attribute__ = "achieved_on"
    __locked_fields__ = ("achieved_on",)

    id: Mapped[int] = mapped_column(primary_key=True)
    subproject_id: Mapped[int] = mapped_column(ForeignKey("subproject.id"), index=True)
    action_id: Mapped[int | None] = mapped_column(ForeignKey("action.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    baseline_date: Mapped[date]
    planned_date: Mapped[date]
    forecast_date: Mapped[date | None]
    achieved_on: Mapped[date | None]
    at_risk: Mapped[bool] = mapped_column(default=False)
    evidence: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    subproject: Mapped[Subproject] = relationship()  # noqa: F821
    action: Mapped[Action | None] = relationship()  # noqa: F821
    date_changes: Mapped[list[MilestoneDateChange]] = relationship(
        back_populates="milestone", order_by="MilestoneDateChange.changed_at"
    )


class MilestoneDateChange(db.Model):
    """Each move of a milestone's planned date: from, to, who, when and why."""

    __tablename__ = "milestone_date_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    milestone_id: Mapped[int] = mapped_column(ForeignKey("milestone.id"), index=True)
    from_date: Mapped[date]
    to_date: Mapped[date]
    reason: Mapped[str] = mapped_column(Text)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)

    milestone: Mapped[Milestone] = relationship(back_populates="date_changes")
    changed_by: Mapped[User | None] = relationship()  # noqa: F821
