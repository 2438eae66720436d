"""Closing a quarter: the approved report is frozen (data snapshot, PDF and its SHA-256).

From then on that quarter's report is served from the archive, byte for byte, and the data of
the quarter cannot change (the lock in :mod:`tracker.quarters.lock`). A subproject's report of
a closed quarter is made from the snapshot at its first download and archived too. Reopening
deletes the archive rows; both actions leave an audit entry.
"""

from __future__ import annotations

import hashlib
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from tracker import timeutil
from tracker.audit.models import AuditEntry
from tracker.extensions import db
from tracker.quarters import Quarter
from tracker.quarters.lock import closed_quarter
from tracker.quarters.models import ClosedQuarter, ClosedSubprojectReport
from tracker.reports import pdf, snapshot


class AlreadyClosed(Exception):
    pass


class NotClosed(Exception):
    pass


class NotInArchive(LookupError):
    """The subproject was not part of the programme when the quarter was closed."""


def close_quarter(programme_id: int, quarter: Quarter, user) -> ClosedQuarter:
    """Freeze the quarter: snapshot its data, render the final PDF, store both with the hash."""
    if closed_quarter(programme_id, quarter) is not None:
        raise AlreadyClosed(str(quarter))
    data = snapshot.collect(programme_id, quarter)
    closing = pdf.Closing(closed_on=timeutil.today(), closed_by=user.name)
    data["closing"] = {"closed_on": closing.closed_on.isoformat(), "closed_by": closing.closed_by}
    document = pdf.build_pdf(data, state=pdf.FINAL, closing=closing)
    row = ClosedQuarter(
        programme_id=programme_id,
        quarter=str(quarter),
        closed_by_id=user.id,
        snapshot=data,
        pdf=document,
        pdf_sha256=hashlib.sha256(document).hexdigest(),
    )
    db.session.add(row)
    db.session.flush()
    _audit(user, "create", row)
    db.session.commit()
    return row


def archived_subproject_pdf(row: ClosedQuarter, subproject_id: int) -> tuple[bytes, str]:
    """A subproject's report of the closed quarter ``row`` and its SHA-256, from the archive.

    The first download makes it from the quarter's snapshot and archives it; every later one
    gets those bytes. Raises :class:`NotInArchive` for a subproject added after the closing.
    """
    stored = _stored_subproject_report(row.id, subproject_id)
    if stored is not None:
        return stored.pdf, stored.pdf_sha256
    if subproject_id not in snapshot.subproject_ids(row.snapshot):
        raise NotInArchive(subproject_id)
    body = pdf.build_pdf(
        row.snapshot, subproject_id=subproject_id, state=pdf.FINAL, closing=closing_of(row)
    )
    digest = hashlib.sha256(body).hexdigest()
    closed_quarter_id = row.id
    # The read transaction ends first: on SQLite a read transaction cannot turn into a write
    # once another worker has written meanwhile, whereas a new one waits for the writer lock.
    db.session.commit()
    try:
        db.session.add(
            ClosedSubprojectReport(
                closed_quarter_id=closed_quarter_id,
                subproject_id=subproject_id,
                pdf=body,
                pdf_sha256=digest,
            )
        )
        db.session.commit()
    except IntegrityError:  # archived by a simultaneous download, or the quarter reopened
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
    """Delete the archive (with its subproject reports) so the quarter's data can be corrected;
    the audit entry keeps the reason and the hash of the programme report that was withdrawn."""
    row = closed_quarter(programme_id, quarter)
    if row is None:
        raise NotClosed(str(quarter))
    _audit(user, "delete", row, reason=reason)
    db.session.delete(row)
    db.session.commit()


def _audit(user, action: str, row: ClosedQuarter, reason: str | None = None) -> None:
    """The one audit entry of a closing ("create") or reopening ("delete"), in the history's
    before/after form. ClosedQuarter is not among the recorder's classes (tracker/audit/
    recorder.py): its entry would hold the whole snapshot and the PDF. This one names the
    quarter and the report's hash, which identifies the archived PDF, and nothing bigger; a
    reopening adds its reason."""
    facts = {"programme_id": row.programme_id, "quarter": row.quarter, "pdf_sha256": row.pdf_sha256}
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
    """Who closed the quarter and when, as printed on the archived report's cover."""
    closing = row.snapshot.get("closing") or {}
    return pdf.Closing(
        closed_on=date.fromisoformat(closing["closed_on"]) if closing else row.closed_at.date(),
        closed_by=closing.get("closed_by", ""),
    )
