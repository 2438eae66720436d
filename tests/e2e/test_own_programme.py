"""A province sets up its own programme from an empty install, through the interface only
(issue 12): once by hand, once by importing the plan-of-action workbook. Then a lead enters a
quarter, and the dashboard and the programme PDF show the programme indicator rolled up from
the two subprojects' indicators.

The only step outside the browser is the documented first one: `flask create-user` makes the
first application manager. Every page the journeys pass is checked with axe-core.
"""

from __future__ import annotations

import io
import signal
import threading

import pytest
from flask_migrate import upgrade
from openpyxl import load_workbook
from test_browser import (
    CHROMIUM,
    CHROMIUM_FLAGS,
    Watch,
    axe_violations,
    draw_all_charts,
    playwright_api,
    quarter_label,
    row_of,
    start_consumer,
)
from werkzeug.serving import make_server

QUARTER = "2026-Q4"
ADMIN = ("beheer@provincie.example", "een-lang-wachtwoord-1")
LEADS = {
    "NOP": ("trekker.nop@provincie.example", "Trekker Noordoostpolder"),
    "URK": ("trekker.urk@provincie.example", "Trekker Urk"),
}
LEAD_PASSWORD = "trekker-wachtwoord-2026"
TOTAL = "Vakmensen opgeleid"

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")


@pytest.fixture
def empty_server(tmp_path):
    """The app on an empty database (no demo), with its first admin made by the CLI."""
    from tracker import create_app
    from tracker.extensions import db

    database, queue = tmp_path / "own.db", tmp_path / "jobs.db"
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
            "SECRET_KEY": "e2e-own-secret",
            "TESTING": False,
            "WTF_CSRF_ENABLED": True,
            "QUEUE_URL": f"sqlite:///{queue}",
            "JOBS_IMMEDIATE": False,
            "REPORT_REBUILD_DELAY": None,
        }
    )
    with app.app_context():
        upgrade()
    result = app.test_cli_runner().invoke(
        args=["create-user", "--email", ADMIN[0], "--name", "Beheerder", "--role", "admin"]
        + ["--password", ADMIN[1]]
    )
    assert result.exit_code == 0, result.output
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    consumer = start_consumer(f"sqlite:///{database}", f"sqlite:///{queue}")
    yield f"http://127.0.0.1:{server.server_port}"
    consumer.send_signal(signal.SIGINT)
    consumer.wait(timeout=60)
    server.shutdown()
    thread.join(timeout=10)
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def browser():
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, empty_server):
    context = browser.new_context(locale="nl-NL", accept_downloads=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    watch = Watch(page, empty_server)
    yield page
    context.close()
    assert watch.console_errors == [], f"browser console errors: {watch.console_errors}"
    assert watch.off_site == [], f"requests that left 127.0.0.1: {watch.off_site}"


def log_in(page, base: str, email: str, password: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("#submit")
    page.wait_for_url(lambda url: "/login" not in url)


def submit(page) -> None:
    with page.expect_navigation():
        page.click("main form button[type=submit]")


def checklist_ticks(page) -> int:
    return page.locator("#first-run li.step-done").count()


def set_up_programme_and_municipalities(page, base: str) -> None:
    """The admin follows the first-run checklist: programme, two municipalities, two leads."""
    log_in(page, base, *ADMIN)
    page.goto(f"{base}/")
    assert page.locator("#first-run").is_visible()
    assert checklist_ticks(page) == 0
    assert axe_violations(page) == []
    page.click("#first-run a:has-text('Maak het programma aan')")
    page.fill("#name", "Techniek Noordoost")
    page.fill("#aim", "Meer vakmensen in de kop van de provincie")
    page.fill("#start_date", "2026-01-01")
    page.fill("#end_date", "2028-12-31")
    submit(page)
    assert "Programma opgeslagen" in page.inner_text(".flashes")
    for name, code in (("Noordoostpolder", "gm0171"), ("Urk", "GM0184")):
        page.goto(f"{base}/")
        page.click("#first-run a:has-text('Voeg de gemeenten toe')")
        if "/new" not in page.url:  # once there is one, the step opens the list
            page.click("main a[href$='/municipalities/new']")
        page.fill("#name", name)
        page.fill("#cbs_code", code)
        submit(page)
    for email, name in LEADS.values():
        page.goto(f"{base}/")
        page.click("#first-run a:has-text('Geef elk deelproject zijn trekkers')")
        page.fill("#email", email)
        page.fill("#name", name)
        page.select_option("#role", "lead")
        page.fill("#password", LEAD_PASSWORD)
        page.fill("#password_again", LEAD_PASSWORD)
        submit(page)
    page.goto(f"{base}/")
    assert checklist_ticks(page) == 2  # programme and municipalities


def programme_id(page, base: str) -> int:
    page.goto(f"{base}/")
    return int(page.url.rstrip("/").rsplit("/", 1)[1])


def lead_enters_the_quarter(page, base: str, code: str, value: str) -> None:
    email, _name = LEADS[code]
    log_in(page, base, email, LEAD_PASSWORD)
    page.goto(f"{base}/account")
    assert code in page.inner_text("main")  # the account page names the subproject led
    page.locator(f"main a:has-text('{code}')").first.click()
    page.locator(f"main a[href$='/quarter/{QUARTER}']").first.click()
    page.locator("input[id^='value_']").first.fill(value)
    page.select_option("#rag", "green")
    submit(page)
    assert f"Het {quarter_label(QUARTER)} is opgeslagen" in page.inner_text(".flashes")


def dashboard_and_pdf_show_the_total(page, base: str) -> None:
    from pypdf import PdfReader

    log_in(page, base, *ADMIN)
    page.goto(f"{base}/dashboard?quarter={QUARTER}")
    draw_all_charts(page)
    assert TOTAL in page.inner_text("main")
    trend = page.locator("script[data-chart='chart-indicator_trend']").text_content()
    assert "200" in trend
    assert axe_violations(page) == []
    page.goto(f"{base}/reports")
    row_of(page, quarter_label(QUARTER)).locator("a[href$='.pdf']").first.click()
    ready = page.locator("[data-progress-ready] a")
    ready.wait_for(state="visible", timeout=120_000)
    with page.expect_download(timeout=30_000) as info:
        ready.click(no_wait_after=True)
    text = "\n".join(p.extract_text() for p in PdfReader(info.value.path()).pages)
    assert TOTAL in text
    assert "som van 2 deelprojectindicatoren" in " ".join(text.split())
    assert "200" in text


def test_a_programme_set_up_by_hand_rolls_up_a_leads_quarter(page, empty_server):
    base = empty_server
    set_up_programme_and_municipalities(page, base)
    pid = programme_id(page, base)
    municipality = {"NOP": "Noordoostpolder", "URK": "Urk"}
    cbs = {"NOP": "GM0171", "URK": "GM0184"}
    for code, (_email, lead) in LEADS.items():
        page.goto(f"{base}/")
        page.click("#first-run a:has-text('Voeg de deelprojecten toe')")
        page.fill("#code", code)
        page.fill("#name", f"Techniek in {municipality[code]}")
        page.select_option("#municipality_id", label=f"{municipality[code]} ({cbs[code]})")
        page.select_option("#lead_ids", label=lead)
        submit(page)
    page.goto(f"{base}/programmes/{pid}")
    assert checklist_ticks(page) == 4  # all but the indicators
    for code in LEADS:
        page.goto(f"{base}/programmes/{pid}")
        page.locator(f"main a:has-text('{code}')").first.click()
        page.click("main a:has-text('Nieuwe indicator')")
        fill_indicator(page, "Vakmensen opgeleid hier", "200")
        submit(page)
    page.goto(f"{base}/setup/programmes/{pid}")
    page.click("main a:has-text('Nieuwe programma-indicator')")
    fill_indicator(page, TOTAL, "400")
    page.select_option("#aggregation", "sum")
    page.select_option(
        "#source_ids",
        label=[
            "NOP · Vakmensen opgeleid hier (vakmensen)",
            "URK · Vakmensen opgeleid hier (vakmensen)",
        ],
    )
    submit(page)
    page.goto(f"{base}/programmes/{pid}")
    assert page.locator("#first-run").count() == 0  # every step done: the guide is gone

    lead_enters_the_quarter(page, base, "NOP", "120")
    lead_enters_the_quarter(page, base, "URK", "80")
    dashboard_and_pdf_show_the_total(page, base)


def fill_indicator(page, name: str, target: str) -> None:
    """An indicator from 0 to ``target`` vakmensen by the end of 2027; with 120 and 80 in
    2026-Q4 both subprojects are on their trajectory, so no exception report is asked."""
    page.fill("#name", name)
    page.fill("#unit", "vakmensen")
    page.fill("#baseline_value", "0")
    page.fill("#baseline_date", "2026-01-01")
    page.fill("#target_value", target)
    page.fill("#target_date", "2027-12-31")


def test_a_programme_imported_from_the_workbook_rolls_up_a_leads_quarter(page, empty_server):
    base = empty_server
    set_up_programme_and_municipalities(page, base)
    pid = programme_id(page, base)
    page.goto(f"{base}/")
    page.click("#first-run a:has-text('lees het plan van aanpak in')")
    assert axe_violations(page) == []
    with page.expect_download() as info:
        page.click("main a:has-text('Download de werkmap')")
    assert info.value.suggested_filename == "plan-van-aanpak.xlsx"
    book = load_workbook(io.BytesIO(info.value.path().read_bytes()))
    fill_workbook(book)
    buffer = io.BytesIO()
    book.save(buffer)
    page.set_input_files(
        "#file",
        {
            "name": "plan-van-aanpak.xlsx",
            "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "buffer": buffer.getvalue(),
        },
    )
    submit(page)
    assert "Controleer het plan van aanpak" in page.inner_text("h1")
    assert axe_violations(page) == []
    submit(page)
    assert "regels van het plan van aanpak verwerkt" in page.inner_text(".flashes")
    page.goto(f"{base}/programmes/{pid}")
    assert page.locator("#first-run").count() == 0

    lead_enters_the_quarter(page, base, "NOP", "120")
    lead_enters_the_quarter(page, base, "URK", "80")
    dashboard_and_pdf_show_the_total(page, base)


def fill_workbook(book) -> None:
    """What a programme team types into the downloaded workbook."""
    for code, municipality in (("NOP", "Noordoostpolder"), ("URK", "Urk")):
        email = LEADS[code][0]
        book["Deelprojecten"].append([code, f"Techniek in {municipality}", "", municipality, email])
        book["Indicatoren"].append(
            [code, "Vakmensen opgeleid hier", "vakmensen", "", "", "Hoger is beter", 0]
            + ["01-01-2026", 200, "31-12-2027", "Elk kwartaal", None, "Laatste waarde", None, None]
        )
        book["Mijlpalen"].append([code, "Werkplaats open", "", "01-09-2027", None])
    book["Indicatoren"].append(
        ["", TOTAL, "vakmensen", "", "", "Hoger is beter", 0, "01-01-2026", 400, "31-12-2027"]
        + ["Elk kwartaal", None, "Laatste waarde", "Totaal"]
        + ["NOP: Vakmensen opgeleid hier; URK: Vakmensen opgeleid hier"]
    )
    book["Organisaties"].append(["Techniekcollege Noordoost", "School (mbo)", "Noordoostpolder"])
