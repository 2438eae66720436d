"""Date axes for the PDF's charts: dates as day numbers, and ticks on whole days, months or
years, labelled as a Dutch reader expects ("jan 2026", "15-03-2026")."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta

from tracker.reports.charts.svgkit import Unsupported

EPOCH = date(1970, 1, 1)
MONTHS_NL = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Tick steps, finest first: in days, then in months.
DAY_STEPS = (1, 2, 7, 14)
MONTH_STEPS = (1, 2, 3, 6, 12, 24, 60, 120)


def day_number(value) -> float:
    """A date (``date``, ``datetime``, pandas ``Timestamp`` or ISO text) as days since 1970."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise Unsupported(f"not a date: {value!r}") from None
    if isinstance(value, datetime):  # pandas' Timestamp is one
        return (value - datetime(1970, 1, 1, tzinfo=value.tzinfo)).total_seconds() / 86400
    if isinstance(value, date):
        return float((value - EPOCH).days)
    raise Unsupported(f"not a date: {value!r}")


def day(number: float) -> date:
    return EPOCH + timedelta(days=int(number))


def ticks(low: float, high: float, wanted: int, dutch: bool, tickformat: str = "") -> tuple:
    """Tick positions (day numbers) and labels between ``low`` and ``high``, about ``wanted`` of
    them: days labelled with ``tickformat`` (a strftime format), or the first of every so many
    months labelled with month and year."""
    span = max(high - low, 1.0)
    for step in DAY_STEPS:
        if span / step <= wanted:
            days = []
            current = day(math.ceil(low))
            while (current - EPOCH).days <= high:
                days.append(current)
                current += timedelta(days=step)
            return [float((d - EPOCH).days) for d in days], [
                d.strftime(tickformat or "%d-%m-%Y") for d in days
            ]
    months = next((m for m in MONTH_STEPS if span / (30.44 * m) <= wanted), MONTH_STEPS[-1])
    start = day(low)
    index = start.year * 12 + start.month - 1
    index += -index % months
    if date(index // 12, index % 12 + 1, 1) < start:
        index += months
    names = MONTHS_NL if dutch else MONTHS_EN
    values, labels = [], []
    while True:
        tick = date(index // 12, index % 12 + 1, 1)
        if (tick - EPOCH).days > high:
            break
        values.append(float((tick - EPOCH).days))
        labels.append(str(tick.year) if months >= 12 else f"{names[tick.month - 1]} {tick.year}")
        index += months
    return values, labels
