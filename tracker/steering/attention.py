"""What needs the steering group, by name: the list the dashboard shows above its charts.

Built from the frames the dashboard has already loaded (subprojects with their statuses,
milestones, indicators) plus a fixed handful of queries, so its cost does not grow with the
programme. Each list is cut to the most urgent ``LIMIT`` rows and says how many there are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

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
    the measurements up to that quarter. Column lists, not row dicts: thousands of rows."""
    statuses: dict[int, tuple[list, list]] = {}
    day = previous.end
    columns = ("subproject_id", "baseline_date", "planned_date", "forecast_date", "achieved_on")
    for subproject_id, baseline, planned, forecast, achieved, at_risk in zip(
        *(milestones[c].tolist() for c in columns), milestones["at_risk"].tolist(), strict=True
    ):
        facts = milestone_rules.MilestoneFacts(
            baseline_date=baseline,
            planned_date=planned,
            forecast_date=forecast if isinstance(forecast, date) else None,
            achieved_on=achieved if isinstance(achieved, date) else None,
            at_risk=bool(at_risk),
        )
        statuses.setdefault(subproject_id, ([], []))[0].append(
            milestone_rules.milestone_status(facts, day)
        )
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
    for indicator_id, subproject_id, *facts_values in zip(
        *(indicators[c].tolist() for c in columns), strict=True
    ):
        own = [(p, v) for p, v, _ in history.get(indicator_id, ()) if p <= up_to]
        if not own:
            statuses.setdefault(subproject_id, ([], []))[1].append(indicator_rules.NO_DATA)
            continue
        latest = own[-1][0]
        if latest not in period_ends:
            period_ends[latest] = Quarter.parse(latest).end
        statuses.setdefault(subproject_id, ([], []))[1].append(
            indicator_rules.indicator_status(
                indicator_rules.IndicatorFacts(*facts_values),
                [v for _, v in own],
                period_ends[latest],
            )
        )
    return {
        subproject_id: subproject_rules.computed_rag(m, i)
        for subproject_id, (m, i) in statuses.items()
    }


def _urgency(code: str | None) -> int:
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
) -> Attention:
    previous = quarter.previous()
    reports = queries.quarter_reports(programme_id, quarter, scope).to_dict("records")
    this_quarter = {r["subproject_id"]: r for r in reports if r["quarter"] == str(quarter)}
    last_quarter = {r["subproject_id"]: r for r in reports if r["quarter"] == str(previous)}
    history = queries.measurement_history(programme_id, quarter, scope)
    computed_before = previous_computed(milestones, indicators, history, previous)

    subprojects, changes = [], []
    for row in records(overview):
        lead, computed = _code(row["lead_rag"]), _code(row["computed_rag"])
        before = last_quarter.get(row["id"])
        item = {
            "id": row["id"],
            "code": row["code"],
            "name": row["name"],
            "lead_rag": lead,
            "computed_rag": computed,
            "lead_before": before["rag"] if before else None,
            "computed_before": computed_before.get(row["id"]),
            "report": this_quarter.get(row["id"]),
        }
        item["lead_changed"] = rules.rag_change(item["lead_before"], lead)
        item["computed_changed"] = rules.rag_change(item["computed_before"], computed)
        if rules.needs_exception_report(lead, computed):
            subprojects.append(item)
        if item["lead_changed"] or item["computed_changed"]:
            changes.append(item)
    subprojects.sort(key=lambda s: min(_urgency(s["lead_rag"]), _urgency(s["computed_rag"])))

    late = exceptions.late_milestones(
        milestones, queries.latest_reasons(programme_id, scope), as_of, tolerances
    )
    lagging = []
    behind = indicators["status"].isin([indicator_rules.OFF_TRACK, indicator_rules.AT_RISK])
    for row in records(indicators[behind]):
        notes = [note for _, _, note in history.get(row["id"], []) if note.strip()]
        lagging.append(
            {
                **row,
                "points_below": rules.points_below(row["progress"], row["expected"]),
                "reason": notes[-1] if notes else "",
            }
        )
    lagging.sort(
        key=lambda i: (
            indicator_rules.IndicatorStatus(i["status"]).urgency,
            -(i["points_below"] or 0),
        )
    )

    requests = queries.open_requests(programme_id, quarter, scope).to_dict("records")
    decisions = _decisions(queries.open_decisions(programme_id))
    reported = set(this_quarter)
    missing = [
        row
        for row in overview[["id", "code", "name"]].to_dict("records")
        if row["id"] not in reported
    ]
    return Attention(
        subprojects=Shown.of(subprojects),
        changes=Shown.of(changes),
        milestones=Shown.of(late),
        indicators=Shown.of(lagging),
        stale=Shown.of(outdated(indicators)),
        requests=Shown.of(requests),
        decisions=Shown.of(decisions),
        not_reported=Shown.of(missing),
        tolerances=tolerances,
        previous_quarter=previous,
    )


def outdated(indicators: pd.DataFrame) -> list[dict]:
    """The indicators whose newest value is outdated, the longest overdue first."""
    if "stale_since" not in indicators:
        return []
    rows = records(indicators[indicators["stale_since"].notna()])
    rows.sort(key=lambda row: (row["stale_since"], row["name"]))
    return rows


def _decisions(frame: pd.DataFrame) -> list[dict]:
    """Open decisions, each with its follow-up actions that are not done or cancelled."""
    decisions: dict[int, dict] = {}
    for row in frame.to_dict("records"):
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
        if pd.notna(row["action_id"]) and row["action_state"] not in ("done", "cancelled"):
            decision["follow_ups"].append(
                {
                    "id": int(row["action_id"]),
                    "subproject_id": int(row["action_subproject_id"]),
                    "title": row["action_title"],
                    "state": row["action_state"],
                    "due_date": row["action_due_date"],
                }
            )
    return list(decisions.values())
