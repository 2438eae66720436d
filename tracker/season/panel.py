"""What the quarter page shows of the season: the state of the update, its due date, and the
forms to submit it (lead) or approve or return it (programme manager)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tracker.auth.permissions import can_manage_programme
from tracker.projects.models import Subproject
from tracker.quarters import Quarter
from tracker.season import queries, rules
from tracker.season.forms import ReviewForm, SubmitForm
from tracker.season.models import Submission
from tracker.season.rules import Step
from tracker.season.status import SubmissionState


@dataclass
class Panel:
    state: SubmissionState
    record: Submission | None
    due: date
    days_late: int
    read_only: bool
    submit_form: SubmitForm | None
    review_form: ReviewForm | None


def quarter_panel(user, subproject: Subproject, quarter: Quarter, today: date) -> Panel:
    record = queries.submission(subproject.id, quarter)
    state = rules.state_of(record.state if record else None)
    due = queries.terms_of(subproject.programme_id).due_date(quarter)
    version = str(record.version) if record else ""
    submitted_on = record.submitted_at.date() if record and state in rules.DELIVERED else None
    manager = can_manage_programme(user)
    return Panel(
        state=state,
        record=record,
        due=due,
        days_late=rules.days_late(due, today, submitted_on),
        read_only=user.role == "lead" and not rules.lead_may_edit(state),
        submit_form=SubmitForm(formdata=None, prefix=SubmitForm.PREFIX, version=version)
        if rules.may_take(Step.SUBMIT, state)
        else None,
        review_form=ReviewForm(formdata=None, prefix=ReviewForm.PREFIX, version=version)
        if manager and (rules.may_take(Step.APPROVE, state) or rules.may_take(Step.RETURN, state))
        else None,
    )
