"""Rows from SQL into DataFrames and back into plain dicts: the reporting layer's two ends."""

from __future__ import annotations

import pandas as pd


def frame(rows, columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame([tuple(row) for row in rows], columns=columns)


def records(table: pd.DataFrame) -> list[dict]:
    """Rows as dicts with ``None`` where pandas holds NaN, like ``to_dict("records")`` but
    without its per-column cost (the dashboard turns thousands of rows per request)."""
    columns = list(table.columns)
    rows = zip(*(table[column].tolist() for column in columns), strict=True)
    return [
        {key: None if _is_nan(value) else value for key, value in zip(columns, row, strict=True)}
        for row in rows
    ]


def _is_nan(value) -> bool:
    return isinstance(value, float) and value != value
