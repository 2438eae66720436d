"""A contact person's rights under the AVG: what is held about them (the export), erasure, and
the retention purge. Erasure takes the person's data out of the audit trail too: the trail keeps
that a contact person of an organisation was recorded, changed and erased, by whom and when, but
not who they were."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from tracker.audit.models import AuditEntry
from tracker.audit.recorder import erase_values
from tracker.events.models import Event, RegisteredPerson, Registration
from tracker.extensions import db
from tracker.projects.models import Organisation
from tracker.spreadsheets import neutralise
from tracker.stakeholders.models import PERSONAL_FIELDS, Contact

EXPORTED_FIELDS = (
    "name",
    "function",
    "email",
    "phone",
    "purpose",
    "recorded_at",
    "confirmed_at",
)


def _text(value) -> str:
    if isinstance(value, datetime):
        return value.replace(microsecond=0).isoformat()
    return "" if value is None else str(value)


def _registrations(contact: Contact) -> list[dict]:
    """The events the person was registered for (tracker/events/), one query."""
    rows = db.session.execute(
        select(Event.title, Event.held_on, Registration.attended)
        .join(Registration, Registration.event_id == Event.id)
        .join(RegisteredPerson, RegisteredPerson.registration_id == Registration.id)
        .where(RegisteredPerson.contact_id == contact.id)
        .order_by(Event.held_on, Event.id)
    )
    return [
        {"event": title, "held_on": held_on.isoformat(), "organisation_attended": attended}
        for title, held_on, attended in rows
    ]


def held_about(contact: Contact) -> dict:
    """Everything the tracker holds about the person: the contact record, who recorded it, the
    events they were registered for, and every change of it in the audit trail (values
    included)."""
    history = db.session.execute(
        select(AuditEntry.at, AuditEntry.action, AuditEntry.changes)
        .where(AuditEntry.entity == "Contact", AuditEntry.entity_id == contact.id)
        .order_by(AuditEntry.at, AuditEntry.id)
    ).all()
    return {
        "contact": {
            "id": contact.id,
            "organisation": contact.organisation.name,
            **{key: _text(getattr(contact, key)) for key in EXPORTED_FIELDS},
            "recorded_by": contact.recorded_by.name if contact.recorded_by else "",
        },
        "registrations": _registrations(contact),
        "history": [
            {"at": _text(at), "action": action, "changes": changes or {}}
            for at, action, changes in history
        ],
    }


def as_json(held: dict) -> str:
    return json.dumps(held, ensure_ascii=False, indent=2)


def _pair(pair) -> tuple:
    """An audit value pair as (before, after), whatever its stored shape."""
    if isinstance(pair, list | tuple) and len(pair) == 2:
        return pair[0], pair[1]
    return None, pair


def as_csv(held: dict) -> str:
    """One row per field held and per changed field in the history; text is formula-safe."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["section", "at", "field", "before", "after"])
    for key, value in held["contact"].items():
        writer.writerow(["contact", "", key, "", neutralise(str(value))])
    for registration in held["registrations"]:
        writer.writerow(
            [
                "registration",
                registration["held_on"],
                "event",
                "",
                neutralise(registration["event"]),
            ]
        )
    for entry in held["history"]:
        for key, pair in entry["changes"].items():
            before, after = (
                (list(pair) + [None, None])[:2] if isinstance(pair, list) else (None, pair)
            )
            writer.writerow(
                [
                    f"history:{entry['action']}",
                    entry["at"],
                    key,
                    neutralise(_text(before)),
                    neutralise(_text(after)),
                ]
            )
    return out.getvalue()


def erase(contact: Contact) -> int:
    """Delete the contact person, and with them their places on event registrations, and blank
    their personal data in every audit entry of them (their own deletion entry included).
    Returns how many entries were blanked. The caller commits: the erasure and the blanking
    are one transaction."""
    contact_id = contact.id
    for person in db.session.scalars(
        select(RegisteredPerson).where(RegisteredPerson.contact_id == contact_id)
    ):
        person.registration.people.remove(person)
        db.session.delete(person)
    db.session.delete(contact)
    return erase_values(db.session, "Contact", contact_id, PERSONAL_FIELDS)


@dataclass(frozen=True)
class Stale:
    contact_id: int
    organisation: str
    confirmed_at: datetime


def stale_contacts(before: datetime) -> list[Stale]:
    """The contact persons not saved or confirmed since ``before``, oldest first. Only ids and
    organisations: the purge's listing names no person."""
    return [
        Stale(contact_id, organisation, confirmed_at)
        for contact_id, organisation, confirmed_at in db.session.execute(
            select(Contact.id, Organisation.name, Contact.confirmed_at)
            .join(Organisation, Organisation.id == Contact.organisation_id)
            .where(Contact.confirmed_at < before)
            .order_by(Contact.confirmed_at, Contact.id)
        )
    ]


def purge(stale: list[Stale]) -> None:
    """Erase every contact person listed (see ``erase``); the caller commits."""
    for item in stale:
        contact = db.session.get(Contact, item.contact_id)
        if contact is not None:
            erase(contact)
