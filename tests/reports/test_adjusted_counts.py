"""A counted value adjusted by hand reads the same in the quarterly PDF, the exports and the
dashboard: the value, the count it replaced, the reason, who and when."""

from __future__ import annotations

import io
from datetime import date, datetime

from openpyxl import load_workbook
from sqlalchemy import select

from tracker.extensions import db
from tracker.models import Indicator, Measurement, Meeting, User
from tracker.quarters import Quarter
from tracker.reports import pdf, snapshot

NEW_COLUMNS = ("counted_value", "override_reason")
SHOWN = (
    "Aangepast: 14 (geteld: 12), reden: twee bedrijven tekenden de presentielijst niet, "
    "door Deelprojectleider A, op 30-09-2026"
)


def _adjusted(app, world) -> None:
    with app.app_context():
        lead = db.session.scalar(select(User).where(User.role == "lead"))
        indicator = Indicator(
            programme_id=world["programme_id"],
            subproject_id=world["a"],
            name="Bedrijven bereikt",
            unit="bedrijven",
            baseline_value=0,
            baseline_date=date(2026, 1, 1),
            target_value=50,
            target_date=date(2027, 12, 31),
            rollup="sum",
            counted_from="companies_attending",
        )
        db.session.add(indicator)
        db.session.flush()
        db.session.add(
            Measurement(
                indicator_id=indicator.id,
                period="2026-Q3",
                value=14,
                counted_value=12,
                override_reason="twee bedrijven tekenden de presentielijst niet",
                source="Geteld uit bijeenkomsten",
                entered_by_id=lead.id,
                entered_at=datetime(2026, 9, 30, 10, 0),
            )
        )
        db.session.commit()


def test_the_pdf_appendix_shows_the_adjustment(app, world):
    _adjusted(app, world)
    with app.app_context(), app.test_request_context("/"):
        html = pdf.render_html(snapshot.collect(world["programme_id"], Quarter(2026, 3)))
    assert SHOWN in html


def test_a_snapshot_archived_before_adjustments_still_renders(app, world):
    _adjusted(app, world)
    with app.app_context(), app.test_request_context("/"):
        data = snapshot.collect(world["programme_id"], Quarter(2026, 3))
        table = data["frames"]["measurements"]
        keep = [i for i, c in enumerate(table["columns"]) if c not in NEW_COLUMNS]
        table["columns"] = [table["columns"][i] for i in keep]
        table["rows"] = [[row[i] for i in keep] for row in table["rows"]]
        html = pdf.render_html(data)
    assert "Bedrijven bereikt" in html and "Aangepast" not in html


def test_the_export_and_the_dashboard_show_the_adjustment(app, world, login_as):
    _adjusted(app, world)
    client = login_as("manager")
    response = client.get(f"/exports/{world['programme_id']}/2026-Q3.xlsx")
    book = load_workbook(io.BytesIO(response.data))
    sheet = book["Metingen"]
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    header = next(r for r in rows if r and "Met de hand aangepast" in r)
    adjusted = [r for r in rows if r and "Bedrijven bereikt" in r]
    assert adjusted[0][header.index("Met de hand aangepast")] == SHOWN
    assert adjusted[0][header.index("Geteld uit bijeenkomsten")] == 12
    with app.app_context():
        db.session.add(
            Meeting(
                programme_id=world["programme_id"], held_on=date(2026, 9, 1), title="Stuurgroep"
            )
        )
        db.session.commit()
    board = client.get("/dashboard").get_data(as_text=True)
    changes = board.split('id="changes-title"')[1].split("</section>")[0]
    assert "Bedrijven bereikt" in changes and SHOWN in changes
