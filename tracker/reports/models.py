from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tracker.extensions import db
from tracker.timeutil import utcnow


class ClosedQuarter(db.Model):
    """A quarter the steering group approved: its report data and PDF, frozen."""

    __tablename__ = "closed_quarter"
    __table_args__ = (
        UniqueConstraint("programme_id", "quarter"),
        CheckConstraint("quarter LIKE '____-Q_'", name="quarter"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id"), index=True)
    quarter: Mapped[str] = mapped_column(String(7))
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    closed_at: Mapped[datetime] = mapped_column(default=utcnow)
    snapshot: Mapped[dict] = mapped_column(JSON)
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    pdf_sha256: Mapped[str] = mapped_column(String(64))
