"""What needs the steering group, by name: the list the dashboard shows above its charts.

Built from the frames the dashboard has already loaded (subprojects with their statuses,
milestones, indicators) plus a fixed handful of queries, so its cost does not grow with the
programme. Each list is cut to the most urgent ``LIMIT`` rows and says how many there are.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date

import pandas as pd

from tracker.indicators import queries as indicator_queries
from tracker.indicators import status as indicator_rules
from tracker.milestones import status as milestone_rules
from tracker.projects import status as subproject_rules
from tracker.quarters import Quarter
from tracker.steering import exceptions, queries, rules
from tracker.tables import records

LIMIT = 25


@dataclass
class Shown:
    """The first ``LIMIT`` rows of a list and how many there are in all."""

    rows: list[dict]
    total: int

    @classmethod
    def of(cls, rows: list[dict]) -> Shown:
        return cls(rows[:LIMIT], len(rows))

    @classmethod
    def first(cls, table: pd.DataFrame, keys: list[tuple], make=None) -> Shown:
        """The ``LIMIT`` rows of ``table`` whose sort keys ``(..., position)`` come first, as
        dicts (``make`` adds to each): only the rows shown are turned into dicts, and the row's
        position, last in its key, orders equal keys as a stable sort would."""
        rows = records(table.iloc[[key[-1] for key in sorted(keys)[:LIMIT]]])
        return cls([make(row) for row in rows] if make else rows, len(keys))


@dataclass
class Attention:
    subprojects: Shown
    changes: Shown
    milestones: Shown
    indicators: Shown
    stale: Shown
    requests: Shown
    decisions: Shown
    not_reported: Shown
    tolerances: rules.Tolerances
    previous_quarter: Quarter

    @property
    def empty(self) -> bool:
        return not any(
            shown.total
            for shown in (
                self.subprojects,
                self.milestones,
                self.indicators,
                self.stale,
                self.requests,
                self.decisions,
                self.not_reported,
            )
        )


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def _code(value) -> str | None:
    return value if isinstance(value, str) and value else None


def previous_computed(
    milestones: pd.DataFrame, indicators: pd.DataFrame, history: dict, previous: Quarter
) -> dict[int, str | None]:
    """Each subproject's computed status at the end of the quarter before: milestone statuses
    on that day (current planned dates, as the dashboard judges them) and indicator statuses from
    the measurements up to that quarter (``history``: per indicator ``(period, value, note)``,
    oldest first). Column lists, not row dicts: thousands of rows."""
    statuses: dict[int, tuple[list, list]] = {}
    day = previous.end
    columns = ("subproject_id", "baseline_date", "planned_date", "forecast_date", "achieved_on")
    for subproject_id, baseline, planned, forecast, achieved, at_risk in zip(
        *(milestones[c].tolist() for c in columns), milestones["at_risk"].tolist(), strict=True
    ):
        *_slip, status = milestone_rules.assess(
            baseline,
            planned,
            forecast if isinstance(forecast, date) else None,
            achieved if isinstance(achieved, date) else None,
            bool(at_risk),
            day,
        )
        statuses.setdefault(subproject_id, ([], []))[0].append(status)
    period_ends: dict[str, date] = {}
    up_to = str(previous)
    columns = (
        "id",
        "subproject_id",
        "direction",
        "baseline_value",
        "baseline_date",
        "target_value",
        "target_date",
        "rollup",
    )
    for (
        indicator_id,
        subproject_id,
        direction,
        baseline_value,
        baseline_date,
        target_value,
        target_date,
        rollup,
    ) in zip(*(indicators[c].tolist() for c in columns), strict=True):
        known = history.get(indicator_id, ())
        end = len(known)
        while end and known[end - 1][0] > up_to:
            end -= 1
        _, actual, latest, _ = indicator_rules.figures_of_known(known[:end], up_to, rollup)
        if actual is None:
            statuses.setdefault(subproject_id, ([], []))[1].append(indicator_rules.NO_DATA)
            continue
        period_end = period_ends.get(latest)
        if period_end is None:
            period_end = period_ends[latest] = Quarter.parse(latest).end
        statuses.setdefault(subproject_id, ([], []))[1].append(
            indicator_rules.status_for(
                indicator_rules.progress_of(direction, baseline_value, target_value, actual),
                indicator_rules.expected_at(baseline_date, target_date, period_end),
            )
        )
    return {
        subproject_id: subproject_rules.computed_rag(m, i)
        for subproject_id, (m, i) in statuses.items()
    }


@functools.cache
def _urgency(code: str | None) -> int:
    """Remembered: a handful of codes, looked up twice for each of thousands of subprojects."""
    member = subproject_rules.Rag.get(code)
    return member.urgency if member else 9


def collect(
    programme_id: int,
    quarter: Quarter,
    as_of: date,
    scope: list[int] | None,
    overview: pd.DataFrame,
    milestones: pd.DataFrame,
    indicators: pd.DataFrame,
    tolerances: rules.Tolerances,
    history: indicator_queries.MeasurementHistory | None = None,
) -> Attention:
    """What needs the steering group. ``history`` is the programme's (or scope's) measurement
    history up to ``quarter`` when the caller has read it already (for the indicators)."""
    if history is None:
        history = indicator_queries.measurement_history(programme_id, quarter, scope)
    previous = quarter.previous()
    reports = queries.quarter_reports(programme_id, quarter, scope)
    this_quarter: dict[int, dict] = {}  # subproject -> its report of ``quarter``
    lead_rag_before: dict[int, str] = {}
    for report in reports:
        if report["quarter"] == str(quarter):
            this_quarter[report["subproject_id"]] = report
        elif report["quarter"] == str(previous):
            lead_rag_before[report["subproject_id"]] = report["rag"]
    computed_before = previous_computed(milestones, indicators, history.by_indicator, previous)

    subprojects, changes = [], []
    for subproject_id, code, name, lead_rag, computed_rag in zip(
        *(overview[c].tolist() for c in ("id", "code", "name", "lead_rag", "computed_rag")),
        strict=True,
    ):
        lead, computed = _code(lead_rag), _code(computed_rag)
        lead_before = lead_rag_before.get(subproject_id)
        previous_computed_rag = computed_before.get(subproject_id)
        lead_changed = rules.rag_change(lead_before, lead)
        computed_changed = rules.rag_change(previous_computed_rag, computed)
        needs_report = rules.needs_exception_report(lead, computed)
        if not (needs_report or lead_changed or computed_changed):
            continue
        item = {
            "id": subproject_id,
            "code": code,
            "name": name,
            "lead_rag": lead,
            "computed_rag": computed,
            "lead_before": lead_before,
            "computed_before": previous_computed_rag,
            "report": None,
            "lead_changed": lead_changed,
            "computed_changed": computed_changed,
        }
        if needs_report:
            subprojects.append(item)
        if lead_changed or computed_changed:
            changes.append(item)
    subprojects.sort(key=lambda s: min(_urgency(s["lead_rag"]), _urgency(s["computed_rag"])))
    for item in subprojects[:LIMIT]:
        item["report"] = this_quarter.get(item["id"])

    late = exceptions.late_milestones(
        milestones, queries.latest_reasons(programme_id, scope), as_of, tolerances
    )
    requests = queries.open_requests(programme_id, quarter, scope)
    decisions = _decisions(queries.open_decisions(programme_id))
    reported = set(this_quarter)
    missing = [
        {"id": subproject_id, "code": code, "name": name}
        for subproject_id, code, name in zip(
            *(overview[c].tolist() for c in ("id", "code", "name")), strict=True
        )
        if subproject_id not in reported
    ]
    return Attention(
        subprojects=Shown.of(subprojects),
        changes=Shown.of(changes),
        milestones=Shown.of(late),
        indicators=_lagging(indicators, history.by_indicator),
        stale=outdated(indicators),
        requests=Shown.of(requests),
        decisions=Shown.of(decisions),
        not_reported=Shown.of(missing),
        tolerances=tolerances,
        previous_quarter=previous,
    )


def _lagging(indicators: pd.DataFrame, history: dict) -> Shown:
    """The indicators off track or at risk, the most urgent status and the furthest behind
    first, each with its newest note."""
    urgency = {
        status.value: status.urgency
        for status in (indicator_rules.OFF_TRACK, indicator_rules.AT_RISK)
    }
    keys = [
        (urgency[status], -(rules.points_below(progress, expected) or 0), position)
        for position, (status, progress, expected) in enumerate(
            zip(*(indicators[c].tolist() for c in ("status", "progress", "expected")), strict=True)
        )
        if status in urgency
    ]

    def with_reason(row: dict) -> dict:
        notes = [note for _, _, note in history.get(row["id"], []) if note.strip()]
        return {
            **row,
            "points_below": rules.points_below(row["progress"], row["expected"]),
            "reason": notes[-1] if notes else "",
        }

    return Shown.first(indicators, keys, with_reason)


def outdated(indicators: pd.DataFrame) -> Shown:
    """The indicators whose newest value is outdated, the longest overdue first."""
    if "stale_since" not in indicators:
        return Shown([], 0)
    keys = [
        (stale_since, name, position)
        for position, (stale, stale_since, name) in enumerate(
            zip(
                indicators["stale_since"].notna().tolist(),
                indicators["stale_since"].tolist(),
                indicators["name"].tolist(),
                strict=True,
            )
        )
        if stale
    ]
    return Shown.first(indicators, keys)


def _decisions(rows: list[dict]) -> list[dict]:
    """Open decisions, each with its follow-up actions that are not done or cancelled."""
    decisions: dict[int, dict] = {}
    for row in rows:
        decision = decisions.setdefault(
            row["id"],
            {
                "id": row["id"],
                "meeting_id": row["meeting_id"],
                "held_on": row["held_on"],
                "number": row["number"],
                "text": row["text"],
                "owner": _text(row["owner"]),
                "due_date": row["due_date"] if isinstance(row["due_date"], date) else None,
                "status": row["status"],
                "follow_ups": [],
            },
        )
        if row["action_id"] is not None and row["action_state"] not in ("done", "cancelled"):
            decision["follow_ups"].append(
                {
                    "id": row["action_id"],
                    "subproject_id": row["action_subproject_id"],
                    "title": row["action_title"],
                    "state": row["action_state"],
                    "due_date": row["action_due_date"],
                }
            )
    return list(decisions.values())
