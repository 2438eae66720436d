"""Importing a plan of action from the workbook: template, preview, apply, re-import, errors."""

from __future__ import annotations

import io
import re
from datetime import date

from conftest import through_import_job
from openpyxl import load_workbook
from sqlalchemy import func, select

from tracker.extensions import db
from tracker.models import Action, AuditEntry, Indicator, Milestone, Organisation, Subproject
from tracker.setup import workbook as plan_workbook


def _template(client, programme_id):
    response = client.get(f"/setup/programmes/{programme_id}/import/template.xlsx")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    return load_workbook(io.BytesIO(response.data))


def _bytes(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _upload(client, programme_id, content: bytes, name="plan.xlsx"):
    return client.post(
        f"/setup/programmes/{programme_id}/import",
        data={"file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def _payload(body: str) -> str:
    return re.search(r'name="payload" type="hidden" value="([^"]+)"', body).group(1)


def _confirm(client, programme_id, body: str):
    """Confirm the preview in ``body``; the answer of the page that follows the job."""
    confirmed = client.post(
        f"/setup/programmes/{programme_id}/import/apply", data={"payload": _payload(body)}
    )
    return through_import_job(client, confirmed)


def _plan(book):
    book["Deelprojecten"].append(["C", "Open huis", "Bezoekers", "Urk", "lead@example.org"])
    book["Organisaties"].append(["Techniek BV", "Bedrijf", "Almere"])
    book["Acties"].append(
        ["C", "Open dag", "", "Techniek BV", date(2026, 1, 1), date(2026, 12, 31), "Loopt", 10]
    )
    book["Mijlpalen"].append(["C", "Open dag gehouden", "", "30-06-2026", "Open dag"])
    book["Indicatoren"].append(
        ["C", "Bezoekers", "bezoekers", "", "", "Hoger is beter", 0, date(2026, 1, 1), 300]
        + [date(2027, 12, 31), "Elk kwartaal", None, "Totaal", None, None]
    )
    book["Indicatoren"].append(
        ["", "Bezoekers en stages", "aantal", "", "", "Hoger is beter", 0, date(2026, 1, 1), 400]
        + [date(2027, 12, 31), "Elk kwartaal", None, "Totaal", "Totaal"]
        + ["C: Bezoekers; B: Stageplaatsen"]
    )
    return book


def _counts(app):
    with app.app_context():
        return {
            model.__name__: db.session.scalar(select(func.count(model.id)))
            for model in (Subproject, Organisation, Action, Milestone, Indicator)
        }


def test_the_template_has_its_sheets_lists_and_examples(login_as, world):
    book = _template(login_as("manager"), world["programme_id"])
    assert book.sheetnames[:6] == [
        "Deelprojecten",
        "Acties",
        "Mijlpalen",
        "Indicatoren",
        "Organisaties",
        "Toelichting",
    ]
    assert [c.value for c in book["Deelprojecten"][1]] == [
        c.header for c in plan_workbook.SHEETS["Deelprojecten"]
    ]
    assert book["Acties"]["A2"].value == "VOORBEELD"
    formulas = [v.formula1 for v in book["Deelprojecten"].data_validations.dataValidation]
    assert any("Lijsten" in f for f in formulas)
    lists = [[c.value for c in col] for col in book["Lijsten"].iter_cols()]
    assert lists[0][:3] == ["gemeenten", "Almere", "Urk"]


def test_import_previews_applies_in_one_go_and_a_second_import_changes_nothing(
    app, login_as, world
):
    client = login_as("manager")
    before = _counts(app)
    content = _bytes(_plan(_template(client, world["programme_id"])))
    response = _upload(client, world["programme_id"], content)
    body = response.get_data(as_text=True)
    assert response.status_code == 200, body
    assert _counts(app) == before  # nothing before the confirmation
    applied = _confirm(client, world["programme_id"], body)
    assert applied.status_code == 302
    assert applied.headers["Location"] == f"/setup/programmes/{world['programme_id']}"
    assert (
        "6 regels van het plan van aanpak verwerkt" in client.get(applied.headers["Location"]).text
    )
    after = _counts(app)
    assert {k: after[k] - before[k] for k in after} == {
        "Subproject": 1,
        "Organisation": 1,
        "Action": 1,
        "Milestone": 1,
        "Indicator": 2,
    }
    with app.app_context():
        new = db.session.scalar(select(Subproject).where(Subproject.code == "C"))
        assert [u.email for u in new.leads] == ["lead@example.org"]
        total = db.session.scalar(select(Indicator).where(Indicator.name == "Bezoekers en stages"))
        assert total.aggregation == "sum" and total.subproject_id is None
        assert sorted(s.name for s in total.sources) == ["Bezoekers", "Stageplaatsen"]
        milestone = db.session.scalar(
            select(Milestone).where(Milestone.title == "Open dag gehouden")
        )
        assert milestone.action.title == "Open dag" and milestone.baseline_date == date(2026, 6, 30)
        audited = db.session.scalar(select(func.count(AuditEntry.id)))
    assert audited > 0

    again = _upload(client, world["programme_id"], content)
    assert again.status_code == 200
    assert 'name="payload"' not in again.get_data(as_text=True)
    assert _counts(app) == after
    with app.app_context():
        assert db.session.scalar(select(func.count(AuditEntry.id))) == audited


def test_a_changed_row_is_shown_with_its_fields_and_applied(app, login_as, world):
    client = login_as("manager")
    book = _template(client, world["programme_id"])
    book["Deelprojecten"].append(["A", "Leerlijn techniek", "", "Almere", None])
    response = _upload(client, world["programme_id"], _bytes(book))
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Naam" in body
    _confirm(client, world["programme_id"], body)
    with app.app_context():
        a = db.session.get(Subproject, world["a"])
        assert a.name == "Leerlijn techniek"
        assert [u.email for u in a.leads] == ["lead@example.org"]  # empty leads: kept


def test_a_workbook_with_any_error_is_refused_as_a_whole_and_names_each_cell(app, login_as, world):
    client = login_as("manager")
    book = _plan(_template(client, world["programme_id"]))
    book["Acties"].append(["X", "Zonder deelproject", "", "", "31-02-2026", date(2026, 1, 1)])
    book["Deelprojecten"].append(["D", "Onbekende trekker", "", "Urk", "niemand@example.org"])
    before = _counts(app)
    response = _upload(client, world["programme_id"], _bytes(book))
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'name="payload"' not in body
    assert "E4" in body  # the unknown lead's cell
    assert "A4" in body and "E4" in body
    assert "niemand@example.org" in body
    assert _counts(app) == before


def test_a_forged_or_foreign_confirmation_is_refused(app, login_as, world):
    client = login_as("manager")
    response = client.post(
        f"/setup/programmes/{world['programme_id']}/import/apply", data={"payload": "x.y.z"}
    )
    assert response.status_code == 303


def test_a_file_that_is_not_the_template_is_refused(login_as, world):
    client = login_as("manager")
    book = _template(client, world["programme_id"])
    book["Acties"]["B1"] = "Iets anders"
    response = _upload(client, world["programme_id"], _bytes(book))
    assert response.status_code == 400
    response = _upload(client, world["programme_id"], b"not a zip", name="plan.xlsx")
    assert response.status_code == 400


def test_leads_and_steering_cannot_import(login_as, world):
    client = login_as("lead")
    assert client.get(f"/setup/programmes/{world['programme_id']}/import").status_code == 403


def _errors_of(body: str) -> str:
    return re.search(r'<ul id="import-errors">(.*?)</ul>', body, re.S).group(1)


def test_every_kind_of_bad_cell_is_named_and_nothing_is_a_500(app, login_as, world):
    client = login_as("manager")
    book = _template(client, world["programme_id"])
    book["Deelprojecten"].append(["E", "x" * 201, "", "Nergensdorp", None])
    book["Deelprojecten"].append(["F", "Dubbel", "", "Urk", None])
    book["Deelprojecten"].append(["f", "Dubbel", "", "Urk", None])
    book["Acties"].append(["A", "Te laat", "", "Onbekend BV", "31-12-2026", "01-01-2026", "Loopt"])
    book["Acties"].append(["A", "Half", "", "", date(2026, 1, 1), date(2026, 2, 1), None, 12.5])
    book["Mijlpalen"].append(["A", "Zonder actie", "", True, "Bestaat niet"])
    book["Indicatoren"].append(
        ["A", "Gelijk", "%", "", "", None, 50, "2026-01-01", 50, "2025-01-01"]
    )
    book["Indicatoren"].append(
        ["", "Berekend", "st", "", "", None, 0, date(2026, 1, 1), 9, date(2027, 1, 1)]
        + [None, None, "Totaal", "A: Bestaat niet; zonder dubbele punt"]
    )
    book["Indicatoren"].append(
        ["", "Geen bron", "st", "", "", None, 0, date(2026, 1, 1), "1e99", date(2027, 1, 1)]
        + [None, None, "Totaal", None]
    )
    book["Organisaties"].append(["Nieuw BV", "Ruimteschip", None])
    before = _counts(app)
    response = _upload(client, world["programme_id"], _bytes(book))
    assert response.status_code == 400
    errors = _errors_of(response.get_data(as_text=True))
    for expected in (
        "Blad Deelprojecten, regel 3, cel B3",  # too long
        "Blad Deelprojecten, regel 3, cel D3",  # not a municipality of the list
        "Blad Deelprojecten, regel 5, cel A5",  # the same code twice, whatever the case
        "Blad Acties, regel 3, cel D3",  # unknown organisation
        "Blad Acties, regel 3, cel F3",  # due before start
        "Blad Acties, regel 4, cel H4",  # not a whole percentage
        "Blad Mijlpalen, regel 3, cel D3",  # a yes/no is no date
        "Blad Indicatoren, regel 3, cel I3",  # target equals baseline
        "Blad Indicatoren, regel 3, cel J3",  # target date before the baseline date
        "Blad Indicatoren, regel 4, cel N4",  # sources that do not exist or are malformed
        "Blad Indicatoren, regel 5, cel I5",  # a number beyond bounds
        "Blad Organisaties, regel 3, cel B3",  # not a kind of the list
    ):
        assert expected in errors, expected
    assert _counts(app) == before


def test_an_archived_subproject_is_not_changed_by_an_import(app, login_as, world):
    client = login_as("manager")
    assert (
        client.post(f"/setup/subprojects/{world['b']}/archive", data={"version": "1"}).status_code
        == 302
    )
    book = _template(client, world["programme_id"])
    book["Deelprojecten"].append(["B", "Nieuwe naam", "", "Urk", None])
    response = _upload(client, world["programme_id"], _bytes(book))
    assert response.status_code == 400
    assert "Blad Deelprojecten, regel 3, cel A3" in _errors_of(response.get_data(as_text=True))


def test_the_import_pages_speak_english_too(login_as, world):
    client = login_as("manager")
    client.post("/language/en")
    body = client.get(f"/setup/programmes/{world['programme_id']}/import").get_data(as_text=True)
    assert "Import a plan of action from Excel" in body


def test_a_yearly_indicator_takes_the_month_its_source_publishes(app, login_as, world):
    """A yearly figure (DUO publishes in spring) needs its month; without one the cell is named."""
    client = login_as("manager")
    book = _template(client, world["programme_id"])
    row = ["A", "Instroom techniek", "leerlingen", "", "DUO", "Hoger is beter", 0]
    book["Indicatoren"].append(
        row + [date(2026, 1, 1), 90, date(2027, 12, 31), "Eén keer per jaar", None, "Totaal"]
    )
    response = _upload(client, world["programme_id"], _bytes(book))
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "(Publicatiemaand): Kies de maand waarin de bron publiceert." in body
    book["Indicatoren"].cell(row=book["Indicatoren"].max_row, column=12, value="april")
    response = _upload(client, world["programme_id"], _bytes(book))
    assert response.status_code == 200, response.get_data(as_text=True)
    confirm = _confirm(client, world["programme_id"], response.get_data(as_text=True))
    assert confirm.status_code == 302
    with app.app_context():
        indicator = db.session.scalar(
            select(Indicator).where(Indicator.name == "Instroom techniek")
        )
        assert (indicator.frequency, indicator.publication_month) == ("yearly", 4)


def test_a_name_two_organisations_share_is_refused_not_guessed(app, login_as, world):
    """The register allows 'Techniek BV' in Almere and in Urk; a workbook naming it alone is
    refused at that cell, and nothing is applied."""
    from tracker.models import Municipality

    with app.app_context():
        for name in ("Almere", "Urk"):
            municipality = db.session.scalar(select(Municipality).where(Municipality.name == name))
            db.session.add(
                Organisation(name="Techniek BV", kind="company", municipality=municipality)
            )
        db.session.commit()
    client = login_as("manager")
    book = _template(client, world["programme_id"])
    book["Acties"].append(
        ["A", "Open dag", "", "Techniek BV", date(2026, 1, 1), date(2026, 12, 31), "Loopt", 10]
    )
    before = _counts(app)
    response = _upload(client, world["programme_id"], _bytes(book))
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "(Uitvoerder): Meer dan één organisatie in de tracker heet" in body
    assert _counts(app) == before
