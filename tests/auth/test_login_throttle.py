"""The login throttle: by account from one address, by account, by address, with a growing wait
said in Dutch; counted in the database, so all workers share it; and no stranger can lock the
owner out for more than a minute at a time."""

from datetime import datetime, timedelta

import pytest
from conftest import PASSWORD, login
from sqlalchemy import select

import tracker.timeutil
from tracker import create_app
from tracker.auth.models import LoginThrottle
from tracker.auth.throttle import Limit, delay_after, wait_text
from tracker.extensions import db

WRONG = "wrong-password-123"
ELSEWHERE = "203.0.113.9"


@pytest.fixture
def clock(monkeypatch):
    """The throttle's clock, moved on by hand."""

    class Clock:
        now = datetime(2026, 11, 24, 9, 0, 0)

        def advance(self, seconds: float) -> None:
            self.now += timedelta(seconds=seconds)

    clock = Clock()
    monkeypatch.setattr(tracker.timeutil, "utcnow", lambda: clock.now)
    return clock


def _try(client, email, password=WRONG, address="127.0.0.1"):
    return client.post(
        "/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def test_the_wait_doubles_after_the_allowance_up_to_its_cap():
    limit = Limit(free_failures=5, first_delay_seconds=30, max_delay_seconds=900)
    waits = [delay_after(n, limit) for n in range(1, 13)]
    assert waits == [0, 0, 0, 0, 0, 30, 60, 120, 240, 480, 900, 900]
    assert delay_after(10**9, limit) == 900


@pytest.mark.parametrize(
    ("seconds", "dutch"),
    [
        (0.2, "1 seconde"),
        (30, "30 seconden"),
        (59.5, "1 minuut"),
        (60, "1 minuut"),
        (61, "2 minuten"),
        (900, "15 minuten"),
    ],
)
def test_the_wait_is_said_in_dutch_words(app, seconds, dutch):
    with app.test_request_context("/"):
        assert wait_text(seconds) == dutch


def test_an_account_waits_after_five_failures_from_one_address_and_the_wait_grows(
    client, world, clock
):
    email = world["users"]["lead"]
    assert [_try(client, email).status_code for _ in range(5)] == [401] * 5
    sixth = _try(client, email)
    assert sixth.status_code == 429
    assert sixth.headers["Retry-After"] == "30"
    body = sixth.get_data(as_text=True)
    assert "Te veel mislukte inlogpogingen" in body and "Wacht 30 seconden" in body
    refused = _try(client, email, PASSWORD)  # even the right password waits now
    assert refused.status_code == 429
    assert "Wacht 30 seconden" in refused.get_data(as_text=True)
    clock.advance(31)
    assert _try(client, email).status_code == 429  # the next failure waits twice as long
    assert "Wacht 1 minuut" in _try(client, email).get_data(as_text=True)
    clock.advance(61)
    assert _try(client, email, PASSWORD).status_code == 302


def test_a_refused_try_is_not_checked_and_not_counted(app, client, world, clock, monkeypatch):
    email = world["users"]["lead"]
    for _ in range(6):
        _try(client, email)
    import tracker.auth.models as models

    checks = []
    real = models.check_password_hash
    monkeypatch.setattr(models, "check_password_hash", lambda *a: checks.append(a) or real(*a))
    for _ in range(20):
        assert _try(client, email).status_code == 429
    assert checks == []
    clock.advance(31)
    assert "Wacht 1 minuut" in _try(client, email, WRONG).get_data(as_text=True)


def test_a_stranger_cannot_lock_the_owner_out_for_more_than_a_minute(app, client, world, clock):
    email = world["users"]["admin"]
    owner = app.test_client()
    for _ in range(200):  # an attacker elsewhere keeps trying, waiting out every wait
        response = _try(client, email, address=ELSEWHERE)
        if response.status_code == 429:
            clock.advance(int(response.headers["Retry-After"]))
    stranger_wait = _try(client, email, address=ELSEWHERE)
    # From the owner's own address the account waits at most a minute ...
    first = _try(owner, email, PASSWORD)
    assert first.status_code in (302, 429)
    if first.status_code == 429:
        assert int(first.headers["Retry-After"]) <= 60
        clock.advance(int(first.headers["Retry-After"]))
        assert _try(owner, email, PASSWORD).status_code == 302
    # ... while the attacker's own address still waits its longest.
    assert int(stranger_wait.headers.get("Retry-After", "0")) > 60 or (
        _try(client, email, address=ELSEWHERE).status_code == 429
    )


def test_one_address_trying_many_accounts_waits_and_others_do_not(client, world, clock):
    statuses = [_try(client, f"nobody{i}@example.org").status_code for i in range(21)]
    assert statuses[:20] == [401] * 20
    assert statuses[20] == 429
    assert _try(client, world["users"]["lead"], PASSWORD).status_code == 429
    assert _try(client, world["users"]["lead"], PASSWORD, address="127.0.0.2").status_code == 302


def test_a_complete_log_in_forgets_the_accounts_failures_not_the_addresses(client, world, clock):
    email = world["users"]["lead"]
    for _ in range(5):
        _try(client, email)
    assert _try(client, email, PASSWORD).status_code == 302
    client.post("/logout")
    assert [_try(client, email).status_code for _ in range(5)] == [401] * 5
    for i in range(10):  # 10 + 5 + 5 failures from this address: over its 20
        _try(client, f"nobody{i}@example.org")
    assert _try(client, "someone@example.org").status_code == 429


def test_counts_are_forgotten_after_an_hour_without_failures(client, world, clock):
    email = world["users"]["lead"]
    for _ in range(5):
        _try(client, email)
    clock.advance(61 * 60)
    assert [_try(client, email).status_code for _ in range(5)] == [401] * 5


def test_every_worker_sees_the_same_counts(app, client, world, clock):
    """Another process on the same database (another gunicorn worker, another host)."""
    other_worker = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "SECRET_KEY": "test-secret",
            "WTF_CSRF_ENABLED": False,
        }
    ).test_client()
    email = world["users"]["lead"]
    for worker in (client, other_worker, client, other_worker, client):
        assert _try(worker, email).status_code == 401
    assert _try(other_worker, email).status_code == 429
    assert _try(client, email, PASSWORD).status_code == 429


def test_what_was_typed_as_email_is_not_stored(app, client, world, clock):
    _try(client, "my-secret-password-typed-in-the-wrong-field")
    with app.app_context():
        keys = db.session.scalars(select(LoginThrottle.key)).all()
    assert len(keys) == 3
    assert all(len(key) == 64 and "secret" not in key for key in keys)


def test_successful_log_ins_do_not_count(client, world, clock):
    for _ in range(30):
        assert login(client, world["users"]["lead"]).status_code == 302
        client.post("/logout")
