"""``<quarter:...>`` in a route: a quarter in a URL, parsed once for every page that takes one.

A view receives a :class:`~tracker.quarters.Quarter`, never text. A segment that is no quarter,
or a quarter outside :data:`~tracker.quarters.SUPPORTED_YEARS`, is a 404 page that says what
is wrong, before any view code runs (so ``1900-Q1`` cannot reach a calculation that fails).
"""

from __future__ import annotations

import re

from flask import Flask
from werkzeug.exceptions import NotFound
from werkzeug.routing import BaseConverter

from tracker.i18n import gettext as _
from tracker.quarters.period import SUPPORTED_YEARS, InvalidQuarter, Quarter

_SHAPE = re.compile(r"\d{4}-[Qq][1-4]")


class NoSuchQuarter(NotFound):
    """A 404 whose ``detail`` tells the user what the quarter should look like."""

    def __init__(self, detail: str):
        super().__init__()
        self.detail = detail


class QuarterConverter(BaseConverter):
    # No slash and no dot: ``/reports/1/2026-Q3.pdf`` leaves ``.pdf`` to the route.
    regex = r"[^/.]{1,40}"

    def to_python(self, value: str) -> Quarter:
        try:
            quarter = Quarter.parse(value)
        except InvalidQuarter:
            quarter = None
        if quarter is None and not _SHAPE.fullmatch(value):
            raise NoSuchQuarter(
                _("“%(text)s” is not a quarter; write it as 2026-Q3.", text=value[:20])
            )
        if quarter is None or quarter.year not in SUPPORTED_YEARS:
            raise NoSuchQuarter(
                _(
                    "%(quarter)s is outside the years this tracker covers (%(first)s to %(last)s).",
                    quarter=value.upper(),
                    first=SUPPORTED_YEARS[0],
                    last=SUPPORTED_YEARS[-1],
                )
            )
        return quarter

    def to_url(self, value: Quarter | str) -> str:
        return str(value)


def install_converter(app: Flask) -> None:
    """Call before any blueprint is registered: routes pick their converter when added."""
    app.url_map.converters["quarter"] = QuarterConverter
