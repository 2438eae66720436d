"""Closing a quarter: the approved report is frozen (data snapshot, PDF and its SHA-256).

The manager's request queues a job (:func:`request_closing`), which makes the final PDF and
archives it; the reports page shows the quarter as being closed until then.

From then on that quarter's report is served from the archive, byte for byte, and the data of
the quarter cannot change (the lock in :mod:`tracker.quarters.lock`). A subproject's report of
a closed quarter is made from the snapshot by a job at its first download and archived too.
Closing records the meeting and decision of the steering group that approved the report, and
the cover prints them. Reopening moves the approved PDF to :class:`WithdrawnReport` (still
downloadable, marked withdrawn) and deletes the archive rows; both actions leave an audit entry.
A closing after a reopening makes the next report version.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from tracker import sqlite, timeutil
from tracker.audit.models import AuditEntry
from tracker.auth.models import User
from tracker.extensions import db
from tracker.jobs import job
from tracker.quarters import Quarter
from tracker.quarters.lock import closed_quarter
from tracker.quarters.models import ClosedQuarter, ClosedSubprojectReport, WithdrawnReport
from tracker.reports import pdf, snapshot
from tracker.reports.models import QuarterClosing, StoredReport
from tracker.steering.models import Decision
from tracker.timeutil import utcnow

logger = logging.getLogger(__name__)

# Times the closing makes the report again when the data changed while it was being made.
ATTEMPTS = 3


class AlreadyClosed(Exception):
    pass


class NotClosed(Exception):
    pass


class ClosingUnderway(Exception):
    """The quarter's closing job is queued or running."""


class DataKeptChanging(RuntimeError):
    """The quarter's data changed during every attempt to make its final report."""


class NotInArchive(LookupError):
    """The subproject was not part of the programme when the quarter was closed."""


class ApprovalGone(LookupError):
    """The decision chosen as the report's approval was deleted before the closing ran."""


def request_closing(programme_id: int, quarter: Quarter, user, decision_id: int) -> None:
    """Queue the closing of ``quarter``, approved by the steering group's decision
    ``decision_id``: the job makes the final report, which takes a while.
    Raises :class:`AlreadyClosed`, or :class:`ClosingUnderway` while an earlier request runs."""
    if closed_quarter(programme_id, quarter) is not None:
        raise AlreadyClosed(str(quarter))
    pending = closing_underway(programme_id, quarter)
    if pending is not None:
        if is_running(pending):
            raise ClosingUnderway(str(quarter))
        db.session.delete(pending)
        db.session.flush()
    row = QuarterClosing(
        programme_id=programme_id,
        quarter=str(quarter),
        requested_by_id=user.id,
        decision_id=decision_id,
    )
    db.session.add(row)
    db.session.flush()
    closing_id = row.id
    # Committed before the job may start, and nothing read after it: in a POST on SQLite a
    # new read would take the writer lock that the job (run at once in tests) needs.
    db.session.commit()
    close_quarter_job.enqueue(closing_id)


def closing_underway(programme_id: int, quarter: Quarter) -> QuarterClosing | None:
    return db.session.scalar(
        select(QuarterClosing).where(
            QuarterClosing.programme_id == programme_id, QuarterClosing.quarter == str(quarter)
        )
    )


def closings_underway(programme_id: int) -> dict[str, bool]:
    """The programme's quarters being closed (True) or whose closing failed (False)."""
    rows = db.session.scalars(
        select(QuarterClosing).where(QuarterClosing.programme_id == programme_id)
    )
    return {row.quarter: is_running(row) for row in rows}


def is_running(pending: QuarterClosing) -> bool:
    """Queued or running; not failed, nor lost with a consumer that died."""
    return pending.error is None and not pending.lost(utcnow(), _timeout())


def _timeout() -> timedelta:
    return timedelta(minutes=current_app.config["JOB_TIMEOUT_MINUTES"])


@job()
def close_quarter_job(closing_id: int) -> None:
    pending = db.session.get(QuarterClosing, closing_id)
    if pending is None or pending.error is not None:
        return
    programme_id, quarter = pending.programme_id, Quarter.parse(pending.quarter)
    user = db.session.get(User, pending.requested_by_id) if pending.requested_by_id else None
    decision = db.session.get(Decision, pending.decision_id) if pending.decision_id else None
    try:
        if user is None:
            raise LookupError("the user who asked for the closing no longer exists")
        if decision is None:
            raise ApprovalGone("the decision chosen as the approval is no longer in the log")
        close_quarter(programme_id, quarter, user, approval_of(decision))
    except AlreadyClosed:
        db.session.rollback()
        _finish(closing_id, None)
    except Exception as error:
        db.session.rollback()
        logger.exception("closing %s of programme %s failed", quarter, programme_id)
        _finish(closing_id, f"{type(error).__name__}: {error}"[:2000])


def _finish(closing_id: int, error: str | None) -> None:
    with sqlite.writing():
        pending = db.session.get(QuarterClosing, closing_id)
        if pending is not None:
            if error is None:
                db.session.delete(pending)
            else:
                pending.error = error
        db.session.commit()


def approval_of(decision: Decision) -> pdf.Approval:
    """The approval as the cover prints it, copied from the decision log."""
    meeting = decision.meeting
    return pdf.Approval(
        approved_on=meeting.held_on,
        meeting=meeting.title,
        decision_number=decision.number,
        decision=decision.text,
        meeting_id=meeting.id,
        decision_id=decision.id,
    )


def next_version(programme_id: int, quarter: Quarter) -> int:
    """The version the quarter's next approved report gets: one more than those withdrawn."""
    withdrawn = db.session.scalar(
        select(func.max(WithdrawnReport.report_version)).where(
            WithdrawnReport.programme_id == programme_id,
            WithdrawnReport.quarter == str(quarter),
        )
    )
    return (withdrawn or 0) + 1


def close_quarter(
    programme_id: int, quarter: Quarter, user, approval: pdf.Approval
) -> ClosedQuarter:
    """Freeze the quarter: snapshot its data, render the final PDF, store both with the hash.

    The PDF takes seconds to make, outside any write transaction; then, holding the writer
    lock, the data are read again and the archive is written only if they did not change
    meanwhile (else it is made again), so the archive holds exactly what the lock then guards.
    """
    for _attempt in range(ATTEMPTS):
        if closed_quarter(programme_id, quarter) is not None:
            raise AlreadyClosed(str(quarter))
        data = snapshot.collect(programme_id, quarter)
        closing = pdf.Closing(
            closed_on=timeutil.today(),
            closed_by=user.name,
            version=next_version(programme_id, quarter),
            approval=approval,
        )
        data["closing"] = closing.as_json()
        document = pdf.build_pdf(data, state=pdf.FINAL, closing=closing)
        db.session.commit()  # ends the read transaction; the write below begins locked
        with sqlite.writing():
            if closed_quarter(programme_id, quarter) is not None:
                raise AlreadyClosed(str(quarter))
            if _same_data(snapshot.collect(programme_id, quarter), data):
                return _archive(programme_id, quarter, user, closing, data, document)
            db.session.commit()
    raise DataKeptChanging(str(quarter))


def _same_data(now: dict, archived: dict) -> bool:
    return all(now[key] == archived[key] for key in ("programme", "quarter", "as_at", "frames"))


def _archive(
    programme_id: int,
    quarter: Quarter,
    user,
    closing: pdf.Closing,
    data: dict,
    document: bytes,
):
    approval = closing.approval
    row = ClosedQuarter(
        programme_id=programme_id,
        quarter=str(quarter),
        closed_by_id=user.id,
        snapshot=data,
        pdf=document,
        pdf_sha256=hashlib.sha256(document).hexdigest(),
        report_version=closing.version,
        approval_meeting_id=approval.meeting_id,
        approval_decision_id=approval.decision_id,
        approved_on=approval.approved_on,
        approval_meeting=approval.meeting[:200],
        approval_decision_number=approval.decision_number,
        approval_decision=approval.decision,
    )
    db.session.add(row)
    db.session.flush()
    _audit(user, "create", row)
    db.session.execute(
        delete(QuarterClosing).where(
            QuarterClosing.programme_id == programme_id, QuarterClosing.quarter == str(quarter)
        )
    )
    db.session.commit()
    return row


def stored_subproject_pdf(row: ClosedQuarter, subproject_id: int) -> tuple[bytes, str] | None:
    """A subproject's archived report of the closed quarter ``row`` and its SHA-256, if made.
    Raises :class:`NotInArchive` for a subproject added after the closing."""
    stored = _stored_subproject_report(row.id, subproject_id)
    if stored is not None:
        return stored.pdf, stored.pdf_sha256
    if subproject_id not in snapshot.subproject_ids(row.snapshot):
        raise NotInArchive(subproject_id)
    return None


def archive_subproject_pdf(row: ClosedQuarter, subproject_id: int) -> tuple[bytes, str]:
    """Make a subproject's report of the closed quarter ``row`` from its snapshot and archive
    it, so every later download gets these bytes (a job: it takes seconds)."""
    known = stored_subproject_pdf(row, subproject_id)
    if known is not None:
        return known
    body = pdf.build_pdf(
        row.snapshot, subproject_id=subproject_id, state=pdf.FINAL, closing=closing_of(row)
    )
    digest = hashlib.sha256(body).hexdigest()
    closed_quarter_id = row.id
    # The read transaction ends first: on SQLite a read transaction cannot turn into a write
    # once another process has written meanwhile, whereas a new locked one waits its turn.
    db.session.commit()
    try:
        with sqlite.writing():
            db.session.add(
                ClosedSubprojectReport(
                    closed_quarter_id=closed_quarter_id,
                    subproject_id=subproject_id,
                    pdf=body,
                    pdf_sha256=digest,
                )
            )
            db.session.commit()
    except IntegrityError:  # archived by a simultaneous job, or the quarter reopened
        db.session.rollback()
        stored = _stored_subproject_report(closed_quarter_id, subproject_id)
        if stored is not None:
            return stored.pdf, stored.pdf_sha256
    return body, digest


def _stored_subproject_report(
    closed_quarter_id: int, subproject_id: int
) -> ClosedSubprojectReport | None:
    return db.session.scalar(
        select(ClosedSubprojectReport).where(
            ClosedSubprojectReport.closed_quarter_id == closed_quarter_id,
            ClosedSubprojectReport.subproject_id == subproject_id,
        )
    )


def reopen_quarter(programme_id: int, quarter: Quarter, user, reason: str) -> None:
    """Withdraw the approved report and delete the archive (with its subproject reports) so the
    quarter's data can be corrected. The programme report's file is kept as a withdrawn version
    with the reason; the audit entry keeps the reason and the withdrawn report's hash."""
    row = closed_quarter(programme_id, quarter)
    if row is None:
        raise NotClosed(str(quarter))
    _audit(user, "delete", row, reason=reason)
    db.session.add(
        WithdrawnReport(
            programme_id=row.programme_id,
            quarter=row.quarter,
            report_version=row.report_version,
            closed_by_id=row.closed_by_id,
            closed_at=row.closed_at,
            approved_on=row.approved_on,
            approval_meeting=row.approval_meeting,
            approval_decision_number=row.approval_decision_number,
            approval_decision=row.approval_decision,
            withdrawn_by_id=user.id,
            reason=reason,
            pdf=row.pdf,
            pdf_sha256=row.pdf_sha256,
        )
    )
    db.session.execute(
        delete(StoredReport).where(
            StoredReport.programme_id == programme_id,
            StoredReport.quarter == str(quarter),
            StoredReport.variant == pdf.FINAL,
        )
    )
    db.session.delete(row)
    db.session.commit()


def _audit(user, action: str, row: ClosedQuarter, reason: str | None = None) -> None:
    """The one audit entry of a closing ("create") or reopening ("delete"), in the history's
    before/after form. ClosedQuarter is not among the recorder's classes (tracker/audit/
    recorder.py): its entry would hold the whole snapshot and the PDF. This one names the
    quarter and the report's hash, which identifies the archived PDF, and nothing bigger; a
    reopening adds its reason."""
    facts = {
        "programme_id": row.programme_id,
        "quarter": row.quarter,
        "report_version": row.report_version,
        "approved_on": row.approved_on.isoformat() if row.approved_on else None,
        "approval_decision": row.approval_decision,
        "pdf_sha256": row.pdf_sha256,
    }
    changes = {
        key: [None, value] if action == "create" else [value, None] for key, value in facts.items()
    }
    if reason is not None:
        changes["reason"] = [None, reason]
    db.session.add(
        AuditEntry(
            user_id=user.id,
            entity="ClosedQuarter",
            entity_id=row.id,
            action=action,
            changes=changes,
        )
    )


def closing_of(row: ClosedQuarter) -> pdf.Closing:
    """Who closed the quarter, when, and the approval, as printed on the archived report's
    cover (a quarter closed before approvals were recorded has none)."""
    closing = row.snapshot.get("closing") or {}
    if not closing:
        return pdf.Closing(closed_on=row.closed_at.date(), closed_by="")
    return pdf.Closing.from_json(closing)


def withdrawn_reports(programme_id: int) -> dict[str, list[dict]]:
    """The programme's withdrawn reports per quarter, oldest version first, with who withdrew
    them, without their files (one query)."""
    rows = db.session.execute(
        select(
            WithdrawnReport.quarter,
            WithdrawnReport.report_version,
            WithdrawnReport.withdrawn_at,
            User.name,
            WithdrawnReport.reason,
            WithdrawnReport.approved_on,
            WithdrawnReport.approval_decision_number,
            WithdrawnReport.pdf_sha256,
        )
        .outerjoin(User, User.id == WithdrawnReport.withdrawn_by_id)
        .where(WithdrawnReport.programme_id == programme_id)
        .order_by(WithdrawnReport.quarter, WithdrawnReport.report_version)
    )
    found: dict[str, list[dict]] = {}
    for row in rows:
        found.setdefault(row.quarter, []).append(
            {
                "version": row.report_version,
                "withdrawn_at": row.withdrawn_at,
                "withdrawn_by": row.name or "",
                "reason": row.reason,
                "approved_on": row.approved_on,
                "decision_number": row.approval_decision_number,
                "pdf_sha256": row.pdf_sha256,
            }
        )
    return found


def withdrawn_report(programme_id: int, quarter: Quarter, version: int) -> WithdrawnReport | None:
    return db.session.scalar(
        select(WithdrawnReport).where(
            WithdrawnReport.programme_id == programme_id,
            WithdrawnReport.quarter == str(quarter),
            WithdrawnReport.report_version == version,
        )
    )
