"""Writes of the set-up pages: programmes, municipalities and subprojects.

A record with history is archived, not deleted: ``*_dependents`` say what a deletion would
orphan, and the pages offer archiving instead. Names and codes that must be unique are checked
here, so the form can say so beside the field (the database's constraints stay the last guard).
"""

from __future__ import annotations

from sqlalchemy import func, select

from tracker.audit.recorder import record_link_change
from tracker.auth.models import User
from tracker.editing import Invalid
from tracker.extensions import db
from tracker.i18n import gettext as _
from tracker.i18n import ngettext
from tracker.indicators.models import Indicator
from tracker.milestones.models import Milestone
from tracker.projects.models import (
    Action,
    Municipality,
    Organisation,
    Programme,
    QuarterlyUpdate,
    Subproject,
    SubprojectOrganisation,
)
from tracker.quarters.models import ClosedQuarter, WithdrawnReport
from tracker.steering.models import DecisionSubproject, Meeting
from tracker.timeutil import utcnow

PROGRAMME_FIELDS = ("name", "aim", "start_date", "end_date", "reporting_frequency")
SUBPROJECT_FIELDS = ("code", "name", "aim", "municipality_id")


def _text(value):
    return value.strip() if isinstance(value, str) else value


def _taken(column, value: str, own_id: int | None, *conditions) -> bool:
    query = select(func.count()).where(func.lower(column) == value.lower(), *conditions)
    if own_id is not None:
        query = query.where(column.table.c.id != own_id)
    return bool(db.session.scalar(query))


# --- Programmes ------------------------------------------------------------------------------


def save_programme(programme: Programme | None, data: dict) -> Programme:
    name = data["name"].strip()
    if _taken(Programme.name, name, programme.id if programme else None):
        raise Invalid("name", _("A programme with this name exists already."))
    if programme is None:
        programme = Programme()
        db.session.add(programme)
    for key in PROGRAMME_FIELDS:
        setattr(programme, key, _text(data[key]))
    return programme


def _counted(pairs) -> list[str]:
    return [text for count, text in pairs if count]


def programme_dependents(programme: Programme) -> list[str]:
    """What hangs on the programme; with any of it, it is archived instead of deleted."""

    def count(model, column):
        return db.session.scalar(select(func.count(model.id)).where(column == programme.id))

    subprojects = count(Subproject, Subproject.programme_id)
    indicators = count(Indicator, Indicator.programme_id)
    meetings = count(Meeting, Meeting.programme_id)
    closed = count(ClosedQuarter, ClosedQuarter.programme_id) + count(
        WithdrawnReport, WithdrawnReport.programme_id
    )
    return _counted(
        [
            (subprojects, ngettext("%(num)d subproject", "%(num)d subprojects", subprojects)),
            (indicators, ngettext("%(num)d indicator", "%(num)d indicators", indicators)),
            (meetings, ngettext("%(num)d meeting", "%(num)d meetings", meetings)),
            (closed, ngettext("%(num)d closed quarter", "%(num)d closed quarters", closed)),
        ]
    )


# --- Municipalities --------------------------------------------------------------------------


def save_municipality(municipality: Municipality | None, data: dict) -> Municipality:
    own = municipality.id if municipality else None
    name = data["name"].strip()
    if _taken(Municipality.name, name, own):
        raise Invalid("name", _("A municipality with this name exists already."))
    if _taken(Municipality.cbs_code, data["cbs_code"], own):
        raise Invalid("cbs_code", _("Another municipality has this CBS code."))
    if municipality is None:
        municipality = Municipality()
        db.session.add(municipality)
    municipality.name = name
    municipality.cbs_code = data["cbs_code"]
    return municipality


def municipality_dependents(municipality: Municipality) -> list[str]:
    subprojects = db.session.scalar(
        select(func.count(Subproject.id)).where(Subproject.municipality_id == municipality.id)
    )
    organisations = db.session.scalar(
        select(func.count(Organisation.id)).where(Organisation.municipality_id == municipality.id)
    )
    return _counted(
        [
            (subprojects, ngettext("%(num)d subproject", "%(num)d subprojects", subprojects)),
            (
                organisations,
                ngettext("%(num)d organisation", "%(num)d organisations", organisations),
            ),
        ]
    )


# --- Subprojects -----------------------------------------------------------------------------


def lead_users() -> list[User]:
    """The users a subproject's leads are chosen from: active subproject leads, by name."""
    return list(
        db.session.scalars(
            select(User).where(User.role == "lead", User.active.is_(True)).order_by(User.name)
        )
    )


def save_subproject(
    subproject: Subproject | None, programme: Programme, data: dict, leads: list[User]
) -> Subproject:
    """Create or change a subproject with its leads (``leads``: the users chosen)."""
    code = data["code"].strip()
    if _taken(
        Subproject.code,
        code,
        subproject.id if subproject else None,
        Subproject.programme_id == programme.id,
    ):
        raise Invalid("code", _("Another subproject of this programme has this code."))
    if db.session.get(Municipality, data["municipality_id"]) is None:
        raise Invalid("municipality_id", _("Choose a municipality."))
    if subproject is None:
        subproject = Subproject(programme_id=programme.id)
        db.session.add(subproject)
    for key in SUBPROJECT_FIELDS:
        setattr(subproject, key, _text(data[key]))
    if "from_event_id" in data:  # a plan import does not know events: it keeps the link
        subproject.from_event_id = data["from_event_id"]
    _set_leads(subproject, leads)
    return subproject


def _names(users) -> str:
    return ", ".join(sorted(u.name for u in users))


def _set_leads(subproject: Subproject, leads: list[User]) -> None:
    if {u.id for u in subproject.leads} == {u.id for u in leads}:
        return
    before = _names(subproject.leads)
    subproject.leads = list(leads)
    db.session.flush()
    record_link_change(
        db.session, subproject, "leads", before, _names(leads), subproject_id=subproject.id
    )


def subproject_dependents(subproject: Subproject) -> list[str]:
    """What hangs on the subproject; with any of it, it is archived instead of deleted."""
    sid = subproject.id

    def count(model, column):
        return db.session.scalar(select(func.count(model.id)).where(column == sid))

    actions = count(Action, Action.subproject_id)
    milestones = count(Milestone, Milestone.subproject_id)
    indicators = count(Indicator, Indicator.subproject_id)
    updates = count(QuarterlyUpdate, QuarterlyUpdate.subproject_id)
    links = count(SubprojectOrganisation, SubprojectOrganisation.subproject_id)
    decisions = count(DecisionSubproject, DecisionSubproject.subproject_id)
    return _counted(
        [
            (actions, ngettext("%(num)d action", "%(num)d actions", actions)),
            (milestones, ngettext("%(num)d milestone", "%(num)d milestones", milestones)),
            (indicators, ngettext("%(num)d indicator", "%(num)d indicators", indicators)),
            (
                updates,
                ngettext("%(num)d quarterly update", "%(num)d quarterly updates", updates),
            ),
            (
                links,
                ngettext("%(num)d organisation link", "%(num)d organisation links", links),
            ),
            (decisions, ngettext("%(num)d decision", "%(num)d decisions", decisions)),
        ]
    )


def delete_subproject_links(subproject: Subproject) -> None:
    """A subproject without history may still have leads: they are let go with it."""
    _set_leads(subproject, [])


# --- Archiving -------------------------------------------------------------------------------


def archive(record: Programme | Subproject) -> None:
    record.archived_at = utcnow()


def restore(record: Programme | Subproject) -> None:
    record.archived_at = None
