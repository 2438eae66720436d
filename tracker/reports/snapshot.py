"""The data of one quarter's report, "as at" the quarter's end, as plain JSON.

A report is a pure function of its snapshot: the PDF, the exports and the archive of a closed
quarter are all made from it. Collecting reads the database through the reporting layer (a fixed
number of queries whatever the data size); :func:`frames` turns the JSON back into DataFrames
with real dates, so the archived snapshot of a closed quarter renders exactly like live data.
"""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta

import pandas as pd

from tracker import timeutil
from tracker.events import queries as event_queries
from tracker.extensions import db
from tracker.indicators import queries as indicator_queries
from tracker.milestones import queries as milestone_queries
from tracker.projects import queries as project_queries
from tracker.projects.models import Programme
from tracker.quarters import Quarter
from tracker.steering import queries as steering_queries

# 2: the exception reports of the quarter and the milestones' newest reasons for a move.
SNAPSHOT_VERSION = 2

DATE_COLUMNS = {
    "baseline_date",
    "planned_date",
    "planned_date_at_start",
    "forecast_date",
    "achieved_on",
    "target_date",
    "start_date",
    "due_date",
    "stale_since",
    "measure_due",
    "held_on",
}
DATETIME_COLUMNS = {"updated_at", "entered_at"}


def collect(programme_id: int, quarter: Quarter) -> dict:
    """Everything the report of ``quarter`` shows, as known at the quarter's end.

    Measurements and quarterly updates of later periods are left out; milestones carry the
    achievement and planned date known at the end (see :func:`milestone_queries.milestones_as_at`).
    """
    programme = db.session.get_one(Programme, programme_id)
    end = quarter.end
    frames = {
        "subprojects": project_queries.subprojects(programme_id),
        "actions": project_queries.actions(programme_id),
        "milestones": milestone_queries.milestones_as_at(
            programme_id, end, since=quarter.start - timedelta(days=1)
        ),
        "indicators": indicator_queries.indicators(programme_id, quarter),
        "indicators_previous": indicator_queries.indicators(programme_id, quarter.previous()),
        "measurements": indicator_queries.measurement_details(programme_id, quarter),
        "updates": project_queries.quarterly_updates(programme_id, quarter),
        "exceptions": steering_queries.exception_reports(programme_id, quarter),
        "milestone_reasons": milestone_queries.date_change_reasons(programme_id, end),
        "events": event_queries.quarter_events(programme_id, quarter),
    }
    return {
        "version": SNAPSHOT_VERSION,
        "programme": {
            "id": programme.id,
            "name": programme.name,
            "aim": programme.aim,
            "start_date": programme.start_date.isoformat(),
            "end_date": programme.end_date.isoformat(),
        },
        "quarter": str(quarter),
        "as_at": end.isoformat(),
        "made_on": timeutil.today().isoformat(),
        # when the data were read: a report built while leads save states which moment it shows
        "read_at": timeutil.utcnow().isoformat(timespec="seconds"),
        "frames": {name: _encode(frame) for name, frame in frames.items()},
    }


def frames(snapshot: dict) -> dict[str, pd.DataFrame]:
    """The snapshot's tables as DataFrames, dates as ``date`` and timestamps as ``datetime``."""
    result = {}
    for name, table in snapshot["frames"].items():
        frame = pd.DataFrame(table["rows"], columns=table["columns"])
        for column in frame.columns:
            if column in DATE_COLUMNS:
                frame[column] = pd.Series(
                    [date.fromisoformat(v) if v else None for v in table_column(table, column)],
                    dtype=object,
                )
            elif column in DATETIME_COLUMNS:
                frame[column] = pd.Series(
                    [datetime.fromisoformat(v) if v else None for v in table_column(table, column)],
                    dtype=object,
                )
        result[name] = frame
    _with_quarter_values(result, snapshot)
    # a snapshot archived before events were reported has none
    result.setdefault("events", pd.DataFrame(columns=event_queries.EVENT_COLUMNS))
    return result


def _with_quarter_values(frames: dict[str, pd.DataFrame], snapshot: dict) -> None:
    """Give a snapshot archived before indicators carried their quarter's own value that value:
    the newest measurement, where it is of the snapshot's quarter (or the one before it)."""
    quarter = Quarter.parse(snapshot["quarter"])
    for name, own in (("indicators", quarter), ("indicators_previous", quarter.previous())):
        frame = frames.get(name)
        if frame is not None and "quarter_value" not in frame.columns:
            frame["quarter_value"] = [
                value if period == str(own) else None
                for period, value in zip(frame["latest_period"], frame["latest_value"], strict=True)
            ]


def of_subproject(frames: dict[str, pd.DataFrame], subproject_id: int) -> dict[str, pd.DataFrame]:
    """The frames narrowed to one subproject's rows: the one place a subproject report, its
    export and its charts take their share of the programme's data from."""
    return {
        name: frame[frame["id" if name == "subprojects" else "subproject_id"] == subproject_id]
        for name, frame in frames.items()
    }


def subproject_ids(snapshot: dict) -> set[int]:
    """The ids of the subprojects the snapshot holds."""
    return {int(v) for v in table_column(snapshot["frames"]["subprojects"], "id")}


def table_column(table: dict, column: str) -> list:
    index = table["columns"].index(column)
    return [row[index] for row in table["rows"]]


def _encode(frame: pd.DataFrame) -> dict:
    return {
        "columns": [str(c) for c in frame.columns],
        "rows": [[_plain(v) for v in row] for row in frame.itertuples(index=False, name=None)],
    }


def _plain(value):
    """A JSON-safe Python value: dates as ISO text, NaN/NaT as None, numpy scalars unwrapped."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, datetime):
        return value.replace(tzinfo=None).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalar
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value
