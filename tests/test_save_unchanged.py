"""Every edit form, opened and saved without a change, changes nothing: no field is lost because
the form shows it differently from how it reads it back (the admin's user form once dropped a
lead's subprojects this way: WTForms compared the integer ids as text and selected none)."""

import pytest
from conftest import exception_report, form_as_sent
from sqlalchemy import func, select

from tracker.audit.models import AuditEntry
from tracker.extensions import db
from tracker.models import (
    Action,
    Indicator,
    Measurement,
    Milestone,
    Organisation,
    SubprojectOrganisation,
    User,
)


def _ids(app, world) -> dict:
    a = world["a"]
    with app.app_context():
        first = lambda query: db.session.scalar(query.order_by(query.selected_columns[0]).limit(1))  # noqa: E731
        return {
            "subproject": a,
            "action": first(select(Action.id).where(Action.subproject_id == a)),
            "link": first(
                select(SubprojectOrganisation.id).where(SubprojectOrganisation.subproject_id == a)
            ),
            "milestone": first(
                select(Milestone.id).where(
                    Milestone.subproject_id == a, Milestone.achieved_on.is_(None)
                )
            ),
            "indicator": first(select(Indicator.id).where(Indicator.subproject_id == a)),
            "measurement": first(
                select(Measurement.id)
                .join(Indicator, Indicator.id == Measurement.indicator_id)
                .where(Indicator.subproject_id == a)
            ),
            "lead": db.session.scalar(select(User.id).where(User.role == "lead")),
            "organisation": first(select(Organisation.id)),
        }


EDIT_PAGES = [
    ("admin", "/users/{lead}/edit"),
    ("manager", "/subprojects/{subproject}/edit"),
    ("manager", "/actions/{action}/edit"),
    ("manager", "/organisation-links/{link}/edit"),
    ("manager", "/milestones/{milestone}/edit"),
    ("manager", "/indicators/{indicator}/edit"),
    ("manager", "/organisations/{organisation}/edit"),
    ("lead", "/measurements/{measurement}/edit"),
    ("lead", "/subprojects/{subproject}/quarter/2026-Q3"),
]


def _audit_count(app) -> int:
    with app.app_context():
        count = db.session.scalar(select(func.count(AuditEntry.id)))
        db.session.remove()
        return count


def _with_exception_report(app, world) -> None:
    """Subproject A is red in 2026-Q3, so its quarter asks for an exception report: give it one,
    as a lead who saved before would have."""
    from datetime import date

    with app.app_context():
        db.session.add(
            exception_report(
                world["a"],
                "2026-Q3",
                cause="Docententekort",
                consequence_time="Drie maanden later",
                consequence_result="geen",
                consequence_money="geen",
                measure="Gastdocenten uit het bedrijfsleven",
                measure_owner="Schoolleider",
                measure_due=date(2027, 1, 31),
            )
        )
        db.session.commit()


@pytest.mark.parametrize(("role", "page"), EDIT_PAGES)
def test_saving_an_edit_form_unchanged_changes_nothing(app, login_as, world, role, page):
    _with_exception_report(app, world)
    client = login_as(role)
    path = page.format(**_ids(app, world))
    shown = client.get(path)
    assert shown.status_code == 200
    before = _audit_count(app)
    response = client.post(path, data=form_as_sent(shown.get_data(as_text=True)))
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _audit_count(app) == before, "saving unchanged recorded a change"


def test_the_lead_keeps_their_subprojects_when_the_admin_saves_unchanged(app, login_as, world):
    client = login_as("admin")
    lead = _ids(app, world)["lead"]
    page = client.get(f"/users/{lead}/edit").get_data(as_text=True)
    assert f'<option selected value="{world["a"]}">' in page
    assert client.post(f"/users/{lead}/edit", data=form_as_sent(page)).status_code == 302
    with app.app_context():
        assert [s.code for s in db.session.get(User, lead).led_subprojects] == ["A"]
