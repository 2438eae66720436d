"""The steering group's rules on plain values: when an exception report is owed, what it must
say, and which milestones and indicators deviate beyond the programme's tolerances."""

from datetime import date

import pytest

from tracker.steering import rules
from tracker.steering.status import DecisionStatus, RequestAnswer, answers_request

TODAY = date(2026, 11, 24)
STRICT = rules.Tolerances(slip_days=0, points_below=10)


@pytest.mark.parametrize(
    ("lead", "computed", "owed"),
    [
        ("green", "green", False),
        ("green", None, False),
        (None, None, False),
        ("amber", "green", True),
        ("green", "red", True),
        (None, "amber", True),
        ("red", None, True),
    ],
)
def test_an_exception_report_is_owed_when_lead_or_computed_is_amber_or_red(lead, computed, owed):
    assert rules.needs_exception_report(lead, computed) is owed


def test_every_field_of_the_report_is_required_and_blank_text_counts_as_empty():
    report = {name: "x" for name in rules.REQUIRED_FIELDS}
    report["measure_due"] = date(2027, 1, 31)
    assert rules.missing_fields(report) == []
    report.update(cause="   ", measure_due=None)
    assert rules.missing_fields(report) == ["cause", "measure_due"]
    assert rules.is_blank({}) and not rules.is_blank(report)


def _deviation(planned, baseline=None, forecast=None, achieved=None, tolerances=STRICT):
    return rules.milestone_deviation(
        planned, baseline or planned, forecast, achieved, TODAY, tolerances
    )


def test_an_overdue_milestone_deviates_by_its_days_late():
    found = _deviation(date(2026, 11, 1))
    assert found == rules.MilestoneDeviation(rules.OVERDUE, 23)


def test_a_forecast_after_the_planned_date_deviates():
    found = _deviation(date(2027, 3, 1), forecast=date(2027, 3, 31))
    assert found == rules.MilestoneDeviation(rules.FORECAST_LATE, 30)


def test_a_planned_date_moved_past_the_baseline_deviates():
    found = _deviation(date(2027, 3, 11), baseline=date(2027, 3, 1))
    assert found == rules.MilestoneDeviation(rules.MOVED, 10)


def test_overdue_comes_before_a_move():
    found = _deviation(date(2026, 11, 1), baseline=date(2026, 9, 1))
    assert found.kind == rules.OVERDUE


def test_within_tolerance_a_milestone_does_not_deviate():
    lenient = rules.Tolerances(slip_days=30, points_below=10)
    assert _deviation(date(2026, 11, 1), tolerances=lenient) is None
    assert _deviation(date(2026, 10, 1), tolerances=lenient).days == 54


def test_an_achieved_milestone_never_deviates():
    assert _deviation(date(2026, 1, 1), achieved=date(2026, 3, 1)) is None
    # achieved after the day judged: still open then
    assert _deviation(date(2026, 11, 1), achieved=date(2026, 12, 1)) is not None


def test_an_indicator_deviates_beyond_the_tolerated_points():
    assert rules.points_below(0.5, 0.75) == 25.0
    assert rules.indicator_deviates(0.5, 0.75, STRICT)
    assert not rules.indicator_deviates(0.5, 0.75, rules.Tolerances(0, 25))
    assert not rules.indicator_deviates(None, 0.5, STRICT)
    assert not rules.indicator_deviates(float("nan"), 0.5, STRICT)


@pytest.mark.parametrize(
    ("previous", "current", "changed"),
    [
        ("green", "amber", True),
        ("amber", "amber", False),
        (None, "red", True),
        (None, "green", False),
    ],
)
def test_a_status_change_between_quarters(previous, current, changed):
    assert rules.rag_change(previous, current) is changed


def test_subprojects_without_an_update_are_named_in_order():
    assert rules.not_reported([3, 1, 2], {1}) == [3, 2]


def test_a_quarter_is_judged_today_while_it_runs_else_on_its_last_day():
    assert rules.judged_on(date(2026, 10, 1), date(2026, 12, 31), TODAY) == TODAY
    assert rules.judged_on(date(2026, 7, 1), date(2026, 9, 30), TODAY) == date(2026, 9, 30)


def test_a_postponed_answer_keeps_the_request_open():
    assert answers_request(RequestAnswer.TAKEN) and answers_request("rejected")
    assert not answers_request("postponed") and not answers_request(None)


def test_decision_statuses_read_as_the_steering_group_says_them():
    assert [s.value for s in DecisionStatus] == ["open", "in_progress", "completed", "lapsed"]
