"""Imports every model so that metadata (and Alembic) see the whole schema."""

from tracker.audit.models import AuditEntry
from tracker.auth.models import User, subproject_leads
from tracker.indicators.models import Indicator, Measurement
from tracker.milestones.models import Milestone, MilestoneDateChange
from tracker.projects.models import (
    Action,
    Decision,
    Meeting,
    Municipality,
    Organisation,
    Programme,
    QuarterlyUpdate,
    Subproject,
    SubprojectOrganisation,
)
from tracker.quarters.models import ClosedQuarter, ClosedSubprojectReport
from tracker.reports.models import QuarterClosing, StoredReport

__all__ = [
    "Action",
    "AuditEntry",
    "ClosedQuarter",
    "ClosedSubprojectReport",
    "Decision",
    "Indicator",
    "Measurement",
    "Meeting",
    "Milestone",
    "MilestoneDateChange",
    "Municipality",
    "Organisation",
    "Programme",
    "QuarterClosing",
    "QuarterlyUpdate",
    "Subproject",
    "StoredReport",
    "SubprojectOrganisation",
    "User",
    "subproject_leads",
]
