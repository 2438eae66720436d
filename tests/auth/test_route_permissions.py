"""Every rule of the app's URL map, every method, against every role: allowed, refused (403) or
sent to the login page. A route added without an entry in ``EXPECTED`` fails the suite, so no
page can ship without a decision on who may use it (least privilege per role, DESIGN.md)."""

import re
from datetime import date

import pytest
from conftest import login, waiting_import
from sqlalchemy import select

from tracker.extensions import db
from tracker.models import (
    Action,
    CircleMembership,
    Contact,
    Decision,
    DecisionSubproject,
    Event,
    Indicator,
    Measurement,
    Meeting,
    Milestone,
    Municipality,
    Organisation,
    PupilsReached,
    QuarterlyUpdate,
    Registration,
    StoredReport,
    Subproject,
    SubprojectOrganisation,
    User,
    Workshop,
)

ROLES = ("admin", "manager", "steering", "lead")
EVERYONE = set(ROLES)
MANAGERS = {"admin", "manager"}
READERS = {"admin", "manager", "steering"}
EDITORS = {"admin", "manager", "lead"}  # the lead of the record's subproject, "A" here
PUBLIC = "public"  # no log-in needed

# (endpoint, method) -> the roles that may use it, or PUBLIC
EXPECTED = {
    ("projects.overview", "GET"): EVERYONE,
    ("projects.programme", "GET"): EVERYONE,
    ("projects.subproject", "GET"): EVERYONE,
    ("projects.edit_subproject", "GET"): EDITORS,
    ("projects.edit_subproject", "POST"): EDITORS,
    ("projects.new_action", "GET"): EDITORS,
    ("projects.new_action", "POST"): EDITORS,
    ("projects.edit_action", "GET"): EDITORS,
    ("projects.edit_action", "POST"): EDITORS,
    ("projects.delete_action", "GET"): EDITORS,
    ("projects.delete_action", "POST"): EDITORS,
    ("projects.new_organisation_link", "GET"): EDITORS,
    ("projects.new_organisation_link", "POST"): EDITORS,
    ("projects.edit_organisation_link", "GET"): EDITORS,
    ("projects.edit_organisation_link", "POST"): EDITORS,
    ("projects.delete_organisation_link", "GET"): EDITORS,
    ("projects.delete_organisation_link", "POST"): EDITORS,
    ("projects.quarter_page", "GET"): EDITORS,
    ("projects.quarter_page", "POST"): EDITORS,
    ("milestones.milestone", "GET"): EVERYONE,
    ("milestones.new_milestone", "GET"): EDITORS,
    ("milestones.new_milestone", "POST"): EDITORS,
    ("milestones.edit_milestone", "GET"): EDITORS,
    ("milestones.edit_milestone", "POST"): EDITORS,
    ("milestones.delete_milestone", "GET"): EDITORS,
    ("milestones.delete_milestone", "POST"): EDITORS,
    ("indicators.indicator", "GET"): EVERYONE,
    ("indicators.new_indicator", "GET"): MANAGERS,
    ("indicators.new_indicator", "POST"): MANAGERS,
    ("indicators.edit_indicator", "GET"): MANAGERS,
    ("indicators.edit_indicator", "POST"): MANAGERS,
    ("indicators.delete_indicator", "GET"): MANAGERS,
    ("indicators.delete_indicator", "POST"): MANAGERS,
    ("indicators.new_measurement", "GET"): EDITORS,
    ("indicators.new_measurement", "POST"): EDITORS,
    ("indicators.edit_measurement", "GET"): EDITORS,
    ("indicators.edit_measurement", "POST"): EDITORS,
    ("indicators.excel_template", "GET"): EDITORS,
    ("indicators.excel_upload", "GET"): EDITORS,
    ("indicators.excel_upload", "POST"): EDITORS,
    ("indicators.excel_apply", "POST"): EDITORS,
    ("indicators.new_programme_indicator", "GET"): MANAGERS,
    ("indicators.new_programme_indicator", "POST"): MANAGERS,
    ("indicators.programme_quarter", "GET"): MANAGERS,
    ("indicators.programme_quarter", "POST"): MANAGERS,
    ("setup.index", "GET"): EVERYONE,
    ("setup.programme", "GET"): EVERYONE,
    ("setup.new_programme", "GET"): MANAGERS,
    ("setup.new_programme", "POST"): MANAGERS,
    ("setup.edit_programme", "GET"): MANAGERS,
    ("setup.edit_programme", "POST"): MANAGERS,
    ("setup.archive_programme", "GET"): MANAGERS,
    ("setup.archive_programme", "POST"): MANAGERS,
    ("setup.restore_programme", "POST"): MANAGERS,
    ("setup.delete_programme", "GET"): MANAGERS,
    ("setup.delete_programme", "POST"): MANAGERS,
    ("setup.municipalities", "GET"): EVERYONE,
    ("setup.new_municipality", "GET"): MANAGERS,
    ("setup.new_municipality", "POST"): MANAGERS,
    ("setup.edit_municipality", "GET"): MANAGERS,
    ("setup.edit_municipality", "POST"): MANAGERS,
    ("setup.delete_municipality", "GET"): MANAGERS,
    ("setup.delete_municipality", "POST"): MANAGERS,
    ("setup.new_subproject", "GET"): MANAGERS,
    ("setup.new_subproject", "POST"): MANAGERS,
    ("setup.edit_subproject", "GET"): MANAGERS,
    ("setup.edit_subproject", "POST"): MANAGERS,
    ("setup.archive_subproject", "GET"): MANAGERS,
    ("setup.archive_subproject", "POST"): MANAGERS,
    ("setup.restore_subproject", "POST"): MANAGERS,
    ("setup.delete_subproject", "GET"): MANAGERS,
    ("setup.delete_subproject", "POST"): MANAGERS,
    ("setup.plan_template", "GET"): MANAGERS,
    ("setup.plan_import_page", "GET"): MANAGERS,
    ("setup.plan_import_page", "POST"): MANAGERS,
    ("setup.plan_import_apply", "POST"): MANAGERS,
    ("stakeholders.index", "GET"): EVERYONE,
    ("stakeholders.organisation", "GET"): EVERYONE,
    ("stakeholders.municipality", "GET"): EVERYONE,
    ("stakeholders.new_organisation", "GET"): MANAGERS,
    ("stakeholders.new_organisation", "POST"): MANAGERS,
    ("stakeholders.edit_organisation", "GET"): MANAGERS,
    ("stakeholders.edit_organisation", "POST"): MANAGERS,
    ("stakeholders.archive_organisation", "GET"): MANAGERS,
    ("stakeholders.archive_organisation", "POST"): MANAGERS,
    ("stakeholders.restore_organisation", "POST"): MANAGERS,
    ("stakeholders.new_participation", "GET"): MANAGERS,
    ("stakeholders.new_participation", "POST"): MANAGERS,
    ("stakeholders.new_member", "GET"): MANAGERS,
    ("stakeholders.new_member", "POST"): MANAGERS,
    ("stakeholders.delete_membership", "GET"): MANAGERS,
    ("stakeholders.delete_membership", "POST"): MANAGERS,
    ("stakeholders.contacts", "GET"): MANAGERS,
    ("stakeholders.new_contact", "GET"): MANAGERS,
    ("stakeholders.new_contact", "POST"): MANAGERS,
    ("stakeholders.edit_contact", "GET"): MANAGERS,
    ("stakeholders.edit_contact", "POST"): MANAGERS,
    ("stakeholders.confirm_contact", "POST"): MANAGERS,
    ("stakeholders.export_contact", "GET"): MANAGERS,
    ("stakeholders.erase_contact", "GET"): MANAGERS,
    ("stakeholders.erase_contact", "POST"): MANAGERS,
    ("stakeholders.merge", "GET"): MANAGERS,
    ("stakeholders.merge", "POST"): MANAGERS,
    ("stakeholders.confirm_merge", "GET"): MANAGERS,
    ("stakeholders.confirm_merge", "POST"): MANAGERS,
    ("events.new_follow_up", "GET"): EDITORS,
    ("events.new_follow_up", "POST"): EDITORS,
    ("events.programme_events", "GET"): EVERYONE,
    ("events.subproject_events", "GET"): EVERYONE,
    ("events.reach", "GET"): EVERYONE,
    ("events.event", "GET"): EVERYONE,
    ("events.new_event", "GET"): EDITORS,
    ("events.new_event", "POST"): EDITORS,
    ("events.new_programme_event", "GET"): MANAGERS,
    ("events.new_programme_event", "POST"): MANAGERS,
    ("events.edit_event", "GET"): EDITORS,
    ("events.edit_event", "POST"): EDITORS,
    ("events.delete_event", "GET"): EDITORS,
    ("events.delete_event", "POST"): EDITORS,
    ("events.new_workshop", "GET"): EDITORS,
    ("events.new_workshop", "POST"): EDITORS,
    ("events.edit_workshop", "GET"): EDITORS,
    ("events.edit_workshop", "POST"): EDITORS,
    ("events.delete_workshop", "GET"): EDITORS,
    ("events.delete_workshop", "POST"): EDITORS,
    ("events.new_registration", "GET"): EDITORS,
    ("events.new_registration", "POST"): EDITORS,
    ("events.delete_registration", "GET"): EDITORS,
    ("events.delete_registration", "POST"): EDITORS,
    ("events.attendance", "GET"): EDITORS,
    ("events.attendance", "POST"): EDITORS,
    ("events.new_pupils", "GET"): EDITORS,
    ("events.new_pupils", "POST"): EDITORS,
    ("events.delete_pupils", "GET"): EDITORS,
    ("events.delete_pupils", "POST"): EDITORS,
    ("events.registration_template", "GET"): EDITORS,
    ("events.import_registrations", "GET"): EDITORS,
    ("events.import_registrations", "POST"): EDITORS,
    ("events.apply_registrations", "POST"): EDITORS,
    # the people of a registration are contact persons: personal data
    ("events.registration_people", "GET"): MANAGERS,
    ("events.registration_people", "POST"): MANAGERS,
    ("events.adjust_count", "GET"): EDITORS,
    ("events.adjust_count", "POST"): EDITORS,
    ("events.remove_adjustment", "POST"): EDITORS,
    ("attendance_list.attendance_list", "GET"): EVERYONE,
    ("audit.search", "GET"): MANAGERS,
    ("audit.subproject_history", "GET"): EVERYONE,
    ("audit.milestone_history", "GET"): EVERYONE,
    ("audit.indicator_history", "GET"): EVERYONE,
    ("dashboard.dashboard", "GET"): EVERYONE,
    ("dashboard.plotly_js", "GET"): PUBLIC,  # the library itself, like static files
    ("reports.reports_home", "GET"): READERS,
    ("reports.index", "GET"): READERS,
    ("reports.programme_pdf", "GET"): READERS,
    ("reports.subproject_pdf", "GET"): READERS,
    ("reports.programme_export", "GET"): READERS,
    ("reports.subproject_export", "GET"): READERS,
    ("reports.build_status", "GET"): READERS,
    # anyone who confirmed an upload follows its job; another user's run is not found (404)
    ("imports.progress", "GET"): EVERYONE,
    ("imports.status", "GET"): EVERYONE,
    ("reports.build_download", "GET"): READERS,
    ("reports.close", "GET"): MANAGERS,
    ("reports.close", "POST"): MANAGERS,
    ("reports.withdrawn_pdf", "GET"): READERS,
    ("reports.closing_status", "GET"): READERS,
    ("reports.reopen", "GET"): MANAGERS,
    ("reports.reopen", "POST"): MANAGERS,
    ("season.overview", "GET"): MANAGERS,
    ("season.terms", "GET"): MANAGERS,
    ("season.terms", "POST"): MANAGERS,
    ("season.submit", "POST"): EDITORS,
    ("season.review", "POST"): MANAGERS,
    ("season.mine", "GET"): {"lead"},
    ("season.reminder_setting", "POST"): EVERYONE,
    ("steering.tolerances", "GET"): MANAGERS,
    ("steering.tolerances", "POST"): MANAGERS,
    ("steering.meetings_home", "GET"): READERS,
    ("steering.meetings", "GET"): READERS,
    ("steering.meeting", "GET"): READERS,
    ("steering.new_meeting", "GET"): MANAGERS,
    ("steering.new_meeting", "POST"): MANAGERS,
    ("steering.edit_meeting", "GET"): MANAGERS,
    ("steering.edit_meeting", "POST"): MANAGERS,
    ("steering.delete_meeting", "GET"): MANAGERS,
    ("steering.delete_meeting", "POST"): MANAGERS,
    ("steering.decision_log", "GET"): READERS,
    ("steering.decision_history", "GET"): READERS,
    # the lead of a subproject the decision concerns ("A" here); others are refused
    ("steering.decision", "GET"): EVERYONE,
    ("steering.new_decision", "GET"): MANAGERS,
    ("steering.new_decision", "POST"): MANAGERS,
    ("steering.edit_decision", "GET"): MANAGERS,
    ("steering.edit_decision", "POST"): MANAGERS,
    ("steering.new_follow_up", "GET"): MANAGERS,
    ("steering.new_follow_up", "POST"): MANAGERS,
    ("steering.advice", "GET"): MANAGERS,
    ("steering.advice", "POST"): MANAGERS,
    ("reports.steering_pack_pdf", "GET"): READERS,
    ("auth.users", "GET"): {"admin"},
    ("auth.new_user", "GET"): {"admin"},
    ("auth.new_user", "POST"): {"admin"},
    ("auth.edit_user", "GET"): {"admin"},
    ("auth.edit_user", "POST"): {"admin"},
    ("auth.reset_password", "GET"): {"admin"},
    ("auth.reset_password", "POST"): {"admin"},
    ("auth.delete_user", "GET"): {"admin"},
    ("auth.delete_user", "POST"): {"admin"},
    ("security_events.events", "GET"): {"admin"},
    ("auth.reset_mfa", "GET"): {"admin"},
    ("auth.reset_mfa", "POST"): {"admin"},
    ("auth.account", "GET"): EVERYONE,
    ("auth.change_password", "GET"): EVERYONE,
    ("auth.change_password", "POST"): EVERYONE,
    ("auth.mfa_setup", "GET"): EVERYONE,
    ("auth.mfa_setup", "POST"): EVERYONE,
    ("auth.renew_recovery_codes", "POST"): EVERYONE,
    ("auth.mfa_off", "POST"): EVERYONE,
    ("auth.login_code", "GET"): PUBLIC,  # without a pending log-in it sends to the login page
    ("auth.login_code", "POST"): PUBLIC,
    ("auth.login", "GET"): PUBLIC,
    ("auth.login", "POST"): PUBLIC,
    ("auth.logout", "POST"): EVERYONE,
    ("auth.set_language", "POST"): PUBLIC,
    ("static", "GET"): PUBLIC,
}


def _routes(app) -> list[tuple[str, str, str]]:
    """(endpoint, method, rule) of every rule; a rule with optional parts counts once per form."""
    found = []
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((rule.endpoint, method, rule.rule))
    return found


def test_every_route_has_a_permission_entry(app):
    routes = {(endpoint, method) for endpoint, method, _ in _routes(app)}
    assert routes - set(EXPECTED) == set(), "routes without a permission entry"
    assert set(EXPECTED) - routes == set(), "entries for routes that no longer exist"


def _stored_report(programme_id: int) -> int:
    row = StoredReport(
        input_hash="0" * 64, programme_id=programme_id, quarter="2026-Q3", variant="concept"
    )
    db.session.add(row)
    db.session.commit()
    return row.id


def _circle_and_contact() -> tuple[int, int, int]:
    """A TechNet circle with the school as member, and a contact person of the school: the
    stakeholder routes' ids (the circle's id is the organisation id, so its member routes work)."""
    school = db.session.scalar(select(Organisation).where(Organisation.name == "Vmbo Almere"))
    circle = Organisation(name="TechNet kring Almere", kind="technet_circle")
    db.session.add(circle)
    db.session.flush()
    membership = CircleMembership(circle_id=circle.id, member_id=school.id)
    contact = Contact(organisation_id=school.id, name="Anna de Boer", purpose="Stages")
    db.session.add_all([membership, contact])
    db.session.commit()
    return circle.id, membership.id, contact.id


def _meeting_with_decision(programme_id: int, subproject_id: int) -> tuple[int, int, int]:
    """A meeting, a decision concerning ``subproject_id`` and a request its lead asked."""
    update = db.session.scalar(
        select(QuarterlyUpdate).where(QuarterlyUpdate.subproject_id == subproject_id)
    )
    update.decisions_requested = "Meer budget"
    meeting = Meeting(
        programme_id=programme_id, held_on=date(2026, 11, 10), title="Stuurgroep", quarter="2026-Q3"
    )
    decision = Decision(meeting=meeting, number=1, text="Besluit")
    decision.subproject_links.append(DecisionSubproject(subproject_id=subproject_id))
    db.session.add_all([meeting, decision])
    db.session.commit()
    return meeting.id, decision.id, update.id


def _event_records(subproject_id: int) -> dict:
    """An event of subproject A with a workshop, a registration and pupils reached."""
    school = db.session.scalar(select(Organisation).where(Organisation.name == "Vmbo Almere"))
    programme_id = db.session.get(Subproject, subproject_id).programme_id
    event = Event(
        programme_id=programme_id,
        subproject_id=subproject_id,
        kind="guest_lesson",
        title="Gastles",
        held_on=date(2026, 10, 1),
    )
    workshop = Workshop(event=event, topic="Lassen")
    registration = Registration(event=event, organisation_id=school.id)
    pupils = PupilsReached(event=event, school_id=school.id, level="vmbo", number=20)
    db.session.add_all([event, workshop, registration, pupils])
    db.session.commit()
    return {
        "event_id": event.id,
        "workshop_id": workshop.id,
        "registration_id": registration.id,
        "pupils_id": pupils.id,
    }


def _values(app, world) -> dict:
    """A record of subproject A (led by the lead) for every kind of id a route takes."""
    a = world["a"]
    with app.app_context():
        meeting_id, decision_id, request_id = _meeting_with_decision(world["programme_id"], a)
        first = lambda query: db.session.scalar(query.limit(1))  # noqa: E731
        circle_id, membership_id, contact_id = _circle_and_contact()
        return {
            **_event_records(a),
            "organisation_id": circle_id,
            "keep_id": first(select(Organisation.id).where(Organisation.name == "Vmbo Almere")),
            "membership_id": membership_id,
            "contact_id": contact_id,
            "programme_id": world["programme_id"],
            "subproject_id": a,
            "action_id": first(select(Action.id).where(Action.subproject_id == a)),
            "milestone_id": first(select(Milestone.id).where(Milestone.subproject_id == a)),
            "indicator_id": first(select(Indicator.id).where(Indicator.subproject_id == a)),
            "measurement_id": first(
                select(Measurement.id)
                .join(Indicator, Indicator.id == Measurement.indicator_id)
                .where(Indicator.subproject_id == a)
            ),
            "link_id": first(
                select(SubprojectOrganisation.id).where(SubprojectOrganisation.subproject_id == a)
            ),
            "user_id": first(select(User.id).where(User.role == "steering")),
            "municipality_id": first(select(Municipality.id)),
            "report_id": _stored_report(world["programme_id"]),
            "run_id": waiting_import(world["programme_id"]),
            "meeting_id": meeting_id,
            "decision_id": decision_id,
            "request_id": request_id,
            "quarter": "2026-Q3",
            "report_version": 1,
            "fmt": "csv",
            "code": "en",
            "version": __import__("plotly").__version__,
            "filename": "css/app.css",
        }


def _cases(app_rules):
    return [
        pytest.param(endpoint, method, rule, role, id=f"{endpoint}-{method}-{rule}-{role}")
        for endpoint, method, rule in app_rules
        for role in (*ROLES, "anonymous")
    ]


def _app_rules():
    from tracker import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "collect"})
    return _routes(app)


@pytest.fixture
def quick_pdf(monkeypatch):
    """The permission is what is tested here, not WeasyPrint: a PDF is a stub."""
    from tracker.reports import pdf

    monkeypatch.setattr(pdf, "html_to_pdf", lambda html, timings=None: b"%PDF-1.7 stub")


@pytest.mark.parametrize(("endpoint", "method", "rule", "role"), _cases(_app_rules()))
def test_route_refuses_whom_it_should(app, client, world, quick_pdf, endpoint, method, rule, role):
    values = _values(app, world)
    path = rule
    for name, value in values.items():
        path = re.sub(rf"<(\w+:)?{name}>", str(value), path)
    assert "<" not in path, f"no test value for an argument of {rule}"
    allowed = EXPECTED[(endpoint, method)]
    if role != "anonymous":
        assert login(client, world["users"][role]).status_code == 302
    response = client.open(path, method=method, data={})
    status = response.status_code
    location = response.headers.get("Location", "")
    if allowed == PUBLIC:
        assert status not in (401, 403) and "/login?" not in location
    elif role == "anonymous":
        assert status == 302 and "/login" in location, (path, status)
    elif role in allowed:
        assert status != 403 and status < 500, (path, status)
        assert "/login" not in location or endpoint == "auth.logout", (path, location)
    else:
        assert status == 403, (path, status)
