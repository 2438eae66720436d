"""Writing events, their workshops, registrations and pupils, and keeping the indicators counted
from them current: every change that can move a count recounts the quarters it touches, in the
same transaction, so a counted value never lags behind its events."""

from __future__ import annotations

from sqlalchemy import select

from tracker.editing import Invalid
from tracker.events import queries
from tracker.events.models import Event, PupilsReached, Registration, Workshop
from tracker.extensions import db
from tracker.i18n import gettext as _
from tracker.indicators.models import Indicator, Measurement
from tracker.milestones.models import Milestone
from tracker.projects.models import Action, Organisation, Subproject
from tracker.quarters import Quarter
from tracker.quarters.lock import ensure_quarter_open, is_closed

EVENT_FIELDS = ("kind", "title", "held_on", "place", "municipality_id", "organiser_id")
COUNTED_SOURCE = "Geteld uit bijeenkomsten"


def save_event(event: Event | None, programme_id: int, subproject_id: int | None, data) -> Event:
    """Create or change an event. A date in a closed quarter is refused: the counts of that
    quarter are part of an approved report."""
    ensure_quarter_open(programme_id, Quarter.of(data["held_on"]), field="held_on")
    before = None
    if event is None:
        event = Event(programme_id=programme_id, subproject_id=subproject_id)
        db.session.add(event)
    else:
        before = event.held_on
        if before != data["held_on"]:
            ensure_quarter_open(programme_id, Quarter.of(before), field="held_on")
    for key in EVENT_FIELDS:
        setattr(event, key, data[key])
    event.day_programme = (data.get("day_programme") or "").strip()
    event.title = event.title.strip()
    event.place = (event.place or "").strip()
    follows_id = data.get("follows_id")
    if follows_id is not None and event.id is not None and follows_id == event.id:
        raise Invalid("follows_id", _("An event cannot follow up on itself."))
    event.follows_id = follows_id
    event.actions = _chosen(Action, data.get("action_ids") or [])
    event.milestones = _chosen(Milestone, data.get("milestone_ids") or [])
    db.session.flush()
    recount(event.programme_id, [event.held_on] + ([before] if before else []))
    return event


def _chosen(model, ids):
    if not ids:
        return []
    return list(db.session.scalars(select(model).where(model.id.in_(ids))))


def ensure_event_open(event: Event) -> None:
    ensure_quarter_open(event.programme_id, Quarter.of(event.held_on), field="held_on")


def save_workshop(workshop: Workshop | None, event: Event, data) -> Workshop:
    if workshop is None:
        workshop = Workshop(event=event)
        db.session.add(workshop)
    workshop.topic = data["topic"].strip()
    workshop.organisations = _chosen(Organisation, data.get("organisation_ids") or [])
    return workshop


def register(event: Event, organisation_ids: list[int], wants_follow_up: bool = False) -> int:
    """Register organisations for ``event``; one already registered is refused by name."""
    ensure_event_open(event)
    registered = {r.organisation_id: r for r in event.registrations}
    twice = [registered[i].organisation.name for i in organisation_ids if i in registered]
    if twice:
        raise Invalid(
            "organisation_ids",
            _(
                "Already registered for this event: %(names)s. An organisation is registered "
                "once; mark its attendance on the attendance page.",
                names=", ".join(sorted(twice)),
            ),
        )
    for organisation_id in dict.fromkeys(organisation_ids):
        event.registrations.append(
            Registration(organisation_id=organisation_id, wants_follow_up=wants_follow_up)
        )
    db.session.flush()
    recount(event.programme_id, [event.held_on])
    return len(organisation_ids)


def unregister(registration: Registration) -> None:
    event = registration.event
    ensure_event_open(event)
    event.registrations.remove(registration)
    db.session.delete(registration)
    db.session.flush()
    recount(event.programme_id, [event.held_on])


def mark_attendance(event: Event, attended: set[int], follow_up: set[int]) -> None:
    """Set, for every registration of ``event``, whether it came and whether it wants a
    follow-up, from the one attendance form."""
    ensure_event_open(event)
    for registration in event.registrations:
        registration.attended = registration.id in attended
        registration.wants_follow_up = registration.id in follow_up
    db.session.flush()
    recount(event.programme_id, [event.held_on])


def add_pupils(event: Event, school_id: int, level: str, number: int) -> None:
    ensure_event_open(event)
    if any(p.school_id == school_id and p.level == level for p in event.pupils):
        raise Invalid(
            "school_id",
            _("This school already has a number for this level: remove it first to change it."),
        )
    event.pupils.append(PupilsReached(school_id=school_id, level=level, number=number))
    db.session.flush()
    recount(event.programme_id, [event.held_on])


def remove_pupils(row: PupilsReached) -> None:
    event = row.event
    ensure_event_open(event)
    event.pupils.remove(row)
    db.session.delete(row)
    db.session.flush()
    recount(event.programme_id, [event.held_on])


def add_follow_up(event: Event, subproject_id: int, data) -> Action:
    """A new action of ``subproject_id`` that came from ``event`` ("Vervolg vastleggen")."""
    from tracker.projects.services import save_action

    return save_action(None, subproject_id, {**data, "from_event_id": event.id})


def unlink_follow_ups(event: Event) -> None:
    """Before ``event`` is deleted: the actions, subprojects and events that name it as where
    they came from no longer do. Through the ORM, so the audit trail records each change (the
    database's ``ON DELETE SET NULL`` would do it unseen)."""
    for model, column in (
        (Action, Action.from_event_id),
        (Subproject, Subproject.from_event_id),
        (Event, Event.follows_id),
    ):
        for record in db.session.scalars(select(model).where(column == event.id)):
            setattr(record, column.key, None)


def recount(programme_id: int, days) -> None:
    """Store the counted value of every counted indicator of the programme for the quarters of
    ``days``: created, changed, or removed when no event counts any more."""
    periods = {str(Quarter.of(day)) for day in days}
    indicators = db.session.scalars(
        select(Indicator).where(
            Indicator.programme_id == programme_id, Indicator.counted_from.is_not(None)
        )
    ).all()
    for indicator in indicators:
        refresh_indicator(indicator, periods)


def refresh_indicator(indicator: Indicator, periods: set[str] | None = None) -> None:
    """Bring the stored values of a counted indicator in line with its events; ``periods``
    None means every open quarter (after the indicator's rule was set or changed). An
    overridden quarter keeps its value: only the count beside it follows the events."""
    attendances, pupils = queries.facts(indicator.programme_id, indicator.subproject_id)
    counts = queries.counts_of(indicator, attendances, pupils)
    query = select(Measurement).where(Measurement.indicator_id == indicator.id)
    if periods is not None:
        query = query.where(Measurement.period.in_(periods))
    stored = {m.period: m for m in db.session.scalars(query)}
    if periods is None:
        periods = {p for p in set(counts) | set(stored) if not is_closed(indicator.programme_id, p)}
    wanted = {p: c for p, c in counts.items() if p in periods}
    stored = {p: m for p, m in stored.items() if p in periods}
    for period in periods:
        result = wanted.get(period)
        measurement = stored.get(period)
        if result is None and (measurement is None or not measurement.overridden):
            if measurement is not None:
                db.session.delete(measurement)
            continue
        if measurement is None:
            measurement = Measurement(indicator_id=indicator.id, period=period)
            db.session.add(measurement)
        counted = result.value if result else None
        if measurement.counted_value != counted:
            measurement.counted_value = counted
        if not measurement.overridden:
            if measurement.value != counted:
                measurement.value = counted
            measurement.source = COUNTED_SOURCE
            measurement.note = ""
    db.session.flush()
