"""Imports every model so that metadata (and Alembic) see the whole schema."""

from tracker.audit.models import AuditEntry
from tracker.auth.models import LoginThrottle, RecoveryCode, User, subproject_leads
from tracker.events.models import (
    Event,
    PupilsReached,
    RegisteredPerson,
    Registration,
    Workshop,
    event_actions,
    event_milestones,
    workshop_organisations,
)
from tracker.imports.models import ImportRun
from tracker.indicators.models import Indicator, Measurement, indicator_sources
from tracker.mail.models import ReminderOptOut, SentMail
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
from tracker.quarters.models import ClosedQuarter, ClosedSubprojectReport, WithdrawnReport
from tracker.reports.models import QuarterClosing, StoredReport
from tracker.season.models import SeasonSetting, Submission
from tracker.security_events.models import SecurityEvent
from tracker.stakeholders.models import CircleMembership, Contact
from tracker.steering.models import (
    Decision,
    DecisionSubproject,
    ExceptionReport,
    Meeting,
    RequestAdvice,
)

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
    "ImportRun",
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
    "RegisteredPerson",
    "QuarterClosing",
    "QuarterlyUpdate",
    "RecoveryCode",
    "RequestAdvice",
    "ReminderOptOut",
    "SeasonSetting",
    "SentMail",
    "Submission",
    "Registration",
    "Subproject",
    "SecurityEvent",
    "StoredReport",
    "SubprojectOrganisation",
    "User",
    "WithdrawnReport",
    "Workshop",
    "event_actions",
    "event_milestones",
    "indicator_sources",
    "subproject_leads",
    "workshop_organisations",
]
