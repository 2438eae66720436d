"""The subproject page's rows: the same as ``to_dict("records")``, and the same outdated
indicators as ``stale_indicators`` finds, from the rows the page has already judged."""

import math
from datetime import date, datetime
from itertools import cycle

import pandas as pd
import pytest
from sqlalchemy import select

from tracker.extensions import db
from tracker.indicators import queries as indicator_queries
from tracker.models import Indicator, Measurement, Subproject
from tracker.projects.page_rows import page_rows, stale_of
from tracker.quarters import Quarter

TODAY = date(2026, 11, 24)


def _same(left: list[dict], right: list[dict]) -> bool:
    """Equal, NaN equal to NaN, and of the same types."""
    if [list(row) for row in left] != [list(row) for row in right]:
        return False
    for a, b in zip(left, right, strict=True):
        for key in a:
            x, y = a[key], b[key]
            if type(x) is not type(y):
                return False
            if not (x == y or (isinstance(x, float) and math.isnan(x) and math.isnan(y))):
                return False
    return True


@pytest.mark.parametrize(
    "rows",
    [
        [],
        [(1, None, 2.5, "a", True, date(2026, 1, 1), None, "2026-Q3")],
        [
            (1, None, 2.5, "a", True, date(2026, 1, 1), None, None),
            (2, 3.0, None, None, False, None, 4, "2026-Q1"),
            (3, 1.5, float("nan"), "c", False, date(2027, 3, 31), 7, None),
        ],
    ],
)
def test_page_rows_are_what_to_dict_gives(rows):
    table = pd.DataFrame(rows, columns=["id", "f", "g", "s", "b", "d", "i", "p"])
    assert _same(page_rows(table), table.to_dict("records"))


def test_page_rows_of_the_reporting_frames(app, world):
    with app.app_context():
        programme_id = db.session.scalar(select(Subproject.programme_id).limit(1))
        for table in (
            indicator_queries.indicators(programme_id, Quarter.of(TODAY)),
            indicator_queries.indicators(programme_id, Quarter(2026, 1), [world["b"]]),
        ):
            assert _same(page_rows(table), table.to_dict("records"))


FREQUENCIES = [("quarterly", None), ("half_yearly", None), ("yearly", 4), ("yearly", 10)]
LATEST = [None, "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]


def _add_varied_indicators(programme_id: int, subproject_id: int) -> None:
    """Every frequency with every newest period, and baselines on either side of them."""
    periods = cycle(LATEST)
    baselines = cycle([date(2025, 7, 1), date(2026, 1, 1), date(2026, 6, 30)])
    for n in range(len(FREQUENCIES) * len(LATEST)):
        frequency, month = FREQUENCIES[n % len(FREQUENCIES)]
        indicator = Indicator(
            programme_id=programme_id,
            subproject_id=subproject_id,
            name=f"Indicator {n:02d}",
            unit="aantal",
            direction="up",
            baseline_value=10,
            baseline_date=next(baselines),
            target_value=20,
            target_date=date(2027, 12, 31),
            frequency=frequency,
            publication_month=month,
            rollup="last",
        )
        db.session.add(indicator)
        db.session.flush()
        latest = next(periods)
        for period in ("2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"):
            if latest is not None and period <= latest:
                db.session.add(
                    Measurement(
                        indicator_id=indicator.id,
                        period=period,
                        value=12,
                        entered_at=datetime(2026, 1, 1),
                    )
                )
    db.session.commit()


@pytest.mark.parametrize("today", [TODAY, date(2026, 10, 1), date(2026, 12, 31)])
def test_stale_of_finds_what_stale_indicators_finds(app, world, monkeypatch, today):
    import tracker.timeutil

    monkeypatch.setattr(tracker.timeutil, "today", lambda: today)
    with app.app_context():
        subproject = db.session.get(Subproject, world["a"])
        _add_varied_indicators(subproject.programme_id, subproject.id)
        rows = page_rows(
            indicator_queries.indicators(
                subproject.programme_id, Quarter.of(today), [subproject.id]
            )
        )
        expected = indicator_queries.stale_indicators([subproject.id], today)
        assert len(expected) > 3
        assert stale_of(rows, subproject, today) == expected


def test_an_archived_subproject_lists_no_outdated_indicator(app, world):
    with app.app_context():
        subproject = db.session.get(Subproject, world["b"])
        rows = page_rows(
            indicator_queries.indicators(subproject.programme_id, Quarter.of(TODAY), [world["b"]])
        )
        assert stale_of(rows, subproject, TODAY) != []
        subproject.archived_at = datetime(2026, 11, 1)
        db.session.commit()
        assert stale_of(rows, subproject, TODAY) == []
        assert indicator_queries.stale_indicators([subproject.id], TODAY) == []
