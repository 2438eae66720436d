"""Numbers as Dutch and English users type them: 1.234,5 or 1234.5 or 12,5."""

from __future__ import annotations

import math
import re

_DUTCH = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")
_PLAIN = re.compile(r"^[+-]?\d+([.,]\d+)?$")
_ENGLISH = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


# No indicator counts, measures or spends more than a million million (10^12) of anything; a
# bound keeps every calculation and format of a value finite (a 308-digit value broke pages).
MAX_MAGNITUDE = 1e12


class InvalidNumber(ValueError):
    pass


class OutOfRange(InvalidNumber):
    """A number, but beyond :data:`MAX_MAGNITUDE`."""


def parse_number(text: str) -> float:
    """A number of at most :data:`MAX_MAGNITUDE` either way; a comma is the decimal separator
    unless the text is clearly English.

    ``1.234,5`` (Dutch thousands), ``1234,5``, ``1234.5`` and ``1,234.5`` are all 1234.5.
    ``1.234`` is read as Dutch thousands (1234), as a Dutch user means it.
    """
    cleaned = (text or "").strip().replace(" ", "").replace("\u00a0", "")
    if _DUTCH.match(cleaned):
        value = float(cleaned.replace(".", "").replace(",", "."))
    elif _ENGLISH.match(cleaned) and "." in cleaned:
        value = float(cleaned.replace(",", ""))
    elif _PLAIN.match(cleaned):
        value = float(cleaned.replace(",", "."))
    else:
        raise InvalidNumber(f"not a number: {text!r}")
    return bounded(value)


def bounded(value: float) -> float:
    """``value`` itself, or :class:`OutOfRange` when it lies beyond :data:`MAX_MAGNITUDE`."""
    if not math.isfinite(value) or abs(value) > MAX_MAGNITUDE:
        raise OutOfRange(f"beyond {MAX_MAGNITUDE:g}: {value:g}")
    return value
