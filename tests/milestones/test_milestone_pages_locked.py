"""Milestones a quarter's report holds look it: read only once their quarter is closed, and
their reported status fields read only for the lead once the update is approved."""

from datetime import date

import pytest
from conftest import archive_quarter, login
from sqlalchemy import select

from tracker.extensions import db
from tracker.models import Milestone, Submission

SAVE_FORM = '<form method="post" novalidate class="card">'


def _milestone(app, title: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Milestone.id).where(Milestone.title == title))


def _values(app, milestone_id: int) -> Milestone:
    with app.app_context():
        milestone = db.session.get(Milestone, milestone_id)
        db.session.expunge(milestone)
        return milestone


@pytest.fixture
def closed_q2(app, world):
    archive_quarter(app, world["programme_id"], "2026-Q2")
    return _milestone(app, "Leerlijn vastgesteld")  # achieved on 10-06-2026


def test_a_milestone_achieved_in_a_closed_quarter_is_shown_read_only(
    app, login_as, world, closed_q2
):
    client = login_as("lead")
    page = client.get(f"/milestones/{closed_q2}/edit")
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Het 2e kwartaal 2026 is vastgesteld op" in body and "alleen te lezen" in body
    assert SAVE_FORM not in body and "<textarea" not in body and "Opslaan" not in body
    assert "10-06-2026" in body  # the achievement, as text
    milestone_page = client.get(f"/milestones/{closed_q2}").get_data(as_text=True)
    assert "is vastgesteld op" in milestone_page
    assert f"/milestones/{closed_q2}/edit" not in milestone_page
    subproject = client.get(f"/subprojects/{world['a']}").get_data(as_text=True)
    assert f"/milestones/{closed_q2}/edit" not in subproject
    assert f"/milestones/{closed_q2}/delete" not in subproject
    still_open = _milestone(app, "Eerste cohort gestart")
    assert f"/milestones/{still_open}/edit" in subproject


def test_a_save_of_a_closed_milestone_is_refused_and_keeps_the_input(
    app, login_as, world, closed_q2
):
    response = login_as("manager").post(
        f"/milestones/{closed_q2}/edit",
        data={"version": "1", "title": "Leerlijn herzien", "planned_date": "01-06-2026"},
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Het 2e kwartaal 2026 is vastgesteld:" in body and 'value="Leerlijn herzien"' in body
    assert _values(app, closed_q2).title == "Leerlijn vastgesteld"
    assert login_as("manager").post(f"/milestones/{closed_q2}/delete").status_code == 409
    assert _values(app, closed_q2) is not None


@pytest.fixture
def approved_q3(app, world):
    """The lead's update of 2026-Q3 (the season's quarter on 24-11-2026) is approved."""
    with app.app_context():
        db.session.add(Submission(subproject_id=world["a"], quarter="2026-Q3", state="approved"))
        db.session.commit()
    return _milestone(app, "Eerste cohort gestart")  # open, planned 01-10-2026


def test_the_reported_outlook_of_an_approved_update_is_read_only_for_the_lead(
    app, login_as, world, approved_q3
):
    client = login_as("lead")
    body = client.get(f"/milestones/{approved_q3}/edit").get_data(as_text=True)
    assert "De update van 3e kwartaal 2026 is goedgekeurd" in body
    assert 'name="forecast_date"' not in body and 'name="at_risk"' not in body
    assert 'name="title"' in body and 'name="achieved_on"' in body
    # what the page still offers is saved: a new title, an achievement of this quarter
    saved = client.post(
        f"/milestones/{approved_q3}/edit",
        data={
            "version": "1",
            "title": "Eerste cohort van start",
            "planned_date": "01-10-2026",
            "achieved_on": "20-11-2026",
            "evidence": "Klassenlijst",
        },
    )
    assert saved.status_code == 302
    milestone = _values(app, approved_q3)
    assert milestone.title == "Eerste cohort van start" and milestone.achieved_on == date(
        2026, 11, 20
    )


def test_a_lead_saving_into_an_approved_update_is_refused_with_the_input_kept(
    app, login_as, world, approved_q3
):
    typed = {"version": "1", "title": "Eerste cohort gestart", "planned_date": "01-10-2026"}
    client = login_as("lead")
    # a page opened before the approval still offers the forecast
    late = client.post(
        f"/milestones/{approved_q3}/edit", data={**typed, "forecast_date": "15-12-2026"}
    )
    body = late.get_data(as_text=True)
    assert late.status_code == 400
    assert "goedgekeurd" in body and 'value="15-12-2026"' in body
    back_dated = client.post(
        f"/milestones/{approved_q3}/edit",
        data={**typed, "achieved_on": "20-09-2026", "evidence": "Klassenlijst"},
    )
    assert back_dated.status_code == 400
    assert 'value="20-09-2026"' in back_dated.get_data(as_text=True)
    milestone = _values(app, approved_q3)
    assert milestone.forecast_date is None and milestone.achieved_on is None
    # the programme manager may still correct an approved update
    manager = app.test_client()
    login(manager, world["users"]["manager"])
    corrected = manager.post(
        f"/milestones/{approved_q3}/edit", data={**typed, "forecast_date": "15-12-2026"}
    )
    assert corrected.status_code == 302
    assert _values(app, approved_q3).forecast_date == date(2026, 12, 15)


def test_a_new_milestone_is_not_dated_into_an_approved_update_or_a_closed_quarter(
    app, login_as, world, approved_q3
):
    """Adding a milestone achieved in an approved quarter would change what its update
    reported: refused for the lead with the input kept; a closed quarter refuses everyone."""
    new = {"title": "Gastlessen gegeven", "planned_date": "01-09-2026", "evidence": "Rooster"}
    path = f"/subprojects/{world['a']}/milestones/new"
    lead = login_as("lead")
    refused = lead.post(path, data={**new, "achieved_on": "20-09-2026"})
    body = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "goedgekeurd" in body and 'value="Gastlessen gegeven"' in body
    assert lead.post(path, data={**new, "achieved_on": "20-10-2026"}).status_code == 302
    manager = app.test_client()
    login(manager, world["users"]["manager"])
    assert manager.post(path, data={**new, "achieved_on": "21-09-2026"}).status_code == 302
    archive_quarter(app, world["programme_id"], "2026-Q2")
    closed = manager.post(path, data={**new, "achieved_on": "10-06-2026"})
    assert closed.status_code in (400, 409)
    assert "vastgesteld" in closed.get_data(as_text=True)
    with app.app_context():
        titles = db.session.scalars(
            select(Milestone.achieved_on).where(Milestone.title == "Gastlessen gegeven")
        ).all()
    assert sorted(titles) == [date(2026, 9, 21), date(2026, 10, 20)]
