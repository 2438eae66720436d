"""Writing an imported registration list, and registering people by hand: new organisations go
into the register and new people become contact persons through the stakeholder services (so
the register's duplicate check, the AVG purpose and the audit trail apply), in the caller's
transaction, after which the counted indicators are recounted."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm.attributes import flag_modified

from tracker.editing import Invalid
from tracker.events import registration_list as rules
from tracker.events.models import Event, RegisteredPerson, Registration
from tracker.events.services import ensure_event_open, recount
from tracker.extensions import db
from tracker.i18n import date_format
from tracker.i18n import gettext as _
from tracker.projects.models import Organisation
from tracker.stakeholders import services as stakeholders
from tracker.stakeholders.models import Contact


def purpose_for(event: Event) -> str:
    """The purpose a person registered for an event is kept for, as the AVG asks."""
    return _(
        "Registration for %(title)s on %(date)s", title=event.title, date=date_format(event.held_on)
    )


def apply(event: Event, plan: rules.Plan, user) -> None:
    """Carry out a plan without errors (see ``rules.make_plan``)."""
    ensure_event_open(event)
    registrations = {r.organisation_id: r for r in event.registrations}
    rows = {item.row: item for item in plan.items}
    known = _by_id(Organisation, {c.organisation_id for c in plan.changes})
    contacts_by_id = _by_id(Contact, {i for c in plan.changes for i in c.existing_people})
    for change in plan.changes:
        organisation = known.get(change.organisation_id) or _new_organisation(change, plan)
        registration = registrations.get(organisation.id)
        if registration is None:
            registration = Registration(organisation_id=organisation.id)
            event.registrations.append(registration)
        if change.attended is not None:
            registration.attended = change.attended
        if change.follow_up is not None:
            registration.wants_follow_up = change.follow_up
        contacts = [_new_contact(rows[row], organisation, event, user) for row in change.new_people]
        contacts += [contacts_by_id[i] for i in change.existing_people]
        _add_people(registration, contacts)
    db.session.flush()
    recount(event.programme_id, [event.held_on])


def _by_id(model, ids: set) -> dict:
    """The records of ``ids`` in one query (an import of many rows stays a few queries)."""
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return {r.id: r for r in db.session.scalars(select(model).where(model.id.in_(ids)))}


def _new_organisation(change: rules.Change, plan: rules.Plan) -> Organisation:
    organisation = stakeholders.save_organisation(
        None, rules.new_organisation_values(plan.items, change.group)
    )
    db.session.flush()
    return organisation


def _new_contact(item: rules.Item, organisation: Organisation, event: Event, user) -> Contact:
    contact = stakeholders.save_contact(
        None,
        organisation,
        {
            "name": item.person,
            "function": item.values.get("function", ""),
            "email": item.values.get("email", ""),
            "phone": "",
            "purpose": purpose_for(event),
        },
        user,
    )
    db.session.flush()
    return contact


def _add_people(registration: Registration, contacts: list[Contact]) -> None:
    """Add people to a registration; its version moves on, so a form or preview made before
    sees that the registration changed."""
    here = {p.contact_id for p in registration.people}
    added = False
    for contact in contacts:
        if contact.id not in here:
            registration.people.append(RegisteredPerson(contact_id=contact.id))
            here.add(contact.id)
            added = True
    if added and registration.id is not None:
        flag_modified(registration, "attended")


def set_people(registration: Registration, contact_ids: list[int], new_person: dict | None, user):
    """The people of a registration as chosen on its form: contact persons of its organisation,
    and one new one when ``new_person`` is given."""
    ensure_event_open(registration.event)
    chosen = set(contact_ids)
    contacts = db.session.scalars(
        select(Contact).where(
            Contact.id.in_(chosen), Contact.organisation_id == registration.organisation_id
        )
    ).all()
    if len(contacts) != len(chosen):
        raise Invalid("contact_ids", _("Choose contact persons of this organisation."))
    for person in list(registration.people):
        if person.contact_id not in chosen:
            registration.people.remove(person)
            db.session.delete(person)
    if new_person is not None:
        contacts = [
            *contacts,
            _new_contact_from_form(registration, new_person, user),
        ]
    _add_people(registration, contacts)
    flag_modified(registration, "attended")
    db.session.flush()


def _new_contact_from_form(registration: Registration, data: dict, user) -> Contact:
    contact = stakeholders.save_contact(None, registration.organisation, data, user)
    db.session.flush()
    return contact
