from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy import func, select

from tracker.auth.forms import LoginForm
from tracker.auth.models import User
from tracker.auth.permissions import roles_required
from tracker.extensions import db, login_manager

bp = Blueprint("auth", __name__)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id))


@login_manager.unauthorized_handler
def unauthorized():
    flash(_("Log in to see this page."), "info")
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def _safe_next(target: str | None) -> str | None:
    """Only a local path, so the login page cannot send anyone elsewhere."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


# Who lands on the dashboard after logging in; leads land on the programme overview.
DASHBOARD_FIRST_ROLES = ("admin", "manager", "steering")


def _landing_url(user) -> str:
    if user.role in DASHBOARD_FIRST_ROLES:
        return url_for("dashboard.dashboard")
    return url_for("projects.overview")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(_landing_url(current_user))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        user = db.session.scalar(select(User).where(func.lower(User.email) == email))
        if user is not None and user.active and user.check_password(form.password.data):
            session.clear()
            login_user(user)
            session.permanent = True
            return redirect(_safe_next(request.args.get("next")) or _landing_url(user))
        flash(_("Email address or password is not correct."), "error")
        status = 401
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
def logout():
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
