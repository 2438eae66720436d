"""Submissions of quarterly updates and each programme's season settings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.quarters.lock import QuarterLocked
from tracker.season import rules


class Submission(QuarterLocked, db.Model):
    """Where the update of a subproject for a quarter stands: who submitted it when, who
    approved or returned it when, and the manager's comment on a return. No record: concept.
    Frozen with its quarter once that quarter is closed."""

    __tablename__ = "submission"
    __programme_via__ = "subproject"
    __quarter_attribute__ = "quarter"
    __table_args__ = (
        UniqueConstraint("subproject_id", "quarter"),
        CheckConstraint("quarter LIKE '____-Q_'", name="quarter"),
        CheckConstraint("state IN ('draft', 'submitted', 'approved', 'returned')", name="state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subproject_id: Mapped[int] = mapped_column(ForeignKey("subproject.id"), index=True)
    quarter: Mapped[str] = mapped_column(String(7))
    state: Mapped[str] = mapped_column(String(20), default="draft")
    comment: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime | None]
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # How many times it was returned: each return mails its lead once (tracker/mail's key).
    returns: Mapped[int] = mapped_column(default=0)
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    subproject: Mapped[Subproject] = relationship()  # noqa: F821
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])  # noqa: F821
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])  # noqa: F821


class SeasonSetting(db.Model):
    """A programme's due date (days after a quarter ends) and when reminders start."""

    __tablename__ = "season_setting"
    __table_args__ = (
        CheckConstraint(f"due_days BETWEEN 0 AND {rules.MAX_DUE_DAYS}", name="due_days"),
        CheckConstraint(
            f"reminder_days BETWEEN 0 AND {rules.MAX_REMINDER_DAYS}", name="reminder_days"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id"), unique=True)
    due_days: Mapped[int] = mapped_column(default=rules.DEFAULT_DUE_DAYS)
    reminder_days: Mapped[int] = mapped_column(default=rules.DEFAULT_REMINDER_DAYS)
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    programme: Mapped[Programme] = relationship()  # noqa: F821
