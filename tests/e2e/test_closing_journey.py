"""Browser journey: the manager closes a quarter naming the steering group's decision that
approved its report, and the archived report's cover names that decision."""

from __future__ import annotations

import re

import test_browser as e2e
from pypdf import PdfReader
from test_browser import (
    APPROVAL,
    add_approval_decision,
    axe_violations,
    log_in,
    quarter_label,
    row_of,
)

# the browser tests' fixtures: the demo served on 127.0.0.1 and a watched Chromium page
pytestmark = e2e.pytestmark
browser = e2e.browser
browser_page = e2e.browser_page
live_server = e2e.live_server

PAST = "2026-Q3"


def test_the_manager_closes_a_quarter_naming_the_approving_decision(browser_page, live_server):
    add_approval_decision(live_server)
    page = browser_page
    page.set_default_timeout(60_000)  # the dashboard after the log-in is slow on a busy machine
    log_in(page, live_server, "manager")
    page.click("nav a[href='/reports']")
    row_of(page, quarter_label(PAST)).locator("a[href$='/close']").click()
    page.wait_for_load_state()
    assert "Wat vaststellen doet" in page.inner_text("main")
    assert axe_violations(page) == []

    # without a choice nothing happens but a clear message beside the field
    with page.expect_navigation() as navigation:
        page.click("main form button[type=submit]")
    assert navigation.value.status == 400
    page.watch.expect_status(400)
    assert "Kies het besluit waarmee de stuurgroep" in page.inner_text("#decision-error")

    page.select_option("#decision", label=f"Besluit 1: {APPROVAL}")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    row_of(page, quarter_label(PAST)).locator(".badge.tone-green").wait_for(timeout=120_000)
    row = row_of(page, quarter_label(PAST))
    assert "Vastgesteld door de stuurgroep op 12-10-2026, besluit 1" in row.inner_text()

    with page.expect_download(timeout=30_000) as info:
        row.locator("a[href$='.pdf']").first.click()
    cover = PdfReader(info.value.path()).pages[0].extract_text()
    cover = re.sub(r"\s+", " ", cover)
    assert "Vastgesteld door de stuurgroep op 12-10-2026, besluit:" in cover
    assert "vaststelling kwartaalrapportage (12-10-2026), besluit 1" in cover
