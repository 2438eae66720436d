"""The figure functions on made-up DataFrames: large programmes stay readable and small."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from tracker.milestones import queries as milestone_queries
from tracker.reports.charts import specs as figures


@pytest.fixture
def request_ctx(app):
    with app.test_request_context():
        yield


def _overview(count: int) -> pd.DataFrame:
    rags = ["green", "amber", "red"]
    return pd.DataFrame(
        {
            "id": range(1, count + 1),
            "code": [f"DP{n:04d}" for n in range(1, count + 1)],
            "name": [f"Deelproject {n}" for n in range(1, count + 1)],
            "municipality": [f"Gemeente {n % 6}" for n in range(count)],
            "lead_rag": [rags[n % 3] if n % 5 else None for n in range(count)],
            "computed_rag": [rags[(n + (1 if n % 10 == 1 else 0)) % 3] for n in range(count)],
        }
    )


def _milestones(count: int) -> pd.DataFrame:
    rows = []
    for n in range(count):
        baseline = date(2026, 1, 1) + timedelta(days=n)
        status = "overdue" if n % 20 == 0 else "on_track"
        rows.append(
            (
                n + 1,
                1 + n % 6,
                f"M{n}",
                baseline,
                baseline + timedelta(days=n % 7),
                None,
                None,
                False,
                n % 7,
                "moved" if n % 7 else None,
                status,
            )
        )
    return pd.DataFrame(rows, columns=milestone_queries.MILESTONE_COLUMNS)


def test_matrix_of_600_subprojects_shows_the_30_most_urgent(request_ctx):
    overview = _overview(600)
    chosen = figures.top_subprojects(overview)
    assert len(chosen) == 30
    differ = overview[
        overview["lead_rag"].notna() & (overview["lead_rag"] != overview["computed_rag"])
    ]
    assert len(differ) >= 30
    assert set(chosen["code"]) <= set(differ["code"])  # disagreements come first
    assert list(chosen["code"]) == sorted(chosen["code"])
    spec = figures.rag_matrix_spec(overview)
    assert "de 30 dringendste van 600" in spec["layout"]["title"]["text"]
    assert len(pio.to_json(spec, validate=False)) < 60_000
    go.Figure(spec)  # valid plotly


def test_municipality_chart_aggregates_instead_of_600_bars(request_ctx):
    overview = _overview(600)
    rows = figures.municipality_rows(overview)
    assert len(rows) == 6
    assert sum(r["green"] + r["amber"] + r["red"] + r["none"] for r in rows) == 600
    spec = figures.municipality_spec(overview)
    assert [len(t["x"]) for t in spec["data"]] == [6, 6, 6, 6]
    go.Figure(spec)


def test_timeline_keeps_every_overdue_milestone_when_cutting(request_ctx):
    milestones = _milestones(100)
    chosen = figures.top_milestones(milestones, limit=10)
    assert len(chosen) == 10
    assert (chosen["status"] == "overdue").sum() == 5  # all 5 overdue, then the largest slip
    chosen = figures.top_milestones(milestones, limit=40)
    assert (chosen["status"] == "overdue").sum() == 5
    assert list(chosen["planned_date"]) == sorted(chosen["planned_date"])
    spec = figures.milestone_timeline_spec(
        milestones, pd.DataFrame({"id": [1], "code": ["A"], "name": ["x"]}), date(2026, 6, 1)
    )
    labels = spec["layout"]["yaxis"]["categoryarray"]
    assert len(labels) == 40 and len(set(labels)) == 40
    assert "de 40 dringendste van 100" in spec["layout"]["title"]["text"]
    go.Figure(spec)


def test_status_counts_count_missing_as_none(request_ctx):
    frame = pd.DataFrame({"lead_rag": ["green", None, "red", float("nan")]})
    assert figures.status_counts(frame, "lead_rag", figures.RAG_ORDER) == {
        "green": 1,
        "amber": 0,
        "red": 1,
        "none": 2,
    }


def test_count_axis_has_whole_number_ticks(request_ctx):
    frame = pd.DataFrame({"status": ["overdue"]})
    spec = figures.milestone_status_spec(frame)
    assert spec["layout"]["xaxis"]["dtick"] == 1
    assert spec["data"][0]["x"] == [0, 0, 0, 0, 1]


def test_labels_are_escaped_for_plotly_markup(request_ctx):
    overview = _overview(2)
    overview.loc[0, "name"] = "<b onmouseover=x>Vet</b>"
    spec = figures.rag_matrix_spec(overview)
    assert "DP0001 &lt;b onmouseover=x&gt;Vet&lt;/b&gt;" in spec["layout"]["yaxis"]["categoryarray"]


def test_whole_numbers_are_grouped_per_language(app, client):
    from tracker.i18n import number_format

    with app.test_request_context():
        assert number_format(1234567) == "1.234.567"
        assert number_format(-1234.0) == "-1.234"
        assert number_format(12) == "12"
        assert number_format(1234.5) == "1.234,5"
    with app.test_request_context():
        from flask import session

        session["lang"] = "en"
        assert number_format(1234567) == "1,234,567"


def test_fractions_keep_babels_format(app):
    from babel.numbers import format_decimal

    from tracker.i18n import number_format

    for locale in ("nl", "en"):
        with app.test_request_context():
            from flask import session

            session["lang"] = locale
            for value in (1234.5, 0.25, -1234567.89, 12.05, 0.04, 999999.96, 3.14159):
                expected = format_decimal(round(value, 1), format="#,##0.#", locale=locale)
                assert number_format(value) == expected, (locale, value)
            assert number_format(3.14159, 2) == format_decimal(3.14, "#,##0.##", locale=locale)
