"""Language choice (Dutch by default, English on request); Dutch dates and numbers."""

from __future__ import annotations

import functools
import math
from datetime import date, datetime

from babel.numbers import get_group_symbol
from flask import Flask, current_app, request, session
from flask_babel import format_date, format_datetime, format_decimal, get_locale

from tracker.extensions import babel


def select_locale() -> str:
    chosen = session.get("lang")
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def _missing(value) -> bool:
    """None, and pandas' stand-ins for it (NaN, NaT)."""
    if value is None:
        return True
    try:
        return bool(value != value) or (isinstance(value, float) and math.isnan(value))
    except (TypeError, ValueError):
        return False


def date_format(value: date | None) -> str:
    """30-09-2026 in Dutch; 30 Sep 2026 in English."""
    if _missing(value):
        return "–"
    pattern = "dd-MM-yyyy" if str(get_locale()) == "nl" else "d MMM yyyy"
    return format_date(value, pattern)


def datetime_format(value: datetime | None) -> str:
    if _missing(value):
        return "–"
    pattern = "dd-MM-yyyy HH:mm" if str(get_locale()) == "nl" else "d MMM yyyy HH:mm"
    return format_datetime(value, pattern)


def number_format(value: float | int | None, digits: int = 1) -> str:
    """1.234,5 in Dutch; whole numbers without decimals."""
    if _missing(value):
        return "–"
    if float(value).is_integer():
        # whole numbers are most of a dashboard's numbers: group them without Babel's pattern
        # machinery, which costs ~50 µs a call
        return f"{int(value):,}".replace(",", _group_symbol(str(get_locale())))
    return format_decimal(round(value, digits), format="#,##0." + "#" * digits)


@functools.cache
def _group_symbol(locale: str) -> str:
    return get_group_symbol(locale)


def percent_format(fraction: float | None) -> str:
    if _missing(fraction):
        return "–"
    return format_decimal(round(fraction * 100), format="#,##0") + " %"


def init_app(app: Flask) -> None:
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(app.root_path + "/../translations"),
    )
    app.jinja_env.filters["date"] = date_format
    app.jinja_env.filters["datetime"] = datetime_format
    app.jinja_env.filters["number"] = number_format
    app.jinja_env.filters["percent"] = percent_format
    app.jinja_env.tests["missing"] = _missing

    @app.context_processor
    def inject_locale():
        return {"current_locale": str(get_locale()), "request_path": request.path}
