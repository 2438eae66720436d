"""Writes to indicators and measurements.

Every write of a measurement goes through ``record_measurement``, so a rule about which quarters
may still change has one place to go.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager

from tracker.audit.recorder import record_link_change
from tracker.editing import Invalid
from tracker.extensions import db
from tracker.i18n import gettext as _
from tracker.i18n import ngettext
from tracker.indicators import freshness
from tracker.indicators.models import Indicator, Measurement, indicator_sources
from tracker.quarters import Quarter
from tracker.quarters.lock import ensure_quarter_open
from tracker.timeutil import utcnow

INDICATOR_FIELDS = (
    "name",
    "unit",
    "definition",
    "source",
    "direction",
    "baseline_value",
    "baseline_date",
    "target_value",
    "target_date",
    "frequency",
    "rollup",
)


def _apply_fields(indicator: Indicator, data: dict) -> None:
    for key in INDICATOR_FIELDS:
        value = data[key]
        setattr(indicator, key, value.strip() if isinstance(value, str) else value)
    month = data.get("publication_month")
    yearly = indicator.frequency == freshness.YEARLY
    indicator.publication_month = int(month) if yearly and month else None


def _refuse_entered_values(indicator: Indicator | None, counted_from: str | None) -> None:
    """Values typed by hand are never overwritten by a count: delete them first."""
    if not counted_from or indicator is None or indicator.counted:
        return
    count = _measurement_count(indicator)
    if count:
        raise Invalid(
            "counted_from",
            ngettext(
                "This indicator has %(num)d entered value; a counted indicator has none. "
                "Delete it first, or make a new indicator.",
                "This indicator has %(num)d entered values; a counted indicator has none. "
                "Delete them first, or make a new indicator.",
                count,
            ),
        )


def _apply_count(indicator: Indicator, data: dict) -> None:
    indicator.counted_from = data.get("counted_from") or None
    municipality_id = data.get("counted_municipality_id")
    indicator.counted_municipality_id = municipality_id if indicator.counted_from else None


def save_indicator(indicator: Indicator | None, subproject, data: dict) -> Indicator:
    _refuse_entered_values(indicator, data.get("counted_from") or None)
    if indicator is None:
        indicator = Indicator(programme_id=subproject.programme_id, subproject_id=subproject.id)
        db.session.add(indicator)
    _apply_fields(indicator, data)
    _apply_count(indicator, data)
    return indicator


def save_programme_indicator(
    indicator: Indicator | None, programme_id: int, data: dict, sources: list[Indicator]
) -> Indicator:
    """Create or change an indicator of the programme itself, computed from ``sources`` when
    ``data["aggregation"]`` is set. Entered values and a computed rule exclude each other."""
    aggregation = data["aggregation"] or None
    if aggregation and indicator is not None and not indicator.computed:
        count = _measurement_count(indicator)
        if count:
            raise Invalid(
                "aggregation",
                ngettext(
                    "This indicator has %(num)d entered value; a computed indicator has none. "
                    "Delete it first, or make a new indicator.",
                    "This indicator has %(num)d entered values; a computed indicator has none. "
                    "Delete them first, or make a new indicator.",
                    count,
                ),
            )
    _refuse_entered_values(indicator, data.get("counted_from") or None)
    if indicator is None:
        indicator = Indicator(programme_id=programme_id, subproject_id=None)
        db.session.add(indicator)
    _apply_fields(indicator, data)
    _apply_count(indicator, data)
    indicator.aggregation = aggregation
    _set_sources(indicator, sources if aggregation else [])
    return indicator


def _source_names(indicators) -> str:
    return "; ".join(sorted(f"{i.subproject.code} {i.name}" for i in indicators))


def _set_sources(indicator: Indicator, sources: list[Indicator]) -> None:
    if {i.id for i in indicator.sources} == {i.id for i in sources}:
        return
    before = _source_names(indicator.sources)
    indicator.sources = list(sources)
    db.session.flush()
    record_link_change(db.session, indicator, "sources", before, _source_names(sources))


def source_choices(programme_id: int) -> list[Indicator]:
    """The subproject indicators a programme indicator may be computed from, by subproject."""
    from tracker.projects.models import Subproject

    return list(
        db.session.scalars(
            select(Indicator)
            .join(Subproject, Subproject.id == Indicator.subproject_id)
            .where(Indicator.programme_id == programme_id)
            .options(contains_eager(Indicator.subproject))
            .order_by(Subproject.code, Indicator.name)
        )
    )


def _measurement_count(indicator: Indicator) -> int:
    return db.session.scalar(
        select(func.count(Measurement.id)).where(Measurement.indicator_id == indicator.id)
    )


def indicator_dependents(indicator: Indicator) -> list[str]:
    count = _measurement_count(indicator)
    users = db.session.scalar(
        select(func.count()).where(indicator_sources.c.source_id == indicator.id)
    )
    found = []
    if count:
        found.append(ngettext("%(num)d measurement", "%(num)d measurements", count))
    if users:
        found.append(
            ngettext(
                "%(num)d programme indicator is computed from it",
                "%(num)d programme indicators are computed from it",
                users,
            )
        )
    return found


def refuse_computed(indicator: Indicator) -> None:
    """A computed or counted indicator's values are made, never typed."""
    if indicator.counted:
        raise Invalid(
            "value",
            _(
                "This indicator is counted from events; its values cannot be typed. Record "
                "the attendance on the events, or adjust a count with a reason on the "
                "indicator's page."
            ),
        )
    if indicator.computed:
        raise Invalid(
            "value",
            _("This indicator is computed from subproject indicators; its values cannot be typed."),
        )


def record_measurement(
    indicator_id: int,
    period: Quarter,
    value: float,
    *,
    note: str = "",
    source: str = "",
    user_id: int | None = None,
    measurement: Measurement | None = None,
) -> Measurement:
    """Enter or change the value of ``period``: the one way measurements are written.

    Without ``measurement`` the period must not have a value yet (change that one instead).
    A closed quarter refuses (:class:`~tracker.quarters.lock.QuarterClosed`, an ``Invalid`` of
    the period field), both as the period written and as the period a value moves away from;
    so does a computed indicator, whose values nobody types.
    """

    indicator = db.session.get(Indicator, indicator_id)
    if indicator is not None:
        refuse_computed(indicator)
        ensure_quarter_open(indicator.programme_id, str(period))
        if measurement is not None and measurement.period and measurement.period != str(period):
            ensure_quarter_open(indicator.programme_id, measurement.period)
    existing = db.session.scalar(
        select(Measurement).where(
            Measurement.indicator_id == indicator_id, Measurement.period == str(period)
        )
    )
    if existing is not None and existing is not measurement:
        raise Invalid("period", _("This quarter already has a value: change that one instead."))
    if measurement is None:
        measurement = Measurement(indicator_id=indicator_id)
        db.session.add(measurement)
    measurement.period = str(period)
    measurement.value = value
    measurement.note = (note or "").strip()
    measurement.source = (source or "").strip()
    if measurement in db.session.new or db.session.is_modified(measurement):
        # Saved unchanged, a value keeps who entered it and when.
        measurement.entered_by_id = user_id
        measurement.entered_at = utcnow()
    return measurement


def sources_of(indicator: Indicator) -> list[Indicator]:
    """The subproject indicators ``indicator`` is computed from, with their subprojects."""
    from tracker.projects.models import Subproject

    return list(
        db.session.scalars(
            select(Indicator)
            .join(indicator_sources, indicator_sources.c.source_id == Indicator.id)
            .join(Subproject, Subproject.id == Indicator.subproject_id)
            .where(indicator_sources.c.indicator_id == indicator.id)
            .options(contains_eager(Indicator.subproject))
            .order_by(Subproject.code, Indicator.name)
        )
    )
