"""Exports of a quarter's numbers: one Excel workbook (a sheet per entity) or a zip of CSV files.

Both come from the same snapshot as the PDF (for a closed quarter: the archived one), so the
three cannot disagree. Each sheet opens with what it is: programme, quarter, as-at date, and
concept or closed with the archived report's SHA-256 (the CSV zip in a text file beside).

Excel cells hold real dates and numbers, and text as text: a text cell that begins like a
formula (``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is stored as a string with
Excel's "quote prefix" flag, the way Excel itself stores text typed after an apostrophe, so
no spreadsheet runs it and its value reads back unchanged. CSV has no cell types: there such
text gets a leading ``'`` (``tracker.spreadsheets.neutralise``).

CSV: a zip holding one file per entity, because one flat file cannot hold six tables with
different columns. Each file is UTF-8 with a byte-order mark, semicolon-separated with a decimal
comma and ISO dates (2026-09-30): what Excel in a Dutch locale opens correctly by double-click,
and unambiguous for other tools.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd
from flask_babel import force_locale
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from tracker.i18n import gettext as _
from tracker.indicators.status import IndicatorStatus
from tracker.labels import (
    ACTION_STATE_LABELS,
    DIRECTION_LABELS,
    EVENT_KIND_LABELS,
    FREQUENCY_LABELS,
    ROLLUP_LABELS,
    aggregation_rule,
    count_adjusted,
)
from tracker.milestones.status import MilestoneStatus, SlipKind
from tracker.projects.status import Rag
from tracker.quarters.display import quarter_sort_text, quarter_text
from tracker.reports import snapshot as snapshots
from tracker.spreadsheets import neutralise

TEXT, DATE, DATETIME, NUMBER, INTEGER, PERCENT = "text", "date", "datetime", "number", "int", "pct"
QUARTER = "quarter"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: str = TEXT
    labels: dict | None = None


def _sheets() -> list[tuple[str, str, list[Column]]]:
    """(frame name, sheet name, columns); headers in the current (Dutch) locale."""
    return [
        (
            "subprojects",
            _("Subprojects"),
            [
                Column("id", _("Id"), INTEGER),
                Column("code", _("Code")),
                Column("name", _("Name")),
                Column("municipality", _("Municipality")),
                Column("cbs_code", _("CBS code")),
                Column("leads", _("Subproject leads")),
            ],
        ),
        (
            "actions",
            _("Actions"),
            [
                Column("id", _("Id"), INTEGER),
                Column("subproject", _("Subproject")),
                Column("title", _("Title")),
                Column("owner", _("Owner")),
                Column("start_date", _("Start"), DATE),
                Column("due_date", _("Due"), DATE),
                Column("state", _("State"), labels=ACTION_STATE_LABELS),
                Column("progress", _("Progress (%)"), INTEGER),
            ],
        ),
        (
            "milestones",
            _("Milestones"),
            [
                Column("id", _("Id"), INTEGER),
                Column("subproject", _("Subproject")),
                Column("title", _("Title")),
                Column("baseline_date", _("Baseline date"), DATE),
                Column("planned_date", _("Planned date"), DATE),
                Column("forecast_date", _("Forecast date"), DATE),
                Column("achieved_on", _("Achieved on"), DATE),
                Column("slip_days", _("Slip (days)"), INTEGER),
                Column(
                    "slip_kind",
                    _("Slip measured by"),
                    labels={kind.value: kind.label for kind in SlipKind},
                ),
                Column("status", _("Status"), labels=MilestoneStatus.labels()),
            ],
        ),
        (
            "indicators",
            _("Indicators"),
            [
                Column("id", _("Id"), INTEGER),
                Column("subproject", _("Subproject")),
                Column("name", _("Name")),
                Column("unit", _("Unit")),
                Column("direction", _("Direction"), labels=DIRECTION_LABELS),
                Column("baseline_value", _("Baseline value"), NUMBER),
                Column("baseline_date", _("Baseline measured on"), DATE),
                Column("target_value", _("Target value"), NUMBER),
                Column("target_date", _("Target date"), DATE),
                Column("rollup", _("Roll-up"), labels=ROLLUP_LABELS),
                Column("rule", _("Computed as")),
                Column("latest_period", _("Newest period"), QUARTER),
                Column("quarter_value", _("Value this quarter"), NUMBER),
                Column("actual", _("Rolled-up value up to this quarter"), NUMBER),
                Column("previous_actual", _("Rolled-up value up to the previous quarter"), NUMBER),
                Column("progress", _("Progress"), PERCENT),
                Column("expected", _("Expected progress"), PERCENT),
                Column("status", _("Status"), labels=IndicatorStatus.labels()),
                Column("frequency", _("New value expected"), labels=FREQUENCY_LABELS),
                Column("stale_since", _("Outdated: the next value was due on"), DATE),
            ],
        ),
        (
            "measurements",
            _("Measurements"),
            [
                Column("id", _("Id"), INTEGER),
                Column("subproject", _("Subproject")),
                Column("indicator", _("Indicator")),
                Column("unit", _("Unit")),
                Column("period", _("Period"), QUARTER),
                Column("value", _("Value"), NUMBER),
                Column("note", _("Note")),
                Column("source", _("Source")),
                Column("entered_by", _("Entered by")),
                Column("entered_at", _("Entered at"), DATETIME),
                Column("rule", _("Computed as")),
                Column("counted_value", _("Counted from events"), NUMBER),
                Column("adjusted", _("Adjusted by hand")),
            ],
        ),
        (
            "updates",
            _("Quarterly updates"),
            [
                Column("id", _("Id"), INTEGER),
                Column("subproject", _("Subproject")),
                Column("quarter", _("Quarter"), QUARTER),
                Column("rag", _("RAG (lead)"), labels=Rag.labels()),
                Column("achieved", _("Achieved")),
                Column("next_steps", _("Next steps")),
                Column("risks", _("Risks")),
                Column("decisions_requested", _("Decisions asked")),
                Column("updated_by", _("Updated by")),
                Column("updated_at", _("Updated at"), DATETIME),
            ],
        ),
        (
            "events",
            _("Events"),
            [
                Column("id", _("Id"), INTEGER),
                Column("subproject", _("Subproject")),
                Column("held_on", _("Date"), DATE),
                Column("title", _("Title")),
                Column("kind", _("Kind"), labels=EVENT_KIND_LABELS),
                Column("place", _("Place")),
                Column("registered", _("Registrations"), INTEGER),
                Column("attended", _("Attended"), INTEGER),
            ],
        ),
    ]


def tables(snapshot: dict, subproject_id: int | None = None) -> dict[str, pd.DataFrame]:
    """The snapshot's frames for the export: one subproject's rows if asked, with the
    subproject's label on every row and the previous quarter's value beside each indicator."""
    frames = snapshots.frames(snapshot)
    subprojects = frames["subprojects"]
    names = {
        int(i): f"{c} {n}"
        for i, c, n in subprojects[["id", "code", "name"]].itertuples(index=False)
    }
    earlier = frames.pop("indicators_previous")
    current = frames["indicators"]
    sources = dict(zip(current["id"], current.get("sources", []), strict=False))
    previous = dict(zip(earlier["id"], earlier["actual"], strict=True))
    if subproject_id is not None:
        frames = snapshots.of_subproject(frames, subproject_id)
    result = {}
    for name, frame in frames.items():
        frame = frame.copy()
        own = "id" if name == "subprojects" else "subproject_id"
        if name != "subprojects":
            frame["subproject"] = [
                names.get(int(s), "") if pd.notna(s) else _("Programme") for s in frame[own]
            ]
        if name == "indicators":
            frame["previous_actual"] = [previous.get(i) for i in frame["id"]]
        if name in ("indicators", "measurements"):
            frame["rule"] = _rules(frame, "id" if name == "indicators" else "indicator_id", sources)
        if name == "measurements":
            frame["adjusted"] = _adjustments(frame)
        result[name] = frame
    return result


def _adjustments(frame: pd.DataFrame) -> list[str]:
    """For a counted value set by hand, what it replaced, why, by whom and when; empty for
    every other row (and every row of a snapshot made before values could be adjusted)."""
    if "override_reason" not in frame:
        return [""] * len(frame)
    return [
        count_adjusted(
            row["value"],
            row["counted_value"],
            row["override_reason"],
            row["entered_by"],
            row["entered_at"],
        )
        if isinstance(row["override_reason"], str)
        else ""
        for row in frame.to_dict("records")
    ]


def _rules(frame: pd.DataFrame, key: str, sources: dict) -> list[str]:
    """How each row's value is computed ("sum of 6 subproject indicators"), empty where it is
    entered; a snapshot made before computed indicators existed has none."""
    if "aggregation" not in frame:
        return [""] * len(frame)
    return [
        aggregation_rule(a, sources.get(i)) if isinstance(a, str) else ""
        for a, i in zip(frame["aggregation"].tolist(), frame[key].tolist(), strict=True)
    ]


def _cell_value(value, column: Column):
    """The value as a cell holds it; text unchanged (each format makes it safe its own way)."""
    if value is None or (isinstance(value, float) and value != value) or value is pd.NaT:
        return None
    if column.labels is not None:
        label = column.labels.get(value)
        return str(label) if label is not None else str(value)
    if column.kind == TEXT:
        return str(value)
    if column.kind == QUARTER:
        return quarter_sort_text(value)
    if column.kind == DATE:
        return value if isinstance(value, date) else date.fromisoformat(str(value))
    if column.kind == DATETIME:
        return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if column.kind == INTEGER:
        return int(value)
    return float(value)


NUMBER_FORMATS = {
    DATE: "DD-MM-YYYY",
    DATETIME: "DD-MM-YYYY HH:MM",
    NUMBER: "#,##0.0##",
    INTEGER: "0",
    PERCENT: "0%",
}


def provenance(snapshot: dict, seal: str | None = None) -> list[str]:
    """What an export is, in two lines: programme, quarter and as-at date; concept, or closed
    with the SHA-256 of the archived report (``seal``) that holds the same numbers."""
    as_at = date.fromisoformat(snapshot["as_at"]).strftime("%d-%m-%Y")
    what = _(
        "%(programme)s, quarter %(quarter)s, as at %(date)s",
        programme=snapshot["programme"]["name"],
        quarter=quarter_text(snapshot["quarter"]),
        date=as_at,
    )
    closing = snapshot.get("closing")
    if seal and closing:
        state = _(
            "Closed (vastgesteld) on %(date)s by %(name)s; archived report SHA-256 %(hash)s",
            date=date.fromisoformat(closing["closed_on"]).strftime("%d-%m-%Y"),
            name=closing["closed_by"],
            hash=seal,
        )
        approval = closing.get("approval")
        if approval:
            state += ". " + _(
                "Approved by the steering group on %(date)s, decision %(number)s",
                date=date.fromisoformat(approval["approved_on"]).strftime("%d-%m-%Y"),
                number=approval["decision_number"],
            )
    else:
        state = _(
            "Concept of %(date)s: the numbers can change until the quarter is closed",
            date=date.fromisoformat(snapshot["made_on"]).strftime("%d-%m-%Y"),
        )
    return [what, state]


TABLE_ROW = 4  # the header row of each sheet's table, under the provenance lines


def xlsx(snapshot: dict, subproject_id: int | None = None, seal: str | None = None) -> bytes:
    with force_locale("nl"):
        data = tables(snapshot, subproject_id)
        about = provenance(snapshot, seal)
        workbook = Workbook()
        workbook.remove(workbook.active)
        for frame_name, sheet_name, columns in _sheets():
            sheet = workbook.create_sheet(sheet_name[:31])
            for line in about:
                sheet.append([line])
            sheet["A1"].font = Font(bold=True)
            sheet.append([])
            sheet.append([c.header for c in columns])
            for cell in sheet[TABLE_ROW]:
                cell.font = Font(bold=True, color="FFFFFF")
                cell.fill = PatternFill("solid", fgColor="00457C")
            frame = data[frame_name]
            for row in frame.to_dict("records"):
                sheet.append([_cell_value(row.get(c.key), c) for c in columns])
            for index, column in enumerate(columns, start=1):
                fmt = NUMBER_FORMATS.get(column.kind)
                for (cell,) in sheet.iter_rows(min_row=TABLE_ROW + 1, min_col=index, max_col=index):
                    if fmt:
                        cell.number_format = fmt
                    if isinstance(cell.value, str):
                        _text_cell(cell)
                width = 12 if column.kind != TEXT else 28
                sheet.column_dimensions[get_column_letter(index)].width = width
            sheet.freeze_panes = f"A{TABLE_ROW + 1}"
            last = f"{get_column_letter(len(columns))}{max(sheet.max_row, TABLE_ROW)}"
            sheet.auto_filter.ref = f"A{TABLE_ROW}:{last}"
        buffer = io.BytesIO()
        workbook.save(buffer)
    return buffer.getvalue()


def _text_cell(cell) -> None:
    """A string cell, never a formula; text that starts like one is flagged as typed text."""
    cell.data_type = "s"
    if neutralise(cell.value) != cell.value:
        cell.quotePrefix = True


def _csv_value(value, column: Column) -> str:
    value = _cell_value(value, column)
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if column.kind == PERCENT:
        return f"{value * 100:.1f}".replace(".", ",")
    if isinstance(value, float):
        return f"{value:.6g}".replace(".", ",") if value == value else ""
    return str(value)


def csv_files(
    snapshot: dict, subproject_id: int | None = None, seal: str | None = None
) -> dict[str, str]:
    """File name to CSV text, one file per entity, and a text file that says what they are."""
    with force_locale("nl"):
        data = tables(snapshot, subproject_id)
        about = _("About this export")
        files = {f"{_file_stem(about)}.txt": "\r\n".join(provenance(snapshot, seal))}
        for frame_name, sheet_name, columns in _sheets():
            out = io.StringIO()
            writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
            writer.writerow([c.header + (" (%)" if c.kind == PERCENT else "") for c in columns])
            for row in data[frame_name].to_dict("records"):
                writer.writerow([_csv_value(row.get(c.key), c) for c in columns])
            files[f"{_file_stem(sheet_name)}.csv"] = out.getvalue()
    return files


def csv_zip(snapshot: dict, subproject_id: int | None = None, seal: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in csv_files(snapshot, subproject_id, seal).items():
            archive.writestr(name, "\ufeff" + text)
    return buffer.getvalue()


def _file_stem(name: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-")
