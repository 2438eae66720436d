"""Rules of the reporting season, apart from Flask and the database so they can be tested alone.

A quarter's update is due a number of days (a programme setting) after the quarter ends. The
season collecting updates "now" is the one of the last quarter that has ended: with at most
:data:`MAX_DUE_DAYS` days, a quarter's due date falls before the next quarter ends, so only one
quarter is ever being collected.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

from tracker.quarters import Quarter
from tracker.season.status import SubmissionState

DEFAULT_DUE_DAYS = 15
DEFAULT_REMINDER_DAYS = 5
MAX_DUE_DAYS = 60
MAX_REMINDER_DAYS = 30

DELIVERED = (SubmissionState.SUBMITTED, SubmissionState.APPROVED)


class Step(StrEnum):
    """What a lead or the programme manager does to a submission."""

    SUBMIT = "submit"
    APPROVE = "approve"
    RETURN = "return"


# From which states each step may be taken. Returning an approved update reopens it for a
# correction the manager asks for.
ALLOWED_FROM = {
    Step.SUBMIT: (SubmissionState.DRAFT, SubmissionState.RETURNED),
    Step.APPROVE: (SubmissionState.SUBMITTED,),
    Step.RETURN: (SubmissionState.SUBMITTED, SubmissionState.APPROVED),
}
RESULT = {
    Step.SUBMIT: SubmissionState.SUBMITTED,
    Step.APPROVE: SubmissionState.APPROVED,
    Step.RETURN: SubmissionState.RETURNED,
}


class MailKind(StrEnum):
    """The mails of the season; the code is stored with every mail sent."""

    REMINDER = "reminder"
    OVERDUE = "overdue"
    RETURNED = "returned"
    ALL_IN = "all_in"


def state_of(code: str | None) -> SubmissionState:
    """A stored state, or concept where no submission exists yet."""
    return SubmissionState.get(code) or SubmissionState.DRAFT


def may_take(step: Step, state: SubmissionState) -> bool:
    return state in ALLOWED_FROM[step]


def after(step: Step, state: SubmissionState) -> SubmissionState:
    """The state ``step`` leads to; ValueError when it may not be taken from ``state``."""
    if not may_take(step, state):
        raise ValueError(f"cannot {step} a submission that is {state}")
    return RESULT[step]


def due_date(quarter: Quarter, due_days: int) -> date:
    """The last day the update of ``quarter`` may be submitted on time."""
    return quarter.end + timedelta(days=due_days)


def season_quarter(today: date) -> Quarter:
    """The quarter whose updates are being collected on ``today``: the last one that ended."""
    return Quarter.of(today).previous()


def days_late(due: date, today: date, submitted_on: date | None = None) -> int:
    """Days past the due date: of the submission when it came, else of today; 0 when on time."""
    day = submitted_on or today
    return max(0, (day - due).days)


def lead_may_edit(state: SubmissionState) -> bool:
    """An approved update is read only for its lead until the manager returns it."""
    return state is not SubmissionState.APPROVED


def reminder_due(
    today: date, due: date, reminder_days: int, state: SubmissionState
) -> MailKind | None:
    """The nag a lead whose update is in ``state`` gets on ``today``, if any: a reminder from
    ``reminder_days`` days before the due date up to it, the overdue notice after it."""
    if state in DELIVERED:
        return None
    if today > due:
        return MailKind.OVERDUE
    if (due - today).days <= reminder_days:
        return MailKind.REMINDER
    return None


def all_in(states: list[SubmissionState]) -> bool:
    """Whether every subproject has delivered its update (none at all is not "all in")."""
    return bool(states) and all(state in DELIVERED for state in states)


def quarter_in_programme(quarter: Quarter, start: date, end: date) -> bool:
    """Only quarters that overlap the programme's run are reported on."""
    return quarter.end >= start and quarter.start <= end


def state_order() -> list[SubmissionState]:
    """The states in the order the overview counts them: what needs the manager first."""
    return [
        SubmissionState.SUBMITTED,
        SubmissionState.RETURNED,
        SubmissionState.DRAFT,
        SubmissionState.APPROVED,
    ]
