"""Every rule of the app's URL map, every method, against every role: allowed, refused (403) or
sent to the login page. A route added without an entry in ``EXPECTED`` fails the suite, so no
page can ship without a decision on who may use it (least privilege per role, DESIGN.md)."""

import re

import pytest
from conftest import login
from sqlalchemy import select

from tracker.extensions import db
from tracker.models import (
    Action,
    Indicator,
    Measurement,
    Milestone,
    Municipality,
    StoredReport,
    SubprojectOrganisation,
    User,
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
    ("reports.close", "POST"): MANAGERS,
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


def _values(app, world) -> dict:
    """A record of subproject A (led by the lead) for every kind of id a route takes."""
    a = world["a"]
    with app.app_context():
        first = lambda query: db.session.scalar(query.limit(1))  # noqa: E731
        return {
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
            "quarter": "2026-Q3",
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
