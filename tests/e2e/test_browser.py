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
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import TODAY
from flask_migrate import upgrade
from sqlalchemy import select
from werkzeug.serving import make_server

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
    from tracker.extensions import db
    from tracker.models import Programme, Subproject, User
    from tracker.projects.demo import seed_demo

    database = tmp_path_factory.mktemp("e2e") / "e2e.db"
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
            "SECRET_KEY": "e2e-secret",
            "TESTING": False,
            "WTF_CSRF_ENABLED": True,
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
        ids["lead_subproject"] = lead.led_subprojects[0].id
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    by_key = {x.role: x for x in logins} | {x.email: x for x in logins}
    yield LiveServer(f"http://127.0.0.1:{server.server_port}", app, by_key, ids)
    server.shutdown()
    thread.join(timeout=10)
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


class Watch:
    """What the browser did that a test must fail on."""

    def __init__(self, page, base: str):
        self.console_errors: list[str] = []
        self.off_site: list[str] = []
        host = urlsplit(base).hostname
        page.on(
            "console",
            lambda m: self.console_errors.append(m.text) if m.type == "error" else None,
        )
        page.on("pageerror", lambda error: self.console_errors.append(str(error)))

        def guard(route):
            url = route.request.url
            if urlsplit(url).scheme in ("http", "https") and urlsplit(url).hostname != host:
                self.off_site.append(url)
                route.abort()
            else:
                route.continue_()

        page.route("**/*", guard)


@pytest.fixture
def browser_page(browser, live_server):
    context = browser.new_context(locale="nl-NL", java_script_enabled=True)
    page = context.new_page()
    watch = Watch(page, live_server.url)
    page.watch = watch
    yield page
    context.close()
    assert watch.console_errors == [], f"browser console errors: {watch.console_errors}"
    assert watch.off_site == [], f"requests that left 127.0.0.1: {watch.off_site}"


def log_in(page, live_server, who: str) -> None:
    login = live_server.logins[who]
    page.goto(f"{live_server.url}/login")
    page.fill("#email", login.email)
    page.fill("#password", login.password)
    page.click("#submit")
    page.wait_for_url(lambda url: "/login" not in url)


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
    ("overview", "steering", lambda ids: f"/programmes/{ids['programme']}", 200),
    ("subproject", "steering", lambda ids: f"/subprojects/{ids['Almere']}", 200),
    ("edit subproject", "lead.almere@toptechniek.example",
     lambda ids: f"/subprojects/{ids['lead_subproject']}/edit", 200),
    ("users", "admin", lambda ids: "/users", 200),
    ("not found", "steering", lambda ids: "/subprojects/999999", 404),
    ("no access", "steering", lambda ids: f"/subprojects/{ids['Almere']}/edit", 403),
    ("english overview", "manager", lambda ids: f"/programmes/{ids['programme']}", 200),
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
        # the browser reports a failed document load as a console error; that one is expected
        page.watch.console_errors[:] = [
            e for e in page.watch.console_errors if f"status of {status}" not in e
        ]
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
    page.wait_for_url(lambda url: "/programmes/" in url)
    assert "Toptechniek in bedrijf Flevoland" in page.content()


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


def test_steering_member_cannot_reach_an_edit_page(browser_page, live_server):
    page = browser_page
    log_in(page, live_server, "steering")
    page.goto(f"{live_server.url}/subprojects/{live_server.ids['Almere']}")
    assert page.locator("a[href$='/edit']").count() == 0
    response = page.goto(f"{live_server.url}/subprojects/{live_server.ids['Almere']}/edit")
    assert response.status == 403
    page.watch.console_errors[:] = [
        e for e in page.watch.console_errors if "status of 403" not in e
    ]


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
