"""A programme indicator computed from subproject indicators: its value in each quarter.

Plain Python, apart from Flask and the database, so the rule can be tested alone. The sources
are subproject indicators of the same programme; their measurements go in, one value per
quarter comes out:

- ``sum``: the sources' values of that quarter added up (the programme's "leerlingen bereikt"
  is what the subprojects reached together);
- ``mean``: their average (a rate the subprojects measure each for their own group);
- ``last``: the value entered last for that quarter (one figure that several subprojects may
  report, of which the newest counts).

A quarter in which no source has a value has no value; a quarter in which some sources have one
is computed from those, and says how many they were, so a reader sees "5 of 6". Over time the
computed indicator is rolled up like any other (its own ``rollup``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

AGGREGATIONS = ("sum", "mean", "last")


@dataclass(frozen=True)
class SourceValue:
    """One measurement of a source indicator; ``entered_at`` and ``order`` decide "last"."""

    source_id: int
    period: str
    value: float
    entered_at: datetime | None = None
    order: int = 0


@dataclass(frozen=True)
class QuarterValue:
    period: str
    value: float
    counted: int  # sources with a value in this quarter


def combine(values: Iterable[SourceValue], aggregation: str) -> list[QuarterValue]:
    """The computed value of every quarter some source has a value for, oldest first."""
    if aggregation not in AGGREGATIONS:
        raise ValueError(f"unknown aggregation: {aggregation!r}")
    by_period: dict[str, list[SourceValue]] = {}
    for value in values:
        by_period.setdefault(value.period, []).append(value)
    result = []
    for period in sorted(by_period):
        own = by_period[period]
        numbers = [float(v.value) for v in own]
        if aggregation == "sum":
            combined = sum(numbers)
        elif aggregation == "mean":
            combined = sum(numbers) / len(numbers)
        else:
            combined = float(max(own, key=_entry_order).value)
        result.append(QuarterValue(period, combined, len({v.source_id for v in own})))
    return result


def _entry_order(value: SourceValue) -> tuple:
    return (value.entered_at or datetime.min, value.order)
