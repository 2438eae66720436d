"""Backup and restore of the whole database: `flask --app wsgi backup PATH` / `restore PATH`.

SQLite: the sqlite3 online backup API copies a consistent snapshot page by page while the app
keeps running (readers and writers wait at most for one step). PostgreSQL: pg_dump's custom
format, read back with pg_restore; both must be on PATH (Debian: postgresql-client). They run
as argument lists without a shell, so bandit's subprocess warnings are marked nosec."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess  # nosec B404
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select
from sqlalchemy.engine import URL, make_url

from tracker.extensions import db


class BackupError(click.ClickException):
    pass


def _url() -> URL:
    return make_url(db.engine.url)


def _sqlite_file(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up or restored.")
    return Path(url.database)


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} was not found on PATH. Install the PostgreSQL client tools "
            "(Debian: apt-get install postgresql-client) of the server's major version."
        )
    return path


def _pg_args_and_env(url: URL) -> tuple[list[str], dict[str, str]]:
    """Connection options for pg_dump/pg_restore; the password travels in the environment,
    not on the command line where other users could see it."""
    args = ["--dbname", url.database or ""]
    if url.host:
        args += ["--host", url.host]
    if url.port:
        args += ["--port", str(url.port)]
    if url.username:
        args += ["--username", url.username]
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return args, env


def database_is_empty() -> bool:
    """True when no application table holds a row (the schema itself may exist)."""
    from sqlalchemy import inspect

    existing = set(inspect(db.engine).get_table_names())
    for table in db.metadata.sorted_tables:
        if table.name in existing and db.session.scalar(select(func.count()).select_from(table)):
            return False
    return True


def backup_database(target: Path) -> None:
    url = _url()
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    if url.get_backend_name() == "sqlite":
        source = sqlite3.connect(_sqlite_file(url))
        copy = sqlite3.connect(partial)
        try:
            with copy:
                source.backup(copy, pages=1024)
        finally:
            copy.close()
            source.close()
    elif url.get_backend_name() == "postgresql":
        args, env = _pg_args_and_env(url)
        command = [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(partial)]
        # A fixed program and an argument list, no shell; the URL comes from our own config.
        result = subprocess.run(  # noqa: S603  # nosec B603
            command + args, env=env, capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            partial.unlink(missing_ok=True)
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    else:
        raise BackupError(f"Backups of {url.get_backend_name()} databases are not supported.")
    partial.replace(target)


def _check_sqlite_backup(source: Path) -> None:
    try:
        connection = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            ok = connection.execute("PRAGMA quick_check").fetchone()[0] == "ok"
            tables = {
                row[0]
                for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{source} is not a SQLite backup of this app ({error}).") from error
    if not ok or "alembic_version" not in tables:
        raise BackupError(f"{source} is not a SQLite backup of this app.")


def restore_database(source: Path) -> None:
    url = _url()
    db.session.remove()
    db.engine.dispose()
    if url.get_backend_name() == "sqlite":
        _check_sqlite_backup(source)
        backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        live = sqlite3.connect(_sqlite_file(url), timeout=30)
        try:
            backup.backup(live)
        finally:
            live.close()
            backup.close()
    elif url.get_backend_name() == "postgresql":
        args, env = _pg_args_and_env(url)
        command = [
            _pg_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
        ]
        # A fixed program and an argument list, no shell; the URL comes from our own config.
        result = subprocess.run(  # noqa: S603  # nosec B603
            [*command, *args, str(source)], env=env, capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            raise BackupError(f"pg_restore failed, nothing was changed: {result.stderr.strip()}")
    else:
        raise BackupError(f"Restoring {url.get_backend_name()} databases is not supported.")
    db.engine.dispose()


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists.")
@with_appcontext
def backup_command(path: Path, force: bool) -> None:
    """Write a consistent copy of the database to PATH (safe while the app runs)."""
    if path.exists() and not force:
        raise BackupError(f"{path} already exists; choose another name or add --force.")
    if not path.parent.is_dir():
        raise BackupError(f"The folder {path.parent} does not exist.")
    backup_database(path)
    click.echo(f"Backup written to {path} ({path.stat().st_size} bytes).")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a database that holds data.")
@with_appcontext
def restore_command(path: Path, force: bool) -> None:
    """Replace the database's contents with the backup at PATH."""
    if not force and not database_is_empty():
        raise BackupError(
            "The database is not empty; restoring would replace all its data. "
            "Make a backup of it first, then add --force."
        )
    restore_database(path)
    from alembic.migration import MigrationContext

    with db.engine.connect() as connection:
        revision = MigrationContext.configure(connection).get_current_revision()
    click.echo(
        f"Database restored from {path} (schema revision {revision}). "
        "Run `flask --app wsgi db upgrade` if this release has newer migrations."
    )
