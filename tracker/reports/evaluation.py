"""What the quarterly evaluation report says, computed from a snapshot's DataFrames.

Plain Python, no Flask and no database: the same snapshot always gives the same report, which is
what lets a closed quarter's archive and a concept report be made by one path.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from tracker.indicators import status as indicator_rules
from tracker.milestones import status as milestone_rules
from tracker.projects import status as subproject_rules
from tracker.quarters import Quarter
from tracker.reports import summary as first_pages
from tracker.reports.snapshot import of_subproject
from tracker.steering.queries import EXCEPTION_COLUMNS
from tracker.tables import records

RAG_KEYS = (*subproject_rules.RAG_ORDER, None)


@dataclass
class Summary:
    achieved: list[dict] = field(default_factory=list)
    slipped: list[dict] = field(default_factory=list)
    overdue: list[dict] = field(default_factory=list)
    indicator_counts: dict[str, int] = field(default_factory=dict)
    stale: list[dict] = field(default_factory=list)
    computed_rag_counts: dict[str | None, int] = field(default_factory=dict)
    lead_rag_counts: dict[str | None, int] = field(default_factory=dict)
    rag_rows: list[dict] = field(default_factory=list)
    decisions: list[dict] = field(default_factory=list)
    exceptions: first_pages.Listed = field(default_factory=first_pages.Listed)
    forecast_slips: first_pages.Listed = field(default_factory=first_pages.Listed)
    lagging: first_pages.Listed = field(default_factory=first_pages.Listed)
    history: first_pages.StatusHistory = field(default_factory=first_pages.StatusHistory)


@dataclass
class Section:
    subproject: dict
    update: dict | None
    lead_rag: str | None
    lead_rag_quarter: str | None
    computed_rag: str | None
    milestones: list[dict]
    indicators: list[dict]
    indicator_ids: list[int]
    events: list[dict] = field(default_factory=list)


@dataclass
class Report:
    quarter: Quarter
    summary: Summary
    sections: list[Section]
    programme_indicators: list[dict]
    appendix_milestones: list[dict]
    appendix_measurements: list[dict]
    subproject_names: dict[int, str]
    # events of the programme as a whole (no subproject), e.g. the province's cluster meeting
    programme_events: list[dict] = field(default_factory=list)


def _in_quarter(day: date | None, quarter: Quarter) -> bool:
    return day is not None and quarter.contains(day)


def slipped_in_quarter(row: dict, quarter: Quarter) -> bool:
    """Slipped this quarter: the planned date stood later at the quarter's end than at its start,
    and the milestone was not achieved before the quarter began."""
    start = row.get("planned_date_at_start")
    moved = start is not None and row["planned_date"] > start
    return moved and not (row["achieved_on"] and row["achieved_on"] < quarter.start)


def concerns_quarter(row: dict, quarter: Quarter) -> bool:
    """A milestone the quarter's section reports on: planned or achieved in the quarter, moved
    during it, or overdue at its end (so every milestone of the summary's tables is there too)."""
    return (
        _in_quarter(row["planned_date"], quarter)
        or _in_quarter(row["achieved_on"], quarter)
        or slipped_in_quarter(row, quarter)
        or row["status"] == milestone_rules.OVERDUE
    )


def _with_older_snapshots(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """An archived snapshot from before exception reports and reasons were kept reads as one
    without any."""
    defaults = {
        "exceptions": EXCEPTION_COLUMNS,
        "milestone_reasons": ["milestone_id", "subproject_id", "reason"],
    }
    missing = {name: pd.DataFrame(columns=c) for name, c in defaults.items() if name not in frames}
    return {**frames, **missing} if missing else frames


def build(
    frames: dict[str, pd.DataFrame],
    quarter: Quarter,
    subproject_id: int | None = None,
    first: Quarter | None = None,
):
    """The whole report, or with ``subproject_id`` the report of one subproject. ``first``, the
    programme's first quarter, bounds the status history."""
    frames = _with_older_snapshots(frames)
    previous = frames["indicators_previous"]
    if subproject_id is not None:
        frames = of_subproject(frames, subproject_id)
    subprojects = frames["subprojects"]
    milestones = frames["milestones"]
    indicators = frames["indicators"]
    measurements = frames["measurements"]
    updates = frames["updates"]

    names = {int(row["id"]): f"{row['code']} {row['name']}" for row in records(subprojects)}
    previous_actual = {
        int(r["id"]): r["actual"] for r in records(previous) if r["actual"] is not None
    }
    milestone_rows = records(milestones)
    for row in milestone_rows:
        row["subproject"] = names.get(row["subproject_id"], "")
    indicator_rows = records(indicators)
    for row in indicator_rows:
        row["previous_actual"] = previous_actual.get(int(row["id"]))
        row["subproject"] = names.get(row["subproject_id"], "") if row["subproject_id"] else ""
    update_rows = records(updates)
    event_rows = records(frames["events"])

    sections = []
    for sub in records(subprojects):
        sid = int(sub["id"])
        own_milestones = [m for m in milestone_rows if m["subproject_id"] == sid]
        own_indicators = [i for i in indicator_rows if i["subproject_id"] == sid]
        own_updates = [u for u in update_rows if u["subproject_id"] == sid]
        this_update = next((u for u in own_updates if u["quarter"] == str(quarter)), None)
        newest = own_updates[-1] if own_updates else None
        sections.append(
            Section(
                subproject=sub,
                update=this_update,
                lead_rag=newest["rag"] if newest else None,
                lead_rag_quarter=newest["quarter"] if newest else None,
                computed_rag=subproject_rules.computed_rag(
                    [m["status"] for m in own_milestones],
                    [i["status"] for i in own_indicators],
                ),
                milestones=[m for m in own_milestones if concerns_quarter(m, quarter)],
                indicators=own_indicators,
                indicator_ids=[int(i["id"]) for i in own_indicators],
                events=[e for e in event_rows if e["subproject_id"] == sid],
            )
        )

    this_quarter = {
        u["subproject_id"]: u["rag"] for u in update_rows if u["quarter"] == str(quarter)
    }
    history = first_pages.measurement_history(measurements)
    reasons = {
        int(r["milestone_id"]): r["reason"] or "" for r in records(frames["milestone_reasons"])
    }
    summary = Summary(
        exceptions=first_pages.exceptions(
            sections, this_quarter, records(frames["exceptions"]), names
        ),
        forecast_slips=first_pages.forecast_slips(milestone_rows, reasons),
        lagging=first_pages.lagging_indicators(indicator_rows, first_pages.newest_notes(history)),
        history=first_pages.status_history(frames, quarter, first, sections, names, history),
        achieved=[m for m in milestone_rows if _in_quarter(m["achieved_on"], quarter)],
        slipped=[m for m in milestone_rows if slipped_in_quarter(m, quarter)],
        overdue=[m for m in milestone_rows if m["status"] == milestone_rules.OVERDUE],
        indicator_counts={
            s: sum(1 for i in indicator_rows if i["status"] == s) for s in indicator_rules.STATUSES
        },
        # a report archived before freshness was judged has no stale_since
        stale=sorted(
            (i for i in indicator_rows if i.get("stale_since")), key=lambda i: i["stale_since"]
        ),
        computed_rag_counts=_rag_counts(s.computed_rag for s in sections),
        lead_rag_counts=_rag_counts(s.lead_rag for s in sections),
        rag_rows=[
            {
                "name": names[int(s.subproject["id"])],
                "municipality": s.subproject["municipality"],
                "lead_rag": s.lead_rag,
                "lead_rag_quarter": s.lead_rag_quarter,
                "computed_rag": s.computed_rag,
                "differs": subproject_rules.rag_disagrees(s.lead_rag, s.computed_rag),
            }
            for s in sections
        ],
        decisions=[
            {"subproject": names.get(u["subproject_id"], ""), "text": u["decisions_requested"]}
            for u in update_rows
            if u["quarter"] == str(quarter) and (u["decisions_requested"] or "").strip()
        ],
    )
    return Report(
        quarter=quarter,
        summary=summary,
        sections=sections,
        programme_indicators=[i for i in indicator_rows if i["subproject_id"] is None]
        if subproject_id is None
        else [],
        appendix_milestones=sorted(
            milestone_rows, key=lambda m: (m["subproject"], m["planned_date"], m["id"])
        ),
        appendix_measurements=[
            {**m, "subproject": names.get(m["subproject_id"], "") if m["subproject_id"] else ""}
            for m in records(measurements)
            if m["period"] == str(quarter)
        ],
        subproject_names=names,
        programme_events=[e for e in event_rows if _is_missing(e["subproject_id"])]
        if subproject_id is None
        else [],
    )


def _is_missing(value) -> bool:
    """No subproject: None, or NaN where a frame with numbers held the column."""
    return value is None or value != value


def _rag_counts(values) -> dict[str | None, int]:
    counts = Counter(values)
    return {key: counts.get(key, 0) for key in RAG_KEYS}
