from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.indicators import freshness
from tracker.indicators import rollup as rollup_rules
from tracker.quarters.lock import QuarterLocked
from tracker.timeutil import utcnow

DIRECTIONS = ("up", "down")
ROLLUPS = ("sum", "mean", "last")
AGGREGATIONS = rollup_rules.AGGREGATIONS
FREQUENCIES = freshness.FREQUENCIES

# The subproject indicators a computed programme indicator is made of.
indicator_sources = Table(
    "indicator_source",
    db.metadata,
    Column("indicator_id", ForeignKey("indicator.id", ondelete="CASCADE"), primary_key=True),
    Column("source_id", ForeignKey("indicator.id"), primary_key=True, index=True),
)


class Indicator(db.Model):
    """A measurement indicator of the programme (no subproject) or of one subproject.

    ``frequency`` (with ``publication_month`` for a yearly source) says how often a new value is
    expected; :mod:`tracker.indicators.freshness` judges from it when a value is stale.
    A programme indicator with an ``aggregation`` is computed: per quarter, the sum, mean or
    last entered value of its ``sources`` (subproject indicators); nobody types its values.
    ``rollup`` then rolls its quarters up over time like any other indicator's.
    """

    __tablename__ = "indicator"
    __table_args__ = (
        CheckConstraint("direction IN ('up', 'down')", name="direction"),
        CheckConstraint("rollup IN ('sum', 'mean', 'last')", name="rollup"),
        CheckConstraint("frequency IN ('quarterly', 'half_yearly', 'yearly')", name="frequency"),
        CheckConstraint(
            "(frequency = 'yearly' AND publication_month BETWEEN 1 AND 12) "
            "OR (frequency <> 'yearly' AND publication_month IS NULL)",
            name="publication_month",
        ),
        CheckConstraint("target_date > baseline_date", name="dates"),
        CheckConstraint("aggregation IN ('sum', 'mean', 'last')", name="aggregation"),
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
    frequency: Mapped[str] = mapped_column(String(20), default=freshness.DEFAULT_FREQUENCY)
    # the month a yearly source publishes (DUO: 4, April); None for other frequencies
    publication_month: Mapped[int | None]
    rollup: Mapped[str] = mapped_column(String(4), default="last")
    aggregation: Mapped[str | None] = mapped_column(String(4))
    # set when the values are counted from events (tracker/events/counting.py), never typed
    counted_from: Mapped[str | None] = mapped_column(String(30))
    # a counted indicator limited to the organisations (or schools) of one municipality
    counted_municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipality.id"))
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    programme: Mapped[Programme] = relationship()  # noqa: F821
    subproject: Mapped[Subproject | None] = relationship()  # noqa: F821
    counted_municipality: Mapped[Municipality | None] = relationship()  # noqa: F821
    measurements: Mapped[list[Measurement]] = relationship(
        back_populates="indicator", order_by="Measurement.period"
    )
    sources: Mapped[list[Indicator]] = relationship(
        secondary=indicator_sources,
        primaryjoin=lambda: Indicator.id == indicator_sources.c.indicator_id,
        secondaryjoin=lambda: Indicator.id == indicator_sources.c.source_id,
        order_by=lambda: Indicator.name,
    )

    @property
    def computed(self) -> bool:
        return self.aggregation is not None

    @property
    def counted(self) -> bool:
        return self.counted_from is not None


class Measurement(QuarterLocked, db.Model):
    """One quarter's value of an indicator.

    For an indicator counted from events ``counted_value`` is the count, which the recount keeps
    current; ``value`` equals it unless someone overrode it with an ``override_reason`` (e.g.
    two companies did not sign the attendance list), which the recount then leaves alone.
    """

    __tablename__ = "measurement"
    __programme_via__ = "indicator"
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
    counted_value: Mapped[float | None]
    override_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    indicator: Mapped[Indicator] = relationship(back_populates="measurements")
    entered_by: Mapped[User | None] = relationship()  # noqa: F821

    @property
    def overridden(self) -> bool:
        return self.override_reason is not None
