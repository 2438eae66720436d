from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.timeutil import utcnow


class ClosedQuarter(db.Model):
    """A quarter the steering group approved: its report data and PDF, frozen.

    The approval names the meeting and the decision of the decision log that approved the
    report. Their date, title, number and text are copied, so the record says what the cover
    says even if the decision log is edited later; the ids link to the log while the entries
    exist. ``report_version`` counts the closings of the quarter: a reopening withdraws a
    version into :class:`WithdrawnReport` and the next closing makes the next one.
    """

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
    report_version: Mapped[int] = mapped_column(default=1)
    approval_meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting.id", ondelete="SET NULL")
    )
    approval_decision_id: Mapped[int | None] = mapped_column(
        ForeignKey("decision.id", ondelete="SET NULL")
    )
    approved_on: Mapped[date | None]
    approval_meeting: Mapped[str | None] = mapped_column(String(200))
    approval_decision_number: Mapped[int | None]
    approval_decision: Mapped[str | None] = mapped_column(Text)

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


class WithdrawnReport(db.Model):
    """An approved programme report withdrawn by reopening its quarter, kept as it was.

    The steering group may have discussed or published it, so its file stays downloadable,
    marked withdrawn, with who withdrew it, when and why, and which approval it carried.
    """

    __tablename__ = "withdrawn_report"
    __table_args__ = (
        UniqueConstraint("programme_id", "quarter", "report_version"),
        CheckConstraint("quarter LIKE '____-Q_'", name="quarter"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id"), index=True)
    quarter: Mapped[str] = mapped_column(String(7))
    report_version: Mapped[int]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    closed_at: Mapped[datetime]
    approved_on: Mapped[date | None]
    approval_meeting: Mapped[str | None] = mapped_column(String(200))
    approval_decision_number: Mapped[int | None]
    approval_decision: Mapped[str | None] = mapped_column(Text)
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    withdrawn_at: Mapped[datetime] = mapped_column(default=utcnow)
    reason: Mapped[str] = mapped_column(Text)
    pdf: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    pdf_sha256: Mapped[str] = mapped_column(String(64))
