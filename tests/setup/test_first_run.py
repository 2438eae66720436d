"""The first-run checklist rule, and the guide an empty install shows the programme manager."""

from __future__ import annotations

from conftest import login, make_user

from tracker.extensions import db
from tracker.setup.first_run import Facts, checklist


def _states(facts: Facts) -> dict[str, tuple[bool, bool]]:
    return {s.key: (s.done, s.ready) for s in checklist(facts).steps}


def test_an_empty_install_has_every_step_open_and_only_the_first_ones_ready():
    states = _states(Facts(None, 0, 0, 0, 0))
    assert states == {
        "programme": (False, True),
        "municipalities": (False, True),
        "subprojects": (False, False),
        "leads": (False, False),
        "indicators": (False, False),
    }
    assert not checklist(Facts(None, 0, 0, 0, 0)).done


def test_steps_tick_as_their_first_record_exists():
    states = _states(Facts(7, 2, 2, 0, 0))
    assert states["programme"] == states["municipalities"] == states["subprojects"] == (True, True)
    assert states["leads"] == (False, True) and states["indicators"] == (False, True)
    assert checklist(Facts(7, 2, 2, 1, 3)).done


def test_municipalities_without_a_programme_do_not_make_subprojects_ready():
    assert _states(Facts(None, 3, 0, 0, 0))["subprojects"] == (False, False)


def test_the_first_admin_of_an_empty_install_is_guided_step_by_step(app, client):
    with app.app_context():
        make_user("beheer@example.org", "admin")
        db.session.commit()
    login(client, "beheer@example.org")
    body = client.get("/").get_data(as_text=True)
    assert 'id="first-run"' in body
    assert 'href="/setup/programmes/new"' in body
    assert 'href="/setup/municipalities/new"' in body
    assert body.count('class="step-done"') == 0

    response = client.post(
        "/setup/programmes/new",
        data={
            "name": "Eigen programma",
            "aim": "",
            "start_date": "01-01-2026",
            "end_date": "31-12-2028",
            "reporting_frequency": "quarterly",
        },
    )
    assert response.status_code == 302
    client.post("/setup/municipalities/new", data={"name": "Urk", "cbs_code": "GM0184"})
    page = client.get(client.get("/").headers["Location"]).get_data(as_text=True)
    assert 'id="first-run"' in page
    assert page.count('class="step-done"') == 2
    assert "/subprojects/new" in page


def test_an_established_programme_shows_no_guide(login_as, world):
    page = login_as("manager").get(f"/programmes/{world['programme_id']}").get_data(as_text=True)
    assert 'id="first-run"' not in page


def test_a_steering_member_of_an_empty_install_sees_no_checklist(app, client):
    with app.app_context():
        make_user("stuur@example.org", "steering")
        db.session.commit()
    login(client, "stuur@example.org")
    assert 'id="first-run"' not in client.get("/").get_data(as_text=True)
