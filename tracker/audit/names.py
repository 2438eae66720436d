"""Names and links of the records a history page mentions, so it reads "Stageplaatsen 2026-Q3"
and "Bijgewerkt door: Fatima de Vries" instead of "Meting #123" and "Bijgewerkt door: 4".

One query per kind of record on the page, whatever the number of entries. A record deleted
since keeps the name its deletion entry recorded, and gets no link.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from flask import url_for
from sqlalchemy import select

from tracker import models
from tracker.audit.queries import Entry
from tracker.audit.recorder import ERASED, REDACTED
from tracker.extensions import db
from tracker.i18n import date_format
from tracker.i18n import gettext as _
from tracker.quarters.display import quarter_text

# A field holding the id of another record: the kind of record it points to.
REFERENCES = {
    "updated_by_id": "User",
    "entered_by_id": "User",
    "changed_by_id": "User",
    "submitted_by_id": "User",
    "decided_by_id": "User",
    "closed_by_id": "User",
    "user_id": "User",
    "owner_id": "Organisation",
    "organisation_id": "Organisation",
    "circle_id": "Organisation",
    "member_id": "Organisation",
    "recorded_by_id": "User",
    "municipality_id": "Municipality",
    "counted_municipality_id": "Municipality",
    "subproject_id": "Subproject",
    "indicator_id": "Indicator",
    "milestone_id": "Milestone",
    "action_id": "Action",
    "programme_id": "Programme",
    "meeting_id": "Meeting",
    "decision_id": "Decision",
    "request_id": "QuarterlyUpdate",
    "event_id": "Event",
    "follows_id": "Event",
    "from_event_id": "Event",
    "organiser_id": "Organisation",
    "school_id": "Organisation",
    "registration_id": "Registration",
    "contact_id": "Contact",
}


@dataclass(frozen=True)
class Name:
    text: str
    url: str | None = None


def _rows(query) -> list:
    return db.session.execute(query).all()


def _simple(model, column) -> Callable[[set[int]], dict[int, Name]]:
    def look_up(ids: set[int]) -> dict[int, Name]:
        return {
            i: Name(str(text))
            for i, text in _rows(select(model.id, column).where(model.id.in_(ids)))
        }

    return look_up


def _subprojects(ids: set[int]) -> dict[int, Name]:
    rows = _rows(
        select(models.Subproject.id, models.Subproject.code, models.Subproject.name).where(
            models.Subproject.id.in_(ids)
        )
    )
    return {
        i: Name(f"{code} {name}", url_for("projects.subproject", subproject_id=i))
        for i, code, name in rows
    }


def _milestones(ids: set[int]) -> dict[int, Name]:
    rows = _rows(
        select(models.Milestone.id, models.Milestone.title).where(models.Milestone.id.in_(ids))
    )
    return {i: Name(t, url_for("milestones.milestone", milestone_id=i)) for i, t in rows}


def _indicators(ids: set[int]) -> dict[int, Name]:
    rows = _rows(
        select(models.Indicator.id, models.Indicator.name).where(models.Indicator.id.in_(ids))
    )
    return {i: Name(n, url_for("indicators.indicator", indicator_id=i)) for i, n in rows}


def _measurements(ids: set[int]) -> dict[int, Name]:
    rows = _rows(
        select(
            models.Measurement.id,
            models.Measurement.period,
            models.Indicator.id,
            models.Indicator.name,
        )
        .join(models.Indicator, models.Indicator.id == models.Measurement.indicator_id)
        .where(models.Measurement.id.in_(ids))
    )
    return {
        i: Name(
            f"{name} {quarter_text(period, short=True)}",
            url_for("indicators.indicator", indicator_id=indicator_id),
        )
        for i, period, indicator_id, name in rows
    }


def _updates(ids: set[int]) -> dict[int, Name]:
    rows = _rows(
        select(
            models.QuarterlyUpdate.id,
            models.QuarterlyUpdate.quarter,
            models.Subproject.id,
            models.Subproject.code,
        )
        .join(models.Subproject, models.Subproject.id == models.QuarterlyUpdate.subproject_id)
        .where(models.QuarterlyUpdate.id.in_(ids))
    )
    return {
        i: Name(
            f"{code} {quarter_text(quarter, short=True)}",
            url_for("projects.subproject", subproject_id=sid),
        )
        for i, quarter, sid, code in rows
    }


def _submissions(ids: set[int]) -> dict[int, Name]:
    rows = _rows(
        select(models.Submission.id, models.Submission.quarter, models.Subproject.code)
        .join(models.Subproject, models.Subproject.id == models.Submission.subproject_id)
        .where(models.Submission.id.in_(ids))
    )
    return {i: Name(f"{code} {quarter}") for i, quarter, code in rows}


def _date_changes(ids: set[int]) -> dict[int, Name]:
    rows = _rows(
        select(models.MilestoneDateChange.id, models.Milestone.id, models.Milestone.title)
        .join(models.Milestone, models.Milestone.id == models.MilestoneDateChange.milestone_id)
        .where(models.MilestoneDateChange.id.in_(ids))
    )
    return {i: Name(t, url_for("milestones.milestone", milestone_id=m)) for i, m, t in rows}


def _actions(ids: set[int]) -> dict[int, Name]:
    rows = _rows(
        select(models.Action.id, models.Action.title, models.Action.subproject_id).where(
            models.Action.id.in_(ids)
        )
    )
    return {i: Name(t, url_for("projects.subproject", subproject_id=s)) for i, t, s in rows}


def _links(ids: set[int]) -> dict[int, Name]:
    link = models.SubprojectOrganisation
    rows = _rows(
        select(link.id, models.Organisation.name, link.subproject_id)
        .join(models.Organisation, models.Organisation.id == link.organisation_id)
        .where(link.id.in_(ids))
    )
    return {i: Name(n, url_for("projects.subproject", subproject_id=s)) for i, n, s in rows}


def _organisations(ids: set[int]) -> dict[int, Name]:
    rows = _rows(
        select(models.Organisation.id, models.Organisation.name).where(
            models.Organisation.id.in_(ids)
        )
    )
    return {i: Name(n, url_for("stakeholders.organisation", organisation_id=i)) for i, n in rows}


def _memberships(ids: set[int]) -> dict[int, Name]:
    membership = models.CircleMembership
    rows = _rows(
        select(membership.id, models.Organisation.name, membership.circle_id)
        .join(models.Organisation, models.Organisation.id == membership.member_id)
        .where(membership.id.in_(ids))
    )
    return {i: Name(n, url_for("stakeholders.organisation", organisation_id=c)) for i, n, c in rows}


def _contacts(ids: set[int]) -> dict[int, Name]:
    """Contact persons by name: only the programme manager and the admin read the history
    pages that show them (personal data); an erased one is gone from this table."""
    contact = models.Contact
    rows = _rows(
        select(contact.id, contact.name, contact.organisation_id).where(contact.id.in_(ids))
    )
    return {i: Name(n, url_for("stakeholders.organisation", organisation_id=o)) for i, n, o in rows}


def _meetings(ids: set[int]) -> dict[int, Name]:
    rows = _rows(
        select(models.Meeting.id, models.Meeting.title, models.Meeting.held_on).where(
            models.Meeting.id.in_(ids)
        )
    )
    return {
        i: Name(f"{title} {date_format(held_on)}", url_for("steering.meeting", meeting_id=i))
        for i, title, held_on in rows
    }


def _decisions(ids: set[int]) -> dict[int, Name]:
    rows = _rows(
        select(models.Decision.id, models.Decision.number, models.Meeting.held_on)
        .join(models.Meeting, models.Meeting.id == models.Decision.meeting_id)
        .where(models.Decision.id.in_(ids))
    )
    return {
        i: Name(
            _("Decision %(number)s of %(date)s", number=number, date=date_format(held_on)),
            url_for("steering.decision", decision_id=i),
        )
        for i, number, held_on in rows
    }


def _events(ids: set[int]) -> dict[int, Name]:
    rows = _rows(select(models.Event.id, models.Event.title).where(models.Event.id.in_(ids)))
    return {i: Name(t, url_for("events.event", event_id=i)) for i, t in rows}


def _of_event(model, label) -> Callable[[set[int]], dict[int, Name]]:
    """A workshop, registration or pupils row, named by ``label`` and linked to its event."""

    def look_up(ids: set[int]) -> dict[int, Name]:
        query = select(model.id, label, model.event_id).where(model.id.in_(ids))
        if label is models.Organisation.name:
            column = model.school_id if model is models.PupilsReached else model.organisation_id
            query = query.join(models.Organisation, models.Organisation.id == column)
        return {i: Name(str(n), url_for("events.event", event_id=e)) for i, n, e in _rows(query)}

    return look_up


def _registered_people(ids: set[int]) -> dict[int, Name]:
    """A person on a registration, by the contact's name (personal data: the history pages
    that show it are the programme manager's and the admin's), linked to the event."""
    person = models.RegisteredPerson
    rows = _rows(
        select(person.id, models.Contact.name, models.Registration.event_id)
        .join(models.Contact, models.Contact.id == person.contact_id)
        .join(models.Registration, models.Registration.id == person.registration_id)
        .where(person.id.in_(ids))
    )
    return {i: Name(n, url_for("events.event", event_id=e)) for i, n, e in rows}


LOOK_UPS: dict[str, Callable[[set[int]], dict[int, Name]]] = {
    "User": _simple(models.User, models.User.name),
    "Organisation": _organisations,
    "CircleMembership": _memberships,
    "Contact": _contacts,
    "Municipality": _simple(models.Municipality, models.Municipality.name),
    "Programme": _simple(models.Programme, models.Programme.name),
    "Subproject": _subprojects,
    "Milestone": _milestones,
    "Indicator": _indicators,
    "Measurement": _measurements,
    "QuarterlyUpdate": _updates,
    "Submission": _submissions,
    "MilestoneDateChange": _date_changes,
    "Action": _actions,
    "SubprojectOrganisation": _links,
    "Meeting": _meetings,
    "Decision": _decisions,
    "Event": _events,
    "Workshop": _of_event(models.Workshop, models.Workshop.topic),
    "Registration": _of_event(models.Registration, models.Organisation.name),
    "PupilsReached": _of_event(models.PupilsReached, models.Organisation.name),
    "RegisteredPerson": _registered_people,
}


def _wanted(entries: Iterable[Entry]) -> dict[str, set[int]]:
    wanted: dict[str, set[int]] = {}
    for entry in entries:
        wanted.setdefault(entry.entity, set()).add(entry.entity_id)
        for field, pair in entry.changes.items():
            kind = REFERENCES.get(field)
            for value in pair or ():
                if kind and isinstance(value, int) and not isinstance(value, bool):
                    wanted.setdefault(kind, set()).add(value)
    return wanted


def _recorded_name(entry: Entry) -> str | None:
    """What a record was called, from its own entry (the only trace of a deleted one)."""
    for field in ("title", "name", "quarter", "period", "email"):
        pair = entry.changes.get(field)
        if pair:
            value = pair[1] if pair[1] is not None else pair[0]
            if value and value not in (REDACTED, ERASED):  # an erased person leaves no name
                return quarter_text(value) if field in ("quarter", "period") else str(value)
    return None


def names_for(entries: list[Entry]) -> dict[tuple[str, int], Name]:
    """``(entity, id)`` to the name and link of every record the entries mention."""
    found: dict[tuple[str, int], Name] = {}
    for entity, ids in _wanted(entries).items():
        look_up = LOOK_UPS.get(entity)
        if look_up is not None and ids:
            found.update(((entity, i), name) for i, name in look_up(ids).items())
    for entry in entries:
        key = (entry.entity, entry.entity_id)
        if key not in found:
            recorded = _recorded_name(entry)
            if recorded:
                found[key] = Name(recorded)
    return found
