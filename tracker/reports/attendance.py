"""The attendance list (presentielijst) of an event as a PDF, printed for signing on the day:
every registered organisation with an empty line per attendee for name and signature. Made
with the report's WeasyPrint settings (the static-only fetcher, tagged PDF)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template
from flask_babel import force_locale
from flask_login import login_required

from tracker.events import queries as event_queries
from tracker.reports import pdf

bp = Blueprint("attendance_list", __name__)

BLANK_LINES = 5  # for people who come without having registered


@bp.route("/events/<int:event_id>/attendance-list.pdf")
@login_required
def attendance_list(event_id: int):
    event = event_queries.event_page(event_id)
    if event is None:
        abort(404)
    registrations = sorted(event.registrations, key=lambda r: r.organisation.name.lower())
    with force_locale("nl"):
        html = render_template(
            "reports/pdf/attendance.html",
            event=event,
            registrations=registrations,
            blank_lines=range(BLANK_LINES),
            stylesheet=pdf.STYLESHEET,
        )
    body = pdf.html_to_pdf(html)
    name = f"presentielijst-{event.held_on.isoformat()}-{event.id}.pdf"
    return Response(
        body,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
