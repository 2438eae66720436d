"""The dashboard's Plotly figures drawn as plain SVG for the PDF, in Python, without a browser.

The figures are the ``*_spec`` dicts of :mod:`tracker.reports.charts.specs`, the very ones the
dashboard hands to plotly.js. Plotly's own static export (Kaleido) needs a headless Chromium
per worker and about half a CPU-second per chart, which made a report slower than WeasyPrint
itself; these charts are bars, lines and markers, so they are drawn here from the same data,
colours, patterns, symbols, titles and number formats, laid out for paper: the legend under the
chart, axis labels measured with the PDF's own font (DejaVu Sans) so nothing overlaps.

It fails closed. Only what :mod:`.allowed` lists is drawn: ``bar`` traces (grouped, overlaid
or stacked) and ``scatter`` lines and markers on linear, category or date axes (subplots by axis
domains), line and rect shapes, annotations and the legend; hidden traces are left out. Anything
else raises :class:`Unsupported`, and :func:`drawings` logs why and leaves that chart to the
report's table, so a chart is never drawn other than the dashboard shows it.
Labels are Plotly's pseudo-HTML: tags are dropped, entities decoded, and the text escaped
again for SVG, so user text is shown as typed and never becomes markup.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterator
from dataclasses import dataclass, field

from tracker.reports.charts import allowed, dates
from tracker.reports.charts.svgkit import (
    BASE_SIZE,
    INK,
    NOT_A_NUMBER,
    Canvas,
    Unsupported,
    coord,
    decimals_for,
    fit,
    fit_keeping_tail,
    format_number,
    listed,
    luminance,
    marker,
    nice_step,
    paint,
    plain,
    text_width,
    ticks,
)

logger = logging.getLogger(__name__)

FONT_FAMILY = "DejaVu Sans, sans-serif"
WIDTH = 680
TITLE_ROOM = 30
SWATCH = (24, 16)
GRID = "#d0d5db"
MUTED = "#4a525c"
TICK_SIZE = 11
BAR_GAP = 0.2
DASHES = {"dash": "6,4", "dot": "1.5,3", "dashdot": "6,3,1.5,3", "longdash": "10,4"}


# --- Axes ---------------------------------------------------------------------------------------


@dataclass
class Axis:
    key: str  # "x", "x2", "y"
    spec: dict
    letter: str
    categories: list[str] = field(default_factory=list)
    values: list[float] = field(default_factory=list)
    low: float = 0.0
    high: float = 1.0
    tick_values: list[float] = field(default_factory=list)
    tick_labels: list[str] = field(default_factory=list)
    start: float = 0.0  # pixel of ``low``
    end: float = 1.0  # pixel of ``high``

    @property
    def is_category(self) -> bool:
        return self.spec.get("type") == "category" or (bool(self.categories) and not self.is_date)

    @property
    def is_date(self) -> bool:
        return self.spec.get("type") == "date"

    @property
    def visible(self) -> bool:
        return self.spec.get("visible", True) is not False

    @property
    def reversed(self) -> bool:
        return self.spec.get("autorange") == "reversed"

    @property
    def title(self) -> str:
        title = self.spec.get("title") or {}
        return plain(title.get("text") if isinstance(title, dict) else title)

    def coordinate(self, value) -> float:
        """A data value in axis units: its index on a category axis, days on a date axis."""
        if self.is_date:
            return dates.day_number(value)
        if not self.is_category:
            return float(value)
        try:
            return float(self.categories.index(str(value)))
        except ValueError:
            raise Unsupported("value not on its category axis") from None

    def pixel(self, coordinate: float) -> float:
        span = (self.high - self.low) or 1.0
        return self.start + (coordinate - self.low) / span * (self.end - self.start)

    def position(self, value) -> float:
        return self.pixel(self.coordinate(value))


def _axis_spec(layout: dict, key: str) -> dict:
    return layout.get(f"{key[0]}axis{key[1:]}") or {}


def _domain(spec: dict) -> tuple[float, float]:
    low, high = spec.get("domain") or (0.0, 1.0)
    return float(low), float(high)


# --- The figure ---------------------------------------------------------------------------------


@dataclass
class _Cell:
    """One subplot: an x and a y axis, the traces on them and the box their domains give."""

    x: Axis
    y: Axis
    left: float
    top: float
    right: float
    bottom: float
    traces: list[dict] = field(default_factory=list)
    barmode: str = "group"
    label_room: float = 0.0  # left of the plot: the y tick labels
    title_room: float = 0.0  # left of those: the y axis title
    tick_drop: float = 0.0  # below the plot: the x tick labels

    @property
    def vertical_bars(self) -> bool:
        return not any(t.get("type") == "bar" and t.get("orientation") == "h" for t in self.traces)

    @property
    def has_bars(self) -> bool:
        return any(t.get("type") == "bar" for t in self.traces)

    @property
    def bar_texts(self) -> list[str]:
        return [
            str(t) for tr in self.traces if tr.get("type") == "bar" for t in tr.get("text") or []
        ]


def _document(width: float, height: float, body: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{coord(width)}" height="{coord(height)}"'
        f' viewBox="0 0 {coord(width)} {coord(height)}" font-family="{FONT_FAMILY}">{body}</svg>'
    )


@dataclass
class LegendItem:
    label: str  # plain text, to be escaped where it is shown
    body: str  # SVG elements of the swatch: the trace's colour, pattern, line and marker

    @property
    def swatch(self) -> str:
        return _document(SWATCH[0], SWATCH[1], self.body)


@dataclass
class Drawing:
    """A chart in parts: its title and legend as text for the page around it, and the plot.

    WeasyPrint lays out SVG text letter by letter, which made chart text a quarter of a whole
    report's time; a title and legend in the page's HTML cost a line each and read as text.
    """

    title: str
    width: float
    height: float
    body: str  # SVG elements of the plot: axes, marks, tick labels, annotations
    legend: list[LegendItem]

    @property
    def plot(self) -> str:
        return _document(self.width, self.height, self.body)


def draw(figure: dict, width: int = WIDTH) -> Drawing:
    """The figure ``width`` pixels wide, as high as its layout says less the title's room."""
    allowed.check(figure)
    layout = figure.get("layout") or {}
    traces = [t for t in figure.get("data") or [] if t.get("visible") in (None, True)]
    canvas = Canvas("p")
    title_spec = layout.get("title") or {}
    title = plain(title_spec.get("text") if isinstance(title_spec, dict) else title_spec)
    height = float(layout.get("height") or 300) - (TITLE_ROOM if title else 0)
    annotations = layout.get("annotations") or []
    above = any(
        a.get("yref") == "paper" and float(a.get("y", 0)) >= 1 and a.get("yanchor") == "bottom"
        for a in annotations
    )
    region = (4.0, 6 + (BASE_SIZE * 1.5 if above else 0), width - 8.0, height - 4.0)
    cells = _cells(layout, traces, region)
    for cell in cells.values():
        _layout_cell(cell)
        _draw_axes(canvas, cell)
    for cell in cells.values():
        _draw_bars(canvas, cell)
    for cell in cells.values():
        _draw_scatter(canvas, cell)
    _draw_shapes(canvas, layout.get("shapes") or [], cells, region)
    _draw_annotations(canvas, annotations, cells, region)
    legend = [
        LegendItem(label=plain(trace["name"]), body=_swatch(trace, f"s{number}_"))
        for number, trace in enumerate(_legend_entries(traces, layout))
    ]
    body = canvas.body()
    if NOT_A_NUMBER.search(body):
        raise Unsupported("a value that is not a number")  # NaN or infinity in the data
    return Drawing(title=title, width=width, height=height, body=body, legend=legend)


def _cells(layout: dict, traces: list[dict], region) -> dict[tuple[str, str], _Cell]:
    left, top, right, bottom = region
    separators = layout.get("separators") or ",."
    cells: dict[tuple[str, str], _Cell] = {}
    axes: dict[str, Axis] = {}

    def axis(key: str) -> Axis:
        if key not in axes:
            spec = {**_axis_spec(layout, key), "_separators": separators}
            axes[key] = Axis(key=key, spec=spec, letter=key[0])
        return axes[key]

    for trace in traces:
        pair = (trace.get("xaxis") or "x", trace.get("yaxis") or "y")
        if pair not in cells:
            x_axis, y_axis = axis(pair[0]), axis(pair[1])
            (x0, x1), (y0, y1) = _domain(x_axis.spec), _domain(y_axis.spec)
            cells[pair] = _Cell(
                barmode=layout.get("barmode") or "group",
                x=x_axis,
                y=y_axis,
                left=left + x0 * (right - left),
                right=left + x1 * (right - left),
                top=bottom - y1 * (bottom - top),
                bottom=bottom - y0 * (bottom - top),
            )
        cells[pair].traces.append(trace)
    return cells


def _collect(cell: _Cell) -> None:
    """The categories and values on each axis of the cell, in the order Plotly would use."""
    for trace in cell.traces:
        for axis in (cell.x, cell.y):
            data = list(trace.get(axis.letter) or [])
            if axis.is_date:
                axis.values.extend(dates.day_number(v) for v in data if v is not None)
            elif any(isinstance(v, str) for v in data) or axis.spec.get("type") == "category":
                for value in data:
                    if str(value) not in axis.categories:
                        axis.categories.append(str(value))
            else:
                axis.values.extend(float(v) for v in data if v is not None)
    if cell.barmode == "stack":
        for letter, totals in _stack_totals(cell).items():
            getattr(cell, letter).values.extend(totals)
    for axis in (cell.x, cell.y):
        order = axis.spec.get("categoryarray")
        if axis.spec.get("categoryorder") == "array" and order:
            known = [str(c) for c in order]
            listed_already = set(known)
            axis.categories = known + [c for c in axis.categories if c not in listed_already]


def _stacked_bars(cell: _Cell) -> Iterator[tuple[dict, int, float]]:
    """Each bar of a stacked cell with the value it starts from: bars of one category pile up,
    positive ones upwards from zero and negative ones downwards, in trace order (as Plotly)."""
    piles: dict[tuple[str, bool], float] = {}
    for trace in cell.traces:
        if trace.get("type") != "bar":
            continue
        horizontal = trace.get("orientation") == "h"
        xs, ys = list(trace.get("x") or []), list(trace.get("y") or [])
        cats, vals = (ys, xs) if horizontal else (xs, ys)
        for n, (category, value) in enumerate(zip(cats, vals, strict=False)):
            if value is None:
                continue
            key = (str(category), float(value) < 0)
            base = piles.get(key, 0.0)
            piles[key] = base + float(value)
            yield trace, n, base


def _stack_totals(cell: _Cell) -> dict[str, list[float]]:
    """The ends of the piles, which the value axis ("x" or "y") must reach."""
    ends: dict[str, list[float]] = {}
    for trace, n, base in _stacked_bars(cell):
        letter = "x" if trace.get("orientation") == "h" else "y"
        ends.setdefault(letter, []).append(base + float(trace[letter][n]))
    return ends


def _category_widest(axis: Axis) -> float:
    return max((text_width(plain(c), TICK_SIZE) for c in axis.categories), default=0.0)


def _layout_cell(cell: _Cell) -> None:
    """Shrink the cell to its plot area, leaving room for labels, and set both axes' scales."""
    _collect(cell)
    x, y = cell.x, cell.y
    width = cell.right - cell.left
    vertical = cell.vertical_bars
    outside = cell.has_bars and bool(cell.bar_texts)
    if y.visible:
        if y.is_category:
            cell.label_room = min(_category_widest(y), 0.45 * width) + 8
        else:
            y.start, y.end = cell.bottom, cell.top  # provisional, to choose the ticks
            _prepare_values(y, cell.has_bars and vertical, outside and vertical)
            cell.label_room = max((text_width(t, TICK_SIZE) for t in y.tick_labels), default=0) + 8
        cell.title_room = BASE_SIZE + 8 if y.title else 0.0
    angle = float(x.spec.get("tickangle") or 0)
    bottom_room = 0.0
    if x.visible:
        if x.is_category and angle:
            cell.tick_drop = _category_widest(x) * abs(math.sin(math.radians(angle))) + TICK_SIZE
        else:
            cell.tick_drop = TICK_SIZE + 4
        bottom_room = cell.tick_drop + 6 + (BASE_SIZE + 8 if x.title else 0)
    right_room = 2.0
    if outside and not vertical:
        right_room = 8 + max(text_width(t, BASE_SIZE) for t in cell.bar_texts)
    cell.left += cell.label_room + cell.title_room
    cell.bottom -= bottom_room
    cell.right -= right_room
    cell.top += BASE_SIZE + 6 if outside and vertical else 2
    for axis, (start, end) in ((x, (cell.left, cell.right)), (y, (cell.bottom, cell.top))):
        axis.start, axis.end = (end, start) if axis.reversed else (start, end)
        if axis.is_category:
            axis.low, axis.high = -0.5, len(axis.categories) - 0.5
        elif axis.is_date:
            _prepare_dates(axis)
        else:
            bars_along = cell.has_bars and ((axis.letter == "y") == vertical)
            _prepare_values(axis, bars_along, outside and vertical and axis.letter == "y")


def _prepare_dates(axis: Axis) -> None:
    """Range and ticks of a date axis: the dates on it with a little room either side, ticks on
    days, months or years as the span asks, in the figure's language (its separators say
    which: Dutch figures use the decimal comma)."""
    spec = axis.spec
    if spec.get("range"):
        axis.low, axis.high = (dates.day_number(v) for v in spec["range"])
    else:
        values = axis.values or [dates.day_number(dates.EPOCH)]
        low, high = min(values), max(values)
        pad = max((high - low) * 0.04, 7.0)
        axis.low, axis.high = low - pad, high + pad
    length = abs(axis.end - axis.start) or 1.0
    dutch = spec.get("_separators", ",.").startswith(",")
    axis.tick_values, axis.tick_labels = dates.ticks(
        axis.low, axis.high, max(2, int(length / 90)), dutch, spec.get("tickformat") or ""
    )


def _prepare_values(axis: Axis, has_bars: bool, text_above: bool) -> None:
    """Range and ticks of a value axis from the data on it (or the range it was given)."""
    spec = axis.spec
    zero = has_bars or spec.get("rangemode") == "tozero"
    if spec.get("range"):
        axis.low, axis.high = (float(v) for v in spec["range"])
    else:
        values = [v for v in axis.values if math.isfinite(v)] or [0.0, 1.0]
        low, high = min(values), max(values)
        if zero:
            low, high = min(0.0, low), max(0.0, high)
        if high == low:
            high = low + 1.0
        pad = (high - low) * 0.06
        axis.low = low if zero and low >= 0 else low - pad
        axis.high = high + (0 if text_above else pad)
    length = abs(axis.end - axis.start) or 1.0
    wanted = max(2, int(length / (90 if axis.letter == "x" else 45)))
    step = nice_step(axis.high - axis.low, wanted)
    if spec.get("dtick"):
        step = max(float(spec["dtick"]), step)
    whole = spec.get("tickformat") == ",d"
    if whole:
        step = max(1.0, math.ceil(step))
    axis.tick_values = ticks(axis.low, axis.high, step, spec.get("tick0"))
    decimals = 0 if whole else decimals_for(step)
    suffix = spec.get("ticksuffix", "")
    separators = spec.get("_separators", ",.")
    axis.tick_labels = [format_number(v, decimals, separators) + suffix for v in axis.tick_values]


def _draw_axes(canvas: Canvas, cell: _Cell) -> None:
    """Grid lines, tick labels, axis lines and titles of one cell."""
    x, y = cell.x, cell.y
    if y.visible:
        colour = paint(y.spec.get("gridcolor"), GRID)
        for pixel, label in _tick_positions(y):
            if y.spec.get("showgrid", True) is not False and not y.is_category:
                canvas.line(cell.left, pixel, cell.right, pixel, colour, 0.8)
            text = fit(label, TICK_SIZE, cell.label_room - 8) if y.is_category else label
            canvas.text(cell.left - 6, pixel + TICK_SIZE * 0.35, text, TICK_SIZE, "end")
        canvas.line(
            cell.left, cell.top, cell.left, cell.bottom, paint(y.spec.get("linecolor"), GRID)
        )
        if y.title:
            middle = (cell.top + cell.bottom) / 2
            canvas.text(
                cell.left - cell.label_room - cell.title_room + BASE_SIZE,
                middle,
                fit(y.title, BASE_SIZE, cell.bottom - cell.top),
                BASE_SIZE,
                "middle",
                MUTED,
                rotate=-90,
            )
    if x.visible:
        colour = paint(x.spec.get("gridcolor"), GRID)
        angle = float(x.spec.get("tickangle") or 0)
        # Bars stand on their categories: a grid line through each would only cross them.
        grid = x.spec.get("showgrid", True) is not False and not (x.is_category and cell.has_bars)
        for pixel, label in _tick_positions(x):
            if grid:
                canvas.line(pixel, cell.top, pixel, cell.bottom, colour, 0.8)
            if angle:
                canvas.text(
                    pixel + 3, cell.bottom + TICK_SIZE + 2, label, TICK_SIZE, "end", rotate=angle
                )
            else:
                canvas.text(pixel, cell.bottom + TICK_SIZE + 4, label, TICK_SIZE, "middle")
        canvas.line(
            cell.left, cell.bottom, cell.right, cell.bottom, paint(x.spec.get("linecolor"), GRID)
        )
        if x.title:
            canvas.text(
                (cell.left + cell.right) / 2,
                cell.bottom + cell.tick_drop + 6 + BASE_SIZE,
                fit(x.title, BASE_SIZE, cell.right - cell.left),
                BASE_SIZE,
                "middle",
                MUTED,
            )


def _tick_positions(axis: Axis) -> list[tuple[float, str]]:
    if axis.is_category:
        return [(axis.position(c), plain(c)) for c in axis.categories]
    return [
        (axis.pixel(v), label)
        for v, label in zip(axis.tick_values, axis.tick_labels, strict=True)
        if min(axis.low, axis.high) - 1e-9 <= v <= max(axis.low, axis.high) + 1e-9
    ]


def _draw_bars(canvas: Canvas, cell: _Cell) -> None:
    bars = [t for t in cell.traces if t.get("type") == "bar"]
    if not bars:
        return
    slots = len(bars) if cell.barmode == "group" else 1
    bases = (
        {(id(trace), n): base for trace, n, base in _stacked_bars(cell)}
        if cell.barmode == "stack"
        else {}
    )
    slot = (1 - BAR_GAP) / slots
    for index, trace in enumerate(bars):
        horizontal = trace.get("orientation") == "h"
        category_axis, value_axis = (cell.y, cell.x) if horizontal else (cell.x, cell.y)
        xs, ys = list(trace.get("x") or []), list(trace.get("y") or [])
        cats, vals = (ys, xs) if horizontal else (xs, ys)
        bar_width = float(trace.get("width") or slot)
        offset = -(1 - BAR_GAP) / 2 + (index + 0.5) * slot if slots > 1 else 0.0
        style = trace.get("marker") or {}
        pattern = style.get("pattern") or {}
        edge = style.get("line") or {}
        texts = trace.get("text")
        for n, (category, value) in enumerate(zip(cats, vals, strict=False)):
            if value is None:
                continue
            centre = category_axis.coordinate(category) + offset
            centre_px = category_axis.pixel(centre)
            half = abs(category_axis.pixel(centre + bar_width / 2) - centre_px)
            base = bases.get((id(trace), n), 0.0)
            base_px = value_axis.position(base)
            end_px = value_axis.position(base + float(value))
            colour = paint(listed(style.get("color"), n), "#999999")
            fill = canvas.fill(
                colour,
                listed(pattern.get("shape"), n, ""),
                paint(pattern.get("fgcolor"), "#ffffff"),
            )
            if horizontal:
                box = (min(base_px, end_px), centre_px - half, abs(end_px - base_px), 2 * half)
            else:
                box = (centre_px - half, min(base_px, end_px), 2 * half, abs(end_px - base_px))
            canvas.add(
                f'<rect x="{coord(box[0])}" y="{coord(box[1])}" width="{coord(box[2])}"'
                f' height="{coord(box[3])}" fill="{fill}"'
                f' stroke="{paint(edge.get("color"), "none")}"'
                f' stroke-width="{coord(float(edge.get("width", 0) or 0))}"/>'
            )
            text = listed(texts, n)
            if text is not None:
                _bar_label(
                    canvas,
                    plain(text),
                    horizontal,
                    box,
                    float(value) < 0,
                    colour,
                    trace.get("textposition", "auto"),
                )


def _bar_label(canvas, text, horizontal, box, negative, colour, position) -> None:
    """The bar's value beside it; with ``auto``, inside the bar at its base where it fits (on
    paper the end of a bar is where the markers of expectations sit). A negative bar's value
    goes on the zero side, away from the category labels."""
    x, y, w, h = box
    size = BASE_SIZE
    if not horizontal:
        canvas.text(x + w / 2, (y + h + size + 2) if negative else (y - 4), text, size, "middle")
        return
    wide = text_width(text, size) + 6
    baseline = y + h / 2 + size * 0.35
    if position == "auto" and wide + 6 < w:
        ink = "#ffffff" if luminance(colour) < 0.55 else INK
        patch = x + w - wide - 2 if negative else x + 2
        # A plain patch of the bar's colour behind the number, so no hatching crosses it.
        canvas.add(
            f'<rect x="{coord(patch)}" y="{coord(y + h / 2 - size * 0.7)}"'
            f' width="{coord(wide)}" height="{coord(size * 1.4)}" fill="{colour}"/>'
        )
        canvas.text(patch + 3, baseline, text, size, "start", ink)
    else:
        canvas.text(x + w + 4, baseline, text, size, "start")


def _draw_scatter(canvas: Canvas, cell: _Cell) -> None:
    for trace in cell.traces:
        if trace.get("type", "scatter") != "scatter":
            continue
        mode = trace.get("mode") or "lines+markers"
        runs = _runs(cell, trace)
        points = [point for run in runs for point in run]
        if not points:
            continue
        line = trace.get("line") or {}
        style = trace.get("marker") or {}
        colour = paint(line.get("color") or style.get("color"))
        if "lines" in mode:
            dash = DASHES.get(line.get("dash") or "", "")
            path = "".join(
                "M" + "L".join(f"{coord(a)},{coord(b)}" for a, b in run)
                for run in runs
                if len(run) > 1
            )
            dashing = f' stroke-dasharray="{dash}"' if dash else ""
            stroke = coord(float(line.get("width", 2)))
            if path:
                canvas.add(
                    f'<path d="{path}" stroke="{colour}" stroke-width="{stroke}"{dashing}'
                    ' fill="none" stroke-linejoin="round"/>'
                )
        if "markers" in mode:
            for n, (a, b) in enumerate(points):
                marker(
                    canvas,
                    a,
                    b,
                    listed(style.get("symbol"), n, "circle"),
                    float(listed(style.get("size"), n, 6)),
                    paint(listed(style.get("color"), n), colour),
                    style.get("line") or {},
                )


def _runs(cell: _Cell, trace: dict) -> list[list[tuple[float, float]]]:
    """The trace's points in pixels, split where a value is missing: Plotly leaves a gap there
    rather than joining the line across it (the timeline's slips are one trace of many runs)."""
    runs: list[list[tuple[float, float]]] = [[]]
    for a, b in zip(trace.get("x") or [], trace.get("y") or [], strict=False):
        if a is None or b is None:
            runs.append([])
        else:
            runs[-1].append((cell.x.position(a), cell.y.position(b)))
    return [run for run in runs if run]


def _cell_for(cells: dict, ref: str, letter: str) -> _Cell | None:
    for cell in cells.values():
        if getattr(cell, letter).key == ref:
            return cell
    return None


def _place(value, ref: str, letter: str, cells: dict, region, home: _Cell | None) -> float:
    """A shape's or annotation's coordinate in pixels: data on its axis, or paper, which is the
    plot area of the cell it belongs to when it has one, else the whole plotting region."""
    left, top, right, bottom = region
    if ref != "paper":
        cell = _cell_for(cells, ref, letter)
        if cell is None:
            raise Unsupported(f"reference to a missing axis {ref!r}")
        axis = getattr(cell, letter)
        return axis.position(value)
    if home is not None:
        left, top, right, bottom = home.left, home.top, home.right, home.bottom
    value = float(value)
    return left + value * (right - left) if letter == "x" else bottom - value * (bottom - top)


def _home(item: dict, cells: dict) -> _Cell | None:
    """The cell a half-paper item sits in: the cell of its data axis."""
    for letter in ("x", "y"):
        ref = item.get(f"{letter}ref") or letter
        if ref != "paper":
            return _cell_for(cells, ref, letter)
    return None


def _draw_shapes(canvas: Canvas, shapes: list[dict], cells: dict, region) -> None:
    for shape in shapes:
        kind = shape.get("type", "rect")
        if kind not in ("line", "rect"):
            raise Unsupported(f"shape {kind!r}")
        home = _home(shape, cells)
        xref, yref = shape.get("xref") or "x", shape.get("yref") or "y"
        x0 = _place(shape.get("x0", 0), xref, "x", cells, region, home)
        x1 = _place(shape.get("x1", 0), xref, "x", cells, region, home)
        y0 = _place(shape.get("y0", 0), yref, "y", cells, region, home)
        y1 = _place(shape.get("y1", 0), yref, "y", cells, region, home)
        line = shape.get("line") or {}
        colour, width = paint(line.get("color")), float(line.get("width", 1))
        dash = DASHES.get(line.get("dash") or "", "")
        if kind == "line":
            canvas.line(x0, y0, x1, y1, colour, width, dash)
        else:
            canvas.add(
                f'<rect x="{coord(min(x0, x1))}" y="{coord(min(y0, y1))}"'
                f' width="{coord(abs(x1 - x0))}"'
                f' height="{coord(abs(y1 - y0))}" fill="{paint(shape.get("fillcolor"), "none")}"'
                f' stroke="{colour}" stroke-width="{coord(width)}"/>'
            )


def _draw_annotations(canvas: Canvas, annotations: list[dict], cells: dict, region) -> None:
    left, _top, right, _bottom = region
    for note in annotations:
        text = plain(note.get("text"))
        if not text:
            continue
        size = float((note.get("font") or {}).get("size") or BASE_SIZE)
        home = _home(note, cells)
        xref, yref = note.get("xref") or "x", note.get("yref") or "y"
        x = _place(note.get("x", 0.5), xref, "x", cells, region, home)
        y = _place(note.get("y", 0.5), yref, "y", cells, region, home)
        anchor = {"left": "start", "right": "end"}.get(note.get("xanchor"), "middle")
        room = {"start": right - x, "end": x - left}.get(anchor, 2 * min(x - left, right - x))
        if xref == "paper" and anchor == "start":
            # A subplot's title: as wide as that subplot.
            for cell in cells.values():
                if abs(_domain(cell.x.spec)[0] - float(note.get("x", 0))) < 1e-6:
                    room = cell.right - x
        baseline = {"bottom": y - size * 0.45, "top": y + size * 1.05}.get(
            note.get("yanchor"), y + size * 0.35
        )
        canvas.text(x, baseline, fit_keeping_tail(text, size, room), size, anchor)


def _legend_entries(traces: list[dict], layout: dict) -> list[dict]:
    show = layout.get("showlegend")
    if show is False or (show is None and len(traces) < 2):
        return []
    return [t for t in traces if t.get("showlegend", True) is not False and t.get("name")]


def _swatch(trace: dict, prefix: str) -> str:
    """What stands for the trace in its legend: a patch of its bar, or its line and marker."""
    canvas = Canvas(prefix)
    style = trace.get("marker") or {}
    line = trace.get("line") or {}
    width, height = SWATCH
    middle = height / 2
    if trace.get("type") == "bar":
        pattern = style.get("pattern") or {}
        colour = style.get("color")
        colour = paint(colour if isinstance(colour, str) else None, "#6b7480")
        shape = listed(pattern.get("shape"), 0, "")
        fill = canvas.fill(colour, shape, paint(pattern.get("fgcolor"), "#ffffff"))
        edge = style.get("line") or {}
        canvas.add(
            f'<rect x="0.5" y="1.5" width="{width - 1}" height="{height - 3}" fill="{fill}"'
            f' stroke="{paint(edge.get("color"), "none")}" stroke-width="1"/>'
        )
    else:
        mode = trace.get("mode") or "lines+markers"
        colour = paint(line.get("color") or style.get("color"))
        if "lines" in mode:
            dash = DASHES.get(line.get("dash") or "", "")
            canvas.line(0, middle, width, middle, colour, float(line.get("width", 2)), dash)
        if "markers" in mode:
            marker(
                canvas,
                width / 2,
                middle,
                listed(style.get("symbol"), 0, "circle"),
                min(10.0, float(listed(style.get("size"), 0, 6))),
                paint(listed(style.get("color"), 0), colour),
                style.get("line") or {},
            )
    return canvas.body()


# --- For the report ------------------------------------------------------------------------------


def drawings(figures: dict[str, dict], *, enabled: bool = True) -> dict:
    """Each figure drawn, or ``None`` where it could not be (the report then prints the
    chart's numbers as a table): a report is never refused for want of a chart."""
    result: dict[str, Drawing | None] = {}
    for name, figure in figures.items():
        if not enabled:
            result[name] = None
            continue
        try:
            result[name] = draw(figure)
        except Exception as error:  # noqa: BLE001 (any failure: the table instead)
            logger.warning("chart %s could not be drawn, printing a table: %s", name, error)
            result[name] = None
    return result
