"""The PDF's chart renderer: the dashboard's figure specs drawn as SVG, read back as shapes."""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest
from defusedxml.ElementTree import fromstring

from tracker.reports.charts import specs as figures
from tracker.reports.charts import svg

NS = "{http://www.w3.org/2000/svg}"


def render(figure: dict, width: int = svg.WIDTH) -> str:
    """The drawing's plot with its title and legend labels added as text elements, so a check
    reads all the text the report shows of the chart."""
    drawing = svg.draw(figure, width)
    shown = [drawing.title, *(item.label for item in drawing.legend)]
    extra = "".join(f"<text>{html.escape(text)}</text>" for text in shown)
    return drawing.plot.removesuffix("</svg>") + extra + "</svg>"


def parse(text: str):
    return fromstring(text)


def bars(root) -> list[dict]:
    """The bars: rects with a stroke (the background and patterns' own rects have none)."""
    return [r.attrib for r in root.iter(f"{NS}rect") if r.get("stroke") not in (None, "none")]


def texts(root) -> list[str]:
    return [t.text or "" for t in root.iter(f"{NS}text")]


def text_at(root, content: str) -> dict:
    return next(t.attrib for t in root.iter(f"{NS}text") if t.text == content)


def count_figure(counts: dict[str, int]) -> dict:
    return {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "x": list(counts.values()),
                "y": list(counts),
                "text": [str(v) for v in counts.values()],
                "textposition": "outside",
                "marker": {
                    "color": ["#009E73", "#E69F00", "#D55E00"],
                    "pattern": {"shape": ["", "/", "x"], "fgcolor": "#ffffff"},
                    "line": {"color": "#1b1f24", "width": 1},
                },
            }
        ],
        "layout": {
            "title": {"text": "Mijlpalen per status"},
            "height": 200,
            "separators": ",.",
            "xaxis": {"title": {"text": "Aantal"}, "rangemode": "tozero"},
            "yaxis": {"autorange": "reversed"},
        },
    }


def test_bar_lengths_follow_the_values_and_the_first_category_is_on_top():
    root = parse(render(count_figure({"Op koers": 8, "Risico": 4, "Over tijd": 2})))
    drawn = bars(root)
    widths = [float(b["width"]) for b in drawn]
    assert widths[0] == pytest.approx(2 * widths[1], rel=0.02)
    assert widths[1] == pytest.approx(2 * widths[2], rel=0.02)
    tops = [float(b["y"]) for b in drawn]
    assert tops == sorted(tops)  # reversed axis: the first category at the top
    assert {"Op koers", "Risico", "Over tijd", "8", "4", "2", "Aantal"} <= set(texts(root))
    assert "Mijlpalen per status" in texts(root)


def test_hatched_statuses_get_patterns_and_plain_ones_a_colour():
    root = parse(render(count_figure({"Op koers": 8, "Risico": 4, "Over tijd": 2})))
    fills = [b["fill"] for b in bars(root)]
    assert fills[0] == "#009E73"
    assert fills[1].startswith("url(#") and fills[2].startswith("url(#") and fills[1] != fills[2]
    patterns = {p.get("id"): p for p in root.iter(f"{NS}pattern")}
    assert set(patterns) == {fills[1][5:-1], fills[2][5:-1]}


def test_ticks_use_dutch_separators_and_stay_within_the_axis():
    figure = {
        "data": [
            {"type": "scatter", "mode": "lines", "x": ["2026-Q1", "2026-Q2"], "y": [4300, 4800]}
        ],
        "layout": {"height": 260, "separators": ",.", "yaxis": {"title": {"text": "leerlingen"}}},
    }
    labels = texts(parse(render(figure)))
    numbers = [t for t in labels if re.fullmatch(r"[\d.]+", t)]
    assert numbers and all(re.fullmatch(r"\d\.\d{3}", t) for t in numbers), numbers
    assert {"2026-Q1", "2026-Q2", "leerlingen"} <= set(labels)
    assert svg.format_number(1234.5, 1, ",.") == "1.234,5"
    assert svg.format_number(1234.5, 1, ".,") == "1,234.5"
    assert svg.format_number(-0.04, 1) == "0,0"


def test_user_text_is_shown_as_typed_and_never_becomes_markup():
    hostile = '<script>alert(1)</script> R&D <img src="file:///etc/passwd">'
    # The figure functions escape user text for plotly's label markup, as the dashboard needs.
    label = figures._text(hostile)
    figure = count_figure({label: 3, "Risico": 1, "Over tijd": 0})
    figure["layout"]["title"]["text"] = "Titel <br> met <b>opmaak</b>"
    figure["data"][0]["marker"]["color"][1] = '"/><script>alert(2)</script><rect fill="'
    text = render(figure)
    root = parse(text)
    assert not list(root.iter(f"{NS}script")) and not list(root.iter(f"{NS}image"))
    assert "<script>" not in text and "&lt;script&gt;" in text and "alert(2)" not in text
    shown = texts(root)
    assert any(t.startswith("<script>alert(1)</script> R&D") for t in shown)
    assert "Titel met opmaak" in " ".join(" ".join(t.split()) for t in shown)


def test_long_labels_are_shortened_to_fit_the_chart():
    long = "Programma · " + "Gediplomeerde technici die na een jaar in Flevoland werken " * 3
    root = parse(render(count_figure({long: 3, "Risico": 1, "Over tijd": 0}), width=400))
    label = next(t for t in texts(root) if t.startswith("Programma"))
    assert label.endswith("…") and len(label) < len(long)
    assert svg.text_width(label, svg.TICK_SIZE) <= 0.45 * 400


def test_grouped_bars_stand_side_by_side_and_the_legend_names_both():
    figure = {
        "data": [
            {
                "type": "bar",
                "name": "RAG (leider)",
                "x": ["Groen", "Rood"],
                "y": [3, 1],
                "marker": {"color": ["#009E73", "#D55E00"], "line": {"color": "#000", "width": 1}},
            },
            {
                "type": "bar",
                "name": "RAG (berekend)",
                "x": ["Groen", "Rood"],
                "y": [1, 3],
                "marker": {
                    "color": ["#009E73", "#D55E00"],
                    "pattern": {"shape": "/"},
                    "line": {"color": "#000", "width": 1},
                },
            },
        ],
        "layout": {"height": 260, "barmode": "group"},
    }
    root = parse(render(figure))
    drawn = bars(root)[:4]  # the legend's swatches come after the bars
    lead_green, lead_red, computed_green, computed_red = drawn
    assert float(lead_green["x"]) < float(computed_green["x"]) < float(lead_red["x"])
    assert float(lead_green["height"]) == pytest.approx(3 * float(computed_green["height"]), 0.02)
    assert {"RAG (leider)", "RAG (berekend)"} <= set(texts(root))


def test_markers_lines_and_dashes_are_drawn():
    figure = {
        "data": [
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": "Werkelijk",
                "x": ["Q1", "Q2", "Q3"],
                "y": [1, 2, 3],
                "marker": {"symbol": "circle", "size": 7},
            },
            {
                "type": "scatter",
                "mode": "lines",
                "name": "Verwacht",
                "x": ["Q1", "Q3"],
                "y": [1, 4],
                "line": {"dash": "dash", "color": "#6b7480"},
            },
            {
                "type": "scatter",
                "mode": "markers",
                "name": "Streef",
                "x": ["Q3"],
                "y": [5],
                "marker": {"symbol": "diamond", "size": 12},
            },
        ],
        "layout": {"height": 260},
    }
    root = parse(render(figure))
    assert len([c for c in root.iter(f"{NS}circle")]) >= 3
    assert any(p.get("stroke-dasharray") for p in root.iter(f"{NS}path"))
    assert {"Werkelijk", "Verwacht", "Streef"} <= set(texts(root))


def test_a_value_that_is_not_a_number_leaves_the_chart_to_the_table():
    figure = count_figure({"A": 1, "B": 2, "C": 0})
    figure["data"][0]["x"] = [float("nan"), 2, float("inf")]
    figure["layout"]["xaxis"]["range"] = [0, 3]
    with pytest.raises(svg.Unsupported):
        svg.draw(figure)
    assert "Infrastructuur" in render(count_figure({"Infrastructuur": 1, "B": 2, "C": 0}))


def test_unsupported_figures_are_refused_and_become_none_for_the_table():
    sankey = {"data": [{"type": "sankey"}], "layout": {}}
    with pytest.raises(svg.Unsupported):
        render(sankey)
    drawn = svg.drawings({"a": sankey, "b": count_figure({"A": 1, "B": 2, "C": 0})})
    assert drawn["a"] is None and drawn["b"].plot.startswith("<svg")
    assert svg.drawings({"b": count_figure({"A": 1, "B": 2, "C": 0})}, enabled=False) == {"b": None}


def test_a_drawing_keeps_title_and_legend_apart_from_the_plot_for_the_page():
    figure = {
        "data": [
            {
                "type": "bar",
                "name": "Op koers",
                "x": [1],
                "y": ["A"],
                "orientation": "h",
                "marker": {"color": "#009E73", "pattern": {"shape": "/"}},
            },
            {
                "type": "scatter",
                "mode": "markers",
                "name": "Verwacht",
                "x": [2],
                "y": ["A"],
                "marker": {"symbol": "diamond"},
            },
        ],
        "layout": {"title": {"text": "Voortgang &amp; verwachting"}, "height": 200},
    }
    drawing = svg.draw(figure)
    assert drawing.title == "Voortgang & verwachting"
    assert [item.label for item in drawing.legend] == ["Op koers", "Verwacht"]
    plot = texts(parse(drawing.plot))
    assert "Voortgang & verwachting" not in plot and "Op koers" not in plot
    swatch = parse(drawing.legend[0].swatch)
    assert list(swatch.iter(f"{NS}pattern"))  # the legend shows the bar's hatching too
    assert list(parse(drawing.legend[1].swatch).iter(f"{NS}path"))  # the diamond


def test_every_pdf_chart_of_the_dashboard_specs_is_drawn(app):
    indicators = pd.DataFrame(
        {
            "id": [1, 2, 3],
            "subproject_id": [1, 1, None],
            "name": ["Leerlingen", "Stages <b>", "Instroom"],
            "unit": ["leerlingen", "%", "leerlingen"],
            "status": ["on_track", "off_track", "no_data"],
            "progress": [0.5, 0.1, None],
            "expected": [0.4, 0.5, None],
            "direction": ["up", "up", "up"],
            "baseline_value": [100.0, 10.0, 5.0],
            "baseline_date": [pd.Timestamp("2025-01-01").date()] * 3,
            "target_value": [200.0, 50.0, 10.0],
            "target_date": [pd.Timestamp("2027-12-31").date()] * 3,
            "rollup": ["last", "mean", "sum"],
        }
    )
    measurements = pd.DataFrame(
        {
            "indicator_id": [1, 1, 2, 2],
            "period": ["2026-Q1", "2026-Q2", "2026-Q1", "2026-Q2"],
            "value": [140.0, 150.0, 12.0, 14.0],
        }
    )
    subprojects = pd.DataFrame({"id": [1], "code": ["DP1"], "name": ["Almere"]})
    overview = pd.DataFrame({"lead_rag": ["green", None], "computed_rag": ["amber", "red"]})
    with app.test_request_context():
        specs = {
            "progress": figures.indicator_progress_spec(indicators, subprojects),
            "trend": figures.indicator_trend_spec(indicators, measurements, subprojects),
            "rag": figures.rag_spec(overview),
            "status": figures.indicator_status_spec(indicators),
        }
    drawn = {name: render(spec) for name, spec in specs.items()}
    progress = texts(parse(drawn["progress"]))
    assert "50 %" in progress and any(t.startswith("DP1 · Stages <b>") for t in progress)
    trend = texts(parse(drawn["trend"]))
    assert "K1 2026" in trend and "leerlingen" in trend


def test_a_negative_bar_keeps_its_value_clear_of_the_category_labels():
    figure = count_figure({"Achteruit": -3, "Vooruit": 5, "Gelijk": 0})
    figure["data"][0]["text"] = ["-3", "5", "0"]
    figure["layout"]["xaxis"] = {}
    root = parse(render(figure))
    negative = bars(root)[0]
    zero = float(negative["x"]) + float(negative["width"])
    assert float(text_at(root, "-3")["x"]) >= zero - 1
    assert float(text_at(root, "Achteruit")["x"]) < float(negative["x"])
