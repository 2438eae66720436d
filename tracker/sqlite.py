"""SQLite settings for several workers: foreign keys on, WAL, a busy timeout, and transactions
that SQLite can serialise without "database is locked".

pysqlite by default sends BEGIN only just before the first INSERT/UPDATE/DELETE, so a request's
reads run outside its transaction (a page's queries may see different data, and a save checks
its version outside the transaction that writes). With a real BEGIN at the first read, a
transaction that reads first and writes later would fail at once with "database is locked"
(SQLITE_BUSY_SNAPSHOT, which the busy timeout cannot help) when another worker wrote in between.
So the driver's transaction handling is switched off and we emit BEGIN ourselves: BEGIN IMMEDIATE
for requests that may write (POST, PUT, PATCH, DELETE), which waits (up to busy_timeout) for the
writer lock before its first read, and a deferred BEGIN for reads, which in WAL mode never wait
and see one consistent snapshot. See SQLAlchemy's pysqlite notes on "Serializable isolation /
Savepoints / Transactional DDL".
"""

import contextlib
import contextvars

from flask import Flask, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

from tracker.extensions import db

READ_ONLY_METHODS = ("GET", "HEAD", "OPTIONS")

_writing: contextvars.ContextVar[bool] = contextvars.ContextVar("sqlite_writing", default=False)


def _on_connect(dbapi_connection, _record):
    dbapi_connection.isolation_level = None  # we emit BEGIN ourselves, see _on_begin
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


@contextlib.contextmanager
def writing():
    """Transactions begun inside take the writer lock first (BEGIN IMMEDIATE), as a POST does:
    for a job, or a GET that records something, whose transaction reads and then writes. Begin
    a new transaction inside (commit the one before); keep it short, it holds up other writers."""
    token = _writing.set(True)
    try:
        yield
    finally:
        _writing.reset(token)


def _writes() -> bool:
    if _writing.get():
        return True
    return has_request_context() and request.method not in READ_ONLY_METHODS


def _on_begin(connection):
    connection.exec_driver_sql("BEGIN IMMEDIATE" if _writes() else "BEGIN")


def init_app(app: Flask) -> None:
    with app.app_context():
        engine: Engine = db.engine
        if engine.dialect.name == "sqlite" and not getattr(engine, "_tracker_pragmas", False):
            event.listen(engine, "connect", _on_connect)
            event.listen(engine, "begin", _on_begin)
            engine._tracker_pragmas = True
