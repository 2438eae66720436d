"""Logging in: the password step, the throttle around it, and the end of a complete log-in.

A log-in is complete only after every factor the user has; only then do the account's failure
counts start again (a password alone does not reset them, or whoever knows it could guess
second-factor codes without ever waiting).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from flask import request, session
from sqlalchemy import func, select

from tracker import timeutil
from tracker.auth import login_throttle, sessions
from tracker.auth.models import User, check_password_of_nobody
from tracker.extensions import db

PENDING_USER = "mfa_pending_user"
PENDING_SINCE = "mfa_pending_since"
PENDING_NEXT = "mfa_pending_next"
PENDING_SECONDS = 300


@dataclass(frozen=True)
class Attempt:
    """What came of a try: the user when the password was right; else how long to wait first
    (``throttled``: refused unseen, because a wait was running already)."""

    user: User | None = None
    wait_seconds: float = 0.0
    throttled: bool = False


def normalised(email: str) -> str:
    return (email or "").strip().lower()[:254]


def client_address() -> str:
    """The client's address (the proxy's X-Forwarded-For when TRACKER_PROXY_COUNT says so)."""
    return request.remote_addr or ""


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalised(email)))


def check_password(email: str, password: str) -> Attempt:
    now = timeutil.utcnow()
    address = client_address()
    wait = login_throttle.wait_seconds(normalised(email), address, now)
    if wait:
        return Attempt(wait_seconds=wait, throttled=True)
    user = find_user(email)
    if user is not None and user.active:
        valid = user.check_password(password)
    else:
        valid = check_password_of_nobody(password)
    if valid:
        return Attempt(user=user)
    return Attempt(wait_seconds=login_throttle.record_failure(normalised(email), address, now))


def throttle_wait(email: str) -> float:
    return login_throttle.wait_seconds(normalised(email), client_address(), timeutil.utcnow())


def record_failure(email: str) -> float:
    """A wrong second-factor code counts like a wrong password."""
    return login_throttle.record_failure(normalised(email), client_address(), timeutil.utcnow())


def start_second_step(user: User, next_url: str | None) -> None:
    """The password was right and the user has a second factor: nobody is logged in yet; the
    session only remembers whose code to ask for, for five minutes."""
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language
    session[PENDING_USER] = user.get_id()
    session[PENDING_SINCE] = int(time.time())
    if next_url:
        session[PENDING_NEXT] = next_url


def pending_user() -> User | None:
    """Whose code the second step asks for, while the five minutes last."""
    since = session.get(PENDING_SINCE)
    if not isinstance(since, int) or time.time() - since > PENDING_SECONDS:
        return None
    user = sessions.user_for(session.get(PENDING_USER, ""))
    return user if user is not None and user.active and user.has_mfa else None


def pending_next() -> str | None:
    return session.get(PENDING_NEXT)


def forget_pending() -> None:
    for key in (PENDING_USER, PENDING_SINCE, PENDING_NEXT):
        session.pop(key, None)


def complete(user: User) -> None:
    """Every factor passed: a fresh session, and the account's failure counts start again."""
    login_throttle.record_success(normalised(user.email), client_address())
    sessions.start(user)
