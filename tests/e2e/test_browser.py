"""End-to-end tests in headless Chromium (Playwright driving Debian's chromium) against the app
served by a real HTTP server on 127.0.0.1, with the demo programme and CSRF protection on.

Every page visited is checked with axe-core for WCAG 2.1 A and AA violations; every test fails on
a browser console error (a CSP violation is one) and on any request that leaves 127.0.0.1.
New pages are added to PAGES; new journeys are tests that use the ``browser_page`` fixture.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import TODAY, waiting_import
from flask_migrate import upgrade
from sqlalchemy import select
from werkzeug.serving import make_server

from tracker import ROOT
from tracker.projects.status import Rag
from tracker.quarters.display import quarter_label

HERE = Path(__file__).resolve().parent
AXE = HERE / "axe.min.js"
CHROMIUM = os.environ.get("TRACKER_CHROMIUM") or shutil.which("chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
QUARTER = "2026-Q4"  # the quarter of TODAY
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="chromium is not installed (make test installs it with apt-get when run as root)",
)


@dataclass
class LiveServer:
    url: str
    app: object
    logins: dict  # role or lead email -> DemoLogin
    ids: dict  # names -> ids (programme, subprojects by municipality slug)


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """The app on a free port of 127.0.0.1, in a thread, on its own demo database."""
    from tracker import create_app
    from tracker.demo.seed import seed_demo
    from tracker.extensions import db
    from tracker.models import (
        Contact,
        Event,
        Indicator,
        Milestone,
        Municipality,
        Organisation,
        Programme,
        Registration,
        Subproject,
        User,
    )

    folder = tmp_path_factory.mktemp("e2e")
    database, queue = folder / "e2e.db", folder / "jobs.db"
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
            "SECRET_KEY": "e2e-secret",
            "TESTING": False,
            "WTF_CSRF_ENABLED": True,
            "QUEUE_URL": f"sqlite:///{queue}",
            "JOBS_IMMEDIATE": False,
            "REPORT_REBUILD_DELAY": None,
        }
    )
    with app.app_context():
        upgrade()
        logins = seed_demo(db.session, TODAY)
        db.session.commit()
        ids = {"programme": db.session.scalar(select(Programme.id))}
        for subproject in db.session.scalars(select(Subproject)):
            ids[subproject.municipality.name] = subproject.id
        lead = db.session.scalar(
            select(User).where(User.email == "lead.almere@toptechniek.example")
        )
        led = lead.led_subprojects[0]
        ids["lead_subproject"] = led.id
        ids["milestone"] = db.session.scalar(
            select(Milestone.id).where(Milestone.subproject_id == led.id).order_by(Milestone.id)
        )
        ids["indicator"] = db.session.scalar(
            select(Indicator.id).where(Indicator.subproject_id == led.id).order_by(Indicator.id)
        )
        ids["computed"] = db.session.scalar(
            select(Indicator.id).where(Indicator.aggregation.is_not(None))
        )
        ids["counted"] = db.session.scalar(
            select(Indicator.id)
            .where(Indicator.counted_from.is_not(None), Indicator.subproject_id.is_not(None))
            .order_by(Indicator.id)
        )
        ids["circle"] = db.session.scalar(
            select(Organisation.id).where(Organisation.name == "TechNet kring Dronten")
        )
        ids["contact"] = db.session.scalar(select(Contact.id).order_by(Contact.id))
        ids["event"] = db.session.scalar(select(Event.id).order_by(Event.id))
        ids["registration"] = db.session.scalar(select(Registration.id).order_by(Registration.id))
        ids["companies"] = db.session.scalars(
            select(Organisation.id)
            .where(Organisation.kind == "company")
            .order_by(Organisation.id)
            .limit(2)
        ).all()
        ids["lelystad"] = db.session.scalar(
            select(Municipality.id).where(Municipality.name == "Lelystad")
        )
        ids["import_run"] = waiting_import(ids["programme"])
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    consumer = start_consumer(f"sqlite:///{database}", f"sqlite:///{queue}")
    by_key = {x.role: x for x in logins} | {x.email: x for x in logins}
    yield LiveServer(f"http://127.0.0.1:{server.server_port}", app, by_key, ids)
    consumer.send_signal(signal.SIGINT)
    consumer.wait(timeout=60)
    server.shutdown()
    thread.join(timeout=10)
    with app.app_context():
        db.engine.dispose()


def start_consumer(database_url: str, queue_url: str) -> subprocess.Popen:
    """The job consumer beside the live server, as in production: reports and closings run in
    it, and the pages show their progress."""
    env = {
        **os.environ,
        "TRACKER_DATABASE_URL": database_url,
        "TRACKER_QUEUE_URL": queue_url,
        "TRACKER_REPORT_REBUILD_DELAY": "",
        "TRACKER_JOBS_IMMEDIATE": "0",
    }
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "run-jobs", "--poll", "0.2"]
    return subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603 (our own app)


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


class Watch:
    """What the browser did that a test must fail on, and every URL it requested."""

    def __init__(self, page, base: str):
        self.console_errors: list[str] = []
        self.off_site: list[str] = []
        self.dialogs: list[str] = []
        self.requests: list[str] = []
        host = urlsplit(base).hostname
        page.on(
            "console",
            lambda m: self.console_errors.append(m.text) if m.type == "error" else None,
        )
        page.on("pageerror", lambda error: self.console_errors.append(str(error)))
        page.on("request", lambda request: self.requests.append(request.url))

        def dialog(d):
            self.dialogs.append(d.message)
            d.dismiss()

        page.on("dialog", dialog)

        def guard(route):
            url = route.request.url
            if urlsplit(url).scheme in ("http", "https") and urlsplit(url).hostname != host:
                self.off_site.append(url)
                route.abort()
            else:
                route.continue_()

        page.route("**/*", guard)

    def expect_status(self, status: int) -> None:
        """The browser reports a failed document load as a console error; when a test expects
        that status, that error is expected too."""
        self.console_errors[:] = [e for e in self.console_errors if f"status of {status}" not in e]


@pytest.fixture
def browser_page(browser, live_server):
    context = browser.new_context(locale="nl-NL", java_script_enabled=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    watch = Watch(page, live_server.url)
    page.watch = watch
    yield page
    context.close()
    assert watch.console_errors == [], f"browser console errors: {watch.console_errors}"
    assert watch.off_site == [], f"requests that left 127.0.0.1: {watch.off_site}"
    assert watch.dialogs == [], f"dialogs opened by the page: {watch.dialogs}"


def in_view(page, selector: str) -> bool:
    """Whether the element's top lies inside the browser window, after any scrolling."""
    return page.evaluate(
        "s => { const r = document.querySelector(s).getBoundingClientRect();"
        " return r.top >= 0 && r.top < window.innerHeight; }",
        selector,
    )


def log_in(page, live_server, who: str) -> None:
    login = live_server.logins[who]
    page.goto(f"{live_server.url}/login")
    page.fill("#email", login.email)
    page.fill("#password", login.password)
    page.click("#submit")
    page.wait_for_url(lambda url: "/login" not in url)


APPROVAL = (
    "De kwartaalrapportage 2026-Q3 wordt vastgesteld; de stuurgroep vraagt bijsturing in Urk."
)


def add_approval_decision(live_server) -> None:
    """The meeting after 2026-Q3 in which the steering group approved its report: closing a
    quarter names it."""
    from tracker.extensions import db
    from tracker.models import Decision, Meeting

    with live_server.app.app_context():
        meeting = Meeting(
            programme_id=live_server.ids["programme"],
            held_on=date(2026, 10, 12),
            title="Stuurgroep: vaststelling kwartaalrapportage",
        )
        db.session.add_all([meeting, Decision(meeting=meeting, number=1, text=APPROVAL)])
        db.session.commit()
        db.session.remove()


def log_out(page) -> None:
    page.context.clear_cookies()


def records_of(live_server, subproject_id: int) -> tuple[list, list]:
    """The subproject's indicators and milestones as plain tuples, read from the live database."""
    from tracker.extensions import db
    from tracker.models import Indicator, Milestone

    with live_server.app.app_context():
        indicators = db.session.execute(
            select(Indicator.id, Indicator.name, Indicator.unit)
            .where(Indicator.subproject_id == subproject_id)
            .order_by(Indicator.id)
        ).all()
        milestones = db.session.execute(
            select(Milestone.id, Milestone.title, Milestone.planned_date, Milestone.achieved_on)
            .where(Milestone.subproject_id == subproject_id)
            .order_by(Milestone.id)
        ).all()
        db.session.remove()
    return list(indicators), list(milestones)


# what an amber or red quarter must explain (the exception report)
EXCEPTION_REPORT = {
    "cause": "Docententekort techniek.",
    "consequence_time": "Tweede cohort een kwartaal later.",
    "consequence_result": "Twintig leerlingen minder dit jaar.",
    "consequence_money": "Geen.",
    "measure": "Gastdocenten uit het bedrijfsleven.",
    "measure_owner": "Programmaregisseur",
    "measure_due": "2027-01-31",
}


def save_quarter(page, live_server, subproject_id: int, quarter: str, values: dict, update: dict):
    """Fill the quarter page as a lead would and save it; return the response page's URL."""
    page.goto(f"{live_server.url}/subprojects/{subproject_id}/quarter/{quarter}")
    for indicator_id, value in values.items():
        page.fill(f"#value_{indicator_id}", value)
    for name, value in update.items():
        if name == "rag":
            page.select_option("#rag", value)
        else:
            page.fill(f"#{name}", value)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    return page.url


def axe_violations(page) -> list[dict]:
    """Run axe-core in the page (evaluated through the DevTools protocol, so the page's CSP
    need not allow it) and return the WCAG 2.1 A/AA violations."""
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return [
        {
            "id": v["id"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
    ]


# (name, who is logged in (None: anonymous), path from the live server's ids, expected status)
PAGES = [
    ("login", None, lambda ids: "/login", 200),
    ("events", "steering", lambda ids: f"/programmes/{ids['programme']}/events", 200),
    ("event", "steering", lambda ids: f"/events/{ids['event']}", 200),
    ("attendance", "manager", lambda ids: f"/events/{ids['event']}/attendance", 200),
    ("reach", "steering", lambda ids: f"/programmes/{ids['programme']}/events/reach", 200),
    (
        "registration list",
        "manager",
        lambda ids: f"/events/{ids['event']}/registrations/import",
        200,
    ),
    ("file being applied", "manager", lambda ids: f"/imports/{ids['import_run']}", 202),
    (
        "registration people",
        "manager",
        lambda ids: f"/registrations/{ids['registration']}/people",
        200,
    ),
    ("overview", "steering", lambda ids: f"/programmes/{ids['programme']}", 200),
    ("subproject", "steering", lambda ids: f"/subprojects/{ids['Almere']}", 200),
    (
        "edit subproject",
        "lead.almere@toptechniek.example",
        lambda ids: f"/subprojects/{ids['lead_subproject']}/edit",
        200,
    ),
    (
        "quarter form",
        "lead.almere@toptechniek.example",
        lambda ids: f"/subprojects/{ids['lead_subproject']}/quarter/{QUARTER}",
        200,
    ),
    (
        "edit milestone",
        "lead.almere@toptechniek.example",
        lambda ids: f"/milestones/{ids['milestone']}/edit",
        200,
    ),
    (
        "new milestone",
        "lead.almere@toptechniek.example",
        lambda ids: f"/subprojects/{ids['lead_subproject']}/milestones/new",
        200,
    ),
    ("edit indicator", "manager", lambda ids: f"/indicators/{ids['indicator']}/edit", 200),
    (
        "new measurement",
        "lead.almere@toptechniek.example",
        lambda ids: f"/indicators/{ids['indicator']}/measurements/new",
        200,
    ),
    (
        "excel upload",
        "lead.almere@toptechniek.example",
        lambda ids: f"/subprojects/{ids['lead_subproject']}/quarter/{QUARTER}/upload",
        200,
    ),
    ("milestone", "steering", lambda ids: f"/milestones/{ids['milestone']}", 200),
    ("indicator", "steering", lambda ids: f"/indicators/{ids['indicator']}", 200),
    ("dashboard", "steering", lambda ids: "/dashboard", 200),
    (
        "dashboard filtered",
        "steering",
        lambda ids: f"/dashboard?municipality=&subproject={ids['Almere']}&quarter=2026-Q3",
        200,
    ),
    ("dashboard bad filter", "steering", lambda ids: "/dashboard?quarter=2031-Q9", 400),
    ("subproject history", "steering", lambda ids: f"/subprojects/{ids['Almere']}/history", 200),
    ("milestone history", "steering", lambda ids: f"/milestones/{ids['milestone']}/history", 200),
    ("history", "manager", lambda ids: "/history", 200),
    ("reports", "manager", lambda ids: f"/reports/{ids['programme']}", 200),
    ("meetings", "steering", lambda ids: "/meetings", 200),
    ("users", "admin", lambda ids: "/users", 200),
    ("set-up", "manager", lambda ids: "/setup", 200),
    ("set-up programme", "manager", lambda ids: f"/setup/programmes/{ids['programme']}", 200),
    ("municipalities", "manager", lambda ids: "/setup/municipalities", 200),
    (
        "plan import",
        "manager",
        lambda ids: f"/setup/programmes/{ids['programme']}/import",
        200,
    ),
    ("account", "lead.almere@toptechniek.example", lambda ids: "/account", 200),
    (
        "new subproject",
        "manager",
        lambda ids: f"/setup/programmes/{ids['programme']}/subprojects/new",
        200,
    ),
    (
        "new programme indicator",
        "manager",
        lambda ids: f"/programmes/{ids['programme']}/indicators/new",
        200,
    ),
    (
        "programme quarter",
        "manager",
        lambda ids: f"/programmes/{ids['programme']}/quarter/{QUARTER}",
        200,
    ),
    ("computed indicator", "steering", lambda ids: f"/indicators/{ids['computed']}", 200),
    ("counted indicator", "steering", lambda ids: f"/indicators/{ids['counted']}", 200),
    (
        "adjust counted value",
        "manager",
        lambda ids: f"/indicators/{ids['counted']}/quarter/{QUARTER}/adjust",
        200,
    ),
    ("organisations", "steering", lambda ids: "/organisations?kind=company", 200),
    ("organisation with contacts", "manager", lambda ids: f"/organisations/{ids['circle']}", 200),
    (
        "participation per municipality",
        "lead.almere@toptechniek.example",
        lambda ids: f"/organisations/municipalities/{ids['lelystad']}",
        200,
    ),
    ("contact persons", "manager", lambda ids: "/organisations/contacts", 200),
    ("new organisation", "manager", lambda ids: "/organisations/new", 200),
    (
        "merge organisation",
        "manager",
        lambda ids: f"/organisations/{ids['companies'][0]}/merge",
        200,
    ),
    (
        "merge confirmation",
        "manager",
        lambda ids: f"/organisations/{ids['companies'][0]}/merge/{ids['companies'][1]}",
        200,
    ),
    ("record follow-up", "lead", lambda ids: f"/events/{ids['event']}/follow-up", 200),
    (
        "erase contact",
        "manager",
        lambda ids: f"/organisations/contacts/{ids['contact']}/erase",
        200,
    ),
    ("my subproject", "lead.almere@toptechniek.example", lambda ids: "/my-subproject", 200),
    ("season overview", "manager", lambda ids: f"/programmes/{ids['programme']}/season", 200),
    ("season terms", "manager", lambda ids: f"/programmes/{ids['programme']}/season/terms", 200),
    (
        "quarter under review",
        "manager",
        lambda ids: f"/subprojects/{ids['lead_subproject']}/quarter/2026-Q3",
        200,
    ),
    ("security log", "admin", lambda ids: "/security-events", 200),
    ("my account", "steering", lambda ids: "/account", 200),
    ("two-step set-up", "steering", lambda ids: "/account/two-step", 200),
    ("not found", "steering", lambda ids: "/subprojects/999999", 404),
    ("no access", "steering", lambda ids: f"/subprojects/{ids['Almere']}/edit", 403),
    ("english overview", "manager", lambda ids: f"/programmes/{ids['programme']}", 200),
    ("english dashboard", "steering", lambda ids: "/dashboard", 200),
]


@pytest.mark.parametrize("name,who,path,status", PAGES, ids=[p[0] for p in PAGES])
def test_page_has_no_wcag_violations(browser_page, live_server, name, who, path, status):
    page = browser_page
    if who:
        log_in(page, live_server, who)
    if name.startswith("english"):
        page.click("button[lang=en]")
        page.wait_for_load_state()
    response = page.goto(live_server.url + path(live_server.ids))
    assert response.status == status
    if status >= 400:
        page.watch.expect_status(status)
    if name.startswith("dashboard") and status == 200:
        # axe must see the charts as drawn by Plotly, not the empty canvases
        draw_all_charts(page)
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=1, ensure_ascii=False)


def test_keyboard_only_login(browser_page, live_server):
    """Skip link first, then the form in order; Enter submits."""
    page = browser_page
    login = live_server.logins["lead.almere@toptechniek.example"]
    page.goto(f"{live_server.url}/login")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    focused = []
    for _ in range(8):
        page.keyboard.press("Tab")
        focused.append(page.evaluate("document.activeElement.id"))
        if focused[-1] == "email":
            break
    assert focused[-1] == "email", focused
    page.keyboard.type(login.email)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "password"
    page.keyboard.type(login.password)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/my-subproject" in url)  # a lead lands on their own page
    assert "Mijn deelproject" in page.content()


def test_focus_is_visible_on_every_control(browser_page, live_server):
    page = browser_page
    page.goto(f"{live_server.url}/login")
    for _ in range(5):
        page.keyboard.press("Tab")
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline not in ("none", ""), page.evaluate("document.activeElement.outerHTML")


def test_lead_edits_a_subproject_and_sees_the_change(browser_page, live_server):
    """The part of journey 1 that exists so far: log in, edit, save, see the page change.
    Also checks that HTML typed into a field is shown as text."""
    page = browser_page
    log_in(page, live_server, "lead.almere@toptechniek.example")
    subproject = live_server.ids["lead_subproject"]
    page.goto(f"{live_server.url}/subprojects/{subproject}/edit")
    new_name = "Techniek <b>Almere</b> 2027"
    page.fill("#name", new_name)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/subprojects/{subproject}")
    assert new_name in page.inner_text("h1")
    assert page.locator("h1 b").count() == 0
    assert "Deelproject opgeslagen" in page.inner_text(".flashes")


def test_security_headers_reach_the_browser_and_block_inline_script(browser_page, live_server):
    page = browser_page
    response = page.goto(f"{live_server.url}/login")
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    ran = page.evaluate(
        """() => new Promise(resolve => {
            window.injected = false;
            document.addEventListener('securitypolicyviolation', () => resolve('blocked'));
            const s = document.createElement('script');
            s.textContent = 'window.injected = true';
            document.body.appendChild(s);
            setTimeout(() => resolve(window.injected ? 'ran' : 'blocked'), 500);
        })"""
    )
    assert ran == "blocked"
    page.watch.console_errors[:] = [
        e for e in page.watch.console_errors if "Content Security Policy" not in e
    ]


def test_the_checks_themselves_catch_problems(browser_page, live_server):
    """axe finds a known violation, and the console watch sees an error: the checks can fail."""
    page = browser_page
    page.goto(f"{live_server.url}/login")
    page.evaluate(
        "() => { const i = document.createElement('img');"
        " i.src = 'data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7';"
        " document.querySelector('main').appendChild(i); }"
    )
    assert "image-alt" in [v["id"] for v in axe_violations(page)]
    page.evaluate("() => console.error('deliberate')")
    assert "deliberate" in page.watch.console_errors
    page.watch.console_errors.clear()


def row_of(scope, text: str):
    """The table row (in a page or a part of it) whose header cell holds ``text``."""
    page = getattr(scope, "page", scope)
    return scope.locator("tr").filter(has=page.locator("th", has_text=text)).first


def test_journey_1_lead_updates_milestones_and_the_quarter(browser_page, live_server):
    """A lead marks a milestone achieved, moves another's planned date with a reason, enters
    this quarter's values and update on the quarter page, and sees the subproject page change."""
    page = browser_page
    subproject = live_server.ids["lead_subproject"]
    indicators, milestones = records_of(live_server, subproject)
    achieve, move = [m for m in milestones if m.achieved_on is None][:2]
    log_in(page, live_server, "lead.almere@toptechniek.example")
    page.goto(f"{live_server.url}/subprojects/{subproject}")
    status_before = row_of(page, achieve.title).locator(".badge").inner_text()
    indicator_rows_before = {i.id: row_of(page, i.name).inner_text() for i in indicators}

    # 1. mark a milestone achieved: date and evidence, through its edit link
    page.click(f"a[href$='/milestones/{achieve.id}/edit']")
    page.fill("#achieved_on", "2026-11-20")
    page.fill("#evidence", "Opleveringsrapport praktijklokaal, getekend 20-11-2026")
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/edit" not in url)
    assert "Mijlpaal opgeslagen" in page.inner_text(".flashes")
    assert page.url.endswith("#milestones")  # back at the section it came from ...
    assert in_view(page, ".flash-success") and in_view(page, "#milestones")  # ... message in view
    row = row_of(page, achieve.title)
    assert "20-11-2026" in row.inner_text()
    status_after = row.locator(".badge")
    assert status_after.get_attribute("class") == "badge tone-green"
    assert status_after.inner_text() == "✔ Op tijd behaald" != status_before

    # 2. move another milestone's planned date: refused without a reason, saved with one
    page.click(f"a[href$='/milestones/{move.id}/edit']")
    page.fill("#planned_date", "2027-06-30")
    page.click("main form button[type=submit]")
    assert "Geef een reden" in page.inner_text("#reason-error")
    page.watch.expect_status(400)
    assert page.locator("#planned_date").input_value() == "2027-06-30"  # input kept
    page.fill("#reason", "Aannemer pas in het voorjaar beschikbaar")
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/edit" not in url)
    row = row_of(page, move.title)
    assert "30-06-2027" in row.inner_text()
    slip = (date(2027, 6, 30) - move.planned_date).days
    assert f"{slip:,}".replace(",", ".") in row.inner_text()

    # 3. this quarter's values and update on the quarter page, reached from the subproject page
    page.click(f"a[href$='/subprojects/{subproject}/quarter/{QUARTER}']")
    assert page.locator("h1").inner_text() == quarter_label(QUARTER)
    new_values = {indicators[0].id: "1234", indicators[1].id: "47,5", indicators[2].id: "38"}
    for indicator_id, value in new_values.items():
        page.fill(f"#value_{indicator_id}", value)
    page.select_option("#rag", "amber")
    page.fill("#achieved", "Praktijklokaal opgeleverd en in gebruik genomen.")
    page.fill("#next_steps", "Tweede cohort werven op open dagen.")
    page.fill("#risks", "Docententekort techniek.")
    page.fill("#decisions_requested", "Akkoord op verlenging tot eind 2027.")
    for name, value in EXCEPTION_REPORT.items():
        page.fill(f"#{name}", value)
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/quarter/" not in url)
    assert f"Het {quarter_label(QUARTER)} is opgeslagen" in page.inner_text(".flashes")

    # 4. the subproject page shows the new values, statuses and update text
    shown = {
        indicators[0].id: "1.234",
        indicators[1].id: "47,5",
        indicators[2].id: "38",
    }
    for indicator in (i for i in indicators if i.id in shown):
        text = row_of(page, indicator.name).inner_text()
        assert f" {shown[indicator.id]} " in f" {' '.join(text.split())} ", text
        assert text != indicator_rows_before[indicator.id]
    update = page.locator(
        "article.update", has=page.locator("h3", has_text=quarter_label(QUARTER, short=True))
    )
    assert update.locator(".badge").get_attribute("class") == "badge tone-amber"
    for text in (
        "Praktijklokaal opgeleverd en in gebruik genomen.",
        "Tweede cohort werven op open dagen.",
        "Docententekort techniek.",
        "Akkoord op verlenging tot eind 2027.",
    ):
        assert text in update.inner_text()


def draw_all_charts(page) -> None:
    """Scroll to every chart and wait until it is drawn: charts below the first screen are
    drawn only when scrolled near (static/js/dashboard.js)."""
    for canvas in page.locator(".chart-canvas").all():
        canvas.scroll_into_view_if_needed()
        page.wait_for_selector(f"#{canvas.get_attribute('id')}[data-drawn=true] svg.main-svg")


def test_charts_below_the_first_screen_are_drawn_when_scrolled_near(browser_page, live_server):
    page = browser_page
    log_in(page, live_server, "steering")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_server.url + "/dashboard")
    page.wait_for_load_state("load")
    last = page.locator(".chart-canvas").last
    page.wait_for_timeout(500)
    assert last.get_attribute("data-drawn") is None
    draw_all_charts(page)
    assert (
        page.locator(".chart-canvas[data-drawn=true]").count()
        == page.locator(".chart-canvas").count()
    )


def chart(page, name: str) -> dict:
    """A dashboard chart's figure, as the page hands it to Plotly."""
    return json.loads(page.locator(f"script[data-chart='chart-{name}']").text_content())


def test_journey_2_steering_member_reads_the_dashboard(browser, browser_page, live_server):
    """A steering-group member filters the dashboard to one municipality and quarter, sees a
    lead's changes in the charts and their tables, and can reach no edit page."""
    subproject = live_server.ids["Lelystad"]
    indicators, milestones = records_of(live_server, subproject)
    # set-up: the Lelystad lead saves this quarter, in a browser of their own
    lead_context = browser.new_context(locale="nl-NL")
    lead_page = lead_context.new_page()
    log_in(lead_page, live_server, "lead.lelystad@toptechniek.example")
    save_quarter(
        lead_page,
        live_server,
        subproject,
        QUARTER,
        {indicators[0].id: "4321"},
        {
            "rag": "red",
            "decisions_requested": "Extra budget voor de Lelystadse werkplaats.",
            **EXCEPTION_REPORT,
        },
    )
    assert f"Het {quarter_label(QUARTER)} is opgeslagen" in lead_page.inner_text(".flashes")
    lead_context.close()

    page = browser_page
    log_in(page, live_server, "steering")
    page.click("nav a[href='/dashboard']")
    page.select_option("#f-municipality", label="Lelystad")
    page.select_option("#f-quarter", QUARTER)
    page.click("form.filters button[type=submit]")
    page.wait_for_url(lambda url: "municipality=" in url)
    assert f"quarter={QUARTER}" in page.url
    draw_all_charts(page)

    # the charts' data: only Lelystad, with the lead's red RAG and new value
    matrix = chart(page, "rag_matrix")["data"][0]
    assert {label.split()[0] for label in matrix["y"]} == {"DP2"}, matrix["y"]
    lead_column = matrix["x"].index("Stoplicht (deelprojectleider)")
    assert matrix["marker"]["color"][lead_column] == Rag.RED.colour
    progress = chart(page, "indicator_progress")
    assert indicators[0].name in json.dumps(progress, ensure_ascii=False)
    # ... and what Plotly drew from it, and the tables beside the charts
    assert "Rood" in page.locator("#chart-rag_matrix svg.main-svg").first.text_content()
    # Plotly's mode bar offers no "Share chart" (an upload to Plotly Cloud)
    assert page.locator(".modebar-btn[data-title^='Share']").count() == 0
    assert page.locator(".modebar-btn[data-title='Zoom']").count() > 0
    progress_table = page.locator("figure", has=page.locator("#chart-indicator_progress"))
    assert "4.321" in row_of(progress_table, indicators[0].name).text_content()
    assert "Extra budget voor de Lelystadse werkplaats." in page.inner_text(
        "#attention-requests ~ ul"
    )
    assert "Almere" not in page.locator("#chart-rag_matrix").text_content()

    # no edit links anywhere the steering group goes, and every edit URL is refused
    for path in ("/dashboard", f"/subprojects/{subproject}", f"/milestones/{milestones[0].id}"):
        page.goto(live_server.url + path)
        edit_links = page.locator(
            "main a[href*='/edit'], main a[href*='/new'], main a[href*='/quarter'],"
            " main a[href*='/delete'], main a[href*='/upload']"
        )
        assert edit_links.count() == 0, path
    for path in (
        f"/subprojects/{subproject}/edit",
        f"/subprojects/{subproject}/quarter/{QUARTER}",
        f"/milestones/{milestones[0].id}/edit",
        f"/subprojects/{subproject}/milestones/new",
        f"/indicators/{indicators[0].id}/measurements/new",
        "/users",
    ):
        response = page.goto(live_server.url + path)
        assert response.status == 403, path
        assert "Geen toegang" in page.inner_text("h1"), path
    page.watch.expect_status(403)


def test_journey_3_manager_reports_and_closes_a_quarter(browser, browser_page, live_server):
    """The manager downloads the PDF of a completed quarter holding a lead's new figures, closes
    the quarter, and a later edit of that quarter is refused with a clear message."""
    from pypdf import PdfReader

    past = "2026-Q3"
    subproject = live_server.ids["Dronten"]
    indicators, _milestones = records_of(live_server, subproject)
    counted = next(i for i in indicators if i.unit.strip() != "%")
    lead_context = browser.new_context(locale="nl-NL")
    lead_context.set_default_timeout(15_000)
    lead_page = lead_context.new_page()
    lead_watch = Watch(lead_page, live_server.url)
    log_in(lead_page, live_server, "lead.dronten@toptechniek.example")
    # Dronten is orange in that quarter: its lead explains the exception too
    save_quarter(lead_page, live_server, subproject, past, {counted.id: "7777"}, EXCEPTION_REPORT)
    assert f"Het {quarter_label(past)} is opgeslagen" in lead_page.inner_text(".flashes")

    page = browser_page
    log_in(page, live_server, "manager")
    page.click("nav a[href='/reports']")
    row = row_of(page, quarter_label(past))
    started = time.monotonic()
    # Not built yet: a page follows the job that builds it and then offers the download.
    row.locator("a[href$='.pdf']").first.click()
    ready = page.locator("[data-progress-ready] a")
    ready.wait_for(state="visible", timeout=120_000)
    assert "De rapportage is klaar." in page.inner_text("[data-progress-message]")
    with page.expect_download(timeout=30_000) as info:
        ready.click(no_wait_after=True)
    print(f"PDF via its progress page took {time.monotonic() - started:.1f} s")
    text = "\n".join(p.extract_text() for p in PdfReader(info.value.path()).pages)
    assert counted.name in text
    assert "7.777" in text

    add_approval_decision(live_server)
    page.goto(f"{live_server.url}/reports")
    row = row_of(page, quarter_label(past))
    row.locator("a[href$='/close']").click()
    page.wait_for_load_state()
    page.select_option("#decision", index=1)  # the decision of the meeting after Q3
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    # Being closed until the job has archived the final report; the page then reloads itself.
    row_of(page, quarter_label(past)).locator(".badge.tone-green").wait_for(timeout=120_000)
    row = row_of(page, quarter_label(past))
    assert row.locator(".badge.tone-green").count() == 1
    assert row.locator("a[href$='/reopen']").count() == 1

    # the lead, later: the closed quarter's page is read-only, its values shown as text
    lead_page.goto(f"{live_server.url}/subprojects/{subproject}/quarter/{past}")
    main = lead_page.inner_text("main")
    assert f"{quarter_label(past)} is vastgesteld" in main and "7.777" in main
    assert lead_page.locator(f"#value_{counted.id}").count() == 0
    assert lead_page.locator("main form button[type=submit]").count() == 0
    assert lead_watch.console_errors == [] and lead_watch.off_site == []
    lead_context.close()
    page.goto(f"{live_server.url}/subprojects/{subproject}/quarter/{past}")
    assert "7.777" in page.inner_text("main")

    # reopening asks for a reason on a page of its own, and refuses without one
    page.click("nav a[href='/reports']")
    row_of(page, quarter_label(past)).locator("a[href$='/reopen']").click()
    page.wait_for_load_state()
    assert "Wat heropenen doet" in page.inner_text("main")
    assert axe_violations(page) == []
    with page.expect_navigation() as navigation:
        page.click("main form button[type=submit]")
    assert navigation.value.status == 400
    page.watch.expect_status(400)
    assert "Geef de reden voor het heropenen." in page.inner_text("main")
    assert axe_violations(page) == []
    page.fill("#reason", "Waarde Dronten was verkeerd ingevoerd.")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert f"{quarter_label(past)} is heropend" in page.inner_text(".flashes")
    assert row_of(page, quarter_label(past)).locator(".badge.tone-amber").count() == 1


def test_keyboard_only_quarter_form(browser_page, live_server):
    """The quarter form is reachable and submittable with Tab, typing and Enter alone."""
    page = browser_page
    subproject = live_server.ids["Zeewolde"]
    indicators, _milestones = records_of(live_server, subproject)
    log_in(page, live_server, "lead.zeewolde@toptechniek.example")
    page.goto(f"{live_server.url}/subprojects/{subproject}/quarter/{QUARTER}")
    typed = {f"value_{indicators[0].id}": "12", "rag": "Groen", "achieved": "Met het toetsenbord."}
    # Zeewolde's computed status is red in the demo: the exception report is typed too
    typed.update({name: value for name, value in EXCEPTION_REPORT.items() if name != "measure_due"})
    typed["measure_due"] = "01312027"  # the date input's parts in this browser: mm/dd/yyyy
    order = []
    for _ in range(160):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const e = document.activeElement;"
            " return e.closest('main form') && e.type === 'submit' ? 'save' : e.id; }"
        )
        if focused in typed and focused not in order:  # a date input has a stop per part
            page.keyboard.type(typed[focused])
        order.append(focused)
        if focused == "save":
            break
    assert set(typed) <= set(order), order
    assert order[-1] == "save", order
    assert order.index(f"value_{indicators[0].id}") < order.index("rag") < order.index("achieved")
    assert page.eval_on_selector("#measure_due", "e => e.value") == "2027-01-31"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert f"Het {quarter_label(QUARTER)} is opgeslagen" in page.inner_text(".flashes")
    assert "Met het toetsenbord." in page.inner_text("article.update")


def test_html_typed_into_text_fields_is_shown_as_text(browser_page, live_server):
    """A subproject name and milestone title full of HTML show as text on the pages and in the
    dashboard's charts: no element is made of it, no script runs, nothing is fetched."""
    page = browser_page
    evil = "<img src=x onerror=alert(1)>"
    subproject = live_server.ids["Urk"]
    _indicators, milestones = records_of(live_server, subproject)
    log_in(page, live_server, "manager")
    page.goto(f"{live_server.url}/subprojects/{subproject}/edit")
    page.fill("#name", evil)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/subprojects/{subproject}")
    page.goto(f"{live_server.url}/milestones/{milestones[-1].id}/edit")
    page.fill("#title", f"Mijlpaal {evil}<script>alert(2)</script>")
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/edit" not in url)

    assert evil in page.inner_text("h1")
    assert f"Mijlpaal {evil}<script>alert(2)</script>" in page.inner_text("main")
    page.goto(f"{live_server.url}/programmes/{live_server.ids['programme']}")
    assert evil in page.inner_text("main")
    page.goto(f"{live_server.url}/dashboard?subproject={subproject}")
    draw_all_charts(page)
    svg_text = " ".join(page.locator(".chart-canvas svg.main-svg").all_text_contents())
    assert evil in svg_text  # Plotly drew the label as text
    assert evil in page.inner_text("main")  # and the table alternatives show it as text
    for where in ("main", ".chart-canvas"):
        assert page.locator(f"{where} img").count() == 0
    assert page.locator("main script:not([type='application/json']):not([src])").count() == 0
    page.wait_for_timeout(300)
    assert page.watch.dialogs == []
    fetched_x = [u for u in page.watch.requests if urlsplit(u).path.rstrip("/").endswith("/x")]
    assert fetched_x == []


WIDTHS = (320, 390, 768, 1366)


@pytest.mark.parametrize("name,who,path,status", PAGES, ids=[p[0] for p in PAGES])
def test_page_fits_every_width_without_sideways_scrolling(
    browser_page, live_server, name, who, path, status
):
    """Phones (320, 390), a tablet (768) and a laptop (1366): the page never scrolls sideways;
    a wide table scrolls inside its own box."""
    page = browser_page
    if who:
        log_in(page, live_server, who)
    if name.startswith("english"):
        page.click("button[lang=en]")
        page.wait_for_load_state()
    if status >= 400:
        page.watch.expect_status(status)
    too_wide = {}
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(live_server.url + path(live_server.ids))
        page.wait_for_load_state("load")
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if overflow > 0:
            too_wide[width] = overflow
    if status >= 400:
        page.watch.expect_status(status)
    assert too_wide == {}, f"{name}: wider than the window by {too_wide} px"
