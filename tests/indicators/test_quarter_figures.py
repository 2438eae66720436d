"""One "this quarter" value (issue 16, point 8): the quarter's own value and the value rolled up
to it, each named for what it is, the same on pages, PDF and exports."""

import io
import re

import pandas as pd
from pypdf import PdfReader
from sqlalchemy import select

from tracker.extensions import db
from tracker.indicators.status import quarter_figures
from tracker.models import Indicator

MEASURED = [("2026-Q2", 140.0), ("2026-Q3", 180.0), ("2026-Q4", 999.0)]


def test_the_quarters_own_value_and_the_rolled_up_value_differ_for_a_mean():
    figures = quarter_figures(MEASURED, "2026-Q3", "mean")
    assert figures.quarter_value == 180 and figures.rolled_up == 160
    assert quarter_figures(MEASURED, "2026-Q3", "sum").rolled_up == 320
    assert quarter_figures(MEASURED, "2026-Q3", "last").rolled_up == 180


def test_a_quarter_without_its_own_value_keeps_the_rolled_up_one():
    figures = quarter_figures(MEASURED[:1], "2026-Q3", "last")
    assert figures.quarter_value is None and figures.rolled_up == 140
    assert figures.latest_period == "2026-Q2"


def _averaging(app):
    with app.app_context():
        indicator = db.session.scalar(
            select(Indicator).where(Indicator.name == "Leerlingen techniek")
        )
        indicator.rollup = "mean"  # 140 in 2026-Q2, 180 in 2026-Q3
        db.session.commit()


def test_the_report_tables_and_appendix_agree_on_the_quarters_value(app, login_as, world):
    _averaging(app)
    client = login_as("manager")
    response = client.get(f"/reports/{world['programme_id']}/2026-Q3.pdf")
    body = response.data
    assert body.startswith(b"%PDF"), response.status_code
    text = re.sub(
        r"\s+", " ", "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages)
    )
    assert "Tot en met dit kwartaal" in text and "gemiddelde" in text
    assert "opgeteld" not in text
    # named first in the summary's at-risk list, then in the indicator table
    rows = [after[:300] for after in text.split("Leerlingen techniek")[1:]]
    assert any("180" in row and "160" in row for row in rows)  # the quarter's value and mean


def test_the_export_names_both_values(app, login_as, world):
    _averaging(app)
    response = login_as("manager").get(f"/exports/{world['programme_id']}/2026-Q3.xlsx")
    sheet = pd.read_excel(io.BytesIO(response.data), sheet_name="Indicatoren", header=3)
    row = sheet[sheet["Naam"] == "Leerlingen techniek"].iloc[0]
    assert row["Waarde dit kwartaal"] == 180
    assert row["Waarde over de kwartalen tot en met dit kwartaal"] == 160
    assert row["Waarde over de kwartalen"] == "Gemiddelde"


def test_pages_show_both_values_named(app, login_as, world):
    _averaging(app)
    client = login_as("steering")
    page = client.get("/dashboard?quarter=2026-Q3").get_data(as_text=True)
    assert "Tot en met dit kwartaal" in page and "160" in page and "gemiddelde" in page
    assert "opgeteld" not in page
