"""Events as a lead and the manager keep them: the form, workshops, registrations (once per
organisation), attendance in one form, pupils; and the indicator counted from them."""

from __future__ import annotations

from datetime import date

from conftest import count_queries
from sqlalchemy import select

from tracker.extensions import db
from tracker.models import (
    AuditEntry,
    Event,
    Indicator,
    Measurement,
    Municipality,
    Organisation,
    Registration,
    Workshop,
)


def _event_form(**changes) -> dict:
    data = {
        "kind": "meeting",
        "title": "Clusterbijeenkomst Bouw",
        "held_on": "15-10-2026",
        "place": "Provinciehuis Lelystad",
        "municipality_id": "",
        "organiser_id": "",
        "day_programme": "14.00 Welkom\n14.30 Workshops",
        "follows_id": "",
    }
    data.update(changes)
    return data


def _companies(app, *names) -> list[int]:
    """Companies in Almere and Urk by turns, so a page that shows municipalities loads them."""
    with app.app_context():
        places = db.session.scalars(select(Municipality).order_by(Municipality.name)).all()
        found = []
        for number, name in enumerate(names):
            organisation = Organisation(
                name=name, kind="company", municipality=places[number % len(places)]
            )
            db.session.add(organisation)
            db.session.flush()
            found.append(organisation.id)
        db.session.commit()
        return found


def _counted_indicator(app, world, rule="companies_attending") -> int:
    with app.app_context():
        indicator = Indicator(
            programme_id=world["programme_id"],
            subproject_id=world["a"],
            name="Bedrijven bereikt",
            unit="bedrijven",
            baseline_value=0,
            baseline_date=date(2026, 1, 1),
            target_value=50,
            target_date=date(2027, 12, 31),
            rollup="sum",
            counted_from=rule,
        )
        db.session.add(indicator)
        db.session.commit()
        return indicator.id


def _create(client, world, **changes) -> int:
    response = client.post(f"/subprojects/{world['a']}/events/new", data=_event_form(**changes))
    assert response.status_code == 302, response.text
    return int(response.headers["Location"].rsplit("/", 1)[1])


def test_lead_creates_an_event_with_workshops_and_it_is_audited(app, world, login_as):
    client = login_as("lead")
    event_id = _create(client, world)
    companies = _companies(app, "Bouwbedrijf Flevo", "Installatiebedrijf Urk")
    for topic in ("Samen opleiden", "Innovatie in de bouw"):
        response = client.post(
            f"/events/{event_id}/workshops/new",
            data={"topic": topic, "organisation_ids": [str(companies[0])]},
        )
        assert response.status_code == 302
    page = client.get(f"/events/{event_id}").text
    assert "Clusterbijeenkomst Bouw" in page and "Samen opleiden" in page
    assert "Bouwbedrijf Flevo" in page
    with app.app_context():
        assert db.session.scalar(select(Event.held_on)) == date(2026, 10, 15)
        assert len(db.session.scalars(select(Workshop)).all()) == 2
        entities = set(db.session.scalars(select(AuditEntry.entity)))
        assert {"Event", "Workshop"} <= entities


def test_lead_of_another_subproject_and_steering_may_not_create(app, world, login_as):
    assert login_as("steering").get(f"/subprojects/{world['a']}/events/new").status_code == 403
    response = login_as("lead").post(f"/subprojects/{world['b']}/events/new", data=_event_form())
    assert response.status_code == 403


def test_an_event_without_a_title_or_date_is_refused_clearly(world, login_as):
    response = login_as("lead").post(
        f"/subprojects/{world['a']}/events/new", data=_event_form(title="", held_on="31-02-2026")
    )
    assert response.status_code == 400
    assert "Fill in a title." in response.text or "Vul een titel in." in response.text


def test_the_same_organisation_registered_twice_is_refused(app, world, login_as):
    client = login_as("lead")
    event_id = _create(client, world)
    (company,) = _companies(app, "Bouwbedrijf Flevo")
    url = f"/events/{event_id}/registrations/new"
    assert client.post(url, data={"organisation_ids": [str(company)]}).status_code == 302
    again = client.post(url, data={"organisation_ids": [str(company)]})
    assert again.status_code == 400
    assert "Bouwbedrijf Flevo" in again.text
    with app.app_context():
        assert len(db.session.scalars(select(Registration)).all()) == 1


def test_attendance_feeds_the_counted_indicator_and_it_cannot_be_typed(app, world, login_as):
    indicator_id = _counted_indicator(app, world)
    client = login_as("lead")
    event_id = _create(client, world)
    companies = _companies(app, "Bouwbedrijf Flevo", "Installatiebedrijf Urk", "Staal BV")
    client.post(
        f"/events/{event_id}/registrations/new",
        data={"organisation_ids": [str(c) for c in companies]},
    )
    with app.app_context():
        ids = {r.organisation_id: r.id for r in db.session.scalars(select(Registration))}
    response = client.post(
        f"/events/{event_id}/attendance",
        data={
            "versions": ",".join(f"{i}:1" for i in sorted(ids.values())),
            f"attended_{ids[companies[0]]}": "y",
            f"attended_{ids[companies[1]]}": "y",
            f"follow_up_{ids[companies[1]]}": "y",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        value = db.session.scalar(
            select(Measurement).where(Measurement.indicator_id == indicator_id)
        )
        assert (value.period, value.value) == ("2026-Q4", 2)
    page = client.get(f"/subprojects/{world['a']}/quarter/2026-Q4").text
    assert "Clusterbijeenkomst Bouw" in page
    typed = client.post(
        f"/indicators/{indicator_id}/measurements/new",
        data={"period": "2026-Q3", "value": "9", "note": "", "source": ""},
    )
    assert typed.status_code in (400, 409)
    with app.app_context():
        assert (
            db.session.scalar(
                select(Measurement.id).where(
                    Measurement.period == "2026-Q3", Measurement.indicator_id == indicator_id
                )
            )
            is None
        )


def test_a_stale_attendance_form_keeps_the_ticks_and_saves_nothing(app, world, login_as):
    client = login_as("lead")
    event_id = _create(client, world)
    (company,) = _companies(app, "Bouwbedrijf Flevo")
    client.post(f"/events/{event_id}/registrations/new", data={"organisation_ids": [str(company)]})
    with app.app_context():
        registration_id = db.session.scalar(select(Registration.id))
    response = client.post(
        f"/events/{event_id}/attendance",
        data={"versions": f"{registration_id}:7", f"attended_{registration_id}": "y"},
    )
    assert response.status_code == 409
    with app.app_context():
        assert db.session.scalar(select(Registration.attended)) is False


def test_follow_up_event_offers_the_interested_organisations(app, world, login_as):
    client = login_as("lead")
    first = _create(client, world)
    (company,) = _companies(app, "Bouwbedrijf Flevo")
    client.post(
        f"/events/{first}/registrations/new",
        data={"organisation_ids": [str(company)], "wants_follow_up": "y"},
    )
    second = _create(client, world, title="Vervolgbijeenkomst", follows_id=str(first))
    page = client.get(f"/events/{second}/registrations/new").text
    assert f'value="{company}" selected' in page or f'selected value="{company}"' in page


def test_pupils_reached_feed_a_pupils_indicator(app, world, login_as):
    indicator_id = _counted_indicator(app, world, "pupils_reached")
    client = login_as("lead")
    event_id = _create(client, world, kind="guest_lesson", title="Gastles lassen")
    with app.app_context():
        school = db.session.scalar(
            select(Organisation.id).where(Organisation.name == "Vmbo Almere")
        )
    response = client.post(
        f"/events/{event_id}/pupils/new", data={"school_id": school, "level": "vmbo", "number": 24}
    )
    assert response.status_code == 302
    with app.app_context():
        assert (
            db.session.scalar(
                select(Measurement.value).where(Measurement.indicator_id == indicator_id)
            )
            == 24
        )


def test_event_pages_run_a_bounded_number_of_queries(app, world, login_as):
    client = login_as("lead")
    event_id = _create(client, world)
    companies = _companies(app, *(f"Bedrijf {n}" for n in range(3)))
    client.post(
        f"/events/{event_id}/registrations/new",
        data={"organisation_ids": [str(c) for c in companies[:1]]},
    )
    small = count_queries(app, client, f"/events/{event_id}")
    more = _companies(app, *(f"Bedrijf {n}" for n in range(3, 12)))
    client.post(
        f"/events/{event_id}/registrations/new",
        data={"organisation_ids": [str(c) for c in companies[1:] + more]},
    )
    assert count_queries(app, client, f"/events/{event_id}") == small
    listing = f"/subprojects/{world['a']}/events"
    assert count_queries(app, client, listing) <= small


def test_the_indicator_page_says_how_it_is_counted_and_from_which_events(app, world, login_as):
    indicator_id = _counted_indicator(app, world)
    client = login_as("lead")
    event_id = _create(client, world)
    (company,) = _companies(app, "Bouwbedrijf Flevo")
    client.post(f"/events/{event_id}/registrations/new", data={"organisation_ids": [str(company)]})
    with app.app_context():
        registration = db.session.scalar(select(Registration))
        versions = f"{registration.id}:{registration.version}"
        registration_id = registration.id
    client.post(
        f"/events/{event_id}/attendance",
        data={"versions": versions, f"attended_{registration_id}": "y"},
    )
    page = client.get(f"/indicators/{indicator_id}").text
    assert "Geteld uit bijeenkomsten" in page
    assert f'href="/events/{event_id}"' in page
    assert "/measurements/" not in page.split("Geteld uit bijeenkomsten", 1)[1]


def test_a_counted_programme_indicator_has_no_field_on_the_programme_quarter_page(
    app, world, login_as
):
    with app.app_context():
        indicator = Indicator(
            programme_id=world["programme_id"],
            name="Bedrijven bereikt met bijeenkomsten",
            unit="bedrijven",
            baseline_value=0,
            baseline_date=date(2026, 1, 1),
            target_value=50,
            target_date=date(2027, 12, 31),
            counted_from="companies_attending",
        )
        db.session.add(indicator)
        db.session.commit()
        indicator_id = indicator.id
    page = login_as("manager").get(f"/programmes/{world['programme_id']}/quarter/2026-Q4")
    assert page.status_code == 200
    assert f'name="value_{indicator_id}"' not in page.text


def test_the_history_names_events_workshops_and_registrations(app, world, login_as):
    lead = login_as("lead")
    event_id = _create(lead, world)
    (company,) = _companies(app, "Bouwbedrijf Flevo")
    lead.post(f"/events/{event_id}/workshops/new", data={"topic": "Samen opleiden"})
    lead.post(f"/events/{event_id}/registrations/new", data={"organisation_ids": [str(company)]})
    manager = login_as("manager")
    page = manager.get(f"/subprojects/{world['a']}/history").text
    assert f'href="/events/{event_id}"' in page and "Clusterbijeenkomst Bouw" in page
    from tracker.audit.names import LOOK_UPS

    with app.test_request_context():
        workshop = db.session.scalar(select(Workshop.id))
        registration = db.session.scalar(select(Registration.id))
        assert LOOK_UPS["Workshop"]({workshop})[workshop].text == "Samen opleiden"
        named = LOOK_UPS["Registration"]({registration})[registration]
        assert (named.text, named.url) == ("Bouwbedrijf Flevo", f"/events/{event_id}")
