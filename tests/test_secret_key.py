"""Without TRACKER_SECRET_KEY an instance signs sessions with its own random key, kept in
instance/ (0600) and reused; never a constant that anyone reading the source could sign with."""

import os
import stat
import threading

import pytest

from tracker import ConfigurationError, create_app
from tracker.secret_key import load_or_create


def _app(key_file, **settings):
    return create_app(
        {"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY_FILE": str(key_file)} | settings
    )


@pytest.fixture(autouse=True)
def _no_key_in_the_environment(monkeypatch):
    monkeypatch.delenv("TRACKER_SECRET_KEY", raising=False)


def test_config_holds_no_constant_key():
    from config import CONFIGS

    for config in CONFIGS.values():
        assert config.SECRET_KEY is None, config


def test_first_run_makes_a_random_owner_only_key_and_later_runs_reuse_it(tmp_path):
    key_file = tmp_path / "instance" / "secret_key"
    first = _app(key_file)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(first.config["SECRET_KEY"]) >= 64
    assert first.config["SECRET_KEY"] == key_file.read_text().strip()
    assert _app(key_file).config["SECRET_KEY"] == first.config["SECRET_KEY"]


def test_each_instance_has_its_own_key(tmp_path):
    one = _app(tmp_path / "one" / "secret_key").config["SECRET_KEY"]
    other = _app(tmp_path / "other" / "secret_key").config["SECRET_KEY"]
    assert one != other


def test_a_session_signed_by_another_instance_is_refused(tmp_path):
    from flask.sessions import SecureCookieSessionInterface
    from itsdangerous import BadSignature

    one = _app(tmp_path / "one" / "secret_key")
    other = _app(tmp_path / "other" / "secret_key")
    cookie = SecureCookieSessionInterface().get_signing_serializer(one).dumps({"_user_id": "1"})
    with pytest.raises(BadSignature):
        SecureCookieSessionInterface().get_signing_serializer(other).loads(cookie)


def test_workers_starting_together_agree_on_one_key(tmp_path):
    key_file = tmp_path / "secret_key"
    keys = []
    threads = [
        threading.Thread(target=lambda: keys.append(load_or_create(key_file))) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(keys)) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]


def test_a_key_file_readable_by_others_is_made_owner_only(tmp_path):
    key_file = tmp_path / "secret_key"
    load_or_create(key_file)
    os.chmod(key_file, 0o644)
    load_or_create(key_file)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_an_empty_key_file_stops_the_start_with_what_to_do(tmp_path):
    key_file = tmp_path / "secret_key"
    key_file.write_text("")
    with pytest.raises(ConfigurationError, match="delete it"):
        _app(key_file)


def test_the_environment_key_wins_and_no_file_is_made(tmp_path, monkeypatch):
    key_file = tmp_path / "secret_key"
    assert _app(key_file, SECRET_KEY="from-the-environment").config["SECRET_KEY"] == (
        "from-the-environment"
    )
    assert not key_file.exists()
