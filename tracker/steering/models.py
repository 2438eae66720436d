"""Meetings of the steering group, their decisions, and the exception reports leads write."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.quarters import Quarter
from tracker.quarters.lock import QuarterLocked
from tracker.timeutil import utcnow


def _quarter_before_meeting(context) -> str:
    """A meeting discusses the quarter that ended last before it, unless told otherwise."""
    held_on = context.get_current_parameters()["held_on"]
    return str(Quarter.of(held_on).previous())


class Meeting(db.Model):
    """A steering-group meeting; ``notes`` holds its minutes, ``quarter`` the quarter whose
    report it discusses (the agenda is drafted from it)."""

    __tablename__ = "meeting"
    __table_args__ = (CheckConstraint("quarter LIKE '____-Q_'", name="quarter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id"), index=True)
    held_on: Mapped[date]
    title: Mapped[str] = mapped_column(String(200))
    quarter: Mapped[str] = mapped_column(String(7), default=_quarter_before_meeting)
    attendees: Mapped[str] = mapped_column(Text, default="")
    agenda: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    programme: Mapped[Programme] = relationship()  # noqa: F821
    decisions: Mapped[list[Decision]] = relationship(
        back_populates="meeting", order_by="Decision.number"
    )


class Decision(db.Model):
    """An entry of the decision log (besluitenlijst): what was decided, who carries it out by
    when, how far it is, which subprojects it concerns and which lead's request it answers."""

    __tablename__ = "decision"
    __table_args__ = (
        UniqueConstraint("meeting_id", "number"),
        CheckConstraint("status IN ('open', 'in_progress', 'completed', 'lapsed')", name="status"),
        CheckConstraint(
            "answer IS NULL OR answer IN ('taken', 'rejected', 'postponed')", name="answer"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id"), index=True)
    number: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200), default="")
    due_date: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(20), default="open")
    request_id: Mapped[int | None] = mapped_column(ForeignKey("quarterly_update.id"), index=True)
    answer: Mapped[str | None] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    meeting: Mapped[Meeting] = relationship(back_populates="decisions")
    request: Mapped[QuarterlyUpdate | None] = relationship()  # noqa: F821
    subproject_links: Mapped[list[DecisionSubproject]] = relationship(
        back_populates="decision", cascade="all, delete-orphan"
    )
    subprojects: Mapped[list[Subproject]] = relationship(  # noqa: F821
        secondary="decision_subproject", viewonly=True, order_by="Subproject.code"
    )
    follow_up_actions: Mapped[list[Action]] = relationship(  # noqa: F821
        back_populates="decision", order_by="Action.due_date"
    )


class DecisionSubproject(db.Model):
    """A subproject a decision concerns: a record of its own so the audit trail sees it."""

    __tablename__ = "decision_subproject"
    __table_args__ = (UniqueConstraint("decision_id", "subproject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(
        ForeignKey("decision.id", ondelete="CASCADE"), index=True
    )
    subproject_id: Mapped[int] = mapped_column(ForeignKey("subproject.id"), index=True)

    decision: Mapped[Decision] = relationship(back_populates="subproject_links")
    subproject: Mapped[Subproject] = relationship()  # noqa: F821


class RequestAdvice(db.Model):
    """The programme manager's advice to the steering group on what a lead asked: a record of its
    own, because the request sits in a quarterly update that closing its quarter locks."""

    __tablename__ = "request_advice"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("quarterly_update.id", ondelete="CASCADE"), unique=True
    )
    advice: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    request: Mapped[QuarterlyUpdate] = relationship()  # noqa: F821


class ExceptionReport(QuarterLocked, db.Model):
    """The lead's explanation of an amber or red quarter (afwijkingsrapportage): cause,
    consequence for time, result and money, and the corrective measure with owner and date.
    The decision asked of the steering group stays in the quarterly update."""

    __tablename__ = "exception_report"
    __programme_via__ = "subproject"
    __quarter_attribute__ = "quarter"
    __table_args__ = (
        UniqueConstraint("subproject_id", "quarter"),
        CheckConstraint("quarter LIKE '____-Q_'", name="quarter"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subproject_id: Mapped[int] = mapped_column(ForeignKey("subproject.id"), index=True)
    quarter: Mapped[str] = mapped_column(String(7))
    cause: Mapped[str] = mapped_column(Text, default="")
    consequence_time: Mapped[str] = mapped_column(Text, default="")
    consequence_result: Mapped[str] = mapped_column(Text, default="")
    consequence_money: Mapped[str] = mapped_column(Text, default="")
    measure: Mapped[str] = mapped_column(Text, default="")
    measure_owner: Mapped[str] = mapped_column(String(200), default="")
    measure_due: Mapped[date | None]
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    subproject: Mapped[Subproject] = relationship()  # noqa: F821
