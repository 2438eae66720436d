"""The registration list as a file: the xlsx template out, an uploaded xlsx or CSV file in.

An xlsx upload passes the quarter upload's checks first (size, that it is a real xlsx, the zip's
declared sizes: :func:`tracker.indicators.excel.check_container`); a CSV file the same size
limit. CSV is read as Dutch Excel writes it: separated by semicolons (commas are accepted too),
UTF-8 with or without its byte-order mark, or Windows-1252 from an older Excel. What the cells
mean is :mod:`tracker.events.registration_list`'s concern.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date

from flask_babel import force_locale
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from tracker.events.registration_list import EXAMPLE_MARK, HEADERS
from tracker.i18n import gettext as _
from tracker.indicators.excel import MAX_ROWS, UploadRefused, check_container, check_size
from tracker.labels import ORGANISATION_SECTOR_LABELS
from tracker.setup.workbook import add_list_validation, list_sheet_of, vocabularies
from tracker.spreadsheets import neutralise

SHEET = "Aanmeldingen"
HELP_SHEET = "Toelichting"
WIDTHS = (36, 18, 22, 26, 26, 22, 30, 12, 22)
CHOICES = {"Gemeente": "gemeenten", "Soort": "soorten", "Sector": "sectoren"}
YES_NO_COLUMNS = ("Aanwezig", "Belangstelling vervolg")


def dutch_vocabularies(municipality_names: list[str]) -> dict[str, dict[str, str]]:
    """The lists a cell may take a value from: stored code -> its Dutch label (the plan
    workbook's, and the sectors)."""
    lists = vocabularies(municipality_names)
    with force_locale("nl"):
        sectors = {k: str(v) for k, v in ORGANISATION_SECTOR_LABELS.items()}
    return {
        "gemeenten": lists["gemeenten"],
        "soorten": lists["soorten"],
        "sectoren": sectors,
        "ja/nee": {"ja": "ja", "nee": "nee"},
    }


def build_template(event_title: str, held_on: date, municipality_names: list[str]) -> bytes:
    lists = dutch_vocabularies(municipality_names)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    sheet.append(list(HEADERS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append(
        [
            f"{EXAMPLE_MARK} Techniekbedrijf",
            municipality_names[0] if municipality_names else None,
            lists["soorten"]["company"],
            lists["sectoren"]["industry"],
            "Anna de Vries",
            "HR-adviseur",
            "anna@voorbeeld.nl",
            "ja",
            "nee",
        ]
    )
    for cell in sheet[2]:
        cell.font = Font(italic=True, color="666666")
    list_sheet = list_sheet_of(workbook, lists)
    for index, header in enumerate(HEADERS, 1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = WIDTHS[index - 1]
        name = CHOICES.get(header) or ("ja/nee" if header in YES_NO_COLUMNS else None)
        if name:
            add_list_validation(sheet, letter, list_sheet, lists, name)
    sheet.freeze_panes = "A2"
    help_sheet = workbook.create_sheet(HELP_SHEET, index=1)
    help_sheet.append([f"Aanmeldingen voor {neutralise(event_title)} op {held_on:%d-%m-%Y}"])
    for line in HELP:
        help_sheet.append([line])
    help_sheet["A1"].font = Font(bold=True, size=14)
    help_sheet.column_dimensions["A"].width = 120
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


HELP = (
    "",
    "Eén regel per persoon die komt, of per organisatie als je geen namen hebt. Een regel die "
    "begint met VOORBEELD wordt overgeslagen. Verander de kopregel niet.",
    "Organisatie (verplicht) en Gemeente: zo herkent de tracker de organisatie in het register, "
    "ongeacht hoofdletters en spaties. Laat Gemeente leeg voor een organisatie zonder gemeente, "
    "of als er maar één organisatie met die naam is.",
    "Soort en Sector: alleen nodig voor een organisatie die nog niet in het register staat; "
    "die wordt er dan aan toegevoegd. Kies een waarde uit de lijst.",
    "Contactpersoon, Functie en E-mail: de persoon die komt. Alleen de programmaregisseur leest "
    "personen in (persoonsgegevens, AVG); het doel van de verwerking wordt 'Aanmelding voor' "
    "de bijeenkomst met haar datum.",
    "Aanwezig en Belangstelling vervolg: ja of nee. Leeg laat staan wat al is bijgehouden.",
    "Meer regels van dezelfde organisatie zijn één aanmelding. Dezelfde lijst nog eens inlezen "
    "verandert niets; niets wordt verwijderd.",
    "Na het uploaden zie je eerst per regel wat er gebeurt en elke fout per regel en kolom. "
    "Met één fout wordt niets verwerkt.",
    "Een CSV-bestand mag ook (gescheiden door puntkomma's, zoals Excel het opslaat), met "
    "dezelfde kolommen.",
)


def read_table(data: bytes, filename: str) -> list[tuple]:
    """The rows of cells of an uploaded xlsx or CSV file, the header first."""
    name = filename.lower()
    if name.endswith(".csv"):
        return _csv_rows(data)
    if name.endswith(".xlsx"):
        check_container(data, filename)
        return _xlsx_rows(data)
    raise UploadRefused(
        _("This is not an Excel (.xlsx) or CSV (.csv) file. Use the downloaded template.")
    )


def _xlsx_rows(data: bytes) -> list[tuple]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise UploadRefused(_("The Excel file could not be read.")) from error
    try:
        sheet = workbook[SHEET] if SHEET in workbook.sheetnames else workbook.worksheets[0]
        return _bounded(sheet.iter_rows(values_only=True, max_col=20))
    finally:
        workbook.close()


def _csv_rows(data: bytes) -> list[tuple]:
    check_size(data)
    if b"\x00" in data:
        raise UploadRefused(_("This is not a CSV file (.csv). Use the downloaded template."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    try:
        return _bounded(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise UploadRefused(_("The CSV file could not be read.")) from error


def _bounded(rows) -> list[tuple]:
    """At most the header and MAX_ROWS rows (empty rows count: a file of a million empty rows
    is refused as well)."""
    table = []
    for cells in rows:
        if len(table) > MAX_ROWS:
            raise UploadRefused(
                _("The file has more than %(max)s rows.", max=f"{MAX_ROWS:,}".replace(",", "."))
            )
        table.append(tuple(cells))
    return table
