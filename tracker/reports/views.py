"""Quarterly reports (PDF), closing and reopening a quarter, and the exports."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy import select

from tracker import timeutil
from tracker.auth.permissions import can_manage_programme, roles_required
from tracker.errors import render_error
from tracker.extensions import db
from tracker.i18n import gettext as _
from tracker.i18n import ngettext
from tracker.projects import current
from tracker.projects import queries as project_queries
from tracker.projects.models import Programme, Subproject
from tracker.quarters import Quarter, quarter_range
from tracker.quarters.display import quarter_text
from tracker.quarters.lock import closed_quarter, closed_quarters
from tracker.quarters.models import ClosedQuarter
from tracker.quarters.urls import NoSuchQuarter
from tracker.reports import closing, exports, pdf, snapshot, steering_pack, store
from tracker.reports.forms import ClosingForm, ReopenForm
from tracker.reports.models import BUILDING, FAILED, READY, StoredReport
from tracker.security_events import recorder as security_log
from tracker.security_events.kinds import Kind, Outcome
from tracker.setup.rules import is_reporting_quarter
from tracker.steering import queries as steering_queries
from tracker.steering.models import Meeting

bp = Blueprint("reports", __name__)

READ_ROLES = ("admin", "manager", "steering")
MANAGE_ROLES = ("admin", "manager")


# --- Parsing -------------------------------------------------------------------------------------


def _programme(programme_id: int) -> Programme:
    return db.get_or_404(Programme, programme_id)


def reportable_quarters(programme: Programme) -> list[Quarter]:
    """From the programme's first quarter to the current one (not past its end)."""
    last = min(Quarter.of(timeutil.today()), Quarter.of(programme.end_date))
    return quarter_range(Quarter.of(programme.start_date), last)


def _reportable(programme: Programme, quarter: Quarter) -> Quarter:
    if quarter not in reportable_quarters(programme):
        raise NoSuchQuarter(
            _(
                "There is no report for %(quarter)s: the programme runs from %(first)s and "
                "reports are made up to the current quarter.",
                quarter=quarter_text(quarter),
                first=quarter_text(Quarter.of(programme.start_date)),
            )
        )
    return quarter


def _subproject(programme: Programme, subproject_id: int) -> Subproject:
    subproject = db.session.get(Subproject, subproject_id)
    if subproject is None or subproject.programme_id != programme.id:
        abort(404)
    return subproject


def _snapshot(programme: Programme, quarter: Quarter) -> tuple[dict, ClosedQuarter | None]:
    archived = closed_quarter(programme.id, quarter)
    if archived is not None:
        return archived.snapshot, archived
    return snapshot.collect(programme.id, quarter), None


def _download(body: bytes, mimetype: str, filename: str) -> Response:
    security_log.record_now(Kind.REPORT_DOWNLOADED, Outcome.SUCCESS, detail=filename)
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


# --- Pages ---------------------------------------------------------------------------------------


@bp.route("/reports")
@roles_required(*READ_ROLES)
def reports_home():
    programme = current.current_programme()
    if programme is None:
        return redirect(url_for("projects.overview"))
    return redirect(url_for("reports.index", programme_id=programme.id))


@bp.route("/reports/<int:programme_id>")
@roles_required(*READ_ROLES)
def index(programme_id: int):
    programme = _programme(programme_id)
    current.remember(programme.id)
    closed = closed_quarters(programme.id)
    underway = closing.closings_underway(programme.id)
    today = timeutil.today()
    quarters = list(reversed(reportable_quarters(programme)))
    subprojects = db.session.scalars(
        select(Subproject)
        .where(Subproject.programme_id == programme.id, Subproject.archived_at.is_(None))
        .order_by(Subproject.code)
    ).all()
    return render_template(
        "reports/index.html",
        programme=programme,
        programmes=project_queries.live_programmes(),
        quarters=quarters,
        reporting={q for q in quarters if is_reporting_quarter(programme.reporting_frequency, q)},
        closed=closed,
        closings={q: closing.closing_of(row) for q, row in closed.items()},
        withdrawn=closing.withdrawn_reports(programme.id),
        underway=underway,
        follow_closing=any(underway.values()),
        subprojects=subprojects,
        today=today,
        can_manage=can_manage_programme(current_user),
    )


@bp.route("/reports/<int:programme_id>/<quarter:quarter>.pdf")
@roles_required(*READ_ROLES)
def programme_pdf(programme_id: int, quarter: Quarter):
    programme = _programme(programme_id)
    period = _reportable(programme, quarter)
    filename = pdf.file_name(period)
    archived = closed_quarter(programme.id, period)
    if archived is not None:
        response = _download(archived.pdf, "application/pdf", filename)
        response.headers["X-Report-SHA256"] = archived.pdf_sha256
        return response
    return _deliver(store.concept(programme.id, period), filename)


@bp.route("/reports/<int:programme_id>/subprojects/<int:subproject_id>/<quarter:quarter>.pdf")
@roles_required(*READ_ROLES)
def subproject_pdf(programme_id: int, subproject_id: int, quarter: Quarter):
    """A closed quarter's subproject report is made from the archived snapshot at its first
    download and archived too, so it never changes afterwards either."""
    programme = _programme(programme_id)
    subproject = _subproject(programme, subproject_id)
    period = _reportable(programme, quarter)
    filename = pdf.file_name(period, subproject.code)
    archived = closed_quarter(programme.id, period)
    if archived is None:
        return _deliver(store.concept(programme.id, period, subproject.id), filename)
    try:
        stored = closing.stored_subproject_pdf(archived, subproject.id)
    except closing.NotInArchive:
        return _not_in_archive(subproject, period)
    if stored is None:
        return _deliver(store.final(archived, subproject.id), filename)
    body, digest = stored
    response = _download(body, "application/pdf", filename)
    response.headers["X-Report-SHA256"] = digest
    return response


@bp.route("/meetings/<int:meeting_id>/steering-pack.pdf")
@roles_required(*READ_ROLES)
def steering_pack_pdf(meeting_id: int):
    """A meeting's steering pack, built once per state of its data like the quarterly reports."""
    meeting = db.get_or_404(Meeting, meeting_id)
    return _deliver(store.pack(meeting.id), steering_pack.file_name(meeting))


def _deliver(wanted: store.Wanted, filename: str):
    """The stored PDF at once, or a page that follows the job building it: no request waits
    for WeasyPrint."""
    try:
        report = store.request(wanted, current_user.id)
    except store.TooManyJobs as busy:
        return render_error(
            429,
            ngettext(
                "You are already waiting for %(num)d report. Download it when it is ready, "
                "then ask for the next one.",
                "You are already waiting for %(num)d reports. Download them when they are "
                "ready, then ask for the next one.",
                busy.limit,
            ),
        )
    here = request.full_path.rstrip("?")
    if report is None:  # replaced by a build of newer data meanwhile: ask again
        return redirect(here), 303
    if report.status == READY:
        return _download_build(report, filename)
    return _building_page(report, filename, again_url=here)


def _download_build(report: StoredReport, filename: str) -> Response:
    # read before the download is logged: that commit expires the row
    sealed = report.pdf_sha256 if report.variant == pdf.FINAL else None
    response = _download(report.pdf, "application/pdf", filename)
    if sealed:  # archived too, by the job that built it
        response.headers["X-Report-SHA256"] = sealed
    return response


def _building_page(report: StoredReport, filename: str, again_url: str):
    return render_template(
        "reports/building.html",
        report=report,
        filename=filename,
        download_url=url_for("reports.build_download", report_id=report.id),
        again_url=again_url,
        failed=report.status == FAILED,
        status=build_status_text(report),
    ), (200 if report.status == FAILED else 202)


def build_status_text(report) -> str:
    if report is None:
        return _("The data changed while the report was being made. Ask for it again.")
    if report.status == READY:
        return _("The report is ready.")
    if report.status == FAILED:
        return _(
            "The report could not be made. Ask for it again; if that fails too, tell the "
            "application manager."
        )
    if report.status == BUILDING:
        return _("The report is being made. A large report takes up to a minute.")
    return _("The report is waiting for its turn.")


@bp.route("/reports/builds/<int:report_id>")
@roles_required(*READ_ROLES)
def build_status(report_id: int):
    """How far the job building a report is, for the page that waits for it."""
    report = db.session.get(StoredReport, report_id)
    done = report is None or report.status in (READY, FAILED)
    failed = report is None or report.status == FAILED
    return jsonify(done=done, failed=failed, message=build_status_text(report))


@bp.route("/reports/builds/<int:report_id>.pdf")
@roles_required(*READ_ROLES)
def build_download(report_id: int):
    """The very build a progress page followed, even when newer data were saved since it was
    asked for: the user gets the data as they were when they asked, or newer."""
    report = db.session.get(StoredReport, report_id)
    if report is None:
        return render_error(
            404,
            _(
                "This report is no longer kept: a report of newer data replaced it. Ask for the "
                "report again on the reports page."
            ),
        )
    filename, again_url = _build_names(report)
    if report.status == READY:
        return _download_build(report, filename)
    return _building_page(report, filename, again_url)


def _build_names(report: StoredReport) -> tuple[str, str]:
    """The file name of a build and the address that asks for its report anew."""
    quarter = Quarter.parse(report.quarter)
    if report.meeting_id is not None:
        meeting = db.session.get(Meeting, report.meeting_id)
        url = url_for("reports.steering_pack_pdf", meeting_id=report.meeting_id)
        return steering_pack.file_name(meeting), url
    if report.subproject_id is not None:
        subproject = db.session.get(Subproject, report.subproject_id)
        url = url_for(
            "reports.subproject_pdf",
            programme_id=report.programme_id,
            subproject_id=subproject.id,
            quarter=quarter,
        )
        return pdf.file_name(quarter, subproject.code), url
    url = url_for("reports.programme_pdf", programme_id=report.programme_id, quarter=quarter)
    return pdf.file_name(quarter), url


def _not_in_archive(subproject: Subproject, period: Quarter):
    return render_error(
        404,
        _(
            "%(quarter)s was closed before subproject %(code)s was added, so the archived "
            "report of that quarter does not include it. Choose a later quarter.",
            quarter=quarter_text(period),
            code=subproject.code,
        ),
    )


@bp.route("/reports/<int:programme_id>/<quarter:quarter>/close", methods=["GET", "POST"])
@roles_required(*MANAGE_ROLES)
def close(programme_id: int, quarter: Quarter):
    """A confirmation page on which the manager names the steering group's decision that
    approved the report; the closing job is queued only on its POST."""
    programme = _programme(programme_id)
    period = _reportable(programme, quarter)
    back = redirect(url_for("reports.index", programme_id=programme.id)), 303
    refusal = _cannot_close(programme, period)
    if refusal:
        flash(refusal, "error")
        return back
    candidates = steering_queries.approval_decisions(programme.id, period.end, timeutil.today())
    form = ClosingForm(candidates)
    if form.validate_on_submit():
        try:
            closing.request_closing(programme.id, period, current_user, form.chosen["id"])
        except closing.AlreadyClosed:
            flash(_("%(quarter)s was already closed.", quarter=quarter_text(period)), "error")
            return back
        except closing.ClosingUnderway:
            flash(_("%(quarter)s is already being closed.", quarter=quarter_text(period)), "error")
            return back
        _flash_closed(programme, period)
        return back
    return render_template(
        "reports/close.html",
        form=form,
        programme=programme,
        quarter=period,
        candidates=candidates,
        version=closing.next_version(programme.id, period),
        decision_log_url=decision_log_url(programme),
    ), (400 if form.errors else 200)


def decision_log_url(programme: Programme) -> str:
    """Where the steering group's meetings and their decisions are recorded."""
    return url_for("steering.meetings", programme_id=programme.id)


def _cannot_close(programme: Programme, period: Quarter) -> str | None:
    """Why the quarter cannot be closed now, or None."""
    if period.end >= timeutil.today():
        return _(
            "%(quarter)s has not ended yet; a quarter can be closed once it is over.",
            quarter=quarter_text(period),
        )
    if closed_quarter(programme.id, period) is not None:
        return _("%(quarter)s was already closed.", quarter=quarter_text(period))
    pending = closing.closing_underway(programme.id, period)
    if pending is not None and closing.is_running(pending):
        return _("%(quarter)s is already being closed.", quarter=quarter_text(period))
    return None


def _flash_closed(programme: Programme, period: Quarter) -> None:
    row = closed_quarter(programme.id, period)
    if row is None:
        flash(
            _(
                "%(quarter)s is being closed: its final report is being made. This page shows "
                "when it is done.",
                quarter=quarter_text(period),
            ),
            "info",
        )
        return
    flash(
        _(
            "%(quarter)s is closed. Its report is archived (SHA-256 %(hash)s…) and its data can "
            "no longer be changed.",
            quarter=quarter_text(period),
            hash=row.pdf_sha256[:12],
        ),
        "success",
    )


@bp.route("/reports/<int:programme_id>/<quarter:quarter>/closing")
@roles_required(*READ_ROLES)
def closing_status(programme_id: int, quarter: Quarter):
    """Whether the quarter's closing job is still running, for the reports page."""
    programme = _programme(programme_id)
    period = _reportable(programme, quarter)
    pending = closing.closing_underway(programme.id, period)
    running = pending is not None and closing.is_running(pending)
    if running:
        message = _("%(quarter)s is being closed.", quarter=quarter_text(period))
    elif pending is not None:
        message = _("Closing %(quarter)s failed.", quarter=quarter_text(period))
    else:
        message = _("%(quarter)s is closed.", quarter=quarter_text(period))
    return jsonify(done=not running, failed=pending is not None and not running, message=message)


@bp.route("/reports/<int:programme_id>/<quarter:quarter>/reopen", methods=["GET", "POST"])
@roles_required(*MANAGE_ROLES)
def reopen(programme_id: int, quarter: Quarter):
    """A confirmation page that asks for the reason; reopening happens only on its POST."""
    programme = _programme(programme_id)
    period = _reportable(programme, quarter)
    archived = closed_quarter(programme.id, period)
    if archived is None:
        return _not_closed(programme, period)
    form = ReopenForm()
    if form.validate_on_submit():
        try:
            closing.reopen_quarter(programme.id, period, current_user, form.reason.data.strip())
        except closing.NotClosed:  # reopened by someone else meanwhile
            return _not_closed(programme, period)
        flash(
            _(
                "%(quarter)s is reopened: its archived report is withdrawn (this is recorded in "
                "the audit trail) and its data can be corrected.",
                quarter=quarter_text(period),
            ),
            "success",
        )
        return redirect(url_for("reports.index", programme_id=programme.id)), 303
    return render_template(
        "reports/reopen.html",
        form=form,
        programme=programme,
        quarter=quarter_text(period),
        archived=archived,
        closed=closing.closing_of(archived),
    ), (400 if form.errors else 200)


@bp.route("/reports/<int:programme_id>/<quarter:quarter>/versions/<int:report_version>.pdf")
@roles_required(*READ_ROLES)
def withdrawn_pdf(programme_id: int, quarter: Quarter, report_version: int):
    """An approved report withdrawn by reopening its quarter, as it was archived."""
    programme = _programme(programme_id)
    period = _reportable(programme, quarter)
    row = closing.withdrawn_report(programme.id, period, report_version)
    if row is None:
        return render_error(
            404,
            _(
                "%(quarter)s has no withdrawn report version %(version)s. The reports page lists "
                "the versions there are.",
                quarter=period,
                version=report_version,
            ),
        )
    response = _download(row.pdf, "application/pdf", pdf.withdrawn_file_name(period, row))
    response.headers["X-Report-SHA256"] = row.pdf_sha256
    return response


def _not_closed(programme: Programme, period: Quarter):
    flash(_("%(quarter)s is not closed.", quarter=quarter_text(period)), "error")
    return redirect(url_for("reports.index", programme_id=programme.id)), 303


# --- Exports -----------------------------------------------------------------------------------

FORMATS = {
    "xlsx": (exports.xlsx, exports.XLSX_MIME, "xlsx"),
    "csv": (exports.csv_zip, "application/zip", "csv.zip"),
}


def _export(programme: Programme, period: Quarter, fmt: str, subproject: Subproject | None):
    if fmt not in FORMATS:
        abort(404)
    make, mimetype, extension = FORMATS[fmt]
    data, archived = _snapshot(programme, period)
    if archived and subproject and subproject.id not in snapshot.subproject_ids(data):
        return _not_in_archive(subproject, period)
    seal = archived.pdf_sha256 if archived else None
    body = make(data, subproject.id if subproject else None, seal)
    suffix = f"-{pdf._safe(subproject.code)}" if subproject else ""
    return _download(body, mimetype, f"export-{period}{suffix}.{extension}")


@bp.route("/exports/<int:programme_id>/<quarter:quarter>.<fmt>")
@roles_required(*READ_ROLES)
def programme_export(programme_id: int, quarter: Quarter, fmt: str):
    programme = _programme(programme_id)
    return _export(programme, _reportable(programme, quarter), fmt, None)


@bp.route("/exports/<int:programme_id>/subprojects/<int:subproject_id>/<quarter:quarter>.<fmt>")
@roles_required(*READ_ROLES)
def subproject_export(programme_id: int, subproject_id: int, quarter: Quarter, fmt: str):
    programme = _programme(programme_id)
    subproject = _subproject(programme, subproject_id)
    return _export(programme, _reportable(programme, quarter), fmt, subproject)
