"""The rules of the reporting season, without Flask or a database."""

from datetime import date

import pytest

from tracker.quarters import Quarter
from tracker.season import rules
from tracker.season.rules import MailKind, Step
from tracker.season.status import SubmissionState as S

Q3 = Quarter(2026, 3)


def test_a_quarter_without_a_submission_is_a_concept():
    assert rules.state_of(None) is S.DRAFT
    assert rules.state_of("submitted") is S.SUBMITTED


@pytest.mark.parametrize(
    ("step", "before", "after"),
    [
        (Step.SUBMIT, S.DRAFT, S.SUBMITTED),
        (Step.SUBMIT, S.RETURNED, S.SUBMITTED),
        (Step.APPROVE, S.SUBMITTED, S.APPROVED),
        (Step.RETURN, S.SUBMITTED, S.RETURNED),
        (Step.RETURN, S.APPROVED, S.RETURNED),
    ],
)
def test_the_allowed_steps(step, before, after):
    assert rules.after(step, before) is after


@pytest.mark.parametrize(
    ("step", "state"),
    [
        (Step.SUBMIT, S.SUBMITTED),
        (Step.SUBMIT, S.APPROVED),
        (Step.APPROVE, S.DRAFT),
        (Step.APPROVE, S.RETURNED),
        (Step.APPROVE, S.APPROVED),
        (Step.RETURN, S.DRAFT),
        (Step.RETURN, S.RETURNED),
    ],
)
def test_steps_out_of_turn_are_refused(step, state):
    assert not rules.may_take(step, state)
    with pytest.raises(ValueError):
        rules.after(step, state)


def test_due_date_counts_days_after_the_quarter_ends():
    assert rules.due_date(Q3, 15) == date(2026, 10, 15)
    assert rules.due_date(Quarter(2026, 4), 15) == date(2027, 1, 15)
    assert rules.due_date(Q3, 0) == date(2026, 9, 30)


def test_the_season_collects_the_last_quarter_that_ended():
    assert rules.season_quarter(date(2026, 10, 3)) == Q3
    assert rules.season_quarter(date(2027, 1, 1)) == Quarter(2026, 4)


def test_days_late_of_a_submission_count_to_its_day_else_to_today():
    due = date(2026, 10, 15)
    assert rules.days_late(due, date(2026, 10, 15)) == 0
    assert rules.days_late(due, date(2026, 10, 20)) == 5
    assert rules.days_late(due, date(2026, 11, 30), submitted_on=date(2026, 10, 17)) == 2
    assert rules.days_late(due, date(2026, 11, 30), submitted_on=date(2026, 10, 1)) == 0


def test_only_an_approved_update_is_read_only_for_its_lead():
    assert [s for s in S if not rules.lead_may_edit(s)] == [S.APPROVED]


@pytest.mark.parametrize(
    ("today", "state", "expected"),
    [
        (date(2026, 10, 9), S.DRAFT, None),  # six days before: not yet
        (date(2026, 10, 10), S.DRAFT, MailKind.REMINDER),
        (date(2026, 10, 15), S.RETURNED, MailKind.REMINDER),
        (date(2026, 10, 16), S.DRAFT, MailKind.OVERDUE),
        (date(2026, 10, 12), S.SUBMITTED, None),
        (date(2026, 10, 20), S.APPROVED, None),
    ],
)
def test_which_nag_is_due(today, state, expected):
    assert rules.reminder_due(today, date(2026, 10, 15), 5, state) == expected


def test_all_in_needs_every_update_delivered():
    assert rules.all_in([S.SUBMITTED, S.APPROVED])
    assert not rules.all_in([S.SUBMITTED, S.RETURNED])
    assert not rules.all_in([])


def test_quarters_outside_the_programme_are_not_reported_on():
    assert rules.quarter_in_programme(Q3, date(2026, 9, 1), date(2027, 1, 1))
    assert not rules.quarter_in_programme(Q3, date(2026, 10, 1), date(2027, 1, 1))
    assert not rules.quarter_in_programme(Q3, date(2025, 1, 1), date(2026, 6, 30))
