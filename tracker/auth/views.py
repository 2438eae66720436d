from __future__ import annotations

import math
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, logout_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from tracker.audit import queries as audit_queries
from tracker.auth import login as login_service
from tracker.auth import sessions
from tracker.auth import users as users_service
from tracker.auth.forms import EditUserForm, LoginForm, NewUserForm, PasswordResetForm
from tracker.auth.models import User
from tracker.auth.permissions import roles_required
from tracker.auth.throttle import wait_text
from tracker.editing import ConfirmDeleteForm, is_stale, save_form
from tracker.extensions import db, login_manager
from tracker.i18n import gettext as _
from tracker.security_events import recorder as security_log
from tracker.security_events.kinds import Kind, Outcome

bp = Blueprint("auth", __name__)


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    return sessions.user_for(session_id)


@login_manager.unauthorized_handler
def unauthorized():
    flash(_("Log in to see this page."), "info")
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def _safe_next(target: str | None) -> str | None:
    """Only a local path, so the login page cannot send anyone elsewhere; no control character
    or backslash either (a browser reads "/\\host" as another site, and a line break cannot go
    in a Location header)."""
    if not target or any(ord(c) < 32 or c in "\x7f\\" for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


# Who lands on the dashboard after logging in; leads land on "My subproject" (what is due).
DASHBOARD_FIRST_ROLES = ("admin", "manager", "steering")


def _landing_url(user) -> str:
    if user.role in DASHBOARD_FIRST_ROLES:
        return url_for("dashboard.dashboard")
    if user.role == "lead":
        return url_for("season.mine")
    return url_for("projects.overview")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(_landing_url(current_user))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        attempt = login_service.check_password(form.email.data, form.password.data)
        next_url = _safe_next(request.args.get("next"))
        if attempt.user is not None and attempt.user.has_mfa:
            login_service.start_second_step(attempt.user, next_url)
            security_log.record(Kind.LOGIN, Outcome.SUCCESS, user=attempt.user, detail="password")
            db.session.commit()
            return redirect(url_for("auth.login_code"))
        if attempt.user is not None:
            login_service.complete(attempt.user)
            security_log.record(Kind.LOGIN, Outcome.SUCCESS, user=attempt.user)
            db.session.commit()
            return redirect(next_url or _landing_url(attempt.user))
        _record_failed_login(form.email.data, attempt)
        db.session.commit()
        if attempt.throttled:
            return _throttled(form, attempt.wait_seconds)
        flash(_("Email address or password is not correct."), "error")
        if attempt.wait_seconds:
            return _throttled(form, attempt.wait_seconds)
        status = 401
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form), status


def _record_failed_login(email: str, attempt) -> None:
    """Who tried is named only when the account exists: a typo'd address, or a password typed
    in the wrong field, is not kept."""
    user = login_service.find_user(email)
    outcome = Outcome.REFUSED if attempt.throttled else Outcome.FAILURE
    if attempt.throttled:
        detail = f"throttled ({math.ceil(attempt.wait_seconds)} s)"
    elif user is None:
        detail = "unknown account"
    elif not user.active:
        detail = "inactive account"
    else:
        detail = "wrong password"
    security_log.record(Kind.LOGIN, outcome, user=user, detail=detail)


def _throttled(form, wait_seconds: float, template: str = "auth/login.html", **context):
    """Too many failures: say how long to wait, in words (HTTP 429 with Retry-After)."""
    flash(
        _(
            "Too many failed login attempts for this account or from this address. Wait "
            "%(wait)s and try again. Forgot your password? Ask the application manager.",
            wait=wait_text(wait_seconds),
        ),
        "error",
    )
    response = render_template(template, form=form, **context)
    return response, 429, {"Retry-After": str(math.ceil(wait_seconds))}


@bp.route("/logout", methods=["POST"])
def logout():
    """Ends every session of the user, so a copy of this session's cookie is refused too."""
    if current_user.is_authenticated:
        sessions.end_sessions(current_user)
        security_log.record(Kind.LOGOUT, Outcome.SUCCESS)
        db.session.commit()
    logout_user()
    session.clear()
    flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/language/<code>", methods=["POST"])
def set_language(code: str):
    from flask import current_app

    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
    return redirect(_safe_next(request.form.get("next")) or url_for("projects.overview"))


@bp.route("/users")
@roles_required("admin")
def users():
    from sqlalchemy.orm import selectinload

    people = db.session.scalars(
        select(User).options(selectinload(User.led_subprojects)).order_by(User.role, User.name)
    ).all()
    return render_template("auth/users.html", users=people)


# --- The admin screen: users and roles --------------------------------------------------------


def _users_url() -> str:
    return url_for("auth.users")


@bp.route("/users/new", methods=["GET", "POST"])
@roles_required("admin")
def new_user():
    form = NewUserForm(subprojects=users_service.subprojects())
    return save_form(
        form,
        None,
        "auth/user_form.html",
        apply=lambda: users_service.create_user(form.data, current_user.id),
        success=_("User created."),
        redirect_to=_users_url,
        title=_("New user"),
        cancel_url=_users_url(),
    )


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@roles_required("admin")
def edit_user(user_id: int):
    user = db.get_or_404(User, user_id)
    form = EditUserForm(obj=user, subprojects=users_service.subprojects(user.led_subprojects))
    return save_form(
        form,
        user,
        "auth/user_form.html",
        apply=lambda: users_service.update_user(user, form.data, current_user.id),
        success=_("User saved."),
        redirect_to=_users_url,
        title=_("Edit user %(email)s", email=user.email),
        cancel_url=_users_url(),
        user=user,
        history=audit_queries.for_records({"User": [user.id]}),
    )


@bp.route("/users/<int:user_id>/password", methods=["GET", "POST"])
@roles_required("admin")
def reset_password(user_id: int):
    user = db.get_or_404(User, user_id)
    form = PasswordResetForm()
    status = 200
    if form.validate_on_submit():
        users_service.reset_password(user, form.password.data)
        if user.id == current_user.id:
            sessions.renew(user)
        db.session.commit()
        flash(_("New password set for %(email)s.", email=user.email), "success")
        return redirect(_users_url())
    if form.errors:
        status = 400
    return render_template(
        "form_page.html",
        form=form,
        conflict=None,
        title=_("New password for %(email)s", email=user.email),
        cancel_url=_users_url(),
    ), status


@bp.route("/users/<int:user_id>/delete", methods=["GET", "POST"])
@roles_required("admin")
def delete_user(user_id: int):
    user = db.get_or_404(User, user_id)
    authored = users_service.authored_records(user)
    is_self = user.id == current_user.id
    form = ConfirmDeleteForm()
    status = 200
    if form.is_submitted():
        status = 409
        if not authored and not is_self and form.validate() and not is_stale(form, user):
            try:
                users_service.delete_user(user, current_user.id)
                db.session.commit()
            except (StaleDataError, IntegrityError):
                db.session.rollback()
            else:
                flash(_("User deleted."), "success")
                return redirect(_users_url())
        if not authored and not is_self:
            flash(
                _("Someone else changed this user meanwhile. Check it before you delete it."),
                "error",
            )
    form.version.data = str(user.version)
    return render_template(
        "auth/user_delete.html", form=form, user=user, authored=authored, is_self=is_self
    ), status
