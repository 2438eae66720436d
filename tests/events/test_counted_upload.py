"""The Excel upload refuses a typed value for an indicator counted from events, per row, and
applies nothing."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import load_workbook
from sqlalchemy import select

from tracker.extensions import db
from tracker.indicators import excel
from tracker.models import Indicator, Measurement


def test_a_typed_value_for_a_counted_indicator_is_refused_and_nothing_applied(app, world, login_as):
    with app.app_context():
        db.session.add(
            Indicator(
                programme_id=world["programme_id"],
                subproject_id=world["a"],
                name="Bedrijven bereikt",
                unit="bedrijven",
                baseline_value=0,
                baseline_date=date(2026, 1, 1),
                target_value=50,
                target_date=date(2027, 12, 31),
                counted_from="companies_attending",
            )
        )
        db.session.commit()
    client = login_as("lead")
    template = client.get(f"/subprojects/{world['a']}/quarter/2026-Q4/template.xlsx")
    workbook = load_workbook(io.BytesIO(template.data))
    for row in workbook[excel.SHEET].iter_rows(min_row=2):
        if row[1].value in ("Bedrijven bereikt", "Uitval"):
            row[excel.COL_VALUE - 1].value = 12
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = client.post(
        f"/subprojects/{world['a']}/quarter/2026-Q4/upload",
        data={"file": (io.BytesIO(buffer.getvalue()), "metingen.xlsx")},
        content_type="multipart/form-data",
    )
    body = response.get_data(as_text=True)
    assert "geteld uit bijeenkomsten" in body
    assert 'name="payload"' not in body
    with app.app_context():
        assert (
            db.session.scalar(select(Measurement.id).where(Measurement.period == "2026-Q4")) is None
        )
