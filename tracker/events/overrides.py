"""Overriding the counted value of one quarter, and withdrawing that override.

A count can miss what happened (two companies did not sign the attendance list), so the people
who keep an indicator's values may set another value with a reason. The measurement keeps both:
``value`` is what the reports use, ``counted_value`` what the events give, and the recount
(:func:`tracker.events.services.refresh_indicator`) leaves an overridden quarter's value alone.
The audit trail records every override and its withdrawal like any change to a measurement.
"""

from __future__ import annotations

from sqlalchemy import select

from tracker.events import queries
from tracker.events.services import COUNTED_SOURCE, refresh_indicator
from tracker.extensions import db
from tracker.indicators.models import Indicator, Measurement
from tracker.quarters import Quarter
from tracker.quarters.lock import ensure_quarter_open
from tracker.timeutil import utcnow


def stored(indicator: Indicator, quarter: Quarter) -> Measurement | None:
    return db.session.scalar(
        select(Measurement).where(
            Measurement.indicator_id == indicator.id, Measurement.period == str(quarter)
        )
    )


def count_now(indicator: Indicator, quarter: Quarter) -> float | None:
    """What the events give for ``quarter``, whether or not a measurement holds it yet."""
    attendances, pupils = queries.facts(indicator.programme_id, indicator.subproject_id)
    result = queries.counts_of(indicator, attendances, pupils).get(str(quarter))
    return result.value if result else None


def override_count(
    indicator: Indicator,
    quarter: Quarter,
    value: float,
    reason: str,
    user_id: int,
    measurement: Measurement | None,
) -> Measurement:
    """Set ``value`` for ``quarter`` instead of the count, with the reason and who did it."""
    ensure_quarter_open(indicator.programme_id, str(quarter), field="value")
    if measurement is None:
        measurement = Measurement(
            indicator_id=indicator.id,
            period=str(quarter),
            counted_value=count_now(indicator, quarter),
        )
        db.session.add(measurement)
    measurement.value = value
    measurement.override_reason = reason.strip()
    measurement.source = COUNTED_SOURCE
    measurement.note = ""
    measurement.entered_by_id = user_id
    measurement.entered_at = utcnow()
    return measurement


def remove_override(indicator: Indicator, measurement: Measurement) -> None:
    """Return the quarter to its count: the recount sets the value again (or removes the
    measurement when no event of the quarter counts)."""
    ensure_quarter_open(indicator.programme_id, measurement.period, field="value")
    measurement.override_reason = None
    measurement.entered_by_id = None
    measurement.entered_at = utcnow()
    db.session.flush()
    refresh_indicator(indicator, {measurement.period})
