"""Importing a registration list into an event: template, upload, preview, apply, the errors
that refuse it as a whole, a stale preview, who may, and the people of a registration (personal
data: manager and admin only; erased with the contact, in the person's export)."""

from __future__ import annotations

import io
import re
from datetime import date

from conftest import archive_quarter, count_queries, login, through_import_job
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select
from test_event_pages import _counted_indicator

from tracker.events.registration_list import HEADERS
from tracker.extensions import db
from tracker.models import (
    AuditEntry,
    Contact,
    Event,
    Measurement,
    Municipality,
    Organisation,
    RegisteredPerson,
    Registration,
)

ROWS = [
    ("Vmbo Almere", "almere", "", "", "", "", "", "ja", "nee"),
    ("  Bouwbedrijf   Flevo ", "Almere", "Bedrijf", "Bouw en installatie", "", "", "", "ja", "ja"),
    ("bouwbedrijf flevo", "ALMERE", "", "", "Anna de Vries", "HR", "anna@flevo.nl", "", ""),
]


def _xlsx(rows=ROWS, header=HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _csv(rows=ROWS) -> bytes:
    lines = [";".join(HEADERS)] + [";".join(row) for row in rows]
    return "\ufeff".encode() + "\r\n".join(lines).encode("utf-8")


def _event(app, world, held_on=date(2026, 11, 12)) -> int:
    with app.app_context():
        event = Event(
            programme_id=world["programme_id"],
            subproject_id=world["a"],
            kind="meeting",
            title="Techniekcafé",
            held_on=held_on,
        )
        db.session.add(event)
        db.session.commit()
        return event.id


def _upload(client, event_id, content: bytes, name="aanmeldingen.xlsx"):
    return client.post(
        f"/events/{event_id}/registrations/import",
        data={"file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def _payload(page: str) -> str:
    return re.search(r'name="payload"[^>]*value="([^"]+)"', page).group(1)


def _apply(client, event_id, page: str):
    """Confirm the preview on ``page``; the answer of the page that follows the job."""
    confirmed = client.post(
        f"/events/{event_id}/registrations/import/apply", data={"payload": _payload(page)}
    )
    return through_import_job(client, confirmed)


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_the_template_has_the_dutch_columns_and_an_explanation(app, world, login_as):
    event_id = _event(app, world)
    response = login_as("lead").get(f"/events/{event_id}/registrations/template.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.data))
    assert workbook.sheetnames[:2] == ["Aanmeldingen", "Toelichting"]
    assert tuple(c.value for c in workbook["Aanmeldingen"][1]) == HEADERS
    assert "Techniekcafé" in workbook["Toelichting"]["A1"].value


def test_manager_previews_and_applies_a_list_in_one_audited_transaction(app, world, login_as):
    indicator_id = _counted_indicator(app, world)
    event_id = _event(app, world)
    client = login_as("manager")
    preview = _upload(client, event_id, _xlsx())
    assert preview.status_code == 200, preview.text
    page = preview.text
    assert "nieuwe organisatie in het register" in page and "nieuwe contactpersoon" in page
    assert "Anna de Vries" in page
    assert _count(app, Registration) == 0  # nothing before the confirmation
    applied = _apply(client, event_id, page)
    assert applied.status_code == 302
    with app.app_context():
        flevo = db.session.scalars(
            select(Organisation).where(Organisation.name == "Bouwbedrijf Flevo")
        ).one()
        assert (flevo.kind, flevo.sector) == ("company", "construction")
        registrations = {r.organisation.name: r for r in db.session.scalars(select(Registration))}
        assert set(registrations) == {"Vmbo Almere", "Bouwbedrijf Flevo"}
        assert registrations["Bouwbedrijf Flevo"].attended is True
        assert registrations["Bouwbedrijf Flevo"].wants_follow_up is True
        contact = db.session.scalars(select(Contact)).one()
        assert contact.purpose == "Aanmelding voor Techniekcafé op 12-11-2026"
        assert contact.email == "anna@flevo.nl"
        assert [p.contact_id for p in registrations["Bouwbedrijf Flevo"].people] == [contact.id]
        value = db.session.scalar(
            select(Measurement.value).where(Measurement.indicator_id == indicator_id)
        )
        assert value == 1  # one company attended (the school is not a company)
        entities = set(db.session.scalars(select(AuditEntry.entity)))
        assert {"Organisation", "Registration", "Contact", "RegisteredPerson"} <= entities
    page = client.get(f"/events/{event_id}").text
    assert "Anna de Vries" in page


def test_the_same_list_again_changes_nothing(app, world, login_as):
    event_id = _event(app, world)
    client = login_as("manager")
    assert _apply(client, event_id, _upload(client, event_id, _xlsx()).text).status_code == 302
    with app.app_context():
        audited = db.session.scalar(select(func.count(AuditEntry.id)))
    again = _upload(client, event_id, _csv(), "lijst.csv")
    assert again.status_code == 200, again.text
    assert "De lijst verandert niets" in again.text
    assert 'name="payload"' not in again.text
    with app.app_context():
        assert db.session.scalar(select(func.count(AuditEntry.id))) == audited
    assert _count(app, Organisation) == 2 and _count(app, Contact) == 1


def test_a_lead_imports_organisations_and_attendance_but_not_people(app, world, login_as):
    event_id = _event(app, world)
    client = login_as("lead")
    refused = _upload(client, event_id, _xlsx())
    assert refused.status_code == 400
    assert "Alleen de programmaregisseur legt contactpersonen vast" in refused.text
    assert 'name="payload"' not in refused.text
    rows = [row[:4] + ("", "", "") + row[7:] for row in ROWS[:2]]
    preview = _upload(client, event_id, _xlsx(rows))
    assert preview.status_code == 200
    assert "Contactpersoon" not in preview.text.split("<tbody>")[0].split("<caption>")[1]
    assert _apply(client, event_id, preview.text).status_code == 302
    assert _count(app, Registration) == 2 and _count(app, Contact) == 0
    assert "Anna" not in client.get(f"/events/{event_id}").text


def test_every_bad_row_is_named_by_row_and_column_and_nothing_is_applied(app, world, login_as):
    event_id = _event(app, world)
    with app.app_context():
        urk = db.session.scalar(select(Municipality.id).where(Municipality.name == "Urk"))
        db.session.add(Organisation(name="Vmbo Almere", kind="school_vmbo", municipality_id=urk))
        db.session.commit()
    rows = [
        ("Vmbo Almere", "", "", "", "", "", "", "", ""),  # two organisations of this name
        ("Nieuw BV", "Lelystad", "Bedrijf", "", "", "", "", "", ""),  # unknown municipality
        ("", "Almere", "Bedrijf", "", "", "", "", "", ""),  # no name
        ("Staal BV", "Almere", "Bedrijf", "", "Jan", "", "jan@", "", ""),  # bad e-mail
        ("Staal BV", "Almere", "", "", "Jan", "", "", "", ""),  # same person twice
        ("Lucht BV", "Almere", "Bedrijf", "", "", "", "", "misschien", ""),  # not ja/nee
    ]
    response = _upload(login_as("manager"), event_id, _csv(rows), "lijst.csv")
    assert response.status_code == 400
    errors = response.text.split('id="list-errors"')[1].split("</ul>")[0]
    for expected in (
        "Rij 2, kolom Organisatie",
        "Rij 3, kolom Gemeente",
        "Rij 4, kolom Organisatie",
        "Rij 5, kolom E-mail",
        "Rij 6, kolom Organisatie",
        "Rij 7, kolom Aanwezig",
    ):
        assert expected in errors
    assert "&#39;Lelystad&#39; is geen gemeente" in errors or "Lelystad is geen gemeente" in errors
    assert 'name="payload"' not in response.text
    assert _count(app, Registration) == 0


def test_files_that_are_not_a_registration_list_are_refused(app, world, login_as):
    event_id = _event(app, world)
    client = login_as("lead")
    cases = [
        (b"%PDF-1.4", "lijst.pdf", "geen Excel-bestand (.xlsx) of CSV-bestand"),
        (b"", "lijst.csv", ""),
        (b"Naam;Adres\r\nA;B", "lijst.csv", "De kolommen zijn niet die van de aanmeldingslijst"),
        (_xlsx(header=("Naam",)), "lijst.xlsx", "De kolommen zijn niet die van"),
        (b"PK\x03\x04 kapot", "lijst.xlsx", "geen Excel-bestand"),
        (b"x" * (5 * 1024 * 1024 + 10), "lijst.csv", "groter dan 5 MB"),
        (";".join(HEADERS).encode(), "lijst.csv", "geen aanmeldingen"),
    ]
    for content, name, message in cases:
        response = _upload(client, event_id, content, name)
        assert response.status_code == 400, name
        assert message in response.text, (name, message)
    assert _count(app, Registration) == 0


def test_a_closed_quarter_refuses_the_list(app, world, login_as):
    event_id = _event(app, world, held_on=date(2026, 8, 1))
    archive_quarter(app, world["programme_id"], "2026-Q3")
    response = _upload(login_as("manager"), event_id, _xlsx(ROWS[:1]))
    assert response.status_code == 400
    assert "gesloten kwartaal" in response.text


def test_a_stale_preview_is_refused_with_the_new_preview(app, world, login_as):
    event_id = _event(app, world)
    client = login_as("manager")
    page = _upload(client, event_id, _xlsx()).text
    with app.app_context():  # someone registers the school meanwhile
        school = db.session.scalar(
            select(Organisation.id).where(Organisation.name == "Vmbo Almere")
        )
        db.session.add(Registration(event_id=event_id, organisation_id=school))
        db.session.commit()
    response = _apply(client, event_id, page)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/events/{event_id}/registrations/import"
    refused = client.get(response.headers["Location"]).text
    assert "gewijzigd sinds je voorbeeld" in refused and "Er is niets verwerkt" in refused
    assert _count(app, Registration) == 1 and _count(app, Contact) == 0
    again = _upload(client, event_id, _xlsx())  # the new preview says what changed
    assert "al aangemeld" in again.text
    assert _apply(client, event_id, again.text).status_code == 302
    assert _count(app, Registration) == 2


def test_an_altered_payload_is_refused(app, world, login_as):
    event_id = _event(app, world)
    client = login_as("manager")
    response = client.post(
        f"/events/{event_id}/registrations/import/apply", data={"payload": "vervalst"}
    )
    assert response.status_code == 303
    assert _count(app, Registration) == 0


def test_a_lead_of_another_subproject_and_steering_are_refused(app, world, login_as):
    event_id = _event(app, world)
    with app.app_context():
        db.session.get(Event, event_id).subproject_id = world["b"]
        db.session.commit()
    for role in ("lead", "steering"):
        client = app.test_client()
        login(client, world["users"][role])
        assert client.get(f"/events/{event_id}/registrations/import").status_code == 403
        assert _upload(client, event_id, _xlsx(ROWS[:1])).status_code == 403
        assert client.get(f"/events/{event_id}/registrations/template.xlsx").status_code == 403
    assert _count(app, Registration) == 0


def test_the_people_of_a_registration_and_the_avg(app, world, login_as):
    event_id = _event(app, world)
    client = login_as("manager")
    _apply(client, event_id, _upload(client, event_id, _xlsx()).text)
    with app.app_context():
        registration = db.session.scalars(
            select(Registration).join(Organisation).where(Organisation.name == "Bouwbedrijf Flevo")
        ).one()
        registration_id, version = registration.id, registration.version
        anna = db.session.scalar(select(Contact.id))
    url = f"/registrations/{registration_id}/people"
    form = client.get(url).text
    assert "Aanmelding voor Techniekcafé op 12-11-2026" in form
    refused = client.post(
        url, data={"version": version, "contact_ids": [anna], "name": "Kees", "purpose": ""}
    )
    assert refused.status_code == 400
    saved = client.post(
        url,
        data={
            "version": version,
            "contact_ids": [anna],
            "name": "Kees Bakker",
            "email": "kees@flevo.nl",
            "purpose": "Aanmelding voor Techniekcafé",
        },
    )
    assert saved.status_code == 302
    assert _count(app, RegisteredPerson) == 2
    stale = client.post(url, data={"version": version, "contact_ids": []})
    assert stale.status_code == 409
    for role in ("lead", "steering"):
        other = app.test_client()
        login(other, world["users"][role])
        assert other.get(url).status_code == 403
        assert "Kees Bakker" not in other.get(f"/events/{event_id}").text
    manager = client
    export = manager.get(f"/organisations/contacts/{anna}/export/json").text
    assert "Techniekcafé" in export and "2026-11-12" in export
    with app.app_context():
        contact_version = db.session.get(Contact, anna).version
    erased = manager.post(
        f"/organisations/contacts/{anna}/erase", data={"version": contact_version}
    )
    assert erased.status_code == 302
    with app.app_context():
        people = db.session.scalars(select(RegisteredPerson)).all()
        assert [p.contact.name for p in people] == ["Kees Bakker"]


def test_the_preview_runs_a_bounded_number_of_queries(app, world, login_as):
    event_id = _event(app, world)
    client = login_as("manager")
    _apply(client, event_id, _upload(client, event_id, _xlsx()).text)
    small = count_queries(app, client, f"/events/{event_id}")
    with app.app_context():
        for number in range(20):
            organisation = Organisation(name=f"Bedrijf {number}", kind="company")
            db.session.add(organisation)
            db.session.flush()
            db.session.add(Registration(event_id=event_id, organisation_id=organisation.id))
        db.session.commit()
    assert count_queries(app, client, f"/events/{event_id}") == small


def test_arbitrary_files_never_give_a_500_nor_change_anything(app, world, login_as):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    event_id = _event(app, world)
    client = login_as("manager")
    header = ";".join(HEADERS)
    texts = st.text(max_size=400).map(lambda t: f"\ufeff{header}\r\n{t}".encode())

    @settings(
        max_examples=25,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        content=st.one_of(st.binary(max_size=400), texts),
        name=st.sampled_from(["lijst.csv", "lijst.xlsx", "lijst.txt"]),
    )
    def run(content, name):
        response = _upload(client, event_id, content, name)
        assert response.status_code in (200, 400), response.status_code
        assert _count(app, Registration) == 0

    run()
