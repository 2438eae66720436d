"""Recording an upload to apply, running the feature's job for it, and its outcome."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import timedelta

from flask import current_app, g
from flask_babel import force_locale
from flask_login import current_user
from huey import crontab
from sqlalchemy import delete

from tracker import sqlite
from tracker.audit.recorder import acting_user
from tracker.extensions import db
from tracker.i18n import gettext as _
from tracker.i18n import locale_name
from tracker.imports.models import ImportRun
from tracker.jobs import Job, job
from tracker.timeutil import utcnow

logger = logging.getLogger(__name__)

# How long a run's outcome stays after it was confirmed: its progress page goes with it.
KEEP_DAYS = 30


class Refused(Exception):
    """Nothing may be applied, for the reason the user reads (in their language)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def start(job: Job, kind: str, target_id: int, payload, done_url: str, retry_url: str) -> int:
    """Record the confirmed upload (``payload``: the preview's rows as its signature vouched
    for them, kept as JSON) and queue ``job`` for it; the id of its run. Committed before the
    job is queued: a consumer may start on it at once."""
    run = ImportRun(
        kind=kind,
        target_id=target_id,
        user_id=current_user.id,
        locale=locale_name(),
        payload=json.dumps(payload),
        done_url=done_url,
        retry_url=retry_url,
    )
    db.session.add(run)
    db.session.flush()
    run_id = run.id
    db.session.commit()
    job.enqueue(run_id)
    return run_id


def run_job(run_id: int, kind: str, apply: Callable[[ImportRun], tuple[int, str]]) -> None:
    """The body of a feature's job: ``apply(run)`` applies the upload of a waiting run of
    ``kind`` and returns how many rows it applied and the message that says so, or raises
    :class:`Refused`. The changes and the outcome are committed together, in the language and
    under the name of the user who confirmed; a refusal or a failure applies nothing."""
    run = db.session.get(ImportRun, run_id)
    if run is None or run.kind != kind or run.finished_at is not None:
        return
    user_id, locale = run.user_id, run.locale
    db.session.commit()  # the write below begins its own transaction, with the writer lock
    # flask-babel's force_locale does nothing while flask.g is empty, as in a job's app context
    g.import_run = run_id
    with force_locale(locale):
        try:
            with sqlite.writing(), acting_user(user_id):
                run = db.session.get(ImportRun, run_id)
                applied, message = apply(run)
                _record(run, message, applied=applied)
                db.session.commit()
        except Refused as refusal:
            db.session.rollback()
            finish(run_id, refusal.message)
        except Exception:
            db.session.rollback()
            logger.exception("applying upload %s (%s) failed", run_id, kind)
            finish(
                run_id,
                _("Nothing was applied: something went wrong on our side.")
                + " "
                + _("Upload the file again; if that fails too, tell the application manager."),
            )


def payload_of(run: ImportRun):
    """The preview the run applies, or :class:`Refused` when it cannot be read."""
    try:
        return json.loads(run.payload)
    except ValueError as unreadable:
        raise Refused(
            _("The preview expired or was altered. Upload the file again.")
        ) from unreadable


def finish(run_id: int, message: str) -> None:
    """Record that nothing was applied, and why."""
    with sqlite.writing():
        run = db.session.get(ImportRun, run_id)
        if run is not None and run.finished_at is None:
            _record(run, message, failed=True)
        db.session.commit()


def _record(run: ImportRun, message: str, applied: int | None = None, failed: bool = False):
    run.finished_at = utcnow()
    run.message = message
    run.applied = applied
    run.failed = failed
    run.payload = ""  # the preview is spent: it holds the file's contents


def lost(run: ImportRun) -> bool:
    """Waiting longer than any job may take: its consumer stopped, or none runs."""
    timeout = timedelta(minutes=current_app.config["JOB_TIMEOUT_MINUTES"])
    return run.finished_at is None and utcnow() - run.requested_at > timeout


def prune(before) -> int:
    """Delete the runs confirmed before ``before``; how many went."""
    with sqlite.writing():
        removed = db.session.execute(
            delete(ImportRun).where(ImportRun.requested_at < before)
        ).rowcount
        db.session.commit()
    return removed


@job(periodic=crontab(minute="30", hour="3"))
def prune_import_runs() -> None:
    """Every night at 03:30 UTC wherever a consumer runs: the runs of more than
    :data:`KEEP_DAYS` days ago go; their rows are emptied already, this keeps the table small."""
    removed = prune(utcnow() - timedelta(days=KEEP_DAYS))
    logger.info("import runs: %d older than %d days removed", removed, KEEP_DAYS)
