"""Applying a confirmed plan of action: the job behind the import's confirmation
(:mod:`tracker.imports`)."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from tracker.editing import Invalid
from tracker.extensions import db
from tracker.i18n import gettext as _
from tracker.i18n import ngettext
from tracker.imports.models import ImportRun
from tracker.imports.services import Refused, payload_of, run_job
from tracker.jobs import job
from tracker.projects.models import Programme
from tracker.quarters.lock import QuarterClosed
from tracker.setup import plan_import, queries, workbook

KIND = "plan"


def scope(user_id: int, programme_id: int) -> dict:
    """What a preview is signed for: one user's import into one programme."""
    return {"user": user_id, "programme": programme_id}


def rows_of(payload: dict) -> dict[str, list[workbook.Row]]:
    """The workbook's rows as the signed preview holds them."""
    rows = {
        sheet: [workbook.Row(**row) for row in found] for sheet, found in payload["rows"].items()
    }
    for found in rows.values():
        for row in found:
            row.errors = [workbook.CellError(**e) for e in row.errors]
    return rows


@job()
def apply_plan(run_id: int) -> None:
    run_job(run_id, KIND, _apply)


def _apply(run: ImportRun) -> tuple[int, str]:
    programme = db.session.get(Programme, run.target_id)
    if programme is None or programme.archived_at is not None:
        raise Refused(_("The programme was archived or removed meanwhile. Nothing was applied."))
    payload = payload_of(run)
    try:
        rows = rows_of(payload)
    except (KeyError, TypeError, AttributeError) as refused:
        raise Refused(_("The preview expired or was altered. Upload the file again.")) from refused
    context = queries.plan_context(programme.id)
    plan = plan_import.make_plan(context, rows)
    if plan.errors or plan.fingerprint() != payload.get("plan"):
        raise Refused(
            _(
                "The programme changed since your preview. Nothing was applied: upload the "
                "file again to see the new preview."
            )
        )
    try:
        plan_import.apply(programme, context, rows, run.user_id)
        db.session.flush()
    except (Invalid, QuarterClosed) as refusal:
        raise Refused(_("Nothing was applied.") + " " + refusal.message) from refusal
    except (IntegrityError, StaleDataError) as clash:
        raise Refused(
            _("The programme changed at the same moment. Nothing was applied.")
        ) from clash
    applied = len(plan.changes)
    return applied, ngettext(
        "%(num)d row of the plan of action applied.",
        "%(num)d rows of the plan of action applied.",
        applied,
    )
