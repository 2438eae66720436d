"""The first pages of the quarterly report: what needs the steering group, and why.

Exceptions with their cause and corrective measure, milestones forecast past their planned date
with the days and the recorded reason, indicators at risk or off track with the note of their
newest measurement, and each subproject's status over the last four quarters. Plain Python on
the snapshot's rows, like :mod:`tracker.reports.evaluation`, so an archived snapshot prints the
same summary as live data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from tracker.indicators import status as indicator_rules
from tracker.milestones import status as milestone_rules
from tracker.projects import status as subproject_rules
from tracker.quarters import Quarter
from tracker.steering import rules as steering_rules
from tracker.steering.attention import previous_computed
from tracker.tables import records

# Each list of the summary shows this many rows and says how many there are, so the summary
# stays on the first pages whatever the programme's size; the sections hold the rest.
LIMIT = 10
HISTORY_QUARTERS = 4
LAGGING = (indicator_rules.OFF_TRACK, indicator_rules.AT_RISK)


@dataclass
class Listed:
    """The first ``LIMIT`` rows of a list and how many there are in all."""

    rows: list[dict] = field(default_factory=list)
    total: int = 0

    @classmethod
    def of(cls, rows: list[dict]) -> Listed:
        return cls(rows[:LIMIT], len(rows))


@dataclass
class StatusHistory:
    quarters: list[Quarter] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)  # name, cells: [{quarter, lead, computed}]


def _urgency(code: str | None) -> int:
    member = subproject_rules.Rag.get(code)
    return member.urgency if member else 9


def exceptions(
    sections: list, lead_rags: dict[int, str], reports: list[dict], names: dict[int, str]
) -> Listed:
    """Subprojects amber or red this quarter, by the lead or computed, most urgent first, each
    with its exception report (or ``None``: the report is missing)."""
    by_subproject = {int(r["subproject_id"]): r for r in reports}
    found = []
    for section in sections:
        sid = int(section.subproject["id"])
        lead, computed = lead_rags.get(sid), section.computed_rag
        if steering_rules.needs_exception_report(lead, computed):
            found.append(
                {
                    "subproject_id": sid,
                    "name": names[sid],
                    "lead_rag": lead,
                    "computed_rag": computed,
                    "report": by_subproject.get(sid),
                }
            )
    found.sort(key=lambda e: min(_urgency(e["lead_rag"]), _urgency(e["computed_rag"])))
    return Listed.of(found)


def forecast_slips(milestones: list[dict], reasons: dict[int, str]) -> Listed:
    """Open milestones forecast past their planned date, most days first, with the newest
    recorded reason for a move of their date."""
    found = []
    for m in milestones:
        forecast = m["forecast_date"]
        if (
            milestone_rules.is_achieved(m["status"])
            or not isinstance(forecast, date)
            or pd.isna(forecast)
        ):
            continue
        days = (forecast - m["planned_date"]).days
        if days > 0:
            found.append({**m, "days": days, "reason": reasons.get(int(m["id"]), "")})
    found.sort(key=lambda m: (-m["days"], m["subproject"], m["title"]))
    return Listed.of(found)


def lagging_indicators(indicators: list[dict], notes: dict[int, str]) -> Listed:
    """Indicators off track or at risk, off track first and furthest behind first, with the
    note of their newest measurement."""
    found = [
        {
            **i,
            "points_below": steering_rules.points_below(i["progress"], i["expected"]),
            "reason": notes.get(int(i["id"]), ""),
        }
        for i in indicators
        if i["status"] in LAGGING
    ]
    found.sort(
        key=lambda i: (
            indicator_rules.IndicatorStatus(i["status"]).urgency,
            -(i["points_below"] or 0),
        )
    )
    return Listed.of(found)


def measurement_history(measurements: pd.DataFrame) -> dict[int, list[tuple[str, float, str]]]:
    """Per indicator its (period, value, note), oldest first, from the snapshot's measurements."""
    history: dict[int, list[tuple[str, float, str]]] = {}
    for row in sorted(records(measurements), key=lambda r: r["period"]):
        if row["value"] is None:
            continue
        history.setdefault(int(row["indicator_id"]), []).append(
            (row["period"], row["value"], row["note"] or "")
        )
    return history


def newest_notes(history: dict[int, list[tuple[str, float, str]]]) -> dict[int, str]:
    found = {}
    for indicator_id, values in history.items():
        notes = [note for _, _, note in values if note.strip()]
        if notes:
            found[indicator_id] = notes[-1]
    return found


def status_history(
    frames: dict[str, pd.DataFrame],
    quarter: Quarter,
    first: Quarter | None,
    sections: list,
    names: dict[int, str],
    history: dict[int, list[tuple[str, float, str]]],
) -> StatusHistory:
    """Each subproject's status in the last four quarters up to ``quarter`` (not before the
    programme's first): the lead's from that quarter's update, and the computed one as at the
    quarter's end (earlier quarters judged like the dashboard's "previous quarter": current
    planned dates, achievements and measurements known then)."""
    quarters = [quarter]
    while len(quarters) < HISTORY_QUARTERS and (first is None or quarters[0] > first):
        quarters.insert(0, quarters[0].previous())
    lead = {(int(u["subproject_id"]), u["quarter"]): u["rag"] for u in records(frames["updates"])}
    own_indicators = frames["indicators"][frames["indicators"]["subproject_id"].notna()]
    computed = {
        str(q): previous_computed(frames["milestones"], own_indicators, history, q)
        for q in quarters[:-1]
    }
    computed[str(quarter)] = {int(s.subproject["id"]): s.computed_rag for s in sections}
    rows = []
    for section in sections:
        sid = int(section.subproject["id"])
        cells = [
            {
                "quarter": q,
                "lead": lead.get((sid, str(q))),
                "computed": computed[str(q)].get(sid),
            }
            for q in quarters
        ]
        rows.append({"name": names[sid], "cells": cells})
    return StatusHistory(quarters, rows)
