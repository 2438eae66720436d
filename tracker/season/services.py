"""Steps of the reporting season: submit, approve, return; the programme's terms; the guard
that keeps an approved update read only for its lead. Every change goes through the ORM, so
the audit trail records each step with who took it."""

from __future__ import annotations

from sqlalchemy import select

from tracker.errors import refuse
from tracker.extensions import db
from tracker.i18n import gettext as _
from tracker.projects.models import QuarterlyUpdate, Subproject
from tracker.quarters import Quarter
from tracker.quarters.display import quarter_text
from tracker.season import queries, rules
from tracker.season.models import SeasonSetting, Submission
from tracker.season.rules import Step
from tracker.season.status import SubmissionState
from tracker.timeutil import utcnow


class NothingToSubmit(Exception):
    """A submit before the lead saved the quarterly update of that quarter."""


class StepRefused(Exception):
    """A step the submission's current state does not allow (someone else took a step)."""

    def __init__(self, state: SubmissionState):
        super().__init__(state)
        self.state = state


def take_step(
    subproject: Subproject, quarter: Quarter, step: Step, user_id: int, comment: str = ""
) -> Submission:
    """Move the update of ``subproject`` for ``quarter`` on by ``step``, taken by ``user_id``;
    :class:`StepRefused` when its state does not allow the step."""
    if step is Step.SUBMIT and not _has_update(subproject.id, quarter):
        raise NothingToSubmit
    record = queries.submission(subproject.id, quarter)
    if record is None:
        record = Submission(subproject_id=subproject.id, quarter=str(quarter), comment="")
        db.session.add(record)
    current = rules.state_of(record.state)
    if not rules.may_take(step, current):
        raise StepRefused(current)
    record.state = rules.after(step, current).value
    now = utcnow()
    if step is Step.SUBMIT:
        record.submitted_at = now
        record.submitted_by_id = user_id
    else:
        record.decided_at = now
        record.decided_by_id = user_id
        record.comment = comment.strip() if step is Step.RETURN else record.comment
    if step is Step.RETURN:
        record.returns = (record.returns or 0) + 1
    return record


def _has_update(subproject_id: int, quarter: Quarter) -> bool:
    found = db.session.scalar(
        select(QuarterlyUpdate.id).where(
            QuarterlyUpdate.subproject_id == subproject_id,
            QuarterlyUpdate.quarter == str(quarter),
        )
    )
    return found is not None


def save_terms(setting: SeasonSetting | None, programme_id: int, data: dict) -> SeasonSetting:
    if setting is None:
        setting = SeasonSetting(programme_id=programme_id)
        db.session.add(setting)
    setting.due_days = data["due_days"]
    setting.reminder_days = data["reminder_days"]
    return setting


def is_read_only_for(user, subproject_id: int, quarter: Quarter) -> bool:
    """Whether ``user`` may not change the quarter's data because it has been approved: a lead
    may not; the programme manager and the admin still may (e.g. to correct a typing error)."""
    if user.role != "lead":
        return False
    return not rules.lead_may_edit(queries.state(subproject_id, quarter))


def read_only_quarters(user, subproject_id: int) -> set[str]:
    """The quarters (as codes) whose data of the subproject ``user`` may not change because
    their update was approved: a page offers no change there (see :func:`is_read_only_for`)."""
    if user.role != "lead":
        return set()
    return {str(quarter) for quarter in queries.approved_quarters(subproject_id)}


def refuse_if_approved(user, subproject_id: int, quarter: Quarter) -> None:
    """Stop a lead's change to an approved quarter with a page that says why (409)."""
    if is_read_only_for(user, subproject_id, quarter):
        refuse(409, _("Update approved"), approved_message(quarter))


def approved_message(quarter: Quarter) -> str:
    return _(
        "The update of %(quarter)s has been approved by the programme manager, so it can no "
        "longer be changed. Ask the programme manager to return it if something needs "
        "correcting.",
        quarter=quarter_text(quarter),
    )
