"""Writes of the stakeholder register: organisations, their part in subprojects, membership of
TechNet circles and contact persons. Rules a form alone cannot check (the same organisation
twice, a circle that is not one) are checked here and raised as Invalid beside the field; the
database's constraints stay the last guard."""

from __future__ import annotations

from sqlalchemy import func, select

from tracker.auth.models import User
from tracker.editing import Invalid
from tracker.extensions import db
from tracker.i18n import gettext as _
from tracker.projects.models import Municipality, Organisation, Subproject, SubprojectOrganisation
from tracker.stakeholders import rules
from tracker.stakeholders.models import CircleMembership, Contact
from tracker.timeutil import utcnow


def duplicate_of(name: str, municipality_id: int | None, own_id: int | None) -> Organisation | None:
    """The organisation that is already in the register under this name (any case, spaces
    aside) in this municipality, other than the one being edited."""
    query = select(Organisation).where(
        # the database's lower(), as the unique index uses, so the check and the index agree
        func.lower(Organisation.name) == func.lower(rules.normalise_name(name)),
        Organisation.municipality_id.is_(None)
        if municipality_id is None
        else Organisation.municipality_id == municipality_id,
    )
    if own_id is not None:
        query = query.where(Organisation.id != own_id)
    return db.session.scalars(query.limit(1)).first()


def save_organisation(organisation: Organisation | None, data: dict) -> Organisation:
    name = rules.normalise_name(data["name"])
    municipality_id = data["municipality_id"]
    if municipality_id is not None and db.session.get(Municipality, municipality_id) is None:
        raise Invalid("municipality_id", _("Choose a municipality from the list."))
    duplicate = duplicate_of(name, municipality_id, organisation.id if organisation else None)
    if duplicate is not None:
        raise Invalid(
            "name",
            _(
                "%(name)s is already in the register in this municipality: the same "
                "organisation is one organisation. Open it from the list of organisations"
                "%(archived)s, or tell the two apart by their names.",
                name=duplicate.name,
                archived=_(" (it is archived: restore it there)") if duplicate.archived_at else "",
            ),
        )
    if organisation is None:
        organisation = Organisation()
        db.session.add(organisation)
    elif (
        organisation.kind == "technet_circle"
        and data["kind"] != "technet_circle"
        and circle_member_count(organisation)
    ):
        raise Invalid(
            "kind", _("This TechNet circle has members: remove them before changing its kind.")
        )
    organisation.name = name
    organisation.kind = data["kind"]
    organisation.municipality_id = municipality_id
    organisation.sector = data["sector"] or None
    organisation.website = data["website"] or ""
    return organisation


def circle_member_count(circle: Organisation) -> int:
    return db.session.scalar(
        select(func.count(CircleMembership.id)).where(CircleMembership.circle_id == circle.id)
    )


def archive(organisation: Organisation) -> None:
    organisation.archived_at = utcnow()


def restore(organisation: Organisation) -> None:
    """Back in the register, unless a live organisation took its name meanwhile."""
    if duplicate_of(organisation.name, organisation.municipality_id, organisation.id):
        raise Invalid(
            "name",
            _("Another organisation in this municipality has this name now: rename one first."),
        )
    organisation.archived_at = None


# --- Taking part in subprojects --------------------------------------------------------------


def add_participation(organisation: Organisation, subproject_id: int, role: str):
    subproject = db.session.get(Subproject, subproject_id)
    if subproject is None or subproject.archived_at is not None:
        raise Invalid("subproject_id", _("Choose a subproject from the list."))
    taken = db.session.scalar(
        select(func.count(SubprojectOrganisation.id)).where(
            SubprojectOrganisation.subproject_id == subproject_id,
            SubprojectOrganisation.organisation_id == organisation.id,
        )
    )
    if taken:
        raise Invalid(
            "subproject_id",
            _("This organisation takes part in this subproject already: change its role there."),
        )
    link = SubprojectOrganisation(
        subproject_id=subproject_id, organisation_id=organisation.id, role=role.strip()
    )
    db.session.add(link)
    return link


# --- TechNet circles -------------------------------------------------------------------------


def add_member(circle: Organisation, member_id: int) -> CircleMembership:
    if circle.kind != "technet_circle":
        raise Invalid("member_id", _("Only a TechNet circle has members."))
    member = db.session.get(Organisation, member_id)
    if member is None or member.archived_at is not None:
        raise Invalid("member_id", _("Choose an organisation from the list."))
    if member.id == circle.id:
        raise Invalid("member_id", _("A circle cannot be a member of itself."))
    taken = db.session.scalar(
        select(func.count(CircleMembership.id)).where(
            CircleMembership.circle_id == circle.id, CircleMembership.member_id == member.id
        )
    )
    if taken:
        raise Invalid("member_id", _("This organisation is a member of this circle already."))
    membership = CircleMembership(circle_id=circle.id, member_id=member.id)
    db.session.add(membership)
    return membership


# --- Contact persons -------------------------------------------------------------------------

CONTACT_FIELDS = ("name", "function", "email", "phone", "purpose")


def save_contact(
    contact: Contact | None, organisation: Organisation, data: dict, user: User
) -> Contact:
    """Create or change a contact person; saving counts as confirming the data is current."""
    if contact is None:
        contact = Contact(organisation_id=organisation.id, recorded_by_id=user.id)
        db.session.add(contact)
    for key in CONTACT_FIELDS:
        value = data[key]
        setattr(contact, key, value.strip() if isinstance(value, str) else value)
    contact.confirmed_at = utcnow()
    return contact


def confirm_contact(contact: Contact) -> None:
    """The contact person's data is still current and still needed (the purge spares it)."""
    contact.confirmed_at = utcnow()
