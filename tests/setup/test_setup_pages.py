"""The set-up pages: a programme from an empty install, municipalities, subprojects with leads,
archiving instead of deleting, and two programmes that do not see each other."""

from __future__ import annotations

import io
import zipfile
from datetime import date

from conftest import count_queries, login, make_user
from sqlalchemy import func, select

from tracker.extensions import db
from tracker.models import (
    AuditEntry,
    Indicator,
    Measurement,
    Municipality,
    Programme,
    Subproject,
    User,
)


def _programme_form(**changes) -> dict:
    data = {
        "name": "Metaalcluster Flevoland",
        "aim": "Meer vakmensen in de metaal",
        "start_date": "01-01-2026",
        "end_date": "31-12-2028",
        "reporting_frequency": "quarterly",
    }
    data.update(changes)
    return data


# --- From an empty install -------------------------------------------------------------------


def test_an_empty_install_shows_the_manager_the_way_to_create_a_programme(app, client):
    with app.app_context():
        make_user("regisseur@example.org", "manager")
        make_user("stuur@example.org", "steering")
        db.session.commit()
    login(client, "regisseur@example.org")
    body = client.get("/").get_data(as_text=True)
    assert "Nog geen programma" in body
    assert "Programma aanmaken" in body
    assert 'href="/setup/programmes/new"' in body
    client.post("/logout")
    login(client, "stuur@example.org")
    body = client.get("/").get_data(as_text=True)
    assert "Programma aanmaken" not in body
    assert "vraag hun dat te doen" in body
    assert "Programma aanmaken" not in client.get("/dashboard").get_data(as_text=True)


def test_manager_sets_up_a_programme_municipalities_and_a_subproject_with_leads(app, client):
    with app.app_context():
        make_user("regisseur@example.org", "manager")
        lead = make_user("trekker@example.org", "lead", "Trekker Urk")
        db.session.commit()
        lead_id = lead.id
    login(client, "regisseur@example.org")
    page = client.get("/setup/programmes/new").get_data(as_text=True)
    assert '<option selected value="quarterly">Elk kwartaal</option>' in page
    response = client.post("/setup/programmes/new", data=_programme_form())
    assert response.status_code == 302
    with app.app_context():
        programme = db.session.scalar(select(Programme))
        assert programme.reporting_frequency == "quarterly"
        assert programme.start_date == date(2026, 1, 1)
        programme_id = programme.id

    response = client.post("/setup/municipalities/new", data={"name": "Urk", "cbs_code": "gm0184"})
    assert response.status_code == 302
    with app.app_context():
        urk = db.session.scalar(select(Municipality))
        assert urk.cbs_code == "GM0184"
        urk_id = urk.id

    response = client.post(
        f"/setup/programmes/{programme_id}/subprojects/new",
        data={
            "code": "MC1",
            "name": "Lasopleiding",
            "aim": "Twintig lassers per jaar",
            "municipality_id": str(urk_id),
            "lead_ids": [str(lead_id)],
        },
    )
    assert response.status_code == 302
    with app.app_context():
        subproject = db.session.scalar(select(Subproject))
        assert subproject.programme_id == programme_id
        assert [u.email for u in subproject.leads] == ["trekker@example.org"]
        entries = db.session.scalars(
            select(AuditEntry).where(AuditEntry.entity == "Subproject")
        ).all()
        assert {e.action for e in entries} == {"create", "update"}
        assert any(e.changes.get("leads") == [None, "Trekker Urk"] for e in entries)
        assert db.session.scalar(
            select(func.count()).where(AuditEntry.entity.in_(["Programme", "Municipality"]))
        )
    page = client.get(f"/setup/programmes/{programme_id}").get_data(as_text=True)
    assert "MC1 Lasopleiding" in page and "Trekker Urk" in page and "GM0184" in page
    # the lead now leads it
    client.post("/logout")
    login(client, "trekker@example.org")
    with app.app_context():
        sid = db.session.scalar(select(Subproject.id))
    assert client.get(f"/subprojects/{sid}/quarter/2026-Q4").status_code == 200


def test_bad_programme_input_is_said_beside_the_field(app, client, world):
    login(client, world["users"]["manager"])
    response = client.post(
        "/setup/programmes/new", data=_programme_form(end_date="01-01-2025", name="")
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "De einddatum kan niet voor de startdatum liggen." in body
    assert "Vul een naam in." in body
    response = client.post("/setup/programmes/new", data=_programme_form(name="testprogramma"))
    assert response.status_code == 400
    assert "Er bestaat al een programma met deze naam." in response.get_data(as_text=True)
    response = client.post(
        "/setup/programmes/new", data=_programme_form(reporting_frequency="weekly")
    )
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count(Programme.id))) == 1


def test_cbs_codes_are_checked_and_unique(app, client, world):
    login(client, world["users"]["manager"])
    for code in ("GM34", "0034", "GM00345", "XX0034", ""):
        response = client.post(
            "/setup/municipalities/new", data={"name": "Ergens", "cbs_code": code}
        )
        assert response.status_code == 400, code
    body = client.post(
        "/setup/municipalities/new", data={"name": "Ergens", "cbs_code": "GM34"}
    ).get_data(as_text=True)
    assert "Een CBS-code bestaat uit GM en vier cijfers, bijvoorbeeld GM0034." in body
    response = client.post(
        "/setup/municipalities/new", data={"name": "Ergens", "cbs_code": "GM0034"}
    )
    assert response.status_code == 400
    assert "Een andere gemeente heeft deze CBS-code al." in response.get_data(as_text=True)
    response = client.post(
        "/setup/municipalities/new", data={"name": "almere", "cbs_code": "GM0999"}
    )
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count(Municipality.id))) == 2


def test_a_subproject_code_is_unique_within_its_programme_only(app, client, world):
    login(client, world["users"]["manager"])
    with app.app_context():
        almere = db.session.scalar(select(Municipality.id).where(Municipality.name == "Almere"))
        other = Programme(name="Metaal", start_date=date(2026, 1, 1), end_date=date(2027, 12, 31))
        db.session.add(other)
        db.session.commit()
        other_id = other.id
    data = {"code": "a", "name": "Dubbel", "municipality_id": str(almere)}
    response = client.post(f"/setup/programmes/{world['programme_id']}/subprojects/new", data=data)
    assert response.status_code == 400
    assert "Een ander deelproject van dit programma heeft deze code al." in response.get_data(
        as_text=True
    )
    response = client.post(f"/setup/programmes/{other_id}/subprojects/new", data=data)
    assert response.status_code == 302


def test_only_users_with_the_lead_role_can_be_chosen_as_leads(app, client, world):
    login(client, world["users"]["manager"])
    with app.app_context():
        steering = db.session.scalar(select(User.id).where(User.role == "steering"))
        almere = db.session.scalar(select(Municipality.id).where(Municipality.name == "Almere"))
    page = client.get(f"/setup/subprojects/{world['a']}/edit").get_data(as_text=True)
    assert "Deelprojectleider A</option>" in page and "Stuurgroeplid" not in page
    assert "<option selected value=" in page  # A's lead is shown chosen
    response = client.post(
        f"/setup/subprojects/{world['b']}/edit",
        data={
            "code": "B",
            "name": "Maritiem",
            "municipality_id": str(almere),
            "lead_ids": [str(steering)],
            "version": "1",
        },
    )
    assert response.status_code == 400
    assert "Kies deelprojectleiders uit de lijst." in response.get_data(as_text=True)


def test_editing_a_subproject_on_an_old_version_is_refused_and_keeps_the_input(app, client, world):
    login(client, world["users"]["manager"])
    with app.app_context():
        almere = db.session.scalar(select(Municipality.id).where(Municipality.name == "Almere"))
        db.session.get(Subproject, world["b"]).name = "Intussen gewijzigd"
        db.session.commit()
    response = client.post(
        f"/setup/subprojects/{world['b']}/edit",
        data={"code": "B", "name": "Mijn naam", "municipality_id": str(almere), "version": "1"},
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Mijn naam" in body and "Intussen gewijzigd" in body
    with app.app_context():
        assert db.session.get(Subproject, world["b"]).name == "Intussen gewijzigd"


# --- Archiving instead of deleting -----------------------------------------------------------


def test_a_subproject_with_history_is_archived_not_deleted(app, client, world):
    login(client, world["users"]["manager"])
    response = client.post(f"/setup/subprojects/{world['a']}/delete", data={"version": "1"})
    body = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Archiveer het in plaats daarvan" in body
    with app.app_context():
        assert db.session.get(Subproject, world["a"]) is not None
    response = client.post(f"/setup/subprojects/{world['a']}/archive", data={"version": "1"})
    assert response.status_code == 302
    overview = client.get(f"/programmes/{world['programme_id']}").get_data(as_text=True)
    assert "Leerlijn" not in overview and "Maritiem" in overview
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert "Leerlingen techniek" not in dashboard and "Gastlessen organiseren" not in dashboard
    assert client.get(f"/dashboard?subproject={world['a']}").status_code == 400
    # still readable, not changeable, and left out of a new report's data
    page = client.get(f"/subprojects/{world['a']}")
    assert page.status_code == 200 and "Leerlijn" in page.get_data(as_text=True)
    response = client.post(f"/subprojects/{world['a']}/edit", data={"name": "x", "version": "1"})
    assert response.status_code == 409
    assert "gearchiveerd" in response.get_data(as_text=True)
    export = client.get(f"/exports/{world['programme_id']}/2026-Q3.csv")
    with zipfile.ZipFile(io.BytesIO(export.data)) as archive:
        subprojects = next(n for n in archive.namelist() if "eelproject" in n)
        assert "Leerlijn" not in archive.read(subprojects).decode("utf-8")
    # and back
    assert client.post(f"/setup/subprojects/{world['a']}/restore").status_code == 302
    assert "Leerlijn" in client.get(f"/programmes/{world['programme_id']}").get_data(as_text=True)


def test_a_lead_cannot_edit_the_subproject_once_archived(app, client, world):
    with app.app_context():
        db.session.get(Subproject, world["a"]).archived_at = date(2026, 11, 1)
        db.session.commit()
    login(client, world["users"]["lead"])
    assert client.get(f"/subprojects/{world['a']}/quarter/2026-Q4").status_code == 409
    assert client.get(f"/subprojects/{world['a']}").status_code == 200


def test_a_subproject_without_history_is_deleted_with_its_leads(app, client, world):
    login(client, world["users"]["manager"])
    with app.app_context():
        almere = db.session.scalar(select(Municipality).where(Municipality.name == "Almere"))
        lead = db.session.scalar(select(User).where(User.role == "lead"))
        empty = Subproject(
            programme_id=world["programme_id"], municipality=almere, code="C", name="Leeg"
        )
        empty.leads.append(lead)
        db.session.add(empty)
        db.session.commit()
        empty_id = empty.id
    assert client.get(f"/setup/subprojects/{empty_id}/delete").status_code == 200
    response = client.post(f"/setup/subprojects/{empty_id}/delete", data={"version": "1"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Subproject, empty_id) is None
        deleted = db.session.scalar(
            select(AuditEntry).where(
                AuditEntry.entity_id == empty_id, AuditEntry.action == "delete"
            )
        )
        assert deleted.entity == "Subproject"


def test_a_municipality_in_use_is_not_deleted(app, client, world):
    login(client, world["users"]["manager"])
    with app.app_context():
        urk = db.session.scalar(select(Municipality.id).where(Municipality.name == "Urk"))
    response = client.post(f"/setup/municipalities/{urk}/delete", data={"version": "1"})
    assert response.status_code == 409
    assert "1 deelproject" in response.get_data(as_text=True)


def test_an_archived_programme_leaves_the_lists_and_can_be_restored(app, client, world):
    login(client, world["users"]["manager"])
    with app.app_context():
        other = Programme(name="Metaal", start_date=date(2026, 1, 1), end_date=date(2027, 12, 31))
        db.session.add(other)
        db.session.commit()
        other_id = other.id
    assert client.post(f"/setup/programmes/{world['programme_id']}/delete").status_code == 409
    response = client.post(
        f"/setup/programmes/{world['programme_id']}/archive", data={"version": "1"}
    )
    assert response.status_code == 302
    assert client.get("/").headers["Location"].endswith(f"/programmes/{other_id}")
    assert "Testprogramma" not in client.get("/dashboard").get_data(as_text=True)
    assert client.get(f"/dashboard?programme={world['programme_id']}").status_code == 400
    assert "Testprogramma" in client.get("/setup").get_data(as_text=True)
    assert client.get(f"/programmes/{world['programme_id']}").status_code == 200
    assert client.get(f"/setup/programmes/{world['programme_id']}/edit").status_code == 409
    client.post(f"/setup/programmes/{world['programme_id']}/restore")
    assert "Testprogramma" in client.get("/dashboard").get_data(as_text=True)


def test_a_programme_without_history_is_deleted(app, client, world):
    login(client, world["users"]["admin"])
    with app.app_context():
        other = Programme(name="Leeg", start_date=date(2026, 1, 1), end_date=date(2027, 12, 31))
        db.session.add(other)
        db.session.commit()
        other_id = other.id
    response = client.post(f"/setup/programmes/{other_id}/delete", data={"version": "1"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Programme, other_id) is None


def test_steering_reads_the_set_up_pages_without_tools(client, world):
    login(client, world["users"]["steering"])
    body = client.get(f"/setup/programmes/{world['programme_id']}").get_data(as_text=True)
    assert "Leerlijn" in body
    assert "Nieuw deelproject" not in body and "/archive" not in body
    assert "Programma aanmaken" not in client.get("/setup").get_data(as_text=True)


# --- Two programmes in one instance ----------------------------------------------------------


def _second_programme(app) -> dict:
    with app.app_context():
        dronten = Municipality(name="Dronten", cbs_code="GM0303")
        metal = Programme(
            name="Metaalcluster", start_date=date(2025, 1, 1), end_date=date(2028, 12, 31)
        )
        weld = Subproject(programme=metal, municipality=dronten, code="M1", name="Lasacademie")
        db.session.add_all([dronten, metal, weld])
        db.session.flush()
        welders = Indicator(
            programme_id=metal.id,
            subproject=weld,
            name="Lassers opgeleid",
            unit="lassers",
            baseline_value=0,
            baseline_date=date(2025, 1, 1),
            target_value=80,
            target_date=date(2028, 1, 1),
            rollup="sum",
        )
        db.session.add(welders)
        db.session.flush()
        db.session.add(Measurement(indicator_id=welders.id, period="2026-Q3", value=17))
        db.session.commit()
        return {"programme_id": metal.id, "subproject": weld.id}


def test_nothing_of_one_programme_shows_in_another(app, client, world):
    metal = _second_programme(app)
    login(client, world["users"]["manager"])
    first = world["programme_id"]
    second = metal["programme_id"]
    pages = {
        first: [
            f"/programmes/{first}",
            f"/dashboard?programme={first}&quarter=2026-Q3",
            f"/reports/{first}",
            f"/setup/programmes/{first}",
        ],
        second: [
            f"/programmes/{second}",
            f"/dashboard?programme={second}&quarter=2026-Q3",
            f"/reports/{second}",
            f"/setup/programmes/{second}",
        ],
    }
    own = {first: ("Leerlijn", "Maritiem"), second: ("Lasacademie",)}
    for programme_id, paths in pages.items():
        other = second if programme_id == first else first
        for path in paths:
            body = client.get(path).get_data(as_text=True)
            for word in own[programme_id]:
                assert word in body, (path, word)
            for word in own[other]:
                assert word not in body, (path, word)
    assert "Lassers opgeleid" not in client.get(f"/dashboard?programme={first}").get_data(
        as_text=True
    )
    for programme_id, words in ((first, own[second]), (second, own[first])):
        export = client.get(f"/exports/{programme_id}/2026-Q3.csv")
        with zipfile.ZipFile(io.BytesIO(export.data)) as archive:
            text = "".join(archive.read(n).decode("utf-8") for n in archive.namelist())
        for word in words:
            assert word not in text
    # the programme tabs offer both, the reports page too
    assert f'href="/reports/{second}"' in client.get(f"/reports/{first}").get_data(as_text=True)


def test_set_up_pages_run_a_bounded_number_of_queries(app, client, world):
    login(client, world["users"]["manager"])
    paths = ["/setup", f"/setup/programmes/{world['programme_id']}", "/setup/municipalities"]
    before = [count_queries(app, client, p) for p in paths]
    with app.app_context():
        lead = db.session.scalar(select(User).where(User.role == "lead"))
        for n in range(10):
            place = Municipality(name=f"Gemeente {n}", cbs_code=f"GM{n:04d}")
            sub = Subproject(
                programme_id=world["programme_id"], municipality=place, code=f"X{n}", name="X"
            )
            sub.leads.append(lead)
            db.session.add_all([place, sub])
            db.session.add(
                Programme(name=f"P{n}", start_date=date(2026, 1, 1), end_date=date(2027, 1, 1))
            )
        db.session.commit()
    after = [count_queries(app, client, p) for p in paths]
    assert after == before
