from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from tracker.extensions import db
from tracker.timeutil import utcnow


class SecurityEvent(db.Model):
    """One event of the security log; append-only, removed only by the retention purge.

    ``user_id`` is who acted (the user logged in, or whose log-in it was); ``account`` the
    email address of the account concerned, kept as text so the entry still reads after the
    user is deleted. Not in the audit trail: these are not changes to records."""

    __tablename__ = "security_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    outcome: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    account: Mapped[str | None] = mapped_column(String(254))
    address: Mapped[str] = mapped_column(String(64), default="")
    path: Mapped[str] = mapped_column(String(300), default="")
    detail: Mapped[str] = mapped_column(String(500), default="")
