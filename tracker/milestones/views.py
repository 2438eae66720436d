from __future__ import annotations

from flask import Blueprint, abort, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker import timeutil
from tracker.auth.permissions import can_edit_subproject, require_subproject_editor
from tracker.editing import delete_record, save_form
from tracker.extensions import db
from tracker.i18n import gettext as _
from tracker.milestones import queries as milestone_queries
from tracker.milestones import services
from tracker.milestones.forms import MilestoneForm
from tracker.milestones.guard import guard_for
from tracker.milestones.models import Milestone, MilestoneDateChange
from tracker.projects.models import Action, Subproject
from tracker.tables import records

bp = Blueprint("milestones", __name__)


def _back(subproject_id: int) -> str:
    return url_for("projects.subproject", subproject_id=subproject_id, _anchor="milestones")


@bp.route("/milestones/<int:milestone_id>")
@login_required
def milestone(milestone_id: int):
    milestone = db.session.scalar(
        select(Milestone)
        .where(Milestone.id == milestone_id)
        .options(
            selectinload(Milestone.date_changes).joinedload(MilestoneDateChange.changed_by),
            selectinload(Milestone.subproject),
            selectinload(Milestone.action),
        )
    )
    if milestone is None:
        abort(404)
    rows = milestone_queries.milestones(
        milestone.subproject.programme_id, timeutil.today(), [milestone.subproject_id]
    )
    row = records(rows[rows["id"] == milestone.id])[0]
    return render_template(
        "milestones/milestone.html",
        milestone=milestone,
        row=row,
        subproject=milestone.subproject,
        can_edit=can_edit_subproject(current_user, milestone.subproject_id),
        guard=guard_for(current_user, milestone, timeutil.today()),
    )


@bp.route("/subprojects/<int:subproject_id>/milestones/new", methods=["GET", "POST"])
@login_required
def new_milestone(subproject_id: int):
    subproject = db.get_or_404(Subproject, subproject_id)
    require_subproject_editor(subproject.id)
    return _milestone_form(subproject, None, _("New milestone"))


@bp.route("/milestones/<int:milestone_id>/edit", methods=["GET", "POST"])
@login_required
def edit_milestone(milestone_id: int):
    milestone = db.get_or_404(Milestone, milestone_id)
    require_subproject_editor(milestone.subproject_id)
    return _milestone_form(milestone.subproject, milestone, _("Edit milestone"))


def _milestone_form(subproject: Subproject, milestone: Milestone | None, title: str):
    guard = guard_for(current_user, milestone, timeutil.today(), subproject.id)
    actions = db.session.scalars(
        select(Action).where(Action.subproject_id == subproject.id).order_by(Action.title)
    ).all()
    form = MilestoneForm(obj=milestone, actions=actions)
    read_only = guard.closed is not None and not form.is_submitted()
    if milestone is None or read_only:
        del form.reason
    for name in () if read_only else guard.frozen:
        if not _typed(name):
            delattr(form, name)

    def apply():
        guard.check(milestone, form.data)
        return services.save_milestone(milestone, subproject.id, form.data, current_user.id)

    return save_form(
        form,
        milestone,
        "milestones/form.html",
        apply=apply,
        success=_("Milestone saved."),
        redirect_to=lambda: _back(subproject.id),
        title=title,
        subproject=subproject,
        milestone=milestone,
        guard=guard,
        read_only=read_only,
        cancel_url=_back(subproject.id),
    )


def _typed(name: str) -> bool:
    """Whether the posted page offered ``name`` as an input (it was opened before the update
    was approved): then what was typed is checked and kept, not dropped. An unticked checkbox
    is not posted, so the at-risk flag goes with the forecast date beside it."""
    return name in request.form or (name == "at_risk" and "forecast_date" in request.form)


@bp.route("/milestones/<int:milestone_id>/delete", methods=["GET", "POST"])
@login_required
def delete_milestone(milestone_id: int):
    milestone = db.get_or_404(Milestone, milestone_id)
    require_subproject_editor(milestone.subproject_id)
    guard_for(current_user, milestone, timeutil.today()).refuse_delete(milestone)
    return delete_record(
        milestone,
        what=milestone.title,
        dependents=[],
        back_to=url_for("milestones.milestone", milestone_id=milestone.id),
        success=_("Milestone deleted."),
        redirect_to=_back(milestone.subproject_id),
        also_delete=lambda: services.delete_milestone_history(milestone),
        subproject=milestone.subproject,
    )
