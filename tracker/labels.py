"""Interface labels for stored codes (roles, kinds, states), translated through Flask-Babel.

Statuses carry their own labels (``tracker.vocabulary``); this module only finds the member a
stored status code stands for, so templates never keep a table of their own.
"""

import functools
from datetime import datetime

from babel.dates import get_month_names
from flask_babel import to_user_timezone
from markupsafe import Markup

from tracker.fields import field_text
from tracker.i18n import (
    _missing,
    current_language,
    date_format,
    locale_name,
    ngettext,
    number_format,
)
from tracker.i18n import gettext as _
from tracker.i18n import lazy_gettext as _l
from tracker.indicators import freshness
from tracker.indicators.status import IndicatorStatus
from tracker.milestones.status import MilestoneStatus, SlipKind
from tracker.projects.status import Rag
from tracker.quarters.display import quarter_text
from tracker.season.status import SubmissionState
from tracker.steering.status import DecisionStatus, RequestAnswer
from tracker.vocabulary import NoStatus, RichStrEnum

# The kinds of status a template names: ``status_badge(m.status, "milestone")``.
STATUS_KINDS: dict[str, type[RichStrEnum]] = {
    "milestone": MilestoneStatus,
    "indicator": IndicatorStatus,
    "rag": Rag,
    "decision": DecisionStatus,
    "answer": RequestAnswer,
    "submission": SubmissionState,
}

ROLE_LABELS = {
    "admin": _l("Application manager"),
    "manager": _l("Programme manager"),
    "steering": _l("Steering group member"),
    "lead": _l("Subproject lead"),
}

ACTION_STATE_LABELS = {
    "planned": _l("Planned"),
    "running": _l("Running"),
    "done": _l("Done"),
    "cancelled": _l("Cancelled"),
}

ORGANISATION_KIND_LABELS = {
    "school_vmbo": _l("School (vmbo)"),
    "school_mbo": _l("School (mbo)"),
    "school_hbo": _l("School (hbo)"),
    "company": _l("Company"),
    "government": _l("Municipality or government"),
    "knowledge_institute": _l("Knowledge institute"),
    "intermediary": _l("Intermediary"),
    "technet_circle": _l("TechNet circle"),
}

ORGANISATION_SECTOR_LABELS = {
    "industry": _l("Engineering and industry"),
    "construction": _l("Construction and installation"),
    "ict": _l("ICT"),
    "care_technology": _l("Care technology"),
    "agrifood": _l("Agri and food"),
    "logistics": _l("Logistics"),
    "maritime": _l("Maritime"),
    "energy": _l("Energy"),
    "other": _l("Other"),
}

EVENT_KIND_LABELS = {
    "meeting": _l("Gathering"),
    "guest_lesson": _l("Guest lesson"),
    "company_visit": _l("Company visit"),
    "open_day": _l("Open day"),
    "technet_meeting": _l("TechNet circle meeting"),
    "workshop_day": _l("Workshop day"),
}

EDUCATION_LEVEL_LABELS = {"vmbo": "vmbo", "mbo": "mbo", "hbo": "hbo"}

COUNTED_FROM_LABELS = {
    "companies_attending": _l("Distinct companies that attended an event in the quarter"),
    "organisations_attending": _l("Distinct organisations that attended an event in the quarter"),
    "pupils_reached": _l("Pupils and students reached at guest lessons in the quarter"),
}


def counted_rule(rule: str, municipality: str | None = None) -> str:
    """How a counted indicator is counted, naming the municipality it is limited to."""
    label = str(COUNTED_FROM_LABELS[rule])
    if not municipality:
        return label
    return _("%(rule)s, only in %(municipality)s", rule=label, municipality=municipality)


def clause(text: str | None) -> str:
    """Someone's free text set inside a sentence of ours ("reden: …, door …"): without the full
    stop it may end with, which would read "…lijst., door"."""
    return (text or "").strip().rstrip(".").rstrip()


def count_adjusted(value, counted, reason: str, by: str | None, at) -> str:
    """A counted value set by hand, said the same way on every page, in the PDF and the
    exports: the value, the count it replaces, why, by whom and on which day."""
    return _(
        "Adjusted: %(value)s (counted: %(counted)s), reason: %(reason)s, by %(name)s, on %(date)s",
        value=number_format(value),
        counted=number_format(counted),
        reason=clause(reason),
        name=by or "–",
        date=_day_of(at),
    )


def _day_of(moment) -> str:
    """The local day of a stored UTC moment; a snapshot holds it as ISO text."""
    if _missing(moment):
        return "–"
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return date_format(to_user_timezone(moment).date())


DIRECTION_LABELS = {"up": _l("Higher is better"), "down": _l("Lower is better")}
ROLLUP_LABELS = {"sum": _l("Sum"), "mean": _l("Mean"), "last": _l("Last value")}
FREQUENCY_LABELS = {
    freshness.QUARTERLY: _l("Every quarter"),
    freshness.HALF_YEARLY: _l("Every half year"),
    freshness.YEARLY: _l("Once a year"),
}


def month_name(month: int) -> str:
    """The month's name in the interface language: "april"."""
    return get_month_names("wide", locale=locale_name())[month]


def expected_label(frequency: str, publication_month) -> str:
    """How often a new value is expected: "elk kwartaal", "elk jaar in april"."""
    if frequency == freshness.YEARLY and not _missing(publication_month):
        return _("every year in %(month)s", month=month_name(int(publication_month)))
    if frequency == freshness.HALF_YEARLY:
        return _("every half year")
    if frequency == freshness.YEARLY:
        return _("every year")
    return _("every quarter")


def stale_note(row) -> str:
    """Why a value is flagged "Verouderd": its newest period, the expected frequency and the
    date by which the next value was due. Empty for a fresh value, and for a row of a report
    archived before freshness was judged."""
    since = row.get("stale_since")
    if _missing(since):
        return ""
    expected = expected_label(row.get("frequency"), row.get("publication_month"))
    latest = row.get("latest_period")
    if _missing(latest) or not latest:
        return _(
            "no value since the baseline of %(date)s, expected %(expected)s (due %(due)s)",
            date=date_format(row.get("baseline_date")),
            expected=expected,
            due=date_format(since),
        )
    return _(
        "last value %(period)s, expected %(expected)s (due %(due)s)",
        period=quarter_text(latest),
        expected=expected,
        due=date_format(since),
    )


# What the value rolled up over the quarters is, beside the number: "62,5 gemiddelde".
ROLLED_UP_NAMES = {"sum": _l("total"), "mean": _l("average"), "last": _l("latest")}


def rolled_up_name(rollup: object) -> str:
    """ "total", "average" or "latest": what an indicator's rolled-up value is."""
    return str(ROLLED_UP_NAMES.get(rollup, "")) if isinstance(rollup, str) else ""


def status_of(code: object, kind: str) -> RichStrEnum:
    """The member a stored code of ``kind`` stands for, or ``NoStatus.NONE`` where there is
    none (no quarterly update, NaN from a frame, the "none" bucket of a count), so a page
    always has a label, symbol and tone to show."""
    return STATUS_KINDS[kind].get(code) or NoStatus.NONE


def any_status(code: object) -> RichStrEnum:
    """``status_of`` for callers that hold a code without its kind (chart labels). A code
    shared by two kinds (on_track, at_risk) is told the same way in both; tests hold them to it."""
    for kind in STATUS_KINDS.values():
        member = kind.get(code)
        if member is not None:
            return member
    return NoStatus.NONE


def status_badge(code: object, kind: str | None = None) -> Markup:
    """A status as its symbol, label and tone: ``status_badge(m.status, "milestone")`` in a
    template. ``kind`` is a key of :data:`STATUS_KINDS`; no status at all shows as unknown."""
    status = status_of(code, kind) if kind else any_status(code)
    language = current_language()
    if language is None:
        return _badge(status)
    return _remembered_badge(type(status), status.value, language.translations)


@functools.lru_cache(maxsize=1024)
def _remembered_badge(enum: type[RichStrEnum], code: str, translations) -> Markup:
    """:func:`_badge` kept per status and the translations its label comes from (made while
    they are the current ones): a page shows hundreds of badges of a dozen kinds."""
    return _badge(enum(code))


def _badge(status: RichStrEnum) -> Markup:
    return Markup('<span class="badge {}"><span aria-hidden="true">{}</span> {}</span>').format(
        status.css_class, status.symbol, status.label
    )


def slip_label(code: object) -> str:
    """What a milestone's slip is measured by ("te laat behaald"), or "" where there is no slip
    (also for a report archived before slips had a kind)."""
    try:
        return SlipKind(code).label if isinstance(code, str) else ""
    except ValueError:
        return ""


def register(app) -> None:
    app.jinja_env.globals["status_of"] = status_of
    app.jinja_env.globals["status_badge"] = status_badge
    app.jinja_env.globals["slip_label"] = slip_label
    app.jinja_env.globals["any_status"] = any_status
    app.jinja_env.globals["status_kinds"] = STATUS_KINDS
    app.jinja_env.globals["aggregation_rule"] = aggregation_rule
    app.jinja_env.globals["stale_note"] = stale_note
    app.jinja_env.globals["expected_label"] = expected_label
    app.jinja_env.globals["rolled_up_name"] = rolled_up_name
    app.jinja_env.globals["field_text"] = field_text
    app.jinja_env.globals["counted_rule"] = counted_rule
    app.jinja_env.globals["count_adjusted"] = count_adjusted
    app.jinja_env.filters["quarter"] = quarter_text
    app.jinja_env.filters["clause"] = clause

    @app.context_processor
    def inject_labels():
        return {
            "ROLE_LABELS": ROLE_LABELS,
            "ACTION_STATE_LABELS": ACTION_STATE_LABELS,
            "ORGANISATION_KIND_LABELS": ORGANISATION_KIND_LABELS,
            "ORGANISATION_SECTOR_LABELS": ORGANISATION_SECTOR_LABELS,
            "DIRECTION_LABELS": DIRECTION_LABELS,
            "EVENT_KIND_LABELS": EVENT_KIND_LABELS,
            "COUNTED_FROM_LABELS": COUNTED_FROM_LABELS,
            "ROLLUP_LABELS": ROLLUP_LABELS,
            "FREQUENCY_LABELS": FREQUENCY_LABELS,
        }


def aggregation_rule(aggregation: str | None, sources) -> str:
    """How a computed programme indicator's value is made, beside the number: "sum of 6
    subproject indicators". Empty for an indicator whose values are entered."""
    count = int(sources or 0) if sources == sources else 0  # NaN from a frame counts as none
    if aggregation == "sum":
        return ngettext(
            "sum of %(num)d subproject indicator", "sum of %(num)d subproject indicators", count
        )
    if aggregation == "mean":
        return ngettext(
            "mean of %(num)d subproject indicator", "mean of %(num)d subproject indicators", count
        )
    if aggregation == "last":
        return ngettext(
            "value entered last of %(num)d subproject indicator",
            "value entered last of %(num)d subproject indicators",
            count,
        )
    return ""
