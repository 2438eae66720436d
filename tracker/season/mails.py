"""The mails of the reporting season and the daily run that sends the reminders.

Each mail is a job (``send_season_mail``) that looks at the data again when it runs, so a
lead who submitted meanwhile gets no reminder, and records what it sent under a unique key, so
a second run of the day, a retried job or two consumers at once send nothing twice. A mail
names one subproject, to its own leads only; the managers' "all in" names none.
"""

from __future__ import annotations

import logging
from datetime import date

from flask import current_app
from huey import crontab
from sqlalchemy import select

from tracker import timeutil
from tracker.auth.models import User, subproject_leads
from tracker.extensions import db
from tracker.i18n import gettext as _
from tracker.jobs import job
from tracker.mail import preferences, sender
from tracker.mail.models import SentMail
from tracker.projects.models import Programme, Subproject
from tracker.quarters import Quarter
from tracker.quarters.display import quarter_text
from tracker.season import queries, rules
from tracker.season.rules import MailKind

logger = logging.getLogger(__name__)


def send_reminders(today: date) -> int:
    """One day's reminders and overdue notices, and the managers' "all in" where it is due;
    how many mails were queued. Safe to run more than once a day."""
    queued = 0
    quarter = rules.season_quarter(today)
    sent = sender.sent_keys(str(quarter))
    programmes = db.session.scalars(
        select(Programme).where(Programme.archived_at.is_(None)).order_by(Programme.id)
    ).all()
    for programme in programmes:
        if not rules.quarter_in_programme(quarter, programme.start_date, programme.end_date):
            continue
        rows = queries.overview(programme.id, quarter, today)
        queued += _nag_leads(programme, quarter, rows, today, sent)
        if rules.all_in([row.state for row in rows]):
            queued += _announce_all_in(programme.id, quarter, sent, today)
    return queued


def _nag_leads(programme, quarter: Quarter, rows, today: date, sent) -> int:
    terms = queries.terms_of(programme.id)
    due = terms.due_date(quarter)
    wanted = {}
    for row in rows:
        kind = rules.reminder_due(today, due, terms.reminder_days, row.state)
        if kind is not None:
            wanted[row.subproject_id] = kind
    if not wanted:
        return 0
    leads = db.session.execute(
        select(subproject_leads.c.subproject_id, User.id)
        .join(User, User.id == subproject_leads.c.user_id)
        .where(subproject_leads.c.subproject_id.in_(list(wanted)), User.active.is_(True))
        .order_by(subproject_leads.c.subproject_id, User.id)
    ).all()
    quiet = preferences.opted_out(user_id for _, user_id in leads)
    queued = 0
    for subproject_id, user_id in leads:
        kind = wanted[subproject_id]
        if (kind, user_id, subproject_id, 0) in sent:
            continue
        if kind is MailKind.REMINDER and user_id in quiet:
            continue
        _enqueue(kind, user_id, programme.id, str(quarter), subproject_id, today=today)
        queued += 1
    return queued


def _announce_all_in(programme_id: int, quarter: Quarter, sent, today: date) -> int:
    managers = db.session.scalars(
        select(User.id).where(User.role == "manager", User.active.is_(True)).order_by(User.id)
    ).all()
    queued = 0
    for user_id in managers:
        if (MailKind.ALL_IN.value, user_id, None, 0) not in sent:
            _enqueue(MailKind.ALL_IN, user_id, programme_id, str(quarter), None, today=today)
            queued += 1
    return queued


def after_submit(programme_id: int, quarter: Quarter) -> None:
    """The submission that completes the quarter tells the managers at once."""
    today = timeutil.today()
    rows = queries.overview(programme_id, quarter, today)
    if rules.all_in([row.state for row in rows]):
        _announce_all_in(programme_id, quarter, sender.sent_keys(str(quarter)), today)


def after_return(subproject: Subproject, quarter: Quarter, occasion: int) -> None:
    """Each lead of the subproject hears of the return, with the manager's comment."""
    for lead in queries.leads_of(subproject.id):
        _enqueue(
            MailKind.RETURNED,
            lead.id,
            subproject.programme_id,
            str(quarter),
            subproject.id,
            occasion,
        )


def _enqueue(kind, user_id, programme_id, quarter, subproject_id, occasion=0, today=None):
    """Queue one mail. A queue that is down costs the mail, never the step already saved: the
    daily run queues reminders again, and the log says what was lost."""
    # End this session's transaction first: a job run at once (TRACKER_JOBS_IMMEDIATE) works on
    # a connection of its own, and SQLite lets one writer at a time.
    db.session.commit()
    try:
        day = (today or timeutil.today()).isoformat()
        send_season_mail.enqueue(
            str(kind), user_id, programme_id, quarter, subproject_id, occasion, day
        )
    except Exception:
        logger.exception("could not queue the %s mail to user %s", kind, user_id)


@job(retries=3, retry_delay=300)
def send_season_mail(
    kind: str,
    user_id: int,
    programme_id: int,
    quarter: str,
    subproject_id: int | None,
    occasion: int = 0,
    day: str | None = None,
) -> bool:
    """Compose and send one mail of the season if it is still due on ``day`` (ISO date, the
    day the run was for); whether it was sent."""
    user = db.session.get(User, user_id)
    programme = db.session.get(Programme, programme_id)
    if user is None or not user.active or programme is None:
        return False
    period = Quarter.parse(quarter)
    subproject = db.session.get(Subproject, subproject_id) if subproject_id else None
    today = date.fromisoformat(day) if day else timeutil.today()
    mail = _compose(MailKind(kind), user, programme, period, subproject, occasion, today)
    if mail is None:
        return False
    record = SentMail(
        kind=kind,
        user_id=user.id,
        programme_id=programme.id,
        subproject_id=subproject_id,
        quarter=quarter,
        occasion=occasion,
    )
    return sender.deliver(record, user.email, mail)


def _compose(kind: MailKind, user, programme, quarter: Quarter, subproject, occasion, today):
    """The mail, or None when it is no longer due (submitted meanwhile, switched off, no longer
    a lead of the subproject, returned again since)."""
    terms = queries.terms_of(programme.id)
    context = {
        "user": user,
        "programme": programme,
        "quarter": quarter,
        "due": terms.due_date(quarter),
        "subproject": subproject,
    }
    locale = sender.language_of(user)
    if kind is MailKind.ALL_IN:
        if user.role != "manager":
            return None
        rows = queries.overview(programme.id, quarter, today)
        if not rules.all_in([row.state for row in rows]):
            return None
        return sender.compose(
            "all_in",
            locale,
            lambda: _("All updates of %(quarter)s are in", quarter=quarter_text(quarter)),
            count=len(rows),
            **context,
        )
    if subproject is None or user.id not in {lead.id for lead in subproject.leads}:
        return None
    record = queries.submission(subproject.id, quarter)
    state = rules.state_of(record.state if record else None)
    if kind is MailKind.RETURNED:
        if state != "returned" or record.returns != occasion:
            return None
        return sender.compose(
            "returned",
            locale,
            lambda: _(
                "Update %(quarter)s of %(code)s returned",
                quarter=quarter_text(quarter),
                code=subproject.code,
            ),
            comment=record.comment,
            decided_by=record.decided_by.name if record.decided_by else "",
            **context,
        )
    if rules.reminder_due(today, context["due"], terms.reminder_days, state) is not kind:
        return None
    if kind is MailKind.REMINDER:
        if not preferences.reminders_on(user.id):
            return None
        return sender.compose(
            "reminder",
            locale,
            lambda: _(
                "Reminder: update %(quarter)s of %(code)s",
                quarter=quarter_text(quarter),
                code=subproject.code,
            ),
            days_left=(context["due"] - today).days,
            **context,
        )
    return sender.compose(
        "overdue",
        locale,
        lambda: _(
            "Update %(quarter)s of %(code)s is overdue",
            quarter=quarter_text(quarter),
            code=subproject.code,
        ),
        days_late=rules.days_late(context["due"], today),
        **context,
    )


@job(periodic=crontab(minute="0", hour="6"))
def daily_reminders() -> None:
    """Every morning at 06:00 UTC wherever a consumer runs (``flask run-jobs``)."""
    queued = send_reminders(timeutil.today())
    current_app.logger.info("reminders: %d mails queued", queued)
