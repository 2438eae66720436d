from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

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
    # Loaded only when the archived report itself is served: the reports page, the reopen page,
    # subproject reports and exports read the row but not its (up to megabytes of) PDF.
    pdf: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    pdf_sha256: Mapped[str] = mapped_column(String(64))

    subproject_reports: Mapped[list[ClosedSubprojectReport]] = relationship(
        back_populates="closed_quarter", cascade="all, delete-orphan", passive_deletes=True
    )


class ClosedSubprojectReport(db.Model):
    """One subproject's report of a closed quarter, archived when it is first downloaded.

    Made from the closed quarter's snapshot and then kept, so that like the programme report it
    is the same file byte for byte from then on, whatever changes in the data or the software.
    Not made at closing: with many subprojects that would keep the closing request waiting for
    minutes. Reopening the quarter deletes these with it.
    """

    __tablename__ = "closed_subproject_report"
    __table_args__ = (UniqueConstraint("closed_quarter_id", "subproject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    closed_quarter_id: Mapped[int] = mapped_column(
        ForeignKey("closed_quarter.id", ondelete="CASCADE"), index=True
    )
    subproject_id: Mapped[int] = mapped_column(ForeignKey("subproject.id"))
    archived_at: Mapped[datetime] = mapped_column(default=utcnow)
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    pdf_sha256: Mapped[str] = mapped_column(String(64))

    closed_quarter: Mapped[ClosedQuarter] = relationship(back_populates="subproject_reports")
