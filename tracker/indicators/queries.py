"""Read queries of indicators and measurements: SQL into DataFrames, through the status rules.

Pages, the dashboard, the PDF and the exports take their indicator numbers from here, so they
cannot disagree. No function here runs a query per row.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import select

from tracker import tables
from tracker.auth.models import User
from tracker.extensions import db
from tracker.indicators import status as indicator_rules
from tracker.indicators.models import Indicator, Measurement
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
    "latest_period",
    "latest_value",
    "actual",
    "progress",
    "expected",
    "status",
]


def indicators(
    programme_id: int, quarter: Quarter, subproject_ids: list[int] | None = None
) -> pd.DataFrame:
    """Each indicator with its rolled-up value over the periods up to ``quarter`` and its status.

    A value is judged against the progress expected at the end of its newest period.
    """
    query = (
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
        )
        .where(Indicator.programme_id == programme_id)
        .order_by(Indicator.subproject_id, Indicator.name)
    )
    if subproject_ids is not None:
        query = query.where(Indicator.subproject_id.in_(subproject_ids))
    values = measurements(programme_id, quarter, subproject_ids)
    # grouped in plain Python: pandas' groupby builds a frame per indicator, far too slow for
    # a programme with thousands of indicators
    by_indicator: dict[int, list[tuple[str, float]]] = {}
    for indicator_id, period, value in zip(
        values["indicator_id"].tolist(),
        values["period"].tolist(),
        values["value"].tolist(),
        strict=True,
    ):
        by_indicator.setdefault(indicator_id, []).append((period, value))
    period_ends: dict[str, date] = {}
    rows = []
    for row in db.session.execute(query):
        facts = indicator_rules.IndicatorFacts(
            direction=row.direction,
            baseline_value=row.baseline_value,
            baseline_date=row.baseline_date,
            target_value=row.target_value,
            target_date=row.target_date,
            rollup=row.rollup,
        )
        own = by_indicator.get(row.id)
        if not own:
            rows.append((*row, None, None, None, None, None, indicator_rules.NO_DATA))
            continue
        latest_period, latest_value = own[-1]
        actual = indicator_rules.rolled_up([value for _, value in own], row.rollup)
        reached = indicator_rules.progress(facts, actual)
        if latest_period not in period_ends:
            period_ends[latest_period] = Quarter.parse(latest_period).end
        expected = indicator_rules.expected_progress(facts, period_ends[latest_period])
        rows.append(
            (
                *row,
                latest_period,
                float(latest_value),
                actual,
                reached,
                expected,
                indicator_rules.status_for(reached, expected),
            )
        )
    return tables.frame(rows, INDICATOR_COLUMNS)


def measurements(
    programme_id: int, up_to: Quarter, subproject_ids: list[int] | None = None
) -> pd.DataFrame:
    """Every measurement of periods up to and including ``up_to``, oldest first."""
    query = (
        select(
            Measurement.id,
            Measurement.indicator_id,
            Indicator.subproject_id,
            Measurement.period,
            Measurement.value,
        )
        .join(Indicator, Indicator.id == Measurement.indicator_id)
        .where(Indicator.programme_id == programme_id, Measurement.period <= str(up_to))
        .order_by(Measurement.indicator_id, Measurement.period)
    )
    if subproject_ids is not None:
        query = query.where(Indicator.subproject_id.in_(subproject_ids))
    return tables.frame(
        db.session.execute(query), ["id", "indicator_id", "subproject_id", "period", "value"]
    )


def indicator_measurements(indicator_ids: list[int], up_to: Quarter) -> pd.DataFrame:
    """The measurements of the given indicators, periods up to ``up_to``, oldest first: the
    same columns as ``measurements``, for charts that show only a few indicators."""
    query = (
        select(
            Measurement.id,
            Measurement.indicator_id,
            Indicator.subproject_id,
            Measurement.period,
            Measurement.value,
        )
        .join(Indicator, Indicator.id == Measurement.indicator_id)
        .where(Measurement.indicator_id.in_(indicator_ids), Measurement.period <= str(up_to))
        .order_by(Measurement.indicator_id, Measurement.period)
    )
    return tables.frame(
        db.session.execute(query), ["id", "indicator_id", "subproject_id", "period", "value"]
    )


def measurement_details(
    programme_id: int, up_to: Quarter, subproject_ids: list[int] | None = None
) -> pd.DataFrame:
    """Measurements of periods up to ``up_to`` with indicator name, unit, note, source and who
    entered them: the appendix of the report and the export's measurement sheet."""
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
        )
        .join(Indicator, Indicator.id == Measurement.indicator_id)
        .outerjoin(User, User.id == Measurement.entered_by_id)
        .where(Indicator.programme_id == programme_id, Measurement.period <= str(up_to))
        .order_by(Measurement.period, Indicator.subproject_id, Indicator.name)
    )
    if subproject_ids is not None:
        query = query.where(Indicator.subproject_id.in_(subproject_ids))
    return tables.frame(
        db.session.execute(query),
        [
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
        ],
    )
