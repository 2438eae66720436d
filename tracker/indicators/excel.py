"""Excel round trip for a subproject's quarter: a template out, a checked upload in.

The upload is checked before openpyxl parses it: size, that it is a zip with an xlsx inside, and
the zip's declared unpacked sizes (a zip bomb unpacks to gigabytes from a few kilobytes).
openpyxl parses XML through defusedxml when that is installed (it is a dependency), which stops
entity-expansion attacks. Then every row is validated; the result is a preview with the change
and the errors of each row. Nothing is written here.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import asdict, dataclass, field
from datetime import date, datetime

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException

from tracker.i18n import gettext as _
from tracker.i18n import number_format
from tracker.indicators import values
from tracker.numbers import MAX_MAGNITUDE, InvalidNumber, OutOfRange, bounded, parse_number
from tracker.quarters import Quarter
from tracker.spreadsheets import neutralise, restore

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
MAX_NOTE = 2000
SHEET = "Metingen"
# Columns of the template (1-based): ID, indicator, unit, baseline, target, last value,
# last period, value of the quarter, note.
COL_ID, COL_VALUE, COL_NOTE = 1, 8, 9


class UploadRefused(ValueError):
    """The file as a whole is refused; the message says why."""


def build_template(subproject_code: str, quarter: Quarter, rows: list[dict]) -> bytes:
    """One row per indicator: baseline, target, last value, and an empty column for ``quarter``.

    ``rows`` carry id, name, unit, baseline_value, target_value, latest_value, latest_period and
    current (this quarter's value if one was entered already) and note.
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    headers = [
        _("ID (do not change)"),
        _("Indicator"),
        _("Unit"),
        _("Baseline"),
        _("Target"),
        _("Last value"),
        _("Last quarter"),
        _("Value %(quarter)s", quarter=str(quarter)),
        _("Note"),
    ]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    fill = PatternFill("solid", fgColor="FFF2CC")
    for row in rows:
        sheet.append(
            [
                row["id"],
                neutralise(row["name"]),
                neutralise(row["unit"]),
                row["baseline_value"],
                row["target_value"],
                row.get("latest_value"),
                row.get("latest_period"),
                row.get("current"),
                neutralise(row.get("note") or None),
            ]
        )
        sheet.cell(row=sheet.max_row, column=COL_VALUE).fill = fill
    for letter, width in zip("ABCDEFGHI", (8, 40, 14, 12, 12, 12, 12, 16, 40), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "B2"
    info = workbook.create_sheet("Info")
    info.append([_("Subproject"), neutralise(subproject_code)])
    info.append([_("Quarter"), str(quarter)])
    info.append([_("Fill in the yellow column and upload the file on the quarter page.")])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def check_size(data: bytes) -> None:
    """The size limit of every upload (xlsx or CSV), and an empty file."""
    if len(data) > MAX_BYTES:
        raise UploadRefused(_("The file is larger than 5 MB."))
    if not data.strip():
        raise UploadRefused(_("The file is empty."))


def check_container(data: bytes, filename: str) -> None:
    """Refuse what is not a plausible, safely sized xlsx, before any XML is parsed."""
    check_size(data)
    if not filename.lower().endswith(".xlsx") or not zipfile.is_zipfile(io.BytesIO(data)):
        raise UploadRefused(_("This is not an Excel file (.xlsx). Use the downloaded template."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            names = {m.filename for m in members}
            total = sum(m.file_size for m in members)
            worst = max((m.file_size / max(m.compress_size, 1) for m in members), default=0)
    except (zipfile.BadZipFile, zipfile.LargeZipFile) as error:
        raise UploadRefused(_("This is not an Excel file (.xlsx).")) from error
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise UploadRefused(_("This is not an Excel file (.xlsx). Use the downloaded template."))
    if total > MAX_UNPACKED_BYTES or worst > MAX_COMPRESSION_RATIO:
        raise UploadRefused(_("The file unpacks to far more data than a filled-in template holds."))


def read_rows(data: bytes, quarter: Quarter) -> list[tuple[int, tuple]]:
    """(row number, cells) of each non-empty data row; refuses a file that is not the template."""
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise UploadRefused(_("The Excel file could not be read.")) from error
    try:
        if SHEET not in workbook.sheetnames:
            raise UploadRefused(
                _("The sheet %(sheet)s is missing: use the downloaded template.", sheet=SHEET)
            )
        sheet = workbook[SHEET]
        rows = []
        header = None
        for number, cells in enumerate(sheet.iter_rows(values_only=True, max_col=COL_NOTE), 1):
            if number == 1:
                header = cells
                continue
            if number - 1 > MAX_ROWS:
                raise UploadRefused(
                    _("The file has more than %(max)s rows.", max=f"{MAX_ROWS:,}".replace(",", "."))
                )
            if cells is None or all(c is None or str(c).strip() == "" for c in cells):
                continue
            rows.append((number, tuple(cells) + (None,) * (COL_NOTE - len(cells))))
    finally:
        workbook.close()
    value_header = str((header or (None,) * COL_NOTE)[COL_VALUE - 1] or "")
    if str(quarter) not in value_header:
        raise UploadRefused(
            _(
                "This file is not the template of %(quarter)s: its value column is headed "
                "%(header)r.",
                quarter=str(quarter),
                header=value_header[:40],
            )
        )
    return rows


@dataclass
class PreviewRow:
    row: int
    indicator_id: int | None = None
    name: str = ""
    unit: str = ""
    old: float | None = None
    new: float | None = None
    note: str = ""
    change: str = "none"  # new, changed, unchanged, empty, error
    errors: list[str] = field(default_factory=list)


@dataclass
class Preview:
    rows: list[PreviewRow]

    @property
    def errors(self) -> int:
        return sum(1 for r in self.rows if r.errors)

    @property
    def changes(self) -> list[PreviewRow]:
        return [r for r in self.rows if r.change in ("new", "changed")]

    def payload(self) -> list[dict]:
        return [
            {"indicator_id": r.indicator_id, "value": r.new, "note": r.note} for r in self.changes
        ]

    def as_dicts(self) -> list[dict]:
        return [asdict(r) for r in self.rows]


def _number(cell) -> float:
    if isinstance(cell, bool | date | datetime):
        raise InvalidNumber(repr(cell))
    if isinstance(cell, int | float):
        return bounded(float(cell))
    return parse_number(str(cell))


def validate(rows, indicators: dict[int, dict], existing: dict[int, dict]) -> Preview:
    """Check each row against the subproject's indicators and this quarter's values.

    ``indicators``: id -> {name, unit, counted}; ``existing``: indicator id -> {value, note}.
    """
    seen: dict[int, int] = {}
    result = []
    for number, cells in rows:
        preview = PreviewRow(row=number)
        result.append(preview)
        raw_id, raw_value, raw_note = cells[COL_ID - 1], cells[COL_VALUE - 1], cells[COL_NOTE - 1]
        try:
            indicator_id = int(_number(raw_id)) if raw_id is not None else None
            if indicator_id is not None and float(_number(raw_id)) != indicator_id:
                indicator_id = None
        except InvalidNumber:
            indicator_id = None
        if indicator_id is None or indicator_id not in indicators:
            preview.change = "error"
            preview.name = str(cells[1] or "")[:200]
            preview.errors.append(
                _("Unknown indicator (ID %(id)s): it is not one of this subproject's.", id=raw_id)
            )
            continue
        preview.indicator_id = indicator_id
        preview.name = indicators[indicator_id]["name"]
        preview.unit = indicators[indicator_id]["unit"]
        if indicator_id in seen:
            preview.errors.append(
                _("Duplicate row: this indicator is also in row %(row)s.", row=seen[indicator_id])
            )
        else:
            seen[indicator_id] = number
        old = existing.get(indicator_id)
        preview.old = old["value"] if old else None
        note = "" if raw_note is None else str(raw_note).strip()
        note = restore(note)
        if len(note) > MAX_NOTE:
            preview.errors.append(_("The note is longer than 2000 characters."))
        preview.note = note
        if raw_value is None or str(raw_value).strip() == "":
            preview.change = "error" if preview.errors else "empty"
            continue
        try:
            preview.new = _number(raw_value)
        except OutOfRange:
            preview.errors.append(
                _(
                    "The value lies beyond what an indicator can mean: enter a number between "
                    "-%(limit)s and %(limit)s.",
                    limit=number_format(MAX_MAGNITUDE),
                )
            )
        except InvalidNumber:
            preview.errors.append(
                _("The value %(value)s is not a number.", value=repr(str(raw_value)[:40]))
            )
        else:
            problem = values.value_problem(preview.new, preview.unit)
            if problem == values.PERCENT_RANGE:
                preview.errors.append(_("A percentage lies between 0 and 100."))
            if indicators[indicator_id].get("counted") and (
                old is None or old["value"] != preview.new
            ):
                preview.errors.append(
                    _(
                        "This indicator is counted from events; its value cannot be typed. "
                        "To correct a count, adjust it with a reason on the indicator's page."
                    )
                )
        if preview.errors:
            preview.change = "error"
        elif old is None:
            preview.change = "new"
        elif old["value"] == preview.new and (old["note"] or "") == note:
            preview.change = "unchanged"
        else:
            preview.change = "changed"
    return Preview(result)
