"""Reports are files, built once: a report is built by a job and stored, a request for it
never waits on WeasyPrint, and an unchanged report is served from storage by any worker."""

from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import approval, login
from sqlalchemy import select, update

from tracker import create_app
from tracker.extensions import db
from tracker.jobs import queue_of
from tracker.models import ClosedQuarter, Measurement, QuarterClosing, StoredReport
from tracker.reports import pdf
from tracker.reports.models import FAILED, QUEUED, READY
from tracker.timeutil import utcnow


@pytest.fixture
def builds(monkeypatch):
    """Every PDF WeasyPrint makes in the test (made for real)."""
    made = []
    original = pdf.html_to_pdf

    def counting(html, timings=None):
        made.append(1)
        return original(html, timings)

    monkeypatch.setattr(pdf, "html_to_pdf", counting)
    return made


@pytest.fixture
def worker(app, tmp_path):
    """A second web worker on the same database whose jobs wait in a real queue (a SQLite
    queue file, no consumer running): the production path, where a request never builds."""
    other = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "SECRET_KEY": "test-secret",
            "WTF_CSRF_ENABLED": False,
            "SERVER_NAME": "localhost",
            "QUEUE_URL": f"sqlite:///{tmp_path / 'jobs.db'}",
            "JOBS_IMMEDIATE": False,
            "REPORT_REBUILD_DELAY": None,
        }
    )
    yield other
    with other.app_context():
        db.engine.dispose()


def run_queued_jobs(worker) -> int:
    """What a consumer does: take every waiting job and run it."""
    huey = queue_of(worker).huey
    count = 0
    while (task := huey.dequeue()) is not None:
        huey.execute(task)
        count += 1
    return count


def as_user(worker, world, role: str):
    client = worker.test_client()
    assert login(client, world["users"][role]).status_code == 302
    return client


def test_an_unchanged_report_is_served_from_storage_by_another_worker(
    app, worker, login_as, world, builds
):
    url = f"/reports/{world['programme_id']}/2026-Q3.pdf"
    first = login_as("steering").get(url)
    assert first.status_code == 200 and len(builds) == 1
    again = as_user(worker, world, "manager").get(url)
    assert again.status_code == 200 and again.data == first.data
    assert len(builds) == 1
    with app.app_context():
        stored = db.session.scalars(select(StoredReport)).one()
        assert (stored.status, stored.quarter, stored.subproject_id) == (READY, "2026-Q3", None)


def test_a_report_not_built_yet_answers_at_once_with_its_progress(worker, world, builds):
    client = as_user(worker, world, "steering")
    url = f"/reports/{world['programme_id']}/subprojects/{world['a']}/2026-Q3.pdf"
    waiting = client.get(url)
    assert waiting.status_code == 202 and builds == []
    page = waiting.get_data(as_text=True)
    assert "Rapportage wordt gemaakt" in page and "/static/js/progress.js" in page
    status_url = page.split('data-progress-url="')[1].split('"')[0]
    assert client.get(status_url).get_json() == {
        "done": False,
        "failed": False,
        "message": "De rapportage wacht op haar beurt.",
    }
    assert client.get(url).status_code == 202  # asking again queues nothing more
    assert run_queued_jobs(worker) == 1 and len(builds) == 1
    assert client.get(status_url).get_json()["done"] is True
    ready = client.get(url)
    assert ready.status_code == 200 and ready.data.startswith(b"%PDF-")


def test_a_user_waits_for_at_most_n_reports(worker, world):
    worker.config["REPORT_JOBS_PER_USER"] = 1
    client = as_user(worker, world, "steering")
    assert client.get(f"/reports/{world['programme_id']}/2026-Q3.pdf").status_code == 202
    refused = client.get(f"/reports/{world['programme_id']}/2026-Q2.pdf")
    assert refused.status_code == 429
    assert "Je wacht al op 1 rapportage" in refused.get_data(as_text=True)
    other = as_user(worker, world, "manager")  # the limit is per user
    assert other.get(f"/reports/{world['programme_id']}/2026-Q2.pdf").status_code == 202


def test_a_failed_or_lost_build_is_queued_again_when_asked_for(app, worker, world, monkeypatch):
    client = as_user(worker, world, "steering")
    url = f"/reports/{world['programme_id']}/2026-Q3.pdf"
    client.get(url)

    def broken(html, timings=None):
        raise RuntimeError("no fonts")

    monkeypatch.setattr(pdf, "html_to_pdf", broken)
    run_queued_jobs(worker)
    with app.app_context():
        row = db.session.scalars(select(StoredReport)).one()
        assert row.status == FAILED and "no fonts" in row.error
        report_id = row.id
    failed = client.get(f"/reports/builds/{report_id}").get_json()
    assert failed["failed"] is True and "opnieuw" in failed["message"]
    monkeypatch.undo()
    assert client.get(url).status_code == 202  # queued anew
    with app.app_context():
        row = db.session.scalars(select(StoredReport)).one()
        assert row.status == QUEUED
        # A job that never finishes (its consumer died) is asked for again after the timeout.
        db.session.execute(update(StoredReport).values(requested_at=utcnow() - timedelta(hours=2)))
        db.session.commit()
    assert client.get(url).status_code == 202
    assert run_queued_jobs(worker) == 2  # the lost job's run finds its row replaced
    assert client.get(url).status_code == 200


def test_a_data_change_rebuilds_the_concept_reports_in_the_background(
    app, login_as, world, builds, monkeypatch
):
    monkeypatch.setitem(app.config, "REPORT_REBUILD_DELAY", 0)
    with app.app_context():
        measurement = db.session.scalars(select(Measurement).filter_by(period="2026-Q3")).first()
        measurement.value = 181
        db.session.commit()
        built = db.session.scalars(select(StoredReport.quarter).order_by("quarter")).all()
    assert built == ["2026-Q3", "2026-Q4"] and len(builds) == 2
    client = login_as("steering")
    assert client.get(f"/reports/{world['programme_id']}/2026-Q3.pdf").status_code == 200
    assert len(builds) == 2  # served from storage, made before anyone asked


def test_closing_runs_as_a_job_and_the_reports_page_shows_its_progress(app, worker, world):
    client = as_user(worker, world, "manager")
    pid = world["programme_id"]
    assert client.post(f"/reports/{pid}/2026-Q3/close", data=approval(app, pid)).status_code == 303
    page = client.get(f"/reports/{pid}").get_data(as_text=True)
    assert "Wordt vastgesteld" in page and "data-progress-reload" in page
    assert "wordt vastgesteld: het vastgestelde rapport wordt gemaakt" in page  # the flash
    status = client.get(f"/reports/{pid}/2026-Q3/closing").get_json()
    assert status["done"] is False
    again = client.post(
        f"/reports/{pid}/2026-Q3/close", data=approval(app, pid), follow_redirects=True
    )
    assert "wordt al vastgesteld" in again.get_data(as_text=True)
    assert run_queued_jobs(worker) == 1
    assert client.get(f"/reports/{pid}/2026-Q3/closing").get_json()["done"] is True
    with app.app_context():
        assert db.session.scalars(select(ClosedQuarter.quarter)).all() == ["2026-Q3"]
        assert db.session.scalars(select(QuarterClosing)).all() == []
    assert client.get(f"/reports/{pid}/2026-Q3.pdf").headers["X-Report-SHA256"]


def test_a_failed_closing_says_so_and_may_be_tried_again(app, worker, world, monkeypatch):
    client = as_user(worker, world, "manager")
    pid = world["programme_id"]
    client.post(f"/reports/{pid}/2026-Q3/close", data=approval(app, pid))

    def broken(*args, **kwargs):
        raise RuntimeError("no fonts")

    monkeypatch.setattr(pdf, "build_pdf", broken)
    run_queued_jobs(worker)
    monkeypatch.undo()
    status = client.get(f"/reports/{pid}/2026-Q3/closing").get_json()
    assert status["done"] is True and status["failed"] is True
    page = client.get(f"/reports/{pid}").get_data(as_text=True)
    assert "Vaststellen is mislukt" in page and f"/reports/{pid}/2026-Q3/close" in page
    with app.app_context():
        assert db.session.scalars(select(ClosedQuarter)).all() == []
    assert client.post(f"/reports/{pid}/2026-Q3/close", data=approval(app, pid)).status_code == 303
    assert run_queued_jobs(worker) == 1
    with app.app_context():
        assert db.session.scalars(select(ClosedQuarter.quarter)).all() == ["2026-Q3"]


def test_reopening_withdraws_the_stored_final_reports(app, login_as, world):
    client = login_as("manager")
    pid, sid = world["programme_id"], world["a"]
    client.post(f"/reports/{pid}/2026-Q3/close", data=approval(app, pid))
    assert client.get(f"/reports/{pid}/subprojects/{sid}/2026-Q3.pdf").status_code == 200
    with app.app_context():
        assert db.session.scalars(select(StoredReport.variant)).all() == [pdf.FINAL]
    reopened = client.post(f"/reports/{pid}/2026-Q3/reopen", data={"reason": "Cijfer fout"})
    assert reopened.status_code == 303
    with app.app_context():
        assert db.session.scalars(select(StoredReport)).all() == []


def test_a_save_succeeds_when_the_queue_is_down(app, world, monkeypatch):
    from tracker.reports import rebuild

    class DownQueue:
        def debounce(self, *args, **kwargs):
            raise ConnectionError("redis is down")

    monkeypatch.setitem(app.config, "REPORT_REBUILD_DELAY", 30)
    monkeypatch.setattr(rebuild, "rebuild_concepts", DownQueue())
    with app.app_context():
        measurement = db.session.scalars(select(Measurement).filter_by(period="2026-Q3")).first()
        measurement.value = 182
        db.session.commit()
        db.session.expire_all()
        assert db.session.get(Measurement, measurement.id).value == 182
