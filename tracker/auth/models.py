from __future__ import annotations

import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import BigInteger, CheckConstraint, Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from tracker.extensions import db
from tracker.timeutil import utcnow

ROLES = ("admin", "manager", "steering", "lead")
MIN_PASSWORD_LENGTH = 12


class PasswordTooShortError(ValueError):
    pass


subproject_leads = Table(
    "subproject_lead",
    db.metadata,
    Column("user_id", ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
    Column("subproject_id", ForeignKey("subproject.id", ondelete="CASCADE"), primary_key=True),
)


class User(UserMixin, db.Model):
    __tablename__ = "user"
    __table_args__ = (
        CheckConstraint("role IN ('admin', 'manager', 'steering', 'lead')", name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    # Part of every session cookie; a new token ends all the user's sessions (auth/sessions.py).
    session_token: Mapped[str] = mapped_column(
        String(64), default=lambda: secrets.token_urlsafe(24)
    )
    # Second factor (auth/mfa.py): the TOTP secret once confirmed, when, and the last time step
    # a code was accepted for (a code is never accepted twice).
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    mfa_enabled_at: Mapped[datetime | None]
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    __mapper_args__ = {"version_id_col": version}

    led_subprojects: Mapped[list[Subproject]] = relationship(  # noqa: F821
        secondary=subproject_leads, back_populates="leads"
    )

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def has_mfa(self) -> bool:
        return bool(self.totp_secret and self.mfa_enabled_at)

    def get_id(self) -> str:
        """What Flask-Login keeps in the session: the id and the current session token."""
        return f"{self.id}:{self.session_token}"

    def set_password(self, password: str) -> None:
        """Every way of setting a password ends here, so the minimum length holds everywhere."""
        if len(password) < MIN_PASSWORD_LENGTH:
            raise PasswordTooShortError(f"use at least {MIN_PASSWORD_LENGTH} characters")
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)


class RecoveryCode(db.Model):
    """A one-time code that stands in for the second factor; only its SHA-256 is kept."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None]


class LoginThrottle(db.Model):
    """Failed log-ins of one scope (an account from an address, an account, an address) under
    a hashed key; see auth/throttle.py for the rule and auth/login_throttle.py for the store."""

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[datetime] = mapped_column(default=utcnow)
    blocked_until: Mapped[datetime | None] = mapped_column(index=True)


_DUMMY_HASH: list[str] = []


def check_password_of_nobody(password: str) -> bool:
    """Spend the time of a real password check when the account is unknown or inactive,
    so the login's answer time does not tell which email addresses have an account."""
    if not _DUMMY_HASH:
        _DUMMY_HASH.append(generate_password_hash("not-a-real-account-password"))
    check_password_hash(_DUMMY_HASH[0], password)
    return False
