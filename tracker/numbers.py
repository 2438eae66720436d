"""Numbers as Dutch and English users type them: 1.234,5 or 1234.5 or 12,5."""

from __future__ import annotations

import math
import re

_DUTCH = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")
_PLAIN = re.compile(r"^[+-]?\d+([.,]\d+)?$")
_ENGLISH = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


class InvalidNumber(ValueError):
    pass


def parse_number(text: str) -> float:
    """A finite number; a comma is the decimal separator unless the text is clearly English.

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
    if not math.isfinite(value):
        raise InvalidNumber(f"not a finite number: {text!r}")
    return value
