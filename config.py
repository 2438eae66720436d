"""Configuration classes. Every setting can be overridden by a TRACKER_* environment variable."""

import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


def _env(name: str, default=None):
    return os.environ.get(f"TRACKER_{name}", default)


def _seconds(text: str) -> float | None:
    return float(text) if text.strip() else None


class Config:
    # Without TRACKER_SECRET_KEY a random key is made on first run and kept in SECRET_KEY_FILE
    # (0600); production refuses to start without the setting.
    SECRET_KEY = _env("SECRET_KEY")
    SECRET_KEY_FILE = _env("SECRET_KEY_FILE", str(INSTANCE_DIR / "secret_key"))
    SQLALCHEMY_DATABASE_URI = _env("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'tracker.db'}")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    BABEL_DEFAULT_LOCALE = "nl"
    BABEL_DEFAULT_TIMEZONE = "Europe/Amsterdam"
    LANGUAGES = ("nl", "en")
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _env("SESSION_COOKIE_SECURE", "0") == "1"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = timedelta(minutes=int(_env("SESSION_MINUTES", "60")))
    # However active, a session ends this long after the log-in.
    SESSION_ABSOLUTE_LIFETIME = timedelta(hours=float(_env("SESSION_ABSOLUTE_HOURS", "12")))
    WTF_CSRF_TIME_LIMIT = None
    # Login throttle (tracker/auth/throttle.py): failures allowed before a wait, per account from
    # one address, per account from all addresses, per address; the wait then doubles from the
    # first delay up to its cap. Counts live in the database, shared by all workers.
    LOGIN_FREE_FAILURES = int(_env("LOGIN_FREE_FAILURES", "5"))
    LOGIN_FREE_FAILURES_PER_ACCOUNT = int(_env("LOGIN_FREE_FAILURES_PER_ACCOUNT", "10"))
    LOGIN_FREE_FAILURES_PER_ADDRESS = int(_env("LOGIN_FREE_FAILURES_PER_ADDRESS", "20"))
    LOGIN_FIRST_DELAY_SECONDS = float(_env("LOGIN_FIRST_DELAY_SECONDS", "30"))
    LOGIN_MAX_DELAY_MINUTES = float(_env("LOGIN_MAX_DELAY_MINUTES", "15"))
    # The most a stranger trying an account from elsewhere can make its owner wait.
    LOGIN_MAX_ACCOUNT_DELAY_SECONDS = float(_env("LOGIN_MAX_ACCOUNT_DELAY_SECONDS", "60"))
    LOGIN_FAILURE_MEMORY_MINUTES = float(_env("LOGIN_FAILURE_MEMORY_MINUTES", "60"))
    # Two-step verification (TOTP) required of admins and managers; others may set it up.
    MFA_REQUIRED = _env("MFA_REQUIRED", "0") == "1"
    MFA_ISSUER = _env("MFA_ISSUER", "Toptechniek tracker")
    # How long the security log keeps an event (`flask purge-security-events` removes older ones).
    SECURITY_EVENT_DAYS = int(_env("SECURITY_EVENT_DAYS", "365"))
    # Number of reverse proxies in front of the app whose X-Forwarded-For/-Proto to trust.
    PROXY_COUNT = int(_env("PROXY_COUNT", "0"))
    MAX_CONTENT_LENGTH = 6 * 1024 * 1024
    PRODUCTION = False
    # The job queue (tracker/jobs): empty for SQLite in instance/jobs.db, sqlite:////path/file.db
    # for another file, redis://host:6379/0 for Redis (production, several hosts).
    QUEUE_URL = _env("QUEUE_URL", "")
    # Run every job at once in the caller's thread (tests); never in production.
    JOBS_IMMEDIATE = _env("JOBS_IMMEDIATE", "0") == "1"
    # Report jobs one user may have waiting at a time.
    REPORT_JOBS_PER_USER = int(_env("REPORT_JOBS_PER_USER", "3"))
    # How long a build superseded by newer data stays downloadable from the progress page that
    # followed it.
    REPORT_FOLLOW_MINUTES = int(_env("REPORT_FOLLOW_MINUTES", "30"))
    # A report or closing job not done after this many minutes is taken as lost (a consumer that
    # died) and may be asked for again.
    JOB_TIMEOUT_MINUTES = int(_env("JOB_TIMEOUT_MINUTES", "30"))
    # Seconds after a data change before the concept reports are rebuilt; empty: never.
    REPORT_REBUILD_DELAY = _seconds(_env("REPORT_REBUILD_DELAY", "30"))
    # Seconds a dashboard made before someone else's change may still be shown (it says when it
    # was made); 0: made anew after every change.
    DASHBOARD_GRACE_SECONDS = float(_env("DASHBOARD_GRACE_SECONDS", "10"))
    # Where the app is reached: the links in mails start with it.
    BASE_URL = _env("BASE_URL", "http://localhost:5000")
    # Mail (tracker/mail) through this SMTP server; without one, mails are written to the log.
    MAIL_SERVER = _env("MAIL_SERVER", "")
    MAIL_PORT = int(_env("MAIL_PORT", "25"))
    MAIL_USERNAME = _env("MAIL_USERNAME")
    MAIL_PASSWORD = _env("MAIL_PASSWORD")
    MAIL_USE_TLS = _env("MAIL_USE_TLS", "0") == "1"
    MAIL_DEFAULT_SENDER = _env("MAIL_SENDER", "tracker@localhost")


class DevelopmentConfig(Config):
    pass


class TestConfig(Config):
    TESTING = True
    SQLALCHEMY_DATABASE_URI = _env("TEST_DATABASE_URL", "sqlite://")
    JOBS_IMMEDIATE = True
    REPORT_REBUILD_DELAY = None
    # a test that changes data and then reads the dashboard sees the change; the grace itself is
    # tested in tests/reports/test_fragments.py
    DASHBOARD_GRACE_SECONDS = 0.0
    MAIL_SERVER = ""


class ProductionConfig(Config):
    """Production: secrets must come from the environment, cookies are Secure."""

    PRODUCTION = True
    MFA_REQUIRED = _env("MFA_REQUIRED", "1") == "1"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True


CONFIGS = {
    "development": DevelopmentConfig,
    "production": ProductionConfig,
    "test": TestConfig,
}


def config_from_env():
    return CONFIGS[_env("ENV", "development")]
