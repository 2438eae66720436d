"""The second factor in the database: set it up, check a code at log-in, renew the recovery
codes, switch it off, and the admin's reset. Every step writes a security event; the rules are
auth/mfa.py."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import delete, select, update

from tracker import timeutil
from tracker.auth import mfa
from tracker.auth.models import RecoveryCode, User
from tracker.auth.sessions import end_sessions
from tracker.extensions import db
from tracker.security_events import recorder as security_log
from tracker.security_events.kinds import Kind, Outcome

MFA_ROLES = ("admin", "manager")


def required_for(user: User) -> bool:
    """Admins and managers must have a second factor where TRACKER_MFA_REQUIRED is on
    (the default in production); for everyone else it is their choice."""
    return bool(current_app.config.get("MFA_REQUIRED")) and user.role in MFA_ROLES


def must_set_up(user: User) -> bool:
    return required_for(user) and not user.has_mfa


def _store_recovery_codes(user: User) -> list[str]:
    codes = mfa.new_recovery_codes()
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.add_all(
        RecoveryCode(user_id=user.id, code_hash=mfa.recovery_code_hash(code)) for code in codes
    )
    return codes


def set_up(user: User, secret: str, code: str) -> list[str] | None:
    """Confirm the secret the user's app now holds with one of its codes; returns the recovery
    codes (to be shown once), or None when the code does not fit the secret."""
    step = mfa.accepted_step(secret, code, timeutil.utcnow_aware(), None)
    if step is None:
        security_log.record(Kind.MFA_ENROLLED, Outcome.FAILURE, detail="wrong code")
        return None
    user.totp_secret = secret
    user.mfa_enabled_at = timeutil.utcnow()
    db.session.flush()
    _set_last_step(user, step)
    codes = _store_recovery_codes(user)
    security_log.record(Kind.MFA_ENROLLED, Outcome.SUCCESS)
    return codes


def _set_last_step(user: User, step: int) -> None:
    """A plain UPDATE: accepting a code is no edit of the user (no new version, no history)."""
    db.session.execute(
        update(User).where(User.id == user.id).values(totp_last_step=step),
        execution_options={"synchronize_session": False},
    )


def check_code(user: User, code: str) -> Kind | None:
    """A log-in's second step: a code from the app, or else an unused recovery code (used up
    by this). Returns which kind of code passed, or None."""
    if not user.has_mfa:
        return None
    step = mfa.accepted_step(user.totp_secret, code, timeutil.utcnow_aware(), user.totp_last_step)
    if step is not None:
        _set_last_step(user, step)
        return Kind.MFA_CODE
    if mfa.looks_like_recovery_code(code):
        used = db.session.execute(
            update(RecoveryCode)
            .where(
                RecoveryCode.user_id == user.id,
                RecoveryCode.code_hash == mfa.recovery_code_hash(code),
                RecoveryCode.used_at.is_(None),
            )
            .values(used_at=timeutil.utcnow()),
            execution_options={"synchronize_session": False},
        )
        if used.rowcount == 1:  # an UPDATE, so two log-ins cannot both use one code
            return Kind.RECOVERY_CODE
    return None


def unused_recovery_codes(user: User) -> int:
    return len(
        db.session.scalars(
            select(RecoveryCode.id).where(
                RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
            )
        ).all()
    )


def renew_recovery_codes(user: User) -> list[str]:
    codes = _store_recovery_codes(user)
    security_log.record(Kind.RECOVERY_CODES_RENEWED, Outcome.SUCCESS)
    return codes


def _remove(user: User) -> None:
    user.totp_secret = None
    user.mfa_enabled_at = None
    db.session.flush()
    db.session.execute(
        update(User).where(User.id == user.id).values(totp_last_step=None),
        execution_options={"synchronize_session": False},
    )
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))


def switch_off(user: User) -> None:
    """The user's own choice; not for a role that requires the second factor."""
    _remove(user)
    security_log.record(Kind.MFA_DISABLED, Outcome.SUCCESS)


def reset(user: User) -> None:
    """The admin's reset for a user who lost their phone and codes: the second factor goes and
    every session of the user ends; a role that requires it sets it up again at next log-in."""
    _remove(user)
    end_sessions(user)
    security_log.record(Kind.MFA_RESET, Outcome.SUCCESS, account=user.email)
