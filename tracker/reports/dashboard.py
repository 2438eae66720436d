"""The steering group's dashboard: where the programme stands, what slipped, what is asked.

Every number comes from the features' queries (``tracker.*.queries``) and every chart from the
chart registry (``tracker.reports.charts.registry``), which the quarterly PDF reads too. A
request runs a fixed number of queries whatever the programme's size; charts with a row per item
show the most urgent rows and say so, counts are never cut.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import plotly.io as pio
from flask import Blueprint, current_app, render_template, request, send_from_directory
from flask_login import current_user, login_required
from markupsafe import Markup

from tracker import timeutil
from tracker.audit import queries as audit_queries
from tracker.i18n import locale_name
from tracker.indicators import queries as indicator_queries
from tracker.milestones import queries as milestone_queries
from tracker.projects import current
from tracker.projects import queries as project_queries
from tracker.projects.views import empty_page
from tracker.quarters import Quarter, quarter_range
from tracker.reports import filters as dashboard_filters
from tracker.reports import fragments
from tracker.reports.changes import changes_since
from tracker.reports.charts import registry, specs
from tracker.steering import attention
from tracker.steering import queries as steering_queries
from tracker.steering.rules import Tolerances
from tracker.tables import records

bp = Blueprint("dashboard", __name__)
bp.record_once(lambda state: fragments.init_app(state.app))

# plotly.js's basic bundle (the bar, scatter and pie traces; the charts use bar and scatter),
# vendored from npm at the plotly.js version of the installed plotly package: a quarter of the
# full library's 4.7 MB. tests/reports/test_plotly_bundle.py checks version and trace types.
PLOTLY_DIR = Path(__file__).resolve().parents[2] / "static" / "vendor" / "plotly.js-basic-dist-min"
PLOTLY_FILE = "plotly-basic.min.js"
PLOTLY_VERSION = json.loads((PLOTLY_DIR / "package.json").read_text())["version"]
ONE_YEAR = 365 * 24 * 3600


def figure_json(spec: dict) -> Markup:
    """A figure as JSON for a ``<script type="application/json">`` block.

    ``plotly.io.to_json`` writes ``<``, ``>`` and ``/`` as ``\\u`` escapes, so no text from the
    data can close the script element; that makes the output safe to mark as markup.
    """
    text = _plain_json(spec)
    if text is None:
        text = pio.to_json(spec, validate=False, pretty=False)
    return Markup(text.replace("&", "\\u0026").replace("'", "\\u0027"))  # noqa: S704  # nosec B704


# What plotly.io.to_json (its "json" engine) writes in place of the characters that could end a
# script element.
_SCRIPT_SAFE = (("<", "\\u003c"), (">", "\\u003e"), ("/", "\\u002f"))


def _plain_json(spec: dict) -> str | None:
    """``plotly.io.to_json(spec)`` for a spec of plain values and dates, in a tenth of its time,
    or None for anything else (then plotly.io.to_json writes it).

    Plotly's encoder offers each date to nine converters in turn, and re-reads and re-writes
    the whole text where it might hold NaN or Infinity; the specs hold neither NaN nor anything
    but lists, dicts, numbers, text and dates. tests/reports/test_figure_json.py holds the two
    to the same text."""
    if any("uid" in trace for trace in spec.get("data", ())):
        return None  # plotly.io.to_json drops the traces' uids
    try:
        text = json.dumps(spec, separators=(",", ":"), default=_iso_date)
    except TypeError:
        return None
    if "NaN" in text or "Infinity" in text:
        return None
    for unsafe, escaped in _SCRIPT_SAFE:
        text = text.replace(unsafe, escaped)
    return text


def _iso_date(value: object) -> str:
    if type(value) is date or type(value) is datetime:
        return value.isoformat()
    raise TypeError(f"not plain: {type(value).__name__}")


@dataclass
class ShownChart:
    """A chart as the dashboard shows it: plotly's JSON, and the table under it."""

    key: str
    kind: str
    title: str
    json: Markup
    rows: list[dict]
    total: int | None


def collect(programme: dict, quarter: Quarter, today: date, scope: list[int] | None, subprojects):
    """Everything the dashboard shows for one programme, quarter and set of subprojects."""
    programme_id = programme["id"]
    as_of = dashboard_filters.as_of(quarter, today)
    scoped = subprojects if scope is None else subprojects[subprojects["id"].isin(scope)]
    milestones = milestone_queries.milestones(programme_id, as_of, scope)
    history = indicator_queries.measurement_history(programme_id, quarter, scope)
    indicators = indicator_queries.indicators(programme_id, quarter, scope, history=history)
    overview = project_queries.overview_from(
        scoped,
        milestones,
        indicators,
        project_queries.lead_rags(programme_id, quarter),
        with_counts=False,
    )
    tolerances = Tolerances(
        int(programme["tolerance_slip_days"]), int(programme["tolerance_points"])
    )
    needs = attention.collect(
        programme_id, quarter, as_of, scope, overview, milestones, indicators, tolerances, history
    )
    meeting = steering_queries.previous_meeting(programme_id, as_of)
    changes = changes_since(programme_id, meeting["held_on"], as_of, scope) if meeting else None
    # only the charted indicators' measurements: a handful of rows at any programme size
    trend = specs.trend_indicators(indicators)
    trend_ids = trend["id"].tolist()
    computed_ids = trend.loc[trend["aggregation"].notna(), "id"].tolist()
    chart_data = registry.ChartData(
        subprojects=subprojects,
        milestones=milestones,
        indicators=indicators,
        measurements=indicator_queries.indicator_measurements(trend_ids, quarter, computed_ids),
        overview=overview,
        as_of=as_of,
        chosen_trend=trend,
    )
    return {
        "as_of": as_of,
        "attention": needs,
        "counts": {
            "milestones": chart_data.milestone_counts,
            "indicators": chart_data.indicator_counts,
            "computed_rag": specs.status_counts(overview, "computed_rag", specs.RAG_ORDER),
            "rag_differs": int(overview["rag_differs"].sum()) if len(overview) else 0,
            "decisions": needs.requests.total,
            "subprojects": len(overview),
        },
        "sections": _sections(chart_data),
        "meeting": meeting,
        "changes": changes,
        "labels": specs.subproject_labels(subprojects),
    }


def _sections(chart_data: registry.ChartData) -> dict[str, list[ShownChart]]:
    """The registry's dashboard charts by the section they are shown in, in registry order."""
    sections: dict[str, list[ShownChart]] = {}
    for chart in registry.on_dashboard():
        spec = chart.spec(chart_data)
        sections.setdefault(chart.dashboard, []).append(
            ShownChart(
                key=chart.key,
                kind=chart.kind,
                title=registry.title(spec),
                json=figure_json(spec),
                rows=chart.rows(chart_data),
                total=chart.total(chart_data) if chart.total else None,
            )
        )
    return sections


@bp.route("/dashboard")
@login_required
def dashboard():
    today = timeutil.today()
    programme_rows = project_queries.programmes()
    if not programme_rows:
        return empty_page()
    filters = dashboard_filters.parse_programme(
        request.args, [row["id"] for row in programme_rows], current.remembered_id()
    )
    dashboard_filters.parse_quarter(request.args, filters, today)
    programme_id = filters.programme_id or min(row["id"] for row in programme_rows)
    if "programme" in request.args and "programme" not in filters.errors:
        current.remember(programme_id)
    programme = next(row for row in programme_rows if row["id"] == programme_id)
    subprojects = project_queries.subprojects(programme_id)
    subproject_rows = records(subprojects)
    pairs = [(row["id"], row["municipality_id"]) for row in subproject_rows]
    if "programme" not in filters.errors:
        dashboard_filters.parse_scope(request.args, filters, pairs)
    quarters = quarter_range(
        Quarter.of(programme["start_date"]),
        min(Quarter.of(today), Quarter.of(programme["end_date"])),
    )
    context = {
        "programmes": programme_rows,
        "programme": programme,
        "filters": filters,
        "raw": {name: request.args.get(name, "") for name in dashboard_filters.FIELDS},
        "subprojects": subproject_rows,
        "municipality_options": sorted(
            {(row["municipality_id"], row["municipality"]) for row in subproject_rows},
            key=lambda pair: pair[1],
        ),
        "quarters": list(reversed(quarters)) or [Quarter.of(today)],
        "plotly_version": PLOTLY_VERSION,
    }
    if filters.errors:
        return render_template("reports/dashboard.html", board=None, **context), 400
    scope = dashboard_filters.scope_ids(filters, pairs)
    board = fragments.Deferred(
        lambda: collect(programme, filters.quarter, today, scope, subprojects)
    )
    return render_template(
        "reports/dashboard.html",
        board=board,
        board_key=board_key(programme_id, filters, today),
        **context,
    )


def board_key(
    programme_id: int, filters: dashboard_filters.Filters, today: date
) -> fragments.Versioned:
    """What the dashboard's board (all below the filters) depends on, as its cache key: the
    view and the data (:mod:`tracker.reports.fragments`). A board made from older data is
    served for ``DASHBOARD_GRACE_SECONDS`` after it was made, except to whoever changed
    something since."""
    return fragments.Versioned.now(
        (
            "dashboard",
            programme_id,
            tuple(sorted(filters.query().items())),
            today,
            locale_name(),
            current_user.role,
        ),
        audit_queries.data_version(),
        current_app.config["DASHBOARD_GRACE_SECONDS"],
    )


@bp.route("/dashboard/plotly-<version>.min.js")
def plotly_js(version: str):
    """plotly.js from the app's own copy: no CDN, works offline. The version in the URL changes
    with the bundle, so browsers may keep the file for a year. Sent gzipped from a file
    compressed once (``plotly-basic.min.js.gz``, 0.4 MB instead of 1.2) to every browser that
    accepts gzip, so no worker compresses it per request."""
    if request.accept_encodings.quality("gzip") > 0:
        response = send_from_directory(PLOTLY_DIR, PLOTLY_FILE + ".gz", max_age=ONE_YEAR)
        response.headers["Content-Encoding"] = "gzip"
        response.mimetype = "text/javascript"
    else:
        response = send_from_directory(PLOTLY_DIR, PLOTLY_FILE, max_age=ONE_YEAR)
    response.headers["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
    response.vary.add("Accept-Encoding")
    return response
