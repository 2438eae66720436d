"""The dashboard's own copy of plotly.js: the version the plotly package writes figures for,
every trace type the charts use, and sent compressed."""

from __future__ import annotations

import gzip
import json
import re
import zlib

import pytest
from conftest import world_chart_data
from plotly.offline import get_plotlyjs_version

from tracker.reports import dashboard
from tracker.reports.charts import registry

BUNDLE = dashboard.PLOTLY_DIR / dashboard.PLOTLY_FILE


def bundled_trace_types() -> set[str]:
    return set(re.findall(r'moduleType:"trace",name:"(\w+)"', BUNDLE.read_text()))


def test_the_bundle_is_the_plotly_js_of_the_installed_plotly_package():
    header = BUNDLE.read_text()[:200]
    assert f" v{get_plotlyjs_version()}\n" in header, header
    assert get_plotlyjs_version() == dashboard.PLOTLY_VERSION
    assert "MIT License" in (dashboard.PLOTLY_DIR / "LICENSE").read_text()


def test_the_compressed_copy_is_the_bundle():
    compressed = BUNDLE.with_name(BUNDLE.name + ".gz").read_bytes()
    assert gzip.decompress(compressed) == BUNDLE.read_bytes()


@pytest.fixture
def chart_data(app, world):
    with app.test_request_context():
        yield world_chart_data(world["programme_id"])


def test_every_trace_type_of_every_chart_is_in_the_bundle(chart_data):
    used = {
        trace.get("type", "scatter")
        for chart in registry.CHARTS
        for trace in chart.spec(chart_data)["data"]
    }
    assert used, "no chart drew a trace"
    assert used <= bundled_trace_types(), used - bundled_trace_types()


def test_the_bundle_is_sent_gzipped_to_browsers_that_accept_it(client):
    path = f"/dashboard/plotly-{dashboard.PLOTLY_VERSION}.min.js"
    zipped = client.get(path, headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
    assert zipped.status_code == 200
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert zipped.mimetype == "text/javascript"
    assert "Accept-Encoding" in zipped.headers["Vary"]
    assert "immutable" in zipped.headers["Cache-Control"]
    plain = client.get(path)
    assert "Content-Encoding" not in plain.headers
    assert gzip.decompress(zipped.data) == plain.data == BUNDLE.read_bytes()


def decoded(response) -> bytes:
    encoding = response.headers.get("Content-Encoding")
    assert encoding in ("gzip", "deflate"), encoding
    return gzip.decompress(response.data) if encoding == "gzip" else zlib.decompress(response.data)


def test_pages_and_scripts_are_sent_compressed(login_as):
    """What a browser on plain http accepts; static files, sent as a stream, come deflated."""
    client = login_as("steering")
    accept = {"Accept-Encoding": "gzip, deflate"}
    for path in ("/dashboard", "/static/js/dashboard.js", "/static/css/app.css"):
        response = client.get(path, headers=accept)
        assert response.status_code == 200, path
        assert len(decoded(response)) > 2 * len(response.data), path
    body = decoded(client.get("/dashboard", headers=accept))
    assert json.loads(re.search(rb'data-chart="chart-rag">(.*?)</script>', body, re.S).group(1))
