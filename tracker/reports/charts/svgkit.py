"""Drawing primitives for the PDF's charts: text measured in the PDF's font, numbers in the
figure's separators, colours that can only be colours, and an SVG canvas with fills, patterns
and marker symbols. Plain Python; :mod:`tracker.reports.charts.svg` lays figures out with them.
"""

from __future__ import annotations

import functools
import html
import math
import re
from pathlib import Path

FONT_FILE = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
INK = "#1b1f24"
BASE_SIZE = 12
_TAG = re.compile(r"<[^>]*>")


class Unsupported(ValueError):
    """The figure uses something this renderer does not draw."""


# --- Text ---------------------------------------------------------------------------------------


@functools.cache
def _advances() -> dict[int, float] | None:
    """Advance width per code point in em, read from the font WeasyPrint embeds."""
    path = FONT_FILE
    if not Path(path).is_file():
        return None
    from fontTools.ttLib import TTFont  # a dependency of WeasyPrint's

    font = TTFont(path, lazy=True)
    metrics, units = font["hmtx"].metrics, font["head"].unitsPerEm
    return {code: metrics[glyph][0] / units for code, glyph in font.getBestCmap().items()}


def text_width(text: str, size: float) -> float:
    advances = _advances()
    if advances is None:
        return 0.6 * size * len(text)
    return size * sum(advances.get(ord(char), 0.6) for char in text)


def plain(label) -> str:
    """Plotly label markup to the text it shows: tags dropped, then entities decoded."""
    return html.unescape(_TAG.sub(" ", str(label))).strip() if label is not None else ""


def fit(text: str, size: float, room: float) -> str:
    """``text``, shortened with an ellipsis until it is at most ``room`` wide."""
    if text_width(text, size) <= room:
        return text
    while text and text_width(text + "…", size) > room:
        text = text[:-1]
    return text.rstrip() + "…" if text else ""


def fit_keeping_tail(text: str, size: float, room: float, separator: str = " · ") -> str:
    """Like :func:`fit`, but a short last part after ``separator`` (a subplot title's status,
    "… · ▲ Risico") stays whole and the part before it is shortened."""
    head, found, tail = text.rpartition(separator)
    tail_width = text_width(separator + tail, size)
    if not found or text_width(text, size) <= room or tail_width > 0.6 * room:
        return fit(text, size, room)
    return fit(head, size, room - tail_width) + separator + tail


NOT_A_NUMBER = re.compile(r'="[^"]*\b(nan|inf)\b', re.IGNORECASE)
COLOUR = re.compile(r"#[0-9a-fA-F]{3,8}|rgba?\([0-9., %]+\)|[a-zA-Z]{3,20}")


def paint(value, default: str = INK) -> str:
    """A colour from a figure as an SVG paint: only what looks like a colour gets through."""
    return value if isinstance(value, str) and COLOUR.fullmatch(value) else default


def luminance(colour: str) -> float:
    """Relative luminance of a ``#rgb``/``#rrggbb`` colour (1 for anything else)."""
    colour = colour.lstrip("#")
    if len(colour) == 3:
        colour = "".join(c * 2 for c in colour)
    try:
        r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (0, 2, 4))
    except ValueError:
        return 1.0
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def escape(text: str) -> str:
    return html.escape(text, quote=True)


def coord(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


# --- Numbers ------------------------------------------------------------------------------------


def format_number(value: float, decimals: int, separators: str = ",.") -> str:
    """``1234.5`` as ``1.234,5`` with the figure's separators (decimal mark, then thousands)."""
    decimal_mark, thousands = (separators + ".,")[:2]
    value = round(value, decimals) or 0.0  # never "-0"
    text = f"{abs(value):,.{decimals}f}"
    text = text.replace(",", "\0").replace(".", decimal_mark).replace("\0", thousands)
    return ("-" if value < 0 else "") + text


def nice_step(span: float, count: int) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) giving about ``count`` ticks."""
    raw = span / max(1, count)
    power = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def ticks(low: float, high: float, step: float, start: float | None = None) -> list[float]:
    """The multiples of ``step`` (counted from ``start``) between ``low`` and ``high``."""
    first = math.ceil((low - (start or 0)) / step - 1e-9) * step + (start or 0)
    values, value = [], first
    while value <= high + step * 1e-9:
        values.append(round(value, 10))
        value += step
    return values


def decimals_for(step: float) -> int:
    """Decimals a tick label needs at this step: 0 for 5, 1 for 0.5 and 2.5, 2 for 0.25."""
    for decimals in range(5):
        if abs(step * 10**decimals - round(step * 10**decimals)) < 1e-9:
            return decimals
    return 4


# --- Drawing ------------------------------------------------------------------------------------


class Canvas:
    def __init__(self, prefix: str):
        self.prefix = prefix  # of pattern ids, distinct per canvas so drawings can be nested
        self.parts: list[str] = []
        self.patterns: dict[tuple[str, str, str], str] = {}

    def body(self) -> str:
        return self.defs() + "".join(self.parts)

    def add(self, text: str) -> None:
        self.parts.append(text)

    def text(self, x, y, text, size=BASE_SIZE, anchor="start", colour=INK, rotate=0):
        turn = f' transform="rotate({coord(rotate)} {coord(x)} {coord(y)})"' if rotate else ""
        self.add(
            f'<text x="{coord(x)}" y="{coord(y)}" font-size="{coord(size)}" text-anchor="{anchor}"'
            f' fill="{colour}"{turn}>{escape(text)}</text>'
        )

    def line(self, x0, y0, x1, y1, colour, width=1.0, dash=""):
        dashing = f' stroke-dasharray="{dash}"' if dash else ""
        self.add(
            f'<path d="M{coord(x0)},{coord(y0)}L{coord(x1)},{coord(y1)}" stroke="{colour}"'
            f' stroke-width="{coord(width)}"{dashing} fill="none"/>'
        )

    def fill(self, colour: str, shape: str, fg: str) -> str:
        """A fill: the colour, or a pattern of ``shape`` in ``fg`` over it."""
        if not shape:
            return colour
        key = (shape, colour, fg)
        if key not in self.patterns:
            self.patterns[key] = f"{self.prefix}{len(self.patterns)}"
        return f"url(#{self.patterns[key]})"

    def defs(self) -> str:
        if not self.patterns:
            return ""
        out = ["<defs>"]
        for (shape, colour, fg), name in self.patterns.items():
            marks = {
                "/": f'<path d="M-1,1L1,-1M0,8L8,0M7,9L9,7" stroke="{fg}" stroke-width="1.5"/>',
                "\\": f'<path d="M-1,7L1,9M0,0L8,8M7,-1L9,1" stroke="{fg}" stroke-width="1.5"/>',
                "x": f'<path d="M0,0L8,8M0,8L8,0" stroke="{fg}" stroke-width="1.2"/>',
                "-": f'<path d="M0,4H8" stroke="{fg}" stroke-width="1.5"/>',
                "|": f'<path d="M4,0V8" stroke="{fg}" stroke-width="1.5"/>',
                "+": f'<path d="M0,4H8M4,0V8" stroke="{fg}" stroke-width="1.2"/>',
                ".": f'<circle cx="4" cy="4" r="1.4" fill="{fg}"/>',
            }.get(shape)
            if marks is None:
                raise Unsupported(f"bar pattern {shape!r}")
            out.append(
                f'<pattern id="{name}" patternUnits="userSpaceOnUse" width="8" height="8">'
                f'<rect width="8" height="8" fill="{colour}"/>{marks}</pattern>'
            )
        out.append("</defs>")
        return "".join(out)


def marker(canvas: Canvas, x: float, y: float, symbol: str, size: float, colour: str, edge: dict):
    r = size / 2
    open_ = symbol.endswith("-open")
    base = symbol.removesuffix("-open")
    stroke_colour = colour if open_ else paint(edge.get("color"), "none")
    stroke_width = 1.5 if open_ else float(edge.get("width", 0) or 0)
    look = (
        f'fill="{"#ffffff" if open_ else colour}" stroke="{stroke_colour}"'
        f' stroke-width="{coord(stroke_width)}"'
    )
    if base == "circle":
        canvas.add(f'<circle cx="{coord(x)}" cy="{coord(y)}" r="{coord(r)}" {look}/>')
        return
    if base == "x":
        canvas.add(
            f'<path d="M{coord(x - r)},{coord(y - r)}L{coord(x + r)},{coord(y + r)}'
            f'M{coord(x - r)},{coord(y + r)}L{coord(x + r)},{coord(y - r)}"'
            f' stroke="{colour}" stroke-width="2" fill="none"/>'
        )
        return
    outlines = {
        "square": [(-1, -1), (1, -1), (1, 1), (-1, 1)],
        "diamond": [(0, -1.3), (1.1, 0), (0, 1.3), (-1.1, 0)],
        "triangle-up": [(0, -1.15), (1.1, 0.85), (-1.1, 0.85)],
        "triangle-down": [(0, 1.15), (1.1, -0.85), (-1.1, -0.85)],
        "star": [
            (
                math.sin(a) * (1.25 if i % 2 == 0 else 0.5),
                -math.cos(a) * (1.25 if i % 2 == 0 else 0.5),
            )
            for i, a in enumerate(k * math.pi / 5 for k in range(10))
        ],
    }
    points = outlines.get(base)
    if points is None:
        raise Unsupported(f"marker symbol {symbol!r}")
    path = "M" + "L".join(f"{coord(x + dx * r)},{coord(y + dy * r)}" for dx, dy in points) + "Z"
    canvas.add(f'<path d="{path}" {look}/>')


def listed(value, index: int, default=None):
    if isinstance(value, list | tuple):
        return value[index] if index < len(value) else default
    return default if value is None else value
