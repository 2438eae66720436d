"""The job queue: jobs run in an app context of their own, immediately in tests, debounced on
request, and for real in a consumer process beside the web server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from flask import current_app
from huey import RedisHuey, SqliteHuey
from sqlalchemy import select

from tracker import ROOT, create_app
from tracker.extensions import db
from tracker.jobs import DEBOUNCE_PREFIX, _debounced, job, queue_of
from tracker.jobs.queue import QueueConfigurationError, make_huey
from tracker.quarters import Quarter
from tracker.reports import store
from tracker.reports.models import READY, StoredReport

ran: list[tuple[str, int]] = []


@job()
def remember_the_app(number: int) -> None:
    ran.append((current_app.name, number))


@pytest.fixture(autouse=True)
def _forget_runs():
    ran.clear()


def test_an_immediate_job_runs_at_once_in_an_app_context_of_its_own(app):
    with app.test_request_context("/"):
        session = db.session()
        remember_the_app.enqueue(7)
        assert db.session() is session  # the job's session was its own
    assert ran == [("tracker", 7)]


def test_a_debounced_job_runs_only_for_the_latest_call(app):
    with app.app_context():
        queue = queue_of(app)
        queue.remember(DEBOUNCE_PREFIX + "key", "newer")
        _debounced(remember_the_app.name, "key", "older", (1,), {})
        assert ran == []
        _debounced(remember_the_app.name, "key", "newer", (2,), {})
        remember_the_app.debounce("key", 3, delay=0)
    assert ran == [("tracker", 2), ("tracker", 3)]


def test_the_queue_storage_follows_the_config(tmp_path):
    default = make_huey("", str(tmp_path), immediate=False)
    assert isinstance(default, SqliteHuey)
    assert default.storage.filename == str(tmp_path / "jobs.db")
    other = make_huey(f"sqlite:///{tmp_path / 'q.db'}", "/nowhere", immediate=False)
    assert other.storage.filename == str(tmp_path / "q.db")
    assert isinstance(make_huey("redis://127.0.0.1:6379/0", "/nowhere", False), RedisHuey)
    with pytest.raises(QueueConfigurationError, match="TRACKER_QUEUE_URL"):
        make_huey("amqp://elsewhere", "/nowhere", immediate=False)


def test_a_consumer_process_runs_a_queued_report_job(app, world, tmp_path):
    """The real thing: `flask run-jobs` in its own process takes a report job from a SQLite
    queue file and stores the built PDF where the web side finds it."""
    queue_file = tmp_path / "jobs.db"
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    web = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "test-secret",
            "QUEUE_URL": f"sqlite:///{queue_file}",
            "JOBS_IMMEDIATE": False,
            "REPORT_REBUILD_DELAY": None,
        }
    )
    with web.app_context():
        wanted = store.concept(world["programme_id"], Quarter.parse("2026-Q3"))
        report = store.request(wanted, None)
        assert report.status == "queued"
        report_id = report.id
    env = {
        **os.environ,
        "TRACKER_DATABASE_URL": url,
        "TRACKER_QUEUE_URL": f"sqlite:///{queue_file}",
        "TRACKER_REPORT_REBUILD_DELAY": "",
    }
    env.pop("TRACKER_JOBS_IMMEDIATE", None)
    consumer = subprocess.Popen(  # noqa: S603 (our own interpreter and app)
        [sys.executable, "-m", "flask", "--app", "wsgi", "run-jobs", "--poll", "0.2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        status = _wait_for_build(web, report_id, seconds=120)
    finally:
        consumer.send_signal(signal.SIGINT)
        output = consumer.communicate(timeout=60)[0].decode(errors="replace")
        with web.app_context():
            db.engine.dispose()
    assert status == READY, output
    assert consumer.returncode == 0, output
    with web.app_context():
        body = db.session.scalar(select(StoredReport.pdf).where(StoredReport.id == report_id))
    assert body.startswith(b"%PDF-")


def _wait_for_build(web, report_id: int, seconds: float) -> str:
    deadline = time.monotonic() + seconds
    while True:
        with web.app_context():
            status = db.session.scalar(
                select(StoredReport.status).where(StoredReport.id == report_id)
            )
        if status not in ("queued", "building") or time.monotonic() > deadline:
            return status
        time.sleep(0.5)


def test_the_consumer_refuses_to_run_in_immediate_mode(runner):
    result = runner.invoke(args=["run-jobs"])
    assert result.exit_code != 0 and "IMMEDIATE" in result.output
