"""Rules for a measured value and its period, apart from Flask so they can be tested alone."""

from __future__ import annotations

from tracker.quarters import SUPPORTED_YEARS, InvalidQuarter, Quarter

PERCENT_UNITS = {"%", "procent", "percent", "percentage"}

NOT_A_QUARTER = "not_a_quarter"
FUTURE_QUARTER = "future_quarter"
PERCENT_RANGE = "percent_range"


def is_percentage(unit: str) -> bool:
    return (unit or "").strip().lower() in PERCENT_UNITS


def value_problem(value: float, unit: str) -> str | None:
    """A code for what is wrong with ``value`` in ``unit``, or None when it fits."""
    if is_percentage(unit) and not 0 <= value <= 100:
        return PERCENT_RANGE
    return None


def period_problem(text: str, current: Quarter) -> tuple[Quarter | None, str | None]:
    """The quarter ``text`` names, or a code: not a quarter, or one that has not begun."""
    try:
        quarter = Quarter.parse(text)
    except InvalidQuarter:
        return None, NOT_A_QUARTER
    if quarter.year not in SUPPORTED_YEARS:
        return None, NOT_A_QUARTER
    if quarter > current:
        return quarter, FUTURE_QUARTER
    return quarter, None
