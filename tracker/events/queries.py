"""Read queries of the events: the lists, one event's page, the facts the counts are made of,
and the events behind a counted value. A bounded number of queries each, whatever the size."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import Integer, cast, func, select
from sqlalchemy.orm import selectinload

from tracker import tables
from tracker.events.counting import Attendance, Pupils, QuarterCount, count
from tracker.events.models import Event, PupilsReached, RegisteredPerson, Registration, Workshop
from tracker.extensions import db
from tracker.projects.models import Organisation
from tracker.quarters import Quarter


def _scope(query, programme_id: int, subproject_id: int | None):
    query = query.where(Event.programme_id == programme_id)
    if subproject_id is not None:
        query = query.where(Event.subproject_id == subproject_id)
    return query


def facts(programme_id: int, subproject_id: int | None) -> tuple[list[Attendance], list[Pupils]]:
    """Who attended which event, and the pupils each reached, of a subproject's events (or of
    all the programme's events for a programme indicator): two queries."""
    attendance = _scope(
        select(
            Event.id,
            Event.held_on,
            Organisation.id,
            Organisation.kind,
            Organisation.municipality_id,
        )
        .join(Registration, Registration.event_id == Event.id)
        .join(Organisation, Organisation.id == Registration.organisation_id)
        .where(Registration.attended.is_(True)),
        programme_id,
        subproject_id,
    )
    pupils = _scope(
        select(
            Event.id, Event.held_on, Event.kind, PupilsReached.number, Organisation.municipality_id
        )
        .join(PupilsReached, PupilsReached.event_id == Event.id)
        .join(Organisation, Organisation.id == PupilsReached.school_id),
        programme_id,
        subproject_id,
    )
    return (
        [Attendance(*row) for row in db.session.execute(attendance)],
        [Pupils(*row) for row in db.session.execute(pupils)],
    )


@dataclass(frozen=True)
class EventRow:
    id: int
    kind: str
    title: str
    held_on: date
    place: str
    subproject_id: int | None
    subproject_code: str | None
    registered: int
    attended: int


EVENT_COLUMNS = [
    "id",
    "subproject_id",
    "kind",
    "title",
    "held_on",
    "place",
    "registered",
    "attended",
]


def quarter_events(programme_id: int, quarter: Quarter) -> pd.DataFrame:
    """The events of ``quarter`` with their attendance, one row each: the report's and the
    exports' table (one query)."""
    rows = event_rows(programme_id, quarter=quarter)
    return tables.frame(
        [
            (
                r.id,
                r.subproject_id,
                r.kind,
                r.title,
                r.held_on,
                r.place,
                r.registered,
                r.attended,
            )
            for r in reversed(rows)
        ],
        EVENT_COLUMNS,
    )


def event_rows(
    programme_id: int, subproject_id: int | None = None, quarter: Quarter | None = None
) -> list[EventRow]:
    """The events of a programme or subproject (of one quarter if given), newest first, with
    their numbers registered and attended: one query."""
    from tracker.projects.models import Subproject

    query = (
        select(
            Event.id,
            Event.kind,
            Event.title,
            Event.held_on,
            Event.place,
            Event.subproject_id,
            Subproject.code,
            func.count(Registration.id),
            func.coalesce(func.sum(cast(Registration.attended, Integer)), 0),
        )
        .outerjoin(Subproject, Subproject.id == Event.subproject_id)
        .outerjoin(Registration, Registration.event_id == Event.id)
        .group_by(Event.id, Subproject.code)
        .order_by(Event.held_on.desc(), Event.id.desc())
    )
    query = _scope(query, programme_id, subproject_id)
    if quarter is not None:
        query = query.where(Event.held_on.between(quarter.start, quarter.end))
    return [EventRow(*row) for row in db.session.execute(query)]


def event_page(event_id: int) -> Event | None:
    """One event with everything its page shows, loaded up front."""
    return db.session.scalar(
        select(Event)
        .where(Event.id == event_id)
        .options(
            selectinload(Event.workshops).selectinload(Workshop.organisations),
            selectinload(Event.registrations)
            .joinedload(Registration.organisation)
            .joinedload(Organisation.municipality),
            selectinload(Event.registrations)
            .selectinload(Registration.people)
            .joinedload(RegisteredPerson.contact),
            selectinload(Event.pupils).joinedload(PupilsReached.school),
            selectinload(Event.actions),
            selectinload(Event.milestones),
            selectinload(Event.subproject),
            selectinload(Event.municipality),
            selectinload(Event.organiser),
            selectinload(Event.follows),
        )
    )


def interested_in_follow_up(event: Event) -> list[Organisation]:
    """The organisations that asked for a follow-up at the event this one follows up, not yet
    registered here."""
    if event.follows_id is None:
        return []
    here = select(Registration.organisation_id).where(Registration.event_id == event.id)
    return list(
        db.session.scalars(
            select(Organisation)
            .join(Registration, Registration.organisation_id == Organisation.id)
            .where(
                Registration.event_id == event.follows_id,
                Registration.wants_follow_up.is_(True),
                Organisation.id.not_in(here),
            )
            .order_by(Organisation.name)
        )
    )


def live_organisations() -> list[Organisation]:
    return list(
        db.session.scalars(
            select(Organisation)
            .where(Organisation.archived_at.is_(None))
            .order_by(Organisation.name)
            .options(selectinload(Organisation.municipality))
        )
    )


def earlier_events(programme_id: int, before: date | None, but_not: int | None) -> list[Event]:
    query = select(Event).where(Event.programme_id == programme_id)
    if before is not None:
        query = query.where(Event.held_on <= before)
    if but_not is not None:
        query = query.where(Event.id != but_not)
    return list(db.session.scalars(query.order_by(Event.held_on.desc())))


def events_by_id(ids) -> list[Event]:
    if not ids:
        return []
    return list(db.session.scalars(select(Event).where(Event.id.in_(ids)).order_by(Event.held_on)))


def counts_of(indicator, attendances, pupils) -> dict[str, QuarterCount]:
    """The indicator's rule applied to the facts of its scope."""
    return count(indicator.counted_from, attendances, pupils, indicator.counted_municipality_id)


@dataclass(frozen=True)
class CountedValue:
    value: float | None
    events: list[Event]


def counted_values(indicators, quarter: Quarter) -> dict[int, CountedValue]:
    """The counted value of ``quarter`` of each indicator and the events it came from. The
    indicators share one scope (a subproject's, or the programme's): three queries in all."""
    if not indicators:
        return {}
    first = indicators[0]
    attendances, pupils = facts(first.programme_id, first.subproject_id)
    results = {i.id: counts_of(i, attendances, pupils).get(str(quarter)) for i in indicators}
    events = {
        e.id: e for e in events_by_id({e for r in results.values() if r for e in r.event_ids})
    }
    return {
        indicator_id: CountedValue(
            result.value if result else None,
            [events[e] for e in result.event_ids] if result else [],
        )
        for indicator_id, result in results.items()
    }


def counted_by_quarter(indicator) -> dict[str, list[Event]]:
    """For each quarter a counted indicator has a value of, the events it came from (three
    queries)."""
    attendances, pupils = facts(indicator.programme_id, indicator.subproject_id)
    results = counts_of(indicator, attendances, pupils)
    events = {e.id: e for e in events_by_id({i for r in results.values() for i in r.event_ids})}
    return {period: [events[i] for i in r.event_ids] for period, r in results.items()}


def reach_rows(programme_id: int) -> tuple[list, list[tuple[int, date]]]:
    """The live organisations of the register and every (organisation, date) of an attended
    event of the programme: two queries."""
    from tracker.events.reach import Member
    from tracker.projects.models import Municipality

    members = [
        Member(*row)
        for row in db.session.execute(
            select(Organisation.id, Organisation.name, Municipality.name, Organisation.sector)
            .outerjoin(Municipality, Municipality.id == Organisation.municipality_id)
            .where(Organisation.archived_at.is_(None))
        )
    ]
    attended = [
        (organisation_id, held_on)
        for organisation_id, held_on in db.session.execute(
            select(Registration.organisation_id, Event.held_on)
            .join(Event, Event.id == Registration.event_id)
            .where(Event.programme_id == programme_id, Registration.attended.is_(True))
        )
    ]
    return members, attended


def list_context(event: Event, may_record_people: bool):
    """What importing a registration list is matched against: the register's organisations,
    their contact persons (only for those who may see them) and the event's registrations with
    their people. Four queries, whatever the size."""
    from tracker.events import registration_list as rules
    from tracker.quarters.lock import is_closed
    from tracker.stakeholders.models import Contact

    organisations = tuple(
        rules.KnownOrganisation(i, name, municipality_id, archived_at is not None)
        for i, name, municipality_id, archived_at in db.session.execute(
            select(
                Organisation.id,
                Organisation.name,
                Organisation.municipality_id,
                Organisation.archived_at,
            )
        )
    )
    contacts = ()
    if may_record_people:
        contacts = tuple(
            rules.KnownContact(*row)
            for row in db.session.execute(
                select(Contact.id, Contact.organisation_id, Contact.name, Contact.email).order_by(
                    Contact.id
                )
            )
        )
    people: dict[int, set[int]] = {}
    for registration_id, contact_id in db.session.execute(
        select(RegisteredPerson.registration_id, RegisteredPerson.contact_id)
        .join(Registration, Registration.id == RegisteredPerson.registration_id)
        .where(Registration.event_id == event.id)
    ):
        people.setdefault(registration_id, set()).add(contact_id)
    registrations = tuple(
        rules.KnownRegistration(
            organisation_id, attended, wants_follow_up, frozenset(people.get(i, ()))
        )
        for i, organisation_id, attended, wants_follow_up in db.session.execute(
            select(
                Registration.id,
                Registration.organisation_id,
                Registration.attended,
                Registration.wants_follow_up,
            ).where(Registration.event_id == event.id)
        )
    )
    return rules.Context(
        organisations=organisations,
        contacts=contacts,
        registrations=registrations,
        quarter_closed=is_closed(event.programme_id, str(Quarter.of(event.held_on))),
        may_record_people=may_record_people,
    )


def registrations_state(event: Event) -> str:
    """The event's version and its registrations' versions: what a preview was made against
    (one query). Adding a person to a registration moves the registration's version too."""
    rows = db.session.execute(
        select(Registration.id, Registration.version)
        .where(Registration.event_id == event.id)
        .order_by(Registration.id)
    )
    return ";".join([f"e{event.version}"] + [f"{i}:{v}" for i, v in rows])


# --- What an event led to ---------------------------------------------------------------------


def event_choices(programme_id: int) -> list[tuple[int, str]]:
    """The programme's events as a form offers them ("15-10-2026 Clusterbijeenkomst"), newest
    first: one query."""
    from tracker.i18n import date_format

    rows = db.session.execute(
        select(Event.id, Event.held_on, Event.title)
        .where(Event.programme_id == programme_id)
        .order_by(Event.held_on.desc(), Event.id.desc())
    )
    return [(i, f"{date_format(held_on)} {title}") for i, held_on, title in rows]


@dataclass(frozen=True)
class FollowUps:
    """The actions and subprojects that came from one event ("Wat het opleverde")."""

    actions: list
    subprojects: list


def follow_ups(event_id: int) -> FollowUps:
    """Two queries, each with what its list shows."""
    from sqlalchemy.orm import joinedload

    from tracker.projects.models import Action, Subproject

    actions = db.session.scalars(
        select(Action)
        .where(Action.from_event_id == event_id)
        .options(joinedload(Action.subproject))
        .order_by(Action.start_date, Action.id)
    )
    subprojects = db.session.scalars(
        select(Subproject).where(Subproject.from_event_id == event_id).order_by(Subproject.code)
    )
    return FollowUps(list(actions), list(subprojects))


@dataclass(frozen=True)
class FollowUpCount:
    id: int
    title: str
    held_on: date
    subproject_code: str | None
    actions: int
    subprojects: int


def follow_up_counts(programme_id: int, year: int) -> list[FollowUpCount]:
    """Every event of the programme in ``year`` with how many actions and subprojects came
    from it, oldest first: one query."""
    from sqlalchemy.orm import aliased

    from tracker.projects.models import Action, Subproject

    host = aliased(Subproject)
    actions = (
        select(func.count(Action.id)).where(Action.from_event_id == Event.id).scalar_subquery()
    )
    subprojects = (
        select(func.count(Subproject.id))
        .where(Subproject.from_event_id == Event.id)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(Event.id, Event.title, Event.held_on, host.code, actions, subprojects)
        .outerjoin(host, host.id == Event.subproject_id)
        .where(
            Event.programme_id == programme_id,
            Event.held_on.between(date(year, 1, 1), date(year, 12, 31)),
        )
        .order_by(Event.held_on, Event.id)
    )
    return [FollowUpCount(*row) for row in rows]
