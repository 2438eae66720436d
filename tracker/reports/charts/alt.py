"""The alternative text of a chart in the PDF: its title, the quarter and its numbers.

A screen reader gets what a sighted reader sees ("Mijlpalen per status, 3e kwartaal 2026: Op
tijd behaald 4, Over tijd 1, …"), not the title alone. The text is made from the same rows the
table alternative prints, and stays short for a big programme: the first ``LIMIT`` items and
how many more there are.
"""

from __future__ import annotations

from tracker.i18n import gettext as _
from tracker.i18n import ngettext, number_format, percent_format
from tracker.labels import any_status
from tracker.quarters.display import quarter_text

LIMIT = 8


def alt_text(title: str, kind: str, rows: list[dict], quarter) -> str:
    """``title`` and ``quarter``, then the chart's numbers by its ``kind``."""
    items = [_item(kind, row) for row in _latest_per_indicator(kind, rows)]
    items = [item for item in items if item]
    head = f"{title}, {quarter_text(quarter)}"
    if not items:
        return f"{head}: {_('no data')}"
    shown = ", ".join(items[:LIMIT])
    rest = len(items) - LIMIT
    if rest > 0:
        shown += ", " + ngettext("and %(num)d more", "and %(num)d more", rest)
    return f"{head}: {shown}"


def _item(kind: str, row: dict) -> str:
    if kind == "counts":
        return f"{any_status(row['status']).label} {number_format(row['count'])}"
    if kind == "rag":
        return _(
            "%(status)s: lead %(lead)s, computed %(computed)s",
            status=any_status(row["status"]).label,
            lead=number_format(row["lead"]),
            computed=number_format(row["computed"]),
        )
    if kind == "timeline":
        return f"{row.get('title', '')} {any_status(row.get('status')).label}".strip()
    if kind == "progress":
        return _(
            "%(name)s %(progress)s (expected %(expected)s)",
            name=row.get("name", ""),
            progress=percent_format(row.get("progress")),
            expected=percent_format(row.get("expected")),
        )
    if kind == "trend":
        return (
            f"{row.get('indicator', '')} {quarter_text(row.get('period'), short=True)}: "
            f"{number_format(row.get('actual'))}"
        )
    return ""


def _latest_per_indicator(kind: str, rows: list[dict]) -> list[dict]:
    """A trend's newest point per indicator (the chart's line ends there); other rows as given."""
    if kind != "trend":
        return rows
    latest: dict = {}
    for row in rows:
        latest[row.get("indicator_id")] = row
    return list(latest.values())
