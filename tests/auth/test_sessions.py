"""Sessions that can be ended: logout, a new password, a new role and deactivation end every
session of that user (a replayed cookie included); a session also ends a fixed time after the
log-in, however active; no logged-in page is kept by a cache."""

import time

import pytest
from conftest import PASSWORD, login
from sqlalchemy import func, select

from tracker.audit.models import AuditEntry
from tracker.auth.sessions import Expiry, expiry
from tracker.extensions import db
from tracker.models import User

NEW_PASSWORD = "een-lang-wachtwoord-2026"


def _copy_of(app, client):
    """A second browser holding a copy of ``client``'s session cookie (a stolen cookie)."""
    other = app.test_client()
    cookie = client.get_cookie("session")
    other.set_cookie(cookie.key, cookie.value, domain=cookie.domain, path=cookie.path)
    return other


def _logged_in(client, page="/programmes") -> bool:
    response = client.get(page)
    return response.status_code != 302 or "/login" not in response.headers["Location"]


def _user(app, email) -> User:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        db.session.expunge(user)
        return user


@pytest.fixture
def page(world):
    return f"/subprojects/{world['a']}"


def test_a_session_cookie_replayed_after_logout_is_refused(app, login_as, world, page):
    client = login_as("lead")
    stolen = _copy_of(app, client)
    assert stolen.get(page).status_code == 200  # the copy works while the session lives
    client.post("/logout")
    response = stolen.get(page)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    body = stolen.get(response.headers["Location"]).get_data(as_text=True)
    assert "Je sessie is beëindigd" in body
    assert stolen.get(page).status_code == 302


def test_logout_ends_the_users_sessions_in_other_browsers(app, client, world, page):
    email = world["users"]["lead"]
    other = app.test_client()
    assert login(client, email).status_code == 302
    assert login(other, email).status_code == 302
    client.post("/logout")
    assert other.get(page).status_code == 302


def test_a_password_reset_ends_the_users_sessions(app, login_as, world, page):
    lead = login_as("lead")
    admin = app.test_client()
    assert login(admin, world["users"]["admin"]).status_code == 302
    target = _user(app, world["users"]["lead"])
    response = admin.post(
        f"/users/{target.id}/password",
        data={"password": NEW_PASSWORD, "password_again": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert lead.get(page).status_code == 302
    assert login(lead, world["users"]["lead"], NEW_PASSWORD).status_code == 302


def test_the_admin_resetting_their_own_password_stays_logged_in_elsewhere_not(
    app, client, world, page
):
    email = world["users"]["admin"]
    elsewhere = app.test_client()
    assert login(client, email).status_code == 302
    assert login(elsewhere, email).status_code == 302
    me = _user(app, email)
    response = client.post(
        f"/users/{me.id}/password",
        data={"password": NEW_PASSWORD, "password_again": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert client.get(page).status_code == 200
    assert elsewhere.get(page).status_code == 302


def _edit(admin, user: User, **changes):
    data = {"name": user.name, "role": user.role, "version": str(user.version), "active": "y"}
    data |= {"led_subprojects": [str(s) for s in changes.pop("led", [])]}
    data |= changes
    return admin.post(f"/users/{user.id}/edit", data={k: v for k, v in data.items() if v})


@pytest.mark.parametrize("change", [{"role": "steering"}, {"active": None, "led": "A"}])
def test_a_new_role_or_deactivation_ends_the_users_sessions(app, login_as, world, page, change):
    lead = login_as("lead")
    admin = app.test_client()
    assert login(admin, world["users"]["admin"]).status_code == 302
    target = _user(app, world["users"]["lead"])
    led = [world["a"]] if change.pop("led", None) else []
    assert _edit(admin, target, led=led, **change).status_code == 302
    assert lead.get(page).status_code == 302


def test_a_new_name_leaves_the_sessions_alone(app, login_as, world, page):
    lead = login_as("lead")
    admin = app.test_client()
    assert login(admin, world["users"]["admin"]).status_code == 302
    target = _user(app, world["users"]["lead"])
    assert _edit(admin, target, led=[world["a"]], name="Andere naam").status_code == 302
    assert lead.get(page).status_code == 200


def test_ending_sessions_moves_no_version_and_writes_no_history(app, login_as, world):
    before = _user(app, world["users"]["lead"])
    with app.app_context():
        entries = db.session.scalar(select(func.count(AuditEntry.id)))
    client = login_as("lead")
    client.post("/logout")
    after = _user(app, world["users"]["lead"])
    assert after.session_token != before.session_token
    assert after.version == before.version
    with app.app_context():
        assert db.session.scalar(select(func.count(AuditEntry.id))) == entries


def test_a_session_ends_after_its_absolute_lifetime_however_active(app, login_as, world, page):
    client = login_as("lead")
    lifetime = app.config["SESSION_ABSOLUTE_LIFETIME"].total_seconds()
    with client.session_transaction() as session:
        session["signed_in_at"] = time.time() - lifetime - 5
        session["last_seen"] = time.time()
    response = client.get(page)
    assert response.status_code == 302
    body = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Je was langer dan 12 uur ingelogd" in body


def test_a_session_without_its_log_in_time_is_not_trusted(login_as, page):
    client = login_as("lead")
    with client.session_transaction() as session:
        del session["signed_in_at"]
    assert client.get(page).status_code == 302


def test_the_absolute_lifetime_is_a_setting(app):
    assert app.config["SESSION_ABSOLUTE_LIFETIME"].total_seconds() == 12 * 3600


def test_the_expiry_rule():
    hour = 3600
    assert expiry(10 * hour, 10 * hour - 60, 9 * hour, hour, 12 * hour) is None
    assert expiry(10 * hour, 10 * hour - hour - 1, 9 * hour, hour, 12 * hour) is Expiry.IDLE
    assert expiry(13 * hour, 13 * hour, 0, hour, 12 * hour) is Expiry.ABSOLUTE
    assert expiry(10 * hour, None, 9 * hour, hour, 12 * hour) is Expiry.IDLE
    assert expiry(10 * hour, 10 * hour, "9", hour, 12 * hour) is Expiry.ABSOLUTE


def test_a_forged_session_id_without_the_token_is_refused(app, client, world, page):
    lead = _user(app, world["users"]["lead"])
    for forged in (str(lead.id), f"{lead.id}:", f"{lead.id}:guess", "x:y", f"{lead.id}:{None}"):
        with client.session_transaction() as session:
            session["_user_id"] = forged
            session["last_seen"] = session["signed_in_at"] = time.time()
        assert client.get(page).status_code == 302, forged


def test_logged_in_pages_are_not_kept_by_any_cache(login_as, world):
    client = login_as("manager")
    for path in [
        f"/subprojects/{world['a']}",
        "/dashboard",
        f"/programmes/{world['programme_id']}",
        "/login",
        "/bestaat-niet",
    ]:
        response = client.get(path)
        assert response.headers["Cache-Control"] == "no-store", path
    assert "no-store" in client.post("/logout").headers["Cache-Control"]


def test_the_apps_own_static_files_stay_cacheable(client, world):
    assert "no-store" not in (client.get("/static/css/app.css").headers.get("Cache-Control") or "")


def test_logging_in_again_after_logout_works(client, world):
    email = world["users"]["lead"]
    for _ in range(3):
        assert login(client, email, PASSWORD).status_code == 302
        client.post("/logout")
