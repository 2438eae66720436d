"""SQLite settings for several workers: foreign keys on, WAL, a busy timeout, and write
transactions that take the write lock up front.

In WAL mode a transaction that starts with a read and later writes fails at once with
"database is locked" (SQLITE_BUSY_SNAPSHOT) when another connection wrote in between; the busy
timeout cannot help it. So the driver's own transaction handling is switched off and we emit
BEGIN ourselves: BEGIN IMMEDIATE for requests that may write (POST, PUT, PATCH, DELETE), which
waits for the writer lock (up to busy_timeout) before reading, and a plain deferred BEGIN for
reads, which never wait in WAL mode. See SQLAlchemy's pysqlite notes on "Serializable
isolation / Savepoints / Transactional DDL".
"""

from flask import Flask, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

from tracker.extensions import db

READ_ONLY_METHODS = ("GET", "HEAD", "OPTIONS")


def _on_connect(dbapi_connection, _record):
    dbapi_connection.isolation_level = None  # we emit BEGIN ourselves, see _on_begin
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def _writes() -> bool:
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
