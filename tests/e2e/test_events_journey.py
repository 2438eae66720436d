"""The events journey in a real browser: a lead creates an event with two workshops, imports a
registration list (an xlsx file), marks attendance; the subproject's "Bedrijven bereikt"
indicator shows the counted value of the quarter with its event, and the quarterly report lists
the event."""

from __future__ import annotations

from openpyxl import Workbook
from sqlalchemy import select
from test_browser import browser, browser_page, live_server, log_in  # noqa: F401 (fixtures)

from tracker.quarters import Quarter

COMPANIES = ("Hightech assemblagebedrijf Almere", "Softwarebedrijf Almere Haven")
NEW_COMPANY = "Installatiebedrijf De Nieuwe Haven"


def _registration_list(folder) -> str:
    """The list as a lead gets it back from a registration form: two companies of the register
    (one in other capitals and spaces), and one that is new to it."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Aanmeldingen"
    sheet.append(
        [
            "Organisatie",
            "Gemeente",
            "Soort",
            "Sector",
            "Contactpersoon",
            "Functie",
            "E-mail",
            "Aanwezig",
            "Belangstelling vervolg",
        ]
    )
    sheet.append([COMPANIES[0], "Almere", None, None, None, None, None, None, None])
    sheet.append([f"  {COMPANIES[1].upper()} ", "almere", None, None, None, None, None, None, None])
    sheet.append([NEW_COMPANY, "Almere", "Bedrijf", "Bouw en installatie"] + [None] * 5)
    path = folder / "aanmeldingen.xlsx"
    workbook.save(path)
    return str(path)


def _ids(live_server, names) -> dict[str, int]:  # noqa: F811
    from tracker.extensions import db
    from tracker.models import Organisation

    with live_server.app.app_context():
        rows = db.session.execute(
            select(Organisation.name, Organisation.id).where(Organisation.name.in_(names))
        ).all()
        db.session.remove()
    return dict(rows)


def test_lead_runs_an_event_and_the_indicator_counts_it(
    browser_page,  # noqa: F811
    live_server,  # noqa: F811
    tmp_path,
):
    page = browser_page
    subproject = live_server.ids["lead_subproject"]
    companies = _ids(live_server, COMPANIES)
    log_in(page, live_server, "lead.almere@toptechniek.example")

    # 1. the event, from the subproject's tab
    page.goto(f"{live_server.url}/subprojects/{subproject}")
    page.click("nav.tabs a:has-text('Bijeenkomsten')")
    page.click("a:has-text('Nieuwe bijeenkomst')")
    page.select_option("#kind", "meeting")
    page.fill("#title", "Techniekcafé Almere")
    page.fill("#held_on", "2026-11-12")
    page.fill("#place", "Mbo Techniekcollege Almere")
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/new" not in url)
    assert "Bijeenkomst opgeslagen" in page.inner_text(".flashes")
    event_url = page.url.split("#")[0]

    # 2. two workshops
    for topic in ("Samen opleiden", "Automatisering in de assemblage"):
        page.click("a:has-text('Nieuwe workshop')")
        page.fill("#topic", topic)
        page.click("main form button[type=submit]")
        page.wait_for_url(lambda url: "/workshops/new" not in url)
    workshops = page.inner_text("#workshops")
    assert "Samen opleiden" in workshops and "Automatisering in de assemblage" in workshops

    # 3. import the registration list: a preview of every row, then applied
    page.click("a:has-text('Aanmeldingslijst inlezen')")
    page.set_input_files("#file", _registration_list(tmp_path))
    page.click("main form button[type=submit]")
    rows = page.inner_text("#list-rows")
    assert rows.count("organisatie uit het register") == 2
    assert "nieuwe organisatie in het register" in rows and NEW_COMPANY in rows
    page.click("button:has-text('Deze lijst inlezen')")
    # the consumer applies it; the page that follows the job then returns to the event
    page.wait_for_url(lambda url: "/imports/" in url)
    page.wait_for_url(lambda url: url.split("#")[0] == event_url)
    assert "De aanmeldingslijst is verwerkt: 3 organisaties" in page.inner_text(".flashes")
    registrations = page.inner_text("#registrations")
    assert all(name in registrations for name in (*COMPANIES, NEW_COMPANY))

    # the same organisation registered again by hand is refused by name
    page.goto(f"{event_url}/registrations/new")
    page.select_option("#organisation_ids", [str(companies[COMPANIES[0]])])
    page.click("main form button[type=submit]")
    assert "Al aangemeld voor deze bijeenkomst" in page.inner_text(".error-summary")
    assert COMPANIES[0] in page.inner_text(".error-summary")
    page.watch.expect_status(400)

    # 4. attendance: both came, one wants a follow-up
    page.goto(event_url)
    page.click("a:has-text('Aanwezigheid bijhouden')")
    for name in COMPANIES:
        page.get_by_label(f"{name} was aanwezig").check()
    page.get_by_label(f"{COMPANIES[0]} heeft belangstelling voor een vervolg").check()
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/attendance" not in url)
    assert "Aanwezigheid opgeslagen" in page.inner_text(".flashes")

    # 5. the quarter page shows the counted value with its event, with no field to type over it
    page.goto(f"{live_server.url}/subprojects/{subproject}/quarter/2026-Q4")
    row = page.locator("tr.counted").filter(has_text="Bedrijven bereikt").first
    text = row.inner_text()
    assert "Geteld uit bijeenkomsten" in text and "Techniekcafé Almere" in text
    assert row.locator("td.num").nth(4).inner_text().strip() == "2"  # after the rolled-up value
    assert row.locator("input").count() == 0

    # 6. the quarterly report of 2026-Q4 lists the event in the subproject's section
    from tracker.reports import pdf, snapshot

    with live_server.app.app_context(), live_server.app.test_request_context("/"):
        html = pdf.render_html(
            snapshot.collect(live_server.ids["programme"], Quarter(2026, 4)),
            subproject_id=subproject,
        )
    assert "Techniekcafé Almere" in html
