"""What an event led to: an action or a subproject linked back to the event it came from, set
on their forms or recorded from the event's page, shown on both pages and counted per event on
the reach page."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import count_queries
from sqlalchemy import select

from tracker.extensions import db
from tracker.models import Action, AuditEntry, Event, Programme, Subproject


@pytest.fixture
def meeting(app, world):
    with app.app_context():
        event = Event(
            programme_id=world["programme_id"],
            subproject_id=world["a"],
            kind="meeting",
            title="Clusterbijeenkomst Bouw",
            held_on=date(2026, 10, 15),
        )
        db.session.add(event)
        db.session.commit()
        return event.id


def _action_form(**changes) -> dict:
    data = {
        "title": "Samen opleiden in de bouw",
        "description": "",
        "owner_id": "",
        "start_date": "01-11-2026",
        "due_date": "31-03-2027",
        "state": "planned",
        "progress": "0",
        "from_event_id": "",
    }
    data.update(changes)
    return data


def test_lead_records_a_follow_up_from_the_event_page(app, world, login_as, meeting):
    client = login_as("lead")
    page = client.get(f"/events/{meeting}")
    assert "Wat het opleverde" in page.text and f"/events/{meeting}/follow-up" in page.text
    form = client.get(f"/events/{meeting}/follow-up").text
    assert "Vervolg op Clusterbijeenkomst Bouw" in form  # the title is filled in
    response = client.post(
        f"/events/{meeting}/follow-up", data=_action_form(subproject_id=str(world["a"]))
    )
    assert response.status_code == 302, response.text
    assert response.headers["Location"].endswith(f"/events/{meeting}#follow-ups")
    with app.app_context():
        action = db.session.scalar(select(Action).where(Action.title.like("Samen opleiden%")))
        assert (action.subproject_id, action.from_event_id) == (world["a"], meeting)
        changes = db.session.scalar(
            select(AuditEntry.changes).where(
                AuditEntry.entity == "Action", AuditEntry.entity_id == action.id
            )
        )
        assert changes["from_event_id"] == [None, meeting]
    event_page = client.get(f"/events/{meeting}").text
    assert "Samen opleiden in de bouw" in event_page
    subproject_page = client.get(f"/subprojects/{world['a']}").text
    assert "Voortgekomen uit bijeenkomst" in subproject_page
    assert f'href="/events/{meeting}"' in subproject_page


def test_a_lead_adds_no_follow_up_to_another_subproject(app, world, login_as, meeting):
    response = login_as("lead").post(
        f"/events/{meeting}/follow-up", data=_action_form(subproject_id=str(world["b"]))
    )
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(Action.id).where(Action.from_event_id.is_not(None))) is None


def test_steering_records_no_follow_up(world, login_as, meeting):
    client = login_as("steering")
    assert client.get(f"/events/{meeting}/follow-up").status_code == 403
    assert f"/events/{meeting}/follow-up" not in client.get(f"/events/{meeting}").text


def test_the_action_form_links_an_existing_action_to_an_event(app, world, login_as, meeting):
    with app.app_context():
        action = db.session.scalar(select(Action).where(Action.subproject_id == world["a"]))
        action_id, version = action.id, action.version
    client = login_as("lead")
    assert "Clusterbijeenkomst Bouw" in client.get(f"/actions/{action_id}/edit").text
    response = client.post(
        f"/actions/{action_id}/edit",
        data=_action_form(
            title="Gastlessen organiseren", from_event_id=str(meeting), version=str(version)
        ),
    )
    assert response.status_code == 302, response.text
    assert "Gastlessen organiseren" in client.get(f"/events/{meeting}").text


def test_an_event_of_another_programme_is_refused(app, world, login_as, meeting):
    with app.app_context():
        other = Programme(
            name="Metaalcluster", start_date=date(2026, 1, 1), end_date=date(2027, 12, 31)
        )
        db.session.add(other)
        db.session.flush()
        foreign = Event(
            programme_id=other.id, kind="meeting", title="Elders", held_on=date(2026, 10, 1)
        )
        db.session.add(foreign)
        db.session.commit()
        foreign_id = foreign.id
    response = login_as("lead").post(
        f"/subprojects/{world['a']}/actions/new", data=_action_form(from_event_id=str(foreign_id))
    )
    assert response.status_code == 400


def test_a_subproject_from_an_event_shows_on_both_pages_and_the_reach_counts_it(
    app, world, login_as, meeting
):
    with app.app_context():
        subproject = db.session.get(Subproject, world["b"])
        data = {
            "code": subproject.code,
            "name": subproject.name,
            "aim": "",
            "municipality_id": str(subproject.municipality_id),
            "from_event_id": str(meeting),
            "version": str(subproject.version),
        }
    client = login_as("manager")
    response = client.post(f"/setup/subprojects/{world['b']}/edit", data=data)
    assert response.status_code == 302, response.text
    client.post(f"/events/{meeting}/follow-up", data=_action_form(subproject_id=str(world["a"])))
    assert "Maritiem" in client.get(f"/events/{meeting}").text
    assert "Voortgekomen uit bijeenkomst" in client.get(f"/subprojects/{world['b']}").text
    reach = client.get(f"/programmes/{world['programme_id']}/events/reach?year=2026").text
    row = reach.split("Clusterbijeenkomst Bouw</a>")[1].split("</tr>")[0]
    assert [cell.split(">")[-1] for cell in row.split("</td>")[2:4]] == ["1", "1"]


def test_the_event_page_runs_a_bounded_number_of_queries(app, world, login_as, meeting):
    client = login_as("lead")
    before = count_queries(app, client, f"/events/{meeting}")
    for number in range(3):
        client.post(
            f"/events/{meeting}/follow-up",
            data=_action_form(title=f"Vervolg {number}", subproject_id=str(world["a"])),
        )
    assert count_queries(app, client, f"/events/{meeting}") == before


def test_deleting_an_event_unlinks_what_came_from_it_in_the_audit_trail(
    app, world, login_as, meeting
):
    """The action, the subproject and the event that named the deleted event keep existing
    without the link, and the history of each says so."""
    with app.app_context():
        action = Action(
            subproject_id=world["a"],
            title="Gastlessen",
            start_date=date(2026, 11, 1),
            due_date=date(2027, 3, 31),
            from_event_id=meeting,
        )
        later = Event(
            programme_id=world["programme_id"],
            kind="meeting",
            title="Terugkomdag",
            held_on=date(2026, 11, 20),
            follows_id=meeting,
        )
        subproject = db.session.get(Subproject, world["b"])
        subproject.from_event_id = meeting
        db.session.add_all([action, later])
        db.session.commit()
        linked = {"Action": action.id, "Event": later.id, "Subproject": world["b"]}
        version = db.session.get(Event, meeting).version
    client = login_as("manager")
    response = client.post(f"/events/{meeting}/delete", data={"version": str(version)})
    assert response.status_code == 302, response.text
    with app.app_context():
        assert db.session.get(Event, meeting) is None
        assert db.session.get(Action, linked["Action"]).from_event_id is None
        assert db.session.get(Event, linked["Event"]).follows_id is None
        assert db.session.get(Subproject, linked["Subproject"]).from_event_id is None
        for entity, entity_id in linked.items():
            changes = db.session.scalars(
                select(AuditEntry.changes).where(
                    AuditEntry.entity == entity,
                    AuditEntry.entity_id == entity_id,
                    AuditEntry.action == "update",
                )
            ).all()
            field = "follows_id" if entity == "Event" else "from_event_id"
            assert any(c.get(field) == [meeting, None] for c in changes), (entity, changes)
