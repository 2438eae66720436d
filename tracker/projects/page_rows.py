"""What the programme, subproject and quarter pages take from the reporting frames, in the
shape their templates read.

A page shows a handful of rows: converting them costs more in pandas' per-cell boxing
(``to_dict("records")``) than building them; and the outdated indicators the subproject page
lists are already judged in the indicator rows it shows.
"""

from __future__ import annotations

import math
from datetime import date

import pandas as pd

from tracker.indicators.queries import StaleIndicator
from tracker.projects.models import Subproject


def page_rows(table: pd.DataFrame) -> list[dict]:
    """``table.to_dict("records")``: the same keys and values (NaN kept as NaN, numpy scalars
    as Python ones), read column by column."""
    columns = list(table.columns)
    return [
        dict(zip(columns, values, strict=True))
        for values in zip(*(table[column].tolist() for column in columns), strict=True)
    ]


def stale_of(indicators: list[dict], subproject: Subproject, today: date) -> list[StaleIndicator]:
    """What ``indicator_queries.stale_indicators([subproject.id], today)`` finds, from the
    subproject's indicator rows of today's quarter (``indicator_queries.indicators``), whose
    ``stale_since`` is the same verdict of the same newest period on the same day: without its
    query and without judging every indicator twice."""
    if subproject.archived_at is not None:
        return []
    found = []
    for row in indicators:
        since = row["stale_since"]
        if not isinstance(since, date):
            continue
        month = row["publication_month"]
        latest = row["latest_period"]
        found.append(
            StaleIndicator(
                id=row["id"],
                name=row["name"],
                unit=row["unit"],
                subproject_id=subproject.id,
                subproject_code=subproject.code,
                subproject_name=subproject.name,
                frequency=row["frequency"],
                publication_month=None if _missing(month) else int(month),
                latest_period=latest if isinstance(latest, str) else None,
                baseline_date=row["baseline_date"],
                stale_since=since,
                days_overdue=(today - since).days,
            )
        )
    found.sort(key=lambda i: (-i.days_overdue, i.subproject_code, i.name))
    return found


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))
