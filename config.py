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
    SECRET_KEY = _env("SECRET_KEY", "dev-only-not-secret")
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
    WTF_CSRF_TIME_LIMIT = None
    # Login throttling (Flask-Limiter). Memory storage counts per worker process; point
    # TRACKER_RATELIMIT_STORAGE_URI at e.g. redis://host:6379 to share counts between workers.
    RATELIMIT_STORAGE_URI = _env("RATELIMIT_STORAGE_URI", "memory://")
    LOGIN_LIMIT_PER_ADDRESS = _env("LOGIN_LIMIT_PER_ADDRESS", "10 per minute")
    LOGIN_LIMIT_PER_ACCOUNT = _env("LOGIN_LIMIT_PER_ACCOUNT", "5 per 15 minutes")
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
    # A report or closing job not done after this many minutes is taken as lost (a consumer that
    # died) and may be asked for again.
    JOB_TIMEOUT_MINUTES = int(_env("JOB_TIMEOUT_MINUTES", "30"))
    # Seconds after a data change before the concept reports are rebuilt; empty: never.
    REPORT_REBUILD_DELAY = _seconds(_env("REPORT_REBUILD_DELAY", "30"))


class DevelopmentConfig(Config):
    pass


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret"  # noqa: S105
    SQLALCHEMY_DATABASE_URI = _env("TEST_DATABASE_URL", "sqlite://")
    JOBS_IMMEDIATE = True
    REPORT_REBUILD_DELAY = None


class ProductionConfig(Config):
    """Production: secrets must come from the environment, cookies are Secure."""

    PRODUCTION = True
    SECRET_KEY = _env("SECRET_KEY")
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True


CONFIGS = {
    "development": DevelopmentConfig,
    "production": ProductionConfig,
    "test": TestConfig,
}


def config_from_env():
    return CONFIGS[_env("ENV", "development")]
