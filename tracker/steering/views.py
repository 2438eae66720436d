"""Pages of the steering group's cycle: the programme's tolerances, and the way in from the
main menu."""

from __future__ import annotations

from flask import Blueprint, flash, has_request_context, redirect, render_template, url_for
from flask_login import current_user, login_required

from tracker.auth.permissions import require_programme_manager
from tracker.extensions import db
from tracker.i18n import gettext as _
from tracker.projects import current
from tracker.projects.models import Programme
from tracker.steering import access, services
from tracker.steering.forms import ToleranceForm

bp = Blueprint("steering", __name__)


@bp.app_context_processor
def decision_access() -> dict:
    """Whether the viewer reads the whole decision log and the meetings, for the main menu and
    for links to decisions. It depends on the role alone, so a cached part of a page (keyed on
    the role, :mod:`tracker.reports.fragments`) may use it. A mail or a report made by a job
    has no viewer."""
    if not has_request_context():
        return {"reads_decision_log": False}
    return {"reads_decision_log": access.reads_everything(current_user)}


@bp.route("/meetings")
@login_required
def meetings_home():
    """The main menu's way to the meetings: those of the programme the user works in."""
    access.require_reader()
    programme = current.current_programme()
    if programme is None:
        return redirect(url_for("projects.overview"))
    return redirect(url_for("steering.meetings", programme_id=programme.id))


@bp.route("/programmes/<int:programme_id>/tolerances", methods=["GET", "POST"])
@login_required
def tolerances(programme_id: int):
    """The tolerances the exception rules apply, kept by the programme manager."""
    require_programme_manager()
    programme = db.get_or_404(Programme, programme_id)
    form = ToleranceForm(obj=programme)
    if not form.is_submitted():
        form.opened_on.data = services.tolerance_stamp(programme)
    status = 200
    if form.validate_on_submit():
        if form.opened_on.data != services.tolerance_stamp(programme):
            form.opened_on.data = services.tolerance_stamp(programme)
            flash(
                _(
                    "Someone else changed the tolerances while you were editing: now %(days)s "
                    "days and %(points)s points. Your input is kept; save again to replace them.",
                    days=programme.tolerance_slip_days,
                    points=programme.tolerance_points,
                ),
                "error",
            )
            status = 409
        else:
            services.set_tolerances(
                programme, form.tolerance_slip_days.data, form.tolerance_points.data
            )
            db.session.commit()
            flash(_("Tolerances saved."), "success")
            return redirect(url_for("projects.programme", programme_id=programme.id))
    elif form.errors:
        status = 400
    return render_template(
        "steering/tolerances.html",
        form=form,
        programme=programme,
        title=_("Tolerances of %(name)s", name=programme.name),
        cancel_url=url_for("projects.programme", programme_id=programme.id),
    ), status
