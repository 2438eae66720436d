"""Security hardening: response headers (CSP with a per-request nonce, no caching of pages) and
sessions that expire or were ended. The login throttle is tracker/auth/throttle.py."""

from __future__ import annotations

import secrets
import time

from flask import Flask, current_app, flash, g, redirect, request, session, url_for
from flask_login import current_user, logout_user
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from tracker.auth import sessions
from tracker.i18n import gettext as _


def csp_nonce() -> str:
    """The nonce of this request's Content-Security-Policy, for the rare inline script that
    must exist: ``<script nonce="{{ csp_nonce() }}">``. JavaScript belongs in static/js/."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    return g.csp_nonce


def content_security_policy(nonce: str) -> str:
    directives = {
        "default-src": "'self'",
        "script-src": f"'self' 'nonce-{nonce}'",
        # 'unsafe-inline' for styles only: Plotly sets style attributes and injects <style>
        # elements at run time, which a nonce cannot cover. Inline styles cannot run code; scripts
        # stay locked to our own files and nonced blocks.
        "style-src": "'self' 'unsafe-inline'",
        "img-src": "'self' data:",
        "font-src": "'self'",
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


class DatabaseIdConverter(IntegerConverter):
    """`<int:...>` in every route: ids from 0 up to PostgreSQL's integer maximum, so a huge id in
    a URL is a 404 and never a database overflow (a 500)."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(url_map, *args, **kwargs)


def install_id_converter(app: Flask) -> None:
    """Call before any blueprint is registered: routes pick their converter when added."""
    app.url_map.converters["int"] = DatabaseIdConverter


def _refuse_nul_characters():
    """PostgreSQL text cannot hold NUL characters; refuse them in any input with a clear 400
    instead of a database error, whatever form or filter receives them."""
    values = [*request.args.values(), *request.args.keys()]
    if request.method == "POST" and request.mimetype in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        values += [*request.form.values(), *request.form.keys()]
    if any("\x00" in value for value in values):
        from tracker.errors import render_error

        return render_error(
            400, _("The input contains a character that cannot be stored (NUL). Remove it.")
        )
    return None


def _set_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", content_security_policy(csp_nonce()))
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if current_app.config.get("PRODUCTION"):
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


# The app's own copy of a library: the only responses a browser or proxy may keep.
CACHEABLE_ENDPOINTS = ("static", "dashboard.plotly_js")


def _forbid_caching(response):
    """Pages may hold personal data and the CSRF token: no browser or proxy cache keeps them
    (after logging out, the back button must not show them again)."""
    if request.endpoint not in CACHEABLE_ENDPOINTS:
        response.headers["Cache-Control"] = "no-store"
    return response


def _end_expired_session():
    """Log out a session that was idle longer than TRACKER_SESSION_MINUTES, that is older than
    TRACKER_SESSION_ABSOLUTE_HOURS, or whose user's sessions were ended (logout elsewhere,
    new password, new role, deactivated); else note this request as its last activity.

    The cookie's own expiry also lapses, but a copied cookie could be replayed: the server
    checks the times stored (signed) in the session, and the session token in the database."""
    if request.endpoint == "static" or "_user_id" not in session:
        return None
    now = time.time()
    config = current_app.config
    reason = sessions.expiry(
        now,
        session.get(sessions.LAST_SEEN),
        session.get(sessions.SIGNED_IN_AT),
        config["PERMANENT_SESSION_LIFETIME"].total_seconds(),
        config["SESSION_ABSOLUTE_LIFETIME"].total_seconds(),
    )
    if reason is None and current_user.is_authenticated:
        session[sessions.LAST_SEEN] = int(now)
        return None
    logout_user()
    session.clear()
    if reason is sessions.Expiry.IDLE:
        flash(_("Your session expired after a period of inactivity. Log in again."), "info")
    elif reason is sessions.Expiry.ABSOLUTE:
        flash(
            _(
                "You were logged in for more than %(hours)s hours. Log in again.",
                hours=round(config["SESSION_ABSOLUTE_LIFETIME"].total_seconds() / 3600),
            ),
            "info",
        )
    else:
        flash(_("Your session has ended. Log in again."), "info")
    target = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for("auth.login", next=target))


def init_app(app: Flask) -> None:
    proxies = app.config.get("PROXY_COUNT", 0)
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    app.after_request(_set_headers)
    app.after_request(_forbid_caching)
    app.before_request(_refuse_nul_characters)
    app.before_request(_end_expired_session)
