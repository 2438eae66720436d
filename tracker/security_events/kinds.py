"""What can happen, and how it went: the values a security event stores, with their labels."""

from __future__ import annotations

from enum import StrEnum

from tracker.i18n import lazy_gettext as _l


class Kind(StrEnum):
    """Event names; two contain "password", which bandit and ruff take for one (nosec B105)."""

    LOGIN = "login"
    LOGOUT = "logout"
    MFA_CODE = "mfa_code"
    RECOVERY_CODE = "recovery_code"
    MFA_ENROLLED = "mfa_enrolled"
    MFA_DISABLED = "mfa_disabled"
    MFA_RESET = "mfa_reset"
    RECOVERY_CODES_RENEWED = "recovery_codes_renewed"
    PASSWORD_CHANGED = "password_changed"  # noqa: S105  # nosec B105
    PASSWORD_RESET = "password_reset"  # noqa: S105  # nosec B105
    USER_CREATED = "user_created"
    USER_DELETED = "user_deleted"
    ROLE_CHANGED = "role_changed"
    DEACTIVATED = "deactivated"
    REACTIVATED = "reactivated"
    ACCESS_DENIED = "access_denied"
    CSRF_FAILED = "csrf_failed"
    REPORT_DOWNLOADED = "report_downloaded"


class Outcome(StrEnum):
    SUCCESS = "success"
    FAILURE = "failure"
    REFUSED = "refused"


KIND_LABELS = {
    Kind.LOGIN: _l("Log-in"),
    Kind.LOGOUT: _l("Log-out"),
    Kind.MFA_CODE: _l("Second-factor code"),
    Kind.RECOVERY_CODE: _l("Recovery code used"),
    Kind.MFA_ENROLLED: _l("Two-step verification set up"),
    Kind.MFA_DISABLED: _l("Two-step verification switched off"),
    Kind.MFA_RESET: _l("Two-step verification reset by the application manager"),
    Kind.RECOVERY_CODES_RENEWED: _l("New recovery codes"),
    Kind.PASSWORD_CHANGED: _l("Own password changed"),
    Kind.PASSWORD_RESET: _l("Password set by the application manager"),
    Kind.USER_CREATED: _l("User created"),
    Kind.USER_DELETED: _l("User deleted"),
    Kind.ROLE_CHANGED: _l("Role changed"),
    Kind.DEACTIVATED: _l("User deactivated"),
    Kind.REACTIVATED: _l("User reactivated"),
    Kind.ACCESS_DENIED: _l("Access refused"),
    Kind.CSRF_FAILED: _l("Form without a valid security token"),
    Kind.REPORT_DOWNLOADED: _l("Report or export downloaded"),
}

OUTCOME_LABELS = {
    Outcome.SUCCESS: _l("Succeeded"),
    Outcome.FAILURE: _l("Failed"),
    Outcome.REFUSED: _l("Refused"),
}
