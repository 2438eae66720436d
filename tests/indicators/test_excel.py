"""Excel round trip: template download, fill in, upload, preview, apply; and every bad file."""

import io
import re
import zipfile

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from tracker.extensions import db
from tracker.indicators import excel
from tracker.models import Indicator, Measurement


def _indicators(app):
    with app.app_context():
        return {i.name: i.id for i in db.session.scalars(select(Indicator))}


def _template(client, world, quarter="2026-Q4"):
    response = client.get(f"/subprojects/{world['a']}/quarter/{quarter}/template.xlsx")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    return load_workbook(io.BytesIO(response.data))


def _bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _upload(client, world, content: bytes, name="metingen.xlsx", quarter="2026-Q4"):
    return client.post(
        f"/subprojects/{world['a']}/quarter/{quarter}/upload",
        data={"file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def _payload(body: str) -> str:
    return re.search(r'name="payload" type="hidden" value="([^"]+)"', body).group(1)


def _q4_values(app):
    with app.app_context():
        return dict(
            db.session.execute(
                select(Measurement.indicator_id, Measurement.value).where(
                    Measurement.period == "2026-Q4"
                )
            ).all()
        )


def _filled(client, world, app, values: dict):
    workbook = _template(client, world)
    sheet = workbook[excel.SHEET]
    ids = _indicators(app)
    for row in sheet.iter_rows(min_row=2):
        name = row[1].value
        if name in values:
            row[excel.COL_VALUE - 1].value = values[name]
    assert {r[0].value for r in sheet.iter_rows(min_row=2)} == {
        ids["Leerlingen techniek"],
        ids["Uitval"],
    }
    return workbook


def test_round_trip_download_fill_upload_preview_apply(app, login_as, world):
    client = login_as("lead")
    workbook = _template(client, world)
    sheet = workbook[excel.SHEET]
    header = [c.value for c in sheet[1]]
    assert header[excel.COL_VALUE - 1] == "Waarde 2026-Q4"
    rows = {r[1].value: [c.value for c in r] for r in sheet.iter_rows(min_row=2)}
    assert rows["Leerlingen techniek"][3:7] == [100, 200, 180, "2026-Q3"]
    assert rows["Uitval"][excel.COL_VALUE - 1] is None

    workbook = _filled(client, world, app, {"Leerlingen techniek": 195, "Uitval": "17,5"})
    response = _upload(client, world, _bytes(workbook))
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "2 waarden worden gewijzigd." in body
    assert "195" in body and "17,5" in body and "nieuwe waarde" in body
    assert _q4_values(app) == {}  # nothing applied before the confirmation

    response = client.post(
        f"/subprojects/{world['a']}/quarter/2026-Q4/upload/apply",
        data={"payload": _payload(body)},
    )
    assert response.status_code == 302
    ids = _indicators(app)
    assert _q4_values(app) == {ids["Leerlingen techniek"]: 195, ids["Uitval"]: 17.5}
    assert "2 waarden opgeslagen uit Excel." in client.get(response.headers["Location"]).get_data(
        as_text=True
    )

    # The next template holds the values entered, and an unchanged upload changes nothing.
    workbook = _template(client, world)
    again = _upload(client, world, _bytes(workbook)).get_data(as_text=True)
    assert "Het bestand wijzigt niets." in again and 'name="payload"' not in again


def test_tampered_or_foreign_payload_is_refused(app, login_as, world):
    client = login_as("lead")
    workbook = _filled(client, world, app, {"Uitval": 15})
    body = _upload(client, world, _bytes(workbook)).get_data(as_text=True)
    payload = _payload(body)
    forged = payload[:-3] + ("AAA" if payload[-3:] != "AAA" else "BBB")
    response = client.post(
        f"/subprojects/{world['a']}/quarter/2026-Q4/upload/apply", data={"payload": forged}
    )
    assert response.status_code == 303
    assert _q4_values(app) == {}
    # The same signed payload for another quarter is refused too.
    response = client.post(
        f"/subprojects/{world['a']}/quarter/2026-Q3/upload/apply", data={"payload": payload}
    )
    assert response.status_code == 303
    assert _q4_values(app) == {}


def test_value_changed_after_the_preview_refuses_the_whole_upload(app, login_as, world):
    client = login_as("lead")
    workbook = _filled(client, world, app, {"Uitval": 15, "Leerlingen techniek": 190})
    body = _upload(client, world, _bytes(workbook)).get_data(as_text=True)
    ids = _indicators(app)
    with app.app_context():
        db.session.add(Measurement(indicator_id=ids["Uitval"], period="2026-Q4", value=18))
        db.session.commit()
    response = client.post(
        f"/subprojects/{world['a']}/quarter/2026-Q4/upload/apply",
        data={"payload": _payload(body)},
        follow_redirects=True,
    )
    assert "Nothing was applied" in response.get_data(as_text=True) or "niets verwerkt" in (
        response.get_data(as_text=True)
    )
    assert _q4_values(app) == {ids["Uitval"]: 18}


def _rows_workbook(rows, quarter="2026-Q4"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = excel.SHEET
    sheet.append(["ID", "Indicator", "", "", "", "", "", f"Waarde {quarter}", "Toelichting"])
    for row in rows:
        sheet.append(row)
    return _bytes(workbook)


def _row(indicator_id, value, note=None):
    return [indicator_id, "x", None, None, None, None, None, value, note]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (lambda ids: [_row(99999, 5)], "Onbekende indicator (ID 99999)"),
        (lambda ids: [_row("abc", 5)], "Onbekende indicator (ID abc)"),
        (lambda ids: [_row(ids["Stageplaatsen"], 5)], "niet een van dit deelproject"),
        (lambda ids: [_row(ids["Uitval"], "veel")], "is geen getal"),
        (lambda ids: [_row(ids["Uitval"], True)], "is geen getal"),
        (lambda ids: [_row(ids["Uitval"], 120)], "Een percentage ligt tussen 0 en 100."),
        (
            lambda ids: [_row(ids["Uitval"], 15), _row(ids["Uitval"], 16)],
            "Dubbele regel: deze indicator staat ook in regel 3.",
        ),
        (lambda ids: [_row(ids["Uitval"], 15, "x" * 2001)], "langer dan 2000 tekens"),
    ],
)
def test_bad_rows_are_shown_per_row_and_nothing_is_applied(app, login_as, world, rows, message):
    ids = _indicators(app)
    content = _rows_workbook([_row(ids["Leerlingen techniek"], 190)] + rows(ids))
    response = _upload(login_as("lead"), world, content)
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert message in body
    assert "Er wordt niets verwerkt" in body
    assert 'name="payload"' not in body
    assert _q4_values(app) == {}


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (lambda: b"ID;Waarde\n1;2\n", "metingen.csv", "Dit is geen Excel-bestand (.xlsx)."),
        (lambda: b"not a zip at all", "metingen.xlsx", "Dit is geen Excel-bestand (.xlsx)."),
        (lambda: _zip({"a.txt": b"hallo"}), "metingen.xlsx", "Dit is geen Excel-bestand"),
        (
            lambda: _zip(
                {
                    "[Content_Types].xml": b"<x/>",
                    "xl/workbook.xml": b"<x/>",
                    "xl/huge.xml": b"\0" * (20 * 1024 * 1024),
                }
            ),
            "metingen.xlsx",
            "veel meer gegevens uit",
        ),
        (
            lambda: _zip({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<broken"}),
            "metingen.xlsx",
            "Het Excel-bestand kon niet worden gelezen.",
        ),
        (
            lambda: _rows_workbook([], quarter="2026-Q3"),
            "metingen.xlsx",
            "Dit bestand is niet de sjabloon van 2026-Q4",
        ),
        (lambda: b"PK" + b"\0" * (5 * 1024 * 1024), "groot.xlsx", "groter dan 5 MB"),
    ],
)
def test_bad_files_are_refused_with_a_clear_message(app, login_as, world, content, name, message):
    response = _upload(login_as("lead"), world, content(), name=name)
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert message in body and "Er is niets verwerkt." in body
    assert _q4_values(app) == {}


def test_missing_sheet_is_refused(app, login_as, world):
    workbook = Workbook()
    workbook.active.title = "Blad1"
    response = _upload(login_as("lead"), world, _bytes(workbook))
    assert response.status_code == 400
    assert "Het blad Metingen ontbreekt" in response.get_data(as_text=True)


def test_more_than_10000_rows_is_refused(app, login_as, world):
    ids = _indicators(app)
    content = _rows_workbook([_row(ids["Uitval"], 1)] * 10_001)
    response = _upload(login_as("lead"), world, content)
    assert response.status_code == 400
    assert "meer dan 10.000 regels" in response.get_data(as_text=True)


def test_no_file_chosen(login_as, world):
    response = login_as("lead").post(f"/subprojects/{world['a']}/quarter/2026-Q4/upload", data={})
    assert response.status_code == 400
    assert "Kies het ingevulde Excel-bestand." in response.get_data(as_text=True)


def test_openpyxl_parses_through_defusedxml():
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML is True


def test_template_text_cannot_become_a_formula(app, login_as, world):
    with app.app_context():
        indicator = db.session.scalar(select(Indicator).filter_by(name="Uitval"))
        indicator.name = '=HYPERLINK("http://evil.example","klik")'
        db.session.commit()
    sheet = _template(login_as("lead"), world)[excel.SHEET]
    names = [r[1] for r in sheet.iter_rows(min_row=2)]
    assert all(c.data_type == "s" for c in names)
    assert any(c.value.startswith("'=HYPERLINK") for c in names)


@pytest.mark.parametrize(("role", "status"), [("steering", 403), ("lead", 200), ("manager", 200)])
def test_excel_permissions(app, client, login_as, world, role, status):
    client = login_as(role)
    assert client.get(f"/subprojects/{world['a']}/quarter/2026-Q4/upload").status_code == status
    response = client.get(f"/subprojects/{world['a']}/quarter/2026-Q4/template.xlsx")
    assert response.status_code == status
    response = client.post(
        f"/subprojects/{world['a']}/quarter/2026-Q4/upload/apply", data={"payload": "x"}
    )
    assert response.status_code == (403 if status == 403 else 303)


def test_lead_cannot_upload_into_another_subproject(app, login_as, world):
    client = login_as("lead")
    response = client.get(f"/subprojects/{world['b']}/quarter/2026-Q4/template.xlsx")
    assert response.status_code == 403
    with app.app_context():
        assert db.session.scalar(select(func.count(Measurement.id))) == 3


@pytest.mark.parametrize("huge", [1.7e308, "9" * 308, -2e12])
def test_an_upload_with_a_number_beyond_any_indicator_is_refused_per_row(
    app, login_as, world, huge
):
    client = login_as("lead")
    workbook = _filled(client, world, app, {"Leerlingen techniek": huge, "Uitval": 17})
    response = _upload(client, world, _bytes(workbook))
    body = response.get_data(as_text=True)
    assert "tussen -1.000.000.000.000 en 1.000.000.000.000" in body
    assert 'name="payload"' not in body  # nothing to apply while a row is wrong
    assert _q4_values(app) == {}
