"""Reading the security log: one filtered page, newest first, in two queries whatever its size."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import Select, delete, func, select

from tracker.auth.models import User
from tracker.extensions import db
from tracker.security_events.models import SecurityEvent

PAGE_SIZE = 50


@dataclass(frozen=True)
class Filters:
    kind: str | None = None
    outcome: str | None = None
    account: str | None = None  # part of the email address of the account concerned
    address: str | None = None
    start: date | None = None
    end: date | None = None  # up to and including


@dataclass(frozen=True)
class Page:
    events: list
    page: int
    pages: int
    total: int


def _filtered(query: Select, filters: Filters) -> Select:
    if filters.kind:
        query = query.where(SecurityEvent.kind == filters.kind)
    if filters.outcome:
        query = query.where(SecurityEvent.outcome == filters.outcome)
    if filters.account:
        text = filters.account.strip().lower()
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(func.lower(SecurityEvent.account).like(f"%{escaped}%", escape="\\"))
    if filters.address:
        query = query.where(SecurityEvent.address == filters.address.strip())
    if filters.start:
        query = query.where(SecurityEvent.occurred_at >= _utc_midnight(filters.start))
    if filters.end:
        query = query.where(SecurityEvent.occurred_at < _utc_midnight(filters.end + timedelta(1)))
    return query


def _utc_midnight(day: date) -> datetime:
    """The start of ``day`` as the users count days (Dutch time), in stored (naive UTC) time."""
    local = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return datetime.combine(day, time(), tzinfo=local).astimezone(UTC).replace(tzinfo=None)


def page_of(filters: Filters, page: int = 1) -> Page:
    total = db.session.scalar(_filtered(select(func.count(SecurityEvent.id)), filters)) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    rows = db.session.execute(
        _filtered(
            select(SecurityEvent, User.name).outerjoin(User, User.id == SecurityEvent.user_id),
            filters,
        )
        .order_by(SecurityEvent.occurred_at.desc(), SecurityEvent.id.desc())
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    return Page([(event, name) for event, name in rows], page, pages, total)


def purge(before: datetime) -> int:
    """Delete events older than ``before`` (the retention period); returns how many."""
    result = db.session.execute(
        delete(SecurityEvent).where(SecurityEvent.occurred_at < before),
        execution_options={"synchronize_session": False},
    )
    return result.rowcount or 0
