"""The quarterly evaluation report as PDF: snapshot → report → Jinja HTML → WeasyPrint.

The HTML is rendered by the app's Jinja environment (autoescaping on, so text from users is
escaped), always in Dutch: the report is the programme's record. WeasyPrint gets one
:class:`~tracker.reports.fetcher.StaticOnlyFetcher` for the document and its stylesheet, and
``presentational_hints`` stays off. The PDF is tagged (PDF/UA-1). Charts are the registry's
(``tracker.reports.charts.registry``) Plotly figures, the dashboard's own, drawn as SVG; where
that fails the template prints the chart's rows as a table.
"""

from __future__ import annotations

import base64
import time
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime

import pandas as pd
from flask import current_app, has_request_context, render_template
from flask_babel import force_locale
from weasyprint import CSS, HTML

from tracker.quarters import Quarter
from tracker.reports import evaluation
from tracker.reports import snapshot as snapshots
from tracker.reports.charts import registry, svg
from tracker.reports.charts.alt import alt_text
from tracker.reports.fetcher import StaticOnlyFetcher

STYLESHEET = "css/report.css"
# Tagged PDF for accessibility (headings, tables, lists, figures with their alternative text,
# language, title): the report is a public body's document, which Dutch law wants accessible.
PDF_VARIANT = "pdf/ua-1"
CONCEPT = "concept"
FINAL = "vastgesteld"


@dataclass
class Approval:
    """The steering group's decision that approved the report, copied from the decision log:
    the cover says "approved by the steering group on <date>, decision: <text>"."""

    approved_on: date
    meeting: str
    decision_number: int
    decision: str
    meeting_id: int | None = None
    decision_id: int | None = None

    def as_json(self) -> dict:
        return {
            "approved_on": self.approved_on.isoformat(),
            "meeting": self.meeting,
            "decision_number": self.decision_number,
            "decision": self.decision,
            "meeting_id": self.meeting_id,
            "decision_id": self.decision_id,
        }

    @classmethod
    def from_json(cls, data: dict) -> Approval:
        return cls(**{**data, "approved_on": date.fromisoformat(data["approved_on"])})


@dataclass
class Closing:
    """Who set the report, when, which version it is and the approval it rests on: printed on
    the cover of a closed quarter's report. Kept in the archived snapshot as JSON."""

    closed_on: date
    closed_by: str
    version: int = 1
    approval: Approval | None = None

    def as_json(self) -> dict:
        return {
            "closed_on": self.closed_on.isoformat(),
            "closed_by": self.closed_by,
            "version": self.version,
            "approval": self.approval.as_json() if self.approval else None,
        }

    @classmethod
    def from_json(cls, data: dict) -> Closing:
        approval = data.get("approval")
        return cls(
            closed_on=date.fromisoformat(data["closed_on"]),
            closed_by=data.get("closed_by", ""),
            version=data.get("version", 1),
            approval=Approval.from_json(approval) if approval else None,
        )


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
class PrintedChart:
    key: str
    kind: str
    title: str
    svg_uri: str | None
    rows: list[dict]
    alt: str = ""  # the title, the quarter and the numbers, for screen readers
    legend: list[tuple[str, str]] = field(default_factory=list)  # (label, swatch data URI)


@dataclass
class ReportCharts:
    """The report's charts by the part of the report they are printed in."""

    summary: list[PrintedChart] = field(default_factory=list)
    programme: list[PrintedChart] = field(default_factory=list)
    milestones: dict[int, list[PrintedChart]] = field(default_factory=dict)  # per subproject
    indicators: dict[int, list[PrintedChart]] = field(default_factory=dict)

    def all(self) -> list[PrintedChart]:
        charts = [*self.summary, *self.programme]
        for part in (self.milestones, self.indicators):
            charts += [chart for own in part.values() for chart in own]
        return charts


def _svg_uri(svg_text: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg_text.encode("utf-8")).decode("ascii")


def _by_subproject(frame: pd.DataFrame) -> dict[int | None, pd.DataFrame]:
    """The frame's rows per subproject in one pass (``None``: the programme's own rows)."""
    positions: dict[int | None, list[int]] = {}
    for number, sid in enumerate(frame["subproject_id"].tolist()):
        positions.setdefault(None if pd.isna(sid) else int(sid), []).append(number)
    return {sid: frame.iloc[rows] for sid, rows in positions.items()}


def _placed(
    frames: dict[str, pd.DataFrame], report: evaluation.Report, as_of: date, whole: bool
) -> list[tuple[str, int | None, registry.ChartData]]:
    """Where the report prints charts, each with the data narrowed to what it covers: the
    summary and the programme's own indicators in a programme report (``whole``), and every
    subproject's section. The frames are split by subproject once, and the RAG overview is the
    one the report's evaluation already computed."""
    milestones = frames["milestones"]
    indicators = frames["indicators"]
    measurements = frames["measurements"]
    by = {name: _by_subproject(frames[name]) for name in ("milestones", "indicators")}
    by["measurements"] = _by_subproject(measurements)
    overview = pd.DataFrame(report.summary.rag_rows, columns=["lead_rag", "computed_rag"])

    def scoped(sid: int | None, **frames_of) -> registry.ChartData:
        own = {
            name: by[name].get(sid, frame.iloc[0:0])
            for name, frame in (
                ("milestones", milestones),
                ("indicators", indicators),
                ("measurements", measurements),
            )
        }
        own.update(frames_of)
        return registry.ChartData(
            subprojects=frames["subprojects"], overview=overview, as_of=as_of, **own
        )

    places = []
    if whole:
        everything = {"milestones": milestones, "indicators": indicators}
        places.append((registry.SUMMARY, None, scoped(None, **everything)))
        places.append((registry.PROGRAMME, None, scoped(None, measurements=measurements)))
    for section in report.sections:
        sid = int(section.subproject["id"])
        data = scoped(sid)
        places.append((registry.SUBPROJECT_MILESTONES, sid, data))
        places.append((registry.SUBPROJECT_INDICATORS, sid, data))
    return places


def _chart_key(chart: registry.Chart, part: str, sid: int | None) -> str:
    if sid is not None:
        return f"{chart.key}_{sid}"
    return chart.key if part == registry.SUMMARY else f"{part}_{chart.key}"


def _print(
    frames: dict[str, pd.DataFrame],
    report: evaluation.Report,
    as_of: date,
    whole: bool,
    enabled: bool,
) -> ReportCharts:
    """Every chart of the registry where the report prints it: drawn as SVG, or (where it
    cannot be drawn, or charts are off) its rows for the table the template prints instead."""
    wanted = [
        (part, sid, chart, data, chart.spec(data))
        for part, sid, data in _placed(frames, report, as_of, whole)
        for chart in registry.in_pdf(part)
        if chart.wanted(data)
    ]
    drawn = svg.drawings(
        {_chart_key(chart, part, sid): spec for part, sid, chart, _d, spec in wanted},
        enabled=enabled,
    )
    charts = ReportCharts()
    for part, sid, chart, data, spec in wanted:
        key = _chart_key(chart, part, sid)
        drawing = drawn.get(key)
        rows = chart.rows(data)
        printed = PrintedChart(
            key=key,
            kind=chart.kind,
            title=registry.title(spec),
            svg_uri=_svg_uri(drawing.plot) if drawing else None,
            rows=rows,
            alt=alt_text(registry.title(spec), chart.kind, rows, Quarter.of(as_of)),
            legend=[(item.label, _svg_uri(item.swatch)) for item in drawing.legend]
            if drawing
            else [],
        )
        if part == registry.SUMMARY:
            charts.summary.append(printed)
        elif part == registry.PROGRAMME:
            charts.programme.append(printed)
        elif part == registry.SUBPROJECT_MILESTONES:
            charts.milestones.setdefault(sid, []).append(printed)
        else:
            charts.indicators.setdefault(sid, []).append(printed)
    return charts


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
        first = Quarter.of(date.fromisoformat(snapshot["programme"]["start_date"]))
        report = evaluation.build(frames, quarter, subproject_id, first)
        timings.data += time.perf_counter() - started
        started = time.perf_counter()
        charts = _print(
            frames,
            report,
            date.fromisoformat(snapshot["as_at"]),
            whole=subproject_id is None,
            enabled=current_app.config.get("REPORT_CHARTS", True),
        )
        timings.charts += time.perf_counter() - started
        printed = charts.all()
        timings.chart_count = len(printed)
        timings.charts_drawn = sum(1 for c in printed if c.svg_uri)
        started = time.perf_counter()
        subproject = report.sections[0].subproject if subproject_id is not None else None
        html = render_template(
            "reports/pdf/report.html",
            programme=snapshot["programme"],
            quarter=quarter,
            as_at=date.fromisoformat(snapshot["as_at"]),
            made_on=date.fromisoformat(snapshot["made_on"]),
            read_at=_read_at(snapshot),
            programme_start=date.fromisoformat(snapshot["programme"]["start_date"]),
            programme_end=date.fromisoformat(snapshot["programme"]["end_date"]),
            report=report,
            subproject=subproject,
            charts=charts,
            state=state,
            closing=closing,
            stylesheet=STYLESHEET,
        )
        timings.html += time.perf_counter() - started
    return html


def _read_at(snapshot: dict) -> datetime | None:
    """When the data were read (snapshots archived before this was recorded lack it)."""
    read_at = snapshot.get("read_at")
    return datetime.fromisoformat(read_at) if read_at else None


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


def build_pdf(
    snapshot: dict,
    *,
    subproject_id: int | None = None,
    state: str = CONCEPT,
    closing: Closing | None = None,
    timings: Timings | None = None,
) -> bytes:
    """The report's PDF, made now: seconds of WeasyPrint, so call it from a job (see
    :mod:`tracker.reports.store`, which builds each report once and keeps it)."""
    with _request_context():
        html = render_html(
            snapshot, subproject_id=subproject_id, state=state, closing=closing, timings=timings
        )
    return html_to_pdf(html, timings)


def file_name(quarter: Quarter, subproject_code: str | None = None) -> str:
    """E.g. ``kwartaalrapportage-2026-Q3-DP1.pdf``: ASCII, no user text beyond a code."""
    suffix = f"-{_safe(subproject_code)}" if subproject_code else ""
    return f"kwartaalrapportage-{quarter}{suffix}.pdf"


def withdrawn_file_name(quarter: Quarter, row) -> str:
    """E.g. ``kwartaalrapportage-2026-Q3-versie-1-ingetrokken.pdf``."""
    return f"kwartaalrapportage-{quarter}-versie-{int(row.report_version)}-ingetrokken.pdf"


def _safe(text: str) -> str:
    return "".join(c for c in text if c.isalnum() or c in "-_")[:20] or "deelproject"
