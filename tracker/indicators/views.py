from __future__ import annotations

from flask import Blueprint, abort, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from tracker.auth.permissions import (
    can_edit_subproject,
    can_manage_programme,
    require_programme_manager,
    require_subproject_editor,
)
from tracker.editing import delete_record, save_form
from tracker.extensions import db
from tracker.indicators import services
from tracker.indicators.forms import FREQUENCY_LABELS, IndicatorForm, MeasurementForm
from tracker.indicators.models import Indicator, Measurement
from tracker.projects.models import Subproject
from tracker.quarters import Quarter
from tracker.reports import data

bp = Blueprint("indicators", __name__)


def _back(subproject_id: int) -> str:
    return url_for("projects.subproject", subproject_id=subproject_id, _anchor="indicators")


def _page(indicator_id: int) -> str:
    return url_for("indicators.indicator", indicator_id=indicator_id)


def _subproject_indicator(indicator_id: int) -> Indicator:
    """Only subproject indicators are edited here; programme-level ones have no subproject."""
    indicator = db.get_or_404(Indicator, indicator_id)
    if indicator.subproject_id is None:
        abort(404)
    return indicator


@bp.route("/indicators/<int:indicator_id>")
@login_required
def indicator(indicator_id: int):
    from tracker import timeutil

    indicator = _subproject_indicator(indicator_id)
    quarter = Quarter.of(timeutil.today())
    rows = data.indicators(indicator.programme_id, quarter, [indicator.subproject_id])
    row = rows[rows["id"] == indicator.id].to_dict("records")[0]
    measurements = db.session.scalars(
        select(Measurement)
        .where(Measurement.indicator_id == indicator.id)
        .options(joinedload(Measurement.entered_by))
        .order_by(Measurement.period.desc())
    ).all()
    return render_template(
        "indicators/indicator.html",
        indicator=indicator,
        row=row,
        measurements=measurements,
        subproject=indicator.subproject,
        frequency_labels=FREQUENCY_LABELS,
        can_edit=can_edit_subproject(current_user, indicator.subproject_id),
        can_manage=can_manage_programme(current_user),
    )


@bp.route("/subprojects/<int:subproject_id>/indicators/new", methods=["GET", "POST"])
@login_required
def new_indicator(subproject_id: int):
    subproject = db.get_or_404(Subproject, subproject_id)
    require_programme_manager()
    return _indicator_form(subproject, None, _("New indicator"))


@bp.route("/indicators/<int:indicator_id>/edit", methods=["GET", "POST"])
@login_required
def edit_indicator(indicator_id: int):
    indicator = _subproject_indicator(indicator_id)
    require_programme_manager()
    return _indicator_form(indicator.subproject, indicator, _("Edit indicator"))


def _indicator_form(subproject: Subproject, indicator: Indicator | None, title: str):
    form = IndicatorForm(obj=indicator)
    return save_form(
        form,
        indicator,
        "form_page.html",
        apply=lambda: services.save_indicator(indicator, subproject, form.data),
        success=_("Indicator saved."),
        redirect_to=lambda: _back(subproject.id),
        title=title,
        subproject=subproject,
        cancel_url=_back(subproject.id),
    )


@bp.route("/indicators/<int:indicator_id>/delete", methods=["GET", "POST"])
@login_required
def delete_indicator(indicator_id: int):
    indicator = _subproject_indicator(indicator_id)
    require_programme_manager()
    return delete_record(
        indicator,
        what=indicator.name,
        dependents=services.indicator_dependents(indicator),
        back_to=_page(indicator.id),
        success=_("Indicator deleted."),
        redirect_to=_back(indicator.subproject_id),
        subproject=indicator.subproject,
    )


@bp.route("/indicators/<int:indicator_id>/measurements/new", methods=["GET", "POST"])
@login_required
def new_measurement(indicator_id: int):
    indicator = _subproject_indicator(indicator_id)
    require_subproject_editor(indicator.subproject_id)
    return _measurement_form(indicator, None, _("New measurement"))


@bp.route("/measurements/<int:measurement_id>/edit", methods=["GET", "POST"])
@login_required
def edit_measurement(measurement_id: int):
    measurement = db.get_or_404(Measurement, measurement_id)
    indicator = _subproject_indicator(measurement.indicator_id)
    require_subproject_editor(indicator.subproject_id)
    return _measurement_form(indicator, measurement, _("Edit measurement"))


def _measurement_form(indicator: Indicator, measurement: Measurement | None, title: str):
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
