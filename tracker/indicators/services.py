"""Writes to indicators and measurements.

Every write of a measurement goes through ``record_measurement``, so a rule about which quarters
may still change has one place to go.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from tracker.editing import Invalid
from tracker.extensions import db
from tracker.indicators.models import Indicator, Measurement
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


def save_indicator(indicator: Indicator | None, subproject, data: dict) -> Indicator:
    if indicator is None:
        indicator = Indicator(programme_id=subproject.programme_id, subproject_id=subproject.id)
        db.session.add(indicator)
    for key in INDICATOR_FIELDS:
        value = data[key]
        setattr(indicator, key, value.strip() if isinstance(value, str) else value)
    return indicator


def indicator_dependents(indicator: Indicator) -> list[str]:
    count = db.session.scalar(
        select(func.count(Measurement.id)).where(Measurement.indicator_id == indicator.id)
    )
    if not count:
        return []
    return [ngettext("%(num)d measurement", "%(num)d measurements", count)]


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
    the period field), both as the period written and as the period a value moves away from.
    """

    indicator = db.session.get(Indicator, indicator_id)
    if indicator is not None:
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
