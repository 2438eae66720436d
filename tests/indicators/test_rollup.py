"""The roll-up rule of computed programme indicators, alone: per quarter, sum, mean or last."""

from datetime import datetime

import pytest

from tracker.indicators.rollup import QuarterValue, SourceValue, combine


def _values():
    return [
        SourceValue(1, "2026-Q2", 10, datetime(2026, 7, 3)),
        SourceValue(2, "2026-Q2", 30, datetime(2026, 7, 1)),
        SourceValue(1, "2026-Q3", 12, datetime(2026, 10, 2)),
        SourceValue(2, "2026-Q3", 40, datetime(2026, 10, 5)),
        SourceValue(3, "2026-Q3", 8, datetime(2026, 10, 4)),
    ]


def test_sum_adds_the_sources_of_each_quarter():
    assert combine(_values(), "sum") == [
        QuarterValue("2026-Q2", 40.0, 2),
        QuarterValue("2026-Q3", 60.0, 3),
    ]


def test_mean_averages_the_sources_that_have_a_value():
    assert combine(_values(), "mean") == [
        QuarterValue("2026-Q2", 20.0, 2),
        QuarterValue("2026-Q3", 20.0, 3),
    ]


def test_last_takes_the_value_entered_last_in_each_quarter():
    assert combine(_values(), "last") == [
        QuarterValue("2026-Q2", 10.0, 2),
        QuarterValue("2026-Q3", 40.0, 3),
    ]


def test_last_breaks_a_tie_of_entry_times_by_order():
    same = datetime(2026, 7, 1)
    values = [SourceValue(1, "2026-Q2", 5, same, order=2), SourceValue(2, "2026-Q2", 7, same, 1)]
    assert combine(values, "last") == [QuarterValue("2026-Q2", 5.0, 2)]


def test_quarters_come_out_oldest_first_whatever_order_they_go_in():
    values = list(reversed(_values()))
    assert [v.period for v in combine(values, "sum")] == ["2026-Q2", "2026-Q3"]


def test_no_values_no_quarters():
    assert combine([], "sum") == []


def test_an_unknown_aggregation_is_refused():
    with pytest.raises(ValueError):
        combine(_values(), "median")
