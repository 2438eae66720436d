"""The database going away mid-request gives a clear page; the app recovers when it is back."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, event, text
from sqlalchemy.pool import NullPool

from tracker.extensions import db
from tracker.models import Subproject


class Outage:
    """Makes the app's engine fail like a database that went away: the statement in flight
    fails, and so does every later statement and new connection until ``restore()``."""

    def __init__(self, engine):
        self.engine = engine
        self.dbapi = engine.dialect.dbapi
        self.down = False
        self.statements_left: int | None = None
        event.listen(engine, "before_cursor_execute", self._before_execute)
        event.listen(engine, "do_connect", self._on_connect)

    def after(self, statements: int) -> None:
        """Go down once ``statements`` more statements have run (mid-request)."""
        self.statements_left = statements

    def restore(self) -> None:
        self.down = False
        self.statements_left = None

    def remove(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._before_execute)
        event.remove(self.engine, "do_connect", self._on_connect)

    def _before_execute(self, conn, cursor, statement, *args):
        if self.statements_left is not None and not statement.startswith("BEGIN"):
            if self.statements_left == 0:
                self.down, self.statements_left = True, None
            else:
                self.statements_left -= 1
        if self.down:
            raise self.dbapi.OperationalError("server closed the connection unexpectedly")

    def _on_connect(self, *args):
        if self.down:
            raise self.dbapi.OperationalError("could not connect to server: Connection refused")


@pytest.fixture
def outage(app):
    with app.app_context():
        broken = Outage(db.engine)
    yield broken
    broken.remove()


def _name(app, subproject_id):
    with app.app_context():
        name = db.session.get(Subproject, subproject_id).name
        db.session.remove()
    return name


def _version(app, subproject_id):
    with app.app_context():
        version = db.session.get(Subproject, subproject_id).version
        db.session.remove()
    return version


def test_database_going_away_mid_request_gives_a_clear_page_and_the_app_recovers(
    app, login_as, world, outage
):
    client = login_as("lead")
    page = f"/subprojects/{world['a']}"
    assert client.get(page).status_code == 200

    outage.after(1)  # the user loads, the page's own queries fail
    response = client.get(page)
    assert response.status_code == 503
    body = response.get_data(as_text=True)
    assert "Database niet bereikbaar" in body and "Er is niets opgeslagen" in body
    assert "Toptechniek tracker" in body and 'href="/static/css/app.css"' in body
    assert response.headers["Retry-After"] == "30"

    # Still down: even loading the user fails; the page stays clear, and a save is refused.
    assert client.get(page).status_code == 503
    response = client.post(
        f"{page}/edit", data={"name": "Tijdens storing", "aim": "", "version": "1"}
    )
    assert response.status_code == 503

    outage.restore()
    assert client.get(page).status_code == 200  # recovered, and the session survived
    assert _name(app, world["a"]) == "Leerlijn"  # nothing from the outage was saved


def test_a_save_whose_write_fails_stores_nothing(app, login_as, world, outage):
    client = login_as("lead")
    version = _version(app, world["a"])
    outage.after(2)  # user and subproject load; the UPDATE fails
    response = client.post(
        f"/subprojects/{world['a']}/edit",
        data={"name": "Half opgeslagen", "aim": "x", "version": str(version)},
    )
    assert response.status_code == 503
    outage.restore()
    assert _name(app, world["a"]) == "Leerlijn"
    response = client.post(
        f"/subprojects/{world['a']}/edit",
        data={"name": "Na herstel", "aim": "x", "version": str(version)},
    )
    assert response.status_code == 302
    assert _name(app, world["a"]) == "Na herstel"


def test_connections_killed_by_the_server_are_replaced_without_an_error(app, login_as, world):
    """A real outage on PostgreSQL: the server ends every connection of the app (as on a restart);
    pool_pre_ping notices at checkout and the next request simply works."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("needs PostgreSQL to end the app's connections from the server side")
    client = login_as("lead")
    page = f"/subprojects/{world['a']}"
    assert client.get(page).status_code == 200
    with app.app_context():
        outsider = create_engine(db.engine.url, poolclass=NullPool)  # not the app's pool
    with outsider.connect() as killer:
        ended = killer.execute(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        ).scalar()
    outsider.dispose()
    assert ended >= 1
    assert client.get(page).status_code == 200


def test_two_saves_at_the_same_moment_give_a_clear_409_not_a_500(app, login_as, world):
    """The second of two simultaneous saves is refused by the version check in its UPDATE."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("on SQLite a save holds the write lock from its start (BEGIN IMMEDIATE)")
        engine = db.engine
    client = login_as("lead")
    version = _version(app, world["a"])
    fired = []

    def someone_else_saves_first(conn, cursor, statement, *args):
        if statement.startswith("UPDATE subproject") and not fired:
            fired.append(True)
            with engine.connect() as other:
                other.execute(
                    text(
                        "UPDATE subproject SET name = 'Ander', version = version + 1 WHERE id = :id"
                    ),
                    {"id": world["a"]},
                )
                other.commit()

    event.listen(engine, "before_cursor_execute", someone_else_saves_first)
    try:
        response = client.post(
            f"/subprojects/{world['a']}/edit",
            data={"name": "Van mij", "aim": "", "version": str(version)},
        )
    finally:
        event.remove(engine, "before_cursor_execute", someone_else_saves_first)
    assert fired and response.status_code == 409
    # The shared edit flow catches the refused UPDATE: the conflict page keeps the input.
    body = response.get_data(as_text=True)
    assert "Iemand anders heeft dit opgeslagen terwijl jij aan het bewerken was" in body
    assert "Van mij" in body
    assert _name(app, world["a"]) == "Ander"
