"""The programme a user works in: the one they opened last in this session, so that the main
menu's Programme, Dashboard, Reports and Meetings stay with a province's own programme beside
the demo; before they open one, the oldest not archived."""

from __future__ import annotations

from flask import session

from tracker.extensions import db
from tracker.projects import queries
from tracker.projects.models import Programme

SESSION_KEY = "programme_id"


def remember(programme_id: int) -> None:
    """Called by the pages of one programme; the cookie is written only when it changes."""
    if session.get(SESSION_KEY) != programme_id:
        session[SESSION_KEY] = programme_id


def remembered_id() -> int | None:
    value = session.get(SESSION_KEY)
    return value if isinstance(value, int) else None


def current_programme() -> Programme | None:
    """The remembered programme while it exists and is not archived, else the first."""
    remembered = remembered_id()
    if remembered is not None:
        programme = db.session.get(Programme, remembered)
        if programme is not None and programme.archived_at is None:
            return programme
    return queries.first_programme()
