from datetime import UTC, date, datetime


def utcnow() -> datetime:
    """Naive UTC timestamp: stored the same on SQLite and PostgreSQL."""
    return datetime.now(UTC).replace(tzinfo=None)


def today() -> date:
    return date.today()


def utcnow_aware() -> datetime:
    """The same moment as ``utcnow()``, with its time zone: for computing with epoch seconds."""
    return utcnow().replace(tzinfo=UTC)
