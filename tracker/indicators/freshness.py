"""When an indicator's newest value is out of date ("verouderd"): plain Python, no Flask.

An indicator promises a value per reporting moment: every quarter, every half year, or once a
year in the month its source publishes (DUO's intake figures in April). A moment is a stretch of
days; a value covers it when the value's period (a quarter) ends on or after the moment's first
day, so a yearly figure counts once it is entered in the quarter its source publishes it, or a
later one. Each moment's value is due ``GRACE_DAYS`` after the moment ends, which leaves the
lead the weeks a source and a busy season need. A value is stale once the first moment after
it is past its due date: the value of that moment should have been there and is not.

The value's date is its period's end (what it describes), not the day it was typed: a figure
of 2025-Q2 entered late is still a figure of 2025-Q2. An indicator without any value is judged
from its baseline date, the last value anyone knows.
"""

from __future__ import annotations

import calendar
import functools
from dataclasses import dataclass
from datetime import date, timedelta

from tracker.quarters import Quarter

QUARTERLY = "quarterly"
HALF_YEARLY = "half_yearly"
YEARLY = "yearly"
FREQUENCIES = (QUARTERLY, HALF_YEARLY, YEARLY)
DEFAULT_FREQUENCY = QUARTERLY
MONTHS = tuple(range(1, 13))
GRACE_DAYS = 30


@dataclass(frozen=True)
class Moment:
    """One reporting moment: the days whose value is expected, ``first`` to ``last``."""

    first: date
    last: date

    def due(self, grace_days: int = GRACE_DAYS) -> date:
        return self.last + timedelta(days=grace_days)


@dataclass(frozen=True)
class Freshness:
    """The verdict on one value as of a day. ``due`` is the date by which the next value was
    expected (the first moment after the value, plus the grace period); ``days_overdue`` counts
    the days since, 0 for a fresh value."""

    stale: bool
    due: date
    days_overdue: int
    expected: Moment


def _month_moment(year: int, month: int) -> Moment:
    return Moment(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))


def next_moment(frequency: str, publication_month: int | None, after: date) -> Moment:
    """The first reporting moment that begins after ``after``."""
    if frequency == QUARTERLY:
        quarter = Quarter.of(after).next()
        return Moment(quarter.start, quarter.end)
    if frequency == HALF_YEARLY:
        if after.month <= 6:
            return Moment(date(after.year, 7, 1), date(after.year, 12, 31))
        return Moment(date(after.year + 1, 1, 1), date(after.year + 1, 6, 30))
    if frequency == YEARLY:
        if publication_month not in MONTHS:
            raise ValueError(f"a yearly indicator needs a month, not {publication_month!r}")
        year = after.year if date(after.year, publication_month, 1) > after else after.year + 1
        return _month_moment(year, publication_month)
    raise ValueError(f"unknown frequency: {frequency!r}")


def judge(
    latest: date,
    frequency: str,
    publication_month: int | None,
    as_of: date,
    grace_days: int = GRACE_DAYS,
) -> Freshness:
    """Whether the value dated ``latest`` is stale on ``as_of``, and by how many days."""
    expected = next_moment(frequency, publication_month, latest)
    due = expected.due(grace_days)
    overdue = (as_of - due).days
    return Freshness(stale=overdue > 0, due=due, days_overdue=max(overdue, 0), expected=expected)


def value_date(latest_period: str | None, baseline_date: date) -> date:
    """The date a value is judged by: its period's end, or the baseline's date without one."""
    return Quarter.parse(latest_period).end if latest_period else baseline_date


@functools.lru_cache(maxsize=4096)
def stale_since(
    latest_period: str | None,
    baseline_date: date,
    frequency: str,
    publication_month: int | None,
    as_of: date,
) -> date | None:
    """The due date a stale value missed, or None for a fresh one: what a table stores.

    Remembered: a programme's thousands of indicators share a handful of periods, baseline
    dates and frequencies, and the dashboard judges every one of them."""
    verdict = judge(value_date(latest_period, baseline_date), frequency, publication_month, as_of)
    return verdict.due if verdict.stale else None
