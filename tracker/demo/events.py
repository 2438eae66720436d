"""Demo events: a cluster meeting of the province like the one of 30 November 1999 (three
workshops, companies from every municipality, interest in a second meeting), its follow-up
meeting and the joint action it led to, and guest lessons; and the indicators counted from
them, one quarter's count adjusted by hand with its reason."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy.orm import Session

from tracker.auth.models import User
from tracker.events.counting import Attendance, Pupils, count
from tracker.events.models import Event, PupilsReached, Registration, Workshop
from tracker.events.services import COUNTED_SOURCE
from tracker.indicators.models import Indicator, Measurement
from tracker.projects.models import Action, Organisation, Programme, Subproject
from tracker.quarters import Quarter

CLUSTER_COMPANIES = (
    # name, attended, interest in a follow-up
    ("Metaalbewerkingsbedrijf Lelystad", True, True),
    ("Hightech assemblagebedrijf Almere", True, True),
    ("Machinebouwer precisielandbouw Dronten", True, False),
    ("Machinefabriek Emmeloord", True, True),
    ("Scheepswerf Urk", True, False),
    ("Installatiebedrijf Zeewolde", True, True),
    ("Vliegtuigonderhoudsbedrijf Lelystad", False, False),
)
WORKSHOPS = (
    ("Toelevering en uitbesteding in Flevoland", ("Metaalbewerkingsbedrijf Lelystad",)),
    ("Kennis delen over product- en procesontwikkeling", ("Technocentrum Flevoland",)),
    ("Scholing die aansluit op het regionale bedrijfsleven", ("Mbo Techniekcollege Almere",)),
)
DAY_PROGRAMME = (
    "14.00 Ontvangst en welkom door de gedeputeerde\n"
    "14.30 Ontwikkelingen in de Flevolandse metaal en techniek\n"
    "15.15 Drie workshops\n"
    "16.30 Terugkoppeling en vervolg\n"
    "17.00 Netwerkbuffet"
)


def seed_events(
    session: Session,
    programme: Programme,
    subprojects: dict[str, Subproject],
    organisations: dict[str, Organisation],
    quarters: list[Quarter],
    today: date,
    manager: User,
) -> None:
    """Events of the last two measured quarters and one to come; flushed, with the counted
    indicators' values, of which ``manager`` adjusted one."""
    last = quarters[-1]
    cluster = Event(
        programme_id=programme.id,
        kind="meeting",
        title="Clusterbijeenkomst metaal en techniek",
        held_on=last.start + timedelta(days=60),
        place="Provinciehuis, Lelystad",
        municipality=organisations["Provincie Flevoland"].municipality,
        organiser=organisations["Provincie Flevoland"],
        day_programme=DAY_PROGRAMME,
    )
    for topic, participants in WORKSHOPS:
        cluster.workshops.append(
            Workshop(topic=topic, organisations=[organisations[n] for n in participants])
        )
    for name, attended, follow_up in CLUSTER_COMPANIES:
        cluster.registrations.append(
            Registration(
                organisation=organisations[name], attended=attended, wants_follow_up=follow_up
            )
        )
    follow_up = Event(
        programme_id=programme.id,
        kind="meeting",
        title="Tweede clusterbijeenkomst: concrete samenwerkingsprojecten",
        held_on=today + timedelta(days=40),
        place="Provinciehuis, Lelystad",
        municipality=cluster.municipality,
        organiser=cluster.organiser,
        follows=cluster,
    )
    follow_up.registrations = [
        Registration(organisation=organisations[name])
        for name, _attended, interested in CLUSTER_COMPANIES
        if interested
    ]
    session.add_all([cluster, follow_up])
    started = cluster.held_on + timedelta(days=14)
    session.add(
        Action(
            subproject=subprojects["DP2"],
            title="Samen uitbesteden aan het leerbedrijf",
            description=(
                "Afgesproken in de workshop over toelevering: drie metaalbedrijven besteden "
                "samen series uit aan het leerbedrijf van het mbo, zodat studenten aan echte "
                "opdrachten werken."
            ),
            owner=organisations["Metaalbewerkingsbedrijf Lelystad"],
            start_date=started,
            due_date=started + timedelta(days=180),
            state="running" if started <= today else "planned",
            progress=25 if started <= today else 0,
            from_event=cluster,
        )
    )
    almere = subprojects["DP1"]
    lessons: list[Event] = []
    for quarter, number in ((quarters[-2], 48), (last, 62)):
        lesson = Event(
            programme_id=programme.id,
            subproject=almere,
            kind="guest_lesson",
            title="Gastles elektrotechniek",
            held_on=quarter.start + timedelta(days=30),
            place="Vmbo-school Almere Poort",
            municipality=almere.municipality,
            organiser=organisations["Elektrotechnisch installateur Almere"],
        )
        lesson.registrations.append(
            Registration(
                organisation=organisations["Elektrotechnisch installateur Almere"], attended=True
            )
        )
        lesson.pupils.append(
            PupilsReached(
                school=organisations["Vmbo-school Almere Poort"], level="vmbo", number=number
            )
        )
        session.add(lesson)
        lessons.append(lesson)
    counted = [
        Indicator(
            programme_id=programme.id,
            name="Bedrijven bereikt met bijeenkomsten",
            unit="bedrijven",
            definition="Verschillende bedrijven die in het kwartaal een bijeenkomst bijwoonden.",
            source="Presentielijsten van de bijeenkomsten",
            baseline_value=0,
            baseline_date=quarters[0].start,
            target_value=40,
            target_date=programme.end_date,
            rollup="sum",
            counted_from="companies_attending",
        ),
        Indicator(
            programme_id=programme.id,
            subproject=almere,
            name="Bedrijven bereikt",
            unit="bedrijven",
            definition="Verschillende bedrijven die in het kwartaal een bijeenkomst van het "
            "deelproject bijwoonden.",
            source="Presentielijsten van de bijeenkomsten",
            baseline_value=0,
            baseline_date=quarters[0].start,
            target_value=20,
            target_date=programme.end_date,
            rollup="sum",
            counted_from="companies_attending",
        ),
        Indicator(
            programme_id=programme.id,
            subproject=almere,
            name="Leerlingen bij een gastles",
            unit="leerlingen",
            definition="Leerlingen die in het kwartaal een gastles van een bedrijf volgden.",
            source="Bijeenkomsten van het deelproject",
            baseline_value=0,
            baseline_date=quarters[0].start,
            target_value=300,
            target_date=programme.end_date,
            rollup="sum",
            counted_from="pupils_reached",
        ),
    ]
    session.add_all(counted)
    session.flush()
    events = [cluster, follow_up, *lessons]
    _store_counts(session, counted[0], events, today)
    _store_counts(session, counted[1], lessons, today)
    _store_counts(session, counted[2], lessons, today)
    session.flush()
    adjusted = max(counted[0].measurements, key=lambda m: m.period)
    adjusted.value = adjusted.counted_value + 1
    adjusted.override_reason = (
        "Eén bedrijf schoof op de dag zelf aan en staat niet op de presentielijst."
    )
    adjusted.entered_by = manager
    session.flush()


def _store_counts(session: Session, indicator: Indicator, events: list[Event], today) -> None:
    """The counted values, made by the same rule the app uses (the seed runs without an app,
    so it cannot call the service that does this after each change)."""
    attendances = [
        Attendance(e.id, e.held_on, r.organisation.id, r.organisation.kind)
        for e in events
        for r in e.registrations
        if r.attended
    ]
    pupils = [Pupils(e.id, e.held_on, e.kind, p.number) for e in events for p in e.pupils]
    held_on = {e.id: e.held_on for e in events}
    for period, result in count(indicator.counted_from, attendances, pupils).items():
        if Quarter.parse(period) < Quarter.of(today):
            last_event = max(held_on[i] for i in result.event_ids)
            session.add(
                Measurement(
                    indicator=indicator,
                    period=period,
                    value=result.value,
                    counted_value=result.value,
                    source=COUNTED_SOURCE,
                    entered_at=datetime.combine(last_event, time(17)),
                )
            )
