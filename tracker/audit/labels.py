from flask_babel import lazy_gettext as _l

ENTITY_LABELS = {
    "Action": _l("Action"),
    "Milestone": _l("Milestone"),
    "MilestoneDateChange": _l("Planned-date change"),
    "Indicator": _l("Indicator"),
    "Measurement": _l("Measurement"),
    "QuarterlyUpdate": _l("Quarterly update"),
    "Organisation": _l("Organisation"),
    "SubprojectOrganisation": _l("Organisation link"),
    "Subproject": _l("Subproject"),
    "Meeting": _l("Meeting"),
    "Decision": _l("Decision"),
    "User": _l("User"),
}

ACTION_LABELS = {"create": _l("created"), "update": _l("changed"), "delete": _l("deleted")}
