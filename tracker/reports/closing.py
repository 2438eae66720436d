"""Closing a quarter: the approved report is frozen (data snapshot, PDF and its SHA-256).

From then on that quarter's report is served from the archive, byte for byte, and the data of
the quarter (its measurements and the leads' quarterly updates) cannot change: the edit forms
call :func:`ensure_quarter_open`, and a flush guard refuses any write path that forgets to.
A subproject's report of a closed quarter is made from the snapshot at its first download and
archived too. Reopening deletes the archive rows; both actions leave an audit entry.
"""

from __future__ import annotations

import hashlib
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import event, select, tuple_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tracker import timeutil
from tracker.audit.models import AuditEntry
from tracker.editing import Invalid
from tracker.extensions import db
from tracker.indicators.models import Indicator, Measurement
from tracker.projects.models import QuarterlyUpdate, Subproject
from tracker.quarters import Quarter
from tracker.reports import pdf, snapshot
from tracker.reports.models import ClosedQuarter, ClosedSubprojectReport


class QuarterClosed(Invalid):
    """An edit to data of a closed quarter. ``message`` is for the user (translated).

    An :class:`~tracker.editing.Invalid` of the form's ``period`` field, so the shared edit flow
    shows it beside the field and keeps what was typed; pages without that field catch it
    themselves and show the message at the top.
    """

    field = "period"

    def __init__(self, quarter: str):  # the message is translated when shown, not here
        self.quarter = quarter
        Exception.__init__(self, quarter)

    @property
    def message(self) -> str:
        return _(
            "Quarter %(quarter)s is closed: its report has been approved and archived, so its "
            "measurements and quarterly updates can no longer be changed. Ask the programme "
            "manager to reopen the quarter if a correction is needed.",
            quarter=self.quarter,
        )


class AlreadyClosed(Exception):
    pass


class NotClosed(Exception):
    pass


class NotInArchive(LookupError):
    """The subproject was not part of the programme when the quarter was closed."""


def closed_quarter(programme_id: int, quarter: Quarter | str) -> ClosedQuarter | None:
    return db.session.scalar(
        select(ClosedQuarter).where(
            ClosedQuarter.programme_id == programme_id, ClosedQuarter.quarter == str(quarter)
        )
    )


def closed_quarters(programme_id: int) -> dict[str, ClosedQuarter]:
    rows = db.session.scalars(
        select(ClosedQuarter).where(ClosedQuarter.programme_id == programme_id)
    ).all()
    return {row.quarter: row for row in rows}


def is_closed(programme_id: int, quarter: Quarter | str) -> bool:
    return (
        db.session.scalar(
            select(ClosedQuarter.id).where(
                ClosedQuarter.programme_id == programme_id, ClosedQuarter.quarter == str(quarter)
            )
        )
        is not None
    )


def ensure_quarter_open(programme_id: int, quarter: str) -> None:
    """Raise :class:`QuarterClosed` when ``quarter`` of the programme has been closed."""
    if is_closed(programme_id, quarter):
        raise QuarterClosed(str(quarter))


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


# --- The guard: no write path can change a closed quarter's data ---------------------------------


def _quarter_of(obj) -> tuple[int | None, str | None]:
    """(programme_id, quarter) of a Measurement or QuarterlyUpdate, or (None, None)."""
    if isinstance(obj, Measurement):
        indicator = obj.indicator or (
            db.session.get(Indicator, obj.indicator_id) if obj.indicator_id else None
        )
        return (indicator.programme_id if indicator else None), obj.period
    if isinstance(obj, QuarterlyUpdate):
        subproject = obj.subproject or (
            db.session.get(Subproject, obj.subproject_id) if obj.subproject_id else None
        )
        return (subproject.programme_id if subproject else None), obj.quarter
    return None, None


def _touched_quarters(session: Session) -> set[tuple[int, str]]:
    with session.no_autoflush:
        return _collect_touched(session)


def _collect_touched(session: Session) -> set[tuple[int, str]]:
    touched = set()
    for obj in [*session.new, *session.dirty, *session.deleted]:
        if not isinstance(obj, Measurement | QuarterlyUpdate):
            continue
        if obj in session.dirty and not session.is_modified(obj, include_collections=False):
            continue
        programme_id, quarter = _quarter_of(obj)
        if programme_id is not None and quarter:
            touched.add((programme_id, quarter))
        # A change of period/quarter must not move data out of (or into) a closed quarter.
        state = db.inspect(obj)
        for attribute in ("period", "quarter"):
            if attribute in state.attrs:
                old = state.attrs[attribute].history.deleted
                if old and programme_id is not None:
                    touched.update((programme_id, q) for q in old if q)
    return touched


def _before_flush(session: Session, flush_context, instances) -> None:
    touched = _touched_quarters(session)
    if not touched:
        return
    with session.no_autoflush:
        closed = session.execute(
            select(ClosedQuarter.quarter).where(
                tuple_(ClosedQuarter.programme_id, ClosedQuarter.quarter).in_(list(touched))
            )
        ).first()
    if closed is not None:
        raise QuarterClosed(closed[0])


def install_guard() -> None:
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
