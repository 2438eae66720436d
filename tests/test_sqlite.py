"""SQLite under several workers: a write request holds the writer lock from its first read, so
its reads and write are one transaction; a read request never blocks a writer."""

import sqlite3

import pytest

from tracker.extensions import db
from tracker.models import Subproject


@pytest.fixture
def sqlite_file(app):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite only")
        return db.engine.url.database


def _other_writer_can_start(database) -> bool:
    other = sqlite3.connect(database, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError as error:
        assert "locked" in str(error)
        return False
    finally:
        other.close()


@pytest.mark.parametrize("method,blocks", [("POST", True), ("GET", False)])
def test_write_requests_take_the_writer_lock_at_their_first_read(
    app, world, sqlite_file, method, blocks
):
    with app.test_request_context("/", method=method):
        assert db.session.get(Subproject, world["a"]).name == "Leerlijn"
        assert _other_writer_can_start(sqlite_file) is not blocks
        db.session.remove()
    assert _other_writer_can_start(sqlite_file)


def test_a_read_request_writes_its_security_event_under_the_writer_lock(app, world, sqlite_file):
    """A report download (a GET) records a security event on its own. Its transaction holds
    the writer lock from the start, so another worker's write in between cannot turn the insert
    into "database is locked" (the flush reads first: SQLite cannot upgrade that snapshot)."""
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    from tracker.security_events import recorder
    from tracker.security_events.kinds import Kind, Outcome

    seen = []

    def at_flush(session, *_):
        seen.append(_other_writer_can_start(sqlite_file))

    event.listen(Session, "before_flush", at_flush)
    try:
        with app.test_request_context("/reports/builds/1.pdf", method="GET"):
            db.session.get(Subproject, world["a"])
            recorder.record_now(Kind.REPORT_DOWNLOADED, Outcome.SUCCESS, detail="x.pdf")
            db.session.remove()
    finally:
        event.remove(Session, "before_flush", at_flush)
    assert seen == [False]
