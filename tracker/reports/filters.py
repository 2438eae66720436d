"""The dashboard's filters from the URL query: programme, municipality, subproject and quarter.

Filters live in the URL so that a link to a filtered view can go into a meeting invitation.
Plain Python: the caller passes what the database holds (programme ids, the programme's
subprojects) and gets the chosen scope, or a message per bad field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from tracker.i18n import gettext as _
from tracker.quarters import SUPPORTED_YEARS, InvalidQuarter, Quarter
from tracker.quarters.display import quarter_text

FIELDS = ("programme", "municipality", "subproject", "quarter")


@dataclass
class Filters:
    programme_id: int | None = None
    municipality_id: int | None = None
    subproject_id: int | None = None
    quarter: Quarter | None = None
    errors: dict[str, str] = field(default_factory=dict)

    def query(self) -> dict[str, str]:
        """The filters as URL query arguments (only those that are set)."""
        args = {
            "programme": self.programme_id,
            "municipality": self.municipality_id,
            "subproject": self.subproject_id,
            "quarter": self.quarter,
        }
        return {k: str(v) for k, v in args.items() if v is not None}


def _whole_number(text: str) -> int | None:
    text = text.strip()
    if not text.isdigit() or len(text) > 12:
        return None
    return int(text)


def parse_programme(
    args: Mapping[str, str], programme_ids: list[int], default: int | None = None
) -> Filters:
    """The programme; when none is given ``default`` if it is one of them, else the first by
    id."""
    filters = Filters()
    raw = (args.get("programme") or "").strip()
    if raw:
        number = _whole_number(raw)
        if number is None or number not in programme_ids:
            filters.errors["programme"] = _(
                "This programme does not exist. Choose one from the list."
            )
        else:
            filters.programme_id = number
    elif programme_ids:
        filters.programme_id = default if default in programme_ids else min(programme_ids)
    return filters


def parse_quarter(args: Mapping[str, str], filters: Filters, today: date) -> None:
    raw = (args.get("quarter") or "").strip()
    current = Quarter.of(today)
    if not raw:
        filters.quarter = current
        return
    try:
        quarter = Quarter.parse(raw)
    except InvalidQuarter:
        filters.errors["quarter"] = _(
            "Write the quarter as year, dash, Q and its number, e.g. 2026-Q3."
        )
        return
    if quarter.year not in SUPPORTED_YEARS:
        filters.errors["quarter"] = _(
            "%(quarter)s is outside the years this tracker covers (%(first)s to %(last)s).",
            quarter=quarter,
            first=SUPPORTED_YEARS[0],
            last=SUPPORTED_YEARS[-1],
        )
        return
    if quarter > current:
        filters.errors["quarter"] = _(
            "Quarter %(quarter)s has not begun yet. Choose %(current)s or earlier.",
            quarter=quarter_text(quarter),
            current=quarter_text(current),
        )
        return
    filters.quarter = quarter


def parse_scope(
    args: Mapping[str, str],
    filters: Filters,
    subprojects: list[tuple[int, int]],
) -> None:
    """Municipality and subproject, checked against the programme's ``(subproject id,
    municipality id)`` pairs."""
    municipality_ids = set(dict(subprojects).values())
    municipality_of = dict(subprojects)
    raw = (args.get("municipality") or "").strip()
    if raw:
        number = _whole_number(raw)
        if number is None or number not in municipality_ids:
            filters.errors["municipality"] = _(
                "This programme has no subproject in that municipality. Choose one from the list."
            )
        else:
            filters.municipality_id = number
    raw = (args.get("subproject") or "").strip()
    if raw:
        number = _whole_number(raw)
        if number is None or number not in municipality_of:
            filters.errors["subproject"] = _(
                "This subproject is not part of the programme. Choose one from the list."
            )
        elif (
            filters.municipality_id is not None
            and municipality_of[number] != filters.municipality_id
        ):
            filters.errors["subproject"] = _(
                "This subproject lies in another municipality than the one chosen."
            )
        else:
            filters.subproject_id = number


def scope_ids(filters: Filters, subprojects: list[tuple[int, int]]) -> list[int] | None:
    """The subproject ids the filters select; ``None`` for the whole programme."""
    if filters.subproject_id is not None:
        return [filters.subproject_id]
    if filters.municipality_id is not None:
        return sorted(s for s, m in subprojects if m == filters.municipality_id)
    return None


def as_of(quarter: Quarter, today: date) -> date:
    """The day the dashboard judges by: today in the current quarter, else the quarter's end."""
    return today if quarter.contains(today) else quarter.end
