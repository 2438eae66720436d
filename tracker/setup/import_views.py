"""Importing a plan of action from the workbook: the template, the upload with its preview of
every change and error, and applying it in one transaction, the way the quarter upload works
(its container check, forms and signed preview are reused). Routes of the set-up blueprint."""

from __future__ import annotations

import io
from dataclasses import asdict

from flask import abort, flash, redirect, render_template, send_file, url_for
from flask_login import current_user, login_required

from tracker.auth.permissions import require_programme_manager
from tracker.extensions import db
from tracker.i18n import gettext as _
from tracker.imports import services as imports
from tracker.indicators import excel
from tracker.indicators import upload as signed
from tracker.indicators.forms import ConfirmUploadForm, UploadForm
from tracker.projects.models import Programme
from tracker.setup import import_job, plan_import, queries, workbook
from tracker.setup.views import _require_live, bp

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _programme(programme_id: int) -> Programme:
    programme = db.get_or_404(Programme, programme_id)
    require_programme_manager()
    _require_live(programme)
    return programme


def _municipality_names() -> list[str]:
    return [m.name for m in queries.all_municipalities()]


def _scope(programme: Programme) -> dict:
    return import_job.scope(current_user.id, programme.id)


@bp.route("/programmes/<int:programme_id>/import/template.xlsx")
@login_required
def plan_template(programme_id: int):
    _programme(programme_id)
    return send_file(
        io.BytesIO(workbook.build_template(_municipality_names())),
        mimetype=XLSX,
        as_attachment=True,
        download_name="plan-van-aanpak.xlsx",
    )


@bp.route("/programmes/<int:programme_id>/import", methods=["GET", "POST"])
@login_required
def plan_import_page(programme_id: int):
    programme = _programme(programme_id)
    form = UploadForm()
    context = {"programme": programme, "form": form}
    if not form.validate_on_submit():
        return render_template("setup/import.html", **context), 400 if form.errors else 200
    upload = form.file.data
    content = upload.stream.read(excel.MAX_BYTES + 1)
    try:
        excel.check_container(content, upload.filename or "")
        rows = workbook.read(content, _municipality_names())
    except excel.UploadRefused as refusal:
        form.file.errors.append(str(refusal))
        flash(_("Nothing was applied."), "error")
        return render_template("setup/import.html", **context), 400
    plan = plan_import.make_plan(queries.plan_context(programme.id), rows)
    confirm = None
    if not plan.errors and plan.changes:
        token = signed.sign_for(
            _scope(programme),
            {
                "rows": {k: [asdict(r) for r in v] for k, v in rows.items()},
                "plan": plan.fingerprint(),
            },
        )
        if len(token) > signed.MAX_TOKEN_CHARS:
            form.file.errors.append(
                _("The file holds too much text to confirm at once: split it into parts.")
            )
            return render_template("setup/import.html", **context), 400
        confirm = ConfirmUploadForm(formdata=None, payload=token)
    return render_template(
        "setup/import_preview.html",
        plan=plan,
        confirm=confirm,
        sheets=list(workbook.SHEETS),
        **context,
    ), 400 if plan.errors else 200


@bp.route("/programmes/<int:programme_id>/import/apply", methods=["POST"])
@login_required
def plan_import_apply(programme_id: int):
    """Queue the confirmed preview to be applied (:mod:`tracker.setup.import_job`) and follow
    it; a forged or expired confirmation is refused at once."""
    programme = _programme(programme_id)
    form = ConfirmUploadForm()
    upload_page = url_for("setup.plan_import_page", programme_id=programme.id)
    if not form.validate_on_submit():
        abort(400)
    try:
        payload = signed.verify_for(form.payload.data, _scope(programme))
    except signed.PayloadRefused:
        flash(_("The preview expired or was altered. Upload the file again."), "error")
        return redirect(upload_page), 303
    run_id = imports.start(
        import_job.apply_plan,
        import_job.KIND,
        programme.id,
        payload,
        done_url=url_for("setup.programme", programme_id=programme.id),
        retry_url=upload_page,
    )
    return redirect(url_for("imports.progress", run_id=run_id)), 303
