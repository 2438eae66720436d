"""Read queries of the reporting season: a programme's due-date terms, the state of every
subproject's update in a quarter, and what a lead has to do. A fixed number of queries each,
whatever the number of subprojects."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import aliased

from tracker.auth.models import User, subproject_leads
from tracker.extensions import db
from tracker.milestones import queries as milestone_queries
from tracker.milestones.status import MilestoneStatus
from tracker.projects.models import Programme, Subproject
from tracker.quarters import Quarter
from tracker.season import rules
from tracker.season.models import SeasonSetting, Submission
from tracker.season.status import SubmissionState
from tracker.tables import records


@dataclass(frozen=True)
class Terms:
    """A programme's season settings; the defaults where the manager has set none."""

    due_days: int = rules.DEFAULT_DUE_DAYS
    reminder_days: int = rules.DEFAULT_REMINDER_DAYS

    def due_date(self, quarter: Quarter) -> date:
        return rules.due_date(quarter, self.due_days)


@dataclass(frozen=True)
class SeasonRow:
    """One subproject's update in a quarter, as the overview and the landing page show it."""

    subproject_id: int
    code: str
    name: str
    programme_id: int
    quarter: Quarter
    state: SubmissionState
    due: date
    days_late: int
    comment: str
    submitted_at: datetime | None
    submitted_by: str | None
    decided_at: datetime | None
    decided_by: str | None


def terms_for(programme_ids) -> dict[int, Terms]:
    """The terms of each programme in ``programme_ids``, in one query."""
    ids = list(set(programme_ids))
    rows = (
        db.session.scalars(select(SeasonSetting).where(SeasonSetting.programme_id.in_(ids))).all()
        if ids
        else []
    )
    found = {row.programme_id: Terms(row.due_days, row.reminder_days) for row in rows}
    return {i: found.get(i, Terms()) for i in ids}


def terms_of(programme_id: int) -> Terms:
    return terms_for([programme_id])[programme_id]


def setting_of(programme_id: int) -> SeasonSetting | None:
    return db.session.scalar(
        select(SeasonSetting).where(SeasonSetting.programme_id == programme_id)
    )


def submission(subproject_id: int, quarter: Quarter) -> Submission | None:
    return db.session.scalar(
        select(Submission).where(
            Submission.subproject_id == subproject_id, Submission.quarter == str(quarter)
        )
    )


def state(subproject_id: int, quarter: Quarter) -> SubmissionState:
    code = db.session.scalar(
        select(Submission.state).where(
            Submission.subproject_id == subproject_id, Submission.quarter == str(quarter)
        )
    )
    return rules.state_of(code)


def approved_quarters(subproject_id: int) -> set[Quarter]:
    """The quarters whose update of the subproject the programme manager has approved."""
    codes = db.session.scalars(
        select(Submission.quarter).where(
            Submission.subproject_id == subproject_id,
            Submission.state == SubmissionState.APPROVED.value,
        )
    )
    return {Quarter.parse(code) for code in codes}


def _rows(query, quarter_of, terms: dict[int, Terms], today: date) -> list[SeasonRow]:
    rows = []
    for row in db.session.execute(query):
        quarter = quarter_of(row)
        due = terms[row.programme_id].due_date(quarter)
        state = rules.state_of(row.state)
        delivered = state in rules.DELIVERED and row.submitted_at is not None
        submitted_on = row.submitted_at.date() if delivered else None
        rows.append(
            SeasonRow(
                subproject_id=row.id,
                code=row.code,
                name=row.name,
                programme_id=row.programme_id,
                quarter=quarter,
                state=state,
                due=due,
                days_late=rules.days_late(due, today, submitted_on),
                comment=row.comment or "",
                submitted_at=row.submitted_at,
                submitted_by=row.submitted_by,
                decided_at=row.decided_at,
                decided_by=row.decided_by,
            )
        )
    return rows


def _season_select(submission_condition):
    """Subprojects with the submission that meets ``submission_condition`` (if any) and the
    names of who submitted and who decided."""
    submitter = aliased(User)
    decider = aliased(User)
    return (
        select(
            Subproject.id,
            Subproject.code,
            Subproject.name,
            Subproject.programme_id,
            Submission.quarter,
            Submission.state,
            Submission.comment,
            Submission.submitted_at,
            submitter.name.label("submitted_by"),
            Submission.decided_at,
            decider.name.label("decided_by"),
        )
        .outerjoin(Submission, (Submission.subproject_id == Subproject.id) & submission_condition)
        .outerjoin(submitter, submitter.id == Submission.submitted_by_id)
        .outerjoin(decider, decider.id == Submission.decided_by_id)
    )


def overview(programme_id: int, quarter: Quarter, today: date) -> list[SeasonRow]:
    """Every subproject of the programme (not archived) with the state of its update of
    ``quarter``, by code. Two queries."""
    query = (
        _season_select(Submission.quarter == str(quarter))
        .where(Subproject.programme_id == programme_id, Subproject.archived_at.is_(None))
        .order_by(Subproject.code)
    )
    return _rows(query, lambda row: quarter, terms_for([programme_id]), today)


def live_programme_ids() -> list[int]:
    return list(
        db.session.scalars(
            select(Programme.id).where(Programme.archived_at.is_(None)).order_by(Programme.id)
        )
    )


def led_subprojects(user_id: int) -> list[Subproject]:
    """The subprojects (not archived, of a programme not archived) ``user_id`` leads."""
    return list(
        db.session.scalars(
            select(Subproject)
            .join(subproject_leads, subproject_leads.c.subproject_id == Subproject.id)
            .join(Programme, Programme.id == Subproject.programme_id)
            .where(
                subproject_leads.c.user_id == user_id,
                Subproject.archived_at.is_(None),
                Programme.archived_at.is_(None),
            )
            .order_by(Subproject.code)
        )
    )


def due_rows(subprojects: list[Subproject], quarter: Quarter, today: date) -> list[SeasonRow]:
    """The state of the update of ``quarter`` of each of ``subprojects``. Two queries."""
    ids = [s.id for s in subprojects]
    if not ids:
        return []
    query = (
        _season_select(Submission.quarter == str(quarter))
        .where(Subproject.id.in_(ids))
        .order_by(Subproject.code)
    )
    return _rows(query, lambda row: quarter, terms_for(s.programme_id for s in subprojects), today)


def returned_rows(subprojects: list[Subproject], today: date) -> list[SeasonRow]:
    """Every update of ``subprojects`` the manager returned and the lead has not resubmitted,
    oldest quarter first. Two queries."""
    ids = [s.id for s in subprojects]
    if not ids:
        return []
    query = (
        _season_select(Submission.state == SubmissionState.RETURNED.value)
        .where(Subproject.id.in_(ids), Submission.id.is_not(None))
        .order_by(Submission.quarter, Subproject.code)
    )
    terms = terms_for(s.programme_id for s in subprojects)
    return _rows(query, lambda row: Quarter.parse(row.quarter), terms, today)


def overdue_milestones(subprojects: list[Subproject], today: date) -> list[dict]:
    """Milestones of ``subprojects`` the milestone rules call overdue, oldest first: two
    queries per programme (a lead seldom leads in more than one)."""
    by_programme: dict[int, list[int]] = {}
    for subproject in subprojects:
        by_programme.setdefault(subproject.programme_id, []).append(subproject.id)
    found = []
    for programme_id, ids in sorted(by_programme.items()):
        frame = milestone_queries.milestones(programme_id, today, ids)
        found += records(frame[frame["status"] == MilestoneStatus.OVERDUE.value])
    return sorted(found, key=lambda m: (m["planned_date"], m["id"]))


def leads_of(subproject_id: int) -> list[User]:
    """The active leads of a subproject."""
    return list(
        db.session.scalars(
            select(User)
            .join(subproject_leads, subproject_leads.c.user_id == User.id)
            .where(subproject_leads.c.subproject_id == subproject_id, User.active.is_(True))
            .order_by(User.id)
        )
    )
