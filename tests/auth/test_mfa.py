"""Two-step verification (TOTP): setting it up with a QR code drawn by the app, recovery codes
shown once and stored hashed, the code asked after the password, required of admins and
managers where TRACKER_MFA_REQUIRED is on, the admin's reset, and a security event for each
step."""

import re
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from conftest import PASSWORD, login
from sqlalchemy import select

from tracker.audit.models import AuditEntry
from tracker.auth import mfa
from tracker.extensions import db
from tracker.models import RecoveryCode, SecurityEvent, User

NOW = datetime(2026, 11, 24, 9, 0, 0, tzinfo=UTC)


# --- The rules -----------------------------------------------------------------------------------


def test_a_code_is_accepted_for_its_step_and_the_ones_beside_it_and_never_twice():
    secret = mfa.new_secret()
    totp = pyotp.TOTP(secret)
    step = int(NOW.timestamp()) // 30
    assert mfa.accepted_step(secret, totp.at(NOW), NOW, None) == step
    assert mfa.accepted_step(secret, totp.at(NOW - timedelta(seconds=30)), NOW, None) == step - 1
    assert mfa.accepted_step(secret, totp.at(NOW + timedelta(seconds=30)), NOW, None) == step + 1
    assert mfa.accepted_step(secret, totp.at(NOW - timedelta(seconds=90)), NOW, None) is None
    assert mfa.accepted_step(secret, totp.at(NOW), NOW, step) is None  # replayed
    assert mfa.accepted_step(secret, " ".join(totp.at(NOW)), NOW, None) == step
    for wrong in ("", "12345", "abcdef", "1234567", None):
        assert mfa.accepted_step(secret, wrong, NOW, None) is None


def test_recovery_codes_are_random_and_read_the_same_however_typed():
    codes = mfa.new_recovery_codes()
    assert len(codes) == 10 == len(set(codes))
    assert all(re.fullmatch(r"[a-z2-9]{4}(-[a-z2-9]{4}){3}", code) for code in codes)
    code = codes[0]
    assert mfa.recovery_code_hash(code) == mfa.recovery_code_hash(code.upper().replace("-", " "))
    assert mfa.looks_like_recovery_code(code) and not mfa.looks_like_recovery_code("123456")


def test_the_qr_code_is_an_svg_drawn_by_the_app(clock):
    uri = mfa.provisioning_uri(mfa.new_secret(), "a@example.org", "Toptechniek tracker")
    image = mfa.qr_data_uri(uri)
    assert image.startswith("data:image/svg+xml")
    assert "http%3A" not in image.replace("http%3A%2F%2Fwww.w3.org", "")  # only the SVG namespace


# --- Setting it up -------------------------------------------------------------------------------


class Clock:
    """The app's clock, moved on by hand: a code is accepted once, so each log-in after the
    set-up happens a step (30 s) later, as it would for a person."""

    now = NOW

    def advance(self, seconds: float = 30) -> None:
        self.now += timedelta(seconds=seconds)

    def code(self, secret: str) -> str:
        return pyotp.TOTP(secret).at(self.now)


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    import tracker.timeutil

    clock = Clock()
    monkeypatch.setattr(tracker.timeutil, "utcnow", lambda: clock.now.replace(tzinfo=None))
    return clock


def _user(app, role_email) -> User:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == role_email))
        db.session.expunge(user)
        return user


def _events(app, kind) -> list[tuple[str, str]]:
    with app.app_context():
        return [
            (e.outcome, e.detail)
            for e in db.session.scalars(
                select(SecurityEvent).where(SecurityEvent.kind == kind).order_by(SecurityEvent.id)
            )
        ]


def _set_up(client, clock: Clock) -> tuple[str, list[str]]:
    """Set up two-step verification as the user would: read the key, type the app's code."""
    page = client.get("/account/two-step")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'src="data:image/svg+xml' in html
    secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', html).group(1).replace(" ", "")
    done = client.post("/account/two-step", data={"code": clock.code(secret)})
    assert done.status_code == 200, done.get_data(as_text=True)
    codes = re.findall(r"<li><code>([a-z2-9-]{19})</code></li>", done.get_data(as_text=True))
    return secret, codes


def test_a_lead_sets_it_up_and_sees_the_recovery_codes_once(app, login_as, world, clock):
    client = login_as("lead")
    wrong = client.post("/account/two-step", data={"code": "000000"})
    assert wrong.status_code == 400
    assert "Deze code past niet" in wrong.get_data(as_text=True)
    secret, codes = _set_up(client, clock)
    assert len(codes) == 10
    assert "Deze codes worden alleen nu getoond" not in client.get("/account").get_data(
        as_text=True
    )
    lead = _user(app, world["users"]["lead"])
    assert lead.totp_secret == secret and lead.has_mfa
    with app.app_context():
        stored = db.session.scalars(
            select(RecoveryCode.code_hash).where(RecoveryCode.user_id == lead.id)
        ).all()
        history = db.session.scalars(
            select(AuditEntry).where(AuditEntry.entity == "User", AuditEntry.entity_id == lead.id)
        ).all()
    assert sorted(stored) == sorted(mfa.recovery_code_hash(c) for c in codes)
    assert not any(c.replace("-", "") in "".join(stored) for c in codes)
    assert any(e.changes.get("totp_secret") == [None, "(changed)"] for e in history)
    assert secret not in repr([e.changes for e in history])
    assert _events(app, "mfa_enrolled") == [("failure", "wrong code"), ("success", "")]
    assert "Aan sinds" in client.get("/account").get_data(as_text=True)


def test_setting_it_up_ends_the_users_other_sessions(app, client, world, clock):
    email = world["users"]["lead"]
    other = app.test_client()
    assert login(client, email).status_code == 302
    assert login(other, email).status_code == 302
    _set_up(client, clock)
    assert client.get(f"/subprojects/{world['a']}").status_code == 200
    assert other.get(f"/subprojects/{world['a']}").status_code == 302


# --- Logging in with it --------------------------------------------------------------------------


@pytest.fixture
def lead_with_mfa(app, client, world, clock):
    email = world["users"]["lead"]
    login(client, email)
    secret, codes = _set_up(client, clock)
    client.post("/logout")
    clock.advance()
    return email, secret, codes


def test_log_in_asks_for_the_code_after_the_password(app, client, world, lead_with_mfa, clock):
    email, secret, _codes = lead_with_mfa
    page = f"/subprojects/{world['a']}"
    response = login(client, email)
    assert response.status_code == 302 and response.headers["Location"].endswith("/login/code")
    assert client.get(page).status_code == 302  # nobody is logged in yet
    assert "Tweestapsverificatie" in client.get("/login/code").get_data(as_text=True)
    wrong = client.post("/login/code", data={"code": "000000"})
    assert wrong.status_code == 401
    assert "Deze code klopt niet" in wrong.get_data(as_text=True)
    right = client.post("/login/code", data={"code": clock.code(secret)})
    assert right.status_code == 302
    assert client.get(page).status_code == 200
    assert ("failure", "") in _events(app, "mfa_code") and ("success", "") in _events(
        app, "mfa_code"
    )


def test_a_code_once_used_does_not_log_in_again(app, client, world, lead_with_mfa, clock):
    email, secret, _codes = lead_with_mfa
    code = clock.code(secret)
    login(client, email)
    assert client.post("/login/code", data={"code": code}).status_code == 302
    client.post("/logout")
    login(client, email)
    assert client.post("/login/code", data={"code": code}).status_code == 401


def test_a_recovery_code_works_once(app, client, world, lead_with_mfa):
    email, _secret, codes = lead_with_mfa
    login(client, email)
    used = client.post("/login/code", data={"code": codes[0].upper()})
    assert used.status_code == 302
    landing = client.get(used.headers["Location"], follow_redirects=True).get_data(as_text=True)
    assert "Je hebt een herstelcode gebruikt; er zijn er nog 9" in landing
    client.post("/logout")
    login(client, email)
    assert client.post("/login/code", data={"code": codes[0]}).status_code == 401
    assert client.post("/login/code", data={"code": codes[1]}).status_code == 302
    assert [o for o, _ in _events(app, "recovery_code")] == ["success", "success"]


def test_the_code_step_is_throttled_like_the_password(app, client, world, lead_with_mfa, clock):
    email, secret, _codes = lead_with_mfa
    login(client, email)
    statuses = [client.post("/login/code", data={"code": "000000"}).status_code for _ in range(6)]
    assert statuses == [401] * 5 + [429]
    refused = client.post("/login/code", data={"code": clock.code(secret)})
    assert refused.status_code == 429
    assert "Wacht 30 seconden" in refused.get_data(as_text=True)


def test_the_code_step_needs_a_right_password_first_and_lapses(
    app, client, world, lead_with_mfa, clock
):
    email, secret, _codes = lead_with_mfa
    assert client.get("/login/code").status_code == 302
    assert client.post("/login/code", data={"code": "123456"}).status_code == 302
    login(client, email)
    with client.session_transaction() as session:
        session["mfa_pending_since"] -= 301
    response = client.post("/login/code", data={"code": clock.code(secret)})
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")


def test_next_survives_the_second_step(app, client, world, lead_with_mfa, clock):
    email, secret, _codes = lead_with_mfa
    page = f"/subprojects/{world['a']}"
    client.post(f"/login?next={page}", data={"email": email, "password": PASSWORD})
    response = client.post("/login/code", data={"code": clock.code(secret)})
    assert response.headers["Location"].endswith(page)


# --- Required for admins and managers ------------------------------------------------------------


@pytest.fixture
def mfa_required(app):
    app.config["MFA_REQUIRED"] = True
    yield
    app.config["MFA_REQUIRED"] = False


def test_production_requires_it_by_default(monkeypatch):
    monkeypatch.delenv("TRACKER_MFA_REQUIRED", raising=False)
    import importlib

    import config

    assert importlib.reload(config).ProductionConfig.MFA_REQUIRED is True
    assert config.DevelopmentConfig.MFA_REQUIRED is False


@pytest.mark.parametrize("role", ["admin", "manager"])
def test_a_required_role_gets_nowhere_before_setting_it_up(
    app, login_as, world, mfa_required, role, clock
):
    client = login_as(role)
    for page in ("/dashboard", f"/subprojects/{world['a']}", "/account"):
        response = client.get(page)
        assert response.status_code == 302 and response.headers["Location"].endswith(
            "/account/two-step"
        ), page
    assert "Je rol vraagt om tweestapsverificatie" in client.get("/account/two-step").get_data(
        as_text=True
    )
    _set_up(client, clock)
    assert client.get("/dashboard").status_code == 200
    off = client.post("/account/two-step/off", data={"code": "000000"})
    assert off.status_code == 302
    assert _user(app, world["users"][role]).has_mfa


def test_other_roles_may_choose_and_switch_it_off(app, login_as, world, mfa_required, clock):
    client = login_as("lead")
    assert client.get("/dashboard").status_code == 200
    secret, _codes = _set_up(client, clock)
    clock.advance()
    refused = client.post("/account/two-step/off", data={"code": "000000"})
    assert refused.status_code == 302 and _user(app, world["users"]["lead"]).has_mfa
    client.post("/account/two-step/off", data={"code": clock.code(secret)})
    assert not _user(app, world["users"]["lead"]).has_mfa
    assert ("success", "") in _events(app, "mfa_disabled")


def test_new_recovery_codes_replace_the_old_ones(app, client, world, lead_with_mfa, clock):
    email, secret, old_codes = lead_with_mfa
    login(client, email)
    client.post("/login/code", data={"code": old_codes[5]})
    response = client.post("/account/two-step/recovery-codes", data={"code": clock.code(secret)})
    new_codes = re.findall(
        r"<li><code>([a-z2-9-]{19})</code></li>", response.get_data(as_text=True)
    )
    assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)
    client.post("/logout")
    login(client, email)
    assert client.post("/login/code", data={"code": old_codes[0]}).status_code == 401
    assert client.post("/login/code", data={"code": new_codes[0]}).status_code == 302


# --- The admin's reset ---------------------------------------------------------------------------


def test_the_admin_resets_a_users_second_factor(app, client, world, lead_with_mfa, clock):
    email, secret, _codes = lead_with_mfa
    login(client, email)
    client.post("/login/code", data={"code": clock.code(secret)})
    admin = app.test_client()
    assert login(admin, world["users"]["admin"]).status_code == 302
    lead = _user(app, email)
    edit_page = admin.get(f"/users/{lead.id}/edit").get_data(as_text=True)
    assert f"/users/{lead.id}/two-step-reset" in edit_page
    assert "Controleer eerst" in admin.get(f"/users/{lead.id}/two-step-reset").get_data(
        as_text=True
    )
    assert admin.post(f"/users/{lead.id}/two-step-reset").status_code == 302
    assert client.get(f"/subprojects/{world['a']}").status_code == 302  # sessions ended
    assert not _user(app, email).has_mfa
    with app.app_context():
        assert db.session.scalars(select(RecoveryCode)).all() == []
        event = db.session.scalar(select(SecurityEvent).where(SecurityEvent.kind == "mfa_reset"))
        assert event.account == email and event.user_id != lead.id
    assert (
        login(client, email).headers["Location"].endswith("/my-subproject")
    )  # the password alone again


# --- The own password ----------------------------------------------------------------------------


def test_changing_the_own_password_keeps_this_session_and_ends_the_others(app, client, world):
    email = world["users"]["steering"]
    other = app.test_client()
    login(client, email)
    login(other, email)
    new = "een-nieuw-wachtwoord-2026"
    wrong = client.post(
        "/account/password",
        data={"current_password": "wrong-password-123", "password": new, "password_again": new},
    )
    assert wrong.status_code == 400
    assert "Dit is niet je huidige wachtwoord" in wrong.get_data(as_text=True)
    right = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "password": new, "password_again": new},
    )
    assert right.status_code == 302
    assert client.get("/dashboard").status_code == 200
    assert other.get("/dashboard").status_code == 302
    client.post("/logout")
    assert login(client, email, new).status_code == 302
    assert [o for o, _ in _events(app, "password_changed")] == ["failure", "success"]
