"""Browser journey of the reporting season: the lead submits the quarter's update, the manager
returns it with a comment, the lead corrects it and submits again, the manager approves it; the
manager's overview shows each state, and the approved update is read only for the lead.

Uses the live server, browser and checks of ``test_browser.py`` (axe on every page visited, no
console errors, nothing leaves 127.0.0.1)."""

# ruff: noqa: F811  (the fixtures imported from test_browser are taken as arguments by name)

from __future__ import annotations

import json

from test_browser import (  # noqa: F401  (pytest fixtures, used by name)
    EXCEPTION_REPORT,
    axe_violations,
    browser,
    browser_page,
    live_server,
    log_out,
    quarter_label,
    row_of,
)

SEASON = "2026-Q3"  # the quarter whose updates are collected on TODAY (24-11-2026)
LEAD = "lead.almere@toptechniek.example"
COMMENT = "Vul de risico's aan met de maatregel die u neemt."


def log_in(page, live_server, who: str) -> None:
    """As ``test_browser.log_in``, but done once the next page starts to arrive: the manager
    lands on the dashboard, whose charts need not be drawn for this journey."""
    login = live_server.logins[who]
    page.goto(f"{live_server.url}/login")
    page.fill("#email", login.email)
    page.fill("#password", login.password)
    page.click("#submit")
    page.wait_for_url(lambda url: "/login" not in url, wait_until="commit")


def _no_violations(page) -> None:
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=1, ensure_ascii=False)


def _overview_row(page, live_server, code: str):
    page.goto(f"{live_server.url}/programmes/{live_server.ids['programme']}/season/{SEASON}")
    return row_of(page.locator("#season-overview"), code)


def _click(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def test_season_journey_submit_return_resubmit_approve(browser_page, live_server):
    page = browser_page
    subproject = live_server.ids["lead_subproject"]
    quarter_page = f"{live_server.url}/subprojects/{subproject}/quarter/{SEASON}"

    # The lead lands on "Mijn deelproject": the update of 2026-Q3 is due, still a concept.
    log_in(page, live_server, LEAD)
    page.wait_for_load_state()
    assert page.url.endswith("/my-subproject")
    assert page.inner_text("h1") == "Mijn deelproject"
    due = page.inner_text("#updates-due")
    assert "Concept" in due and "15-10-2026" in due and "dagen te laat" in due
    _no_violations(page)
    code = page.locator("#updates-due tbody th").first.inner_text().split()[0]
    _click(page, f"#updates-due a[href$='/quarter/{SEASON}']")
    assert "Concept" in page.inner_text("#submission-state")
    _click(page, "#submission-steps button[type=submit]")
    assert "ingediend" in page.inner_text(".flashes")
    assert "Ingediend" in page.inner_text("#submission-state")
    log_out(page)

    # The manager sees it submitted, opens it from the overview and returns it with a comment.
    log_in(page, live_server, "manager")
    row = _overview_row(page, live_server, code)
    assert "Ingediend" in row.inner_text()
    _no_violations(page)
    _click(page, f"#season-overview a[href$='/subprojects/{subproject}/quarter/{SEASON}']")
    page.fill("#review-comment", COMMENT)
    _click(page, "#review-send_back")
    assert "teruggestuurd" in page.inner_text(".flashes")
    row = row_of(page.locator("#season-overview"), code)
    assert "Teruggestuurd" in row.inner_text() and COMMENT in row.inner_text()
    log_out(page)

    # The lead reads the comment, corrects the update and submits it again.
    log_in(page, live_server, LEAD)
    assert COMMENT in page.inner_text("main")
    page.goto(quarter_page)
    assert COMMENT in page.inner_text("#submission-comment")
    page.fill("#risks", "Docententekort techniek; maatregel: gastdocenten uit bedrijven.")
    for name, value in EXCEPTION_REPORT.items():  # an amber or red quarter explains itself
        field = page.locator(f"#{name}")
        if field.count() and not field.input_value():
            field.fill(value)
    _click(page, "main form button[type=submit]")
    assert f"Het {quarter_label(SEASON)} is opgeslagen" in page.inner_text(".flashes")
    page.goto(quarter_page)
    _click(page, "#submission-steps button[type=submit]")
    assert "Ingediend" in page.inner_text("#submission-state")
    log_out(page)

    # The manager approves it; the overview says so.
    log_in(page, live_server, "manager")
    page.goto(quarter_page)
    _no_violations(page)
    _click(page, "#review-approve")
    assert "goedgekeurd" in page.inner_text(".flashes")
    assert "Goedgekeurd" in row_of(page.locator("#season-overview"), code).inner_text()
    log_out(page)

    # Approved: the lead can read the quarter, not change it.
    log_in(page, live_server, LEAD)
    page.goto(quarter_page)
    assert page.locator("#quarter-approved").is_visible()
    assert page.locator("main form button", has_text="opslaan").count() == 0
    assert "Goedgekeurd" in page.inner_text("#submission-state")
