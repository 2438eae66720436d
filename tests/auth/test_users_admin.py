"""The admin screen for users and roles: only the application manager, every change audited."""

from __future__ import annotations

import re

import pytest
from conftest import PASSWORD, login
from sqlalchemy import select

from tracker.audit.models import AuditEntry
from tracker.extensions import db
from tracker.models import Measurement, Subproject, User

NEW_PASSWORD = "een-lang-wachtwoord-2026"
ADMIN_PAGES = [
    ("get", "/users"),
    ("get", "/users/new"),
    ("post", "/users/new"),
    ("get", "/users/{id}/edit"),
    ("post", "/users/{id}/edit"),
    ("get", "/users/{id}/password"),
    ("post", "/users/{id}/password"),
    ("get", "/users/{id}/delete"),
    ("post", "/users/{id}/delete"),
]


def _user(app, email):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        result = {
            "id": user.id,
            "name": user.name,
            "role": user.role,
            "active": user.active,
            "version": user.version,
            "led": sorted(s.code for s in user.led_subprojects),
            "hash": user.password_hash,
        }
        db.session.remove()
        return result


def _entries(app, user_id):
    with app.app_context():
        entries = db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity == "User", AuditEntry.entity_id == user_id)
            .order_by(AuditEntry.id)
        ).all()
        result = [(e.action, e.changes, e.user_id) for e in entries]
        db.session.remove()
        return result


def _admin_id(app, world):
    return _user(app, world["users"]["admin"])["id"]


def _edit_data(user, **overrides):
    data = {
        "name": user["name"],
        "role": user["role"],
        "version": str(user["version"]),
    }
    if user["active"]:
        data["active"] = "y"
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.parametrize("role", ["manager", "steering", "lead"])
def test_only_the_admin_reaches_the_user_screens(app, client, world, role):
    target = _user(app, world["users"]["steering"])
    login(client, world["users"][role])
    for method, path in ADMIN_PAGES:
        response = getattr(client, method)(path.format(id=target["id"]), data={})
        assert response.status_code == 403, (role, method, path)
    assert _user(app, world["users"]["steering"]) == target


def test_anonymous_is_sent_to_login_from_the_user_screens(app, client, world):
    target = _user(app, world["users"]["steering"])
    for method, path in ADMIN_PAGES:
        response = getattr(client, method)(path.format(id=target["id"]), data={})
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]


def test_admin_sees_every_screen(app, login_as, world):
    client = login_as("admin")
    target = _user(app, world["users"]["steering"])
    for method, path in ADMIN_PAGES:
        if method == "get":
            assert client.get(path.format(id=target["id"])).status_code == 200, path
    assert "Nieuwe gebruiker" in client.get("/users").get_data(as_text=True)


def test_admin_creates_a_lead_who_can_log_in_and_the_creation_is_audited(app, login_as, world):
    client = login_as("admin")
    response = client.post(
        "/users/new",
        data={
            "email": " Nieuw@Example.org ",
            "name": "Nieuwe trekker",
            "role": "lead",
            "led_subprojects": [str(world["b"])],
            "password": NEW_PASSWORD,
            "password_again": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    user = _user(app, "nieuw@example.org")
    assert user["role"] == "lead" and user["led"] == ["B"]
    entries = _entries(app, user["id"])
    assert entries[0][0] == "create"
    assert entries[0][1]["email"] == [None, "nieuw@example.org"]
    assert entries[0][1]["password_hash"] == [None, "(changed)"]
    assert ("update", {"led_subprojects": [None, "B"]}, _admin_id(app, world)) in entries
    assert all(e[2] == _admin_id(app, world) for e in entries)
    client.post("/logout")
    assert login(client, "nieuw@example.org", NEW_PASSWORD).status_code == 302
    assert client.get(f"/subprojects/{world['b']}/edit").status_code == 200


@pytest.mark.parametrize(
    "overrides,field_message",
    [
        ({"email": ""}, "Vul een e-mailadres in."),
        ({"email": "geen-adres"}, "Vul een e-mailadres in zoals naam@flevoland.nl."),
        ({"email": "ADMIN@example.org"}, "Er bestaat al een gebruiker met dit e-mailadres."),
        ({"name": " "}, "Vul een naam in."),
        ({"role": "god"}, "Kies een mogelijkheid uit de lijst."),
        ({"password": "kort", "password_again": "kort"}, "Gebruik minstens 12 tekens."),
        ({"password_again": NEW_PASSWORD + "x"}, "De twee wachtwoorden zijn niet gelijk."),
        ({"role": "steering"}, "Alleen een deelprojectleider leidt deelprojecten."),
        ({"led_subprojects": "999999"}, "Kies deelprojecten uit de lijst."),
        ({"led_subprojects": "abc"}, "Kies deelprojecten uit de lijst."),
    ],
)
def test_new_user_refuses_bad_input_with_a_message_beside_the_field(
    app, login_as, world, overrides, field_message
):
    client = login_as("admin")
    data = {
        "email": "nieuw@example.org",
        "name": "Nieuw",
        "role": "lead",
        "led_subprojects": str(world["a"]),
        "password": NEW_PASSWORD,
        "password_again": NEW_PASSWORD,
    }
    data.update(overrides)
    with app.app_context():
        count = db.session.query(User).count()
        db.session.remove()
    response = client.post("/users/new", data=data)
    assert response.status_code == 400
    assert field_message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(User).count() == count


def test_admin_edits_role_name_and_led_subprojects_and_each_change_is_audited(app, login_as, world):
    client = login_as("admin")
    lead = _user(app, world["users"]["lead"])
    response = client.post(
        f"/users/{lead['id']}/edit",
        data=_edit_data(
            lead, name="Andere naam", led_subprojects=[str(world["a"]), str(world["b"])]
        ),
    )
    assert response.status_code == 302
    after = _user(app, world["users"]["lead"])
    assert after["name"] == "Andere naam" and after["led"] == ["A", "B"]
    assert after["version"] > lead["version"]
    entries = _entries(app, lead["id"])
    admin = _admin_id(app, world)
    assert ("update", {"led_subprojects": ["A", "A, B"]}, admin) in entries
    assert any(
        a == "update" and c.get("name") == [lead["name"], "Andere naam"] and u == admin
        for a, c, u in entries
    )
    # Becoming steering clears the subprojects led, and that too is recorded.
    response = client.post(f"/users/{lead['id']}/edit", data=_edit_data(after, role="steering"))
    assert response.status_code == 302
    assert _user(app, world["users"]["lead"])["led"] == []
    assert ("update", {"led_subprojects": ["A, B", None]}, admin) in _entries(app, lead["id"])
    history = client.get(f"/users/{lead['id']}/edit").get_data(as_text=True)
    assert "led_subprojects" in history


def test_a_change_of_led_subprojects_alone_moves_the_version(app, login_as, world):
    client = login_as("admin")
    lead = _user(app, world["users"]["lead"])
    response = client.post(
        f"/users/{lead['id']}/edit", data=_edit_data(lead, led_subprojects=[str(world["b"])])
    )
    assert response.status_code == 302
    # A form opened before that change is now stale: refused, not silently overwritten.
    stale = client.post(
        f"/users/{lead['id']}/edit", data=_edit_data(lead, led_subprojects=[str(world["a"])])
    )
    assert stale.status_code == 409
    assert "Iemand anders heeft dit opgeslagen terwijl jij aan het bewerken was" in stale.get_data(
        as_text=True
    )
    assert _user(app, world["users"]["lead"])["led"] == ["B"]


def test_deactivated_user_cannot_log_in_and_records_stay(app, login_as, world):
    client = login_as("admin")
    steering = _user(app, world["users"]["steering"])
    response = client.post(f"/users/{steering['id']}/edit", data=_edit_data(steering, active=None))
    assert response.status_code == 302
    assert _user(app, world["users"]["steering"])["active"] is False
    assert any(c.get("active") == [True, False] for _, c, _ in _entries(app, steering["id"]))
    other = app.test_client()
    assert login(other, world["users"]["steering"]).status_code == 401


def test_admin_cannot_remove_own_admin_role_or_deactivate_self(app, login_as, world):
    client = login_as("admin")
    admin = _user(app, world["users"]["admin"])
    response = client.post(f"/users/{admin['id']}/edit", data=_edit_data(admin, role="manager"))
    assert response.status_code == 400
    assert "Je kunt je eigen beheerdersrol niet afnemen." in response.get_data(as_text=True)
    response = client.post(f"/users/{admin['id']}/edit", data=_edit_data(admin, active=None))
    assert response.status_code == 400
    assert "Je kunt jezelf niet deactiveren." in response.get_data(as_text=True)
    assert _user(app, world["users"]["admin"]) == admin
    page = client.get(f"/users/{admin['id']}/delete")
    assert "Je kunt jezelf niet verwijderen." in page.get_data(as_text=True)
    assert client.post(f"/users/{admin['id']}/delete", data={"version": "1"}).status_code == 409
    assert _user(app, world["users"]["admin"]) == admin


def test_reset_password_sets_a_new_one_and_is_audited_without_the_hash(app, login_as, world):
    client = login_as("admin")
    lead = _user(app, world["users"]["lead"])
    response = client.post(
        f"/users/{lead['id']}/password", data={"password": "kort", "password_again": "kort"}
    )
    assert response.status_code == 400
    assert "Gebruik minstens 12 tekens." in response.get_data(as_text=True)
    assert _user(app, world["users"]["lead"])["hash"] == lead["hash"]
    response = client.post(
        f"/users/{lead['id']}/password",
        data={"password": NEW_PASSWORD, "password_again": NEW_PASSWORD},
    )
    assert response.status_code == 302
    entries = _entries(app, lead["id"])
    assert entries[-1][1]["password_hash"] == ["(changed)", "(changed)"]
    assert lead["hash"][:20] not in repr(entries)
    other = app.test_client()
    assert login(other, world["users"]["lead"], PASSWORD).status_code == 401
    assert login(other, world["users"]["lead"], NEW_PASSWORD).status_code == 302


def test_user_with_authored_records_is_not_deleted_and_the_page_says_why(app, login_as, world):
    lead = _user(app, world["users"]["lead"])
    with app.app_context():
        measurement = db.session.scalars(select(Measurement)).first()
        measurement.entered_by_id = lead["id"]
        db.session.commit()
    client = login_as("admin")
    page = client.get(f"/users/{lead['id']}/delete").get_data(as_text=True)
    assert "Deze gebruiker kan niet worden verwijderd" in page
    assert "Deactiveer de gebruiker" in page
    response = client.post(f"/users/{lead['id']}/delete", data={"version": str(lead["version"])})
    assert response.status_code == 409
    assert _user(app, world["users"]["lead"]) == lead


def test_user_without_records_is_deleted_and_the_deletion_is_audited(app, login_as, world):
    lead = _user(app, world["users"]["lead"])
    client = login_as("admin")
    response = client.post(f"/users/{lead['id']}/delete", data={"version": str(lead["version"])})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == world["users"]["lead"])) is None
        assert db.session.get(Subproject, world["a"]).leads == []
    entries = _entries(app, lead["id"])
    assert ("update", {"led_subprojects": ["A", None]}, _admin_id(app, world)) in entries
    assert entries[-1][0] == "delete"


def test_user_forms_need_a_csrf_token(app, login_as, world):
    client = login_as("admin")
    lead = _user(app, world["users"]["lead"])
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        refused = client.post(f"/users/{lead['id']}/edit", data=_edit_data(lead, name="X"))
        page = client.get(f"/users/{lead['id']}/edit").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        accepted = client.post(
            f"/users/{lead['id']}/edit",
            data=_edit_data(lead, name="Y", csrf_token=token, led_subprojects=str(world["a"])),
        )
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert refused.status_code == 400
    assert accepted.status_code == 302
    assert _user(app, world["users"]["lead"])["name"] == "Y"


def test_the_user_form_offers_live_subprojects_and_keeps_an_archived_one_the_lead_has(
    app, login_as, world
):
    """An archived subproject is not offered to new leads, but a lead who still has one keeps
    it when the form is saved unchanged; with a second programme each choice names its own."""
    from datetime import date, datetime

    from tracker.models import Municipality, Programme

    with app.app_context():
        b = db.session.get(Subproject, world["b"])
        b.archived_at = datetime(2026, 11, 1)
        metal = Programme(
            name="Metaalcluster", start_date=date(2026, 1, 1), end_date=date(2027, 12, 31)
        )
        zeewolde = Municipality(name="Zeewolde", cbs_code="GM0050")
        db.session.add(Subproject(programme=metal, municipality=zeewolde, code="M1", name="Lassen"))
        lead = db.session.scalar(select(User).where(User.email == world["users"]["lead"]))
        lead.led_subprojects.append(b)
        db.session.commit()
    client = login_as("admin")
    new_form = client.get("/users/new").get_data(as_text=True)
    assert "Testprogramma: A Leerlijn" in new_form and "Metaalcluster: M1 Lassen" in new_form
    assert "Maritiem" not in new_form
    lead = _user(app, world["users"]["lead"])
    edit_form = client.get(f"/users/{lead['id']}/edit").get_data(as_text=True)
    assert "Testprogramma: B Maritiem (gearchiveerd)" in edit_form
    response = client.post(
        f"/users/{lead['id']}/edit",
        data=_edit_data(lead, led_subprojects=[str(world["a"]), str(world["b"])]),
    )
    assert response.status_code == 302
    assert _user(app, world["users"]["lead"])["led"] == ["A", "B"]
