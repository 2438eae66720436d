"""After a data change, the concept programme reports are rebuilt in the background, so that
before a steering-group meeting their download is instant.

A commit that changed any record a report reads schedules one debounced job
(``REPORT_REBUILD_DELAY`` seconds, 30 by default): a burst of saves, such as a lead entering a
quarter, causes one rebuild after the last save. The job builds the programme reports of the
current and the previous quarter (the one the next meeting discusses) unless they are closed or
already stored for these data.
"""

from __future__ import annotations

import logging

from flask import current_app, has_app_context
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from tracker import timeutil
from tracker.extensions import db
from tracker.jobs import job
from tracker.projects.models import Programme
from tracker.quarters import Quarter
from tracker.quarters.lock import closed_quarter
from tracker.reports import store
from tracker.reports.models import StoredReport

logger = logging.getLogger(__name__)

DEBOUNCE_KEY = "reports.rebuild_concepts"
CHANGED = "reports_data_changed"


def _report_sources() -> tuple[type, ...]:
    """The records a quarterly report is made of (see :func:`tracker.reports.snapshot.collect`)."""
    from tracker import models

    return (
        models.Programme,
        models.Municipality,
        models.Subproject,
        models.Action,
        models.Organisation,
        models.Milestone,
        models.MilestoneDateChange,
        models.Indicator,
        models.Measurement,
        models.QuarterlyUpdate,
        models.ExceptionReport,
    )


def _after_flush(session: Session, _context) -> None:
    sources = _report_sources()
    if any(isinstance(o, sources) for o in (*session.new, *session.dirty, *session.deleted)):
        session.info[CHANGED] = True


def _after_commit(session: Session) -> None:
    if not session.info.pop(CHANGED, False) or not has_app_context():
        return
    delay = current_app.config.get("REPORT_REBUILD_DELAY")
    if delay is None:
        return
    try:
        rebuild_concepts.debounce(DEBOUNCE_KEY, delay=delay)
    except Exception:  # the save is committed; a queue that is down only costs the head start
        logger.exception("could not schedule the rebuild of the concept reports")


def _after_rollback(session: Session) -> None:
    session.info.pop(CHANGED, None)


def install() -> None:
    """Listen on every Session (idempotent)."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_rollback", _after_rollback)


def concept_quarters(programme: Programme) -> list[Quarter]:
    """The current quarter and the one before it, within the programme's run."""
    first, last = Quarter.of(programme.start_date), Quarter.of(programme.end_date)
    current = min(Quarter.of(timeutil.today()), last)
    return [q for q in (current.previous(), current) if q >= first]


@job()
def rebuild_concepts() -> None:
    programmes = db.session.scalars(select(Programme).order_by(Programme.id)).all()
    wanted = [
        (programme.id, quarter)
        for programme in programmes
        for quarter in concept_quarters(programme)
        if closed_quarter(programme.id, quarter) is None
    ]
    for programme_id, quarter in wanted:
        report = store.concept(programme_id, quarter)
        if store.usable(store.find(report.input_hash)) or store.queued_build(report):
            continue
        report_id = store.insert_queued(report, None)
        if report_id is not None:
            store.build(db.session.get(StoredReport, report_id))
