"""Read queries of indicators and measurements: SQL into DataFrames, through the status rules.

Pages, the dashboard, the PDF and the exports take their indicator numbers from here, so they
cannot disagree. No function here runs a query per row.

A computed programme indicator (``Indicator.aggregation`` set) has no stored measurements: its
values are made here, per quarter, from its sources' (:mod:`tracker.indicators.rollup`), and go
into every frame below like entered ones, with ``id`` None. Scoped to a whole programme, the
frames leave out the indicators of archived subprojects; a source in an archived subproject
still counts in the programme indicator it feeds (what it measured stays measured).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date
from operator import itemgetter

import pandas as pd
from sqlalchemy import and_, func, or_, select

from tracker import tables, timeutil
from tracker.auth.models import User
from tracker.extensions import db
from tracker.fetch import column_rows, param, param_list, prepared
from tracker.indicators import freshness, rollup
from tracker.indicators import status as indicator_rules
from tracker.indicators.models import Indicator, Measurement, indicator_sources
from tracker.projects.models import Subproject, live_subproject_ids
from tracker.quarters import Quarter

INDICATOR_COLUMNS = [
    "id",
    "subproject_id",
    "name",
    "unit",
    "direction",
    "baseline_value",
    "baseline_date",
    "target_value",
    "target_date",
    "rollup",
    "aggregation",
    "frequency",
    "publication_month",
    "sources",
    "latest_period",
    "latest_value",
    "quarter_value",
    "actual",
    "progress",
    "expected",
    "status",
    "stale_since",
]
MEASUREMENT_COLUMNS = ["id", "indicator_id", "subproject_id", "period", "value"]
DETAIL_COLUMNS = [
    "id",
    "indicator_id",
    "subproject_id",
    "indicator",
    "unit",
    "period",
    "value",
    "note",
    "source",
    "entered_by",
    "entered_at",
    "aggregation",
    "counted_value",
    "override_reason",
]


@dataclass(frozen=True)
class Computed:
    """A computed indicator's rule and its values per quarter."""

    name: str
    unit: str
    aggregation: str
    sources: int
    values: list[rollup.QuarterValue]


@dataclass(frozen=True)
class MeasurementHistory:
    """The entered measurements of a programme, or of some of its subprojects, of the periods up
    to a quarter: per indicator its ``(period, value, note)``, oldest first.

    A dashboard reads it once and gives it to :func:`indicators` and to the steering group's
    attention list (an earlier quarter's status, the note that says why a value lags), which
    would otherwise each read the same thousands of rows. It names what it holds, so it cannot
    stand in for another programme, scope or quarter.
    """

    programme_id: int
    subproject_ids: frozenset[int] | None
    up_to: Quarter
    by_indicator: dict[int, list[tuple[str, float, str]]]

    def covers(self, programme_id: int, up_to: Quarter, subproject_ids: list[int] | None) -> bool:
        return (self.programme_id, self.up_to, self.subproject_ids) == (
            programme_id,
            up_to,
            _frozen(subproject_ids),
        )

    def up_to_quarter(self, earlier: Quarter) -> MeasurementHistory:
        """The same history cut off at an earlier quarter, as :func:`measurement_history` would
        read it for that quarter (periods compared as text, as the query does)."""
        if earlier > self.up_to:
            raise ValueError(f"the history reaches {self.up_to}, not {earlier}")
        last = str(earlier)
        kept = {}
        for indicator_id, entries in self.by_indicator.items():
            cut = [entry for entry in entries if entry[0] <= last]
            if cut:
                kept[indicator_id] = cut
        return MeasurementHistory(self.programme_id, self.subproject_ids, earlier, kept)


def _frozen(subproject_ids: list[int] | None) -> frozenset[int] | None:
    return None if subproject_ids is None else frozenset(subproject_ids)


@dataclass(frozen=True)
class Scope:
    """Which indicators a query covers: its ``shape`` ("own": a programme's own, "subprojects":
    some subprojects', "whole": the programme's own and those of its subprojects not archived,
    "indicators": the ones named) and the values of its bind parameters."""

    shape: str
    params: dict

    @classmethod
    def of_indicators(cls, indicator_ids: list[int]) -> Scope:
        return cls("indicators", {"indicator_ids": list(indicator_ids)})


def _scope(
    programme_id: int, subproject_ids: list[int] | None, programme_level: bool = False
) -> Scope:
    """A programme's own indicators, some subprojects', or the whole programme's."""
    if programme_level:
        return Scope("own", {"programme_id": programme_id})
    if subproject_ids is not None:
        return Scope(
            "subprojects", {"programme_id": programme_id, "subproject_ids": subproject_ids}
        )
    return Scope("whole", {"programme_id": programme_id})


def _scope_clause(shape: str):
    if shape == "indicators":
        return Indicator.id.in_(param_list("indicator_ids"))
    base = Indicator.programme_id == param("programme_id")
    if shape == "own":
        return and_(base, Indicator.subproject_id.is_(None))
    if shape == "subprojects":
        return and_(base, Indicator.subproject_id.in_(param_list("subproject_ids")))
    return and_(
        base,
        or_(Indicator.subproject_id.is_(None), Indicator.subproject_id.in_(live_subproject_ids())),
    )


def computed(scope: Scope, up_to: Quarter) -> dict[int, Computed]:
    """The computed indicators within ``scope`` with their values of quarters up to ``up_to``:
    two queries (their sources, then the sources' measurements), whatever the size."""
    links = column_rows(_links_query(scope.shape), **scope.params)
    if not links:
        return {}
    rules: dict[int, tuple[str, str, str]] = {}
    sources: dict[int, list[int]] = {}
    for indicator_id, name, unit, aggregation, source_id in links:
        rules[indicator_id] = (name, unit, aggregation)
        own = sources.setdefault(indicator_id, [])
        if source_id is not None:
            own.append(source_id)
    wanted = {s for own in sources.values() for s in own}
    by_source: dict[int, list[rollup.SourceValue]] = {}
    if wanted:
        for measurement_id, source_id, period, value, entered_at in column_rows(
            _source_values_query(), source_ids=sorted(wanted), up_to=str(up_to)
        ):
            by_source.setdefault(source_id, []).append(
                rollup.SourceValue(source_id, period, float(value), entered_at, measurement_id)
            )
    return {
        indicator_id: Computed(
            name=name,
            unit=unit,
            aggregation=aggregation,
            sources=len(sources[indicator_id]),
            values=rollup.combine(
                [v for s in sources[indicator_id] for v in by_source.get(s, [])], aggregation
            ),
        )
        for indicator_id, (name, unit, aggregation) in rules.items()
    }


@prepared
def _links_query(shape: str):
    return (
        select(
            Indicator.id,
            Indicator.name,
            Indicator.unit,
            Indicator.aggregation,
            indicator_sources.c.source_id,
        )
        .outerjoin(indicator_sources, indicator_sources.c.indicator_id == Indicator.id)
        .where(_scope_clause(shape), Indicator.aggregation.is_not(None))
    )


@prepared
def _source_values_query():
    return select(
        Measurement.id,
        Measurement.indicator_id,
        Measurement.period,
        Measurement.value,
        Measurement.entered_at,
    ).where(
        Measurement.indicator_id.in_(param_list("source_ids")),
        Measurement.period <= param("up_to"),
    )


def indicators(
    programme_id: int,
    quarter: Quarter,
    subproject_ids: list[int] | None = None,
    as_of: date | None = None,
    history: MeasurementHistory | None = None,
) -> pd.DataFrame:
    """Each indicator with its value of ``quarter`` itself (``quarter_value``, None when that
    quarter has no measurement), its value rolled up over the periods up to it (``actual``) and
    its status, both from :func:`indicator_rules.quarter_figures`.

    A value is judged against the progress expected at the end of its newest period. The
    programme's own indicators are included when no subprojects are named. ``stale_since`` is
    the due date a stale value missed (see :mod:`tracker.indicators.freshness`), judged as of
    today in the current quarter and as of the quarter's end for an earlier one, so a report
    "as at" a past quarter says what was outdated then; or as of the day given. A caller that
    has read the :func:`measurement_history` of the same programme, subprojects and quarter
    passes it as ``history``, and the measurements are not read again.
    """
    if history is not None and not history.covers(programme_id, quarter, subproject_ids):
        raise ValueError("the measurement history is of another programme, scope or quarter")
    by_indicator = history.by_indicator if history is not None else None
    scope = _scope(programme_id, subproject_ids)
    return _judged(scope, quarter, subproject_ids is None, as_of, by_indicator)


def programme_indicators(
    programme_id: int, quarter: Quarter, as_of: date | None = None
) -> pd.DataFrame:
    """The programme's own indicators (no subproject), like :func:`indicators`."""
    return _judged(_scope(programme_id, None, programme_level=True), quarter, True, as_of)


def measurement_history(
    programme_id: int, up_to: Quarter, subproject_ids: list[int] | None = None
) -> MeasurementHistory:
    """The :class:`MeasurementHistory` of a programme (every indicator of it, archived
    subprojects' too: a reader looks indicators up by id) or of the given subprojects, in one
    query."""
    found = column_rows(
        _history_query(subproject_ids is not None),
        programme_id=programme_id,
        subproject_ids=subproject_ids,
        up_to=str(up_to),
    )
    by_indicator = {
        indicator_id: [(period, value, note or "") for _, period, value, note in rows]
        for indicator_id, rows in itertools.groupby(found, key=itemgetter(0))
    }
    return MeasurementHistory(programme_id, _frozen(subproject_ids), up_to, by_indicator)


@prepared
def _history_query(scoped: bool):
    indicator_ids = select(Indicator.id).where(Indicator.programme_id == param("programme_id"))
    if scoped:
        indicator_ids = indicator_ids.where(
            Indicator.subproject_id.in_(param_list("subproject_ids"))
        )
    return (
        select(Measurement.indicator_id, Measurement.period, Measurement.value, Measurement.note)
        .where(Measurement.indicator_id.in_(indicator_ids), Measurement.period <= param("up_to"))
        .order_by(Measurement.indicator_id, Measurement.period)
    )


def _judged(
    scope: Scope,
    quarter: Quarter,
    with_computed: bool,
    as_of: date | None,
    by_indicator: dict[int, list[tuple]] | None = None,
) -> pd.DataFrame:
    """The indicators of ``scope`` judged as at ``quarter``, from ``by_indicator`` (each
    indicator's measurements oldest first, ``(period, value, ...)``) or from a read of them.
    Plain Python per row: a programme has thousands of indicators."""
    as_of = as_of or min(timeutil.today(), quarter.end)
    made = computed(scope, quarter) if with_computed else {}
    made_values = {
        indicator_id: [(q.period, q.value) for q in rule.values]
        for indicator_id, rule in made.items()
    }
    if by_indicator is None:
        by_indicator = {}
        for _id, indicator_id, _sid, period, value in _stored(scope, quarter):
            by_indicator.setdefault(indicator_id, []).append((period, value))
    quarter_text = str(quarter)
    period_ends: dict[str, date] = {}
    rows = []
    for row in column_rows(_indicators_query(scope.shape), **scope.params):
        (
            indicator_id,
            _subproject_id,
            _name,
            _unit,
            direction,
            baseline_value,
            baseline_date,
            target_value,
            target_date,
            rollup_rule,
            _aggregation,
            frequency,
            publication_month,
        ) = row
        if indicator_id in made:
            sources, known = made[indicator_id].sources, made_values[indicator_id]
        else:
            sources, known = None, by_indicator.get(indicator_id, ())
        quarter_value, actual, latest_period, latest_value = indicator_rules.figures_of_known(
            known, quarter_text, rollup_rule
        )
        stale = freshness.stale_since(
            latest_period, baseline_date, frequency, publication_month, as_of
        )
        if actual is None:
            rows.append(
                (*row, sources, None, None, None, None, None, None, indicator_rules.NO_DATA, stale)
            )
            continue
        reached = indicator_rules.progress_of(direction, baseline_value, target_value, actual)
        period_end = period_ends.get(latest_period)
        if period_end is None:
            period_end = period_ends[latest_period] = Quarter.parse(latest_period).end
        expected = indicator_rules.expected_at(baseline_date, target_date, period_end)
        rows.append(
            (
                *row,
                sources,
                latest_period,
                latest_value,
                quarter_value,
                actual,
                reached,
                expected,
                indicator_rules.status_for(reached, expected),
                stale,
            )
        )
    return tables.frame(rows, INDICATOR_COLUMNS)


@prepared
def _indicators_query(shape: str):
    return (
        select(
            Indicator.id,
            Indicator.subproject_id,
            Indicator.name,
            Indicator.unit,
            Indicator.direction,
            Indicator.baseline_value,
            Indicator.baseline_date,
            Indicator.target_value,
            Indicator.target_date,
            Indicator.rollup,
            Indicator.aggregation,
            Indicator.frequency,
            Indicator.publication_month,
        )
        .where(_scope_clause(shape))
        .order_by(Indicator.subproject_id, Indicator.name)
    )


@dataclass(frozen=True)
class StaleIndicator:
    """An indicator whose newest value is outdated, with what was expected of it."""

    id: int
    name: str
    unit: str
    subproject_id: int
    subproject_code: str
    subproject_name: str
    frequency: str
    publication_month: int | None
    latest_period: str | None
    baseline_date: date
    stale_since: date
    days_overdue: int

    def get(self, key, default=None):
        """Read like a frame's row, so the templates' ``stale_note(row)`` takes either."""
        return getattr(self, key, default)


def stale_indicators(subproject_ids: list[int], today: date) -> list[StaleIndicator]:
    """The outdated indicators of the given subprojects on ``today``, longest overdue first:
    what a lead is asked to bring up to date. Archived subprojects are left out (nobody can
    enter their values). One query, whatever the number of subprojects and indicators."""
    if not subproject_ids:
        return []
    latest = (
        select(Measurement.indicator_id, func.max(Measurement.period).label("period"))
        .where(Measurement.period <= str(Quarter.of(today)))
        .group_by(Measurement.indicator_id)
        .subquery()
    )
    rows = db.session.execute(
        select(
            Indicator.id,
            Indicator.name,
            Indicator.unit,
            Indicator.subproject_id,
            Subproject.code,
            Subproject.name,
            Indicator.frequency,
            Indicator.publication_month,
            latest.c.period,
            Indicator.baseline_date,
        )
        .join(Subproject, Subproject.id == Indicator.subproject_id)
        .outerjoin(latest, latest.c.indicator_id == Indicator.id)
        .where(Indicator.subproject_id.in_(subproject_ids), Subproject.archived_at.is_(None))
    ).all()
    found = []
    for row in rows:
        verdict = freshness.judge(
            freshness.value_date(row.period, row.baseline_date),
            row.frequency,
            row.publication_month,
            today,
        )
        if verdict.stale:
            found.append(
                StaleIndicator(*row, stale_since=verdict.due, days_overdue=verdict.days_overdue)
            )
    found.sort(key=lambda i: (-i.days_overdue, i.subproject_code, i.name))
    return found


def _stored(scope: Scope, up_to: Quarter) -> list[tuple]:
    """Entered measurements within ``scope`` of periods up to ``up_to``, oldest first."""
    return column_rows(_stored_query(scope.shape), **scope.params, up_to=str(up_to))


@prepared
def _stored_query(shape: str):
    return (
        select(
            Measurement.id,
            Measurement.indicator_id,
            Indicator.subproject_id,
            Measurement.period,
            Measurement.value,
        )
        .join(Indicator, Indicator.id == Measurement.indicator_id)
        .where(_scope_clause(shape), Measurement.period <= param("up_to"))
        .order_by(Measurement.indicator_id, Measurement.period)
    )


def _with_computed(scope: Scope, up_to: Quarter) -> list[tuple]:
    rows = [tuple(row) for row in _stored(scope, up_to)]
    for indicator_id, rule in computed(scope, up_to).items():
        rows.extend((None, indicator_id, None, q.period, q.value) for q in rule.values)
    return sorted(rows, key=lambda row: (row[1], row[3]))


def measurements(
    programme_id: int, up_to: Quarter, subproject_ids: list[int] | None = None
) -> pd.DataFrame:
    """Every measurement of periods up to and including ``up_to``, oldest first; computed
    values of the programme's own indicators when no subprojects are named."""
    scope = _scope(programme_id, subproject_ids)
    rows = _with_computed(scope, up_to) if subproject_ids is None else _stored(scope, up_to)
    return tables.frame(rows, MEASUREMENT_COLUMNS)


def indicator_measurements(
    indicator_ids: list[int], up_to: Quarter, computed_ids: list[int] | None = None
) -> pd.DataFrame:
    """The measurements of the given indicators, periods up to ``up_to``, oldest first: the
    same columns as ``measurements``, for charts that show only a few indicators. A caller that
    knows which of them are computed (``computed_ids``) spares the queries that look for them
    when none is."""
    scope = Scope.of_indicators(indicator_ids)
    if computed_ids == []:
        return tables.frame(list(_stored(scope, up_to)), MEASUREMENT_COLUMNS)
    return tables.frame(_with_computed(scope, up_to), MEASUREMENT_COLUMNS)


def measurement_details(
    programme_id: int, up_to: Quarter, subproject_ids: list[int] | None = None
) -> pd.DataFrame:
    """Measurements of periods up to ``up_to`` with indicator name, unit, note, source and who
    entered them: the appendix of the report and the export's measurement sheet. A computed
    value has no id, note or author; its ``aggregation`` says how it was made. A counted value
    set by hand has its ``override_reason`` and the ``counted_value`` it replaced."""
    scope = _scope(programme_id, subproject_ids)
    query = (
        select(
            Measurement.id,
            Measurement.indicator_id,
            Indicator.subproject_id,
            Indicator.name,
            Indicator.unit,
            Measurement.period,
            Measurement.value,
            Measurement.note,
            Measurement.source,
            User.name,
            Measurement.entered_at,
            Indicator.aggregation,
            Measurement.counted_value,
            Measurement.override_reason,
        )
        .join(Indicator, Indicator.id == Measurement.indicator_id)
        .outerjoin(User, User.id == Measurement.entered_by_id)
        .where(_scope_clause(scope.shape), Measurement.period <= str(up_to))
    )
    rows = [tuple(row) for row in column_rows(query, **scope.params)]
    if subproject_ids is None:
        for indicator_id, rule in computed(scope, up_to).items():
            rows.extend(
                (
                    None,
                    indicator_id,
                    None,
                    rule.name,
                    rule.unit,
                    q.period,
                    q.value,
                    "",
                    "",
                    None,
                    None,
                    rule.aggregation,
                    None,
                    None,
                )
                for q in rule.values
            )
    rows.sort(key=lambda r: (r[5], r[2] is not None, r[2] or 0, r[3], r[1]))
    return tables.frame(rows, DETAIL_COLUMNS)
