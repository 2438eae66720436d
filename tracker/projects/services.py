"""Writes to a subproject's actions, organisation links and quarterly updates.

Every write of a quarterly update goes through ``save_quarterly_update``, so a rule about which
quarters may still change has one place to go.
"""

from __future__ import annotations

from sqlalchemy import func, select

from tracker.editing import Invalid
from tracker.extensions import db
from tracker.i18n import gettext as _
from tracker.i18n import ngettext
from tracker.milestones.models import Milestone
from tracker.projects.models import (
    Action,
    Organisation,
    QuarterlyUpdate,
    Subproject,
    SubprojectOrganisation,
)
from tracker.quarters import Quarter
from tracker.quarters.lock import ensure_quarter_open

ACTION_FIELDS = (
    "title",
    "description",
    "owner_id",
    "start_date",
    "due_date",
    "state",
    "progress",
)
UPDATE_FIELDS = ("rag", "achieved", "next_steps", "risks", "decisions_requested")


def organisations(keep_id: int | None = None) -> list[Organisation]:
    """The organisations to choose from: those not archived, and ``keep_id`` (the one a
    record names already, archived or not) so that saving it unchanged still works."""
    return list(
        db.session.scalars(
            select(Organisation)
            .where(Organisation.archived_at.is_(None) | (Organisation.id == keep_id))
            .order_by(Organisation.name)
        )
    )


def save_action(action: Action | None, subproject_id: int, data: dict) -> Action:
    if action is None:
        action = Action(subproject_id=subproject_id)
        db.session.add(action)
    for key in ACTION_FIELDS:
        value = data[key]
        setattr(action, key, value.strip() if isinstance(value, str) else value)
    if "from_event_id" in data:  # a plan import does not know events: it keeps the link
        action.from_event_id = data["from_event_id"]
    return action


def action_dependents(action: Action) -> list[str]:
    count = db.session.scalar(
        select(func.count(Milestone.id)).where(Milestone.action_id == action.id)
    )
    if not count:
        return []
    return [
        ngettext("%(num)d milestone is linked to it", "%(num)d milestones are linked to it", count)
    ]


def link_organisation(
    subproject_id: int, organisation_id: str, new_name: str, new_kind: str, role: str
) -> SubprojectOrganisation:
    """Link an existing organisation, or a new one created on the spot, with a role."""
    if organisation_id == "new":
        name = " ".join(new_name.split())
        exists = db.session.scalar(
            select(Organisation.id).where(func.lower(Organisation.name) == name.lower())
        )
        if exists:
            raise Invalid(
                "new_name", _("An organisation with this name exists: choose it from the list.")
            )
        organisation = Organisation(name=name, kind=new_kind)
        db.session.add(organisation)
        db.session.flush()
        organisation_id = organisation.id
    organisation_id = int(organisation_id)
    linked = db.session.scalar(
        select(SubprojectOrganisation.id).where(
            SubprojectOrganisation.subproject_id == subproject_id,
            SubprojectOrganisation.organisation_id == organisation_id,
        )
    )
    if linked:
        raise Invalid(
            "organisation_id", _("This organisation is already linked to this subproject.")
        )
    link = SubprojectOrganisation(
        subproject_id=subproject_id, organisation_id=organisation_id, role=role.strip()
    )
    db.session.add(link)
    return link


def save_quarterly_update(
    subproject_id: int, quarter: Quarter, data: dict, user_id: int | None
) -> QuarterlyUpdate:
    """Create or change the update of ``quarter``: the one way quarterly updates are written.

    A closed quarter refuses with :class:`~tracker.quarters.lock.QuarterClosed`.
    """

    subproject = db.session.get(Subproject, subproject_id)
    if subproject is not None:
        ensure_quarter_open(subproject.programme_id, str(quarter))
    update = db.session.scalar(
        select(QuarterlyUpdate).where(
            QuarterlyUpdate.subproject_id == subproject_id,
            QuarterlyUpdate.quarter == str(quarter),
        )
    )
    if update is None:
        update = QuarterlyUpdate(subproject_id=subproject_id, quarter=str(quarter))
        db.session.add(update)
    for key in UPDATE_FIELDS:
        value = data[key]
        setattr(update, key, value.strip() if isinstance(value, str) else value)
    if update in db.session.new or db.session.is_modified(update):
        update.updated_by_id = user_id  # saved unchanged, it keeps who last changed it
    return update
