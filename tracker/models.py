"""Imports every model so that metadata (and Alembic) see the whole schema."""

from tracker.audit.models import AuditEntry
from tracker.auth.models import LoginThrottle, RecoveryCode, User, subproject_leads
from tracker.events.models import (
    Event,
    PupilsReached,
    Registration,
    Workshop,
    event_actions,
    event_milestones,
    workshop_organisations,
)
from tracker.indicators.models import Indicator, Measurement, indicator_sources
from tracker.milestones.models import Milestone, MilestoneDateChange
from tracker.projects.models import (
    Action,
    Municipality,
    Organisation,
    Programme,
    QuarterlyUpdate,
    Subproject,
    SubprojectOrganisation,
)
from tracker.quarters.models import ClosedQuarter, ClosedSubprojectReport
from tracker.reports.models import QuarterClosing, StoredReport
from tracker.security_events.models import SecurityEvent
from tracker.stakeholders.models import CircleMembership, Contact
from tracker.steering.models import Decision, DecisionSubproject, ExceptionReport, Meeting

__all__ = [
    "Action",
    "AuditEntry",
    "CircleMembership",
    "ClosedQuarter",
    "ClosedSubprojectReport",
    "Contact",
    "Decision",
    "Event",
    "DecisionSubproject",
    "ExceptionReport",
    "Indicator",
    "Measurement",
    "Meeting",
    "Milestone",
    "MilestoneDateChange",
    "Municipality",
    "Organisation",
    "LoginThrottle",
    "Programme",
    "PupilsReached",
    "QuarterClosing",
    "QuarterlyUpdate",
    "RecoveryCode",
    "Registration",
    "Subproject",
    "SecurityEvent",
    "StoredReport",
    "SubprojectOrganisation",
    "User",
    "Workshop",
    "event_actions",
    "event_milestones",
    "indicator_sources",
    "subproject_leads",
    "workshop_organisations",
]
