"""What the app mailed to whom, and who asked for no reminders."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from tracker.extensions import db
from tracker.timeutil import utcnow


class SentMail(db.Model):
    """One mail sent. The unique keys make sending idempotent: a second run of the daily
    reminders, or a job retried, finds the row and sends nothing. ``occasion`` tells apart
    mails that may rightly repeat (the second return of the same update)."""

    __tablename__ = "sent_mail"
    __table_args__ = (
        UniqueConstraint("kind", "user_id", "subproject_id", "quarter", "occasion"),
        # A mail about the programme as a whole has no subproject; NULLs are distinct in a
        # unique constraint, so it has a partial index of its own.
        Index(
            "uq_sent_mail_programme",
            "kind",
            "user_id",
            "programme_id",
            "quarter",
            "occasion",
            unique=True,
            sqlite_where=text("subproject_id IS NULL"),
            postgresql_where=text("subproject_id IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id"))
    subproject_id: Mapped[int | None] = mapped_column(ForeignKey("subproject.id"))
    quarter: Mapped[str] = mapped_column(String(7))
    occasion: Mapped[int] = mapped_column(default=0)
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReminderOptOut(db.Model):
    """A user who switched reminder mails off on their account page."""

    __tablename__ = "reminder_opt_out"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    since: Mapped[datetime] = mapped_column(default=utcnow)
