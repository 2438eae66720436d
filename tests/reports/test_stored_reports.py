"""Reports are files, built once: a report is built by a job and stored, a request for it
never waits on WeasyPrint, and an unchanged report is served from storage by any worker."""

from __future__ import annotations

import threading
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


def _change_a_measurement(app, value: float) -> None:
    with app.app_context():
        measurement = db.session.scalars(select(Measurement).filter_by(period="2026-Q3")).first()
        measurement.value = value
        db.session.commit()


def _followed(page: str) -> tuple[str, str]:
    """The status URL and the download link of a progress page."""
    status_url = page.split('data-progress-url="')[1].split('"')[0]
    download = page.split("data-progress-ready hidden>")[1].split('href="')[1].split('"')[0]
    return status_url, download


def test_asking_while_a_build_is_queued_joins_it_without_counting(app, worker, world, builds):
    """The queued job reads the data when it starts, so it serves everyone who asked before."""
    worker.config["REPORT_JOBS_PER_USER"] = 1
    url = f"/reports/{world['programme_id']}/2026-Q3.pdf"
    steering, manager = as_user(worker, world, "steering"), as_user(worker, world, "manager")
    first = steering.get(url)
    _change_a_measurement(app, 183)  # a lead saves meanwhile: the data's hash changes
    second = steering.get(url)
    third = manager.get(url)
    assert (first.status_code, second.status_code, third.status_code) == (202, 202, 202)
    followed = {_followed(r.get_data(as_text=True))[1] for r in (first, second, third)}
    assert len(followed) == 1  # all three follow the one build
    assert steering.get(f"/reports/{world['programme_id']}/2026-Q2.pdf").status_code == 429
    assert run_queued_jobs(worker) == 1 and len(builds) == 1
    pdf_bytes = steering.get(followed.pop())
    assert pdf_bytes.status_code == 200 and pdf_bytes.data.startswith(b"%PDF-")
    assert steering.get(url).data == pdf_bytes.data  # built of the newest data


def test_the_progress_page_delivers_its_build_though_newer_data_were_saved(
    app, worker, world, monkeypatch
):
    url = f"/reports/{world['programme_id']}/2026-Q3.pdf"
    steering, manager = as_user(worker, world, "steering"), as_user(worker, world, "manager")
    status_url, download = _followed(steering.get(url).get_data(as_text=True))
    answers, built = [], []

    def a_lead_saves_and_a_manager_asks(html, timings=None):
        """While the first build runs, newer data arrive and someone asks for their report
        (from another thread, as from another web worker: outside the job's app context)."""
        if not answers:
            _change_a_measurement(app, 184)
            asking = threading.Thread(target=lambda: answers.append(manager.get(url)))
            asking.start()
            asking.join()
        built.append(1)
        return f"%PDF- build {len(built)}".encode()

    monkeypatch.setattr(pdf, "html_to_pdf", a_lead_saves_and_a_manager_asks)
    assert run_queued_jobs(worker) == 2  # the followed build, then the manager's
    assert steering.get(status_url).get_json()["done"] is True
    assert answers[0].status_code == 202  # the first build had read the older data
    mine = steering.get(download)
    assert mine.status_code == 200 and mine.data == b"%PDF- build 1"
    newest = steering.get(url)  # a plain request: the newest data's build
    assert newest.status_code == 200 and newest.data == b"%PDF- build 2"
    assert steering.get(download).data == mine.data  # still kept for its progress page
    with app.app_context():
        db.session.execute(update(StoredReport).values(built_at=utcnow() - timedelta(hours=2)))
        db.session.commit()
    _change_a_measurement(app, 185)
    steering.get(url)
    run_queued_jobs(worker)  # a newer build forgets the old ones
    gone = steering.get(download)
    assert gone.status_code == 404 and "opnieuw" in gone.get_data(as_text=True)


def test_a_failed_build_offers_to_ask_again(app, worker, world, monkeypatch):
    client = as_user(worker, world, "steering")
    url = f"/reports/{world['programme_id']}/subprojects/{world['a']}/2026-Q3.pdf"
    _, download = _followed(client.get(url).get_data(as_text=True))
    monkeypatch.setattr(pdf, "html_to_pdf", lambda html, timings=None: 1 / 0)
    run_queued_jobs(worker)
    page = client.get(download)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "kon niet worden gemaakt" in text and f'href="{url}"' in text


def test_the_cover_states_the_moment_of_its_data(app, world):
    """A build may show data newer than when it was asked for: its cover says which."""
    from tracker.quarters import Quarter
    from tracker.reports import snapshot

    with app.test_request_context():
        data = snapshot.collect(world["programme_id"], Quarter(2026, 3))
        data["read_at"] = "2026-11-24T13:05:00"
        html = pdf.render_html(data)
    assert "24-11-2026 14:05, met de gegevens van dat moment" in html
