"""Milestone status rules as at a given date, and slip against the baseline."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest

from tracker.milestones.status import (
    ACHIEVED_LATE,
    ACHIEVED_ON_TIME,
    AT_RISK,
    ON_TRACK,
    OVERDUE,
    STATUSES,
    MilestoneFacts,
    SlipKind,
    assess,
    is_achieved,
    milestone_status,
    slip,
)

BASELINE = date(2026, 6, 30)
PLANNED = date(2026, 9, 30)


def facts(**changes) -> MilestoneFacts:
    values = {"baseline_date": BASELINE, "planned_date": PLANNED}
    values.update(changes)
    return MilestoneFacts(**values)


def test_statuses_are_the_five_known_values():
    assert set(STATUSES) == {
        "achieved_on_time",
        "achieved_late",
        "overdue",
        "at_risk",
        "on_track",
    }


# --- achieved -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("achieved_on", "expected"),
    [
        (date(2026, 5, 1), ACHIEVED_ON_TIME),
        (BASELINE, ACHIEVED_ON_TIME),
        (date(2026, 7, 1), ACHIEVED_LATE),
        (PLANNED, ACHIEVED_LATE),
        (date(2026, 10, 15), ACHIEVED_LATE),
    ],
)
def test_achieved_on_time_is_judged_against_baseline(achieved_on, expected):
    assert milestone_status(facts(achieved_on=achieved_on), as_of=date(2026, 12, 31)) == expected


def test_achieved_on_as_of_counts():
    assert milestone_status(facts(achieved_on=BASELINE), as_of=BASELINE) == ACHIEVED_ON_TIME


def test_achievement_after_as_of_is_not_yet_known():
    later = facts(achieved_on=date(2026, 8, 1))
    assert milestone_status(later, as_of=date(2026, 7, 31)) == ON_TRACK
    assert milestone_status(later, as_of=date(2026, 8, 1)) == ACHIEVED_LATE


def test_achievement_after_as_of_and_past_planned_is_overdue():
    late = facts(achieved_on=date(2026, 11, 15))
    assert milestone_status(late, as_of=date(2026, 10, 31)) == OVERDUE
    assert milestone_status(late, as_of=date(2026, 11, 15)) == ACHIEVED_LATE


def test_achieved_beats_risk_flag_and_late_forecast():
    done = facts(achieved_on=BASELINE, at_risk=True, forecast_date=date(2027, 1, 1))
    assert milestone_status(done, as_of=date(2027, 3, 1)) == ACHIEVED_ON_TIME


# --- overdue --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (date(2026, 9, 29), ON_TRACK),
        (PLANNED, ON_TRACK),
        (date(2026, 10, 1), OVERDUE),
        (date(2027, 1, 1), OVERDUE),
    ],
)
def test_overdue_from_the_day_after_planned(as_of, expected):
    assert milestone_status(facts(), as_of=as_of) == expected


def test_overdue_beats_at_risk():
    flagged = facts(at_risk=True, forecast_date=date(2026, 12, 1))
    assert milestone_status(flagged, as_of=date(2026, 10, 1)) == OVERDUE


def test_overdue_is_judged_against_planned_not_baseline():
    # Past the baseline but not past the (moved) planned date.
    assert milestone_status(facts(), as_of=date(2026, 7, 15)) == ON_TRACK


# --- at risk --------------------------------------------------------------------------------


def test_at_risk_via_flag():
    assert milestone_status(facts(at_risk=True), as_of=date(2026, 8, 1)) == AT_RISK


def test_at_risk_via_flag_on_planned_date():
    assert milestone_status(facts(at_risk=True), as_of=PLANNED) == AT_RISK


@pytest.mark.parametrize(
    ("forecast", "expected"),
    [
        (None, ON_TRACK),
        (date(2026, 9, 1), ON_TRACK),
        (PLANNED, ON_TRACK),
        (date(2026, 10, 1), AT_RISK),
        (date(2027, 3, 31), AT_RISK),
    ],
)
def test_at_risk_via_forecast_after_planned(forecast, expected):
    assert milestone_status(facts(forecast_date=forecast), as_of=date(2026, 8, 1)) == expected


def test_forecast_after_baseline_but_not_after_planned_is_on_track():
    assert (
        milestone_status(facts(forecast_date=date(2026, 8, 1)), as_of=date(2026, 7, 1)) == ON_TRACK
    )


# --- slip -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("baseline", "planned", "days"),
    [
        (date(2026, 6, 30), date(2026, 9, 30), 92),
        (date(2026, 6, 30), date(2026, 6, 1), -29),
        (date(2024, 2, 28), date(2024, 3, 1), 2),
        (date(2023, 2, 28), date(2023, 3, 1), 1),
    ],
)
def test_a_moved_planned_date_is_slip(baseline, planned, days):
    facts_ = MilestoneFacts(baseline_date=baseline, planned_date=planned)
    assert slip(facts_, as_of=date(2022, 1, 1)) == (days, SlipKind.MOVED)


def test_no_slip_has_no_kind():
    assert slip(facts(planned_date=date(2026, 6, 30)), as_of=date(2026, 1, 1)) == (0, None)


def test_late_achievement_is_slip_whatever_the_planned_date():
    """Achieved 50 days after a planned date that was never moved: a slip of 50, not 0."""
    f = facts(planned_date=date(2026, 6, 30), achieved_on=date(2026, 8, 19))
    assert slip(f, as_of=date(2026, 11, 24)) == (50, SlipKind.LATE)


def test_an_achievement_not_yet_known_does_not_count():
    f = facts(planned_date=date(2026, 6, 30), achieved_on=date(2026, 8, 19))
    assert slip(f, as_of=date(2026, 7, 10)) == (10, SlipKind.OVERDUE)


def test_a_forecast_later_than_planned_is_slip():
    f = facts(planned_date=date(2026, 9, 30), forecast_date=date(2027, 1, 1))
    assert slip(f, as_of=date(2026, 8, 1)) == (185, SlipKind.FORECAST)


def test_a_passed_planned_date_keeps_slipping_until_achieved():
    f = facts(planned_date=date(2026, 9, 30))
    assert slip(f, as_of=date(2026, 11, 24)) == (147, SlipKind.OVERDUE)


def test_achieved_early_is_no_slip():
    f = facts(planned_date=date(2026, 9, 30), achieved_on=date(2026, 6, 1))
    assert slip(f, as_of=date(2026, 11, 24)) == (-29, None)


# --- is_achieved ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "achieved"),
    [
        (ACHIEVED_ON_TIME, True),
        (ACHIEVED_LATE, True),
        (OVERDUE, False),
        (AT_RISK, False),
        (ON_TRACK, False),
        ("achieved", False),
        ("", False),
    ],
)
def test_is_achieved(status, achieved):
    assert is_achieved(status) is achieved


def test_assess_agrees_with_slip_and_status_for_every_combination():
    """The one-pass form the queries use gives what the two rules give: every ordering of
    baseline, planned, forecast, achievement and as-of date around each other, with and
    without the at-risk flag."""
    day = date(2026, 6, 1)
    around = [day + timedelta(days=n) for n in (-40, -1, 0, 1, 25, 60)]
    for baseline, planned, forecast, achieved, as_of in itertools.product(
        around, around, [None, *around], [None, *around], around
    ):
        for at_risk in (False, True):
            given = MilestoneFacts(baseline, planned, forecast, achieved, at_risk)
            expected = (*slip(given, as_of), milestone_status(given, as_of))
            assert assess(baseline, planned, forecast, achieved, at_risk, as_of) == expected
