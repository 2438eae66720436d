"""Every chart of the reporting layer, listed once.

An entry says what a chart draws (its spec), the rows of the table that stands in for it (on the
dashboard under the chart, in the PDF when the chart cannot be drawn), which table that is
(``kind``), and where the chart appears: on the dashboard, and in which parts of the PDF. The
dashboard, the PDF, both templates and the tests all read this list, so adding a chart is a
spec in :mod:`.specs` and an entry here (README, "How to add a chart").
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pandas as pd

from tracker.indicators.status import IndicatorStatus
from tracker.reports.charts import specs
from tracker.reports.charts.svgkit import plain
from tracker.tables import records

# Sections of the dashboard a chart can be shown in.
GLANCE = "glance"  # "At a glance": counts beside each other
MATRIX = "matrix"
TIMELINE = "timeline"
INDICATORS = "indicators"

# Parts of the quarterly PDF a chart can be printed in.
SUMMARY = "summary"  # the management summary of a programme report: the whole programme
PROGRAMME = "programme"  # the chapter on the programme's own indicators
SUBPROJECT_MILESTONES = "subproject_milestones"  # a subproject's section, under its milestones
SUBPROJECT_INDICATORS = "subproject_indicators"  # a subproject's section, under its indicators
PDF_PARTS = (SUMMARY, PROGRAMME, SUBPROJECT_MILESTONES, SUBPROJECT_INDICATORS)


@dataclass(frozen=True)
class ChartData:
    """The frames a chart is drawn from, already narrowed to what it covers: the programme, its
    own indicators, or one subproject. ``subprojects`` always holds all of them (for labels)."""

    subprojects: pd.DataFrame
    milestones: pd.DataFrame
    indicators: pd.DataFrame
    measurements: pd.DataFrame
    overview: pd.DataFrame
    as_of: date
    # the indicators of the trend chart, where the caller chose them already
    chosen_trend: pd.DataFrame | None = None

    # The rows the charts with a row per item show, chosen once: a chart and its table (and
    # the dashboard's trend measurements) share them.

    @functools.cached_property
    def top_subprojects(self) -> pd.DataFrame:
        return specs.top_subprojects(self.overview)

    @functools.cached_property
    def top_milestones(self) -> pd.DataFrame:
        return specs.top_milestones(self.milestones)

    @functools.cached_property
    def top_indicators(self) -> pd.DataFrame:
        return specs.top_indicators(self.indicators)

    @functools.cached_property
    def trend_indicators(self) -> pd.DataFrame:
        if self.chosen_trend is not None:
            return self.chosen_trend
        return specs.trend_indicators(self.indicators)

    @functools.cached_property
    def trend_points(self) -> list[dict]:
        return specs.indicator_trend_rows(self.trend_indicators, self.measurements)

    # Likewise the counts and the municipality table, read by a chart's spec and its rows.

    @functools.cached_property
    def milestone_counts(self) -> dict:
        return specs.status_counts(self.milestones, "status", specs.MILESTONE_ORDER)

    @functools.cached_property
    def indicator_counts(self) -> dict:
        return specs.status_counts(self.indicators, "status", specs.INDICATOR_ORDER)

    @functools.cached_property
    def municipality_rows(self) -> list[dict]:
        return specs.municipality_rows(self.overview)


def _always(_data: ChartData) -> bool:
    return True


@dataclass(frozen=True)
class Chart:
    key: str
    kind: str  # the table the templates print for it: counts, rag, municipality, matrix, ...
    spec: Callable[[ChartData], dict]
    rows: Callable[[ChartData], list[dict]]
    dashboard: str | None = None  # the dashboard's section it is shown in, if any
    pdf: tuple[str, ...] = ()  # the parts of the PDF it is printed in
    # How many items the chart chose its rows from, where it shows only the most urgent.
    total: Callable[[ChartData], int] | None = None
    # The PDF leaves a chart out where it would have nothing to show.
    wanted: Callable[[ChartData], bool] = _always


def _count_rows(counts: dict) -> list[dict]:
    return [{"status": str(code), "count": n} for code, n in counts.items()]


def _rag_rows(data: ChartData) -> list[dict]:
    lead = specs.status_counts(data.overview, "lead_rag", specs.RAG_ORDER)
    computed = specs.status_counts(data.overview, "computed_rag", specs.RAG_ORDER)
    return [
        {"status": str(code), "lead": lead[code], "computed": computed[code]}
        for code in specs.RAG_ORDER
    ]


def _trend_rows(data: ChartData) -> list[dict]:
    chosen = data.trend_indicators
    names = dict(zip(chosen["id"].tolist(), chosen["name"].tolist(), strict=True))
    return [{**row, "indicator": names.get(row["indicator_id"], "")} for row in data.trend_points]


def _has_trend(data: ChartData) -> bool:
    return bool((data.indicators["status"] != IndicatorStatus.NO_DATA).any())


CHARTS = (
    Chart(
        key="milestone_status",
        kind="counts",
        spec=lambda d: specs.milestone_status_spec(d.milestones, d.milestone_counts),
        rows=lambda d: _count_rows(d.milestone_counts),
        dashboard=GLANCE,
        pdf=(SUMMARY,),
    ),
    Chart(
        key="indicator_status",
        kind="counts",
        spec=lambda d: specs.indicator_status_spec(d.indicators, d.indicator_counts),
        rows=lambda d: _count_rows(d.indicator_counts),
        dashboard=GLANCE,
        pdf=(SUMMARY,),
    ),
    Chart(
        key="rag",
        kind="rag",
        spec=lambda d: specs.rag_spec(d.overview),
        rows=_rag_rows,
        dashboard=GLANCE,
        pdf=(SUMMARY,),
    ),
    Chart(
        key="municipality",
        kind="municipality",
        spec=lambda d: specs.municipality_spec(d.overview, d.municipality_rows),
        rows=lambda d: d.municipality_rows,
        dashboard=GLANCE,
    ),
    Chart(
        key="rag_matrix",
        kind="matrix",
        spec=lambda d: specs.rag_matrix_spec(d.overview, d.top_subprojects),
        rows=lambda d: records(d.top_subprojects),
        dashboard=MATRIX,
        total=lambda d: len(d.overview),
    ),
    Chart(
        key="milestone_timeline",
        kind="timeline",
        spec=lambda d: specs.milestone_timeline_spec(
            d.milestones, d.subprojects, d.as_of, d.top_milestones
        ),
        rows=lambda d: records(d.top_milestones),
        dashboard=TIMELINE,
        pdf=(SUBPROJECT_MILESTONES,),
        total=lambda d: len(d.milestones),
        wanted=lambda d: len(d.milestones) > 0,
    ),
    Chart(
        key="indicator_progress",
        kind="progress",
        spec=lambda d: specs.indicator_progress_spec(d.indicators, d.subprojects, d.top_indicators),
        rows=lambda d: records(d.top_indicators),
        dashboard=INDICATORS,
        pdf=(PROGRAMME, SUBPROJECT_INDICATORS),
        total=lambda d: len(d.indicators),
        wanted=lambda d: len(d.indicators) > 0,
    ),
    Chart(
        key="indicator_trend",
        kind="trend",
        spec=lambda d: specs.indicator_trend_spec(
            d.indicators, d.measurements, d.subprojects, d.trend_indicators, d.trend_points
        ),
        rows=_trend_rows,
        dashboard=INDICATORS,
        pdf=(PROGRAMME, SUBPROJECT_INDICATORS),
        wanted=_has_trend,
    ),
)
BY_KEY = {chart.key: chart for chart in CHARTS}


def on_dashboard() -> list[Chart]:
    return [chart for chart in CHARTS if chart.dashboard]


def title(spec: dict) -> str:
    """A spec's title as plain text, for a caption or an alternative text."""
    text = (spec.get("layout") or {}).get("title") or {}
    return plain(text.get("text") if isinstance(text, dict) else text)


def in_pdf(part: str) -> list[Chart]:
    return [chart for chart in CHARTS if part in chart.pdf]
