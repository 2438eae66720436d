from tracker.i18n import lazy_gettext as _l
from tracker.projects.status import Rag

ENTITY_LABELS = {
    "Action": _l("Action"),
    "Milestone": _l("Milestone"),
    "MilestoneDateChange": _l("Planned-date change"),
    "Indicator": _l("Indicator"),
    "Measurement": _l("Measurement"),
    "QuarterlyUpdate": _l("Quarterly update"),
    "Organisation": _l("Organisation"),
    "SubprojectOrganisation": _l("Organisation link"),
    "CircleMembership": _l("Membership of a TechNet circle"),
    "Contact": _l("Contact person"),
    "Event": _l("Gathering"),
    "Workshop": _l("Workshop"),
    "Registration": _l("Registration"),
    "RegisteredPerson": _l("Person registered for an event"),
    "PupilsReached": _l("Pupils reached"),
    "Municipality": _l("Municipality"),
    "Subproject": _l("Subproject"),
    "Programme": _l("Programme"),
    "Meeting": _l("Meeting"),
    "Decision": _l("Decision"),
    "DecisionSubproject": _l("Subproject of a decision"),
    "RequestAdvice": _l("Advice on a request"),
    "ExceptionReport": _l("Exception report"),
    "Submission": _l("Submission of a quarterly update"),
    "SeasonSetting": _l("Due date of the quarterly updates"),
    "User": _l("User"),
    "ClosedQuarter": _l("Closed quarter (archived report)"),
}

# The stand-ins an entry holds instead of a value it may not keep (tracker/audit/recorder.py).
MARKERS = {"(changed)": _l("(changed, not shown)"), "(erased)": _l("(erased under the AVG)")}

ACTION_LABELS = {"create": _l("created"), "update": _l("changed"), "delete": _l("deleted")}

# The Dutch name of each recorded field, as the edit forms call it; a field missing here is shown
# by its name with underscores turned into spaces, never as a bare code.
FIELD_LABELS = {
    "achieved": _l("Achieved this quarter"),
    "achieved_on": _l("Achieved on"),
    "action_id": _l("Action"),
    "active": _l("Active"),
    "advice": _l("Advice"),
    "agenda": _l("Agenda"),
    "aim": _l("Aim"),
    "answer": _l("Answer"),
    "approval_decision": _l("Decision that approved the report"),
    "approved_on": _l("Approved by the steering group on"),
    "archived_at": _l("Archived at"),
    "at_risk": _l("At risk"),
    "attendees": _l("Attendees"),
    "baseline_date": _l("Baseline date"),
    "baseline_value": _l("Baseline"),
    "cause": _l("Cause"),
    "changed_at": _l("Changed at"),
    "changed_by_id": _l("Changed by"),
    "circle_id": _l("TechNet circle"),
    "code": _l("Code"),
    "confirmed_at": _l("Last confirmed"),
    "comment": _l("Comment"),
    "consequence_money": _l("Consequence for money"),
    "consequence_result": _l("Consequence for the result"),
    "consequence_time": _l("Consequence for time"),
    "counted_from": _l("Counted from events"),
    "counted_municipality_id": _l("Count only in municipality"),
    "counted_value": _l("Counted value"),
    "created_at": _l("Created at"),
    "decided_at": _l("Decided at"),
    "decided_by_id": _l("Decided by"),
    "decision_id": _l("Decision"),
    "decisions_requested": _l("Decisions asked of the steering group"),
    "definition": _l("Definition"),
    "description": _l("Description"),
    "direction": _l("Direction"),
    "due_date": _l("Due date"),
    "due_days": _l("Days after the quarter ends"),
    "email": _l("Email address"),
    "entered_at": _l("Entered at"),
    "entered_by_id": _l("Entered by"),
    "evidence": _l("Evidence"),
    "forecast_date": _l("Forecast date"),
    "frequency": _l("New value expected"),
    "from_date": _l("From"),
    "from_event_id": _l("Came from event"),
    "function": _l("Function"),
    "held_on": _l("Held on"),
    "indicator_id": _l("Indicator"),
    "kind": _l("Kind"),
    "measure": _l("Corrective measure"),
    "measure_due": _l("Measure ready by"),
    "measure_owner": _l("Owner of the measure"),
    "meeting_id": _l("Meeting"),
    "member_id": _l("Member"),
    "merged_from": _l("Merged: the duplicate, now deleted → the organisation kept"),
    "milestone_id": _l("Milestone"),
    "municipality_id": _l("Municipality"),
    "name": _l("Name"),
    "next_steps": _l("Next steps"),
    "note": _l("Note"),
    "notes": _l("Notes"),
    "number": _l("Number"),
    "organisation_id": _l("Organisation"),
    "registration_id": _l("Registration"),
    "contact_id": _l("Contact person"),
    "organisations": _l("Organisations"),
    "override_reason": _l("Reason for the adjustment"),
    "owner": _l("Owner"),
    "owner_id": _l("Owner"),
    "password_hash": _l("Password"),
    "pdf_sha256": _l("SHA-256 of the report"),
    "period": _l("Quarter"),
    "phone": _l("Phone"),
    "planned_date": _l("Planned date"),
    "programme_id": _l("Programme"),
    "progress": _l("Progress (%)"),
    "publication_month": _l("Month the source publishes"),
    "purpose": _l("Purpose of processing"),
    "quarter": _l("Quarter"),
    "rag": _l("RAG status"),
    "reason": _l("Reason"),
    "report_version": _l("Report version"),
    "recorded_at": _l("Recorded at"),
    "recorded_by_id": _l("Recorded by"),
    "reminder_days": _l("Days before the due date that reminders start"),
    "request_id": _l("Request answered"),
    "returns": _l("Times returned"),
    "risks": _l("Risks"),
    "role": _l("Role"),
    "rollup": _l("Roll-up"),
    "sector": _l("Sector"),
    "source": _l("Source"),
    "start_date": _l("Start date"),
    "state": _l("State"),
    "status": _l("Status"),
    "submitted_at": _l("Submitted at"),
    "submitted_by_id": _l("Submitted by"),
    "subproject_id": _l("Subproject"),
    "target_date": _l("Target date"),
    "target_value": _l("Target"),
    "text": _l("Text"),
    "title": _l("Title"),
    "to_date": _l("To"),
    "tolerance_points": _l("Percentage points an indicator may lag its trajectory"),
    "tolerance_slip_days": _l("Days a milestone may slip"),
    "unit": _l("Unit"),
    "updated_by_id": _l("Updated by"),
    "value": _l("Value"),
    "version": _l("Version"),
    "website": _l("Website"),
}


# Where one field name means different things on different records.
ENTITY_FIELD_LABELS = {
    ("Indicator", "baseline_date"): _l("Baseline measured on"),
}


def field_label(field: str, entity: str | None = None) -> str:
    label = ENTITY_FIELD_LABELS.get((entity, field)) or FIELD_LABELS.get(field)
    return str(label) if label is not None else field.replace("_", " ")


def value_labels(field: str, entity: str | None) -> dict | None:
    """The labels of a coded field's values (statuses, kinds, roles), or None."""
    from tracker import labels

    if field == "rag":
        return Rag.labels()
    if field == "state" and entity == "Submission":
        from tracker.season.status import SubmissionState

        return SubmissionState.labels()
    if field == "state":
        return labels.ACTION_STATE_LABELS
    if field == "direction":
        return labels.DIRECTION_LABELS
    if field == "rollup":
        return labels.ROLLUP_LABELS
    if field == "frequency":
        return labels.FREQUENCY_LABELS
    if field == "kind":
        return labels.ORGANISATION_KIND_LABELS
    if field == "sector":
        return labels.ORGANISATION_SECTOR_LABELS
    if field == "status" and entity == "Decision":
        from tracker.steering.status import DecisionStatus

        return DecisionStatus.labels()
    if field == "answer":
        from tracker.steering.status import RequestAnswer

        return RequestAnswer.labels()
    if field == "role" and entity == "User":
        return labels.ROLE_LABELS
    return None
