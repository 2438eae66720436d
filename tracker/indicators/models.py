from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.quarters.lock import QuarterLocked, related
from tracker.timeutil import utcnow

DIRECTIONS = ("up", "down")
ROLLUPS = ("sum", "mean", "last")
FREQUENCIES = ("quarterly", "yearly")


class Indicator(db.Model):
    """A measurement indicator of the programme (no subproject) or of one subproject."""

    __tablename__ = "indicator"
    __table_args__ = (
        CheckConstraint("direction IN ('up', 'down')", name="direction"),
        CheckConstraint("rollup IN ('sum', 'mean', 'last')", name="rollup"),
        CheckConstraint("frequency IN ('quarterly', 'yearly')", name="frequency"),
        CheckConstraint("target_date > baseline_date", name="dates"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id"), index=True)
    subproject_id: Mapped[int | None] = mapped_column(ForeignKey("subproject.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(40))
    definition: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(200), default="")
    direction: Mapped[str] = mapped_column(String(4), default="up")
    baseline_value: Mapped[float]
    baseline_date: Mapped[date]
    target_value: Mapped[float]
    target_date: Mapped[date]
    frequency: Mapped[str] = mapped_column(String(20), default="quarterly")
    rollup: Mapped[str] = mapped_column(String(4), default="last")
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    subproject: Mapped[Subproject | None] = relationship()  # noqa: F821
    measurements: Mapped[list[Measurement]] = relationship(
        back_populates="indicator", order_by="Measurement.period"
    )


class Measurement(QuarterLocked, db.Model):
    __tablename__ = "measurement"
    __quarter_attribute__ = "period"
    __table_args__ = (
        UniqueConstraint("indicator_id", "period"),
        CheckConstraint("period LIKE '____-Q_'", name="period"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id"), index=True)
    period: Mapped[str] = mapped_column(String(7))
    value: Mapped[float]
    note: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(200), default="")
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    entered_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    indicator: Mapped[Indicator] = relationship(back_populates="measurements")
    entered_by: Mapped[User | None] = relationship()  # noqa: F821

    def locked_programme_id(self) -> int | None:
        indicator = related(self, "indicator")
        return indicator.programme_id if indicator else None
