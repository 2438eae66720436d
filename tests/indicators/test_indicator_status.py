"""Indicator roll-ups, progress, expected progress and status."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.indicators.status import (
    AT_RISK,
    AT_RISK_MARGIN,
    NO_DATA,
    OFF_TRACK,
    ON_TRACK,
    ON_TRACK_MARGIN,
    STATUSES,
    IndicatorFacts,
    expected_progress,
    indicator_status,
    progress,
    rolled_up,
    status_for,
)

BASE_DAY = date(2026, 1, 1)
TARGET_DAY = date(2026, 12, 31)  # 364 days later


def facts(**changes) -> IndicatorFacts:
    values = {
        "direction": "up",
        "baseline_value": 0.0,
        "baseline_date": BASE_DAY,
        "target_value": 100.0,
        "target_date": TARGET_DAY,
    }
    values.update(changes)
    return IndicatorFacts(**values)


def test_constants():
    assert STATUSES == ("on_track", "at_risk", "off_track", "no_data")
    assert ON_TRACK_MARGIN == 0.10
    assert AT_RISK_MARGIN == 0.25


def test_default_rollup_is_last():
    assert facts().rollup == "last"


# --- roll-ups -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "rollup", "expected"),
    [
        ([3, 5, 4], "sum", 12.0),
        ([3, 5, 4], "mean", 4.0),
        ([3, 5, 4], "last", 4.0),
        ([1, 2], "mean", 1.5),
        ([7], "sum", 7.0),
        ([7], "mean", 7.0),
        ([7], "last", 7.0),
        ([2.5, -1.0], "sum", 1.5),
        ((10, 20, 60), "mean", 30.0),
        ([0, 0], "sum", 0.0),
    ],
)
def test_rolled_up(values, rollup, expected):
    result = rolled_up(values, rollup)
    assert result == pytest.approx(expected)
    assert isinstance(result, float)


@pytest.mark.parametrize("rollup", ["sum", "mean", "last", "median"])
def test_rolled_up_of_nothing_is_none(rollup):
    assert rolled_up([], rollup) is None


@pytest.mark.parametrize("rollup", ["median", "SUM", "", "max"])
def test_unknown_rollup_raises(rollup):
    with pytest.raises(ValueError, match="unknown roll-up"):
        rolled_up([1, 2, 3], rollup)


def test_unknown_rollup_raises_through_indicator_status():
    with pytest.raises(ValueError):
        indicator_status(facts(rollup="median"), [1.0], date(2026, 6, 1))


# --- progress -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actual", "expected"),
    [(0.0, 0.0), (25.0, 0.25), (100.0, 1.0), (150.0, 1.5), (-10.0, -0.1)],
)
def test_progress_up(actual, expected):
    assert progress(facts(), actual) == pytest.approx(expected)


def test_progress_up_with_nonzero_baseline():
    f = facts(baseline_value=40.0, target_value=60.0)
    assert progress(f, 45.0) == pytest.approx(0.25)
    assert progress(f, 40.0) == pytest.approx(0.0)
    assert progress(f, 30.0) == pytest.approx(-0.5)


@pytest.mark.parametrize(
    ("actual", "expected"),
    [(20.0, 0.0), (15.0, 0.5), (10.0, 1.0), (5.0, 1.5), (25.0, -0.5)],
)
def test_progress_down_counts_a_fall(actual, expected):
    f = facts(direction="down", baseline_value=20.0, target_value=10.0)
    assert progress(f, actual) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("direction", "actual", "expected"),
    [
        ("up", 50.0, 1.0),
        ("up", 50.5, 1.0),
        ("up", 49.9, 0.0),
        ("down", 50.0, 1.0),
        ("down", 49.9, 1.0),
        ("down", 50.1, 0.0),
    ],
)
def test_progress_when_target_equals_baseline_holds_the_level(direction, actual, expected):
    f = facts(direction=direction, baseline_value=50.0, target_value=50.0)
    assert progress(f, actual) == expected


# --- expected progress ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2025, 6, 1), 0.0),
        (date(2025, 12, 31), 0.0),
        (BASE_DAY, 0.0),
        (date(2026, 4, 2), 91 / 364),
        (date(2026, 7, 2), 182 / 364),
        (TARGET_DAY, 1.0),
        (date(2027, 1, 1), 1.0),
        (date(2030, 1, 1), 1.0),
    ],
)
def test_expected_progress_is_linear_and_clamped(on, expected):
    assert expected_progress(facts(), on) == pytest.approx(expected)


def test_expected_progress_half_way():
    assert expected_progress(facts(), date(2026, 7, 2)) == pytest.approx(0.5)


def test_expected_progress_across_leap_year_counts_366_days():
    f = facts(baseline_date=date(2024, 1, 1), target_date=date(2025, 1, 1))
    assert expected_progress(f, date(2024, 3, 1)) == pytest.approx(60 / 366)  # 31 + 29 days
    assert expected_progress(f, date(2024, 12, 31)) == pytest.approx(365 / 366)
    assert expected_progress(f, date(2024, 12, 31)) < 1.0
    assert expected_progress(f, date(2025, 1, 1)) == 1.0


@pytest.mark.parametrize(
    ("on", "expected"),
    [(date(2026, 6, 29), 0.0), (date(2026, 6, 30), 1.0), (date(2026, 7, 1), 1.0)],
)
def test_expected_progress_when_target_date_equals_baseline_date(on, expected):
    f = facts(baseline_date=date(2026, 6, 30), target_date=date(2026, 6, 30))
    assert expected_progress(f, on) == expected


def test_expected_progress_when_target_date_before_baseline_date():
    f = facts(baseline_date=date(2026, 6, 30), target_date=date(2026, 1, 1))
    assert expected_progress(f, date(2025, 12, 31)) == 0.0
    assert expected_progress(f, date(2026, 1, 1)) == 1.0


# --- status_for -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("progress_value", "expected_value", "status"),
    [
        (None, 0.5, NO_DATA),
        (None, 0.0, NO_DATA),
        (0.5, 0.5, ON_TRACK),
        (0.9, 0.5, ON_TRACK),  # ahead of schedule
        (0.0, 0.0, ON_TRACK),
        (0.41, 0.5, ON_TRACK),
        (0.4, 0.5, ON_TRACK),  # exactly 10 points behind
        (0.0, 0.1, ON_TRACK),  # exactly 10 points behind
        (0.39, 0.5, AT_RISK),
        (0.3999, 0.5, AT_RISK),
        (0.25, 0.5, AT_RISK),  # exactly 25 points behind
        (0.75, 1.0, AT_RISK),  # exactly 25 points behind
        (0.2499, 0.5, OFF_TRACK),
        (0.0, 0.5, OFF_TRACK),
        (-0.2, 0.0, AT_RISK),
        (-0.3, 0.0, OFF_TRACK),
    ],
)
def test_status_for(progress_value, expected_value, status):
    assert status_for(progress_value, expected_value) == status


@pytest.mark.parametrize(
    ("expected_value", "progress_value", "status"),
    [
        # Float arithmetic rarely lands exactly on 0.10 / 0.25; the boundary must still hold.
        (0.7, 0.6, ON_TRACK),
        (0.3, 0.2, ON_TRACK),
        (0.6, 0.35, AT_RISK),
        (0.85, 0.6, AT_RISK),
        (1.0, 0.9, ON_TRACK),
        (1.0, 0.75, AT_RISK),
    ],
)
def test_status_for_boundaries_tolerate_float_error(expected_value, progress_value, status):
    assert status_for(progress_value, expected_value) == status


# --- indicator_status -----------------------------------------------------------------------

HALF_WAY = date(2026, 7, 2)  # expected progress 0.5


@pytest.mark.parametrize(
    ("values", "status"),
    [
        ([50.0], ON_TRACK),
        ([70.0], ON_TRACK),
        ([40.0], ON_TRACK),  # 10 points behind, on the boundary
        ([39.0], AT_RISK),
        ([25.0], AT_RISK),  # 25 points behind, on the boundary
        ([24.0], OFF_TRACK),
        ([0.0], OFF_TRACK),
    ],
)
def test_indicator_status_up(values, status):
    assert indicator_status(facts(), values, HALF_WAY) == status


@pytest.mark.parametrize(
    ("actual", "status"),
    [
        (15.0, ON_TRACK),  # progress 0.5
        (16.0, ON_TRACK),  # progress 0.4, on the 10-point boundary
        (16.1, AT_RISK),
        (17.5, AT_RISK),  # progress 0.25, on the 25-point boundary
        (17.6, OFF_TRACK),
        (20.0, OFF_TRACK),
        (25.0, OFF_TRACK),  # went the wrong way
        (8.0, ON_TRACK),  # beyond target
    ],
)
def test_indicator_status_down(actual, status):
    f = facts(direction="down", baseline_value=20.0, target_value=10.0)
    assert indicator_status(f, [actual], HALF_WAY) == status


@pytest.mark.parametrize("rollup", ["sum", "mean", "last"])
def test_indicator_status_without_measurements_is_no_data(rollup):
    assert indicator_status(facts(rollup=rollup), [], HALF_WAY) == NO_DATA


def test_indicator_status_uses_the_rollup():
    # Sum 10 + 20 + 20 = 50 → on track; mean 16.7 → off track; last 20 → off track.
    values = [10.0, 20.0, 20.0]
    assert indicator_status(facts(rollup="sum"), values, HALF_WAY) == ON_TRACK
    assert indicator_status(facts(rollup="mean"), values, HALF_WAY) == OFF_TRACK
    assert indicator_status(facts(rollup="last"), values, HALF_WAY) == OFF_TRACK
    assert indicator_status(facts(rollup="last"), [10.0, 45.0], HALF_WAY) == ON_TRACK


def test_indicator_status_before_baseline_date_expects_nothing():
    assert indicator_status(facts(), [0.0], date(2025, 12, 1)) == ON_TRACK
    assert indicator_status(facts(), [-30.0], date(2025, 12, 1)) == OFF_TRACK


def test_indicator_status_after_target_date_expects_full_target():
    late = date(2027, 6, 30)
    assert indicator_status(facts(), [100.0], late) == ON_TRACK
    assert indicator_status(facts(), [90.0], late) == ON_TRACK
    assert indicator_status(facts(), [89.0], late) == AT_RISK
    assert indicator_status(facts(), [75.0], late) == AT_RISK
    assert indicator_status(facts(), [74.0], late) == OFF_TRACK


@pytest.mark.parametrize(
    ("direction", "actual", "on", "status"),
    [
        ("up", 50.0, HALF_WAY, ON_TRACK),
        ("up", 49.0, HALF_WAY, OFF_TRACK),  # progress 0 against expected 0.5
        ("up", 49.0, BASE_DAY, ON_TRACK),  # expected 0 at the baseline date
        ("down", 50.0, HALF_WAY, ON_TRACK),
        ("down", 51.0, HALF_WAY, OFF_TRACK),
        ("down", 51.0, BASE_DAY, ON_TRACK),
    ],
)
def test_indicator_status_hold_the_level(direction, actual, on, status):
    f = facts(direction=direction, baseline_value=50.0, target_value=50.0)
    assert indicator_status(f, [actual], on) == status
