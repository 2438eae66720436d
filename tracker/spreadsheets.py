"""Text in a spreadsheet cell that no spreadsheet runs as a formula: one rule for every export
and template (in the spirit of Indico's ``util/spreadsheets``)."""

from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Text starting like a formula gets a leading ``'``; anything else is returned as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def restore(text: str) -> str:
    """The text as typed, from a cell :func:`neutralise` wrote (a file that went round trip)."""
    if text.startswith("'") and text[1:].startswith(FORMULA_START):
        return text[1:]
    return text
