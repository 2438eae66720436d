"""Built reports and quarters being closed: the state the report jobs share with the web workers.

Kept in the database so that every worker and every host sees the same: a report built once is
served by all of them, and a page can show the progress of a job that another process runs.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import CheckConstraint, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tracker.extensions import db
from tracker.timeutil import utcnow

QUEUED = "queued"
BUILDING = "building"
READY = "ready"
FAILED = "failed"
WAITING = (QUEUED, BUILDING)


class StoredReport(db.Model):
    """One quarterly report PDF, built once for its input (``input_hash``: the snapshot data,
    the report's kind, subproject and variant, and the software that draws it), or the job that
    is building it. A request for the same input is served these bytes, from any worker."""

    __tablename__ = "stored_report"
    __table_args__ = (
        CheckConstraint("status IN ('queued', 'building', 'ready', 'failed')", name="status"),
        CheckConstraint("quarter LIKE '____-Q_'", name="quarter"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    input_hash: Mapped[str] = mapped_column(String(64), unique=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"))
    subproject_id: Mapped[int | None] = mapped_column(
        ForeignKey("subproject.id", ondelete="CASCADE")
    )
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    quarter: Mapped[str] = mapped_column(String(7))
    variant: Mapped[str] = mapped_column(String(20))  # pdf.CONCEPT, pdf.FINAL or a steering pack
    status: Mapped[str] = mapped_column(String(10), default=QUEUED)
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    built_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(Text)
    # Loaded only when the report itself is served: status checks read the row without it.
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))

    def lost(self, now: datetime, timeout: timedelta) -> bool:
        """Waiting longer than any build takes: its consumer died or its job was dropped."""
        return self.status in WAITING and now - self.requested_at > timeout


class QuarterClosing(db.Model):
    """A quarter whose closing job is queued or running (or failed, with ``error``): the
    reports page shows it as being closed, and a second request is refused."""

    __tablename__ = "quarter_closing"
    __table_args__ = (
        UniqueConstraint("programme_id", "quarter"),
        CheckConstraint("quarter LIKE '____-Q_'", name="quarter"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"))
    quarter: Mapped[str] = mapped_column(String(7))
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    error: Mapped[str | None] = mapped_column(Text)
    # The decision of the steering group that approved the report, chosen by the manager.
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decision.id", ondelete="SET NULL"))

    def lost(self, now: datetime, timeout: timedelta) -> bool:
        return self.error is None and now - self.requested_at > timeout
