"""Merging a duplicate organisation into the one to keep.

The same organisation entered twice ("Bouwbedrijf Jansen B.V." in one list, "Bouwbedrijf
Jansen" in another) counts twice in "bedrijven bereikt". Merging moves everything that points
at the duplicate (every foreign key to ``organisation.id``, see ``MOVED``) to the organisation
kept, joins what would then be there twice, deletes the duplicate and recounts the quarters its
events lie in, in one transaction that the audit trail records row by row.

The duplicate is deleted, not archived: nothing points at it any more, and its history stays in
the audit trail (its delete entry keeps its name, the merge entry on the kept organisation
names it). A duplicate with an event in a closed quarter is not merged: moving its attendance
could change the count of an approved report, so the merge is refused naming the quarter.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from tracker.audit.recorder import record_change
from tracker.editing import Invalid
from tracker.events import services as event_services
from tracker.events.models import Event, PupilsReached, Registration, Workshop
from tracker.events.models import workshop_organisations as workshop_links
from tracker.extensions import db
from tracker.i18n import gettext as _
from tracker.projects.models import Action, Organisation, SubprojectOrganisation
from tracker.quarters import Quarter
from tracker.quarters.display import quarter_text
from tracker.quarters.models import ClosedQuarter
from tracker.stakeholders.models import CircleMembership, Contact

# Every column that points at an organisation, as "table.column": the merge moves each one.
# tests/stakeholders/test_merge_pages.py compares this with the schema, so a new foreign key to
# organisation.id cannot be forgotten here.
MOVED = frozenset(
    {
        "registration.organisation_id",
        "workshop_organisation.organisation_id",
        "pupils_reached.school_id",
        "event.organiser_id",
        "subproject_organisation.organisation_id",
        "circle_membership.circle_id",
        "circle_membership.member_id",
        "contact.organisation_id",
        "action.owner_id",
    }
)


class MergeRefused(Invalid):
    """A merge that must not happen (with itself, into an archived one, a closed quarter)."""

    def __init__(self, message: str):
        super().__init__("keep_id", message)


@dataclass
class Plan:
    """Everything that moves from ``duplicate`` to ``keep``, and what would then be there
    twice and is joined (the second item of each pair is the one kept)."""

    duplicate: Organisation
    keep: Organisation
    registrations: list[Registration] = field(default_factory=list)
    joined_registrations: list[tuple[Registration, Registration]] = field(default_factory=list)
    workshops: list[Workshop] = field(default_factory=list)
    joined_workshops: list[Workshop] = field(default_factory=list)
    pupils: list[PupilsReached] = field(default_factory=list)
    joined_pupils: list[tuple[PupilsReached, PupilsReached]] = field(default_factory=list)
    organised: list[Event] = field(default_factory=list)
    participations: list[SubprojectOrganisation] = field(default_factory=list)
    joined_participations: list[tuple[SubprojectOrganisation, SubprojectOrganisation]] = field(
        default_factory=list
    )
    memberships: list[CircleMembership] = field(default_factory=list)
    dropped_memberships: list[CircleMembership] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    closed_quarters: list[str] = field(default_factory=list)

    @property
    def events(self) -> list[Event]:
        """Every event the duplicate appears in, whose counts may move."""
        found = {r.event.id: r.event for r in self.registrations}
        found.update((r.event.id, r.event) for r, _ in self.joined_registrations)
        found.update((p.event.id, p.event) for p in self.pupils)
        found.update((p.event.id, p.event) for p, _ in self.joined_pupils)
        found.update((w.event.id, w.event) for w in self.workshops + self.joined_workshops)
        found.update((e.id, e) for e in self.organised)
        return sorted(found.values(), key=lambda e: (e.held_on, e.id))

    @property
    def is_empty(self) -> bool:
        return not (self.events or self.participations or self.joined_participations) and not (
            self.memberships or self.dropped_memberships or self.contacts or self.actions
        )

    def fingerprint(self) -> str:
        """A digest of both organisations and every row the plan touches, with their versions:
        a confirmation opened on another state than the current one is stale."""
        rows = [self.duplicate, self.keep, *self.events, *self.contacts, *self.actions]
        rows += self.registrations + [r for pair in self.joined_registrations for r in pair]
        rows += self.pupils + [p for pair in self.joined_pupils for p in pair]
        rows += self.workshops + self.joined_workshops
        rows += self.participations + [p for pair in self.joined_participations for p in pair]
        rows += self.memberships + self.dropped_memberships
        parts = sorted(f"{type(r).__name__}:{r.id}:{r.version}" for r in rows)
        return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def plan(duplicate: Organisation, keep: Organisation) -> Plan:
    """What merging ``duplicate`` into ``keep`` would do; a fixed number of queries."""
    if duplicate.id == keep.id:
        raise MergeRefused(
            _("An organisation cannot be merged with itself: choose the one to keep.")
        )
    result = Plan(duplicate, keep)
    _plan_registrations(result)
    _plan_workshops(result)
    _plan_pupils(result)
    result.organised = list(
        db.session.scalars(select(Event).where(Event.organiser_id == duplicate.id))
    )
    _plan_participations(result)
    _plan_memberships(result)
    result.contacts = list(
        db.session.scalars(
            select(Contact).where(Contact.organisation_id == duplicate.id).order_by(Contact.name)
        )
    )
    result.actions = list(db.session.scalars(select(Action).where(Action.owner_id == duplicate.id)))
    result.closed_quarters = _closed_quarters(result.events)
    return result


def _both(model, column, duplicate_id: int, keep_id: int, *options) -> list:
    query = select(model).where(column.in_([duplicate_id, keep_id])).options(*options)
    return list(db.session.scalars(query))


def _plan_registrations(result: Plan) -> None:
    rows = _both(
        Registration,
        Registration.organisation_id,
        result.duplicate.id,
        result.keep.id,
        joinedload(Registration.event),
    )
    kept = {r.event_id: r for r in rows if r.organisation_id == result.keep.id}
    for row in rows:
        if row.organisation_id != result.duplicate.id:
            continue
        if row.event_id in kept:
            result.joined_registrations.append((row, kept[row.event_id]))
        else:
            result.registrations.append(row)


def _plan_workshops(result: Plan) -> None:
    rows = db.session.execute(
        select(workshop_links.c.workshop_id, workshop_links.c.organisation_id).where(
            workshop_links.c.organisation_id.in_([result.duplicate.id, result.keep.id])
        )
    ).all()
    with_keep = {w for w, o in rows if o == result.keep.id}
    with_duplicate = {w for w, o in rows if o == result.duplicate.id}
    if not with_duplicate:
        return
    workshops = db.session.scalars(
        select(Workshop).where(Workshop.id.in_(with_duplicate)).options(joinedload(Workshop.event))
    )
    for workshop in sorted(workshops, key=lambda w: w.id):
        (result.joined_workshops if workshop.id in with_keep else result.workshops).append(workshop)


def _plan_pupils(result: Plan) -> None:
    rows = _both(
        PupilsReached,
        PupilsReached.school_id,
        result.duplicate.id,
        result.keep.id,
        joinedload(PupilsReached.event),
    )
    kept = {(p.event_id, p.level): p for p in rows if p.school_id == result.keep.id}
    for row in rows:
        if row.school_id != result.duplicate.id:
            continue
        if (row.event_id, row.level) in kept:
            result.joined_pupils.append((row, kept[(row.event_id, row.level)]))
        else:
            result.pupils.append(row)


def _plan_participations(result: Plan) -> None:
    rows = _both(
        SubprojectOrganisation,
        SubprojectOrganisation.organisation_id,
        result.duplicate.id,
        result.keep.id,
        joinedload(SubprojectOrganisation.subproject),
    )
    kept = {p.subproject_id: p for p in rows if p.organisation_id == result.keep.id}
    for row in rows:
        if row.organisation_id != result.duplicate.id:
            continue
        if row.subproject_id in kept:
            result.joined_participations.append((row, kept[row.subproject_id]))
        else:
            result.participations.append(row)


def _plan_memberships(result: Plan) -> None:
    """Memberships both ways (the duplicate as a member, or as a circle): one that would then
    exist twice, or make the kept organisation a member of itself, is dropped."""
    ids = [result.duplicate.id, result.keep.id]
    rows = db.session.scalars(
        select(CircleMembership)
        .where(or_(CircleMembership.circle_id.in_(ids), CircleMembership.member_id.in_(ids)))
        .options(joinedload(CircleMembership.circle), joinedload(CircleMembership.member))
    ).all()

    def after(row: CircleMembership) -> tuple[int, int]:
        swap = {result.duplicate.id: result.keep.id}
        return swap.get(row.circle_id, row.circle_id), swap.get(row.member_id, row.member_id)

    existing = {after(r) for r in rows if result.duplicate.id not in (r.circle_id, r.member_id)}
    for row in sorted(rows, key=lambda r: r.id):
        if result.duplicate.id not in (row.circle_id, row.member_id):
            continue
        circle_id, member_id = after(row)
        if circle_id == member_id or (circle_id, member_id) in existing:
            result.dropped_memberships.append(row)
        else:
            existing.add((circle_id, member_id))
            result.memberships.append(row)


def _closed_quarters(events: list[Event]) -> list[str]:
    if not events:
        return []
    closed = set(
        db.session.execute(
            select(ClosedQuarter.programme_id, ClosedQuarter.quarter).where(
                ClosedQuarter.programme_id.in_({e.programme_id for e in events})
            )
        ).all()
    )
    touched = {(e.programme_id, str(Quarter.of(e.held_on))) for e in events}
    return sorted({quarter for key in touched & closed for quarter in [key[1]]})


def refusal(result: Plan) -> str | None:
    """Why the plan cannot be applied (a message naming the cause), or None."""
    if result.keep.archived_at is not None:
        return _("The organisation to keep is archived: restore it first, or keep another.")
    if result.closed_quarters:
        return _(
            "%(name)s took part in an event of a closed quarter (%(quarters)s). The counts of "
            "an approved report do not change, so it cannot be merged. Archive it instead, or "
            "reopen the quarter first.",
            name=result.duplicate.name,
            quarters=", ".join(quarter_text(q) for q in result.closed_quarters),
        )
    circle_with_members = result.duplicate.kind == "technet_circle" and any(
        m.circle_id == result.duplicate.id for m in result.memberships
    )
    if circle_with_members and result.keep.kind != "technet_circle":
        return _(
            "%(name)s is a TechNet circle with members: merge it into a TechNet circle, or "
            "remove its members first.",
            name=result.duplicate.name,
        )
    return None


def apply(result: Plan) -> None:
    """Carry out the plan in the current transaction; the caller commits."""
    message = refusal(result)
    if message is not None:
        raise MergeRefused(message)
    duplicate, keep = result.duplicate, result.keep
    days_by_programme: dict[int, list] = {}
    for event in result.events:
        days_by_programme.setdefault(event.programme_id, []).append(event.held_on)
    for row in result.registrations:
        row.organisation_id = keep.id
    for row, kept in result.joined_registrations:
        kept.attended = kept.attended or row.attended
        kept.wants_follow_up = kept.wants_follow_up or row.wants_follow_up
        for person in list(row.people):  # the duplicate's contacts move to the kept one too
            person.registration = kept
        row.event.registrations.remove(row)
        db.session.delete(row)
    for workshop in result.workshops + result.joined_workshops:
        _replace_in_workshop(workshop, duplicate, keep)
    for row in result.pupils:
        row.school_id = keep.id
    for row, kept in result.joined_pupils:
        kept.number += row.number
        row.event.pupils.remove(row)
        db.session.delete(row)
    for event in result.organised:
        event.organiser_id = keep.id
    for row in result.participations:
        row.organisation_id = keep.id
    for row, _kept in result.joined_participations:
        db.session.delete(row)
    for row in result.memberships:
        row.circle_id = keep.id if row.circle_id == duplicate.id else row.circle_id
        row.member_id = keep.id if row.member_id == duplicate.id else row.member_id
    for row in result.dropped_memberships:
        db.session.delete(row)
    for row in result.contacts:
        row.organisation_id = keep.id
    for row in result.actions:
        row.owner_id = keep.id
    # The joined rows go first, so no unique constraint sees the pair twice on the way.
    db.session.flush()
    record_change(db.session, keep, {"merged_from": [duplicate.name, keep.name]})
    db.session.delete(duplicate)
    db.session.flush()
    for programme_id, days in days_by_programme.items():
        event_services.recount(programme_id, days)


def _replace_in_workshop(workshop: Workshop, duplicate: Organisation, keep: Organisation) -> None:
    """The duplicate out of the workshop's participants, the kept one in (once). The link
    table is not audited row by row, so the workshop's own entry records the change."""
    before = [o.name for o in workshop.organisations]
    chosen = [o for o in workshop.organisations if o.id != duplicate.id]
    if keep not in chosen:
        chosen.append(keep)
    workshop.organisations = sorted(chosen, key=lambda o: o.name.casefold())
    record_change(
        db.session,
        workshop,
        {"organisations": [", ".join(before), ", ".join(o.name for o in chosen)]},
        subproject_id=workshop.event.subproject_id,
    )
