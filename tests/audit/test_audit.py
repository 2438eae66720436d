"""The audit trail: every create, update and delete, in the same transaction, shown as history."""

import html
import re
from datetime import date, datetime

import pytest
from conftest import count_queries
from sqlalchemy import select

from tracker.audit.models import AuditEntry
from tracker.audit.recorder import REDACTED, AuditEntryImmutable, acting_user
from tracker.extensions import db
from tracker.models import Indicator, Measurement, Milestone, Subproject, User


def _entries(**where):
    query = select(AuditEntry).order_by(AuditEntry.id)
    for key, value in where.items():
        query = query.where(getattr(AuditEntry, key) == value)
    return db.session.scalars(query).all()


def _squeezed(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def _user_id(email):
    return db.session.scalar(select(User.id).where(User.email == email))


def test_create_update_and_delete_are_recorded_with_before_and_after(app, world):
    with app.app_context():
        manager = _user_id(world["users"]["manager"])
        with acting_user(manager):
            milestone = Milestone(
                subproject_id=world["a"],
                title="Open dag",
                baseline_date=date(2027, 4, 1),
                planned_date=date(2027, 4, 1),
            )
            db.session.add(milestone)
            db.session.commit()
            milestone_id = milestone.id
            milestone.title = "Open dag techniek"
            db.session.commit()
            db.session.delete(milestone)
            db.session.commit()
        created, updated, deleted = _entries(entity="Milestone", entity_id=milestone_id)
    assert (created.action, updated.action, deleted.action) == ("create", "update", "delete")
    assert created.changes["title"] == [None, "Open dag"]
    assert created.changes["planned_date"] == [None, "2027-04-01"]
    assert updated.changes["title"] == ["Open dag", "Open dag techniek"]
    assert "planned_date" not in updated.changes
    assert deleted.changes["title"] == ["Open dag techniek", None]
    assert {e.user_id for e in (created, updated, deleted)} == {manager}
    assert {e.subproject_id for e in (created, updated, deleted)} == {world["a"]}
    assert isinstance(created.at, datetime)


def test_change_of_a_value_not_loaded_before_still_records_the_old_value(app, world):
    with app.app_context():
        subproject = db.session.get(Subproject, world["a"])
        db.session.expire(subproject)
        subproject.name = "Nieuwe naam"
        db.session.commit()
        (entry,) = _entries(entity="Subproject", action="update")
    assert entry.changes["name"] == ["Leerlijn", "Nieuwe naam"]


def test_rolled_back_change_leaves_no_audit_entry(app, world):
    with app.app_context():
        before = len(_entries())
        db.session.get(Subproject, world["a"]).name = "Weg"
        db.session.flush()
        db.session.rollback()
        assert len(_entries()) == before


def test_measurement_entry_belongs_to_the_indicators_subproject(app, world):
    with app.app_context():
        indicator = db.session.scalar(select(Indicator).where(Indicator.name == "Stageplaatsen"))
        measurement = Measurement(indicator=indicator, period="2026-Q4", value=7)
        db.session.add(measurement)
        db.session.commit()
        (entry,) = _entries(entity="Measurement", entity_id=measurement.id)
        assert entry.subproject_id == world["b"]
        assert entry.changes["value"] == [None, 7]


def test_measurement_entries_name_the_subproject_whether_or_not_the_indicator_is_loaded(app, world):
    with app.app_context():
        loaded = db.session.scalar(select(Indicator).where(Indicator.name == "Stageplaatsen"))
        first = Measurement(indicator_id=loaded.id, period="2026-Q4", value=7)
        db.session.add(first)
        db.session.commit()  # expires the indicator: the next entry looks it up in the database
        second = Measurement(indicator_id=loaded.id, period="2026-Q3", value=8)
        db.session.add(second)
        db.session.commit()
        entries = [*_entries(entity_id=first.id), *_entries(entity_id=second.id)]
        assert [e.subproject_id for e in entries if e.entity == "Measurement"] == [
            world["b"],
            world["b"],
        ]


def test_entries_of_a_record_deleted_with_its_parent_name_no_subproject(app, world):
    with app.app_context():
        indicator = db.session.scalar(select(Indicator).where(Indicator.name == "Stageplaatsen"))
        measurement = Measurement(indicator=indicator, period="2026-Q4", value=7)
        db.session.add(measurement)
        db.session.commit()
        measurement_id = measurement.id
        indicator = db.session.scalar(select(Indicator).where(Indicator.name == "Stageplaatsen"))
        for stored in list(indicator.measurements):
            db.session.delete(stored)
        db.session.delete(indicator)
        db.session.commit()
        (deleted,) = [
            e
            for e in _entries(entity="Measurement", entity_id=measurement_id)
            if e.action == "delete"
        ]
        assert deleted.subproject_id is None


def test_one_flush_records_its_changes_in_a_fixed_order(app, world):
    with app.app_context():
        milestones = db.session.scalars(select(Milestone).order_by(Milestone.id)).all()
        for milestone in reversed(milestones):
            milestone.title += " (herzien)"
        db.session.commit()
        entries = sorted(_entries(entity="Milestone"), key=lambda e: e.id)
        updates = [e.entity_id for e in entries if e.action == "update"]
        assert updates == sorted(updates) and len(updates) == len(milestones)


def test_password_hash_is_never_stored_only_that_it_changed(app, world):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == world["users"]["lead"]))
        old_hash = user.password_hash
        user.set_password("another-long-password")
        db.session.commit()
        (entry,) = _entries(entity="User", action="update")
        assert entry.changes["password_hash"] == [REDACTED, REDACTED]
        created = _entries(entity="User", action="create")
        stored = repr([e.changes for e in created + [entry]])
    assert old_hash not in stored and "scrypt" not in stored and "pbkdf2" not in stored


def test_audit_entries_cannot_be_changed_or_deleted(app, world):
    with app.app_context():
        entry = _entries()[0]
        entry.entity = "Forged"
        with pytest.raises(AuditEntryImmutable):
            db.session.commit()
        db.session.rollback()
        db.session.delete(_entries()[0])
        with pytest.raises(AuditEntryImmutable):
            db.session.commit()
        db.session.rollback()


def test_no_route_writes_to_the_audit_trail(app):
    audit_rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("audit.")]
    assert audit_rules
    assert all(rule.methods <= {"GET", "HEAD", "OPTIONS"} for rule in audit_rules)


def test_edit_through_the_app_records_the_user_and_shows_in_history(app, login_as, world):
    client = login_as("lead")
    path = f"/subprojects/{world['a']}/edit"
    assert client.post(path, data={"name": "Leerlijn 2.0", "version": "1"}).status_code == 302
    with app.app_context():
        (entry,) = _entries(entity="Subproject", action="update")
        assert entry.user_id == _user_id(world["users"]["lead"])
    body = client.get(f"/subprojects/{world['a']}/history").get_data(as_text=True)
    assert "Deelprojectleider A" in body
    assert "Leerlijn 2.0" in body and "<del>Leerlijn</del>" in body
    assert "gewijzigd" in body


def test_subproject_history_shows_only_its_own_records(app, login_as, world):
    body = login_as("steering").get(f"/subprojects/{world['b']}/history").get_data(as_text=True)
    assert "Werkplaats open" in body
    assert "Convenant getekend" not in body


def test_milestone_and_indicator_history_pages(app, login_as, world):
    with app.app_context():
        milestone = db.session.scalar(select(Milestone).where(Milestone.title == "Evaluatie"))
        milestone.at_risk = False
        indicator = db.session.scalar(select(Indicator).where(Indicator.name == "Uitval"))
        db.session.add(Measurement(indicator=indicator, period="2026-Q4", value=16.5))
        db.session.commit()
        milestone_id, indicator_id = milestone.id, indicator.id
    client = login_as("steering")
    body = client.get(f"/milestones/{milestone_id}/history").get_data(as_text=True)
    assert "Risico" in body and "at_risk" not in body and "<del>ja</del> → nee" in body
    assert "Convenant getekend" not in body
    body = client.get(f"/indicators/{indicator_id}/history").get_data(as_text=True)
    assert "16,5" in body and "16.5" not in body and "4e kwartaal 2026" in body
    assert "Leerlingen techniek" not in body


def test_manager_filters_history_by_user_and_date(app, login_as, world):
    with app.app_context():
        manager = _user_id(world["users"]["manager"])
        lead = _user_id(world["users"]["lead"])
        with acting_user(manager):
            db.session.get(Subproject, world["a"]).name = "Door de regisseur"
            db.session.commit()
        with acting_user(lead):
            db.session.get(Subproject, world["b"]).name = "Door de trekker"
            db.session.commit()
    client = login_as("manager")
    body = client.get(f"/history?user={manager}").get_data(as_text=True)
    assert "Door de regisseur" in body and "Door de trekker" not in body
    body = client.get("/history?start=2000-01-01&end=2000-12-31").get_data(as_text=True)
    assert "Door de regisseur" not in body and "Geen wijzigingen vastgelegd." in body
    today = date.today().strftime("%d-%m-%Y")
    body = client.get(f"/history?start={today}&end={today}").get_data(as_text=True)
    assert "Door de regisseur" in body and "Door de trekker" in body


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("start=31-02-2026", "Vul een datum in zoals 30-09-2026."),
        ("start=gisteren", "Vul een datum in zoals 30-09-2026."),
        ("start=2026-12-01&end=2026-11-01", "De einddatum ligt voor de begindatum."),
        ("user=999999", "Kies een gebruiker uit de lijst."),
        ("user=abc", "Kies een gebruiker uit de lijst."),
    ],
)
def test_bad_history_filter_gives_a_clear_message(login_as, world, query, message):
    response = login_as("admin").get(f"/history?{query}")
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


@pytest.mark.parametrize(("role", "status"), [("lead", 403), ("steering", 403), ("admin", 200)])
def test_only_managers_search_the_whole_history(login_as, world, role, status):
    assert login_as(role).get("/history").status_code == status


def test_history_shows_dutch_field_names_and_formatted_values(app, login_as, world):
    with app.app_context():
        milestone = db.session.scalar(select(Milestone).where(Milestone.title == "Evaluatie"))
        indicator = db.session.scalar(select(Indicator).where(Indicator.name == "Stageplaatsen"))
        milestone_id, indicator_id = milestone.id, indicator.id
        with acting_user(_user_id(world["users"]["manager"])):
            milestone.planned_date = date(2026, 9, 30)
            db.session.add(Measurement(indicator_id=indicator.id, period="2026-Q4", value=1234.5))
            db.session.commit()
    client = login_as("manager")
    body = _squeezed(client.get(f"/milestones/{milestone_id}/history"))
    assert "Geplande datum" in body and "planned_date" not in body
    assert "<del>01-03-2027</del> → 30-09-2026" in body
    body = _squeezed(client.get(f"/indicators/{indicator_id}/history"))
    assert "Waarde</span>: 1.234,5" in body and "1234.5" not in body
    assert "Kwartaal</span>: 4e kwartaal 2026" in body and "indicator_id" not in body


def test_history_shows_labels_of_coded_values(app, login_as, world):
    with app.app_context(), acting_user(_user_id(world["users"]["manager"])):
        indicator = db.session.scalar(select(Indicator).where(Indicator.name == "Uitval"))
        indicator.rollup = "mean"
        db.session.commit()
        indicator_id = indicator.id
    body = _squeezed(login_as("manager").get(f"/indicators/{indicator_id}/history"))
    assert "<del>Laatste waarde</del> → Gemiddelde" in body and "rollup" not in body


def test_a_field_is_named_for_the_record_it_belongs_to(app):
    from tracker.audit.labels import field_label

    with app.test_request_context():
        assert field_label("baseline_date", "Milestone") == "Oorspronkelijke datum"
        assert field_label("baseline_date", "Indicator") == "Datum nulmeting"
        assert field_label("baseline_value", "Indicator") == "Nulmeting"


def test_history_names_records_and_people_instead_of_ids(app, login_as, world):
    """ "Uitval K4 2026" with a link, "Ingevoerd door: Deelprojectleider A", never "#7" or "4"."""
    with app.app_context():
        indicator = db.session.scalar(select(Indicator).where(Indicator.name == "Uitval"))
        lead = db.session.scalar(select(User).where(User.email == world["users"]["lead"]))
        db.session.add(
            Measurement(indicator=indicator, period="2026-Q4", value=16.5, entered_by_id=lead.id)
        )
        doomed = db.session.scalar(select(Milestone).where(Milestone.title == "Evaluatie"))
        db.session.delete(doomed)
        db.session.commit()
        indicator_id = indicator.id
    body = login_as("manager").get(f"/subprojects/{world['a']}/history").get_data(as_text=True)
    text = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))
    assert f'<a href="/indicators/{indicator_id}">Uitval K4 2026</a>' in body
    assert "Ingevoerd door : Deelprojectleider A" in text
    assert "Mijlpaal: Evaluatie" in text  # deleted, named by its deletion entry
    assert not re.search(r"#\d+", text)


def test_history_comes_in_pages(app, login_as, world):
    from tracker.audit import queries

    with app.app_context():
        subproject = db.session.get(Subproject, world["a"])
        for n in range(queries.PAGE_SIZE * 2 + 5):
            subproject.aim = f"Doel {n}"
            db.session.commit()
    client = login_as("manager")
    first = client.get(f"/subprojects/{world['a']}/history").get_data(as_text=True)
    assert first.count("<tr>") - 1 == queries.PAGE_SIZE and "Oudere wijzigingen" in first
    assert "Nieuwere wijzigingen" not in first
    last = client.get(f"/subprojects/{world['a']}/history?page=3").get_data(as_text=True)
    assert "Nieuwere wijzigingen" in last and "Oudere wijzigingen" not in last
    assert "Doel 0" in last and "Doel 0" not in first
    assert client.get("/history?page=abc").status_code == 200
    assert client.get("/history?page=-5").status_code == 200
    # names are looked up per kind of record, not per entry
    few = count_queries(app, client, f"/subprojects/{world['b']}/history")
    assert count_queries(app, client, f"/subprojects/{world['a']}/history?page=2") <= few + 2


def test_every_kind_of_audited_record_has_a_dutch_name_in_the_history(app):
    """The history names each kind of record (an event, a workshop, a municipality...) in the
    reader's language, never by its class name."""
    from flask_babel import force_locale

    from tracker.audit.labels import ENTITY_LABELS
    from tracker.audit.recorder import _audited_classes

    with app.test_request_context(), force_locale("nl"):
        for model in _audited_classes():
            assert model.__name__ in ENTITY_LABELS, model.__name__
        assert str(ENTITY_LABELS["Event"]) == "Bijeenkomst"
        assert str(ENTITY_LABELS["PupilsReached"]) == "Leerlingen bereikt"


def test_the_event_pages_call_an_event_a_gathering_not_a_security_event(app, login_as, world):
    """'Gebeurtenis' is the security log's word; a bijeenkomst is one everywhere else."""
    client = login_as("manager")
    programme = world["programme_id"]
    created = client.post(
        f"/programmes/{programme}/events/new",
        data={"kind": "meeting", "title": "Clusterbijeenkomst Bouw", "held_on": "15-10-2026"},
    )
    assert created.status_code == 302
    for path in (f"/programmes/{programme}/events", f"/programmes/{programme}/events/reach"):
        page = client.get(path)
        assert page.status_code == 200, path
        body = page.get_data(as_text=True)
        assert "Gebeurtenis" not in body and "Bijeenkomst" in body, path
