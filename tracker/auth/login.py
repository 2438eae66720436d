"""Logging in: the password step, the throttle around it, and the end of a complete log-in.

A log-in is complete only after every factor the user has; only then do the account's failure
counts start again (a password alone does not reset them, or whoever knows it could guess
second-factor codes without ever waiting).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import request
from sqlalchemy import func, select

from tracker import timeutil
from tracker.auth import login_throttle, sessions
from tracker.auth.models import User, check_password_of_nobody
from tracker.extensions import db


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


def complete(user: User) -> None:
    """Every factor passed: a fresh session, and the account's failure counts start again."""
    login_throttle.record_success(normalised(user.email), client_address())
    sessions.start(user)
