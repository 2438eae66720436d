"""History pages: a subproject's, a milestone's and an indicator's, and the manager's search."""

from __future__ import annotations

import re
from datetime import date, datetime

from flask import Blueprint, render_template, request
from flask_login import login_required
from sqlalchemy import select

from tracker.audit import queries
from tracker.audit.forms import HistoryFilterForm
from tracker.audit.labels import (
    ACTION_LABELS,
    ENTITY_LABELS,
    MARKERS,
    field_label,
    value_labels,
)
from tracker.audit.names import REFERENCES, names_for
from tracker.auth.models import User
from tracker.auth.permissions import roles_required
from tracker.extensions import db
from tracker.i18n import date_format, datetime_format, number_format
from tracker.i18n import gettext as _
from tracker.indicators.models import Indicator, Measurement
from tracker.milestones.models import Milestone, MilestoneDateChange
from tracker.projects.models import Subproject
from tracker.quarters.display import quarter_text

bp = Blueprint("audit", __name__)

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$")


@bp.app_template_filter("audit_value")
def audit_value(value, field: str = "", entity: str | None = None) -> str:
    """A stored before/after value as a person reads it: 30-09-2026, 1.234,5, labels of codes."""
    if value is None or value == "":
        return "–"
    if isinstance(value, str) and value in MARKERS:
        return str(MARKERS[value])
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    coded = value_labels(field, entity)
    if coded is not None and isinstance(value, str) and value in coded:
        return str(coded[value])
    if field in ("period", "quarter") and isinstance(value, str):
        return quarter_text(value)
    if isinstance(value, str) and _ISO_DATE.match(value):
        return date_format(date.fromisoformat(value))
    if isinstance(value, str) and _ISO_DATETIME.match(value):
        return datetime_format(datetime.fromisoformat(value))
    if isinstance(value, int | float) and not field.endswith("_id") and field != "version":
        return number_format(value, 3)
    return str(value)


@bp.app_template_filter("audit_field")
def audit_field(field: str, entity: str | None = None) -> str:
    return field_label(field, entity)


@bp.app_context_processor
def inject_audit_labels():
    return {"AUDIT_ENTITY_LABELS": ENTITY_LABELS, "AUDIT_ACTION_LABELS": ACTION_LABELS}


@bp.route("/subprojects/<int:subproject_id>/history")
@login_required
def subproject_history(subproject_id: int):
    subproject = db.get_or_404(Subproject, subproject_id)
    return render_template(
        "audit/subproject_history.html",
        subproject=subproject,
        history=queries.for_subproject(subproject.id, _page_number()),
    )


@bp.route("/milestones/<int:milestone_id>/history")
@login_required
def milestone_history(milestone_id: int):
    milestone = db.get_or_404(Milestone, milestone_id)
    changes = db.session.scalars(
        select(MilestoneDateChange.id).where(MilestoneDateChange.milestone_id == milestone.id)
    ).all()
    history = queries.records_page(
        {"Milestone": [milestone.id], "MilestoneDateChange": changes}, _page_number()
    )
    return render_template(
        "audit/record_history.html",
        subproject=milestone.subproject,
        title=milestone.title,
        kind=_("Milestone"),
        history=history,
        tabs="milestones/_tabs.html",
        milestone_id=milestone.id,
    )


@bp.route("/indicators/<int:indicator_id>/history")
@login_required
def indicator_history(indicator_id: int):
    indicator = db.get_or_404(Indicator, indicator_id)
    measurements = db.session.scalars(
        select(Measurement.id).where(Measurement.indicator_id == indicator.id)
    ).all()
    history = queries.records_page(
        {"Indicator": [indicator.id], "Measurement": measurements}, _page_number()
    )
    return render_template(
        "audit/record_history.html",
        subproject=indicator.subproject,
        title=indicator.name,
        kind=_("Indicator"),
        history=history,
        tabs="indicators/_tabs.html",
        indicator_id=indicator.id,
    )


@bp.route("/history")
@roles_required("admin", "manager")
def search():
    form = HistoryFilterForm(formdata=request.args)
    users = db.session.execute(select(User.id, User.name).order_by(User.name)).all()
    form.user.choices = [("", _("Everyone"))] + [(str(i), name) for i, name in users]
    history = None
    status = 200
    if form.validate():
        history = queries.search(
            user_id=int(form.user.data) if form.user.data else None,
            start=form.start.data,
            end=form.end.data,
            page=_page_number(),
        )
    else:
        status = 400
    return render_template("audit/search.html", form=form, history=history), status


def _page_number() -> int:
    return request.args.get("page", default=1, type=int) or 1


@bp.app_context_processor
def inject_audit_names():
    return {"audit_names": names_for, "AUDIT_REFERENCES": REFERENCES}
