from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from tracker import timeutil
from tracker.auth.permissions import can_edit_subproject, require_subproject_editor
from tracker.extensions import db
from tracker.projects.forms import SubprojectForm
from tracker.projects.models import (
    Action,
    Programme,
    Subproject,
    SubprojectOrganisation,
)
from tracker.quarters import Quarter
from tracker.reports import data

bp = Blueprint("projects", __name__)


@bp.route("/")
@login_required
def overview():
    programme = db.session.scalar(select(Programme).order_by(Programme.id).limit(1))
    if programme is None:
        return render_template("projects/empty.html")
    return redirect(url_for("projects.programme", programme_id=programme.id))


@bp.route("/programmes/<int:programme_id>")
@login_required
def programme(programme_id: int):
    programme = db.get_or_404(Programme, programme_id)
    programmes = db.session.scalars(select(Programme).order_by(Programme.name)).all()
    as_of = timeutil.today()
    rows = data.status_overview(programme.id, as_of).to_dict("records")
    return render_template(
        "projects/programme.html",
        programme=programme,
        programmes=programmes,
        rows=rows,
        as_of=as_of,
        quarter=Quarter.of(as_of),
    )


@bp.route("/subprojects/<int:subproject_id>")
@login_required
def subproject(subproject_id: int):
    subproject = db.session.scalar(
        select(Subproject)
        .where(Subproject.id == subproject_id)
        .options(
            joinedload(Subproject.programme),
            joinedload(Subproject.municipality),
            selectinload(Subproject.leads),
            selectinload(Subproject.actions).joinedload(Action.owner),
            selectinload(Subproject.updates),
            selectinload(Subproject.organisation_links).joinedload(
                SubprojectOrganisation.organisation
            ),
        )
    )
    if subproject is None:
        abort(404)
    as_of = timeutil.today()
    quarter = Quarter.of(as_of)
    milestones = data.milestones(subproject.programme_id, as_of, [subproject.id])
    indicators = data.indicators(subproject.programme_id, quarter, [subproject.id])
    return render_template(
        "projects/subproject.html",
        subproject=subproject,
        milestones=milestones.to_dict("records"),
        indicators=indicators.to_dict("records"),
        as_of=as_of,
        quarter=quarter,
        can_edit=can_edit_subproject(current_user, subproject.id),
    )


@bp.route("/subprojects/<int:subproject_id>/edit", methods=["GET", "POST"])
@login_required
def edit_subproject(subproject_id: int):
    subproject = db.get_or_404(Subproject, subproject_id)
    require_subproject_editor(subproject.id)
    form = SubprojectForm(obj=subproject)
    if form.validate_on_submit():
        if form.version.data != str(subproject.version):
            flash(
                _(
                    "Someone else changed this subproject while you were editing. "
                    "Check the current values below, then save again."
                ),
                "error",
            )
            form.version.data = str(subproject.version)
            return render_template(
                "projects/edit_subproject.html",
                form=form,
                subproject=subproject,
                current=subproject,
            ), 409
        subproject.name = form.name.data.strip()
        subproject.aim = form.aim.data.strip()
        db.session.commit()
        flash(_("Subproject saved."), "success")
        return redirect(url_for("projects.subproject", subproject_id=subproject.id))
    status = 400 if form.errors else 200
    return render_template(
        "projects/edit_subproject.html", form=form, subproject=subproject, current=None
    ), status
