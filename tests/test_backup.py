"""Backup and restore round-trip the demo programme with nothing lost."""

import sqlite3

import pytest
from sqlalchemy import select, text, update

from tracker.extensions import db
from tracker.models import Measurement, Subproject


def _snapshot(app) -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order: the whole content of the database."""
    with app.app_context():
        db.session.remove()
        result = {}
        for table in db.metadata.sorted_tables:
            rows = db.session.execute(select(table)).all()
            result[table.name] = sorted(tuple(map(repr, row)) for row in rows)
        db.session.remove()
    return result


def _clear(app) -> None:
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(text(f'DELETE FROM "{table.name}"'))  # noqa: S608


def test_backup_and_restore_round_trip_the_demo_programme(app, runner, tmp_path):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    before = _snapshot(app)
    assert len(before["subproject"]) == 6 and len(before["measurement"]) > 10
    assert sum(len(rows) for rows in before.values()) > 200

    path = tmp_path / "tracker.backup"
    result = runner.invoke(args=["backup", str(path)])
    assert result.exit_code == 0, result.output
    assert "Backup written" in result.output and path.stat().st_size > 0

    # Restoring into an empty database (schema only) needs no --force.
    _clear(app)
    result = runner.invoke(args=["restore", str(path)])
    assert result.exit_code == 0, result.output
    assert _snapshot(app) == before

    # Damage the data: a restore without --force refuses and changes nothing.
    with app.app_context():
        db.session.execute(update(Subproject).values(name="kapot"))
        db.session.execute(Measurement.__table__.delete())
        db.session.commit()
    damaged = _snapshot(app)
    refused = runner.invoke(args=["restore", str(path)])
    assert refused.exit_code != 0 and "not empty" in refused.output and "--force" in refused.output
    assert _snapshot(app) == damaged

    forced = runner.invoke(args=["restore", "--force", str(path)])
    assert forced.exit_code == 0, forced.output
    assert _snapshot(app) == before
    with app.app_context():
        names = db.session.scalars(select(Subproject.name)).all()
        assert "kapot" not in names and len(names) == 6


def test_backup_refuses_to_overwrite_a_file_and_restore_refuses_garbage(app, runner, tmp_path):
    existing = tmp_path / "exists.backup"
    existing.write_text("keep me")
    result = runner.invoke(args=["backup", str(existing)])
    assert result.exit_code != 0 and "already exists" in result.output
    assert existing.read_text() == "keep me"
    missing = runner.invoke(args=["restore", str(tmp_path / "nope.backup")])
    assert missing.exit_code != 0
    garbage = runner.invoke(args=["restore", str(existing)])
    assert garbage.exit_code != 0
    assert "Traceback" not in garbage.output


def test_sqlite_backup_is_consistent_while_a_write_is_in_progress(app, runner, tmp_path, world):
    """The online backup copies committed data only, even while a writer holds its lock."""
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite online backup only")
        database = db.engine.url.database
    writer = sqlite3.connect(database, timeout=10)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("UPDATE subproject SET name = 'half-way' WHERE code = 'A'")
        path = tmp_path / "during-write.backup"
        result = runner.invoke(args=["backup", str(path)])
        assert result.exit_code == 0, result.output
    finally:
        writer.rollback()
        writer.close()
    copy = sqlite3.connect(path)
    try:
        names = sorted(row[0] for row in copy.execute("SELECT name FROM subproject"))
    finally:
        copy.close()
    assert names == ["Leerlijn", "Maritiem"]
