"""Edits to a closed quarter are refused on every write path with a clear message, input kept."""

import io
import re

import pytest
from conftest import archive_quarter
from openpyxl import load_workbook
from sqlalchemy import func, select

from tracker.extensions import db
from tracker.indicators import excel
from tracker.models import Indicator, Measurement, Milestone, QuarterlyUpdate

REFUSAL = "Het 3e kwartaal 2026 is vastgesteld"


@pytest.fixture
def closed_q3(app, world):
    """2026-Q3 closed (an archive row; the PDF itself does not matter here)."""
    archive_quarter(app, world["programme_id"], "2026-Q3")
    return world


def _indicator(app, name):
    with app.app_context():
        return db.session.scalar(select(Indicator).where(Indicator.name == name)).id


def _q3(app):
    with app.app_context():
        return {
            "values": dict(
                db.session.execute(
                    select(Measurement.indicator_id, Measurement.value).where(
                        Measurement.period == "2026-Q3"
                    )
                ).all()
            ),
            "update": db.session.scalar(
                select(QuarterlyUpdate.achieved).where(QuarterlyUpdate.quarter == "2026-Q3")
            ),
            "count": db.session.scalar(select(func.count(Measurement.id))),
        }


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def test_new_measurement_in_a_closed_quarter_is_refused_beside_the_period(app, login_as, closed_q3):
    before = _q3(app)
    indicator = _indicator(app, "Stageplaatsen")
    client = login_as("manager")
    data = {"period": "2026-Q3", "value": "12", "note": "Getypte notitie"}
    response = client.post(f"/indicators/{indicator}/measurements/new", data=data)
    assert response.status_code == 400
    body = _text(response)
    assert REFUSAL in body and "heropenen" in body
    assert re.search(r'id="period-error"[^>]*>[^<]*3e kwartaal 2026 is vastgesteld', body)
    assert (
        "Getypte notitie</textarea>" in body
        and 'name="value" required type="text" value="12"' in body
    )
    assert _q3(app) == before


def test_editing_a_measurement_of_a_closed_quarter_is_refused(app, login_as, closed_q3):
    before = _q3(app)
    with app.app_context():
        measurement = db.session.scalar(
            select(Measurement).where(Measurement.period == "2026-Q3", Measurement.value == 19)
        )
    client = login_as("lead")
    path = f"/measurements/{measurement.id}/edit"
    response = client.post(path, data={"period": "2026-Q3", "value": "18", "version": "1"})
    assert response.status_code == 400
    assert REFUSAL in _text(response) and 'value="18"' in _text(response)
    # Moving the value out of the closed quarter is refused too.
    response = client.post(path, data={"period": "2026-Q4", "value": "19", "version": "1"})
    assert response.status_code == 400 and REFUSAL in _text(response)
    assert _q3(app) == before
    # An open quarter still takes new values.
    indicator = _indicator(app, "Uitval")
    response = client.post(
        f"/indicators/{indicator}/measurements/new", data={"period": "2026-Q4", "value": "17"}
    )
    assert response.status_code == 302


def test_quarter_page_of_a_closed_quarter_says_so_and_refuses_the_save(app, login_as, closed_q3):
    before = _q3(app)
    client = login_as("lead")
    path = f"/subprojects/{closed_q3['a']}/quarter/2026-Q3"
    page = client.get(path)
    assert page.status_code == 200
    assert 'id="quarter-closed"' in _text(page) and REFUSAL in _text(page)
    with app.app_context():
        indicators = {i.name: i.id for i in db.session.scalars(select(Indicator))}
        open_milestones = db.session.scalars(
            select(Milestone.id).where(
                Milestone.subproject_id == closed_q3["a"], Milestone.achieved_on.is_(None)
            )
        ).all()
    data = {
        f"value_{indicators['Leerlingen techniek']}": "185",
        f"mversion_{indicators['Leerlingen techniek']}": "1",
        f"value_{indicators['Uitval']}": "19",
        f"mversion_{indicators['Uitval']}": "1",
        "rag": "amber",
        "achieved": "Achteraf getypt verslag",
        "update_version": "1",
        "cause": "Docententekort",
        "consequence_time": "Geen",
        "consequence_result": "Geen",
        "consequence_money": "Geen",
        "measure": "Gastdocenten",
        "measure_owner": "School",
        "measure_due": "31-01-2027",
        **{f"msversion_{m}": "1" for m in open_milestones},
    }
    response = client.post(path, data=data)
    assert response.status_code == 409
    body = _text(response)
    assert "Er is niets opgeslagen" in body and REFUSAL in body
    assert "Achteraf getypt verslag" in body and 'value="185"' in body
    assert _q3(app) == before


def test_excel_upload_for_a_closed_quarter_is_refused_in_the_preview_and_on_apply(
    app, login_as, closed_q3
):
    before = _q3(app)
    client = login_as("lead")
    base = f"/subprojects/{closed_q3['a']}/quarter/2026-Q3"
    workbook = load_workbook(io.BytesIO(client.get(f"{base}/template.xlsx").data))
    for row in workbook[excel.SHEET].iter_rows(min_row=2):
        row[excel.COL_VALUE - 1].value = 7
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert REFUSAL in _text(client.get(f"{base}/upload"))
    response = client.post(
        f"{base}/upload",
        data={"file": (io.BytesIO(buffer.getvalue()), "metingen.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 409
    body = _text(response)
    assert REFUSAL in body and "Er is niets verwerkt." in body
    assert 'name="payload"' not in body
    assert _q3(app) == before


def test_excel_apply_refuses_a_quarter_closed_after_the_preview(app, login_as, world):
    client = login_as("lead")
    base = f"/subprojects/{world['a']}/quarter/2026-Q3"
    workbook = load_workbook(io.BytesIO(client.get(f"{base}/template.xlsx").data))
    for row in workbook[excel.SHEET].iter_rows(min_row=2):
        row[excel.COL_VALUE - 1].value = 7
    buffer = io.BytesIO()
    workbook.save(buffer)
    preview = client.post(
        f"{base}/upload",
        data={"file": (io.BytesIO(buffer.getvalue()), "metingen.xlsx")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    payload = re.search(r'name="payload" type="hidden" value="([^"]+)"', preview).group(1)
    archive_quarter(app, world["programme_id"], "2026-Q3")
    before = _q3(app)
    response = client.post(f"{base}/upload/apply", data={"payload": payload})
    assert response.status_code == 303
    assert REFUSAL in _text(client.get(response.headers["Location"]))
    assert _q3(app) == before
