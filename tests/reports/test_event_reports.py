"""Events in the quarterly report and the exports, and the attendance list for signing."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import load_workbook
from pypdf import PdfReader

from tracker.extensions import db
from tracker.models import Event, Organisation, Registration
from tracker.quarters import Quarter
from tracker.reports import pdf, snapshot


def _event(
    app,
    world,
    held_on=date(2026, 8, 20),
    company="Bouwbedrijf <Flevo>",
    title="Clusterbijeenkomst Bouw",
    subproject="a",
) -> int:
    with app.app_context():
        company = Organisation(name=company, kind="company")
        event = Event(
            programme_id=world["programme_id"],
            subproject_id=world[subproject] if subproject else None,
            kind="meeting",
            title=title,
            held_on=held_on,
            place="Lelystad",
        )
        event.registrations.append(Registration(organisation=company, attended=True))
        db.session.add_all([company, event])
        db.session.commit()
        return event.id


def test_the_quarterly_report_lists_the_events_of_the_quarter_in_their_section(app, world):
    _event(app, world)
    _event(app, world, held_on=date(2026, 11, 2), company="Staal BV")
    with app.app_context(), app.test_request_context("/"):
        html = pdf.render_html(snapshot.collect(world["programme_id"], Quarter(2026, 3)))
    assert html.count("Clusterbijeenkomst Bouw") == 1
    assert "Bijeenkomsten van 3e kwartaal 2026" in html
    assert "Bijeenkomsten van het programma als geheel" not in html


def test_a_programme_event_is_listed_in_a_programme_section_of_the_tagged_pdf(app, world, login_as):
    _event(app, world, title="Provinciedag", subproject=None)
    response = login_as("manager").get(f"/reports/{world['programme_id']}/2026-Q3.pdf")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.data))
    assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"]
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    heading = "Bijeenkomsten van het programma als geheel"
    chapter = text.index(heading, text.index(heading) + 1)  # the first is in the contents
    assert "Provinciedag" in text[chapter : chapter + 600]
    with app.app_context(), app.test_request_context("/"):
        data = snapshot.collect(world["programme_id"], Quarter(2026, 3))
        one_subproject = pdf.render_html(data, subproject_id=world["a"])
    assert "Provinciedag" not in one_subproject


def test_an_archived_snapshot_without_events_still_renders(app, world):
    with app.app_context(), app.test_request_context("/"):
        data = snapshot.collect(world["programme_id"], Quarter(2026, 3))
        del data["frames"]["events"]
        html = pdf.render_html(data)
    assert "Geen bijeenkomsten in dit kwartaal." in html


def test_the_export_has_a_sheet_of_events_with_attendance(app, world, login_as):
    _event(app, world)
    response = login_as("manager").get(f"/exports/{world['programme_id']}/2026-Q3.xlsx")
    book = load_workbook(io.BytesIO(response.data))
    rows = list(book["Bijeenkomsten"].iter_rows(min_row=5, values_only=True))
    assert rows[0][3] == "Clusterbijeenkomst Bouw"
    assert rows[0][4] == "Bijeenkomst" and rows[0][6:] == (1, 1)


def test_the_export_lists_a_programme_event_as_the_programme(app, world, login_as):
    _event(app, world, title="Clusterbijeenkomst Provincie", subproject=None)
    response = login_as("manager").get(f"/exports/{world['programme_id']}/2026-Q3.xlsx")
    book = load_workbook(io.BytesIO(response.data))
    rows = list(book["Bijeenkomsten"].iter_rows(min_row=5, values_only=True))
    assert rows[0][1] == "Programma" and rows[0][3] == "Clusterbijeenkomst Provincie"


def test_the_attendance_list_is_a_pdf_with_the_registered_organisations(app, world, login_as):
    event_id = _event(app, world)
    response = login_as("lead").get(f"/events/{event_id}/attendance-list.pdf")
    assert response.status_code == 200
    assert response.data.startswith(b"%PDF")
    assert "presentielijst-2026-08-20" in response.headers["Content-Disposition"]
