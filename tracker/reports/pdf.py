"""The quarterly evaluation report as PDF: snapshot → report → Jinja HTML → WeasyPrint.

The HTML is rendered by the app's Jinja environment (autoescaping on, so text from users is
escaped), always in Dutch: the report is the programme's record. WeasyPrint gets one
:class:`~tracker.reports.fetcher.StaticOnlyFetcher` for the document and its stylesheet, and
``presentational_hints`` stays off. The PDF is tagged (PDF/UA-1). Charts are the dashboard's
Plotly figures drawn as SVG; where that fails the template prints the same numbers as a table.
"""

from __future__ import annotations

import base64
import hashlib
import threading
import time
from collections import OrderedDict
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
from flask import current_app, has_request_context, render_template
from flask_babel import force_locale
from weasyprint import CSS, HTML

from tracker.quarters import Quarter
from tracker.reports import data as report_data
from tracker.reports import evaluation
from tracker.reports import snapshot as snapshots
from tracker.reports.charts import specs as figures
from tracker.reports.charts import svg
from tracker.reports.fetcher import StaticOnlyFetcher

STYLESHEET = "css/report.css"
# Tagged PDF for accessibility (headings, tables, lists, figures with their alternative text,
# language, title): the report is a public body's document, which Dutch law wants accessible.
PDF_VARIANT = "pdf/ua-1"
CONCEPT = "concept"
FINAL = "vastgesteld"


@dataclass
class Closing:
    """Who set the report and when: printed on the cover of a closed quarter's report."""

    closed_on: date
    closed_by: str


@dataclass
class Timings:
    """Seconds spent per stage of the last build, for the benchmark."""

    data: float = 0.0
    charts: float = 0.0
    html: float = 0.0
    weasyprint: float = 0.0
    chart_count: int = 0
    charts_drawn: int = 0
    pages: int = 0
    refused: list[str] = field(default_factory=list)


@dataclass
class Chart:
    key: str
    kind: str
    title: str
    svg_uri: str | None
    rows: list[dict]
    legend: list[tuple[str, str]] = field(default_factory=list)  # (label, swatch data URI)


def _svg_uri(svg_text: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg_text.encode("utf-8")).decode("ascii")


def _figures_for(
    frames: dict[str, pd.DataFrame], report: evaluation.Report, subproject_id: int | None
) -> dict[str, tuple[str, dict, list[dict]]]:
    """Every chart of the report as (kind, figure, table rows for the fallback).

    The figures are the dashboard's own definitions in their plain-dict form (``*_spec``): the
    validated ``*_figure`` wrappers give the same picture but cost more than drawing it.
    """
    subprojects = frames["subprojects"]
    milestones = frames["milestones"]
    indicators = frames["indicators"]
    measurements = frames["measurements"]
    if subproject_id is not None:
        subprojects = subprojects[subprojects["id"] == subproject_id]
        milestones = milestones[milestones["subproject_id"] == subproject_id]
        indicators = indicators[indicators["subproject_id"] == subproject_id]
        measurements = measurements[measurements["subproject_id"] == subproject_id]
    result: dict[str, tuple[str, dict, list[dict]]] = {}
    if subproject_id is None:
        lead = {int(s.subproject["id"]): s.lead_rag for s in report.sections if s.lead_rag}
        overview = report_data.overview_from(subprojects, milestones, indicators, lead)
        result["milestone_status"] = (
            "counts",
            figures.milestone_status_spec(milestones),
            _count_rows(figures.status_counts(milestones, "status", figures.MILESTONE_ORDER)),
        )
        result["indicator_status"] = (
            "counts",
            figures.indicator_status_spec(indicators),
            _count_rows(figures.status_counts(indicators, "status", figures.INDICATOR_ORDER)),
        )
        result["rag"] = ("rag", figures.rag_spec(overview), report.summary.rag_rows)
        programme_level = indicators[indicators["subproject_id"].isna()]
        if len(programme_level):
            result["programme_progress"] = (
                "progress",
                figures.indicator_progress_spec(programme_level, subprojects),
                evaluation.records(programme_level),
            )
            result["programme_trend"] = _trend(programme_level, measurements, subprojects)
    for section in report.sections:
        sid = int(section.subproject["id"])
        own = indicators[indicators["subproject_id"] == sid]
        if not len(own):
            continue
        result[f"progress_{sid}"] = (
            "progress",
            figures.indicator_progress_spec(own, subprojects),
            evaluation.records(own),
        )
        if (own["status"] != "no_data").any():
            result[f"trend_{sid}"] = _trend(own, measurements, subprojects)
    return result


def _trend(indicators, measurements, subprojects):
    names = dict(zip(indicators["id"], indicators["name"], strict=True))
    rows = [
        {**row, "indicator": names.get(row["indicator_id"], "")}
        for row in figures.indicator_trend_rows(indicators, measurements)
    ]
    return ("trend", figures.indicator_trend_spec(indicators, measurements, subprojects), rows)


def _count_rows(counts: dict[str, int]) -> list[dict]:
    return [{"status": code, "count": n} for code, n in counts.items()]


def _draw(figs: dict[str, tuple[str, dict, list[dict]]], enabled: bool) -> dict[str, Chart]:
    drawn = svg.drawings(
        {key: figure for key, (_kind, figure, _rows) in figs.items()}, enabled=enabled
    )
    result = {}
    for key, (kind, figure, rows) in figs.items():
        drawing = drawn.get(key)
        result[key] = Chart(
            key=key,
            kind=kind,
            title=svg.plain(figure["layout"].get("title", {}).get("text", "")),
            svg_uri=_svg_uri(drawing.plot) if drawing else None,
            rows=rows,
            legend=[(item.label, _svg_uri(item.swatch)) for item in drawing.legend]
            if drawing
            else [],
        )
    return result


def render_html(
    snapshot: dict,
    *,
    subproject_id: int | None = None,
    state: str = CONCEPT,
    closing: Closing | None = None,
    timings: Timings | None = None,
) -> str:
    """The report's HTML, in Dutch. Call inside an app context."""
    timings = timings or Timings()
    started = time.perf_counter()
    quarter = Quarter.parse(snapshot["quarter"])
    frames = snapshots.frames(snapshot)
    with force_locale("nl"):
        report = evaluation.build(frames, quarter, subproject_id)
        timings.data += time.perf_counter() - started
        started = time.perf_counter()
        figs = _figures_for(frames, report, subproject_id)
        chart_map = _draw(figs, current_app.config.get("REPORT_CHARTS", True))
        timings.charts += time.perf_counter() - started
        timings.chart_count = len(chart_map)
        timings.charts_drawn = sum(1 for c in chart_map.values() if c.svg_uri)
        started = time.perf_counter()
        subproject = report.sections[0].subproject if subproject_id is not None else None
        html = render_template(
            "reports/pdf/report.html",
            programme=snapshot["programme"],
            quarter=quarter,
            as_at=date.fromisoformat(snapshot["as_at"]),
            made_on=date.fromisoformat(snapshot["made_on"]),
            programme_start=date.fromisoformat(snapshot["programme"]["start_date"]),
            programme_end=date.fromisoformat(snapshot["programme"]["end_date"]),
            report=report,
            subproject=subproject,
            charts=chart_map,
            state=state,
            closing=closing,
            stylesheet=STYLESHEET,
        )
        timings.html += time.perf_counter() - started
    return html


def html_to_pdf(html: str, timings: Timings | None = None) -> bytes:
    """WeasyPrint with the static-only fetcher; nothing else can be fetched."""
    timings = timings or Timings()
    started = time.perf_counter()
    fetcher = StaticOnlyFetcher(current_app.static_folder)
    document = HTML(string=html, base_url=fetcher.base_url, url_fetcher=fetcher).render(
        stylesheets=[CSS(string="@page { size: A4; }", url_fetcher=fetcher)],
        presentational_hints=False,
        pdf_variant=PDF_VARIANT,
    )
    pdf = document.write_pdf(pdf_variant=PDF_VARIANT)
    timings.weasyprint += time.perf_counter() - started
    timings.pages = len(document.pages)
    timings.refused = list(fetcher.refused)
    return pdf


def _request_context():
    """render_template's context processors need a request; the CLI and benchmark have none."""
    if has_request_context():
        return nullcontext()
    return current_app.test_request_context("/")


class _RecentPDFs:
    """The last PDFs this process made, keyed by the SHA-256 of their HTML.

    Before a steering-group meeting many members download the same report within minutes; the
    HTML holds every number, text and chart of it, so the same HTML is the same report and
    WeasyPrint's seconds need not be spent again. Any change in the data changes the HTML, so a
    kept PDF can never show outdated numbers. Bounded by size; per process (a worker that has
    not made it yet simply makes it).
    """

    def __init__(self, max_bytes: int = 32 * 1024 * 1024):
        self.max_bytes = max_bytes
        self._items: OrderedDict[str, bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            body = self._items.get(key)
            if body is not None:
                self._items.move_to_end(key)
            return body

    def put(self, key: str, body: bytes) -> None:
        with self._lock:
            if key in self._items:
                return
            self._items[key] = body
            self._size += len(body)
            while self._size > self.max_bytes and self._items:
                self._size -= len(self._items.popitem(last=False)[1])

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._size = 0


recent_pdfs = _RecentPDFs()


def build_pdf(
    snapshot: dict,
    *,
    subproject_id: int | None = None,
    state: str = CONCEPT,
    closing: Closing | None = None,
    timings: Timings | None = None,
) -> bytes:
    with _request_context():
        html = render_html(
            snapshot, subproject_id=subproject_id, state=state, closing=closing, timings=timings
        )
    key = hashlib.sha256(html.encode("utf-8")).hexdigest()
    body = recent_pdfs.get(key)
    if body is None:
        body = html_to_pdf(html, timings)
        recent_pdfs.put(key, body)
    return body


def file_name(programme_name: str, quarter: Quarter, subproject_code: str | None = None) -> str:
    """E.g. ``kwartaalrapportage-2026-Q3-DP1.pdf``: ASCII, no user text beyond a code."""
    suffix = f"-{_safe(subproject_code)}" if subproject_code else ""
    return f"kwartaalrapportage-{quarter}{suffix}.pdf"


def _safe(text: str) -> str:
    return "".join(c for c in text if c.isalnum() or c in "-_")[:20] or "deelproject"
