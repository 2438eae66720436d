"""Browser journey of the steering group's cycle (issue 13): the lead of DP1 reports an amber
quarter with a decision asked; the manager creates a meeting whose drafted agenda lists both,
records the decision with a follow-up action in DP1 and downloads the steering pack; a
steering-group member sees the follow-up's status."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from pypdf import PdfReader
from test_browser import (  # noqa: F401 (fixtures of this module too)
    EXCEPTION_REPORT,
    axe_violations,
    browser,
    browser_page,
    live_server,
    log_in,
    log_out,
    quarter_label,
    save_quarter,
)

PAST = "2026-Q3"
ASKED = "Besluit gevraagd: extra gastdocenten uit het regiobudget."
FOLLOW_UP = "Gastdocenten werven bij drie bedrijven"


def log_in_to(page, server, who: str, path: str) -> None:
    """Log in and land on ``path``: the dashboard, where a manager lands, is slow to load."""
    login = server.logins[who]
    page.goto(f"{server.url}/login?next={path}")
    page.fill("#email", login.email)
    page.fill("#password", login.password)
    with page.expect_navigation(url=f"{server.url}{path}", timeout=60_000):
        page.click("#submit")


def test_meeting_journey(browser_page, live_server):  # noqa: F811 (the fixtures above)
    page = browser_page
    dp1 = live_server.ids["Almere"]
    log_in(page, live_server, "lead.almere@toptechniek.example")
    save_quarter(
        page,
        live_server,
        dp1,
        PAST,
        {},
        {"rag": "amber", "decisions_requested": ASKED, **EXCEPTION_REPORT},
    )
    assert f"Het {quarter_label(PAST)} is opgeslagen" in page.inner_text(".flashes")
    log_out(page)

    # the manager: a new meeting proposes its agenda from the quarter's data
    log_in_to(page, live_server, "manager", f"/programmes/{live_server.ids['programme']}")
    page.click("main a:text-is('Vergaderingen')")
    page.click("main a:text-is('Nieuwe vergadering')")
    assert page.locator("#quarter").input_value() == PAST
    agenda = page.locator("#agenda").input_value()
    assert f"Afwijkingen in het {quarter_label(PAST)}" in agenda
    assert re.search(r"DP1 .*Oorzaak: Docententekort techniek", agenda)
    assert ASKED in agenda
    assert axe_violations(page) == []
    page.fill("#attendees", "Gedeputeerde\nWethouders")
    page.fill("#agenda", agenda + "Extra: werkbezoek Almere\n")
    with page.expect_navigation():
        page.click("main form button:text-is('Opslaan')")
    assert "Vergadering opgeslagen" in page.inner_text(".flashes")
    assert "Extra: werkbezoek Almere" in page.inner_text("#agenda + .card")
    assert axe_violations(page) == []

    # the request is answered with a decision, which gets a follow-up action in DP1
    asked = page.locator("#requests + ul > li", has_text=ASKED)
    asked.locator("a:text-is('Beantwoorden met een besluit')").click()
    assert page.locator("#text").input_value() == ASKED
    page.fill("#owner", "Programmaregisseur")
    page.fill("#due_date", "2027-01-31")
    page.select_option("#status", "in_progress")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "Besluit opgeslagen" in page.inner_text(".flashes")
    assert "31-01-2027" in page.inner_text("main .facts")
    page.click("main a:text-is('Nieuwe vervolgactie')")
    page.select_option("#subproject_id", str(dp1))
    assert page.locator("#due_date").input_value() == "2027-01-31"  # the decision's
    page.fill("#title", FOLLOW_UP)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert FOLLOW_UP in page.inner_text("#follow-ups ~ .table-wrap")
    decision_url = page.url

    # the steering pack: built by the job consumer, its progress page offers the download
    page.goto(f"{live_server.url}/programmes/{live_server.ids['programme']}/meetings")
    page.locator("main table a").first.click()
    page.click("main a:text-is('Stuurgroeppakket (pdf)')")
    ready = page.locator("[data-progress-ready] a")
    ready.wait_for(state="visible", timeout=120_000)
    with page.expect_download(timeout=30_000) as info:
        ready.click(no_wait_after=True)
    text = " ".join(p.extract_text() for p in PdfReader(info.value.path()).pages)
    text = re.sub(r"\s+", " ", text)
    assert "Stuurgroeppakket" in text and "Docententekort techniek" in text
    assert "extra gastdocenten uit het regiobudget" in text
    log_out(page)

    # a steering-group member reads the decision and its follow-up's status
    log_in_to(page, live_server, "steering", urlsplit(decision_url).path)
    row = page.locator("#follow-ups ~ .table-wrap tr", has_text=FOLLOW_UP)
    assert "Gepland" in row.inner_text() and "0 %" in row.inner_text()
    page.goto(f"{live_server.url}/programmes/{live_server.ids['programme']}/decisions")
    assert FOLLOW_UP in page.inner_text("main") and "In uitvoering" in page.inner_text("main")
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/subprojects/{dp1}")
    assert "Vervolg op besluit 1" in page.inner_text("#actions ~ .table-wrap")
