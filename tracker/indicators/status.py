"""Indicator progress and status rules. Knows nothing of Flask or the database.

Progress is the share of the way from baseline to target that the actual value has covered;
expected progress grows linearly from the baseline date to the target date. Both are fractions
(1.0 = 100 %), compared in percentage points.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from tracker.vocabulary import N_, RichStrEnum, Tone


class IndicatorStatus(RichStrEnum):
    ON_TRACK = "on_track", N_("On track"), "●", Tone.GREEN, "circle", "", 3
    AT_RISK = "at_risk", N_("At risk"), "▲", Tone.AMBER, "triangle-up", "/", 1
    OFF_TRACK = "off_track", N_("Off track"), "✖", Tone.RED, "x", "x", 0
    NO_DATA = "no_data", N_("No data"), "○", Tone.GREY, "circle-open", "-", 2


ON_TRACK = IndicatorStatus.ON_TRACK
AT_RISK = IndicatorStatus.AT_RISK
OFF_TRACK = IndicatorStatus.OFF_TRACK
NO_DATA = IndicatorStatus.NO_DATA

STATUSES = tuple(IndicatorStatus)

ON_TRACK_MARGIN = 0.10
AT_RISK_MARGIN = 0.25


@dataclass(frozen=True)
class IndicatorFacts:
    direction: str
    baseline_value: float
    baseline_date: date
    target_value: float
    target_date: date
    rollup: str = "last"


def rolled_up(values: Sequence[float], rollup: str) -> float | None:
    """The actual value from the measurements of successive periods, oldest first.

    ``sum`` suits counts per quarter against a cumulative target, ``mean`` rates averaged over
    the periods, ``last`` levels where only the newest value counts.
    """
    if not values:
        return None
    if rollup == "sum":
        return float(sum(values))
    if rollup == "mean":
        return float(sum(values)) / len(values)
    if rollup == "last":
        return float(values[-1])
    raise ValueError(f"unknown roll-up: {rollup!r}")


@dataclass(frozen=True)
class QuarterFigures:
    """An indicator's two numbers for one quarter, never to be confused: the quarter's own
    measurement, and the value rolled up (total, mean or last) over the periods up to the quarter,
    on which progress and status are judged. For a ``mean`` indicator they differ (63,8 this
    quarter, 62,5 on average), so a page, report or export shows and names both."""

    quarter_value: float | None
    rolled_up: float | None
    latest_period: str | None
    latest_value: float | None


def quarter_figures(
    measured: Sequence[tuple[str, float]], quarter: str, rollup: str
) -> QuarterFigures:
    """The figures of ``quarter`` from ``(period, value)`` pairs; later periods are left out."""
    known = sorted((period, float(value)) for period, value in measured if period <= quarter)
    return QuarterFigures(*figures_of_known(known, quarter, rollup))


def figures_of_known(
    known: Sequence[tuple], quarter: str, rollup: str
) -> tuple[float | None, float | None, str | None, float | None]:
    """:func:`quarter_figures` as a plain tuple, from entries ``(period, value, ...)`` already
    oldest first and none after ``quarter``, as the queries read them: a programme's thousands
    of indicators are spared a sort and a dataclass each."""
    if not known:
        return None, None, None, None
    latest_period, latest_value = known[-1][0], float(known[-1][1])
    return (
        latest_value if latest_period == quarter else None,
        rolled_up([entry[1] for entry in known], rollup),
        latest_period,
        latest_value,
    )


def progress(facts: IndicatorFacts, actual: float) -> float:
    """Fraction of the way from baseline to target; see :func:`progress_of`."""
    return progress_of(facts.direction, facts.baseline_value, facts.target_value, actual)


def progress_of(direction: str, baseline_value: float, target_value: float, actual: float) -> float:
    """Fraction of the way from baseline to target; for a ``down`` indicator the target lies
    below the baseline, so a fall counts as progress.

    When target equals baseline the aim is to hold the level: 1.0 while the actual value is at
    or beyond it in the right direction, else 0.0.
    """
    span = target_value - baseline_value
    if span == 0:
        better_or_equal = actual >= target_value if direction == "up" else actual <= target_value
        return 1.0 if better_or_equal else 0.0
    return (actual - baseline_value) / span


def expected_progress(facts: IndicatorFacts, on: date) -> float:
    """The progress expected of ``facts`` on ``on``; see :func:`expected_at`."""
    return expected_at(facts.baseline_date, facts.target_date, on)


def expected_at(baseline_date: date, target_date: date, on: date) -> float:
    """Linear expectation between baseline date (0.0) and target date (1.0), clamped."""
    total = (target_date - baseline_date).days
    if total <= 0:
        return 1.0 if on >= target_date else 0.0
    elapsed = (on - baseline_date).days
    return min(1.0, max(0.0, elapsed / total))


def status_for(progress_value: float | None, expected: float) -> str:
    if progress_value is None:
        return NO_DATA
    gap = expected - progress_value
    if gap <= ON_TRACK_MARGIN + 1e-9:
        return ON_TRACK
    if gap <= AT_RISK_MARGIN + 1e-9:
        return AT_RISK
    return OFF_TRACK


def indicator_status(facts: IndicatorFacts, values: Sequence[float], measured_on: date) -> str:
    """Status of the rolled-up ``values`` measured up to ``measured_on``."""
    actual = rolled_up(values, facts.rollup)
    if actual is None:
        return NO_DATA
    return status_for(progress(facts, actual), expected_progress(facts, measured_on))
