"""Reach per municipality and sector: the rule, and the page."""

from datetime import date

from sqlalchemy import select

from tracker.events.reach import Member, reach
from tracker.extensions import db
from tracker.models import Event, Organisation, Registration

A = Member(1, "Bouwbedrijf", "Almere", "construction")
B = Member(2, "Staalbedrijf", "Almere", "construction")
C = Member(3, "Scheepswerf", "Urk", "maritime")
D = Member(4, "Platform", None, None)


def test_who_took_part_for_the_first_time_and_who_did_not():
    attended = [(1, date(2025, 5, 1)), (1, date(2026, 3, 1)), (2, date(2026, 4, 1))]
    groups = reach([A, B, C, D], attended, 2026)
    assert [(g.municipality, g.sector) for g in groups] == [
        ("Almere", "construction"),
        ("Urk", "maritime"),
        (None, None),
    ]
    almere = groups[0]
    assert almere.took_part == [A, B]
    assert almere.first_time == [B]
    assert groups[1].not_yet == [C]


def test_a_later_year_does_not_count_for_an_earlier_one():
    groups = reach([A], [(1, date(2027, 1, 5))], 2026)
    assert groups[0].not_yet == [A] and groups[0].took_part == []


def test_the_reach_page_lists_participants_and_the_others(app, world, login_as):
    with app.app_context():
        school = db.session.scalar(select(Organisation).where(Organisation.name == "Vmbo Almere"))
        company = Organisation(name="Bouwbedrijf Flevo", kind="company", sector="construction")
        event = Event(
            programme_id=world["programme_id"],
            kind="meeting",
            title="Clusterbijeenkomst",
            held_on=date(2026, 10, 1),
        )
        event.registrations.append(Registration(organisation=school, attended=True))
        db.session.add_all([company, event])
        db.session.commit()
    page = login_as("steering").get(f"/programmes/{world['programme_id']}/events/reach?year=2026")
    assert page.status_code == 200
    text = page.text
    assert "Vmbo Almere" in text and "eerste keer" in text
    assert "Bouwbedrijf Flevo" in text
