"""The page a user follows while their upload is applied, and its status for the page's
script (``static/js/progress.js``)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, url_for
from flask_login import current_user, login_required

from tracker.extensions import db
from tracker.i18n import gettext as _
from tracker.imports.models import ImportRun
from tracker.imports.services import lost

bp = Blueprint("imports", __name__)


def _own_run(run_id: int) -> ImportRun:
    """The run, to the user who confirmed it only."""
    run = db.session.get(ImportRun, run_id)
    if run is None or run.user_id != current_user.id:
        abort(404)
    return run


def _waiting_text(run: ImportRun) -> str:
    if lost(run):
        return _(
            "Applying the file takes longer than it should: the background jobs may not be "
            "running. Tell the application manager, then upload the file again."
        )
    return _("The file is being applied. A large file takes up to a minute.")


@bp.route("/imports/<int:run_id>")
@login_required
def progress(run_id: int):
    """While the job runs: a page that follows it. Then on to where the confirmation led
    before, with the job's message: the applied records, or the upload page when nothing was
    applied."""
    run = _own_run(run_id)
    if run.finished_at is None:
        return render_template(
            "imports/progress.html",
            run=run,
            status=_waiting_text(run),
            lost=lost(run),
        ), 202
    flash(run.message, "error" if run.failed else "success")
    return redirect(run.retry_url if run.failed else run.done_url)


@bp.route("/imports/<int:run_id>/status")
@login_required
def status(run_id: int):
    run = _own_run(run_id)
    done = run.finished_at is not None
    return jsonify(
        done=done,
        failed=run.failed if done else lost(run),
        message=run.message if done else _waiting_text(run),
        url=url_for("imports.progress", run_id=run.id),
    )
