"""The DataFrame helpers: ``records`` gives what ``Series.tolist()`` gives, NaN as ``None``."""

from datetime import date, datetime

import pandas as pd
import pytest

from tracker.tables import dicts, frame, records


def _column_wise(table: pd.DataFrame) -> list[dict]:
    """The plain definition ``records`` must agree with: per column ``tolist()``, NaN → None."""
    columns = [table[name].tolist() for name in table.columns]
    return [
        {
            name: None if isinstance(value, float) and value != value else value
            for name, value in zip(table.columns, row, strict=True)
        }
        for row in zip(*columns, strict=True)
    ]


def _same(left: list[dict], right: list[dict]) -> bool:
    return len(left) == len(right) and all(
        list(a) == list(b)
        and all(a[k] is b[k] or (type(a[k]) is type(b[k]) and a[k] == b[k]) for k in a)
        for a, b in zip(left, right, strict=True)
    )


def test_records_agree_with_the_column_wise_definition_on_mixed_columns():
    table = frame(
        [
            (1, "DP1", 1.5, date(2026, 1, 1), datetime(2026, 1, 2, 3), True, None, 7),
            (2, None, float("nan"), None, None, False, "x", None),
            (3, "DP3", 2.0, date(2026, 3, 1), datetime(2026, 3, 4, 5), True, 1.25, 9),
        ],
        ["id", "code", "value", "day", "moment", "flag", "mixed", "maybe_int"],
    )
    rows = records(table)
    assert _same(rows, _column_wise(table))
    assert rows[1]["code"] is None and rows[1]["value"] is None and rows[1]["maybe_int"] is None
    assert rows[0]["day"] == date(2026, 1, 1) and rows[0]["id"] == 1 and type(rows[0]["id"]) is int


def test_records_of_empty_frames_and_selections():
    assert records(frame([], ["a", "b"])) == []
    table = frame([(i, None if i % 2 else float(i)) for i in range(10)], ["id", "value"])
    chosen = table.iloc[[7, 2, 5]]
    assert _same(records(chosen), _column_wise(chosen))
    assert [row["id"] for row in records(chosen)] == [7, 2, 5]


def test_records_keep_none_nat_and_na_as_they_are():
    table = pd.DataFrame({"when": [pd.Timestamp("2026-01-01"), pd.NaT], "any": [None, pd.NA]})
    rows = records(table)
    assert _same(rows, _column_wise(table))
    assert rows[1]["when"] is pd.NaT and rows[0]["any"] is None and rows[1]["any"] is pd.NA


def test_dicts_name_each_column_and_refuse_a_row_of_another_width():
    rows = [(1, "Almere", None), (2, "Urk", date(2026, 9, 30))]
    assert dicts(rows, ("id", "name", "due")) == [
        {"id": 1, "name": "Almere", "due": None},
        {"id": 2, "name": "Urk", "due": date(2026, 9, 30)},
    ]
    assert dicts([], ("id",)) == []
    with pytest.raises(ValueError):
        dicts([(1, "Almere")], ("id", "name", "due"))
