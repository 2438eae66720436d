"""The second step of logging in, the user's own account page (password, two-step
verification) and the admin's reset of a user's second factor. Routes of the auth blueprint."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from tracker.auth import login as login_service
from tracker.auth import mfa, second_factor, sessions
from tracker.auth.forms import CodeForm, ConfirmForm, PasswordChangeForm
from tracker.auth.permissions import roles_required
from tracker.auth.users import change_own_password, led_by
from tracker.auth.views import _landing_url, _safe_next, _throttled, bp
from tracker.extensions import db
from tracker.i18n import gettext as _
from tracker.mail import preferences
from tracker.season.forms import ReminderForm
from tracker.security_events import recorder as security_log
from tracker.security_events.kinds import Kind, Outcome

# The session key of a secret shown for setting up, until a code confirms it.
SETUP_SESSION_FIELD = "mfa_setup"

# What a user who must still set up the second factor may reach.
OPEN_WHILE_SETTING_UP = ("auth.mfa_setup", "auth.logout", "auth.set_language", "static")


# --- Logging in: the second step ---------------------------------------------------------------


@bp.route("/login/code", methods=["GET", "POST"])
def login_code():
    user = login_service.pending_user()
    if user is None:
        login_service.forget_pending()
        flash(_("Log in with your email address and password first."), "info")
        return redirect(url_for("auth.login"))
    form = CodeForm()
    status = 200
    if form.validate_on_submit():
        wait = login_service.throttle_wait(user.email)
        if wait:
            security_log.record(Kind.MFA_CODE, Outcome.REFUSED, user=user, detail="throttled")
            db.session.commit()
            return _throttled(form, wait, "auth/login_code.html")
        passed = second_factor.check_code(user, form.code.data)
        if passed is not None:
            next_url = login_service.pending_next()
            login_service.complete(user)
            security_log.record(passed, Outcome.SUCCESS, user=user)
            security_log.record(Kind.LOGIN, Outcome.SUCCESS, user=user)
            db.session.commit()
            if passed is Kind.RECOVERY_CODE:
                flash(_recovery_codes_left(user), "info")
            return redirect(_safe_next(next_url) or _landing_url(user))
        wait = login_service.record_failure(user.email)
        security_log.record(Kind.MFA_CODE, Outcome.FAILURE, user=user)
        db.session.commit()
        if wait:
            return _throttled(form, wait, "auth/login_code.html")
        form.code.errors.append(_("This code is not correct or was used already. Try again."))
        status = 401
    elif form.errors:
        status = 400
    return render_template("auth/login_code.html", form=form), status


def _recovery_codes_left(user) -> str:
    left = second_factor.unused_recovery_codes(user)
    return _(
        "You used a recovery code; %(left)s are left. Make new ones on your account page.",
        left=left,
    )


def require_second_factor():
    """A role that must have a second factor gets nowhere else until it has one."""
    if request.endpoint in OPEN_WHILE_SETTING_UP or not current_user.is_authenticated:
        return None
    if second_factor.must_set_up(current_user):
        flash(_("Your role requires two-step verification. Set it up now."), "info")
        return redirect(url_for("auth.mfa_setup"))
    return None


# --- The user's own account --------------------------------------------------------------------


@bp.route("/account")
@login_required
def account():
    return render_template(
        "auth/account.html",
        required=second_factor.required_for(current_user),
        codes_left=second_factor.unused_recovery_codes(current_user) if current_user.has_mfa else 0,
        code_form=CodeForm(),
        led=led_by(current_user),
        reminder_form=ReminderForm(reminders=preferences.reminders_on(current_user.id)),
    )


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = PasswordChangeForm()
    status = 200
    if form.validate_on_submit():
        if current_user.check_password(form.current_password.data):
            change_own_password(current_user, form.password.data)
            sessions.renew(current_user)
            db.session.commit()
            flash(
                _("Your password has been changed. You are logged out everywhere else."), "success"
            )
            return redirect(url_for("auth.account"))
        security_log.record(Kind.PASSWORD_CHANGED, Outcome.FAILURE, detail="wrong password")
        db.session.commit()
        form.current_password.errors.append(_("This is not your current password."))
    if form.errors:
        status = 400
    return render_template(
        "form_page.html",
        form=form,
        conflict=None,
        title=_("Change your password"),
        cancel_url=url_for("auth.account"),
    ), status


@bp.route("/account/two-step", methods=["GET", "POST"])
@login_required
def mfa_setup():
    if current_user.has_mfa:
        return redirect(url_for("auth.account"))
    secret = session.get(SETUP_SESSION_FIELD)
    if not isinstance(secret, str) or len(secret) != 32:
        secret = session[SETUP_SESSION_FIELD] = mfa.new_secret()
    form = CodeForm()
    status = 200
    if form.validate_on_submit():
        codes = second_factor.set_up(current_user, secret, form.code.data)
        if codes is not None:
            session.pop(SETUP_SESSION_FIELD, None)
            sessions.renew(current_user)
            db.session.commit()
            flash(_("Two-step verification is on."), "success")
            return render_template("auth/recovery_codes.html", codes=codes)
        db.session.commit()
        form.code.errors.append(
            _("This code does not fit. Check the time on your phone and type the newest code.")
        )
    if form.errors:
        status = 400
    uri = mfa.provisioning_uri(secret, current_user.email, current_app.config["MFA_ISSUER"])
    return render_template(
        "auth/mfa_setup.html",
        form=form,
        qr=mfa.qr_data_uri(uri),
        secret=mfa.secret_groups(secret),
        required=second_factor.required_for(current_user),
    ), status


def _confirmed_by_code(action: str):
    """Renewing codes or switching off asks for a current code: a session left open on a
    shared computer is not enough."""
    form = CodeForm()
    if not form.validate_on_submit():
        return None
    if second_factor.check_code(current_user, form.code.data) is None:
        security_log.record(Kind.MFA_CODE, Outcome.FAILURE, detail=action)
        db.session.commit()
        return None
    return form


@bp.route("/account/two-step/recovery-codes", methods=["POST"])
@login_required
def renew_recovery_codes():
    if not current_user.has_mfa:
        return redirect(url_for("auth.account"))
    if _confirmed_by_code("renew recovery codes") is None:
        flash(_("The code is not correct. Nothing was changed."), "error")
        return redirect(url_for("auth.account"))
    codes = second_factor.renew_recovery_codes(current_user)
    db.session.commit()
    return render_template("auth/recovery_codes.html", codes=codes)


@bp.route("/account/two-step/off", methods=["POST"])
@login_required
def mfa_off():
    if not current_user.has_mfa:
        return redirect(url_for("auth.account"))
    if second_factor.required_for(current_user):
        flash(_("Your role requires two-step verification; it cannot be switched off."), "error")
        return redirect(url_for("auth.account"))
    if _confirmed_by_code("switch off") is None:
        flash(_("The code is not correct. Nothing was changed."), "error")
        return redirect(url_for("auth.account"))
    second_factor.switch_off(current_user)
    sessions.renew(current_user)
    db.session.commit()
    flash(_("Two-step verification is off."), "success")
    return redirect(url_for("auth.account"))


# --- The admin's reset -------------------------------------------------------------------------


@bp.route("/users/<int:user_id>/two-step-reset", methods=["GET", "POST"])
@roles_required("admin")
def reset_mfa(user_id: int):
    from tracker.auth.models import User

    user = db.get_or_404(User, user_id)
    form = ConfirmForm()
    if form.validate_on_submit() and user.has_mfa:
        second_factor.reset(user)
        if user.id == current_user.id:
            sessions.renew(user)
        db.session.commit()
        flash(
            _(
                "Two-step verification of %(email)s is reset; their sessions have ended.",
                email=user.email,
            ),
            "success",
        )
        return redirect(url_for("auth.edit_user", user_id=user.id))
    return render_template("auth/mfa_reset.html", form=form, user=user)
