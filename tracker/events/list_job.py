"""Applying a confirmed registration list: the job behind the list import's confirmation
(:mod:`tracker.imports`)."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from tracker.auth.models import User
from tracker.auth.permissions import can_manage_programme
from tracker.editing import Invalid
from tracker.events import list_import, queries
from tracker.events import registration_list as rules
from tracker.events.models import Event
from tracker.extensions import db
from tracker.i18n import gettext as _
from tracker.i18n import ngettext
from tracker.imports.models import ImportRun
from tracker.imports.services import Refused, payload_of, run_job
from tracker.jobs import job

KIND = "registrations"


def scope(user_id: int, event_id: int) -> dict:
    """What a preview is signed for: one user's list for one event."""
    return {"user": user_id, "event": event_id}


@job()
def apply_registration_list(run_id: int) -> None:
    run_job(run_id, KIND, _apply)


def _apply(run: ImportRun) -> tuple[int, str]:
    event = db.session.get(Event, run.target_id)
    user = db.session.get(User, run.user_id)
    if event is None or user is None or not user.active:
        raise Refused(_("The event was removed meanwhile. Nothing was applied."))
    payload = payload_of(run)
    try:
        rows = [rules.ListRow(r["row"], r["values"]) for r in payload["rows"]]
        promised_state, promised_plan = payload["state"], payload["plan"]
    except (KeyError, TypeError) as refused:
        raise Refused(_("The preview expired or was altered. Upload the file again.")) from refused
    plan = rules.make_plan(rows, queries.list_context(event, can_manage_programme(user)))
    if (
        plan.errors
        or queries.registrations_state(event) != promised_state
        or plan.fingerprint() != promised_plan
    ):
        raise Refused(
            _(
                "The event or its registrations changed since your preview. Nothing was "
                "applied: upload the file again to see the new preview."
            )
        )
    try:
        list_import.apply(event, plan, user)
        db.session.flush()
    except Invalid as refusal:
        raise Refused(_("Nothing was applied.") + " " + refusal.message) from refusal
    except (IntegrityError, StaleDataError) as clash:
        raise Refused(
            _("The registrations changed at the same moment. Nothing was applied.")
        ) from clash
    applied = len(plan.changes)
    return applied, ngettext(
        "The registration list is applied: %(num)d organisation.",
        "The registration list is applied: %(num)d organisations.",
        applied,
    )
