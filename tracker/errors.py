"""Error pages in the app's look, for every 4xx and 500."""

from flask import Flask, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from tracker.extensions import db


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
        413: (_("File too large"), _("The file is larger than allowed. Use a smaller file.")),
        429: (_("Too many attempts"), _("Too many attempts. Wait a moment and try again.")),
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


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
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
        return render_error(error.code)

    @app.errorhandler(InternalServerError)
    def server_error(error):
        db.session.rollback()
        return render_error(500)
