"""Rows from SQL into DataFrames and back into plain dicts: the reporting layer's two ends."""

from __future__ import annotations

import pandas as pd


def dicts(rows, keys) -> list[dict]:
    """Rows of a query as dicts under ``keys``, one key per column: for rows a page lists
    without any table work in between."""
    return [dict(zip(keys, row, strict=True)) for row in rows]


def frame(rows, columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame([tuple(row) for row in rows], columns=columns)


def records(table: pd.DataFrame) -> list[dict]:
    """Rows as dicts with ``None`` where pandas holds NaN, like ``to_dict("records")`` but
    without its per-column cost (the dashboard turns thousands of rows per request).

    The values are those of ``Series.tolist()``. The frame is converted in one call rather than
    a column at a time (pandas' overhead per column is most of the cost of a small frame), and
    NaN is looked for only in the columns ``isna`` flags: a float NaN becomes ``None``, while
    ``None``, ``NaT`` and ``pd.NA`` stay what they are.
    """
    array = table.to_numpy(dtype=object)
    columns = array.T.tolist()
    for position in pd.isna(array).any(axis=0).nonzero()[0]:
        columns[position] = [None if _is_nan(value) else value for value in columns[position]]
    names = list(table.columns)
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]


def _is_nan(value) -> bool:
    return isinstance(value, float) and value != value
