"""Contact persons as the AVG asks: a purpose is required, only the programme manager and the
admin see them (every role checked), an export of everything held, erasure that also takes the
person out of the audit trail, and the retention purge on the command line."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime

import pytest
from sqlalchemy import func, select

from tracker.extensions import db
from tracker.models import AuditEntry, Contact, Organisation

NAME, EMAIL, PHONE = "Annelies Verhoeven", "a.verhoeven@example.org", "0320 123 456"
OLD_EMAIL = "annelies.oud@example.org"


def _school_id(app) -> int:
    with app.app_context():
        return db.session.scalar(select(Organisation.id).where(Organisation.name == "Vmbo Almere"))


def _contact_form(**changes) -> dict:
    data = {
        "name": NAME,
        "function": "Stagecoördinator",
        "email": EMAIL,
        "phone": PHONE,
        "purpose": "Contact over stageplaatsen in deelproject A",
    }
    data.update(changes)
    return data


@pytest.fixture
def contact_id(app, login_as) -> int:
    """A contact recorded by the manager through the form, then given a new email address."""
    client = login_as("manager")
    school = _school_id(app)
    response = client.post(
        f"/organisations/{school}/contacts/new", data=_contact_form(email=OLD_EMAIL)
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        contact = db.session.scalar(select(Contact))
        contact_id, version = contact.id, contact.version
    edited = client.post(
        f"/organisations/contacts/{contact_id}/edit", data=_contact_form(version=str(version))
    )
    assert edited.status_code == 302
    client.post("/logout")
    return contact_id


def test_recording_a_contact_keeps_who_and_when(app, contact_id):
    with app.app_context():
        contact = db.session.get(Contact, contact_id)
        assert contact.recorded_by.role == "manager"
        assert contact.recorded_at is not None and contact.confirmed_at >= contact.recorded_at
        assert (contact.email, contact.phone) == (EMAIL, PHONE)


def test_a_purpose_is_required_and_bad_details_are_refused(app, login_as):
    client = login_as("manager")
    school = _school_id(app)
    for data in (
        _contact_form(purpose=""),
        _contact_form(purpose="   "),
        _contact_form(name=""),
        _contact_form(email="geen-adres"),
        _contact_form(phone="bel me"),
    ):
        response = client.post(f"/organisations/{school}/contacts/new", data=data)
        assert response.status_code == 400, data
    body = client.post(
        f"/organisations/{school}/contacts/new", data=_contact_form(purpose="")
    ).get_data(as_text=True)
    assert "Doel van de verwerking" in body
    with app.app_context():
        assert db.session.scalar(select(func.count(Contact.id))) == 0


@pytest.mark.parametrize("role", ["admin", "manager"])
def test_manager_and_admin_see_contact_details(app, login_as, contact_id, role):
    client = login_as(role)
    page = client.get(f"/organisations/{_school_id(app)}").get_data(as_text=True)
    assert NAME in page and EMAIL in page and PHONE in page
    assert "Contactpersonen" in page and "Verwijderen (AVG)" in page
    assert "Gegevens downloaden" in page
    assert NAME in client.get("/organisations/contacts").get_data(as_text=True)


@pytest.mark.parametrize("role", ["steering", "lead"])
def test_steering_and_leads_see_no_trace_of_contacts(app, login_as, contact_id, role):
    client = login_as(role)
    school = _school_id(app)
    for path in (
        f"/organisations/{school}",
        "/organisations",
        f"/organisations/municipalities/{_municipality(app)}",
    ):
        page = client.get(path).get_data(as_text=True)
        assert NAME not in page and EMAIL not in page and PHONE not in page, path
        assert "Contactpersonen" not in page, path
    for path in (
        "/organisations/contacts",
        f"/organisations/contacts/{contact_id}/edit",
        f"/organisations/contacts/{contact_id}/export/json",
        f"/organisations/contacts/{contact_id}/export/csv",
        f"/organisations/contacts/{contact_id}/erase",
        f"/organisations/{school}/contacts/new",
    ):
        response = client.get(path)
        assert response.status_code == 403, path
        assert NAME not in response.get_data(as_text=True)
    assert client.post(f"/organisations/contacts/{contact_id}/erase").status_code == 403
    assert client.post(f"/organisations/contacts/{contact_id}/confirm").status_code == 403


def _municipality(app) -> int:
    with app.app_context():
        return db.session.scalar(
            select(Organisation.municipality_id).where(Organisation.name == "Vmbo Almere")
        )


def test_the_export_holds_everything_including_the_history(app, login_as, contact_id):
    client = login_as("manager")
    response = client.get(f"/organisations/contacts/{contact_id}/export/json")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    held = json.loads(response.get_data(as_text=True))
    assert held["contact"]["name"] == NAME
    assert held["contact"]["email"] == EMAIL
    assert held["contact"]["organisation"] == "Vmbo Almere"
    assert held["contact"]["recorded_by"] == "Programmaregisseur"
    assert [entry["action"] for entry in held["history"]] == ["create", "update"]
    assert held["history"][1]["changes"]["email"] == [OLD_EMAIL, EMAIL]

    response = client.get(f"/organisations/contacts/{contact_id}/export/csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(
        csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";")
    )
    assert ["contact", "", "email", "", EMAIL] in rows
    assert any(r[0] == "history:update" and r[3] == OLD_EMAIL for r in rows)
    assert client.get(f"/organisations/contacts/{contact_id}/export/xml").status_code == 404


def test_an_export_is_formula_safe(app, login_as):
    client = login_as("manager")
    school = _school_id(app)
    client.post(
        f"/organisations/{school}/contacts/new", data=_contact_form(function="=HYPERLINK(1)")
    )
    with app.app_context():
        contact_id = db.session.scalar(select(Contact.id))
    body = client.get(f"/organisations/contacts/{contact_id}/export/csv").get_data(as_text=True)
    assert ";'=HYPERLINK(1)" in body


def test_erasing_removes_the_person_also_from_the_audit_trail(app, login_as, contact_id):
    client = login_as("manager")
    with app.app_context():
        version = db.session.get(Contact, contact_id).version
    page = client.get(f"/organisations/contacts/{contact_id}/erase")
    assert page.status_code == 200 and "Verwijderen (AVG)" in page.get_data(as_text=True)
    response = client.post(f"/organisations/contacts/{contact_id}/erase", data={"version": version})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Contact, contact_id) is None
        entries = db.session.scalars(
            select(AuditEntry).where(AuditEntry.entity == "Contact").order_by(AuditEntry.id)
        ).all()
        assert [e.action for e in entries] == ["create", "update", "delete"]
        stored = json.dumps([e.changes for e in entries], ensure_ascii=False)
        everything = json.dumps(
            [e.changes for e in db.session.scalars(select(AuditEntry))], ensure_ascii=False
        )
        # who erased it and when stays; what it was does not
        assert entries[-1].user_id is not None
        assert entries[-1].changes["organisation_id"][0] is not None
    for personal in (NAME, EMAIL, OLD_EMAIL, PHONE, "Stagecoördinator"):
        assert personal not in everything, personal
    assert "(erased)" in stored
    history = client.get("/history").get_data(as_text=True)
    assert NAME not in history and EMAIL not in history
    assert "(gewist op grond van de AVG)" in history
    assert "(erased)" not in history, "an erased person's entry is named by its kind, not a marker"


def test_a_stale_erase_is_refused_and_erases_nothing(app, login_as, contact_id):
    client = login_as("manager")
    response = client.post(f"/organisations/contacts/{contact_id}/erase", data={"version": "1"})
    assert response.status_code == 409
    with app.app_context():
        assert db.session.get(Contact, contact_id) is not None


def test_confirming_marks_the_details_current(app, login_as, contact_id):
    with app.app_context():
        contact = db.session.get(Contact, contact_id)
        contact.confirmed_at = datetime(2020, 1, 1)
        db.session.commit()
        version = contact.version
    client = login_as("manager")
    response = client.post(
        f"/organisations/contacts/{contact_id}/confirm", data={"version": version}
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Contact, contact_id).confirmed_at.year > 2020


# --- flask purge-contacts --------------------------------------------------------------------


def _age(app, contact_id: int, confirmed_at: datetime) -> None:
    with app.app_context():
        db.session.get(Contact, contact_id).confirmed_at = confirmed_at
        db.session.commit()


def _second_contact(app) -> int:
    with app.app_context():
        contact = Contact(
            organisation_id=_school_id(app),
            name="Bram Recent",
            email="bram@example.org",
            purpose="Gastlessen",
        )
        db.session.add(contact)
        db.session.commit()
        return contact.id


def test_purge_dry_run_lists_and_changes_nothing(app, runner, contact_id):
    _age(app, contact_id, datetime(2023, 1, 1))
    recent = _second_contact(app)
    result = runner.invoke(args=["purge-contacts", "--older-than", "24m", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert f"contact #{contact_id} of Vmbo Almere" in result.output
    assert f"#{recent} " not in result.output
    assert "nothing was changed" in result.output
    assert NAME not in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Contact.id))) == 2


@pytest.mark.parametrize("age", ["24m", "730d", "2y"])
def test_purge_erases_old_contacts_with_their_audit_data(app, runner, contact_id, age):
    _age(app, contact_id, datetime(2023, 1, 1))
    recent = _second_contact(app)
    result = runner.invoke(args=["purge-contacts", "--older-than", age])
    assert result.exit_code == 0, result.output
    assert "Erased 1 contact person not confirmed since" in result.output
    with app.app_context():
        assert db.session.get(Contact, contact_id) is None
        assert db.session.get(Contact, recent) is not None
        actions = db.session.scalars(
            select(AuditEntry.action).where(
                AuditEntry.entity == "Contact", AuditEntry.entity_id == contact_id
            )
        ).all()
        everything = json.dumps(
            [e.changes for e in db.session.scalars(select(AuditEntry))], ensure_ascii=False
        )
    assert "delete" in actions
    assert NAME not in everything and EMAIL not in everything and OLD_EMAIL not in everything
    assert "bram@example.org" in everything


@pytest.mark.parametrize("age", ["", "24", "two years", "0d", "24w"])
def test_purge_refuses_a_bad_age(app, runner, age):
    result = runner.invoke(args=["purge-contacts", "--older-than", age])
    assert result.exit_code != 0
    assert "730d or 24m" in result.output


def test_purge_needs_an_age(app, runner):
    assert runner.invoke(args=["purge-contacts"]).exit_code != 0
