"""The exception report of a subproject's quarter: what it lists, when it is owed, and saving it.

The quarter form saves the lead's whole quarter first (values, milestones achieved, update) and
then asks :func:`check` whether the quarter, as it now stands, is amber or red by the lead or
by the computed status; if so the report's fields must be filled, or the whole save rolls back.
So a value entered in the same form that puts an indicator off track counts at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from tracker.extensions import db
from tracker.i18n import gettext
from tracker.indicators import queries as indicator_queries
from tracker.milestones import queries as milestone_queries
from tracker.projects import status as subproject_rules
from tracker.projects.models import Subproject
from tracker.quarters import Quarter
from tracker.steering import queries, rules
from tracker.steering.models import ExceptionReport
from tracker.tables import records


class ExceptionReportIncomplete(Exception):
    """An amber or red quarter saved without the exception report's required fields."""

    def __init__(self, missing: list[str], computed_rag: str | None):
        super().__init__(", ".join(missing))
        self.missing = missing
        self.computed_rag = computed_rag


@dataclass
class Listing:
    """What an exception report lists beside the lead's explanation."""

    computed_rag: str | None
    milestones: list[dict]
    indicators: list[dict]
    tolerances: rules.Tolerances


def late_milestones(
    frame: pd.DataFrame, reasons: dict[int, str], as_of: date, tolerances: rules.Tolerances
) -> list[dict]:
    """Open milestones late, forecast late or moved beyond tolerance, most days first, each with
    its newest recorded reason."""
    deviations = []
    columns = ("planned_date", "baseline_date", "forecast_date", "achieved_on")
    for index, (planned, baseline, forecast, achieved) in enumerate(
        zip(*(frame[c].tolist() for c in columns), strict=True)
    ):
        deviation = rules.milestone_deviation(
            planned,
            baseline,
            forecast if isinstance(forecast, date) else None,
            achieved if isinstance(achieved, date) else None,
            as_of,
            tolerances,
        )
        if deviation is not None:
            deviations.append((index, deviation))
    urgency = {kind: position for position, kind in enumerate(rules.DEVIATION_LABELS)}
    deviations.sort(key=lambda found: (urgency[found[1].kind], -found[1].days))
    rows = records(frame.iloc[[index for index, _ in deviations]])
    labels = {kind: gettext(label) for kind, label in rules.DEVIATION_LABELS.items()}
    return [
        {
            **row,
            "deviation": deviation.kind,
            "deviation_label": labels[deviation.kind],
            "days": deviation.days,
            "reason": reasons.get(row["id"], ""),
        }
        for row, (_, deviation) in zip(rows, deviations, strict=True)
    ]


def lagging_indicators(
    frame: pd.DataFrame, history: dict[int, list], tolerances: rules.Tolerances
) -> list[dict]:
    """Indicators lagging their trajectory beyond tolerance, furthest behind first, each with
    the note of its newest measurement."""
    found = []
    for row in records(frame):
        if not rules.indicator_deviates(row["progress"], row["expected"], tolerances):
            continue
        notes = [note for _, _, note in history.get(row["id"], []) if note.strip()]
        found.append(
            {
                **row,
                "points_below": rules.points_below(row["progress"], row["expected"]),
                "reason": notes[-1] if notes else "",
            }
        )
    return sorted(found, key=lambda i: -i["points_below"])


def listing(
    subproject: Subproject,
    quarter: Quarter,
    today: date,
    history: indicator_queries.MeasurementHistory | None = None,
) -> Listing:
    """The computed status of the quarter and what deviates in it, as the session holds it.
    ``history`` is the subproject's measurement history up to ``quarter`` when the caller has
    read it already."""
    programme_id, scope = subproject.programme_id, [subproject.id]
    if history is None:
        history = indicator_queries.measurement_history(programme_id, quarter, scope)
    as_of = rules.judged_on(quarter.start, quarter.end, today)
    tolerances = queries.tolerances(programme_id)
    milestones = milestone_queries.milestones(programme_id, as_of, scope)
    indicators = indicator_queries.indicators(programme_id, quarter, scope, history=history)
    computed = subproject_rules.computed_rag(
        milestones["status"].tolist(), indicators["status"].tolist()
    )
    return Listing(
        computed_rag=str(computed) if computed else None,
        milestones=late_milestones(
            milestones, queries.latest_reasons(programme_id, scope), as_of, tolerances
        ),
        indicators=lagging_indicators(indicators, history.by_indicator, tolerances),
        tolerances=tolerances,
    )


def save(
    subproject_id: int, quarter: Quarter, data: dict, user_id: int | None
) -> ExceptionReport | None:
    """Create, change or (when every field is emptied) delete the report of the quarter."""
    report = queries.exception_report(subproject_id, quarter)
    if rules.is_blank(data):
        if report is not None:
            db.session.delete(report)
        return None
    if report is None:
        report = ExceptionReport(subproject_id=subproject_id, quarter=str(quarter))
        db.session.add(report)
    for name in rules.REQUIRED_FIELDS:
        value = data.get(name)
        setattr(report, name, value.strip() if isinstance(value, str) else value)
    if report in db.session.new or db.session.is_modified(report):
        report.updated_by_id = user_id  # saved unchanged, it keeps who last changed it
    return report


def check(subproject: Subproject, quarter: Quarter, lead_rag: str, data: dict, today: date):
    """Refuse an amber or red quarter without a complete exception report (after the quarter's
    other writes are in the session, so they count)."""
    db.session.flush()
    missing = rules.missing_fields(data)
    if not missing:
        return  # a complete report answers any status: no need to work the status out
    as_of = rules.judged_on(quarter.start, quarter.end, today)
    scope = [subproject.id]
    computed = subproject_rules.computed_rag(
        milestone_queries.milestones(subproject.programme_id, as_of, scope)["status"].tolist(),
        indicator_queries.indicators(subproject.programme_id, quarter, scope)["status"].tolist(),
    )
    if rules.needs_exception_report(lead_rag, computed):
        raise ExceptionReportIncomplete(missing, str(computed) if computed else None)
