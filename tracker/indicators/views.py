from __future__ import annotations

import io

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

from tracker import tables
from tracker.auth.permissions import (
    can_edit_subproject,
    can_manage_programme,
    require_live_subproject,
    require_programme_manager,
    require_subproject_editor,
)
from tracker.editing import Invalid, delete_record, save_form
from tracker.errors import refuse, render_error
from tracker.events import queries as event_queries
from tracker.events import services as event_services
from tracker.extensions import db
from tracker.i18n import _missing, ngettext
from tracker.i18n import gettext as _
from tracker.i18n import lazy_gettext as _l
from tracker.indicators import excel, services
from tracker.indicators import programme_quarter as programme_quarter_service
from tracker.indicators import queries as indicator_queries
from tracker.indicators import upload as upload_payload
from tracker.indicators.forms import (
    ConfirmUploadForm,
    IndicatorForm,
    MeasurementForm,
    ProgrammeIndicatorForm,
    UploadForm,
)
from tracker.indicators.models import Indicator, Measurement
from tracker.projects.models import Municipality, Programme, Subproject
from tracker.quarters import Quarter
from tracker.quarters.display import quarter_text
from tracker.quarters.lock import QuarterClosed, closed_quarters, closure
from tracker.season import services as season_services

bp = Blueprint("indicators", __name__)

UPLOAD_CHANGE_LABELS = {
    "new": _l("new value"),
    "changed": _l("changed"),
    "unchanged": _l("unchanged"),
    "empty": _l("no value: stays as it is"),
}


@bp.app_context_processor
def inject_upload_labels():
    return {"UPLOAD_CHANGE_LABELS": UPLOAD_CHANGE_LABELS}


def _back(subproject_id: int) -> str:
    return url_for("projects.subproject", subproject_id=subproject_id, _anchor="indicators")


def _page(indicator_id: int) -> str:
    return url_for("indicators.indicator", indicator_id=indicator_id)


def _subproject_indicator(indicator_id: int) -> Indicator:
    """Only subproject indicators are measured by leads; the programme's own have no subproject."""
    indicator = db.get_or_404(Indicator, indicator_id)
    if indicator.subproject_id is None:
        abort(404)
    return indicator


def _owner_page(indicator: Indicator) -> str:
    """Where an indicator is listed: its subproject's page, or its programme's set-up page."""
    if indicator.subproject_id is None:
        return url_for("setup.programme", programme_id=indicator.programme_id, _anchor="indicators")
    return _back(indicator.subproject_id)


def _require_measurer(indicator: Indicator) -> None:
    """Who may enter an indicator's values: its subproject's editors, or for the programme's own
    indicators the programme manager; nobody types a computed one's."""
    if indicator.subproject_id is not None:
        require_subproject_editor(indicator.subproject_id)
        return
    require_programme_manager()
    if indicator.programme.archived_at is not None:
        refuse(
            409,
            _("Archived"),
            _("This programme is archived: it can be read, not changed. Restore it first."),
        )
    if indicator.computed:
        refuse(
            409,
            _("Computed indicator"),
            _(
                "This indicator is computed from subproject indicators, so its values cannot "
                "be typed. Change the subproject indicators' values, or the indicator's rule."
            ),
        )


@bp.route("/indicators/<int:indicator_id>")
@login_required
def indicator(indicator_id: int):
    from tracker import timeutil

    indicator = db.get_or_404(Indicator, indicator_id)
    quarter = Quarter.of(timeutil.today())
    if indicator.subproject_id is None:
        rows = indicator_queries.programme_indicators(indicator.programme_id, quarter)
        can_edit = can_manage_programme(current_user) and not indicator.computed
    else:
        rows = indicator_queries.indicators(
            indicator.programme_id, quarter, [indicator.subproject_id]
        )
        can_edit = can_edit_subproject(current_user, indicator.subproject_id)
    row = tables.records(rows[rows["id"] == indicator.id])[0]
    measurements = db.session.scalars(
        select(Measurement)
        .where(Measurement.indicator_id == indicator.id)
        .options(joinedload(Measurement.entered_by))
        .order_by(Measurement.period.desc())
    ).all()
    # the quarters whose values this viewer cannot change: closed, or approved for a lead
    closed = set(closed_quarters(indicator.programme_id))
    if indicator.subproject_id is not None and can_edit:
        closed |= season_services.read_only_quarters(current_user, indicator.subproject_id)
    computed = None
    if indicator.computed:
        made = indicator_queries.computed(
            indicator_queries.Scope.of_indicators([indicator.id]), quarter
        )
        computed = list(reversed(made[indicator.id].values)) if indicator.id in made else []
    return render_template(
        "indicators/indicator.html",
        indicator=indicator,
        quarter=quarter,
        row=row,
        measurements=measurements,
        computed=computed,
        sources=services.sources_of(indicator) if indicator.computed else [],
        counted_events=event_queries.counted_by_quarter(indicator) if indicator.counted else {},
        closed=closed,
        # a quarter without a count yet can be given a value only through an adjustment
        can_adjust_now=indicator.counted
        and can_edit
        and str(quarter) not in closed
        and all(m.period != str(quarter) for m in measurements),
        subproject=indicator.subproject,
        can_edit=can_edit,
        can_manage=can_manage_programme(current_user),
    )


@bp.route("/subprojects/<int:subproject_id>/indicators/new", methods=["GET", "POST"])
@login_required
def new_indicator(subproject_id: int):
    subproject = db.get_or_404(Subproject, subproject_id)
    require_programme_manager()
    require_live_subproject(subproject.id)
    return _indicator_form(subproject, None, _("New indicator"))


@bp.route("/indicators/<int:indicator_id>/edit", methods=["GET", "POST"])
@login_required
def edit_indicator(indicator_id: int):
    indicator = db.get_or_404(Indicator, indicator_id)
    require_programme_manager()
    if indicator.subproject_id is None:
        return programme_indicator_form(indicator.programme, indicator, _("Edit indicator"))
    require_live_subproject(indicator.subproject_id)
    return _indicator_form(indicator.subproject, indicator, _("Edit indicator"))


def _indicator_form(subproject: Subproject, indicator: Indicator | None, title: str):
    form = IndicatorForm(obj=indicator, municipalities=_municipalities())
    return save_form(
        form,
        indicator,
        "form_page.html",
        apply=lambda: _recounted(services.save_indicator(indicator, subproject, form.data)),
        success=_("Indicator saved."),
        redirect_to=lambda: _back(subproject.id),
        title=title,
        subproject=subproject,
        cancel_url=_back(subproject.id),
    )


def _municipalities() -> list[Municipality]:
    return list(db.session.scalars(select(Municipality).order_by(Municipality.name)))


def _recounted(indicator: Indicator) -> Indicator:
    """A counted indicator's values follow its events from the moment it is saved."""
    if indicator.counted:
        db.session.flush()
        event_services.refresh_indicator(indicator)
    return indicator


def programme_indicator_form(programme: Programme, indicator: Indicator | None, title: str):
    """The form of an indicator of the programme itself, with its roll-up rule."""
    if programme.archived_at is not None:
        abort(404)
    choices = services.source_choices(programme.id)
    form = ProgrammeIndicatorForm(obj=indicator, sources=choices, municipalities=_municipalities())
    if indicator is not None and not form.is_submitted():
        form.source_ids.data = [i.id for i in indicator.sources]
    saved: list[Indicator] = []

    def apply():
        chosen = set(form.source_ids.data or [])
        saved.append(
            _recounted(
                services.save_programme_indicator(
                    indicator, programme.id, form.data, [i for i in choices if i.id in chosen]
                )
            )
        )

    return save_form(
        form,
        indicator,
        "form_page.html",
        apply=apply,
        success=_("Indicator saved."),
        redirect_to=lambda: _page(saved[0].id),
        title=f"{title} · {programme.name}",
        cancel_url=url_for("setup.programme", programme_id=programme.id, _anchor="indicators"),
    )


@bp.route("/indicators/<int:indicator_id>/delete", methods=["GET", "POST"])
@login_required
def delete_indicator(indicator_id: int):
    indicator = db.get_or_404(Indicator, indicator_id)
    require_programme_manager()
    return delete_record(
        indicator,
        what=indicator.name,
        dependents=services.indicator_dependents(indicator),
        back_to=_page(indicator.id),
        success=_("Indicator deleted."),
        redirect_to=_owner_page(indicator),
        subproject=indicator.subproject,
    )


@bp.route("/indicators/<int:indicator_id>/measurements/new", methods=["GET", "POST"])
@login_required
def new_measurement(indicator_id: int):
    indicator = db.get_or_404(Indicator, indicator_id)
    _require_measurer(indicator)
    return _measurement_form(indicator, None, _("New measurement"))


@bp.route("/measurements/<int:measurement_id>/edit", methods=["GET", "POST"])
@login_required
def edit_measurement(measurement_id: int):
    measurement = db.get_or_404(Measurement, measurement_id)
    indicator = db.get_or_404(Indicator, measurement.indicator_id)
    _require_measurer(indicator)
    return _measurement_form(indicator, measurement, _("Edit measurement"))


def _measurement_form(indicator: Indicator, measurement: Measurement | None, title: str):
    if indicator.subproject_id is not None:
        if request.method == "POST":
            _refuse_approved_periods(indicator.subproject_id, measurement)
        elif measurement is not None:  # say so before anything is typed
            season_services.refuse_if_approved(
                current_user, indicator.subproject_id, Quarter.parse(measurement.period)
            )
    form = MeasurementForm(obj=measurement, unit=indicator.unit)
    return save_form(
        form,
        measurement,
        "form_page.html",
        apply=lambda: services.record_measurement(
            indicator.id,
            Quarter.parse(form.period.data),
            form.value.data,
            note=form.note.data,
            source=form.source.data,
            user_id=current_user.id,
            measurement=measurement,
        ),
        success=_("Measurement saved."),
        redirect_to=lambda: _page(indicator.id),
        title=f"{title}: {indicator.name}",
        subproject=indicator.subproject,
        cancel_url=_page(indicator.id),
    )


def _refuse_approved_periods(subproject_id: int, measurement: Measurement | None) -> None:
    """A lead changes no value of a quarter whose update was approved: not by this form either,
    neither the quarter typed nor, for a value moved, the quarter it comes from."""
    periods = [request.form.get("period", "")] + ([measurement.period] if measurement else [])
    for period in periods:
        try:
            quarter = Quarter.parse(period)
        except ValueError:
            continue  # the form says what is wrong with it
        season_services.refuse_if_approved(current_user, subproject_id, quarter)


# --- Excel round trip ------------------------------------------------------------------------


def _excel_context(subproject_id: int, quarter: Quarter) -> Subproject:
    """The subproject of an Excel route, after the permission check and the quarter's."""
    from tracker import timeutil

    subproject = db.get_or_404(Subproject, subproject_id)
    require_subproject_editor(subproject.id)
    if quarter > Quarter.of(timeutil.today()):
        abort(404)
    return subproject


def _quarter_values(subproject_id: int, quarter: Quarter) -> dict[int, Measurement]:
    return {
        m.indicator_id: m
        for m in db.session.scalars(
            select(Measurement)
            .join(Indicator, Indicator.id == Measurement.indicator_id)
            .where(Indicator.subproject_id == subproject_id, Measurement.period == str(quarter))
        )
    }


def _indicator_facts(subproject_id: int) -> dict[int, dict]:
    rows = db.session.execute(
        select(Indicator.id, Indicator.name, Indicator.unit, Indicator.counted_from).where(
            Indicator.subproject_id == subproject_id
        )
    )
    return {
        i: {"name": name, "unit": unit, "counted": counted is not None}
        for i, name, unit, counted in rows
    }


@bp.route("/subprojects/<int:subproject_id>/quarter/<quarter:quarter>/template.xlsx")
@login_required
def excel_template(subproject_id: int, quarter: Quarter):
    subproject = _excel_context(subproject_id, quarter)
    frame = indicator_queries.indicators(
        subproject.programme_id, quarter.previous(), [subproject.id]
    )
    current = _quarter_values(subproject.id, quarter)
    rows = []
    for row in frame.to_dict("records"):
        measurement = current.get(row["id"])
        rows.append(
            {
                **row,
                "latest_value": None if _missing(row["latest_value"]) else row["latest_value"],
                "latest_period": None if _missing(row["latest_period"]) else row["latest_period"],
                "current": measurement.value if measurement else None,
                "note": measurement.note if measurement else None,
            }
        )
    content = excel.build_template(subproject.code, quarter, rows)
    filename = f"{subproject.code}-{quarter}.xlsx".replace("/", "-")
    return send_file(
        io.BytesIO(content),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        as_attachment=True,
        download_name=filename,
    )


@bp.route(
    "/subprojects/<int:subproject_id>/quarter/<quarter:quarter>/upload", methods=["GET", "POST"]
)
@login_required
def excel_upload(subproject_id: int, quarter: Quarter):
    subproject = _excel_context(subproject_id, quarter)
    if request.method == "POST":
        season_services.refuse_if_approved(current_user, subproject.id, quarter)
    form = UploadForm()
    closed = closure(subproject.programme_id, quarter)
    context = {"subproject": subproject, "quarter": quarter, "form": form, "closed": closed}
    if not form.validate_on_submit():
        return render_template("indicators/upload.html", **context), 400 if form.errors else 200
    if context["closed"]:
        flash(_("Nothing was applied."), "error")
        return render_template("indicators/upload.html", **context), 409
    upload = form.file.data
    content = upload.stream.read(excel.MAX_BYTES + 1)
    try:
        excel.check_container(content, upload.filename or "")
        rows = excel.read_rows(content, quarter)
    except excel.UploadRefused as refusal:
        form.file.errors.append(str(refusal))
        flash(_("Nothing was applied."), "error")
        return render_template("indicators/upload.html", **context), 400
    existing = _quarter_values(subproject.id, quarter)
    preview = excel.validate(
        rows,
        _indicator_facts(subproject.id),
        {i: {"value": m.value, "note": m.note} for i, m in existing.items()},
    )
    confirm = None
    if not preview.errors and preview.changes:
        versions = {
            str(r.indicator_id): existing[r.indicator_id].version
            if r.indicator_id in existing
            else None
            for r in preview.changes
        }
        token = upload_payload.sign(
            current_user.id, subproject.id, str(quarter), preview.payload(), versions
        )
        if len(token) > upload_payload.MAX_TOKEN_CHARS:
            form.file.errors.append(
                _("The file holds too much text to confirm at once: split it into parts.")
            )
            return render_template("indicators/upload.html", **context), 400
        confirm = ConfirmUploadForm(formdata=None, payload=token)
    return render_template(
        "indicators/upload_preview.html", preview=preview, confirm=confirm, **context
    ), 400 if preview.errors else 200


@bp.route(
    "/subprojects/<int:subproject_id>/quarter/<quarter:quarter>/upload/apply", methods=["POST"]
)
@login_required
def excel_apply(subproject_id: int, quarter: Quarter):
    subproject = _excel_context(subproject_id, quarter)
    season_services.refuse_if_approved(current_user, subproject.id, quarter)
    form = ConfirmUploadForm()
    upload_page = url_for("indicators.excel_upload", subproject_id=subproject.id, quarter=quarter)
    if not form.validate_on_submit():
        abort(400)
    try:
        rows, versions = upload_payload.verify(
            form.payload.data, current_user.id, subproject.id, str(quarter)
        )
    except upload_payload.PayloadRefused:
        flash(_("The preview expired or was altered. Upload the file again."), "error")
        return redirect(upload_page), 303
    existing = _quarter_values(subproject.id, quarter)
    facts = _indicator_facts(subproject.id)
    changed = [
        r["indicator_id"]
        for r in rows
        if r["indicator_id"] not in facts
        or (existing[r["indicator_id"]].version if r["indicator_id"] in existing else None)
        != versions.get(r["indicator_id"])
    ]
    if changed:
        flash(
            _(
                "Values of this quarter changed since your preview. Nothing was applied: "
                "upload the file again to see the new preview."
            ),
            "error",
        )
        return redirect(upload_page), 303
    try:
        for row in rows:
            services.record_measurement(
                row["indicator_id"],
                quarter,
                row["value"],
                note=row["note"],
                source=existing[row["indicator_id"]].source
                if row["indicator_id"] in existing
                else "",
                user_id=current_user.id,
                measurement=existing.get(row["indicator_id"]),
            )
        db.session.commit()
    except QuarterClosed as refusal:
        db.session.rollback()
        flash(_("Nothing was applied.") + " " + refusal.message, "error")
        return redirect(upload_page), 303
    except (Invalid, IntegrityError, StaleDataError):
        db.session.rollback()
        flash(_("Values of this quarter changed at the same moment. Nothing was applied."), "error")
        return redirect(upload_page), 303
    flash(
        ngettext("%(num)d value saved from Excel.", "%(num)d values saved from Excel.", len(rows)),
        "success",
    )
    return redirect(url_for("projects.quarter_page", subproject_id=subproject.id, quarter=quarter))


# --- The programme's own indicators ----------------------------------------------------------


def _live_programme(programme_id: int) -> Programme:
    programme = db.get_or_404(Programme, programme_id)
    require_programme_manager()
    if programme.archived_at is not None:
        refuse(
            409,
            _("Archived"),
            _("This programme is archived: it can be read, not changed. Restore it first."),
        )
    return programme


@bp.route("/programmes/<int:programme_id>/indicators/new", methods=["GET", "POST"])
@login_required
def new_programme_indicator(programme_id: int):
    programme = _live_programme(programme_id)
    return programme_indicator_form(programme, None, _("New programme indicator"))


@bp.route("/programmes/<int:programme_id>/quarter")
@bp.route("/programmes/<int:programme_id>/quarter/<quarter:quarter>", methods=["GET", "POST"])
@login_required
def programme_quarter(programme_id: int, quarter: Quarter | None = None):
    """The programme's own indicators' values of one quarter; saved all or nothing."""
    from tracker import timeutil

    programme = _live_programme(programme_id)
    current = Quarter.of(timeutil.today())
    quarter = quarter or current
    if quarter > current:
        return render_error(404, _("This quarter has not begun yet."))
    records = programme_quarter_service.load(programme.id, quarter)
    form = programme_quarter_service.build_form(records)
    status = 200
    if form.validate_on_submit():
        stale = programme_quarter_service.stale_values(form, records)
        if stale:
            flash(
                _(
                    "Someone else saved part of this quarter while you were editing: "
                    "%(what)s. Nothing was saved; your input is kept. Check it, then save again.",
                    what="; ".join(stale),
                ),
                "error",
            )
            status = 409
        else:
            try:
                programme_quarter_service.save(form, records, quarter, current_user.id)
                db.session.commit()
            except QuarterClosed as refusal:
                db.session.rollback()
                flash(_("Nothing was saved; your input is kept.") + " " + refusal.message, "error")
                status = 409
            except (Invalid, IntegrityError, StaleDataError):
                db.session.rollback()
                flash(
                    _(
                        "The quarter could not be saved: it clashed with data saved at the same "
                        "moment. Nothing was saved; reload the page and enter it again."
                    ),
                    "error",
                )
                status = 409
            else:
                flash(_("Quarter %(quarter)s saved.", quarter=quarter_text(quarter)), "success")
                return redirect(
                    url_for("setup.programme", programme_id=programme.id, _anchor="indicators")
                )
    elif form.errors:
        status = 400
        flash(_("Nothing was saved: correct the fields marked below."), "error")
    previous = indicator_queries.programme_indicators(
        programme.id, quarter.previous(), as_of=timeutil.today()
    )
    closed = closure(programme.id, quarter)
    return render_template(
        "indicators/programme_quarter.html",
        programme=programme,
        quarter=quarter,
        current=current,
        closed=closed,
        # after a save refused because the quarter was closed meanwhile, the typed form stays
        read_only=closed is not None and not form.is_submitted(),
        form=form,
        records=records,
        value_of=programme_quarter_service.value_of,
        previous={row["id"]: row for row in tables.records(previous)},
    ), status
