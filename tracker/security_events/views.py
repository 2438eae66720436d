from __future__ import annotations

from flask import Blueprint, render_template, request

from tracker.auth.permissions import roles_required
from tracker.security_events import queries
from tracker.security_events.forms import SecurityEventFilterForm
from tracker.security_events.kinds import KIND_LABELS, OUTCOME_LABELS

bp = Blueprint("security_events", __name__)


@bp.route("/security-events")
@roles_required("admin")
def events():
    form = SecurityEventFilterForm(formdata=request.args)
    page = None
    status = 200
    if form.validate():
        filters = queries.Filters(
            kind=form.kind.data or None,
            outcome=form.outcome.data or None,
            account=form.account.data or None,
            address=form.address.data or None,
            start=form.start.data,
            end=form.end.data,
        )
        page = queries.page_of(filters, request.args.get("page", 1, type=_page_number))
    else:
        status = 400
    arguments = {k: v for k, v in request.args.items() if k not in ("page", "submit") and v}
    return render_template(
        "security_events/events.html",
        form=form,
        page=page,
        arguments=arguments,
        kind_labels=KIND_LABELS,
        outcome_labels=OUTCOME_LABELS,
    ), status


def _page_number(text: str) -> int:
    """A page number from the URL; anything else is the first page."""
    return int(text) if text.isdigit() and len(text) < 7 else 1
