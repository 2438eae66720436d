"""Pages of the reporting season: the manager's overview per quarter and the programme's due
date, the submit, approve and return steps (taken from the quarter page), the lead's landing
page "Mijn deelproject", and the switch for reminder mails on the account page."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from tracker import timeutil
from tracker.auth.permissions import (
    require_programme_manager,
    require_subproject_editor,
    roles_required,
)
from tracker.editing import save_form
from tracker.errors import refuse
from tracker.extensions import db
from tracker.i18n import gettext as _
from tracker.indicators import queries as indicator_queries
from tracker.mail import preferences
from tracker.projects.models import Programme, Subproject
from tracker.quarters import Quarter
from tracker.season import mails, queries, rules, services
from tracker.season.forms import ReminderForm, ReviewForm, SubmitForm, TermsForm
from tracker.season.rules import Step

bp = Blueprint("season", __name__)


# --- The programme manager ---------------------------------------------------------------------


@bp.route("/programmes/<int:programme_id>/season")
@bp.route("/programmes/<int:programme_id>/season/<quarter:quarter>")
@login_required
def overview(programme_id: int, quarter: Quarter | None = None):
    """Every subproject's update of a quarter: its state, who submitted it when, how late."""
    require_programme_manager()
    programme = db.get_or_404(Programme, programme_id)
    today = timeutil.today()
    quarter = quarter or rules.season_quarter(today)
    if quarter > Quarter.of(today):
        return redirect(url_for("season.overview", programme_id=programme.id))
    terms = queries.terms_of(programme.id)
    rows = queries.overview(programme.id, quarter, today)
    return render_template(
        "season/overview.html",
        programme=programme,
        quarter=quarter,
        current=Quarter.of(today),
        due=terms.due_date(quarter),
        terms=terms,
        rows=rows,
        counts={state: sum(1 for r in rows if r.state == state) for state in rules.state_order()},
    )


@bp.route("/programmes/<int:programme_id>/season/terms", methods=["GET", "POST"])
@login_required
def terms(programme_id: int):
    require_programme_manager()
    programme = db.get_or_404(Programme, programme_id)
    setting = queries.setting_of(programme.id)
    form = TermsForm(obj=setting)
    back = url_for("season.overview", programme_id=programme.id)
    return save_form(
        form,
        setting,
        "season/terms.html",
        apply=lambda: services.save_terms(setting, programme.id, form.data),
        success=_("Due date saved."),
        redirect_to=lambda: back,
        title=_("Due date of the quarterly updates of %(name)s", name=programme.name),
        cancel_url=back,
    )


# --- Steps -------------------------------------------------------------------------------------


def _quarter_page(subproject_id: int, quarter: Quarter) -> str:
    return url_for("projects.quarter_page", subproject_id=subproject_id, quarter=quarter)


def _step_context(subproject_id: int, quarter: Quarter) -> Subproject:
    subproject = db.get_or_404(Subproject, subproject_id)
    require_subproject_editor(subproject.id)
    if quarter > Quarter.of(timeutil.today()):
        abort(404)
    return subproject


def _refuse_stale(form, subproject: Subproject, quarter: Quarter) -> None:
    record = queries.submission(subproject.id, quarter)
    if (form.version.data or "") != (str(record.version) if record else ""):
        _refuse_changed()


def _refuse_changed():
    refuse(
        409,
        _("Changed meanwhile"),
        _(
            "Someone else changed the state of this update while you were looking at it. "
            "Nothing was changed: open the quarter page again to see where it stands."
        ),
    )


def _take(subproject: Subproject, quarter: Quarter, step: Step, comment: str = ""):
    try:
        record = services.take_step(subproject, quarter, step, current_user.id, comment)
        db.session.commit()
    except services.NothingToSubmit:
        db.session.rollback()
        refuse(
            400,
            _("Nothing to submit yet"),
            _(
                "The quarterly update of %(quarter)s has not been saved yet. Fill in the "
                "quarter page and save it, then submit.",
                quarter=str(quarter),
            ),
        )
    except services.StepRefused as refused:
        db.session.rollback()
        refuse(
            409,
            _("Not possible now"),
            _(
                "This update is %(state)s now, so this step is not possible. Open the quarter "
                "page again to see where it stands.",
                state=refused.state.label.lower(),
            ),
        )
    except (StaleDataError, IntegrityError):
        db.session.rollback()
        _refuse_changed()
    return record


@bp.route("/subprojects/<int:subproject_id>/quarter/<quarter:quarter>/submit", methods=["POST"])
@login_required
def submit(subproject_id: int, quarter: Quarter):
    subproject = _step_context(subproject_id, quarter)
    form = SubmitForm(prefix=SubmitForm.PREFIX)
    if not form.validate_on_submit():
        abort(400)
    _refuse_stale(form, subproject, quarter)
    _take(subproject, quarter, Step.SUBMIT)
    mails.after_submit(subproject.programme_id, quarter)
    flash(
        _(
            "Update %(quarter)s submitted. The programme manager will approve it or return it "
            "with a comment.",
            quarter=str(quarter),
        ),
        "success",
    )
    return redirect(_quarter_page(subproject.id, quarter))


@bp.route("/subprojects/<int:subproject_id>/quarter/<quarter:quarter>/review", methods=["POST"])
@login_required
def review(subproject_id: int, quarter: Quarter):
    require_programme_manager()
    subproject = _step_context(subproject_id, quarter)
    form = ReviewForm(prefix=ReviewForm.PREFIX)
    if not form.validate_on_submit():
        refuse(400, _("Comment too long"), _("A comment has at most 5000 characters."))
    _refuse_stale(form, subproject, quarter)
    if form.send_back.data:
        comment = (form.comment.data or "").strip()
        if not comment:
            refuse(
                400,
                _("Comment missing"),
                _(
                    "Nothing was changed: say in the comment what the lead should change, "
                    "then return the update."
                ),
            )
        record = _take(subproject, quarter, Step.RETURN, comment)
        mails.after_return(subproject, quarter, record.returns)
        flash(_("Update %(quarter)s returned to the lead.", quarter=str(quarter)), "success")
    else:
        _take(subproject, quarter, Step.APPROVE)
        flash(_("Update %(quarter)s approved.", quarter=str(quarter)), "success")
    return redirect(
        url_for("season.overview", programme_id=subproject.programme_id, quarter=quarter)
    )


# --- The lead ----------------------------------------------------------------------------------


@bp.route("/my-subproject")
@roles_required("lead")
def mine():
    """What the lead has to do: the update due and by when, what was returned, overdue
    milestones, outdated indicators."""
    today = timeutil.today()
    quarter = rules.season_quarter(today)
    subprojects = queries.led_subprojects(current_user.id)
    return render_template(
        "season/mine.html",
        quarter=quarter,
        current=Quarter.of(today),
        subprojects=subprojects,
        due=queries.due_rows(subprojects, quarter, today),
        returned=queries.returned_rows(subprojects, today),
        milestones=queries.overdue_milestones(subprojects, today),
        stale=indicator_queries.stale_indicators([s.id for s in subprojects], today),
        names={s.id: f"{s.code} {s.name}" for s in subprojects},
    )


@bp.route("/account/reminders", methods=["POST"])
@login_required
def reminder_setting():
    form = ReminderForm()
    if not form.validate_on_submit():
        abort(400)
    preferences.set_reminders(current_user.id, bool(form.reminders.data))
    db.session.commit()
    flash(
        _("You will get reminders by mail.")
        if form.reminders.data
        else _("You will get no more reminders by mail."),
        "success",
    )
    return redirect(url_for("auth.account"))
