"""``figure_json`` writes plain specs itself (tracker/reports/dashboard.py, ``_plain_json``) and
leaves the rest to ``plotly.io.to_json``: the text must be plotly's, character for character,
and stay safe inside a ``<script>`` element."""

from __future__ import annotations

import copy
import json
from datetime import date, datetime

import numpy as np
import pandas as pd
import plotly.io as pio
import pytest
from conftest import world_chart_data
from markupsafe import Markup

from tracker.reports.charts import registry
from tracker.reports.dashboard import _plain_json, figure_json


def plotly_text(spec: dict) -> str:
    text = pio.to_json(spec, validate=False, pretty=False)
    return text.replace("&", "\\u0026").replace("'", "\\u0027")


HOSTILE = "</script><script>alert('x & y')</script> \u2028 é ‘’ <!-- 1/2"

SPECS = {
    "plain": {"data": [{"type": "bar", "x": [1, 2.5, -3], "y": ["a", "b", "c"]}], "layout": {}},
    "hostile text": {"data": [{"name": HOSTILE, "text": [HOSTILE]}], "layout": {"title": HOSTILE}},
    "dates": {
        "data": [{"x": [date(2026, 9, 30), datetime(2026, 9, 30, 12, 5, 7)], "y": [1, None]}],
        "layout": {"xaxis": {"range": [date(2026, 1, 1), date(2026, 12, 31)]}},
    },
    "nested and empty": {"data": [], "layout": {"a": {"b": [[], {}, [True, False, None]]}}},
    "big and small numbers": {"data": [{"y": [1e12, -1e-9, 0.1 + 0.2, 10**15, 0, -0.0]}]},
    "NaN": {"data": [{"y": [1.0, float("nan"), float("inf"), -float("inf")]}]},
    "text that says NaN": {"data": [{"name": "NaN and Infinity"}]},
    "numpy values": {"data": [{"y": np.array([1.5, 2.0]), "x": [np.int64(3), np.float64(0.5)]}]},
    "pandas values": {"data": [{"x": [pd.Timestamp("2026-09-30"), pd.NaT], "y": [pd.NA, 1]}]},
    "uid": {"data": [{"uid": "abc", "y": [1]}]},
}


def spec(name: str) -> dict:
    """A fresh copy: plotly.io.to_json drops the uids of the spec it is given."""
    return copy.deepcopy(SPECS[name])


@pytest.mark.parametrize("name", sorted(SPECS))
def test_the_text_is_plotlys(name):
    written = figure_json(spec(name))
    assert isinstance(written, Markup)
    assert written == plotly_text(spec(name))


def test_plain_specs_are_written_without_plotly():
    assert _plain_json(spec("plain")) is not None
    assert _plain_json(spec("dates")) is not None
    for name in ("NaN", "numpy values", "pandas values", "uid", "text that says NaN"):
        assert _plain_json(spec(name)) is None, name


def test_no_text_can_end_the_script_element():
    written = str(figure_json(spec("hostile text")))
    for unsafe in ("<", ">", "/", "&", "'"):
        assert unsafe not in written
    assert json.loads(written)["layout"]["title"] == HOSTILE


def test_every_chart_of_the_registry_is_written_as_plotly_writes_it(app, world):
    with app.test_request_context():
        data = world_chart_data(world["programme_id"])
        for chart in registry.CHARTS:
            assert figure_json(chart.spec(data)) == plotly_text(chart.spec(data)), chart.key
