"""Writing security events. ``record`` adds the event to the request's transaction, so it is
kept exactly when the change it tells of is (a role change, a log-in). ``record_now`` is for
refusals, whose request saves nothing else: it ends the request's transaction and writes the
event on its own; a failure to write it is logged, never turned into an error page."""

from __future__ import annotations

import logging

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from tracker import sqlite, timeutil
from tracker.extensions import db
from tracker.security_events.kinds import Kind, Outcome
from tracker.security_events.models import SecurityEvent

log = logging.getLogger(__name__)


def _acting_user_id() -> int | None:
    user = current_user._get_current_object() if has_request_context() else None
    if user is not None and user.is_authenticated:
        return user.id
    return None


def _event(kind: Kind, outcome: Outcome, *, user=None, account=None, detail="") -> SecurityEvent:
    if user is not None and account is None:
        account = user.email
    return SecurityEvent(
        occurred_at=timeutil.utcnow(),
        kind=kind.value,
        outcome=outcome.value,
        user_id=user.id if user is not None and user.id else _acting_user_id(),
        account=(account or None) and account[:254],
        address=(request.remote_addr or "")[:64] if has_request_context() else "",
        path=request.path[:300] if has_request_context() else "",
        detail=(detail or "")[:500],
    )


def record(kind: Kind, outcome: Outcome, *, user=None, account=None, detail="") -> None:
    """Add an event to the current transaction. ``user``: whose event it is when nobody is
    logged in yet (a log-in); ``account``: the account concerned when the user logged in acts
    on another (the admin changing a role)."""
    db.session.add(_event(kind, outcome, user=user, account=account, detail=detail))


def record_now(kind: Kind, outcome: Outcome, *, detail="") -> None:
    """Write an event of a refused request at once, in a transaction of its own."""
    try:
        event = _event(kind, outcome, detail=detail)
        if event.user_id is not None and event.account is None:
            event.account = current_user.email
        db.session.rollback()
        # in a GET too, the writer lock from the start: the flush reads before it inserts, and
        # on SQLite a read transaction that another worker wrote past cannot become a write
        with sqlite.writing():
            db.session.add(event)
            db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        log.warning("Security event %s not written", kind, exc_info=True)
