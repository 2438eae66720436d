"""The lock a closed quarter puts on its data.

Once the steering group's report of a quarter is approved and archived, the records that make
it up cannot change: a measurement of that period, the lead's quarterly update, a milestone's
achievement dated in it. Each of those models wears :class:`QuarterLocked`, and one flush guard
(installed by ``create_app``) refuses every write path that touches a closed quarter, whether
or not its form checked first. Forms check first anyway (:func:`ensure_quarter_open`) so that
the user sees the refusal beside the field, with what was typed kept.

Like Akvo RSR's locked indicator periods, the lock belongs to the data, not to the report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from flask import Flask, render_template
from sqlalchemy import event, inspect, select, tuple_
from sqlalchemy.orm import Session, object_session

from tracker.auth.models import User
from tracker.editing import Invalid
from tracker.extensions import db
from tracker.i18n import gettext as _
from tracker.quarters.display import quarter_text
from tracker.quarters.models import ClosedQuarter
from tracker.quarters.period import Quarter


class QuarterClosed(Invalid):
    """An edit to data of a closed quarter. ``message`` is for the user (translated).

    An :class:`~tracker.editing.Invalid` of the form field that places the record in the
    quarter (a measurement's ``period``, a milestone's ``achieved_on``), so the shared edit flow
    shows it beside that field and keeps what was typed; a form without that field shows it at
    the top.
    """

    def __init__(self, quarter: str, field: str = "period"):  # translated when shown, not here
        self.quarter = quarter
        self.field = field
        Exception.__init__(self, quarter)

    @property
    def message(self) -> str:
        return _(
            "Quarter %(quarter)s is closed: its report has been approved and archived, so its "
            "measurements, quarterly updates and milestone achievements can no longer be "
            "changed. Ask the programme manager to reopen the quarter if a correction is needed.",
            quarter=quarter_text(self.quarter),
        )


class QuarterLocked:
    """Mixin of a record that belongs to a quarter and is frozen once that quarter is closed.

    ``__quarter_attribute__`` names the attribute that places the record in a quarter: a
    quarter code such as ``"2026-Q3"`` or a date. ``__locked_fields__`` names the attributes
    the lock covers; ``None`` covers the whole record. Creating, deleting or changing a covered
    attribute of a record in a closed quarter is refused, and so is moving a record into or out
    of one. ``__programme_via__`` names the relationship that leads to the programme.
    """

    __quarter_attribute__: ClassVar[str]
    __locked_fields__: ClassVar[tuple[str, ...] | None] = None
    # The relationship to the record that holds the programme (an indicator, a subproject).
    __programme_via__: ClassVar[str]

    def locked_programme_id(self) -> int | None:
        """The programme whose closed quarters bind this record."""
        owner = related(self, self.__programme_via__)
        return owner.programme_id if owner else None


def related(record, relationship: str):
    """The record at the other end of ``relationship``, also before the first flush, when
    only its foreign key is set."""
    value = getattr(record, relationship)
    if value is None:
        prop = inspect(record).mapper.relationships[relationship]
        (column,) = prop.local_columns
        key = getattr(record, column.key)
        session = object_session(record)
        if key is not None and session is not None:
            value = session.get(prop.mapper.class_, key)
    return value


def _quarter_code(value) -> str | None:
    if isinstance(value, date):
        return str(Quarter.of(value))
    return value or None


def _quarters_touched(session: Session, record: QuarterLocked) -> set[str]:
    state = inspect(record)
    attribute = record.__quarter_attribute__
    if record in session.dirty:
        fields = record.__locked_fields__
        if fields is None:
            if not session.is_modified(record, include_collections=False):
                return set()
        elif not any(state.attrs[name].history.has_changes() for name in fields):
            return set()
    values = [getattr(record, attribute), *state.attrs[attribute].history.deleted]
    return {code for code in map(_quarter_code, values) if code}


def _closed_quarter_touched(session: Session) -> QuarterClosed | None:
    """The refusal for the first closed quarter the pending changes touch, if any: one query."""
    touched: dict[tuple[int, str], str] = {}
    with session.no_autoflush:
        for record in [*session.new, *session.dirty, *session.deleted]:
            if not isinstance(record, QuarterLocked):
                continue
            quarters = _quarters_touched(session, record)
            programme_id = record.locked_programme_id() if quarters else None
            if programme_id is not None:
                for quarter in quarters:
                    touched.setdefault((programme_id, quarter), record.__quarter_attribute__)
        if not touched:
            return None
        closed = session.execute(
            select(ClosedQuarter.programme_id, ClosedQuarter.quarter)
            .where(tuple_(ClosedQuarter.programme_id, ClosedQuarter.quarter).in_(list(touched)))
            .limit(1)
        ).first()
    if closed is None:
        return None
    return QuarterClosed(closed.quarter, field=touched[(closed.programme_id, closed.quarter)])


def _before_flush(session: Session, flush_context, instances) -> None:
    refusal = _closed_quarter_touched(session)
    if refusal is not None:
        raise refusal


def closed_quarter(programme_id: int, quarter: Quarter | str) -> ClosedQuarter | None:
    return db.session.scalar(
        select(ClosedQuarter).where(
            ClosedQuarter.programme_id == programme_id, ClosedQuarter.quarter == str(quarter)
        )
    )


@dataclass(frozen=True)
class Closure:
    """What a page of a closed quarter tells its reader: since when it is closed, and by whom
    (None for a quarter closed by a user since deleted)."""

    quarter: str
    closed_on: date
    closed_by: str | None


def closure(programme_id: int, quarter: Quarter | str) -> Closure | None:
    """The closing of ``quarter``, or None while it is open: one query."""
    row = db.session.execute(
        select(ClosedQuarter.closed_at, User.name)
        .outerjoin(User, User.id == ClosedQuarter.closed_by_id)
        .where(ClosedQuarter.programme_id == programme_id, ClosedQuarter.quarter == str(quarter))
    ).first()
    if row is None:
        return None
    return Closure(str(quarter), row.closed_at.date(), row.name)


def closed_quarters(programme_id: int) -> dict[str, ClosedQuarter]:
    rows = db.session.scalars(
        select(ClosedQuarter).where(ClosedQuarter.programme_id == programme_id)
    ).all()
    return {row.quarter: row for row in rows}


def is_closed(programme_id: int, quarter: Quarter | str) -> bool:
    found = db.session.scalar(
        select(ClosedQuarter.id).where(
            ClosedQuarter.programme_id == programme_id, ClosedQuarter.quarter == str(quarter)
        )
    )
    return found is not None


def ensure_quarter_open(programme_id: int, quarter: Quarter | str, field: str = "period") -> None:
    """Raise :class:`QuarterClosed` (of form field ``field``) when ``quarter`` of the programme
    has been closed."""
    if is_closed(programme_id, quarter):
        raise QuarterClosed(str(quarter), field)


def init_app(app: Flask) -> None:
    """Install the flush guard and the page that explains a refusal (409)."""
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)

    @app.errorhandler(QuarterClosed)
    def quarter_closed(error: QuarterClosed):
        db.session.rollback()
        page = render_template(
            "errors/error.html", code=409, title=_("Quarter closed"), text=error.message
        )
        return page, 409
