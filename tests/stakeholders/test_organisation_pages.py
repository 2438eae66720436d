"""The register's pages: the list and its filters, creating and editing with one organisation per
name and municipality, archiving, taking part in subprojects, TechNet circles, and the view per
municipality of who takes part and who does not yet."""

from __future__ import annotations

from conftest import count_queries
from sqlalchemy import func, select

from tracker.extensions import db
from tracker.models import (
    AuditEntry,
    CircleMembership,
    Municipality,
    Organisation,
    SubprojectOrganisation,
)


def _form(**changes) -> dict:
    data = {
        "name": "ROC Flevoland",
        "kind": "school_mbo",
        "municipality_id": "",
        "sector": "",
        "website": "www.example.org",
    }
    data.update(changes)
    return data


def _municipality_id(app, name: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Municipality.id).where(Municipality.name == name))


def _organisation(app, name: str) -> Organisation:
    with app.app_context():
        organisation = db.session.scalar(select(Organisation).where(Organisation.name == name))
        db.session.expunge(organisation)
        return organisation


def _add(app, **fields) -> int:
    with app.app_context():
        organisation = Organisation(**fields)
        db.session.add(organisation)
        db.session.commit()
        return organisation.id


def test_manager_creates_an_organisation_and_it_is_audited(app, login_as):
    client = login_as("manager")
    almere = _municipality_id(app, "Almere")
    response = client.post(
        "/organisations/new",
        data=_form(municipality_id=almere, sector="other", name="  ROC   Flevoland "),
    )
    assert response.status_code == 302
    created = _organisation(app, "ROC Flevoland")
    assert created.website == "https://www.example.org"
    assert (created.kind, created.municipality_id, created.sector) == (
        "school_mbo",
        almere,
        "other",
    )
    assert response.headers["Location"].endswith(f"/organisations/{created.id}")
    with app.app_context():
        action = db.session.scalar(
            select(AuditEntry.action).where(
                AuditEntry.entity == "Organisation", AuditEntry.entity_id == created.id
            )
        )
    assert action == "create"
    page = client.get(f"/organisations/{created.id}").get_data(as_text=True)
    assert "ROC Flevoland" in page and 'href="https://www.example.org"' in page


def test_the_same_name_in_the_same_municipality_is_refused_with_a_clear_message(app, login_as):
    client = login_as("manager")
    almere = _municipality_id(app, "Almere")
    response = client.post(
        "/organisations/new", data=_form(name="vmbo ALMERE", municipality_id=almere)
    )
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "Vmbo Almere staat al in het register in deze gemeente" in body
    with app.app_context():
        assert db.session.scalar(select(func.count(Organisation.id))) == 1
    # Elsewhere the same name is another organisation.
    urk = _municipality_id(app, "Urk")
    assert (
        client.post(
            "/organisations/new", data=_form(name="Vmbo Almere", municipality_id=urk)
        ).status_code
        == 302
    )


def test_a_province_wide_name_is_unique_too(app, login_as):
    client = login_as("manager")
    assert (
        client.post("/organisations/new", data=_form(name="Provincie Flevoland")).status_code == 302
    )
    response = client.post("/organisations/new", data=_form(name="provincie flevoland"))
    assert response.status_code == 400


def test_renaming_onto_another_organisation_is_refused(app, login_as):
    client = login_as("manager")
    almere = _municipality_id(app, "Almere")
    other = _add(app, name="Techniekcollege", kind="school_mbo", municipality_id=almere)
    response = client.post(
        f"/organisations/{other}/edit",
        data=_form(name="Vmbo Almere", municipality_id=almere, version="1"),
    )
    assert response.status_code == 400
    assert _organisation(app, "Techniekcollege").id == other


def test_bad_input_gets_a_message_and_a_4xx(app, login_as):
    client = login_as("manager")
    for data in (
        _form(name=""),
        _form(kind="castle"),
        _form(kind=""),
        _form(sector="mining"),
        _form(municipality_id="99999"),
        _form(municipality_id="abc"),
        _form(website="javascript:alert(1)"),
        _form(name="x" * 201),
    ):
        response = client.post("/organisations/new", data=data)
        assert response.status_code == 400, data
    with app.app_context():
        assert db.session.scalar(select(func.count(Organisation.id))) == 1


def test_the_list_filters_by_kind_municipality_and_sector(app, login_as):
    almere, urk = _municipality_id(app, "Almere"), _municipality_id(app, "Urk")
    _add(app, name="Scheepswerf Urk", kind="company", municipality_id=urk, sector="maritime")
    _add(
        app,
        name="Installateur Almere",
        kind="company",
        municipality_id=almere,
        sector="construction",
    )
    client = login_as("steering")
    everything = client.get("/organisations").get_data(as_text=True)
    assert "Scheepswerf Urk" in everything and "Vmbo Almere" in everything
    companies = client.get("/organisations?kind=company").get_data(as_text=True)
    assert "Vmbo Almere" not in companies and "Scheepswerf Urk" in companies
    in_urk = client.get(f"/organisations?municipality={urk}").get_data(as_text=True)
    assert "Scheepswerf Urk" in in_urk and "Installateur Almere" not in in_urk
    building = client.get("/organisations?sector=construction").get_data(as_text=True)
    assert "Installateur Almere" in building and "Scheepswerf Urk" not in building
    assert client.get("/organisations?kind=nonsense&municipality=x&sector=<b>").status_code == 200


def test_archiving_takes_it_out_of_the_register_and_restoring_brings_it_back(app, login_as):
    client = login_as("manager")
    school = _organisation(app, "Vmbo Almere")
    response = client.post(
        f"/organisations/{school.id}/archive", data={"version": str(school.version)}
    )
    assert response.status_code == 302
    assert "Vmbo Almere" not in client.get("/organisations").get_data(as_text=True)
    assert "Vmbo Almere" in client.get("/organisations?archived=1").get_data(as_text=True)
    assert client.get(f"/organisations/{school.id}").status_code == 200
    assert client.get(f"/organisations/{school.id}/edit").status_code == 409
    # its links with subprojects stay
    with app.app_context():
        assert db.session.scalar(select(func.count(SubprojectOrganisation.id))) == 1
    # a new one under its name is refused with a pointer to the archived one
    almere = _municipality_id(app, "Almere")
    refused = client.post(
        "/organisations/new", data=_form(name="Vmbo Almere", municipality_id=almere)
    )
    assert refused.status_code == 400
    assert "gearchiveerd" in refused.get_data(as_text=True)
    assert client.post(f"/organisations/{school.id}/restore").status_code == 302
    assert _organisation(app, "Vmbo Almere").archived_at is None


def test_a_stale_archive_is_refused(app, login_as):
    client = login_as("manager")
    school = _organisation(app, "Vmbo Almere")
    response = client.post(f"/organisations/{school.id}/archive", data={"version": "0"})
    assert response.status_code == 409
    assert _organisation(app, "Vmbo Almere").archived_at is None


def test_an_organisation_takes_part_in_a_subproject_once(app, login_as, world):
    client = login_as("manager")
    company = _add(app, name="Scheepswerf Urk", kind="company")
    data = {"subproject_id": str(world["b"]), "role": "stagebedrijf"}
    assert client.post(f"/organisations/{company}/subprojects/new", data=data).status_code == 302
    assert client.post(f"/organisations/{company}/subprojects/new", data=data).status_code == 400
    assert (
        client.post(
            f"/organisations/{company}/subprojects/new", data={"subproject_id": "999", "role": "x"}
        ).status_code
        == 400
    )
    page = client.get(f"/organisations/{company}").get_data(as_text=True)
    assert "B Maritiem" in page and "stagebedrijf" in page


def test_a_technet_circle_has_members(app, login_as):
    client = login_as("manager")
    circle = _add(app, name="TechNet kring Almere", kind="technet_circle")
    school = _organisation(app, "Vmbo Almere")
    assert (
        client.post(
            f"/organisations/{circle}/members/new", data={"member_id": school.id}
        ).status_code
        == 302
    )
    again = client.post(f"/organisations/{circle}/members/new", data={"member_id": school.id})
    assert again.status_code == 400
    itself = client.post(f"/organisations/{circle}/members/new", data={"member_id": circle})
    assert itself.status_code == 400
    assert "TechNet kring Almere" in client.get(f"/organisations/{school.id}").get_data(
        as_text=True
    )
    assert "Vmbo Almere" in client.get(f"/organisations/{circle}").get_data(as_text=True)
    # only a circle has members
    assert client.get(f"/organisations/{school.id}/members/new").status_code == 404
    # a circle with members keeps its kind
    refused = client.post(
        f"/organisations/{circle}/edit",
        data=_form(name="TechNet kring Almere", kind="intermediary", version="1"),
    )
    assert refused.status_code == 400
    with app.app_context():
        membership = db.session.scalar(select(CircleMembership))
        version = membership.version
    removed = client.post(
        f"/organisations/memberships/{membership.id}/delete", data={"version": version}
    )
    assert removed.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(CircleMembership.id))) == 0


def test_the_municipality_view_shows_who_takes_part_and_who_does_not_yet(app, login_as, world):
    almere = _municipality_id(app, "Almere")
    _add(app, name="Installateur Almere", kind="company", municipality_id=almere)
    _add(
        app,
        name="Gesloten bedrijf Almere",
        kind="company",
        municipality_id=almere,
        archived_at=__import__("datetime").datetime(2026, 1, 1),
    )
    _add(app, name="Scheepswerf Urk", kind="company", municipality_id=_municipality_id(app, "Urk"))
    client = login_as("lead")
    body = client.get(f"/organisations/municipalities/{almere}").get_data(as_text=True)
    taking_part, not_yet = body.split('id="not-yet"')
    assert "Vmbo Almere" in taking_part and "trekker" in taking_part
    assert "Installateur Almere" in not_yet and "Doet nog niet mee" in body
    assert "Scheepswerf Urk" not in body and "Gesloten bedrijf" not in body
    assert client.get("/organisations/municipalities/99999").status_code == 404


def test_an_archived_subproject_does_not_count_as_taking_part(app, login_as, world):
    from tracker.models import Subproject
    from tracker.timeutil import utcnow

    with app.app_context():
        db.session.get(Subproject, world["a"]).archived_at = utcnow()
        db.session.commit()
    almere = _municipality_id(app, "Almere")
    body = (
        login_as("steering").get(f"/organisations/municipalities/{almere}").get_data(as_text=True)
    )
    assert "Vmbo Almere" in body.split('id="not-yet"')[1]


def test_pages_run_a_bounded_number_of_queries(app, client, login_as, world):
    login_as("manager")
    almere = _municipality_id(app, "Almere")
    school = _organisation(app, "Vmbo Almere")
    paths = [
        "/organisations",
        f"/organisations/{school.id}",
        f"/organisations/municipalities/{almere}",
        "/organisations/contacts",
    ]
    before = [count_queries(app, client, p) for p in paths]
    with app.app_context():
        circle = Organisation(name="TechNet kring", kind="technet_circle")
        db.session.add(circle)
        db.session.flush()
        from tracker.models import Contact, Subproject

        for n in range(15):
            other = Organisation(name=f"Bedrijf {n}", kind="company", municipality_id=almere)
            db.session.add(other)
            db.session.flush()
            db.session.add_all(
                [
                    CircleMembership(circle_id=circle.id, member_id=other.id),
                    SubprojectOrganisation(
                        subproject_id=world["a"], organisation_id=other.id, role="partner"
                    ),
                    Contact(organisation_id=school.id, name=f"Persoon {n}", purpose="Stages"),
                ]
            )
        db.session.add(
            SubprojectOrganisation(
                subproject_id=world["b"], organisation_id=school.id, role="partner"
            )
        )
        assert db.session.get(Subproject, world["b"]) is not None
        db.session.commit()
    after = [count_queries(app, client, p) for p in paths]
    assert after == before
