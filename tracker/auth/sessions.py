"""Sessions that end when they should.

A session cookie carries the user's id *and* the user's session token (``User.get_id``); the
user loader accepts it only while the token matches the one in the database. Logging out,
a password change or reset, a change of role or of the second factor, and deactivation give
the user a new token, so every session of that user (a copied or replayed cookie included)
ends at its next request. Besides the idle timeout (TRACKER_SESSION_MINUTES) a session ends
TRACKER_SESSION_ABSOLUTE_HOURS after the log-in, however active it was.
"""

from __future__ import annotations

import hmac
import secrets
import time
from enum import Enum

from flask import session
from flask_login import login_user
from sqlalchemy import update
from sqlalchemy.orm.attributes import set_committed_value
from werkzeug.local import LocalProxy

from tracker.auth.models import User
from tracker.extensions import db

LAST_SEEN = "last_seen"
SIGNED_IN_AT = "signed_in_at"


class Expiry(Enum):
    IDLE = "idle"
    ABSOLUTE = "absolute"


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


def user_for(session_id: str) -> User | None:
    """The user a session's ``_user_id`` ("id:token") stands for, if the token still holds."""
    ident, _, token = (session_id or "").partition(":")
    if not ident.isdigit() or not token or len(ident) > 10:
        return None
    user = db.session.get(User, int(ident))
    if user is None or not user.session_token:
        return None
    if not hmac.compare_digest(user.session_token.encode(), token.encode()):
        return None
    return user


def end_sessions(user: User) -> None:
    """End every session of ``user`` (in the caller's transaction).

    A plain UPDATE: the token is no field anyone edits, so it neither moves the row's version
    (an admin's open form on the user stays current) nor fills the audit trail."""
    token = new_session_token()
    db.session.execute(
        update(User).where(User.id == user.id).values(session_token=token),
        execution_options={"synchronize_session": False},
    )
    set_committed_value(user, "session_token", token)


def start(user: User) -> None:
    """Log ``user`` in on a fresh session (a new cookie: nothing of the old one carries over)."""
    if isinstance(user, LocalProxy):  # current_user: Flask-Login must keep the user itself
        user = user._get_current_object()
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language
    login_user(user)
    session.permanent = True
    now = int(time.time())
    session[LAST_SEEN] = now
    session[SIGNED_IN_AT] = now


def renew(user: User) -> None:
    """After the user changed their own password or second factor: end every other session
    of theirs and keep this one, on the new token."""
    end_sessions(user)
    signed_in_at = session.get(SIGNED_IN_AT)
    start(user)
    if isinstance(signed_in_at, int | float):
        session[SIGNED_IN_AT] = signed_in_at  # the absolute lifetime does not start again


def expiry(
    now: float, last_seen, signed_in_at, idle_seconds: float, absolute_seconds: float
) -> Expiry | None:
    """Why a session has ended, or None while it holds. A session without its times (made
    before they were kept, or tampered with) is not trusted."""
    if not isinstance(signed_in_at, int | float) or now - signed_in_at > absolute_seconds:
        return Expiry.ABSOLUTE
    if not isinstance(last_seen, int | float) or now - last_seen > idle_seconds:
        return Expiry.IDLE
    return None
