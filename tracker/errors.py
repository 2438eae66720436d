"""Error pages in the app's look, for every 4xx and 500."""

import contextlib
from typing import NoReturn

from flask import Flask, abort, g, make_response, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, DisconnectionError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, InternalServerError

from tracker.extensions import db, login_manager
from tracker.i18n import gettext as _
from tracker.security_events import recorder as security_log
from tracker.security_events.kinds import Kind, Outcome


def _messages():
    return {
        400: (
            _("Bad request"),
            _("The request could not be understood. Check the input and try again."),
        ),
        403: (
            _("No access"),
            _(
                "You do not have permission for this page or action. "
                "Ask the programme manager if you need it."
            ),
        ),
        404: (
            _("Not found"),
            _(
                "This page or record does not exist (any more). "
                "Check the link or go back to the overview."
            ),
        ),
        405: (_("Not allowed"), _("This action cannot be done this way.")),
        409: (
            _("Changed by someone else"),
            _(
                "Someone else saved this record at the same moment, so your change was not "
                "saved. Go back, reload the page to see their change, and save again."
            ),
        ),
        413: (_("File too large"), _("The file is larger than allowed. Use a smaller file.")),
        429: (_("Too many attempts"), _("Too many attempts. Wait a moment and try again.")),
        503: (
            _("Database not reachable"),
            _(
                "The database cannot be reached or is busy right now. Nothing was saved. "
                "Wait a minute and try again; if it keeps happening, tell the application manager."
            ),
        ),
        500: (
            _("Something went wrong"),
            _(
                "The server could not complete your request. Nothing was saved. Try again "
                "later; if it keeps happening, tell the application manager."
            ),
        ),
    }


def render_error(code: int, detail: str | None = None):
    title, text = _messages().get(code, (_("Error"), _("The request could not be completed.")))
    return render_template(
        "errors/error.html", code=code, title=title, text=text, detail=detail
    ), code


def refuse(code: int, title: str, text: str) -> NoReturn:
    """Stop the request with an error page that says in its own words what is refused and
    what to do, where the standard text of ``code`` would mislead."""
    page = render_template("errors/error.html", code=code, title=title, text=text, detail=None)
    abort(make_response(page, code))


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        security_log.record_now(Kind.CSRF_FAILED, Outcome.REFUSED, detail=error.description)
        return render_error(
            400,
            _(
                "The form expired or was sent without its security token. "
                "Go back, reload the page and send it again."
            ),
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        if error.code == 403:
            security_log.record_now(Kind.ACCESS_DENIED, Outcome.REFUSED, detail=request.method)
        return render_error(error.code, getattr(error, "detail", None))

    @app.errorhandler(StaleDataError)
    def concurrent_change(error):
        """Two saves of one record at the same moment: the version check in the UPDATE
        (version_id_col) refused the second; nothing of it was saved."""
        db.session.rollback()
        return render_error(409)

    @app.errorhandler(OperationalError)
    @app.errorhandler(DisconnectionError)
    def database_unavailable(error):
        """The database went away (or stayed locked) mid-request: say so, save nothing, and let
        the pool (pool_pre_ping) reconnect on the next request once the database is back."""
        app.logger.warning("Database unavailable: %s", error)
        with contextlib.suppress(DBAPIError):  # the connection is gone; the pool discards it
            db.session.close()
        # The page must not need the database: render it without loading the user again.
        g._login_user = login_manager.anonymous_user()
        response, code = render_error(503)
        return response, code, {"Retry-After": "30"}

    @app.errorhandler(InternalServerError)
    def server_error(error):
        db.session.rollback()
        return render_error(500)
