"""Reading the audit trail: one query per page, newest first, with the acting user's name.

History pages show :data:`PAGE_SIZE` entries at a time with links to older ones (a long-running
programme's history runs to thousands of entries)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, or_, select

from tracker.audit.models import AuditEntry
from tracker.auth.models import User
from tracker.extensions import db
from tracker.fetch import column_rows, prepared

PAGE_SIZE = 50
MAX_PAGE = 10_000


@dataclass(frozen=True)
class Entry:
    id: int
    at: datetime
    user_name: str | None
    entity: str
    entity_id: int
    action: str
    subproject_id: int | None
    changes: dict
    version: int | None = None


@dataclass(frozen=True)
class Page:
    entries: list[Entry]
    number: int
    has_older: bool


def _run(query, limit: int = PAGE_SIZE, offset: int = 0) -> list[Entry]:
    query = (
        query.outerjoin(User, User.id == AuditEntry.user_id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return [
        Entry(
            id=entry.id,
            at=entry.at,
            user_name=name,
            entity=entry.entity,
            entity_id=entry.entity_id,
            action=entry.action,
            subproject_id=entry.subproject_id,
            changes={k: v for k, v in (entry.changes or {}).items() if k != "version"},
            version=_new_version(entry.changes),
        )
        for entry, name in db.session.execute(query)
    ]


def _new_version(changes: dict | None) -> int | None:
    pair = (changes or {}).get("version")
    try:
        return int(pair[1])
    except (TypeError, ValueError, IndexError):
        return None


def _page(query, number: int) -> Page:
    """Page ``number`` (from 1, newest first) of the query's entries: one query."""
    number = min(max(number, 1), MAX_PAGE)
    rows = _run(query, PAGE_SIZE + 1, (number - 1) * PAGE_SIZE)
    return Page(rows[:PAGE_SIZE], number, len(rows) > PAGE_SIZE)


def for_subproject(subproject_id: int, page: int = 1) -> Page:
    return _page(
        select(AuditEntry, User.name).where(AuditEntry.subproject_id == subproject_id), page
    )


def _records_query(records: dict[str, list[int]]):
    conditions = [
        and_(AuditEntry.entity == entity, AuditEntry.entity_id.in_(ids))
        for entity, ids in records.items()
        if ids
    ]
    return select(AuditEntry, User.name).where(or_(*conditions)) if conditions else None


def for_records(records: dict[str, list[int]]) -> list[Entry]:
    """The newest entries of the given records, e.g. {"Indicator": [3], "Measurement": [7, 8]}."""
    query = _records_query(records)
    return [] if query is None else _run(query)


def records_page(records: dict[str, list[int]], page: int = 1) -> Page:
    query = _records_query(records)
    return Page([], 1, False) if query is None else _page(query, page)


def search(
    user_id: int | None = None,
    start: date | None = None,
    end: date | None = None,
    page: int = 1,
) -> Page:
    """Entries by one user and/or within a date range (both days inclusive)."""
    query = select(AuditEntry, User.name)
    if user_id is not None:
        query = query.where(AuditEntry.user_id == user_id)
    if start is not None:
        query = query.where(AuditEntry.at >= datetime.combine(start, time.min))
    if end is not None:
        query = query.where(AuditEntry.at < datetime.combine(end + timedelta(days=1), time.min))
    return _page(query, page)


def data_version() -> tuple[int, datetime] | None:
    """The newest audit entry's id and time: it changes with every create, update and delete of
    a domain record, since each writes an entry in its own transaction. A cache of what is
    computed from the data keys on it (the dashboard's :mod:`tracker.reports.fragments`)."""
    rows = column_rows(_data_version_query())
    return tuple(rows[0]) if rows else None


@prepared
def _data_version_query():
    return select(AuditEntry.id, AuditEntry.at).order_by(AuditEntry.id.desc()).limit(1)
