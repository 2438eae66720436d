"""How a quarter reads to people: "3e kwartaal 2026" in Dutch running text and headings, "K3 2026"
where space is short (table columns, chart axes), "Q3 2026" in English.

URLs, form values, file names and the database keep the machine form ``2026-Q3``; everything a
reader sees goes through :func:`quarter_label`, so no page, report or export shows it raw.
"""

from __future__ import annotations

import functools

from flask import has_app_context

from tracker.i18n import locale_name
from tracker.quarters.period import InvalidQuarter, Quarter


def quarter_label(value: Quarter | str | None, locale: str = "nl", short: bool = False) -> str:
    """``value`` as a reader of ``locale`` expects it; "–" for none, and text that names no
    quarter as it is (an archived report may hold anything)."""
    if value is None or value != value:  # None or NaN from a frame
        return "–"
    if isinstance(value, Quarter | str):
        return _label(value, str(locale), short)
    return _spelled(value, locale, short)


@functools.lru_cache(maxsize=4096)
def _label(value: Quarter | str, locale: str, short: bool) -> str:
    """:func:`_spelled`, remembered: a page or report shows the same few quarters hundreds of
    times (the key holds everything the text depends on)."""
    return _spelled(value, locale, short)


def _spelled(value, locale: str, short: bool) -> str:
    if not isinstance(value, Quarter):
        try:
            value = Quarter.parse(str(value))
        except InvalidQuarter:
            return str(value)
    if not str(locale).startswith("nl"):
        return f"Q{value.number} {value.year}"
    if short:
        return f"K{value.number} {value.year}"
    return f"{value.number}e kwartaal {value.year}"


def quarter_text(value: Quarter | str | None, short: bool = False) -> str:
    """:func:`quarter_label` in the language of the page or report being made (Dutch outside
    one): the templates' ``quarter`` filter, and what Python code that shows a quarter calls."""
    return quarter_label(value, _locale(), short)


def quarter_sort_text(value: Quarter | str | None) -> str:
    """The short form year first, "2026 K3" ("2026 Q3" in English): an export's quarter column,
    which a spreadsheet sorts and filters as text, then sorts by time."""
    label = quarter_text(value, short=True)
    prefix, _, year = label.rpartition(" ")
    if not (prefix[:1] in ("K", "Q") and year.isdigit()):
        return label  # "–", or text that names no quarter
    return f"{year} {prefix}"


def _locale() -> str:
    if not has_app_context():
        return "nl"
    try:
        return locale_name()
    except RuntimeError:  # an app context without a request or a forced locale (a job)
        return "nl"
