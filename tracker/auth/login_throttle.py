"""Counts of failed log-ins, kept in the database so that every worker and every host behind a
load balancer shares them (one gunicorn worker's memory would give an attacker a fresh count
per worker). The rule of how long to wait is auth/throttle.py.

Keys are hashed: what someone typed as an email address (a password typed in the wrong field,
say) is never stored.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import case, delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from tracker.auth.models import LoginThrottle
from tracker.auth.throttle import Scope, delay_after, limits
from tracker.extensions import db

_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def _keys(email: str, address: str) -> dict[Scope, str]:
    account = (email or "").strip().lower()[:254]
    values = {
        Scope.ACCOUNT_FROM_ADDRESS: f"{account}\n{address}",
        Scope.ACCOUNT: account,
        Scope.ADDRESS: address or "",
    }
    return {
        scope: hashlib.sha256(f"{scope.value}:{value}".encode()).hexdigest()
        for scope, value in values.items()
    }


def _memory() -> timedelta:
    return timedelta(minutes=float(current_app.config["LOGIN_FAILURE_MEMORY_MINUTES"]))


def wait_seconds(email: str, address: str, now: datetime) -> float:
    """How long this account, from this address, must still wait; 0 when it may try."""
    keys = list(_keys(email, address).values())
    until = db.session.scalar(
        select(LoginThrottle.blocked_until)
        .where(LoginThrottle.key.in_(keys), LoginThrottle.blocked_until > now)
        .order_by(LoginThrottle.blocked_until.desc())
        .limit(1)
    )
    return (until - now).total_seconds() if until else 0.0


def record_failure(email: str, address: str, now: datetime) -> float:
    """Count a failure in each scope, atomically (concurrent failures all count); returns the
    wait it starts, 0 while within the allowance."""
    insert = _INSERTS[db.engine.dialect.name]
    table = LoginThrottle.__table__
    forgotten = table.c.last_failure_at < now - _memory()
    wait = 0.0
    for scope, key in _keys(email, address).items():
        statement = (
            insert(LoginThrottle)
            .values(key=key, failures=1, last_failure_at=now)
            .on_conflict_do_update(
                index_elements=[table.c.key],
                set_={
                    "failures": case((forgotten, 1), else_=table.c.failures + 1),
                    "last_failure_at": now,
                },
            )
            .returning(table.c.failures)
        )
        failures = db.session.execute(statement).scalar_one()
        delay = delay_after(failures, limits(current_app.config)[scope])
        if delay:
            db.session.execute(
                update(LoginThrottle)
                .where(LoginThrottle.key == key)
                .values(blocked_until=now + timedelta(seconds=delay)),
                execution_options={"synchronize_session": False},
            )
        wait = max(wait, delay)
    return wait


def record_success(email: str, address: str) -> None:
    """The owner got in: their account's counts start again (the address's do not, or one
    account of one's own would reset a machine's count against all the others)."""
    keys = _keys(email, address)
    db.session.execute(
        delete(LoginThrottle).where(
            LoginThrottle.key.in_([keys[Scope.ACCOUNT_FROM_ADDRESS], keys[Scope.ACCOUNT]])
        ),
        execution_options={"synchronize_session": False},
    )


def purge(now: datetime) -> int:
    """Forget counts that no longer matter: no wait running and no failure for a while."""
    result = db.session.execute(
        delete(LoginThrottle).where(
            LoginThrottle.last_failure_at < now - _memory(),
            or_(LoginThrottle.blocked_until.is_(None), LoginThrottle.blocked_until <= now),
        ),
        execution_options={"synchronize_session": False},
    )
    return result.rowcount or 0
