"""Merging a duplicate organisation: everything that points at it moves, what both have is
joined, the counted indicators are recounted, a stale confirmation or a closed quarter is
refused, and only the manager and the admin may."""

from __future__ import annotations

import re
from datetime import date

import pytest
from conftest import archive_quarter, count_queries
from sqlalchemy import func, select

from tracker.events import services as event_services
from tracker.extensions import db
from tracker.models import (
    Action,
    AuditEntry,
    CircleMembership,
    Contact,
    Event,
    Indicator,
    Measurement,
    Municipality,
    Organisation,
    PupilsReached,
    RegisteredPerson,
    Registration,
    SubprojectOrganisation,
    Workshop,
)
from tracker.stakeholders.merging import MOVED


@pytest.fixture
def pair(app, world):
    """Two records of one company in Almere, both at the October meeting of subproject A (so
    "bedrijven bereikt" counts 2), and the duplicate in every other place it can be."""
    with app.app_context():
        almere = db.session.scalar(select(Municipality).where(Municipality.name == "Almere"))
        duplicate = Organisation(
            name="Bouwbedrijf Jansen B.V.", kind="company", municipality=almere
        )
        keep = Organisation(name="Bouwbedrijf Jansen", kind="company", municipality=almere)
        circle = Organisation(name="TechNet Almere", kind="technet_circle", municipality=almere)
        db.session.add_all([duplicate, keep, circle])
        db.session.flush()
        october = Event(
            programme_id=world["programme_id"],
            subproject_id=world["a"],
            kind="meeting",
            title="Clusterbijeenkomst",
            held_on=date(2026, 10, 15),
        )
        november = Event(
            programme_id=world["programme_id"],
            subproject_id=world["a"],
            kind="guest_lesson",
            title="Gastles lassen",
            held_on=date(2026, 11, 5),
            organiser_id=duplicate.id,
        )
        db.session.add_all([october, november])
        db.session.flush()
        piet = Contact(organisation_id=duplicate.id, name="Piet Jansen", purpose="Stages")
        db.session.add_all(
            [
                Registration(
                    event=october,
                    organisation_id=duplicate.id,
                    attended=True,
                    people=[RegisteredPerson(contact=piet)],
                ),
                Registration(
                    event=october, organisation_id=keep.id, attended=True, wants_follow_up=True
                ),
                Registration(event=november, organisation_id=duplicate.id, attended=True),
                Workshop(event=october, topic="Samen opleiden", organisations=[duplicate]),
                Workshop(event=october, topic="Innovatie", organisations=[duplicate, keep]),
                PupilsReached(event=november, school_id=duplicate.id, level="vmbo", number=20),
                PupilsReached(event=november, school_id=keep.id, level="vmbo", number=5),
                SubprojectOrganisation(
                    subproject_id=world["a"], organisation_id=duplicate.id, role="partner"
                ),
                SubprojectOrganisation(
                    subproject_id=world["a"], organisation_id=keep.id, role="trekker"
                ),
                SubprojectOrganisation(
                    subproject_id=world["b"], organisation_id=duplicate.id, role="stagebieder"
                ),
                CircleMembership(circle_id=circle.id, member_id=duplicate.id),
                CircleMembership(circle_id=circle.id, member_id=keep.id),
                piet,
                Action(
                    subproject_id=world["a"],
                    title="Stageplaatsen werven",
                    owner_id=duplicate.id,
                    start_date=date(2026, 1, 1),
                    due_date=date(2026, 12, 31),
                ),
            ]
        )
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
        event_services.refresh_indicator(indicator)
        db.session.commit()
        return {
            "duplicate": duplicate.id,
            "keep": keep.id,
            "circle": circle.id,
            "indicator": indicator.id,
            "october": october.id,
            "november": november.id,
        }


def _counted(app, indicator_id: int) -> float | None:
    with app.app_context():
        return db.session.scalar(
            select(Measurement.value).where(
                Measurement.indicator_id == indicator_id, Measurement.period == "2026-Q4"
            )
        )


def _fingerprint(page: str) -> str:
    return re.search(r'name="version" type="hidden" value="([0-9a-f]+)"', page).group(1)


def _confirm_url(pair) -> str:
    return f"/organisations/{pair['duplicate']}/merge/{pair['keep']}"


def test_every_foreign_key_to_an_organisation_is_moved_by_the_merge(app):
    pointing = {
        f"{table.name}.{column.name}"
        for table in db.metadata.tables.values()
        for column in table.columns
        for key in column.foreign_keys
        if key.target_fullname == "organisation.id"
    }
    assert pointing == MOVED


def test_the_choice_offers_the_likely_duplicate_first(app, login_as, pair):
    page = login_as("manager").get(f"/organisations/{pair['duplicate']}/merge").text
    options = re.findall(r"<option[^>]*>([^<]*)</option>", page)
    assert options[1].startswith("Bouwbedrijf Jansen (Almere)")
    response = login_as("manager").post(
        f"/organisations/{pair['duplicate']}/merge", data={"keep_id": str(pair["keep"])}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(_confirm_url(pair))


def test_merge_moves_everything_joins_collisions_and_recounts(app, login_as, pair):
    assert _counted(app, pair["indicator"]) == 2
    client = login_as("manager")
    page = client.get(_confirm_url(pair)).text
    for moving in ("Gastles lassen", "Samen opleiden", "Piet Jansen", "Stageplaatsen werven"):
        assert moving in page
    response = client.post(_confirm_url(pair), data={"version": _fingerprint(page)})
    assert response.status_code == 302, response.text
    assert response.headers["Location"].endswith(f"/organisations/{pair['keep']}")
    keep = pair["keep"]
    with app.app_context():
        assert db.session.get(Organisation, pair["duplicate"]) is None
        registrations = db.session.execute(
            select(Registration.event_id, Registration.attended, Registration.wants_follow_up)
            .where(Registration.organisation_id == keep)
            .order_by(Registration.event_id)
        ).all()
        assert registrations == [(pair["october"], True, True), (pair["november"], True, False)]
        people = db.session.execute(
            select(Registration.event_id, Registration.organisation_id, Contact.name)
            .join(RegisteredPerson, RegisteredPerson.registration_id == Registration.id)
            .join(Contact, Contact.id == RegisteredPerson.contact_id)
        ).all()
        assert people == [(pair["october"], keep, "Piet Jansen")]
        for workshop in db.session.scalars(select(Workshop)):
            assert [o.id for o in workshop.organisations] == [keep]
        assert db.session.execute(select(PupilsReached.school_id, PupilsReached.number)).all() == [
            (keep, 25)
        ]
        assert db.session.get(Event, pair["november"]).organiser_id == keep
        links = db.session.execute(
            select(SubprojectOrganisation.organisation_id, SubprojectOrganisation.role).order_by(
                SubprojectOrganisation.role
            )
        ).all()
        assert (keep, "trekker") in links and (keep, "stagebieder") in links
        assert (keep, "partner") not in links
        assert (
            db.session.scalar(
                select(func.count(CircleMembership.id)).where(CircleMembership.member_id == keep)
            )
            == 1
        )
        assert db.session.scalar(select(Contact.organisation_id)) == keep
        assert (
            db.session.scalar(select(Action.owner_id).where(Action.title == "Stageplaatsen werven"))
            == keep
        )
        merged = db.session.scalar(
            select(AuditEntry.changes).where(
                AuditEntry.entity == "Organisation",
                AuditEntry.entity_id == keep,
                AuditEntry.action == "update",
            )
        )
        assert merged == {"merged_from": ["Bouwbedrijf Jansen B.V.", "Bouwbedrijf Jansen"]}
        deleted = db.session.scalar(
            select(AuditEntry.action)
            .where(AuditEntry.entity == "Organisation", AuditEntry.entity_id == pair["duplicate"])
            .order_by(AuditEntry.id.desc())
        )
        assert deleted == "delete"
    assert _counted(app, pair["indicator"]) == 1
    history = client.get("/history").text
    assert "Samengevoegd" in history and "Bouwbedrijf Jansen B.V." in history


def test_a_stale_confirmation_is_refused_and_nothing_moves(app, login_as, pair):
    client = login_as("admin")
    fingerprint = _fingerprint(client.get(_confirm_url(pair)).text)
    with app.app_context():
        db.session.get(Organisation, pair["keep"]).website = "https://example.org"
        db.session.commit()
    response = client.post(_confirm_url(pair), data={"version": fingerprint})
    assert response.status_code == 409
    with app.app_context():
        assert db.session.get(Organisation, pair["duplicate"]) is not None
    # The page now carries the current state: merging again, knowingly, works.
    response = client.post(_confirm_url(pair), data={"version": _fingerprint(response.text)})
    assert response.status_code == 302


def test_a_duplicate_in_a_closed_quarter_is_not_merged(app, world, login_as, pair):
    archive_quarter(app, world["programme_id"], "2026-Q4")
    client = login_as("manager")
    page = client.get(_confirm_url(pair))
    assert "4e kwartaal 2026" in page.text
    assert 'name="version"' not in page.text  # no merge button
    response = client.post(_confirm_url(pair), data={"version": "x"})
    assert response.status_code == 409
    assert "4e kwartaal 2026" in response.text
    with app.app_context():
        assert db.session.get(Organisation, pair["duplicate"]) is not None
    assert _counted(app, pair["indicator"]) == 2


def test_an_organisation_is_not_merged_with_itself(login_as, pair):
    response = login_as("manager").get(f"/organisations/{pair['keep']}/merge/{pair['keep']}")
    assert response.status_code == 400


@pytest.mark.parametrize("role", ["lead", "steering"])
def test_only_the_manager_and_the_admin_merge(login_as, pair, role):
    client = login_as(role)
    assert client.get(f"/organisations/{pair['duplicate']}/merge").status_code == 403
    assert client.post(_confirm_url(pair), data={"version": "x"}).status_code == 403
    page = client.get(f"/organisations/{pair['duplicate']}").text
    assert f"/organisations/{pair['duplicate']}/merge" not in page


def test_the_confirmation_runs_a_bounded_number_of_queries(app, login_as, pair):
    client = login_as("manager")
    before = count_queries(app, client, _confirm_url(pair))
    with app.app_context():
        for day in (1, 2, 3):
            event = Event(
                programme_id=db.session.get(Event, pair["october"]).programme_id,
                kind="meeting",
                title=f"Extra {day}",
                held_on=date(2026, 12, day),
            )
            event.registrations.append(Registration(organisation_id=pair["duplicate"]))
            event.workshops.append(Workshop(topic="Extra", organisations=[]))
            db.session.add(event)
        db.session.commit()
    assert count_queries(app, client, _confirm_url(pair)) == before
