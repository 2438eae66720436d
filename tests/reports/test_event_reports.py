"""Events in the quarterly report and the exports, and the attendance list for signing."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import load_workbook

from tracker.extensions import db
from tracker.models import Event, Organisation, Registration
from tracker.quarters import Quarter
from tracker.reports import pdf, snapshot


def _event(app, world, held_on=date(2026, 8, 20), company="Bouwbedrijf <Flevo>") -> int:
    with app.app_context():
        company = Organisation(name=company, kind="company")
        event = Event(
            programme_id=world["programme_id"],
            subproject_id=world["a"],
            kind="meeting",
            title="Clusterbijeenkomst Bouw",
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
    assert "Bijeenkomsten van 2026-Q3" in html


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


def test_the_attendance_list_is_a_pdf_with_the_registered_organisations(app, world, login_as):
    event_id = _event(app, world)
    response = login_as("lead").get(f"/events/{event_id}/attendance-list.pdf")
    assert response.status_code == 200
    assert response.data.startswith(b"%PDF")
    assert "presentielijst-2026-08-20" in response.headers["Content-Disposition"]
