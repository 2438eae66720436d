"""The freshness rule alone: when an indicator's newest value is "verouderd"."""

from datetime import date

import pytest

from tracker.indicators.freshness import (
    HALF_YEARLY,
    QUARTERLY,
    YEARLY,
    Moment,
    judge,
    next_moment,
    stale_since,
    value_date,
)

TODAY = date(2026, 11, 24)


def test_a_quarterly_value_is_fresh_while_the_next_quarter_is_within_its_grace():
    verdict = judge(date(2026, 9, 30), QUARTERLY, None, TODAY)
    assert not verdict.stale
    assert verdict.expected == Moment(date(2026, 10, 1), date(2026, 12, 31))
    assert verdict.due == date(2027, 1, 30)
    assert verdict.days_overdue == 0


def test_a_quarterly_value_goes_stale_the_day_after_the_next_quarter_was_due():
    # 2026-Q3 ends 30-09; its value is due 30 days later, on 30-10
    assert not judge(date(2026, 6, 30), QUARTERLY, None, date(2026, 10, 30)).stale
    verdict = judge(date(2026, 6, 30), QUARTERLY, None, date(2026, 10, 31))
    assert verdict.stale
    assert verdict.days_overdue == 1
    assert judge(date(2026, 6, 30), QUARTERLY, None, TODAY).days_overdue == 25


def test_stale_counts_from_the_first_missing_value_not_the_latest_quarter():
    verdict = judge(date(2025, 6, 30), QUARTERLY, None, TODAY)
    assert verdict.stale
    assert verdict.due == date(2025, 10, 30)
    assert verdict.days_overdue == (TODAY - date(2025, 10, 30)).days


def test_half_yearly_values_are_expected_per_half_year():
    assert next_moment(HALF_YEARLY, None, date(2026, 3, 31)) == Moment(
        date(2026, 7, 1), date(2026, 12, 31)
    )
    assert next_moment(HALF_YEARLY, None, date(2026, 6, 30)) == Moment(
        date(2026, 7, 1), date(2026, 12, 31)
    )
    assert next_moment(HALF_YEARLY, None, date(2026, 9, 30)) == Moment(
        date(2027, 1, 1), date(2027, 6, 30)
    )
    # the first half of 2026 was entered: the second is not due before 30-01-2027
    assert not judge(date(2026, 6, 30), HALF_YEARLY, None, TODAY).stale
    # the last value is of 2025-Q4: the first half of 2026 was due on 30-07-2026
    verdict = judge(date(2025, 12, 31), HALF_YEARLY, None, TODAY)
    assert verdict.stale and verdict.due == date(2026, 7, 30)


def test_a_yearly_source_is_expected_in_its_publication_month():
    # DUO publishes in April: the figure entered in 2026-Q2 covers April 2026
    assert next_moment(YEARLY, 4, date(2026, 6, 30)) == Moment(date(2027, 4, 1), date(2027, 4, 30))
    assert not judge(date(2026, 6, 30), YEARLY, 4, TODAY).stale
    # the newest figure is of 2025-Q2: April 2026's was due on 30-05-2026
    verdict = judge(date(2025, 6, 30), YEARLY, 4, TODAY)
    assert verdict.stale
    assert verdict.due == date(2026, 5, 30)
    assert verdict.expected == Moment(date(2026, 4, 1), date(2026, 4, 30))


def test_a_yearly_figure_entered_before_the_publication_month_does_not_cover_it():
    assert next_moment(YEARLY, 4, date(2026, 3, 31)).first == date(2026, 4, 1)
    assert judge(date(2026, 3, 31), YEARLY, 4, TODAY).stale


def test_a_december_source_runs_into_the_next_year():
    verdict = judge(date(2025, 12, 31), YEARLY, 12, TODAY)
    assert verdict.expected == Moment(date(2026, 12, 1), date(2026, 12, 31))
    assert verdict.due == date(2027, 1, 30)
    assert not verdict.stale


def test_the_grace_period_can_be_chosen():
    assert judge(date(2026, 6, 30), QUARTERLY, None, TODAY, grace_days=60).stale is False
    assert judge(date(2026, 6, 30), QUARTERLY, None, TODAY, grace_days=0).days_overdue == 55


def test_a_value_is_dated_by_its_period_and_without_one_by_the_baseline():
    assert value_date("2025-Q2", date(2024, 1, 1)) == date(2025, 6, 30)
    assert value_date(None, date(2024, 1, 1)) == date(2024, 1, 1)


def test_stale_since_gives_the_missed_due_date_or_none():
    assert stale_since("2026-Q2", date(2025, 1, 1), QUARTERLY, None, TODAY) == date(2026, 10, 30)
    assert stale_since("2026-Q3", date(2025, 1, 1), QUARTERLY, None, TODAY) is None
    assert stale_since(None, date(2026, 10, 1), QUARTERLY, None, TODAY) is None
    assert stale_since(None, date(2025, 1, 1), YEARLY, 4, TODAY) == date(2025, 5, 30)


@pytest.mark.parametrize(("frequency", "month"), [(YEARLY, None), (YEARLY, 13), ("weekly", None)])
def test_an_unknown_rule_is_refused(frequency, month):
    with pytest.raises(ValueError):
        next_moment(frequency, month, TODAY)
