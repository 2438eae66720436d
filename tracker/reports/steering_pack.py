"""The steering pack (stuurgroeppakket): per meeting one PDF for the steering group.

Its agenda, one exception sheet per amber or red subproject (the lead's exception report with
the milestones and indicators that deviate beyond tolerance), the decisions asked with the
programme manager's advice, the open decisions with their follow-up actions, and "since the last
meeting": what changed between the archived snapshot of the last closed quarter and the quarter
the meeting discusses (status changes, moved planned dates, new values).

Same typesetting as the quarterly report: the app's Jinja environment (autoescaped), Dutch,
the report stylesheet, WeasyPrint with the static-only fetcher and PDF/UA-1 tagging
(:func:`tracker.reports.pdf.html_to_pdf`). Built as a job and stored under the hash of its
data (:func:`tracker.reports.store.pack`), like the quarterly reports.
"""

from __future__ import annotations

import dataclasses

import pandas as pd
from flask import render_template
from flask_babel import force_locale

from tracker import timeutil
from tracker.extensions import db
from tracker.indicators import queries as indicator_queries
from tracker.milestones import queries as milestone_queries
from tracker.quarters import Quarter
from tracker.quarters.lock import closed_quarter, closed_quarters
from tracker.reports import evaluation, pdf, snapshot
from tracker.steering import drafting, exceptions, rules
from tracker.steering import queries as steering_queries
from tracker.steering.models import Meeting

VARIANT = "stuurgroeppakket"
TEMPLATE = "reports/pdf/steering_pack.html"


def collect(meeting_id: int) -> dict:
    """Everything the pack prints, as plain values: its JSON text is what the stored pack's hash
    is made of, so any change in it makes a new pack."""
    meeting = db.session.get_one(Meeting, meeting_id)
    programme = meeting.programme
    quarter = Quarter.parse(meeting.quarter)
    with force_locale("nl"):
        draft = drafting.draft(programme.id, quarter, meeting.held_on)
        sheets = _sheets(programme.id, quarter, draft)
    return {
        "programme": {"id": programme.id, "name": programme.name},
        "meeting": {
            "id": meeting.id,
            "title": meeting.title,
            "held_on": meeting.held_on,
            "quarter": meeting.quarter,
            "attendees": meeting.attendees,
            "agenda": meeting.agenda,
        },
        "draft": dataclasses.asdict(draft),
        "sheets": sheets,
        "since": since_last_closed(programme.id, quarter),
    }


def _sheets(programme_id: int, quarter: Quarter, draft) -> dict[int, dict]:
    """Per amber or red subproject what deviates: milestones late beyond tolerance with their
    reason, indicators behind their trajectory with their note. One pass over the programme."""
    if not draft.exceptions:
        return {}
    as_of = rules.judged_on(quarter.start, quarter.end, timeutil.today())
    tolerances = steering_queries.tolerances(programme_id)
    milestones = milestone_queries.milestones(programme_id, as_of)
    indicators = indicator_queries.indicators(programme_id, quarter)
    late = exceptions.late_milestones(
        milestones, steering_queries.latest_reasons(programme_id), as_of, tolerances
    )
    lagging = exceptions.lagging_indicators(
        indicators, steering_queries.measurement_history(programme_id, quarter), tolerances
    )
    sheets = {}
    for item in draft.exceptions:
        sid = item.subproject_id
        sheets[sid] = {
            "milestones": [
                {k: m[k] for k in ("title", "planned_date", "baseline_date", "days", "reason")}
                | {"deviation": m["deviation_label"]}
                for m in late
                if m["subproject_id"] == sid
            ],
            "indicators": [
                {k: i[k] for k in ("name", "unit", "status", "points_below", "reason")}
                for i in lagging
                if i["subproject_id"] == sid
            ],
        }
    return sheets


def since_last_closed(programme_id: int, quarter: Quarter) -> dict | None:
    """What changed from the archived snapshot of the last quarter closed before ``quarter`` to
    ``quarter`` as it stands (its own archive when it is closed too); None before any closing."""
    earlier = sorted(q for q in closed_quarters(programme_id) if q < str(quarter))
    if not earlier:
        return None
    before = closed_quarter(programme_id, earlier[-1])
    archived = closed_quarter(programme_id, quarter)
    now = archived.snapshot if archived is not None else snapshot.collect(programme_id, quarter)
    return {"closed_quarter": before.quarter, **changes(before.snapshot, now)}


def changes(old: dict, new: dict) -> dict:
    """Status changes per subproject, moved planned dates and new values between two report
    snapshots. Plain frames in, plain rows out."""
    old_frames, new_frames = snapshot.frames(old), snapshot.frames(new)
    old_report = evaluation.build(old_frames, Quarter.parse(old["quarter"]))
    new_report = evaluation.build(new_frames, Quarter.parse(new["quarter"]))
    before = {int(s.subproject["id"]): s for s in old_report.sections}
    statuses = []
    for section in new_report.sections:
        sid = int(section.subproject["id"])
        was = before.get(sid)
        lead_before = was.lead_rag if was else None
        computed_before = was.computed_rag if was else None
        if (lead_before, computed_before) != (section.lead_rag, section.computed_rag):
            statuses.append(
                {
                    "subproject": f"{section.subproject['code']} {section.subproject['name']}",
                    "lead_before": lead_before,
                    "lead_now": section.lead_rag,
                    "computed_before": computed_before,
                    "computed_now": section.computed_rag,
                }
            )
    return {
        "statuses": statuses,
        "moved": _moved(old_frames["milestones"], new_frames["milestones"], new_frames),
        "new_values": _values(old_frames["indicators"], new_frames["indicators"], new_frames),
    }


def _codes(frames: dict[str, pd.DataFrame]) -> dict[int, str]:
    return {int(r["id"]): r["code"] for r in frames["subprojects"].to_dict("records")}


def _moved(old: pd.DataFrame, new: pd.DataFrame, frames: dict) -> list[dict]:
    codes = _codes(frames)
    planned_before = dict(zip(old["id"].tolist(), old["planned_date"].tolist(), strict=True))
    moved = []
    for row in new.to_dict("records"):
        was = planned_before.get(row["id"])
        if was is not None and was != row["planned_date"]:
            moved.append(
                {
                    "subproject": codes.get(row["subproject_id"], ""),
                    "title": row["title"],
                    "from_date": was,
                    "to_date": row["planned_date"],
                    "status": row["status"],
                }
            )
    return moved


def _values(old: pd.DataFrame, new: pd.DataFrame, frames: dict) -> list[dict]:
    codes = _codes(frames)
    before = {row["id"]: row for row in old.to_dict("records")}
    found = []
    for row in new.to_dict("records"):
        was = before.get(row["id"], {})
        if _number(row.get("actual")) is None:
            continue
        if row.get("latest_period") == was.get("latest_period") and _number(
            row.get("actual")
        ) == _number(was.get("actual")):
            continue
        found.append(
            {
                "subproject": codes.get(row["subproject_id"], "") if row["subproject_id"] else "",
                "name": row["name"],
                "unit": row["unit"],
                "before": _number(was.get("actual")),
                "now": _number(row["actual"]),
                "period": row.get("latest_period"),
                "status_before": was.get("status"),
                "status_now": row["status"],
            }
        )
    return found


def _number(value) -> float | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    return float(value)


def render_html(data: dict) -> str:
    """The pack's HTML, in Dutch. Call inside an app and request context."""
    with force_locale("nl"):
        return render_template(
            TEMPLATE,
            data=data,
            programme=data["programme"],
            meeting=data["meeting"],
            draft=data["draft"],
            sheets=data["sheets"],
            since=data["since"],
            made_on=timeutil.today(),
            made_at=timeutil.utcnow(),  # the data were read just before
            stylesheet=pdf.STYLESHEET,
        )


def build_pdf(data: dict) -> bytes:
    """The pack as a tagged PDF: seconds of WeasyPrint, so made by a job (see ``store``)."""
    with pdf._request_context():
        html = render_html(data)
    return pdf.html_to_pdf(html)


def file_name(meeting: Meeting) -> str:
    """E.g. ``stuurgroeppakket-2026-11-24.pdf``: ASCII, no user text."""
    return f"stuurgroeppakket-{meeting.held_on.isoformat()}.pdf"
