"""Plotly figures of the reporting layer's DataFrames, shared by the dashboard and the PDF.

Every function here is pure: DataFrames from the features' queries (``tracker.*.queries``) in,
a figure out as a plain dict (the ``Figure.to_dict()`` form), no database access. The dashboard
serialises it with ``plotly.io.to_json(spec, validate=False)``, because plotly's per-property
validation costs more than the whole rest of a dashboard request; the PDF draws it with
:mod:`.svg`. The test suite validates every spec of the registry (:mod:`.registry`) with
``plotly.graph_objects.Figure``.

So the dashboard and the PDF show the same picture of the same numbers.

Accessibility: a status's colour, marker and bar pattern come from its enum (``MilestoneStatus``,
``IndicatorStatus``, ``Rag``, ``NoStatus``), so a chart shows the colour its badge shows, and
every status is also told by a marker shape or a bar pattern and by its label in the text, never
by colour alone. Titles and axes are translated through Flask-Babel, so call these functions
inside an app or request context.

Large programmes: charts with one row per subproject, milestone or indicator show at most
``limit`` rows, the most urgent first (``top_*`` below choose them; the dashboard shows the same
rows in its table alternative), and say so in the title. Counts are never truncated.

User text (subproject names, milestone titles) is HTML-escaped before it goes into a label,
because plotly.js renders a subset of HTML in labels.
"""

from __future__ import annotations

import functools
import heapq
import html
import math
from collections import Counter
from datetime import date

import pandas as pd
from flask import has_request_context

from tracker.i18n import gettext as _
from tracker.i18n import locale_name, number_format
from tracker.indicators import status as indicator_rules
from tracker.indicators.status import IndicatorStatus
from tracker.labels import any_status
from tracker.milestones.status import MilestoneStatus
from tracker.projects.status import Rag
from tracker.quarters import Quarter
from tracker.quarters.display import quarter_text
from tracker.vocabulary import NoStatus, RichStrEnum, Tone

INK = "#1b1f24"
GRID = "#d0d5db"

MILESTONE_ORDER = tuple(MilestoneStatus)
INDICATOR_ORDER = tuple(IndicatorStatus)
RAG_ORDER = (*Rag, NoStatus.NONE)

TIMELINE_LIMIT = 40
INDICATOR_LIMIT = 20
TREND_LIMIT = 9
MATRIX_LIMIT = 30


def _member(enum: type[RichStrEnum], code) -> RichStrEnum:
    """The member a stored code stands for; a missing or unknown code is "no status"."""
    return enum.get(code) or NoStatus.NONE


def _translucent(colour: str, alpha: float) -> str:
    """``#rrggbb`` as ``rgba(...)``: a light wash of a status's own colour."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha})"


# --- Labels -----------------------------------------------------------------------------------


def status_label(code: str | None) -> str:
    """Symbol and translated name of a status, e.g. "▲ At risk"; "○ Unknown" for none."""
    return _status_label(any_status(code).value, locale_name() if has_request_context() else "")


@functools.lru_cache(maxsize=64)
def _status_label(code: str, locale: str) -> str:
    """Cached per language: the catalogues do not change while the app runs, and a gettext
    call costs more than the label is worth on a chart with hundreds of points."""
    member = any_status(code)
    return f"{member.symbol} {member.label}"


def _text(value) -> str:
    """User text made safe for plotly's label markup."""
    return html.escape(str(value), quote=False)


def _short(value, length: int = 40) -> str:
    text = str(value)
    return text if len(text) <= length else text[: length - 1] + "…"


def _is_nl() -> bool:
    try:
        return locale_name() == "nl"
    except RuntimeError:  # outside a request: the default language
        return True


def _base_layout(title: str, height: int, **extra) -> dict:
    nl = _is_nl()
    layout = {
        "template": {"layout": {}},
        "title": {"text": title, "x": 0, "xanchor": "left", "font": {"size": 16}},
        "height": height,
        "margin": {"l": 10, "r": 20, "t": 50, "b": 40, "pad": 4},
        "font": {"family": "system-ui, Segoe UI, Roboto, Arial, sans-serif", "color": INK},
        "separators": ",." if nl else ".,",
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "hoverlabel": {"namelength": -1},
    }
    layout.update(extra)
    return layout


def _figure(data, layout: dict) -> dict:
    """A figure as a plain dict, what ``go.Figure.to_dict()`` would give."""
    if isinstance(data, dict):
        data = [data]
    return {"data": data, "layout": layout}


def _axis(title: str = "", **extra) -> dict:
    axis = {
        "title": {"text": title},
        "gridcolor": GRID,
        "zeroline": False,
        "automargin": True,
        "linecolor": GRID,
    }
    axis.update(extra)
    return axis


def _count_axis(title: str, largest: int) -> dict:
    """An axis of whole numbers: ticks at 0, 1, 2… for small counts, never at 0.5."""
    step = max(1, math.ceil(largest / 8))
    return _axis(title, rangemode="tozero", tick0=0, dtick=step, tickformat=",d")


def _date_format() -> str:
    return "%d-%m-%Y" if _is_nl() else "%-d %b %Y"


def _limited_title(title: str, shown: int, total: int) -> str:
    if shown >= total:
        return title
    return _(
        "%(title)s (the %(shown)s most urgent of %(total)s)", title=title, shown=shown, total=total
    )


def subproject_labels(subprojects: pd.DataFrame) -> dict[int, str]:
    """Subproject id to its label "code name" as charts and tables show it."""
    return {
        int(i): f"{code} {name}" for i, code, name in _columns(subprojects, "id", "code", "name")
    }


def _columns(frame: pd.DataFrame, *names: str):
    """Rows as tuples of the given columns: far cheaper than ``itertuples`` on wide frames."""
    return zip(*(frame[name].tolist() for name in names), strict=True)


def _group(frame: pd.DataFrame, key: str, *names: str) -> dict:
    """``{key value: [(column values...), ...]}`` in the frame's order, without pandas' groupby
    (which builds a DataFrame per group: slow with thousands of indicators)."""
    groups: dict = {}
    for key_value, *values in _columns(frame, key, *names):
        groups.setdefault(key_value, []).append(tuple(values))
    return groups


# --- Choosing rows for charts with a row per item -----------------------------------------------


def _pick(frame: pd.DataFrame, keys: list, limit: int, order: list | None = None) -> pd.DataFrame:
    """The ``limit`` rows with the smallest ``keys``, shown in ``order`` (default: as they
    came). Sorting is done in Python: with thousands of rows pandas' overhead per call is what
    would cost the time."""
    positions = heapq.nsmallest(limit, range(len(keys)), key=keys.__getitem__)
    if order is not None:
        positions.sort(key=order.__getitem__)
    else:
        positions.sort()
    if positions == list(range(len(frame))):
        return frame  # every row, as they came: no copy
    return frame.iloc[positions]


def _urgencies(enum: type[RichStrEnum]) -> dict:
    """Stored code to urgency: a dict lookup per row instead of an enum lookup, for frames of
    thousands of rows. A missing or unknown code counts as "no status" (see :func:`_urgency_of`)."""
    return {member.value: member.urgency for member in enum}


def _urgency_of(urgencies: dict, code) -> int:
    return urgencies.get(code, NoStatus.NONE.urgency)


def top_milestones(milestones: pd.DataFrame, limit: int = TIMELINE_LIMIT) -> pd.DataFrame:
    """The milestones a timeline shows: overdue and at risk first, then by slip, then by date;
    shown by planned date."""
    facts = list(_columns(milestones, "status", "slip_days", "planned_date", "id"))
    urgencies = _urgencies(MilestoneStatus)
    keys = [(_urgency_of(urgencies, st), -slip, planned, i) for st, slip, planned, i in facts]
    order = [(planned, i) for _st, _slip, planned, i in facts]
    return _pick(milestones, keys, limit, order)


def _gap(expected, progress) -> float:
    """How far progress lags the expectation; 0 where either is missing (None or NaN)."""
    try:
        gap = float(expected - progress)
    except TypeError:
        return 0.0
    return 0.0 if gap != gap else gap


def _indicator_positions(indicators: pd.DataFrame, limit: int, measured_only: bool) -> list[int]:
    """Positions of the indicators a chart shows: off track first, then the largest gap to the
    expectation, at most ``limit``, in the frame's order. ``measured_only`` leaves out those
    without a measurement. Plain Python: pandas' overhead per call is what would cost the time
    with a few dozen indicators."""
    urgency = _urgencies(IndicatorStatus).get
    no_status = NoStatus.NONE.urgency
    positions, keys = [], []
    for position, (status, expected, progress, i) in enumerate(
        _columns(indicators, "status", "expected", "progress", "id")
    ):
        if measured_only and status == indicator_rules.NO_DATA:
            continue
        positions.append(position)
        keys.append((urgency(status, no_status), -_gap(expected, progress), i))
    if len(positions) <= limit:
        return positions
    chosen = heapq.nsmallest(limit, range(len(keys)), key=keys.__getitem__)
    return [positions[n] for n in sorted(chosen)]


def top_indicators(indicators: pd.DataFrame, limit: int = INDICATOR_LIMIT) -> pd.DataFrame:
    """The indicators a chart shows: off track first, then the largest gap to the expectation;
    shown in the frame's order."""
    if len(indicators) <= limit:
        return indicators
    return indicators.iloc[_indicator_positions(indicators, limit, measured_only=False)]


def trend_indicators(indicators: pd.DataFrame) -> pd.DataFrame:
    """The indicators the trend chart shows: the most urgent of those with a measurement."""
    return indicators.iloc[_indicator_positions(indicators, TREND_LIMIT, measured_only=True)]


def top_subprojects(overview: pd.DataFrame, limit: int = MATRIX_LIMIT) -> pd.DataFrame:
    """The subprojects a matrix shows: where lead and computed RAG differ first, then red;
    shown by code."""
    if len(overview) <= limit:
        return overview
    facts = list(_columns(overview, "lead_rag", "computed_rag", "code"))
    keys = [
        (
            0 if (isinstance(lead, str) and isinstance(comp, str) and lead != comp) else 1,
            _member(Rag, comp).urgency,
            code,
        )
        for lead, comp, code in facts
    ]
    return _pick(overview, keys, limit, [code for _l, _c, code in facts])


# --- Counts by status -----------------------------------------------------------------------------


def status_counts(
    frame: pd.DataFrame, column: str, order: tuple[RichStrEnum, ...]
) -> dict[RichStrEnum, int]:
    """How many rows have each status in ``order`` (missing values count as "none")."""
    counts = Counter(frame[column].tolist())  # counted in C; then the missing values folded
    missing = sum(n for value, n in counts.items() if not isinstance(value, str))
    counts = Counter({value: n for value, n in counts.items() if isinstance(value, str)})
    counts["none"] += missing
    return {code: int(counts.get(code, 0)) for code in order}


def _count_bars(counts: dict[RichStrEnum, int], title: str, axis_title: str) -> dict:
    codes = list(counts)
    labels = [status_label(code) for code in codes]
    figure = _figure(
        dict(
            type="bar",
            x=[counts[c] for c in codes],
            y=labels,
            orientation="h",
            text=[str(counts[c]) for c in codes],
            textposition="outside",
            cliponaxis=False,
            marker={
                "color": [c.colour for c in codes],
                "pattern": {
                    "shape": [c.pattern for c in codes],
                    "fgcolor": "#ffffff",
                    "fillmode": "overlay",
                },
                "line": {"color": INK, "width": 1},
            },
            hovertemplate="%{y}: %{x}<extra></extra>",
        ),
        layout=_base_layout(
            title,
            height=60 + 38 * len(codes),
            xaxis=_count_axis(axis_title, max(counts.values(), default=0)),
            yaxis=_axis("", autorange="reversed"),
            showlegend=False,
        ),
    )
    return figure


def milestone_status_spec(milestones: pd.DataFrame, counts: dict | None = None) -> dict:
    """Milestones by status (achieved on time / late, on track, at risk, overdue) as bars.
    ``counts``: their :func:`status_counts`, when the caller has them already."""
    return _count_bars(
        status_counts(milestones, "status", MILESTONE_ORDER) if counts is None else counts,
        _("Milestones by status"),
        _("Number of milestones"),
    )


def indicator_status_spec(indicators: pd.DataFrame, counts: dict | None = None) -> dict:
    """Indicators by status (on track, at risk, off track, no data) as bars.
    ``counts``: their :func:`status_counts`, when the caller has them already."""
    return _count_bars(
        status_counts(indicators, "status", INDICATOR_ORDER) if counts is None else counts,
        _("Indicators by status"),
        _("Number of indicators"),
    )


def rag_spec(overview: pd.DataFrame) -> dict:
    """Subprojects by RAG: the leads' own RAG beside the RAG computed from the facts."""
    lead = status_counts(overview, "lead_rag", RAG_ORDER)
    computed = status_counts(overview, "computed_rag", RAG_ORDER)
    categories = [status_label(code) for code in RAG_ORDER]
    traces = []
    for name, counts, pattern in (
        (_("RAG (lead)"), lead, ""),
        (_("RAG (computed)"), computed, "/"),
    ):
        traces.append(
            dict(
                type="bar",
                name=name,
                x=categories,
                y=[counts[c] for c in RAG_ORDER],
                text=[str(counts[c]) for c in RAG_ORDER],
                textposition="outside",
                cliponaxis=False,
                marker={
                    "color": [c.colour for c in RAG_ORDER],
                    "pattern": {"shape": pattern, "fgcolor": "#ffffff", "fillmode": "overlay"},
                    "line": {"color": INK, "width": 1},
                },
                hovertemplate=f"{_text(name)} · %{{x}}: %{{y}}<extra></extra>",
            )
        )
    return _figure(
        traces,
        layout=_base_layout(
            _("Subprojects by RAG"),
            height=300,
            barmode="group",
            xaxis=_axis(""),
            yaxis=_count_axis(
                _("Number of subprojects"), max([*lead.values(), *computed.values()])
            ),
            legend={"orientation": "h", "y": -0.2},
        ),
    )


def municipality_rows(overview: pd.DataFrame) -> list[dict]:
    """Per municipality (by name) the number of subprojects by computed RAG ("none" when there
    is nothing to judge): the municipality chart and its table both read these rows."""
    table: dict[str, dict] = {}
    for name, rag in _columns(overview, "municipality", "computed_rag"):
        row = table.setdefault(
            name, {"municipality": name, **dict.fromkeys((c.value for c in RAG_ORDER), 0)}
        )
        row[rag if rag in RAG_ORDER else "none"] += 1
    return [table[name] for name in sorted(table)]


def municipality_spec(overview: pd.DataFrame, table: list[dict] | None = None) -> dict:
    """Subprojects per municipality, stacked by computed RAG: the programme at a glance by place,
    however many subprojects it holds."""
    table = municipality_rows(overview) if table is None else table
    municipalities = [_text(row["municipality"]) for row in table]
    traces = []
    for code in RAG_ORDER:
        counts = [row[code] for row in table]
        traces.append(
            dict(
                type="bar",
                name=status_label(code),
                y=municipalities,
                x=counts,
                orientation="h",
                marker={
                    "color": code.colour,
                    "pattern": {
                        "shape": code.pattern,
                        "fgcolor": "#ffffff",
                        "fillmode": "overlay",
                    },
                    "line": {"color": INK, "width": 1},
                },
                hovertemplate="%{y} · " + _text(status_label(code)) + ": %{x}<extra></extra>",
            )
        )
    return _figure(
        traces,
        layout=_base_layout(
            _("Subprojects per municipality by computed RAG"),
            height=90 + 34 * max(1, len(municipalities)),
            barmode="stack",
            xaxis=_count_axis(
                _("Number of subprojects"),
                max((sum(row[c] for c in RAG_ORDER) for row in table), default=0),
            ),
            yaxis=_axis("", autorange="reversed"),
            legend={"orientation": "h", "y": -0.25},
        ),
    )


# --- Stoplicht: lead's RAG against computed RAG --------------------------------------------------


def rag_matrix_spec(overview: pd.DataFrame, chosen: pd.DataFrame | None = None) -> dict:
    """The "stoplicht": per subproject the lead's RAG beside the computed RAG; where they differ
    the row carries a "≠" mark and a frame. ``chosen``: :func:`top_subprojects`, when the caller
    has it already."""
    chosen = top_subprojects(overview) if chosen is None else chosen
    facts = list(_columns(chosen, "code", "name", "lead_rag", "computed_rag"))
    rows = [_text(_short(f"{code} {name}")) for code, name, _lead, _computed in facts]
    columns = [_("RAG (lead)"), _("RAG (computed)")]
    xs, ys, codes = [], [], []
    for (_code, _name, lead, computed), label in zip(facts, rows, strict=True):
        for column, code in zip(columns, (lead, computed), strict=True):
            xs.append(column)
            ys.append(label)
            codes.append(_member(Rag, code))
    differs = [
        label
        for (_code, _name, lead, computed), label in zip(facts, rows, strict=True)
        if isinstance(lead, str) and isinstance(computed, str) and lead != computed
    ]
    traces = [
        dict(
            type="scatter",
            x=xs,
            y=ys,
            mode="markers+text",
            text=[status_label(c) for c in codes],
            textposition="middle right",
            marker={
                "symbol": [c.marker for c in codes],
                "color": [c.colour for c in codes],
                "size": 16,
                "line": {"color": INK, "width": 1},
            },
            hovertemplate="%{y} · %{x}: %{text}<extra></extra>",
            showlegend=False,
        )
    ]
    if differs:
        traces.append(
            dict(
                type="scatter",
                x=[_("Differs")] * len(differs),
                y=differs,
                mode="text",
                text=["≠ " + _("differs")] * len(differs),
                textfont={"color": Rag.RED.colour, "size": 14},
                hoverinfo="skip",
                showlegend=False,
            )
        )
    shapes = [
        {
            "type": "rect",
            "xref": "paper",
            "yref": "y",
            "x0": 0,
            "x1": 1,
            "y0": rows.index(label) - 0.45,
            "y1": rows.index(label) + 0.45,
            "line": {"color": Rag.RED.colour, "width": 2, "dash": "dot"},
            "fillcolor": _translucent(Rag.RED.colour, 0.06),
            "layer": "below",
        }
        for label in differs
    ]
    return _figure(
        traces,
        layout=_base_layout(
            _limited_title(_("Stoplicht: lead's RAG and computed RAG"), len(chosen), len(overview)),
            height=110 + 36 * max(1, len(rows)),
            xaxis=_axis(
                "",
                side="top",
                categoryorder="array",
                categoryarray=[*columns, _("Differs")],
                range=[-0.4, 2.6],
                showgrid=False,
            ),
            yaxis=_axis(
                "",
                categoryorder="array",
                categoryarray=rows,
                autorange="reversed",
                showgrid=False,
            ),
            shapes=shapes,
        ),
    )


# --- Milestone timeline ---------------------------------------------------------------------------


def milestone_timeline_spec(
    milestones: pd.DataFrame,
    subprojects: pd.DataFrame,
    as_of: date,
    chosen: pd.DataFrame | None = None,
) -> dict:
    """Gantt-like timeline: per milestone a bar from its baseline date to its planned date (the
    slip), the baseline as an open diamond, the forecast (where it differs from the plan) and the
    achievement date as their own markers, the planned date with the status's marker shape, and
    a line at ``as_of``. The most urgent milestones when there are more than it shows
    (``chosen``: :func:`top_milestones`, when the caller has it already)."""
    chosen = top_milestones(milestones) if chosen is None else chosen
    names = subproject_labels(subprojects)
    facts = list(_columns(chosen, "subproject_id", "title", "baseline_date", "planned_date"))
    labels = _unique(
        [
            _text(_short(f"{names.get(int(sid), '').split(' ')[0]} · {title}", 48))
            for sid, title, _baseline, _planned in facts
        ]
    )
    statuses = chosen["status"].tolist()
    planned_dates = chosen["planned_date"].tolist()
    slips = chosen["slip_days"].tolist()
    day_label = _("days")
    slip_x: list = []
    slip_y: list = []
    for (_sid, _title, baseline, planned), label in zip(facts, labels, strict=True):
        if planned != baseline:
            slip_x += [baseline, planned, None]
            slip_y += [label, label, None]
    traces = [
        dict(
            type="scatter",
            x=slip_x,
            y=slip_y,
            mode="lines",
            line={"color": "#6b7480", "width": 6},
            name=_("Slip (baseline to planned date)"),
            hoverinfo="skip",
        ),
        dict(
            type="scatter",
            x=list(chosen["baseline_date"]),
            y=labels,
            mode="markers",
            marker={
                "symbol": "diamond-open",
                "size": 11,
                "color": INK,
                "line": {"width": 2},
            },
            name=_("Baseline date"),
            hovertemplate="%{y}<br>" + _text(_("Baseline date")) + ": %{x}<extra></extra>",
        ),
        *_date_markers(chosen, labels),
    ]
    for code in MILESTONE_ORDER:
        own = [
            (label, planned, slip)
            for label, status, planned, slip in zip(
                labels, statuses, planned_dates, slips, strict=True
            )
            if status == code
        ]
        if not own:
            continue
        traces.append(
            dict(
                type="scatter",
                x=[planned for _label, planned, _slip in own],
                y=[label for label, _planned, _slip in own],
                mode="markers",
                marker={
                    "symbol": code.marker,
                    "size": 13,
                    "color": code.colour,
                    "line": {"color": INK, "width": 1},
                },
                name=status_label(code),
                customdata=[int(slip) for _label, _planned, slip in own],
                hovertemplate="%{y}<br>"
                + _text(_("Planned date"))
                + ": %{x}<br>"
                + _text(_("Slip"))
                + f": %{{customdata}} {_text(day_label)}<extra>{_text(status_label(code))}</extra>",
            )
        )
    return _figure(
        traces,
        layout=_base_layout(
            _limited_title(
                _("Milestones: baseline against planned date"), len(chosen), len(milestones)
            ),
            height=140 + 26 * max(1, len(labels)),
            xaxis=_axis(_("Date"), type="date", tickformat=_date_format()),
            yaxis=_axis(
                "",
                categoryorder="array",
                categoryarray=labels,
                autorange="reversed",
                showgrid=False,
            ),
            shapes=[
                {
                    "type": "line",
                    "xref": "x",
                    "yref": "paper",
                    "x0": as_of,
                    "x1": as_of,
                    "y0": 0,
                    "y1": 1,
                    "line": {"color": INK, "width": 1, "dash": "dash"},
                }
            ],
            annotations=[
                {
                    "x": as_of,
                    "y": 1,
                    "xref": "x",
                    "yref": "paper",
                    "yanchor": "bottom",
                    "text": _("as at"),
                    "showarrow": False,
                    "font": {"size": 11},
                }
            ],
            legend={"orientation": "h", "y": -0.08, "yanchor": "top"},
        ),
    )


def _date_markers(chosen: pd.DataFrame, labels: list[str]) -> list[dict]:
    """The forecast dates that differ from the plan and the dates achieved, one trace each,
    left out when no milestone has one."""
    facts = list(_columns(chosen, "planned_date", "forecast_date", "achieved_on"))
    forecast = [
        (label, forecast)
        for (planned, forecast, _achieved), label in zip(facts, labels, strict=True)
        if pd.notna(forecast) and forecast != planned
    ]
    achieved = [
        (label, achieved)
        for (_planned, _forecast, achieved), label in zip(facts, labels, strict=True)
        if pd.notna(achieved)
    ]
    traces = []
    for name, points, symbol in (
        (_("Forecast date"), forecast, "triangle-down-open"),
        (_("Achieved on"), achieved, "square"),
    ):
        if points:
            traces.append(
                dict(
                    type="scatter",
                    x=[day for _label, day in points],
                    y=[label for label, _day in points],
                    mode="markers",
                    marker={"symbol": symbol, "size": 10, "color": INK, "line": {"width": 1}},
                    name=name,
                    hovertemplate="%{y}<br>" + _text(name) + ": %{x}<extra></extra>",
                )
            )
    return traces


# --- Indicators ---------------------------------------------------------------------------------


def _indicator_labels(indicators: pd.DataFrame, names: dict[int, str]) -> list[str]:
    labels = []
    for subproject_id, name in _columns(indicators, "subproject_id", "name"):
        owner = (
            names.get(int(subproject_id), "").split(" ")[0]
            if pd.notna(subproject_id)
            else _("Programme")
        )
        labels.append(_text(_short(f"{owner} · {name}", 48)))
    return _unique(labels)


def _unique(labels: list[str]) -> list[str]:
    """Category labels made distinct ("… (2)"), so two rows never share one line of a chart."""
    seen: dict[str, int] = {}
    result = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        result.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return result


def indicator_progress_spec(
    indicators: pd.DataFrame, subprojects: pd.DataFrame, chosen: pd.DataFrame | None = None
) -> dict:
    """Bullet chart: per indicator the progress made from baseline to target (bar, in % of the
    way), the progress expected by its newest period (diamond) and the target (100 %).
    ``chosen``: :func:`top_indicators`, when the caller has it already."""
    chosen = top_indicators(indicators) if chosen is None else chosen
    labels = _indicator_labels(chosen, subproject_labels(subprojects))
    statuses = chosen["status"].tolist()
    progresses = chosen["progress"].tolist()
    traces = []
    for code in INDICATOR_ORDER:
        own = [
            (label, value)
            for label, status, value in zip(labels, statuses, progresses, strict=True)
            if status == code
        ]
        if not own:
            continue
        own_labels = [label for label, _value in own]
        progress = [0.0 if pd.isna(p) else round(float(p) * 100, 1) for _label, p in own]
        traces.append(
            dict(
                type="bar",
                x=progress,
                y=own_labels,
                orientation="h",
                name=status_label(code),
                text=[
                    status_label(code)
                    if code == indicator_rules.NO_DATA
                    else f"{number_format(p)} %"
                    for p in progress
                ],
                textposition="auto",
                marker={
                    "color": code.colour,
                    "pattern": {
                        "shape": code.pattern,
                        "fgcolor": "#ffffff",
                        "fillmode": "overlay",
                    },
                    "line": {"color": INK, "width": 1},
                },
                width=0.5,
                hovertemplate="%{y}<br>"
                + _text(_("Progress"))
                + ": %{x} %<extra>"
                + _text(status_label(code))
                + "</extra>",
            )
        )
    measured = [
        (label, expected)
        for label, expected in zip(labels, chosen["expected"].tolist(), strict=True)
        if pd.notna(expected)
    ]
    traces.append(
        dict(
            type="scatter",
            x=[round(float(expected) * 100, 1) for _label, expected in measured],
            y=[label for label, _expected in measured],
            mode="markers",
            name=_("Expected by now"),
            marker={
                "symbol": "diamond",
                "size": 12,
                "color": INK,
                "line": {"color": "#fff", "width": 1},
            },
            hovertemplate="%{y}<br>" + _text(_("Expected")) + ": %{x} %<extra></extra>",
        )
    )
    return _figure(
        traces,
        layout=_base_layout(
            _limited_title(_("Indicators: progress towards target"), len(chosen), len(indicators)),
            height=140 + 30 * max(1, len(labels)),
            barmode="overlay",
            xaxis=_axis(
                _("Progress from baseline to target (%)"),
                ticksuffix=" %",
                range=[min(0, _floor(progresses)), max(110, _ceil(progresses))],
            ),
            yaxis=_axis(
                "",
                categoryorder="array",
                categoryarray=labels,
                autorange="reversed",
                showgrid=False,
            ),
            shapes=[
                {
                    "type": "line",
                    "xref": "x",
                    "yref": "paper",
                    "x0": 100,
                    "x1": 100,
                    "y0": 0,
                    "y1": 1,
                    "line": {"color": INK, "width": 2},
                }
            ],
            annotations=[
                {
                    "x": 100,
                    "y": 1,
                    "xref": "x",
                    "yref": "paper",
                    "yanchor": "bottom",
                    "text": _("target"),
                    "showarrow": False,
                    "font": {"size": 11},
                }
            ],
            legend={"orientation": "h", "y": -0.1, "yanchor": "top"},
        ),
    )


def _measured(values: list) -> list[float]:
    return [float(value) for value in values if pd.notna(value)]


def _floor(progresses: list) -> float:
    values = _measured(progresses)
    return min(values) * 100 - 10 if values else 0.0


def _ceil(progresses: list) -> float:
    values = _measured(progresses)
    return max(values) * 100 + 10 if values else 0.0


def _domain(low: float, high: float) -> list[float]:
    return [round(max(0.0, low), 4), round(min(1.0, high), 4)]


def indicator_trend_rows(indicators: pd.DataFrame, measurements: pd.DataFrame) -> list[dict]:
    """Per indicator, per measured period: the rolled-up actual value (sum, mean or last up to
    that period) and the value expected on the linear path from baseline to target at the end of
    that period. The trend chart and its table alternative both read these rows."""
    by_indicator = _group(measurements, "indicator_id", "period", "value")
    rows = []
    for indicator_id, direction, baseline, baseline_date, target, target_date, rollup in _columns(
        indicators,
        "id",
        "direction",
        "baseline_value",
        "baseline_date",
        "target_value",
        "target_date",
        "rollup",
    ):
        own = by_indicator.get(indicator_id)
        if own is None:
            continue
        facts = indicator_rules.IndicatorFacts(
            direction=direction,
            baseline_value=float(baseline),
            baseline_date=baseline_date,
            target_value=float(target),
            target_date=target_date,
            rollup=rollup,
        )
        values: list[float] = []
        for period, value in own:
            values.append(float(value))
            end = Quarter.parse(period).end
            expected = indicator_rules.expected_progress(facts, end)
            rows.append(
                {
                    "indicator_id": int(indicator_id),
                    "period": period,
                    "actual": indicator_rules.rolled_up(values, rollup),
                    "expected": facts.baseline_value
                    + expected * (facts.target_value - facts.baseline_value),
                }
            )
    return rows


def indicator_trend_spec(
    indicators: pd.DataFrame,
    measurements: pd.DataFrame,
    subprojects: pd.DataFrame,
    chosen: pd.DataFrame | None = None,
    points: list[dict] | None = None,
) -> dict:
    """Small multiples, one panel per indicator in its own unit: the rolled-up actual value per
    quarter (solid line, round markers), the expected trajectory from baseline to target (dashed)
    and the target (dotted). At most ``TREND_LIMIT`` panels, the most urgent indicators first
    (``chosen``: :func:`trend_indicators`, and ``points``: their :func:`indicator_trend_rows`,
    when the caller has them already)."""
    chosen = trend_indicators(indicators) if chosen is None else chosen
    if points is None:
        points = indicator_trend_rows(chosen, measurements)
    total = sum(status != indicator_rules.NO_DATA for status in indicators["status"].tolist())
    labels = _indicator_labels(chosen, subproject_labels(subprojects))
    grouped: dict[int, list[dict]] = {}
    for point in points:
        grouped.setdefault(point["indicator_id"], []).append(point)
    columns = 3 if len(chosen) > 4 else max(1, min(2, len(chosen)))
    panels = max(1, len(chosen))
    rows = (panels + columns - 1) // columns
    gap_x = 0.08
    gap_y = 80 / (230 * rows) if rows > 1 else 0.0
    width = (1 - gap_x * (columns - 1)) / columns
    height = (1 - gap_y * (rows - 1)) / rows
    layout = _base_layout(
        _limited_title(_("Indicator trends against the expected path"), len(chosen), total),
        height=80 + 230 * rows,
        showlegend=True,
        legend={"orientation": "h", "y": -0.12 if rows > 1 else -0.3, "yanchor": "top"},
        annotations=[],
    )
    traces = []
    facts = _columns(chosen, "id", "unit", "status", "target_value")
    for n, ((indicator_id, unit, status, target), label) in enumerate(
        zip(facts, labels, strict=True)
    ):
        suffix = "" if n == 0 else str(n + 1)
        col, line = n % columns, n // columns
        x0 = col * (width + gap_x)
        y1 = 1 - line * (height + gap_y)
        layout[f"xaxis{suffix}"] = _axis(
            "", domain=_domain(x0, x0 + width), anchor=f"y{suffix}", type="category", tickangle=-45
        )
        layout[f"yaxis{suffix}"] = _axis(
            _text(_short(unit, 20)), domain=_domain(y1 - height, y1), anchor=f"x{suffix}"
        )
        layout["annotations"].append(
            {
                "text": f"{label} · {_text(status_label(status))}",
                "x": x0,
                "y": y1,
                "xref": "paper",
                "yref": "paper",
                "xanchor": "left",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 12},
            }
        )
        own = grouped.get(int(indicator_id))
        if own is None:
            continue
        periods = [quarter_text(point["period"], short=True) for point in own]
        axes = {"xaxis": f"x{suffix}", "yaxis": f"y{suffix}"}
        traces.append(
            dict(
                type="scatter",
                x=periods,
                y=[point["actual"] for point in own],
                mode="lines+markers",
                line={"color": Tone.BLUE.colour, "width": 2},
                marker={"symbol": "circle", "size": 7},
                name=_("Actual (rolled up)"),
                legendgroup="actual",
                showlegend=n == 0,
                hovertemplate=f"{label}<br>%{{x}}: %{{y}}<extra></extra>",
                **axes,
            )
        )
        traces.append(
            dict(
                type="scatter",
                x=periods,
                y=[point["expected"] for point in own],
                mode="lines",
                line={"color": "#6b7480", "width": 2, "dash": "dash"},
                name=_("Expected path"),
                legendgroup="expected",
                showlegend=n == 0,
                hovertemplate=f"{label}<br>{_text(_('Expected'))} %{{x}}: %{{y}}<extra></extra>",
                **axes,
            )
        )
        traces.append(
            dict(
                type="scatter",
                x=[periods[0], periods[-1]],
                y=[float(target)] * 2,
                mode="lines",
                line={"color": INK, "width": 1, "dash": "dot"},
                name=_("Target"),
                legendgroup="target",
                showlegend=n == 0,
                hovertemplate=f"{label}<br>{_text(_('Target'))}: %{{y}}<extra></extra>",
                **axes,
            )
        )
    if not len(chosen):
        layout["xaxis"] = _axis("", visible=False)
        layout["yaxis"] = _axis("", visible=False)
        layout["annotations"].append(
            {
                "text": _("No measurements yet."),
                "showarrow": False,
                "x": 0.5,
                "y": 0.5,
                "xref": "paper",
                "yref": "paper",
            }
        )
    return _figure(traces, layout=layout)
