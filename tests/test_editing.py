"""Forms for actions, milestones, indicators, measurements and organisation links.

Valid and invalid input, each role on each write, delete with confirmation, and no lost updates.
"""

from datetime import date

import pytest
from conftest import login
from sqlalchemy import func, select

from tracker.audit.models import AuditEntry
from tracker.extensions import db
from tracker.models import (
    Action,
    Indicator,
    Measurement,
    Milestone,
    MilestoneDateChange,
    Organisation,
    SubprojectOrganisation,
    User,
)

ROLES = ["admin", "manager", "steering", "lead"]


def _one(app, model, **where):
    with app.app_context():
        obj = db.session.scalar(select(model).filter_by(**where))
        if obj is not None:
            db.session.expunge(obj)
        return obj


def _count(app, model, **where):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).filter_by(**where))


def _action_data(**overrides):
    data = {
        "title": "Bedrijfsbezoeken",
        "description": "",
        "owner_id": "",
        "start_date": "2026-09-01",
        "due_date": "31-12-2026",
        "state": "planned",
        "progress": "0",
        "version": "",
    }
    data.update(overrides)
    return data


# --- actions -------------------------------------------------------------------------------


def test_lead_creates_an_action_in_own_subproject(app, login_as, world):
    client = login_as("lead")
    response = client.post(f"/subprojects/{world['a']}/actions/new", data=_action_data())
    assert response.status_code == 302
    action = _one(app, Action, title="Bedrijfsbezoeken")
    assert (action.subproject_id, action.due_date) == (world["a"], date(2026, 12, 31))
    body = client.get(f"/subprojects/{world['a']}").get_data(as_text=True)
    assert "Bedrijfsbezoeken" in body and "Actie opgeslagen." in body


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "Vul een titel in."),
        ({"due_date": "2026-08-01"}, "De einddatum kan niet voor de startdatum liggen."),
        ({"start_date": ""}, "Vul een datum in."),
        ({"start_date": "32-01-2026"}, "Vul een datum in zoals 30-09-2026."),
        ({"progress": "101"}, "Vul een heel getal van 0 tot en met 100 in."),
        ({"progress": "-1"}, "Vul een heel getal van 0 tot en met 100 in."),
        ({"progress": "veel"}, "Vul een heel getal van 0 tot en met 100 in."),
        ({"state": "half"}, "Kies een mogelijkheid uit de lijst."),
        ({"owner_id": "99999"}, "Kies een mogelijkheid uit de lijst."),
        ({"title": "x" * 201}, "Maximaal 200 tekens."),
    ],
)
def test_invalid_action_is_refused_with_a_message_beside_the_field(
    app, login_as, world, overrides, message
):
    response = login_as("lead").post(
        f"/subprojects/{world['a']}/actions/new", data=_action_data(**overrides)
    )
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert '<p class="error" id="' in body and message in body
    assert _count(app, Action) == 1


def test_stale_action_edit_is_refused_shows_the_change_and_keeps_the_input(app, login_as, world):
    action = _one(app, Action, title="Gastlessen organiseren")
    path = f"/actions/{action.id}/edit"
    manager = login_as("manager")
    base = _action_data(
        title="Gastlessen organiseren", state="running", progress="60", start_date="2026-01-01"
    )
    assert manager.post(path, data={**base, "progress": "80", "version": "1"}).status_code == 302
    manager.post("/logout")
    lead = login_as("lead")
    response = lead.post(path, data={**base, "title": "Mijn titel", "version": "1"})
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert "Iemand anders heeft dit opgeslagen" in body
    assert 'value="Mijn titel"' in body
    assert "Voortgang (%)</th><td>80</td><td>60</td>" in body
    assert "Programmaregisseur" in body
    assert 'name="version" type="hidden" value="2"' in body
    saved = _one(app, Action, id=action.id)
    assert (saved.title, saved.progress, saved.version) == ("Gastlessen organiseren", 80, 2)
    # Saving again on the version now shown overwrites knowingly.
    response = lead.post(path, data={**base, "title": "Mijn titel", "version": "2"})
    assert response.status_code == 302
    assert _one(app, Action, id=action.id).title == "Mijn titel"


def test_action_delete_asks_for_confirmation_then_deletes(app, login_as, world):
    client = login_as("lead")
    client.post(f"/subprojects/{world['a']}/actions/new", data=_action_data())
    action = _one(app, Action, title="Bedrijfsbezoeken")
    page = client.get(f"/actions/{action.id}/delete")
    assert page.status_code == 200
    assert "Weet je zeker dat je dit wilt verwijderen?" in page.get_data(as_text=True)
    assert _count(app, Action, id=action.id) == 1
    assert client.post(f"/actions/{action.id}/delete", data={"version": "1"}).status_code == 302
    assert _count(app, Action, id=action.id) == 0
    with app.app_context():
        entry = db.session.scalar(
            select(AuditEntry).where(
                AuditEntry.entity == "Action",
                AuditEntry.entity_id == action.id,
                AuditEntry.action == "delete",
            )
        )
        assert entry.changes["title"] == ["Bedrijfsbezoeken", None]


def test_action_with_a_milestone_cannot_be_deleted_and_says_why(app, login_as, world):
    action = _one(app, Action, title="Gastlessen organiseren")
    with app.app_context():
        milestone = db.session.scalar(select(Milestone).filter_by(title="Evaluatie"))
        milestone.action_id = action.id
        db.session.commit()
    client = login_as("lead")
    assert "1 mijlpaal is eraan gekoppeld" in client.get(f"/actions/{action.id}/delete").get_data(
        as_text=True
    )
    response = client.post(f"/actions/{action.id}/delete", data={"version": "1"})
    assert response.status_code == 409
    assert _count(app, Action, id=action.id) == 1


def test_stale_delete_is_refused(app, login_as, world):
    action = _one(app, Action, title="Gastlessen organiseren")
    response = login_as("lead").post(f"/actions/{action.id}/delete", data={"version": "0"})
    assert response.status_code == 409
    assert "Iemand anders heeft dit intussen gewijzigd" in response.get_data(as_text=True)
    assert _count(app, Action, id=action.id) == 1


# --- milestones ----------------------------------------------------------------------------


def _milestone_data(**overrides):
    data = {
        "title": "Techniekdag",
        "description": "",
        "action_id": "",
        "planned_date": "2027-05-01",
        "forecast_date": "",
        "achieved_on": "",
        "evidence": "",
        "version": "",
    }
    data.update(overrides)
    return data


def test_new_milestone_takes_its_planned_date_as_baseline(app, login_as, world):
    response = login_as("lead").post(
        f"/subprojects/{world['a']}/milestones/new", data=_milestone_data()
    )
    assert response.status_code == 302
    milestone = _one(app, Milestone, title="Techniekdag")
    assert milestone.baseline_date == milestone.planned_date == date(2027, 5, 1)


def _evaluatie(app):
    return _one(app, Milestone, title="Evaluatie")


def _edit_data(milestone, **overrides):
    base = {
        "title": milestone.title,
        "planned_date": milestone.planned_date.isoformat(),
        "at_risk": "y",
        "version": str(milestone.version),
    }
    return _milestone_data(**{**base, **overrides})


def test_moving_the_planned_date_needs_a_reason_and_is_recorded(app, login_as, world):
    milestone = _evaluatie(app)
    client = login_as("lead")
    path = f"/milestones/{milestone.id}/edit"
    response = client.post(path, data=_edit_data(milestone, planned_date="2027-06-01"))
    assert response.status_code == 400
    assert "Geef een reden: de geplande datum verschuift." in response.get_data(as_text=True)
    assert _evaluatie(app).planned_date == date(2027, 3, 1)
    assert _count(app, MilestoneDateChange) == 0

    data = _edit_data(milestone, planned_date="01-06-2027", reason="Subsidie later")
    assert client.post(path, data=data).status_code == 302
    saved = _evaluatie(app)
    assert saved.planned_date == date(2027, 6, 1)
    assert saved.baseline_date == date(2027, 3, 1)
    with app.app_context():
        change = db.session.scalar(select(MilestoneDateChange))
        lead = db.session.scalar(select(User).filter_by(email=world["users"]["lead"]))
        assert (change.from_date, change.to_date) == (date(2027, 3, 1), date(2027, 6, 1))
        assert change.reason == "Subsidie later" and change.changed_by_id == lead.id
    body = client.get(f"/milestones/{milestone.id}").get_data(as_text=True)
    assert "Subsidie later" in body and "Deelprojectleider A" in body and "92" in body


def test_baseline_date_cannot_be_changed_through_the_form(app, login_as, world):
    milestone = _evaluatie(app)
    data = _edit_data(milestone, baseline_date="2020-01-01")
    response = login_as("manager").post(f"/milestones/{milestone.id}/edit", data=data)
    assert response.status_code == 302
    assert _evaluatie(app).baseline_date == date(2027, 3, 1)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"achieved_on": "2026-11-20"}, "Beschrijf het bewijs dat hij behaald is."),
        (
            {"achieved_on": "2026-11-25", "evidence": "Verslag"},
            "De datum waarop hij behaald is kan niet in de toekomst liggen.",
        ),
        ({"planned_date": ""}, "Vul een datum in."),
        ({"title": ""}, "Vul een titel in."),
    ],
)
def test_invalid_milestone_is_refused(app, login_as, world, overrides, message):
    milestone = _evaluatie(app)
    response = login_as("lead").post(
        f"/milestones/{milestone.id}/edit", data=_edit_data(milestone, **overrides)
    )
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _evaluatie(app).version == 1


def test_achievement_is_marked_with_date_and_evidence(app, login_as, world):
    milestone = _evaluatie(app)
    data = _edit_data(milestone, achieved_on="2026-11-20", evidence="Evaluatierapport")
    assert login_as("lead").post(f"/milestones/{milestone.id}/edit", data=data).status_code == 302
    saved = _evaluatie(app)
    assert (saved.achieved_on, saved.evidence) == (date(2026, 11, 20), "Evaluatierapport")


def test_deleting_a_milestone_takes_its_date_changes_along(app, login_as, world):
    milestone = _evaluatie(app)
    client = login_as("lead")
    client.post(
        f"/milestones/{milestone.id}/edit",
        data=_edit_data(milestone, planned_date="2027-04-01", reason="Later"),
    )
    assert _count(app, MilestoneDateChange) == 1
    response = client.post(f"/milestones/{milestone.id}/delete", data={"version": "2"})
    assert response.status_code == 302
    assert _count(app, Milestone, id=milestone.id) == 0
    assert _count(app, MilestoneDateChange) == 0


# --- indicators and measurements -----------------------------------------------------------


def _indicator_data(**overrides):
    data = {
        "name": "Bedrijven betrokken",
        "unit": "bedrijven",
        "definition": "",
        "source": "",
        "direction": "up",
        "baseline_value": "0",
        "baseline_date": "2026-01-01",
        "target_value": "12,5",
        "target_date": "2027-12-31",
        "frequency": "quarterly",
        "rollup": "last",
        "version": "",
    }
    data.update(overrides)
    return data


def test_manager_creates_an_indicator_with_a_decimal_comma(app, login_as, world):
    response = login_as("manager").post(
        f"/subprojects/{world['a']}/indicators/new", data=_indicator_data()
    )
    assert response.status_code == 302
    indicator = _one(app, Indicator, name="Bedrijven betrokken")
    assert indicator.target_value == 12.5 and indicator.subproject_id == world["a"]
    assert indicator.programme_id == world["programme_id"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"target_date": "2025-12-31"}, "De streefdatum moet na de datum van de nulmeting liggen."),
        ({"target_value": "twaalf"}, "Vul een getal in zoals 12,5."),
        ({"target_value": ""}, "Vul een getal in."),
        ({"unit": ""}, "Vul een eenheid in."),
        ({"unit": "%", "target_value": "120"}, "Een percentage ligt tussen 0 en 100."),
        ({"direction": "sideways"}, "Kies een mogelijkheid uit de lijst."),
    ],
)
def test_invalid_indicator_is_refused(app, login_as, world, overrides, message):
    response = login_as("manager").post(
        f"/subprojects/{world['a']}/indicators/new", data=_indicator_data(**overrides)
    )
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _count(app, Indicator) == 3


def test_indicator_with_measurements_cannot_be_deleted(app, login_as, world):
    indicator = _one(app, Indicator, name="Leerlingen techniek")
    client = login_as("manager")
    response = client.post(f"/indicators/{indicator.id}/delete", data={"version": "1"})
    assert response.status_code == 409
    assert "2 metingen" in response.get_data(as_text=True)
    assert _count(app, Indicator, id=indicator.id) == 1
    empty = _one(app, Indicator, name="Stageplaatsen")
    assert client.post(f"/indicators/{empty.id}/delete", data={"version": "1"}).status_code == 302
    assert _count(app, Indicator, id=empty.id) == 0


def test_lead_enters_a_measurement(app, login_as, world):
    indicator = _one(app, Indicator, name="Uitval")
    client = login_as("lead")
    data = {"period": "2026-q4", "value": "17,5", "note": "Schatting", "source": "DUO"}
    response = client.post(f"/indicators/{indicator.id}/measurements/new", data=data)
    assert response.status_code == 302
    measurement = _one(app, Measurement, indicator_id=indicator.id, period="2026-Q4")
    assert (measurement.value, measurement.note) == (17.5, "Schatting")
    body = client.get(f"/indicators/{indicator.id}").get_data(as_text=True)
    assert "17,5" in body and "Deelprojectleider A" in body


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"period": "2026-Q5", "value": "3"}, "Vul een kwartaal in zoals 2026-Q3."),
        ({"period": "Q4", "value": "3"}, "Vul een kwartaal in zoals 2026-Q3."),
        ({"period": "2027-Q1", "value": "3"}, "Dit kwartaal is nog niet begonnen."),
        ({"period": "2026-Q4", "value": "veel"}, "Vul een getal in zoals 12,5."),
        ({"period": "2026-Q4", "value": ""}, "Vul een getal in."),
        ({"period": "2026-Q4", "value": "120"}, "Een percentage ligt tussen 0 en 100."),
        ({"period": "2026-Q3", "value": "18"}, "Dit kwartaal heeft al een waarde: wijzig die."),
    ],
)
def test_invalid_measurement_is_refused(app, login_as, world, data, message):
    indicator = _one(app, Indicator, name="Uitval")
    response = login_as("lead").post(f"/indicators/{indicator.id}/measurements/new", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _count(app, Measurement, indicator_id=indicator.id) == 1


def test_measurement_edit_is_version_checked(app, login_as, world):
    measurement = _one(app, Measurement, period="2026-Q3", value=19)
    client = login_as("lead")
    path = f"/measurements/{measurement.id}/edit"
    data = {"period": "2026-Q3", "value": "18", "version": "1"}
    assert client.post(path, data=data).status_code == 302
    response = client.post(path, data={**data, "value": "21"})
    assert response.status_code == 409
    assert _one(app, Measurement, id=measurement.id).value == 18


# --- organisation links --------------------------------------------------------------------


def test_link_an_existing_and_a_new_organisation(app, login_as, world):
    school = _one(app, Organisation, name="Vmbo Almere")
    client = login_as("manager")
    path = f"/subprojects/{world['b']}/organisations/new"
    data = {"organisation_id": str(school.id), "role": "partner"}
    assert client.post(path, data=data).status_code == 302
    response = client.post(path, data=data)
    assert response.status_code == 400
    assert "Deze organisatie is al aan dit deelproject gekoppeld." in response.get_data(
        as_text=True
    )
    new = {"organisation_id": "new", "new_name": "Scheepswerf Urk", "new_kind": "company"}
    response = client.post(path, data={**new, "role": "stagebedrijf"})
    assert response.status_code == 302
    assert _one(app, Organisation, name="Scheepswerf Urk").kind == "company"
    assert _count(app, SubprojectOrganisation, subproject_id=world["b"]) == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"organisation_id": "", "role": "partner"}, "Kies een organisatie, of een nieuwe."),
        ({"organisation_id": "new", "role": "x"}, "Vul de naam van de nieuwe organisatie in."),
        (
            {"organisation_id": "new", "new_name": "X", "role": "x"},
            "Kies het soort van de nieuwe organisatie.",
        ),
        (
            {
                "organisation_id": "new",
                "new_name": "vmbo almere",
                "new_kind": "company",
                "role": "x",
            },
            "Er bestaat al een organisatie met deze naam",
        ),
        ({"organisation_id": "new", "new_name": "X", "new_kind": "club", "role": "x"}, "Kies een"),
        ({"organisation_id": "12345", "role": "x"}, "Kies een mogelijkheid uit de lijst."),
        ({"organisation_id": "new", "new_name": "X", "new_kind": "company"}, "Vul de rol"),
    ],
)
def test_invalid_organisation_link_is_refused(app, login_as, world, data, message):
    response = login_as("lead").post(f"/subprojects/{world['a']}/organisations/new", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _count(app, Organisation) == 1


def test_edit_and_delete_an_organisation_link(app, login_as, world):
    link = _one(app, SubprojectOrganisation, role="trekker")
    client = login_as("lead")
    data = {"role": "kartrekker", "version": "1"}
    assert client.post(f"/organisation-links/{link.id}/edit", data=data).status_code == 302
    assert _one(app, SubprojectOrganisation, id=link.id).role == "kartrekker"
    response = client.post(f"/organisation-links/{link.id}/delete", data={"version": "2"})
    assert response.status_code == 302
    assert _count(app, SubprojectOrganisation) == 0
    assert _count(app, Organisation) == 1


# --- who may write -------------------------------------------------------------------------


def _writes(app, world):
    action = _one(app, Action, title="Gastlessen organiseren")
    milestone_a = _evaluatie(app)
    milestone_b = _one(app, Milestone, title="Werkplaats open")
    indicator_a = _one(app, Indicator, name="Uitval")
    indicator_b = _one(app, Indicator, name="Stageplaatsen")
    link = _one(app, SubprojectOrganisation, role="trekker")
    return {
        "new_action_own": (f"/subprojects/{world['a']}/actions/new", _action_data()),
        "new_action_other": (f"/subprojects/{world['b']}/actions/new", _action_data()),
        "edit_action_own": (
            f"/actions/{action.id}/edit",
            _action_data(start_date="2026-01-01", version="1"),
        ),
        "delete_action_own": (f"/actions/{action.id}/delete", {"version": "1"}),
        "new_milestone_own": (f"/subprojects/{world['a']}/milestones/new", _milestone_data()),
        "edit_milestone_other": (
            f"/milestones/{milestone_b.id}/edit",
            _edit_data(milestone_b),
        ),
        "delete_milestone_own": (f"/milestones/{milestone_a.id}/delete", {"version": "1"}),
        "new_indicator_own": (f"/subprojects/{world['a']}/indicators/new", _indicator_data()),
        "delete_indicator_other": (f"/indicators/{indicator_b.id}/delete", {"version": "1"}),
        "measurement_own": (
            f"/indicators/{indicator_a.id}/measurements/new",
            {"period": "2026-Q4", "value": "15"},
        ),
        "measurement_other": (
            f"/indicators/{indicator_b.id}/measurements/new",
            {"period": "2026-Q4", "value": "15"},
        ),
        "link_own": (
            f"/subprojects/{world['a']}/organisations/new",
            {"organisation_id": "new", "new_name": "Nieuw", "new_kind": "company", "role": "x"},
        ),
        "delete_link_own": (f"/organisation-links/{link.id}/delete", {"version": "1"}),
    }


WRITE_EXPECTED = {
    #                           admin manager steering lead
    "new_action_own": (302, 302, 403, 302),
    "new_action_other": (302, 302, 403, 403),
    "edit_action_own": (302, 302, 403, 302),
    "delete_action_own": (302, 302, 403, 302),
    "new_milestone_own": (302, 302, 403, 302),
    "edit_milestone_other": (302, 302, 403, 403),
    "delete_milestone_own": (302, 302, 403, 302),
    "new_indicator_own": (302, 302, 403, 403),
    "delete_indicator_other": (302, 302, 403, 403),
    "measurement_own": (302, 302, 403, 302),
    "measurement_other": (302, 302, 403, 403),
    "link_own": (302, 302, 403, 302),
    "delete_link_own": (302, 302, 403, 302),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("write", list(WRITE_EXPECTED))
def test_write_permissions(app, client, world, role, write):
    path, data = _writes(app, world)[write]
    assert login(client, world["users"][role]).status_code == 302
    with app.app_context():
        before = db.session.scalar(select(func.count(AuditEntry.id)))
    response = client.post(path, data=data)
    assert response.status_code == WRITE_EXPECTED[write][ROLES.index(role)], response.get_data(
        as_text=True
    )[-1500:]
    with app.app_context():
        after = db.session.scalar(select(func.count(AuditEntry.id)))
    assert (after > before) == (response.status_code == 302)


def test_steering_sees_no_edit_links_and_editors_do(login_as, world):
    client = login_as("steering")
    body = client.get(f"/subprojects/{world['a']}").get_data(as_text=True)
    for text in ("Nieuwe actie", "Nieuwe mijlpaal", "Organisatie koppelen", "Bewerken"):
        assert text not in body
    client.post("/logout")
    body = login_as("lead").get(f"/subprojects/{world['a']}").get_data(as_text=True)
    for text in ("Nieuwe actie", "Nieuwe mijlpaal", "Organisatie koppelen", "Bewerken"):
        assert text in body
    assert "Nieuwe indicator" not in body


def test_edit_form_without_csrf_token_is_refused(app, login_as, world):
    client = login_as("lead")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post(f"/subprojects/{world['a']}/actions/new", data=_action_data())
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400
    assert _count(app, Action) == 1


def test_every_form_page_opens_for_an_editor(app, login_as, world):
    action = _one(app, Action, title="Gastlessen organiseren")
    milestone = _evaluatie(app)
    indicator = _one(app, Indicator, name="Uitval")
    measurement = _one(app, Measurement, indicator_id=indicator.id)
    link = _one(app, SubprojectOrganisation, role="trekker")
    client = login_as("manager")
    pages = {
        f"/subprojects/{world['a']}/edit": "Deelproject bewerken",
        f"/subprojects/{world['a']}/actions/new": "Nieuwe actie",
        f"/actions/{action.id}/edit": 'value="Gastlessen organiseren"',
        f"/subprojects/{world['a']}/milestones/new": "Nieuwe mijlpaal",
        f"/milestones/{milestone.id}/edit": "vast: de eerste geplande datum",
        f"/milestones/{milestone.id}/delete": "Weet je zeker",
        f"/subprojects/{world['a']}/indicators/new": "Nieuwe indicator",
        f"/indicators/{indicator.id}/edit": 'value="Uitval"',
        f"/indicators/{indicator.id}/measurements/new": "In %.",
        f"/measurements/{measurement.id}/edit": 'value="19"',
        f"/subprojects/{world['a']}/organisations/new": "Organisatie koppelen",
        f"/organisation-links/{link.id}/edit": 'value="trekker"',
        f"/organisation-links/{link.id}/delete": "koppeling met Vmbo Almere",
    }
    for path, text in pages.items():
        response = client.get(path)
        assert response.status_code == 200, path
        assert text in response.get_data(as_text=True), path


def test_a_refused_form_lists_each_failing_field_with_a_link_to_it(login_as, world):
    response = login_as("lead").post(
        f"/subprojects/{world['a']}/milestones/new",
        data=_milestone_data(title="", planned_date="31-02-2027"),
    )
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    summary = body.split('class="error-summary"')[1].split("</div>")[0]
    assert "Er is niets opgeslagen: verbeter 2 velden" in summary
    assert '<a href="#title">Titel:' in summary and '<a href="#planned_date">' in summary
    assert body.index('class="error-summary"') < body.index('<form method="post" novalidate')
