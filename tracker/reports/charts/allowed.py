"""What the PDF's SVG renderer draws correctly, and nothing more.

The renderer fails closed: a figure that uses a trace type, a trace attribute, a layout key or a
value that is not listed here is refused with :class:`Unsupported` before anything is drawn, and
the report prints that chart's table instead. A chart drawn wrong on paper (overlapping bars, a
log axis drawn linear) misleads a steering group; a table never does. Keys that only matter to
the browser (hover texts, the template, margins) are listed because ignoring them is correct.
"""

from __future__ import annotations

import re

from tracker.reports.charts.svgkit import Unsupported

TRACE_TYPES = {"bar", "scatter"}
# Per trace type: the attributes it may carry, and the values allowed where not any value is.
TRACE_KEYS = {
    "bar": {
        "type", "name", "x", "y", "orientation", "text", "textposition", "cliponaxis", "marker",
        "width", "hovertemplate", "hoverinfo", "customdata", "legendgroup", "showlegend",
        "xaxis", "yaxis", "visible",
    },
    "scatter": {
        "type", "name", "x", "y", "mode", "line", "marker", "hovertemplate", "hoverinfo",
        "customdata", "legendgroup", "showlegend", "xaxis", "yaxis", "visible",
    },
}  # fmt: skip
TRACE_VALUES = {
    "orientation": {None, "h", "v"},
    "textposition": {None, "auto", "outside"},
    "visible": {None, True, False, "legendonly"},
    "mode": {None, "lines", "markers", "lines+markers", "markers+lines"},
}
LAYOUT_KEYS = {
    "template", "title", "height", "margin", "font", "separators", "paper_bgcolor",
    "plot_bgcolor", "hoverlabel", "barmode", "showlegend", "legend", "shapes", "annotations",
}  # fmt: skip
LAYOUT_VALUES = {"barmode": {None, "group", "overlay", "stack"}}
AXIS = re.compile(r"[xy]axis([2-9]|[1-9][0-9]+)?")
AXIS_KEYS = {
    "title", "gridcolor", "zeroline", "automargin", "linecolor", "rangemode", "tick0", "dtick",
    "tickformat", "autorange", "categoryorder", "categoryarray", "range", "showgrid", "visible",
    "domain", "anchor", "type", "tickangle", "ticksuffix", "side",
}  # fmt: skip
AXIS_VALUES = {
    "type": {None, "-", "linear", "category", "date"},
    "autorange": {None, True, "reversed"},
    "rangemode": {None, "normal", "tozero"},
    "categoryorder": {None, "trace", "array"},
    "side": {None, "bottom", "left"},
}
LINE_DASHES = {None, "solid", "dash", "dot", "dashdot", "longdash"}


def check(figure: dict) -> None:
    """Raise :class:`Unsupported`, naming the first thing this renderer would not draw
    correctly; return quietly when it draws all of the figure."""
    layout = figure.get("layout") or {}
    for key, value in layout.items():
        if AXIS.fullmatch(key):
            _check_axis(key, value or {})
        elif key not in LAYOUT_KEYS:
            raise Unsupported(f"layout key {key!r}")
        else:
            _allowed(LAYOUT_VALUES, key, value, "layout")
    for trace in figure.get("data") or []:
        kind = trace.get("type", "scatter")
        if kind not in TRACE_TYPES:
            raise Unsupported(f"trace type {kind!r}")
        for key, value in trace.items():
            if key not in TRACE_KEYS[kind]:
                raise Unsupported(f"{kind} attribute {key!r}")
            _allowed(TRACE_VALUES, key, value, kind)
        if (trace.get("line") or {}).get("dash") not in LINE_DASHES:
            raise Unsupported(f"line dash {trace['line']['dash']!r}")


def _check_axis(name: str, axis: dict) -> None:
    for key, value in axis.items():
        if key not in AXIS_KEYS:
            raise Unsupported(f"{name} key {key!r}")
        _allowed(AXIS_VALUES, key, value, name)
    if axis.get("type") != "date" and axis.get("tickformat") not in (None, "", ",d"):
        raise Unsupported(f"{name} tick format {axis['tickformat']!r}")


def _allowed(table: dict, key: str, value, where: str) -> None:
    if key in table and value not in table[key]:
        raise Unsupported(f"{where} {key} {value!r}")
