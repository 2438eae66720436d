"""Reports are files, built once: a quarterly report PDF is built by a job and kept in the
database under the hash of its input, so every worker and host serves it at once afterwards.

The input is everything the PDF is made of: the report's snapshot data (without the day it was
made), which report (programme or one subproject, concept or final) and the software that draws
it (the app's code, templates, stylesheets, translations and WeasyPrint's version). Any change in
the data or a new release makes a new hash and so a new build; an unchanged report is one query.

A request for a report not yet built queues a job and answers at once (the view shows a page
with its progress); in immediate mode (tests) the job has run by the time :func:`request`
returns, so the same request serves the PDF.

While leads keep saving, the data change between a request and its build. A job reads the data
when it starts, so a user who asks while a build of the same report is still queued joins it:
they get data as new as they asked for, or newer, and nothing more is queued. The progress page
then follows that build by its id and downloads exactly it, even when newer data were saved
meanwhile; the next plain request gets the newest.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

import weasyprint
from flask import current_app
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from tracker import ROOT, sqlite
from tracker.extensions import db
from tracker.jobs import job
from tracker.quarters import Quarter
from tracker.quarters.lock import closed_quarter
from tracker.reports import closing, pdf, snapshot, steering_pack
from tracker.reports.models import BUILDING, FAILED, QUEUED, READY, WAITING, StoredReport
from tracker.timeutil import utcnow

logger = logging.getLogger(__name__)

# What the PDF is drawn with besides its data; a release that changes any of it rebuilds.
SOFTWARE = (("tracker", "*.py"), ("templates", "*.html"), ("static/css", "*.css"))
SOFTWARE += (("translations", "*.po"),)


class TooManyJobs(Exception):
    """The user already waits for as many reports as one may (``REPORT_JOBS_PER_USER``)."""

    def __init__(self, limit: int):
        super().__init__(limit)
        self.limit = limit


class QuarterReopened(LookupError):
    """A final report was asked for, but its quarter was reopened before the job ran."""


@functools.cache
def software_version() -> str:
    digest = hashlib.sha256(weasyprint.__version__.encode())
    for folder, pattern in SOFTWARE:
        for path in sorted((ROOT / folder).rglob(pattern)):
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class Wanted:
    """One report as of its data: the programme's or one subproject's, concept or final."""

    programme_id: int
    quarter: Quarter
    subproject_id: int | None
    variant: str
    snapshot: dict
    meeting_id: int | None = None  # a meeting's steering pack

    @functools.cached_property
    def input_hash(self) -> str:
        material = {
            "data": {k: v for k, v in self.snapshot.items() if k not in ("made_on", "read_at")},
            "subproject_id": self.subproject_id,
            "variant": self.variant,
            "software": software_version(),
        }
        if self.meeting_id is not None:
            material["meeting_id"] = self.meeting_id
        text = json.dumps(material, sort_keys=True, separators=(",", ":"), default=str)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def concept(programme_id: int, quarter: Quarter, subproject_id: int | None = None) -> Wanted:
    """The concept report of the current data (a few queries, whatever the data size)."""
    data = snapshot.collect(programme_id, quarter)
    return Wanted(programme_id, quarter, subproject_id, pdf.CONCEPT, data)


def final(archived, subproject_id: int) -> Wanted:
    """A subproject's report of a closed quarter, from the archived snapshot."""
    quarter = Quarter.parse(archived.quarter)
    return Wanted(archived.programme_id, quarter, subproject_id, pdf.FINAL, archived.snapshot)


def pack(meeting_id: int) -> Wanted:
    """A meeting's steering pack, of the data as they are now."""
    data = steering_pack.collect(meeting_id)
    quarter = Quarter.parse(data["meeting"]["quarter"])
    return Wanted(data["programme"]["id"], quarter, None, steering_pack.VARIANT, data, meeting_id)


def find(digest: str) -> StoredReport | None:
    return db.session.scalar(select(StoredReport).where(StoredReport.input_hash == digest))


def _timeout() -> timedelta:
    return timedelta(minutes=current_app.config["JOB_TIMEOUT_MINUTES"])


def usable(row: StoredReport | None, now: datetime | None = None) -> bool:
    """Built, or being built by a job that is still alive."""
    if row is None or row.status == FAILED:
        return False
    return not row.lost(now or utcnow(), _timeout())


def waiting_for(user_id: int) -> int:
    """Report jobs of the user that are queued or running (lost ones do not count)."""
    since = utcnow() - _timeout()
    return db.session.scalar(
        select(func.count())
        .select_from(StoredReport)
        .where(
            StoredReport.requested_by_id == user_id,
            StoredReport.status.in_(WAITING),
            func.coalesce(StoredReport.started_at, StoredReport.requested_at) > since,
        )
    )


def _same_report(programme_id, quarter, subproject_id, variant, meeting_id):
    """The conditions that select the builds of one report (whatever their data)."""
    return (
        StoredReport.programme_id == programme_id,
        StoredReport.quarter == str(quarter),
        StoredReport.variant == variant,
        StoredReport.subproject_id.is_(None)
        if subproject_id is None
        else StoredReport.subproject_id == subproject_id,
        StoredReport.meeting_id.is_(None)
        if meeting_id is None
        else StoredReport.meeting_id == meeting_id,
    )


def queued_build(wanted: Wanted) -> StoredReport | None:
    """A build of the same report whose job has not started: it will read the data when it
    starts, so it delivers data at least as new as ``wanted``'s."""
    since = utcnow() - _timeout()
    return db.session.scalar(
        select(StoredReport)
        .where(
            *_same_report(
                wanted.programme_id,
                wanted.quarter,
                wanted.subproject_id,
                wanted.variant,
                wanted.meeting_id,
            ),
            StoredReport.status == QUEUED,
            StoredReport.requested_at > since,
        )
        .order_by(StoredReport.id.desc())
        .limit(1)
    )


def request(wanted: Wanted, user_id: int | None) -> StoredReport | None:
    """The stored report for ``wanted``: built, or the job building it, or a queued build of
    the same report it joins; queued now if none is (or the last one failed or was lost).
    Raises :class:`TooManyJobs` past the user's limit; joining a build does not count."""
    row = find(wanted.input_hash)
    if usable(row):
        return row
    joined = queued_build(wanted)
    if joined is not None:
        return joined
    if user_id is not None:
        limit = current_app.config["REPORT_JOBS_PER_USER"]
        if waiting_for(user_id) >= limit:
            raise TooManyJobs(limit)
    report_id = insert_queued(wanted, user_id)
    if report_id is not None:
        build_report.enqueue(report_id)
    return db.session.scalar(
        select(StoredReport)
        .where(StoredReport.input_hash == wanted.input_hash)
        .execution_options(populate_existing=True)
    )


def insert_queued(wanted: Wanted, user_id: int | None) -> int | None:
    """A queued row for ``wanted`` in place of a failed or lost one; None when another worker
    queued it meanwhile."""
    db.session.commit()  # ends the read transaction: on SQLite the write begins anew, locked
    with sqlite.writing():
        existing = find(wanted.input_hash)
        if usable(existing):
            db.session.commit()
            return None
        if existing is not None:
            db.session.delete(existing)
            db.session.flush()
        row = StoredReport(
            input_hash=wanted.input_hash,
            programme_id=wanted.programme_id,
            subproject_id=wanted.subproject_id,
            meeting_id=wanted.meeting_id,
            quarter=str(wanted.quarter),
            variant=wanted.variant,
            status=QUEUED,
            requested_by_id=user_id,
        )
        db.session.add(row)
        try:
            db.session.flush()
            report_id = row.id
            db.session.commit()
        except IntegrityError:  # PostgreSQL: queued by another worker at the same moment
            db.session.rollback()
            return None
        return report_id


@job()
def build_report(report_id: int) -> None:
    row = db.session.get(StoredReport, report_id)
    if row is not None and row.status == QUEUED:
        build(row)


def build(row: StoredReport) -> None:
    """Build the report of ``row`` from the data as it is now and store it. Data changed since
    the request are built too: the row takes the hash of the data it holds."""
    report_id = row.id
    kind = (row.programme_id, Quarter.parse(row.quarter), row.subproject_id, row.variant)
    meeting_id = row.meeting_id
    _set(report_id, status=BUILDING, started_at=utcnow())
    try:
        wanted, body = _make_pack(meeting_id) if meeting_id is not None else _make(*kind)
    except Exception as error:
        db.session.rollback()
        logger.exception("report %s could not be built", report_id)
        _set(report_id, status=FAILED, error=f"{type(error).__name__}: {error}"[:2000])
        return
    _store(report_id, wanted, body)


def _make(programme_id: int, quarter: Quarter, subproject_id: int | None, variant: str):
    if variant == pdf.FINAL:
        archived = closed_quarter(programme_id, quarter)
        if archived is None or subproject_id is None:
            raise QuarterReopened(f"{quarter} is not closed")
        body, _digest = closing.archive_subproject_pdf(archived, subproject_id)
        return final(archived, subproject_id), body
    wanted = concept(programme_id, quarter, subproject_id)
    return wanted, pdf.build_pdf(wanted.snapshot, subproject_id=subproject_id)


def _make_pack(meeting_id: int):
    wanted = pack(meeting_id)
    return wanted, steering_pack.build_pdf(wanted.snapshot)


def _set(report_id: int, **values) -> None:
    db.session.commit()
    with sqlite.writing():
        db.session.execute(update(StoredReport).where(StoredReport.id == report_id).values(values))
        db.session.commit()


def _store(report_id: int, wanted: Wanted, body: bytes) -> None:
    db.session.commit()
    with sqlite.writing():
        row = db.session.get(StoredReport, report_id)
        if row is None:  # replaced meanwhile as lost
            db.session.commit()
            return
        other = find(wanted.input_hash)
        if other is not None and other.id != row.id:
            # Another build holds these data already; this one stays for the progress page
            # that follows it, under a hash no request computes.
            row.input_hash = followed_only_hash(row.id)
        else:
            row.input_hash = wanted.input_hash
        row.pdf = body
        row.pdf_sha256 = hashlib.sha256(body).hexdigest()
        row.status = READY
        row.built_at = utcnow()
        row.error = None
        _forget_older(row)
        db.session.commit()


def followed_only_hash(report_id: int) -> str:
    return hashlib.sha256(f"followed only: build {report_id}".encode()).hexdigest()


def _forget_older(row: StoredReport) -> None:
    """Earlier builds of the same report show outdated data: a plain request is never served
    them again, and they are deleted once no progress page may still be following them
    (``REPORT_FOLLOW_MINUTES`` after they were built)."""
    kept_since = utcnow() - timedelta(minutes=current_app.config["REPORT_FOLLOW_MINUTES"])
    db.session.execute(
        delete(StoredReport).where(
            StoredReport.id != row.id,
            *_same_report(
                row.programme_id, row.quarter, row.subproject_id, row.variant, row.meeting_id
            ),
            StoredReport.status == READY,
            StoredReport.built_at < kept_since,
        )
    )
