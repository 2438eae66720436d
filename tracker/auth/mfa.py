"""The second factor's rules, without the database: TOTP codes (RFC 6238, as authenticator
apps make them), the QR code that carries the secret, and recovery codes.

A TOTP code is accepted for the current 30-second step and the one either side (clocks
drift), and never twice: the step a code was accepted for is kept, and a code of that step or
an earlier one is refused, so a code seen over someone's shoulder cannot be replayed.
Recovery codes carry 80 random bits; only their SHA-256 is stored, and each works once.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import datetime

import pyotp
import segno

STEP_SECONDS = 30
RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread
_RECOVERY_GROUPS = 4
_RECOVERY_GROUP_LENGTH = 4


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, email: str, issuer: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=issuer)


def qr_data_uri(uri: str) -> str:
    """The QR code as an SVG data URI, drawn here: no image service sees the secret."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2)


def secret_groups(secret: str) -> str:
    """The secret in groups of four, for typing it into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _digits(code: str) -> str:
    return re.sub(r"\s", "", code or "")


def accepted_step(secret: str, code: str, now: datetime, last_step: int | None) -> int | None:
    """The time step ``code`` is valid for, or None (wrong, expired or already used)."""
    code = _digits(code)
    if not re.fullmatch(r"\d{6}", code):
        return None
    totp = pyotp.TOTP(secret)
    current = int(now.timestamp()) // STEP_SECONDS
    for step in (current, current - 1, current + 1):
        if last_step is not None and step <= last_step:
            continue
        if hmac.compare_digest(totp.at(step * STEP_SECONDS), code):
            return step
    return None


def new_recovery_codes() -> list[str]:
    return [
        "-".join(
            "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_GROUP_LENGTH))
            for _ in range(_RECOVERY_GROUPS)
        )
        for _ in range(RECOVERY_CODE_COUNT)
    ]


def looks_like_recovery_code(code: str) -> bool:
    return len(re.sub(r"[\s-]", "", code or "")) == _RECOVERY_GROUPS * _RECOVERY_GROUP_LENGTH


def recovery_code_hash(code: str) -> str:
    """Typed with or without dashes, spaces or capitals: the same code."""
    normalised = re.sub(r"[\s-]", "", (code or "").lower())
    return hashlib.sha256(normalised.encode()).hexdigest()
