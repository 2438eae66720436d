"""The chart registry, the status colours in the specs, and the SVG renderer failing closed."""

from __future__ import annotations

from datetime import date

import pytest
from defusedxml.ElementTree import fromstring

from tracker.milestones.status import MilestoneStatus
from tracker.projects.status import Rag
from tracker.quarters import Quarter
from tracker.reports import evaluation, pdf, snapshot
from tracker.reports.charts import registry, specs, svg
from tracker.vocabulary import NoStatus

NS = "{http://www.w3.org/2000/svg}"


def bars(drawing) -> list[dict]:
    root = fromstring(drawing.plot)
    return [r.attrib for r in root.iter(f"{NS}rect") if r.get("stroke") not in (None, "none")]


def stacked(barmode: str = "stack") -> dict:
    """Two municipalities, the first with one green and one red subproject."""
    return {
        "data": [
            {"type": "bar", "orientation": "h", "name": "Groen", "x": [1, 2], "y": ["A", "B"],
             "marker": {"color": "#1d6b32", "line": {"color": "#000", "width": 1}}},
            {"type": "bar", "orientation": "h", "name": "Rood", "x": [1, 0], "y": ["A", "B"],
             "marker": {"color": "#b3261e", "line": {"color": "#000", "width": 1}}},
        ],
        "layout": {"height": 200, "barmode": barmode, "xaxis": {"range": [0, 4]}},
    }  # fmt: skip


def test_stacked_bars_pile_up_to_the_category_total():
    green_a, green_b, red_a, _red_b = bars(svg.draw(stacked()))
    unit = float(green_a["width"])  # one subproject
    assert float(green_b["width"]) == pytest.approx(2 * unit, rel=0.01)
    # A's red bar starts where its green one ends: A's pile is 2 long, not 1
    assert float(red_a["x"]) == pytest.approx(float(green_a["x"]) + unit, abs=0.2)
    assert float(red_a["x"]) + float(red_a["width"]) == pytest.approx(
        float(green_a["x"]) + 2 * unit, abs=0.2
    )
    assert float(red_a["y"]) == pytest.approx(float(green_a["y"]), abs=0.1)  # same row


def test_the_axis_of_stacked_bars_reaches_the_largest_pile():
    figure = stacked()
    del figure["layout"]["xaxis"]
    green_a, _green_b, red_a, _red_b = bars(svg.draw(figure))
    drawing = svg.draw(figure)
    right = float(red_a["x"]) + float(red_a["width"])
    assert right <= drawing.width  # the pile of 2 fits on the axis


@pytest.mark.parametrize("visible", [False, "legendonly"])
def test_a_hidden_trace_is_not_drawn(visible):
    figure = stacked("group")
    figure["data"][1]["visible"] = visible
    drawing = svg.draw(figure)
    assert {b["fill"] for b in bars(drawing)} == {"#1d6b32"}
    assert [item.label for item in drawing.legend] == []  # one trace left: no legend


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda f: f["layout"]["xaxis"].update(type="log"), "type 'log'"),
        (lambda f: f["data"].append({"type": "sankey"}), "trace type 'sankey'"),
        (lambda f: f["data"][0].update(base=[1, 1]), "bar attribute 'base'"),
        (lambda f: f["layout"].update(barmode="relative"), "barmode 'relative'"),
        (lambda f: f["layout"].update(polar={}), "layout key 'polar'"),
        (lambda f: f["layout"]["xaxis"].update(side="top"), "side 'top'"),
        (
            lambda f: f["data"].append({"type": "scatter", "mode": "markers+text", "x": [1]}),
            "'markers+text'",
        ),
    ],
)
def test_what_the_renderer_does_not_draw_goes_to_the_table(change, reason, monkeypatch):
    figure = stacked()
    change(figure)
    with pytest.raises(svg.Unsupported, match=reason.replace("+", r"\+")):
        svg.draw(figure)
    logged = []
    monkeypatch.setattr(svg.logger, "warning", lambda text, *args: logged.append(text % args))
    assert svg.drawings({"chart": figure}) == {"chart": None}
    assert reason in logged[0]  # the log says why


def test_a_date_axis_places_dates_in_proportion_and_ticks_months_in_dutch():
    days = [date(2026, 1, 1), date(2026, 2, 1), date(2026, 7, 1)]
    figure = {
        "data": [{"type": "scatter", "mode": "markers", "x": days, "y": ["a", "b", "c"],
                  "marker": {"symbol": "circle", "size": 6}}],
        "layout": {"height": 240, "separators": ",.",
                   "xaxis": {"type": "date", "tickformat": "%d-%m-%Y"}},
    }  # fmt: skip
    root = fromstring(svg.draw(figure).plot)
    xs = [float(c.get("cx")) for c in root.iter(f"{NS}circle")]
    assert (xs[1] - xs[0]) / (xs[2] - xs[1]) == pytest.approx(31 / 150, rel=0.01)
    labels = [t.text for t in root.iter(f"{NS}text")]
    assert "mrt 2026" in labels or "apr 2026" in labels
    assert not any(label.startswith("2026-01-01") for label in labels)  # not categories


def test_a_line_with_gaps_is_not_joined_across_them():
    figure = {
        "data": [{"type": "scatter", "mode": "lines", "x": [0, 1, None, 2, 3],
                  "y": ["a", "a", None, "b", "b"]}],
        "layout": {"height": 200},
    }  # fmt: skip
    paths = [p.get("d") for p in fromstring(svg.draw(figure).plot).iter(f"{NS}path")]
    assert any(d.count("M") == 2 and d.count("L") == 2 for d in paths)


def test_charts_use_the_status_enums_colours_and_shapes(app):
    import pandas as pd

    overview = pd.DataFrame(
        {"municipality": ["Almere", "Almere"], "lead_rag": ["red", None],
         "computed_rag": ["red", "amber"]}
    )  # fmt: skip
    with app.test_request_context():
        municipality = specs.municipality_spec(overview)
        status = specs.milestone_status_spec(pd.DataFrame({"status": ["overdue"]}))
    colours = {t["name"].split(" ", 1)[1]: t["marker"]["color"] for t in municipality["data"]}
    assert colours == {
        "Groen": Rag.GREEN.colour, "Oranje": Rag.AMBER.colour, "Rood": Rag.RED.colour,
        "Onbekend": NoStatus.NONE.colour,
    }  # fmt: skip
    assert [t["x"] for t in municipality["data"]] == [[0], [1], [1], [0]]
    marker = status["data"][0]["marker"]
    assert marker["color"] == [m.colour for m in MilestoneStatus]
    assert marker["pattern"]["shape"] == [m.pattern for m in MilestoneStatus]
    assert MilestoneStatus.ACHIEVED_LATE.colour in marker["color"]


def test_every_registry_entry_is_complete_and_keys_are_unique():
    assert len(registry.BY_KEY) == len(registry.CHARTS)
    for chart in registry.CHARTS:
        assert chart.dashboard or chart.pdf, chart.key
        assert set(chart.pdf) <= set(registry.PDF_PARTS), chart.key


def test_the_pdf_prints_the_milestone_timeline_with_a_date_axis(app, world):
    quarter = Quarter(2026, 3)
    with app.test_request_context():
        data = snapshot.collect(world["programme_id"], quarter)
        frames = snapshot.frames(data)
        report = evaluation.build(frames, quarter)
        charts = pdf._print(frames, report, quarter.end, whole=True, enabled=True)
        html = pdf.render_html(data)
    timelines = [c for c in charts.all() if c.kind == "timeline"]
    assert timelines and all(c.svg_uri for c in timelines)  # drawn, not the table
    assert "Mijlpalen: oorspronkelijke datum tegenover geplande datum" in html
    assert "niet worden getekend" not in html
