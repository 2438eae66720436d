"""The plan-of-action workbook: its template out, its cells in.

The workbook is Dutch whatever the interface language (its headers and list values are its
format, like the quarter template's sheet name), so a file filled in by one user reads the same
for another. Every column of every sheet is described once, in ``SHEETS``: the template, the
explanation sheet and the parser all read it, so a column (a sector for organisations, say) is
added in one place. Parsing checks each cell on its own (text length, date, number, a value from
its list); whether a subproject code or an organisation name exists is the plan's concern
(``plan_import``). The file itself is checked first by the quarter upload's container check.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import force_locale
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from tracker.i18n import gettext as _
from tracker.indicators.excel import MAX_ROWS, UploadRefused
from tracker.labels import (
    ACTION_STATE_LABELS,
    DIRECTION_LABELS,
    FREQUENCY_LABELS,
    ORGANISATION_KIND_LABELS,
    ROLLUP_LABELS,
    month_name,
)
from tracker.numbers import InvalidNumber, OutOfRange, bounded, parse_number
from tracker.spreadsheets import neutralise, restore

EXAMPLE_MARK = "VOORBEELD"
LISTS_SHEET = "Lijsten"
HELP_SHEET = "Toelichting"
DATE_FORMATS = ("%d-%m-%Y", "%Y-%m-%d")


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: str = "text"  # text, long_text, date, number, percent, choice, list
    required: bool = False
    max_length: int = 200
    choices: str | None = None  # a list of LISTS_SHEET
    width: int = 22


_SUBPROJECT = Column("subproject", "Deelproject", required=True, max_length=20, width=14)

# Sheet name -> its columns, in the order of the template. The keys are what the plan reads.
SHEETS: dict[str, tuple[Column, ...]] = {
    "Deelprojecten": (
        Column("code", "Code", required=True, max_length=20, width=12),
        Column("name", "Naam", required=True),
        Column("aim", "Doel", kind="long_text", max_length=5000, width=40),
        Column("municipality", "Gemeente", kind="choice", required=True, choices="gemeenten"),
        Column("leads", "Trekkers", kind="list", max_length=2000, width=36),
    ),
    "Acties": (
        _SUBPROJECT,
        Column("title", "Titel", required=True, width=36),
        Column("description", "Omschrijving", kind="long_text", max_length=5000, width=40),
        Column("owner", "Uitvoerder", width=28),
        Column("start_date", "Start", kind="date", required=True, width=12),
        Column("due_date", "Gereed", kind="date", required=True, width=12),
        Column("state", "Stand", kind="choice", choices="standen", width=14),
        Column("progress", "Voortgang (%)", kind="percent", width=14),
    ),
    "Mijlpalen": (
        _SUBPROJECT,
        Column("title", "Titel", required=True, width=36),
        Column("description", "Omschrijving", kind="long_text", max_length=5000, width=40),
        Column("planned_date", "Gepland op", kind="date", required=True, width=12),
        Column("action", "Actie", width=30),
    ),
    "Indicatoren": (
        Column("subproject", "Deelproject", max_length=20, width=14),
        Column("name", "Naam", required=True, width=32),
        Column("unit", "Eenheid", required=True, max_length=40, width=12),
        Column("definition", "Definitie", kind="long_text", max_length=5000, width=36),
        Column("source", "Bron", width=20),
        Column("direction", "Richting", kind="choice", choices="richtingen", width=18),
        Column("baseline_value", "Nulwaarde", kind="number", required=True, width=12),
        Column("baseline_date", "Datum nulmeting", kind="date", required=True, width=14),
        Column("target_value", "Streefwaarde", kind="number", required=True, width=12),
        Column("target_date", "Streefdatum", kind="date", required=True, width=12),
        Column("frequency", "Frequentie", kind="choice", choices="frequenties", width=14),
        Column("publication_month", "Publicatiemaand", kind="choice", choices="maanden", width=14),
        Column("rollup", "Optelling over tijd", kind="choice", choices="optellingen", width=18),
        Column("aggregation", "Berekening", kind="choice", choices="optellingen", width=16),
        Column("sources", "Berekend uit", kind="list", max_length=5000, width=40),
    ),
    "Organisaties": (
        Column("name", "Naam", required=True, width=36),
        Column("kind", "Soort", kind="choice", required=True, choices="soorten", width=22),
        Column("municipality", "Gemeente", kind="choice", choices="gemeenten"),
    ),
}

# What an empty choice means, where it means something.
DEFAULTS = {
    ("Acties", "state"): "planned",
    ("Acties", "progress"): 0,
    ("Indicatoren", "direction"): "up",
    ("Indicatoren", "frequency"): "quarterly",
    ("Indicatoren", "rollup"): "last",
}

EXAMPLES: dict[str, list] = {
    "Deelprojecten": [
        EXAMPLE_MARK,
        "Techniek in de klas",
        "Meer leerlingen kiezen een technische opleiding",
        None,
        "trekker@voorbeeld.nl",
    ],
    "Acties": [
        EXAMPLE_MARK,
        "Gastlessen organiseren",
        "Bedrijven geven gastlessen in het vmbo",
        "Techniekcollege",
        date(2026, 1, 1),
        date(2026, 12, 31),
        "Gepland",
        0,
    ],
    "Mijlpalen": [
        EXAMPLE_MARK,
        "Convenant getekend",
        "",
        date(2026, 6, 30),
        "Gastlessen organiseren",
    ],
    "Indicatoren": [
        EXAMPLE_MARK,
        "Leerlingen bereikt",
        "leerlingen",
        "Leerlingen die aan een activiteit meededen",
        "Registratie scholen",
        "Hoger is beter",
        0,
        date(2026, 1, 1),
        500,
        date(2027, 12, 31),
        "Elk kwartaal",
        None,
        "Laatste waarde",
        None,
        None,
    ],
    "Organisaties": [f"{EXAMPLE_MARK} Techniekcollege", "School (mbo)", None],
}

HELP = (
    "Zo vul je deze werkmap in",
    "",
    "Elk blad heeft een kopregel en één voorbeeldregel. Een regel die begint met VOORBEELD wordt "
    "overgeslagen: overschrijf hem of laat hem staan.",
    "Verander de kopregels en de namen van de bladen niet. Lege regels worden overgeslagen.",
    "Velden met een keuzelijst nemen alleen een waarde uit de lijst.",
    "Datums als 30-09-2026, getallen als 1234,5.",
    "",
    "Deelprojecten: de code is uniek binnen het programma. Trekkers zijn e-mailadressen van "
    "gebruikers met de rol deelprojectleider, gescheiden door een puntkomma; laat het veld leeg "
    "om de trekkers te houden zoals ze zijn.",
    "Acties en Mijlpalen: de kolom Deelproject neemt de code van een deelproject (uit dit blad "
    "of al in de tracker). De uitvoerder is een organisatie (uit het blad Organisaties of al in "
    "de tracker); de actie van een mijlpaal is de titel van een actie van hetzelfde deelproject.",
    "Indicatoren: een indicator met Frequentie 'Eén keer per jaar' neemt de Publicatiemaand van "
    "zijn bron (bijvoorbeeld april voor cijfers van DUO); bij de andere blijft die leeg. "
    "Laat Deelproject leeg voor een indicator van het programma zelf. Een "
    "programma-indicator met een Berekening (Totaal, Gemiddelde of Laatste waarde) wordt per "
    "kwartaal berekend uit de deelprojectindicatoren in Berekend uit, als 'DP1: Leerlingen "
    "bereikt; DP2: Leerlingen bereikt'. Zonder Berekening vul je de waarden zelf in.",
    "Organisaties: de naam is uniek in de tracker.",
    "",
    "Wat de tracker herkent: een deelproject aan zijn code, een actie, mijlpaal of indicator aan "
    "zijn titel of naam binnen het deelproject, een organisatie aan haar naam. Bestaat die al, "
    "dan worden de velden bijgewerkt; anders wordt hij aangemaakt. Niets wordt verwijderd. "
    "Dezelfde werkmap nog eens inlezen verandert niets.",
    "Na het uploaden zie je eerst wat er verandert en elke fout per blad, regel en cel. Met "
    "één fout wordt niets verwerkt.",
)


@dataclass
class CellError:
    cell: str
    column: str
    message: str


@dataclass
class Row:
    sheet: str
    row: int
    values: dict
    errors: list[CellError] = field(default_factory=list)


# --- Vocabularies --------------------------------------------------------------------------


def vocabularies(municipality_names: list[str]) -> dict[str, dict[str, str]]:
    """Every list of the workbook: stored code -> its Dutch label."""
    with force_locale("nl"):
        return {
            "gemeenten": {name: name for name in municipality_names},
            "soorten": {k: str(v) for k, v in ORGANISATION_KIND_LABELS.items()},
            "standen": {k: str(v) for k, v in ACTION_STATE_LABELS.items()},
            "richtingen": {k: str(v) for k, v in DIRECTION_LABELS.items()},
            "frequenties": {k: str(v) for k, v in FREQUENCY_LABELS.items()},
            "maanden": {str(month): month_name(month) for month in range(1, 13)},
            "optellingen": {k: str(v) for k, v in ROLLUP_LABELS.items()},
        }


# --- The template --------------------------------------------------------------------------


def build_template(municipality_names: list[str]) -> bytes:
    lists = vocabularies(municipality_names)
    workbook = Workbook()
    workbook.remove(workbook.active)
    list_sheet = list_sheet_of(workbook, lists)
    for name, columns in SHEETS.items():
        sheet = workbook.create_sheet(name, index=len(workbook.sheetnames) - 1)
        sheet.append([c.header for c in columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        example = list(EXAMPLES[name])
        if name == "Deelprojecten" and municipality_names:
            example[3] = municipality_names[0]
        sheet.append([neutralise(v) for v in example])
        for cell in sheet[2]:
            cell.font = Font(italic=True, color="666666")
            if isinstance(cell.value, date):
                cell.number_format = "DD-MM-YYYY"
        for index, column in enumerate(columns, 1):
            letter = get_column_letter(index)
            sheet.column_dimensions[letter].width = column.width
            if column.choices:
                add_list_validation(sheet, letter, list_sheet, lists, column.choices)
        sheet.freeze_panes = "A2"
    help_sheet = workbook.create_sheet(HELP_SHEET, index=len(SHEETS))
    for line in HELP:
        help_sheet.append([line])
    help_sheet["A1"].font = Font(bold=True, size=14)
    help_sheet.column_dimensions["A"].width = 120
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def list_sheet_of(workbook: Workbook, lists: dict[str, dict[str, str]]):
    sheet = workbook.create_sheet(LISTS_SHEET)
    for index, (name, values) in enumerate(lists.items(), 1):
        sheet.cell(row=1, column=index, value=name)
        for row, label in enumerate(values.values(), 2):
            sheet.cell(row=row, column=index, value=neutralise(label))
    sheet.sheet_state = "hidden"
    return sheet


def add_list_validation(sheet, letter, list_sheet, lists, name: str) -> None:
    position = list(lists).index(name) + 1
    size = max(len(lists[name]), 1)
    column = get_column_letter(position)
    validation = DataValidation(
        type="list",
        formula1=f"{quote_sheetname(list_sheet.title)}!${column}$2:${column}${size + 1}",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Ongeldige waarde",
        error="Kies een waarde uit de lijst.",
    )
    sheet.add_data_validation(validation)
    validation.add(f"{letter}3:{letter}1001")
    validation.add(f"{letter}2")


# --- Reading -------------------------------------------------------------------------------


def read(data: bytes, municipality_names: list[str]) -> dict[str, list[Row]]:
    """Every filled-in row of every sheet, each cell checked; refuses a file that is not the
    template (a sheet or a header missing or moved)."""
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise UploadRefused(_("The Excel file could not be read.")) from error
    lists = {
        name: {_key(label): code for code, label in values.items()}
        | {_key(code): code for code in values}
        for name, values in vocabularies(municipality_names).items()
    }
    try:
        return {
            name: _read_sheet(workbook, name, columns, lists) for name, columns in SHEETS.items()
        }
    finally:
        workbook.close()


def _key(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def _read_sheet(workbook, name: str, columns: tuple[Column, ...], lists) -> list[Row]:
    if name not in workbook.sheetnames:
        raise UploadRefused(
            _("The sheet %(sheet)s is missing: use the downloaded template.", sheet=name)
        )
    rows = []
    total = 0
    for number, cells in enumerate(
        workbook[name].iter_rows(values_only=True, max_col=len(columns)), 1
    ):
        cells = tuple(cells or ()) + (None,) * (len(columns) - len(cells or ()))
        if number == 1:
            _check_header(name, columns, cells)
            continue
        if all(c is None or str(c).strip() == "" for c in cells):
            continue
        if isinstance(cells[0], str) and cells[0].strip().startswith(EXAMPLE_MARK):
            continue
        total += 1
        if total > MAX_ROWS:
            raise UploadRefused(
                _("The file has more than %(max)s rows.", max=f"{MAX_ROWS:,}".replace(",", "."))
            )
        rows.append(_read_row(name, number, columns, cells, lists))
    return rows


def _check_header(name: str, columns, cells) -> None:
    for index, column in enumerate(columns):
        found = "" if cells[index] is None else str(cells[index]).strip()
        if found != column.header:
            raise UploadRefused(
                _(
                    "Sheet %(sheet)s, cell %(cell)s should read %(header)s: use the downloaded "
                    "template and do not change its headers.",
                    sheet=name,
                    cell=f"{get_column_letter(index + 1)}1",
                    header=column.header,
                )
            )


def _read_row(name: str, number: int, columns, cells, lists) -> Row:
    row = Row(name, number, {})
    for index, column in enumerate(columns):
        raw = cells[index]
        try:
            value = _cell_value(column, raw, lists)
        except ValueError as problem:
            row.errors.append(
                CellError(f"{get_column_letter(index + 1)}{number}", column.header, str(problem))
            )
            continue
        if value is None:
            value = DEFAULTS.get((name, column.key))
        if value is None and column.required:
            row.errors.append(
                CellError(
                    f"{get_column_letter(index + 1)}{number}",
                    column.header,
                    _("Fill this in."),
                )
            )
        row.values[column.key] = value
    return row


def _cell_value(column: Column, raw, lists):
    """The cell as the plan wants it, or None when empty; ValueError with the message."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if column.kind == "date":
        return _date(raw)
    if column.kind in ("number", "percent"):
        number = _number(raw)
        if column.kind == "percent":
            if not 0 <= number <= 100 or not float(number).is_integer():
                raise ValueError(_("Enter a whole percentage between 0 and 100."))
            return int(number)
        return number
    text = restore(" ".join(str(raw).split()) if column.kind != "long_text" else str(raw).strip())
    if len(text) > column.max_length:
        raise ValueError(_("At most %(max)s characters.", max=column.max_length))
    if column.kind == "choice":
        code = lists[column.choices].get(_key(text))
        if code is None:
            raise ValueError(_("%(value)s is not a value of the list.", value=repr(text[:60])))
        return code
    if column.kind == "list":
        return [part.strip() for part in text.split(";") if part.strip()] or None
    return text


def _date(raw) -> str:
    if isinstance(raw, datetime):
        raw = raw.date()
    if isinstance(raw, date):
        if not 1900 <= raw.year <= 2999:
            raise ValueError(_("Enter a date such as 30-09-2026."))
        return raw.isoformat()
    text = str(raw).strip()
    for pattern in DATE_FORMATS:
        try:
            found = datetime.strptime(text, pattern).date()
        except ValueError:
            continue
        if 1900 <= found.year <= 2999:
            return found.isoformat()
    raise ValueError(_("Enter a date such as 30-09-2026."))


def _number(raw) -> float:
    if isinstance(raw, bool | date | datetime):
        raise ValueError(_("Enter a number such as 1.234,5."))
    try:
        if isinstance(raw, int | float):
            return bounded(float(raw))
        return parse_number(str(raw))
    except OutOfRange as error:
        raise ValueError(_("This number is too large.")) from error
    except InvalidNumber as error:
        raise ValueError(_("Enter a number such as 1.234,5.")) from error
