"""Interface labels for stored codes (roles, kinds, states), translated through Flask-Babel.

Statuses carry their own labels (``tracker.vocabulary``); this module only finds the member a
stored status code stands for, so templates never keep a table of their own.
"""

from tracker.i18n import lazy_gettext as _l
from tracker.indicators.status import IndicatorStatus
from tracker.milestones.status import MilestoneStatus
from tracker.projects.status import Rag
from tracker.vocabulary import NoStatus, RichStrEnum

# The kinds of status a template names: ``status_badge(m.status, "milestone")``.
STATUS_KINDS: dict[str, type[RichStrEnum]] = {
    "milestone": MilestoneStatus,
    "indicator": IndicatorStatus,
    "rag": Rag,
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
    "government": _l("Government"),
    "knowledge_institute": _l("Knowledge institute"),
    "intermediary": _l("Intermediary"),
}

DIRECTION_LABELS = {"up": _l("Higher is better"), "down": _l("Lower is better")}
ROLLUP_LABELS = {"sum": _l("Sum"), "mean": _l("Mean"), "last": _l("Last value")}


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


def register(app) -> None:
    app.jinja_env.globals["status_of"] = status_of
    app.jinja_env.globals["any_status"] = any_status
    app.jinja_env.globals["status_kinds"] = STATUS_KINDS

    @app.context_processor
    def inject_labels():
        return {
            "ROLE_LABELS": ROLE_LABELS,
            "ACTION_STATE_LABELS": ACTION_STATE_LABELS,
            "ORGANISATION_KIND_LABELS": ORGANISATION_KIND_LABELS,
            "DIRECTION_LABELS": DIRECTION_LABELS,
            "ROLLUP_LABELS": ROLLUP_LABELS,
        }
