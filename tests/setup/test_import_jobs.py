"""A confirmed upload is applied by a job, not in the web request: the confirmation answers at
once with a page that follows the job, which then sends the user on with the job's message, in
their language; the records it writes are audited under their name; what it refuses applies
nothing and sends them back to the upload page with the reason."""

from __future__ import annotations

from datetime import timedelta

from conftest import through_import_job, waiting_import
from sqlalchemy import select
from test_plan_import import _bytes, _payload, _plan, _template, _upload

from tracker.extensions import db
from tracker.imports.models import ImportRun
from tracker.imports.services import Refused, run_job
from tracker.models import AuditEntry, Subproject, User
from tracker.setup import import_job
from tracker.timeutil import utcnow


def _waiting_run(app, world, age=timedelta(0)) -> int:
    with app.app_context():
        return waiting_import(world["programme_id"], requested_at=utcnow() - age)


def test_the_page_follows_the_job_until_it_is_done(app, login_as, world):
    run_id = _waiting_run(app, world)
    client = login_as("manager")
    page = client.get(f"/imports/{run_id}")
    assert page.status_code == 202
    assert "Het bestand wordt verwerkt" in page.text
    assert f'data-progress-url="/imports/{run_id}/status"' in page.text
    status = client.get(f"/imports/{run_id}/status").get_json()
    assert status["done"] is False and status["failed"] is False
    with app.app_context():
        run_job(run_id, import_job.KIND, lambda run: (3, "3 regels verwerkt."))
    assert client.get(f"/imports/{run_id}/status").get_json() == {
        "done": True,
        "failed": False,
        "message": "3 regels verwerkt.",
        "url": f"/imports/{run_id}",
    }
    done = client.get(f"/imports/{run_id}")
    assert done.status_code == 302
    assert done.headers["Location"] == f"/setup/programmes/{world['programme_id']}"
    assert "3 regels verwerkt." in client.get(done.headers["Location"]).text


def test_only_the_user_who_confirmed_follows_the_run(app, login_as, world):
    run_id = _waiting_run(app, world)
    for role in ("admin", "steering", "lead"):
        client = login_as(role)
        assert client.get(f"/imports/{run_id}").status_code == 404
        assert client.get(f"/imports/{run_id}/status").status_code == 404


def test_a_refusal_applies_nothing_and_says_why_on_the_upload_page(app, login_as, world):
    run_id = _waiting_run(app, world)

    def refuse(run):
        db.session.get(Subproject, world["a"]).name = "Half verwerkt"
        db.session.flush()
        raise Refused("Het programma is gewijzigd sinds je controle.")

    with app.app_context():
        run_job(run_id, import_job.KIND, refuse)
        assert db.session.get(Subproject, world["a"]).name != "Half verwerkt"
        run = db.session.get(ImportRun, run_id)
        assert run.failed and run.payload == ""  # the file's contents are not kept
    client = login_as("manager")
    back = client.get(f"/imports/{run_id}")
    assert back.headers["Location"] == f"/setup/programmes/{world['programme_id']}/import"
    assert "gewijzigd sinds je controle" in client.get(back.headers["Location"]).text


def test_a_failing_job_applies_nothing_and_says_so(app, login_as, world):
    run_id = _waiting_run(app, world)

    def fail(run):
        raise RuntimeError("disk full")

    with app.app_context():
        run_job(run_id, import_job.KIND, fail)
        message = db.session.get(ImportRun, run_id).message
    assert "Er is niets verwerkt: er ging bij ons iets mis." in message
    assert "disk full" not in message


def test_a_forged_preview_in_the_queue_is_refused_by_the_job(app, login_as, world):
    run_id = _waiting_run(app, world)
    with app.app_context():
        import_job.apply_plan(run_id)
        run = db.session.get(ImportRun, run_id)
        assert run.failed and "verlopen of gewijzigd" in run.message


def test_a_run_that_waits_too_long_says_so(app, login_as, world):
    run_id = _waiting_run(app, world, age=timedelta(hours=2))
    client = login_as("manager")
    page = client.get(f"/imports/{run_id}")
    assert "achtergrondtaken" in page.text and "data-progress-url" not in page.text
    assert f'href="/setup/programmes/{world["programme_id"]}/import"' in page.text
    assert client.get(f"/imports/{run_id}/status").get_json()["failed"] is True


def test_the_job_speaks_the_users_language_and_audits_under_their_name(app, login_as, world):
    client = login_as("manager")
    client.post("/language/en", data={"next": "/"})
    body = _upload(
        client, world["programme_id"], _bytes(_plan(_template(client, world["programme_id"])))
    ).text
    confirmed = client.post(
        f"/setup/programmes/{world['programme_id']}/import/apply", data={"payload": _payload(body)}
    )
    done = through_import_job(client, confirmed)
    assert "6 rows of the plan of action applied." in client.get(done.headers["Location"]).text
    with app.app_context():
        manager = db.session.scalar(select(User.id).where(User.role == "manager"))
        new = db.session.scalar(select(Subproject.id).where(Subproject.code == "C"))
        entry = db.session.scalar(
            select(AuditEntry).where(AuditEntry.entity == "Subproject", AuditEntry.entity_id == new)
        )
        assert entry.action == "create" and entry.user_id == manager


def test_a_job_outside_any_request_writes_in_the_users_language(app, world):
    """As in the consumer: an app context and nothing else."""
    from flask_babel import gettext

    run_id = _waiting_run(app, world)
    with app.app_context():
        db.session.get(ImportRun, run_id).locale = "en"
        db.session.commit()
    with app.app_context():
        run_job(run_id, import_job.KIND, lambda run: (0, gettext("Nothing was applied.")))
    with app.app_context():
        assert db.session.get(ImportRun, run_id).message == "Nothing was applied."


def test_runs_older_than_thirty_days_are_pruned_every_night(app, login_as, world):
    from tracker.imports import services
    from tracker.jobs import registered

    old = _waiting_run(app, world, age=timedelta(days=31))
    recent = _waiting_run(app, world, age=timedelta(days=29))
    with app.app_context():
        services.prune_import_runs()
        left = set(db.session.scalars(select(ImportRun.id)))
    assert recent in left and old not in left
    assert login_as("manager").get(f"/imports/{old}").status_code == 404
    assert services.prune_import_runs.options["periodic"] is not None
    assert services.prune_import_runs in registered()
