from datetime import UTC, date, datetime


def utcnow() -> datetime:
    """Naive UTC timestamp: stored the same on SQLite and PostgreSQL."""
    return datetime.now(UTC).replace(tzinfo=None)


def today() -> date:
    return date.today()
