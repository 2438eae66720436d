"""Every role against every kind of page and write action: allowed, 403, or to the login page."""

import pytest
from conftest import login

ROLES = ["admin", "manager", "steering", "lead"]


def _pages(world):
    return {
        "overview": ("GET", "/", None),
        "programme": ("GET", f"/programmes/{world['programme_id']}", None),
        "own_subproject": ("GET", f"/subprojects/{world['a']}", None),
        "other_subproject": ("GET", f"/subprojects/{world['b']}", None),
        "edit_own": ("GET", f"/subprojects/{world['a']}/edit", None),
        "edit_other": ("GET", f"/subprojects/{world['b']}/edit", None),
        "save_own": ("POST", f"/subprojects/{world['a']}/edit", {"name": "Nieuw", "version": "1"}),
        "save_other": (
            "POST",
            f"/subprojects/{world['b']}/edit",
            {"name": "Nieuw", "version": "1"},
        ),
        "users": ("GET", "/users", None),
    }


EXPECTED = {
    #                  admin manager steering lead
    "overview": (302, 302, 302, 302),
    "programme": (200, 200, 200, 200),
    "own_subproject": (200, 200, 200, 200),
    "other_subproject": (200, 200, 200, 200),
    "edit_own": (200, 200, 403, 200),
    "edit_other": (200, 200, 403, 403),
    "save_own": (302, 302, 403, 302),
    "save_other": (302, 302, 403, 403),
    "users": (200, 403, 403, 403),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", list(EXPECTED))
def test_role_matrix(client, world, role, page):
    method, path, data = _pages(world)[page]
    assert login(client, world["users"][role]).status_code == 302
    response = client.open(path, method=method, data=data)
    assert response.status_code == EXPECTED[page][ROLES.index(role)]


@pytest.mark.parametrize("page", list(EXPECTED))
def test_anonymous_is_sent_to_login(client, world, page):
    method, path, data = _pages(world)[page]
    response = client.open(path, method=method, data=data)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_refused_save_changes_nothing(app, client, world):
    from tracker.extensions import db
    from tracker.models import Subproject

    login(client, world["users"]["lead"])
    response = client.post(
        f"/subprojects/{world['b']}/edit", data={"name": "Gekaapt", "version": "1"}
    )
    assert response.status_code == 403
    assert "Geen toegang" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Subproject, world["b"]).name == "Maritiem"


def test_edit_link_shown_only_to_those_who_may_edit(login_as, world):
    client = login_as("steering")
    assert "Deelproject bewerken" not in client.get(f"/subprojects/{world['a']}").get_data(
        as_text=True
    )
    client.post("/logout")
    client = login_as("lead")
    assert "Deelproject bewerken" in client.get(f"/subprojects/{world['a']}").get_data(as_text=True)
    assert "Deelproject bewerken" not in client.get(f"/subprojects/{world['b']}").get_data(
        as_text=True
    )
