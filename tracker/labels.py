"""Interface labels for stored codes (statuses, roles, kinds), translated through Flask-Babel."""

from flask_babel import lazy_gettext as _l

STATUS_LABELS = {
    "achieved_on_time": _l("Achieved on time"),
    "achieved_late": _l("Achieved late"),
    "overdue": _l("Overdue"),
    "at_risk": _l("At risk"),
    "on_track": _l("On track"),
    "off_track": _l("Off track"),
    "no_data": _l("No data"),
    "green": _l("Green"),
    "amber": _l("Amber"),
    "red": _l("Red"),
}

# A shape beside every colour, so status never depends on colour alone.
STATUS_SYMBOLS = {
    "achieved_on_time": "✔",
    "achieved_late": "✔",
    "overdue": "✖",
    "at_risk": "▲",
    "on_track": "●",
    "off_track": "✖",
    "no_data": "○",
    "green": "●",
    "amber": "▲",
    "red": "✖",
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


def register(app) -> None:
    @app.context_processor
    def inject_labels():
        return {
            "STATUS_LABELS": STATUS_LABELS,
            "STATUS_SYMBOLS": STATUS_SYMBOLS,
            "ROLE_LABELS": ROLE_LABELS,
            "ACTION_STATE_LABELS": ACTION_STATE_LABELS,
            "ORGANISATION_KIND_LABELS": ORGANISATION_KIND_LABELS,
            "DIRECTION_LABELS": DIRECTION_LABELS,
            "ROLLUP_LABELS": ROLLUP_LABELS,
        }
