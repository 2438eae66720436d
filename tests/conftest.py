"""Fixtures: one app and database per test run, built by the migrations; tables emptied per test.

Set TRACKER_TEST_DATABASE_URL to run the suite against PostgreSQL instead of a SQLite file. With
pytest-xdist (`make test` runs `-n auto`) each worker gets its own database: a SQLite file of its
own, or on PostgreSQL a database named after the worker, created beside the given one.
"""

from __future__ import annotations

import os
from datetime import date
from html.parser import HTMLParser

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, make_url, select, text
from werkzeug.datastructures import MultiDict
from werkzeug.security import generate_password_hash

from tracker import create_app
from tracker.extensions import db
from tracker.models import (
    Action,
    Indicator,
    Measurement,
    Milestone,
    Municipality,
    Organisation,
    Programme,
    QuarterlyUpdate,
    Subproject,
    SubprojectOrganisation,
    User,
)

PASSWORD = "correct-horse-battery"
# Hashed once with few rounds: the production scrypt hash per user per test made the suite slow.
FAST_PASSWORD_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
TODAY = date(2026, 11, 24)


def pytest_collection_modifyitems(config, items):
    """The browser tests serve the app from a SQLite file of their own whatever database the
    suite runs on, so the PostgreSQL pass would only repeat them."""
    if not os.environ.get("TRACKER_TEST_DATABASE_URL"):
        return
    skip = pytest.mark.skip(reason="browser tests run once, in the SQLite pass")
    for item in items:
        if "e2e" in item.path.parts:
            item.add_marker(skip)


def _worker_database(url: str) -> str:
    """A fresh PostgreSQL database for this xdist worker, beside the one named in ``url``."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    base = make_url(url)
    name = f"{base.database}_{worker}"
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    url = os.environ.get("TRACKER_TEST_DATABASE_URL")
    url = _worker_database(url) if url else f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": url,
            "WTF_CSRF_ENABLED": False,
            "SERVER_NAME": "localhost",
            "JOBS_IMMEDIATE": True,
            "REPORT_REBUILD_DELAY": None,
            # a change is on the dashboard at once; tests/reports/test_fragments.py tests the grace
            "DASHBOARD_GRACE_SECONDS": 0,
        }
    )
    with app.app_context():
        downgrade(revision="base")
        upgrade()
    return app


@pytest.fixture(autouse=True)
def _clean_database(app, monkeypatch):
    """Every test starts from empty tables (stored reports too), an empty dashboard cache, and
    sees 24-11-2026 as today."""
    import tracker.timeutil

    monkeypatch.setattr(tracker.timeutil, "today", lambda: TODAY)
    yield
    # Emptied tables number their audit entries from 1 again, so a dashboard kept under the
    # last test's data version could be served to the next test (tracker/reports/fragments.py).
    app.jinja_env.fragment_cache.clear()
    with app.app_context():
        db.session.remove()
        tables = [t.name for t in reversed(db.metadata.sorted_tables)]
        with db.engine.begin() as connection:
            for table in tables:
                connection.execute(text(f'DELETE FROM "{table}"'))  # noqa: S608 (own table names)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield


def make_user(email: str, role: str, name: str | None = None, led=()) -> User:
    user = User(email=email, name=name or email.split("@")[0], role=role)
    user.password_hash = FAST_PASSWORD_HASH
    user.led_subprojects.extend(led)
    db.session.add(user)
    return user


@pytest.fixture
def world(app):
    """A small programme by hand: two subprojects with known milestones and indicators.

    As at 24-11-2026 (2026-Q4), subproject A has one milestone achieved on time, one achieved
    late, one overdue and one at risk; indicator A1 is on track and A2 off track. Subproject B
    has one milestone on track and an indicator without data. Users: one per role, the lead
    leads A only.
    """
    with app.app_context():
        programme = Programme(
            name="Testprogramma",
            aim="Meer technici",
            start_date=date(2025, 1, 1),
            end_date=date(2028, 12, 31),
        )
        almere = Municipality(name="Almere", cbs_code="GM0034")
        urk = Municipality(name="Urk", cbs_code="GM0184")
        a = Subproject(programme=programme, municipality=almere, code="A", name="Leerlijn")
        b = Subproject(programme=programme, municipality=urk, code="B", name="Maritiem")
        school = Organisation(name="Vmbo Almere", kind="school_vmbo", municipality=almere)
        db.session.add_all([programme, almere, urk, a, b, school])
        db.session.flush()
        db.session.add_all(
            [
                SubprojectOrganisation(subproject=a, organisation=school, role="trekker"),
                Action(
                    subproject=a,
                    title="Gastlessen organiseren",
                    owner=school,
                    start_date=date(2026, 1, 1),
                    due_date=date(2026, 12, 31),
                    state="running",
                    progress=60,
                ),
                Milestone(
                    subproject=a,
                    title="Convenant getekend",
                    baseline_date=date(2026, 3, 1),
                    planned_date=date(2026, 3, 1),
                    achieved_on=date(2026, 2, 20),
                ),
                Milestone(
                    subproject=a,
                    title="Leerlijn vastgesteld",
                    baseline_date=date(2026, 5, 1),
                    planned_date=date(2026, 6, 1),
                    achieved_on=date(2026, 6, 10),
                ),
                Milestone(
                    subproject=a,
                    title="Eerste cohort gestart",
                    baseline_date=date(2026, 9, 1),
                    planned_date=date(2026, 10, 1),
                ),
                Milestone(
                    subproject=a,
                    title="Evaluatie",
                    baseline_date=date(2027, 3, 1),
                    planned_date=date(2027, 3, 1),
                    at_risk=True,
                ),
                Milestone(
                    subproject=b,
                    title="Werkplaats open",
                    baseline_date=date(2027, 1, 15),
                    planned_date=date(2027, 1, 15),
                ),
            ]
        )
        a1 = Indicator(
            programme_id=programme.id,
            subproject=a,
            name="Leerlingen techniek",
            unit="leerlingen",
            direction="up",
            baseline_value=100,
            baseline_date=date(2026, 1, 1),
            target_value=200,
            target_date=date(2027, 1, 1),
            rollup="last",
        )
        a2 = Indicator(
            programme_id=programme.id,
            subproject=a,
            name="Uitval",
            unit="%",
            direction="down",
            baseline_value=20,
            baseline_date=date(2026, 1, 1),
            target_value=10,
            target_date=date(2027, 1, 1),
            rollup="last",
        )
        b1 = Indicator(
            programme_id=programme.id,
            subproject=b,
            name="Stageplaatsen",
            unit="plaatsen",
            direction="up",
            baseline_value=0,
            baseline_date=date(2026, 1, 1),
            target_value=40,
            target_date=date(2027, 12, 31),
            rollup="sum",
        )
        db.session.add_all([a1, a2, b1])
        db.session.flush()
        db.session.add_all(
            [
                Measurement(indicator_id=a1.id, period="2026-Q2", value=140),
                Measurement(indicator_id=a1.id, period="2026-Q3", value=180),
                Measurement(indicator_id=a2.id, period="2026-Q3", value=19),
                QuarterlyUpdate(subproject=a, quarter="2026-Q3", rag="green", achieved="Veel"),
            ]
        )
        users = {
            "admin": make_user("admin@example.org", "admin", "Beheerder"),
            "manager": make_user("manager@example.org", "manager", "Programmaregisseur"),
            "steering": make_user("steering@example.org", "steering", "Stuurgroeplid"),
            "lead": make_user("lead@example.org", "lead", "Deelprojectleider A", led=[a]),
        }
        db.session.commit()
        ids = {
            "programme_id": programme.id,
            "a": a.id,
            "b": b.id,
            "users": {role: user.email for role, user in users.items()},
        }
        db.session.remove()
    return ids


def archive_quarter(app, programme_id: int, quarter: str) -> None:
    """Mark ``quarter`` closed (an archive row; its snapshot and PDF do not matter)."""
    from tracker.models import ClosedQuarter

    with app.app_context():
        db.session.add(
            ClosedQuarter(
                programme_id=programme_id,
                quarter=quarter,
                snapshot={},
                pdf=b"%PDF-",
                pdf_sha256="0" * 64,
            )
        )
        db.session.commit()


def approval(
    app,
    programme_id: int,
    held_on: date = date(2026, 10, 12),
    text: str = "De kwartaalrapportage 2026-Q3 wordt vastgesteld.",
) -> dict:
    """A steering-group meeting after 2026-Q3 with the decision that approved its report:
    the form data that closes the quarter naming that decision."""
    from tracker.models import Decision, Meeting

    with app.app_context():
        meeting = Meeting(programme_id=programme_id, held_on=held_on, title="Stuurgroep oktober")
        decision = Decision(meeting=meeting, number=1, text=text)
        db.session.add_all([meeting, decision])
        db.session.commit()
        return {"decision": str(decision.id)}


def count_queries(app, client, path: str) -> int:
    """How many SQL statements run while ``client`` GETs ``path`` (which must answer 200)."""
    return len(statements_of(app, client, path))


def statements_of(app, client, path: str) -> list[str]:
    """The SQL statements run while ``client`` GETs ``path`` (which must answer 200)."""
    from sqlalchemy import event

    statements = []
    with app.app_context():
        engine = db.engine
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return statements


def login(client, email: str, password: str = PASSWORD):
    return client.post("/login", data={"email": email, "password": password})


@pytest.fixture
def login_as(client, world):
    def _login(role: str):
        response = login(client, world["users"][role])
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return _login


class _FormReader(HTMLParser):
    """Reads each POST form of a page into what a browser would send, unchanged."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form = None
        self._select = None
        self._options: list[tuple[str, bool]] = []
        self._textarea = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._form = {"action": attrs.get("action") or "", "fields": []}
            self.forms.append(self._form)
        if self._form is None:
            return
        name = attrs.get("name")
        if tag == "input" and name and "disabled" not in attrs:
            kind = (attrs.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self._form["fields"].append((name, attrs.get("value") or "on"))
            elif kind not in ("submit", "button", "file", "image", "reset"):
                self._form["fields"].append((name, attrs.get("value") or ""))
        elif tag == "select" and name:
            self._select = (name, "multiple" in attrs)
            self._options = []
        elif tag == "option" and self._select is not None:
            self._options.append((attrs.get("value") or "", "selected" in attrs))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""

    def handle_data(self, data):
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag):
        if self._form is None:
            return
        if tag == "select" and self._select is not None:
            name, multiple = self._select
            chosen = [value for value, selected in self._options if selected]
            if not chosen and not multiple and self._options:
                chosen = [self._options[0][0]]
            self._form["fields"] += [(name, value) for value in chosen]
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._form["fields"].append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None
        elif tag == "form":
            self._form = None


def form_as_sent(html: str) -> MultiDict:
    """The page's main form (the one POST form that is not the header's language or log-out
    form, nor the quarter page's submit or review step) as the browser sends it when the user
    presses save without changing anything."""
    reader = _FormReader()
    reader.feed(html)
    forms = [
        f
        for f in reader.forms
        if "/language/" not in f["action"]
        and not f["action"].endswith(("/logout", "/submit", "/review"))
    ]
    assert len(forms) == 1, [f["action"] for f in reader.forms]
    return MultiDict(forms[0]["fields"])


def through_import_job(client, confirmed):
    """A confirmation of an upload answers with the page that follows its job (the tests run
    jobs at once, so it is done): the response of that page, which sends the user on (302) to
    what was applied, or, when nothing was, back to the upload page with the reason."""
    assert confirmed.status_code == 303, confirmed.status_code
    location = confirmed.headers["Location"]
    assert location.startswith("/imports/"), location
    return client.get(location)


def waiting_import(programme_id: int, role: str = "manager", **fields) -> int:
    """A plan the user of ``role`` confirmed whose job has not run (nothing queued it): its
    page keeps waiting. Inside an app context."""
    from tracker.imports.models import ImportRun

    user_id = db.session.scalar(select(User.id).where(User.role == role))
    run = ImportRun(
        kind="plan",
        target_id=programme_id,
        user_id=user_id,
        locale="nl",
        payload="{}",
        done_url=f"/setup/programmes/{programme_id}",
        retry_url=f"/setup/programmes/{programme_id}/import",
        **fields,
    )
    db.session.add(run)
    db.session.commit()
    return run.id


def exception_report(subproject_id: int, quarter: str, **fields):
    """A complete exception report of a subproject's quarter; ``fields`` replace the defaults."""
    from tracker.steering.models import ExceptionReport

    complete = {
        "cause": "Docenten ziek",
        "consequence_time": "Drie maanden",
        "consequence_result": "Minder leerlingen",
        "consequence_money": "Geen",
        "measure": "Inhuur gastdocenten",
        "measure_owner": "Schoolbestuur",
        "measure_due": date(2026, 12, 31),
    }
    return ExceptionReport(subproject_id=subproject_id, quarter=quarter, **(complete | fields))


def world_chart_data(programme_id: int):
    """The charts' data of a programme as at the tests' day (24-11-2026, 2026-Q4), as the
    dashboard builds it; inside a request context."""
    from tracker.indicators import queries as indicator_queries
    from tracker.milestones import queries as milestone_queries
    from tracker.projects import queries as project_queries
    from tracker.quarters import Quarter
    from tracker.reports.charts import registry

    quarter = Quarter.of(TODAY)
    subprojects = project_queries.subprojects(programme_id)
    milestones = milestone_queries.milestones(programme_id, TODAY)
    indicators = indicator_queries.indicators(programme_id, quarter)
    return registry.ChartData(
        subprojects=subprojects,
        milestones=milestones,
        indicators=indicators,
        measurements=indicator_queries.measurements(programme_id, quarter),
        overview=project_queries.overview_from(
            subprojects, milestones, indicators, project_queries.lead_rags(programme_id, quarter)
        ),
        as_of=TODAY,
    )
