"""A closed quarter locks every record that belongs to it: measurements, quarterly updates and
milestone achievements, whatever the write path (form, quarter page, plain ORM)."""

import re
from datetime import date

import pytest
from conftest import archive_quarter
from sqlalchemy import select

from tracker.extensions import db
from tracker.models import Milestone
from tracker.quarters.lock import QuarterClosed

REFUSAL = "Het 2e kwartaal 2026 is vastgesteld"


@pytest.fixture
def closed_q2(app, world):
    """2026-Q2 closed: "Leerlijn vastgesteld" was achieved in it (10-06-2026)."""
    archive_quarter(app, world["programme_id"], "2026-Q2")
    return world


def _milestone(app, title: str) -> Milestone:
    with app.app_context():
        milestone = db.session.scalar(select(Milestone).where(Milestone.title == title))
        db.session.expunge(milestone)
        return milestone


def _form(milestone: Milestone, **overrides) -> dict:
    data = {
        "title": milestone.title,
        "description": "",
        "action_id": "",
        "planned_date": milestone.planned_date.strftime("%d-%m-%Y"),
        "forecast_date": "",
        "achieved_on": milestone.achieved_on.strftime("%d-%m-%Y") if milestone.achieved_on else "",
        "evidence": milestone.evidence or "",
        "version": str(milestone.version),
    }
    data.update(overrides)
    return data


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


@pytest.mark.parametrize(
    ("title", "achieved_on", "evidence"),
    [
        ("Eerste cohort gestart", "15-05-2026", "Presentielijst"),  # into the closed quarter
        ("Leerlijn vastgesteld", "01-10-2026", "Besluit"),  # out of it
        ("Leerlijn vastgesteld", "", ""),  # cleared
    ],
    ids=["set-into", "moved-out", "cleared"],
)
def test_an_achievement_date_in_a_closed_quarter_is_refused_beside_the_field(
    app, login_as, closed_q2, title, achieved_on, evidence
):
    milestone = _milestone(app, title)
    data = _form(milestone, achieved_on=achieved_on, evidence=evidence)
    response = login_as("lead").post(f"/milestones/{milestone.id}/edit", data=data)
    assert response.status_code == 400
    body = _text(response)
    assert re.search(r'id="achieved_on-error"[^>]*>[^<]*2e kwartaal 2026 is vastgesteld', body)
    assert f'value="{achieved_on}"' in body  # what was typed is kept
    assert _milestone(app, title).achieved_on == milestone.achieved_on


def test_a_milestone_achieved_in_a_closed_quarter_takes_no_other_change_either(
    app, login_as, closed_q2
):
    """The closed quarter's report holds the milestone as it was: its form is read only, and a
    save from a page opened before the closing is refused with what was typed kept."""
    milestone = _milestone(app, "Leerlijn vastgesteld")
    data = _form(milestone, title="Leerlijn vastgesteld door het bestuur", evidence="Besluit")
    response = login_as("lead").post(f"/milestones/{milestone.id}/edit", data=data)
    assert response.status_code == 400
    body = _text(response)
    assert REFUSAL in body and 'value="Leerlijn vastgesteld door het bestuur"' in body
    assert _milestone(app, "Leerlijn vastgesteld").achieved_on == date(2026, 6, 10)


def test_deleting_a_milestone_achieved_in_a_closed_quarter_is_refused(app, login_as, closed_q2):
    milestone = _milestone(app, "Leerlijn vastgesteld")
    client = login_as("manager")
    response = client.post(f"/milestones/{milestone.id}/delete", data={"version": "1"})
    assert response.status_code == 409
    assert REFUSAL in _text(response)
    assert _milestone(app, "Leerlijn vastgesteld") is not None


def test_the_quarter_page_refuses_an_achievement_dated_in_a_closed_quarter(
    app, login_as, closed_q2
):
    milestone = _milestone(app, "Eerste cohort gestart")
    data = {
        f"done_{milestone.id}": "y",
        f"done_on_{milestone.id}": "20-06-2026",
        f"evidence_{milestone.id}": "Presentielijst",
        f"msversion_{milestone.id}": str(milestone.version),
        "rag": "green",
        "update_version": "",
    }
    response = login_as("lead").post(
        f"/subprojects/{milestone.subproject_id}/quarter/2026-Q4", data=data
    )
    assert response.status_code == 409
    assert REFUSAL in _text(response)
    assert _milestone(app, "Eerste cohort gestart").achieved_on is None


def test_the_flush_guard_refuses_a_write_that_skips_the_forms(app, closed_q2):
    with app.app_context():
        subproject_id = db.session.scalar(
            select(Milestone.subproject_id).where(Milestone.title == "Evaluatie")
        )
        db.session.add(
            Milestone(
                subproject_id=subproject_id,
                title="Achteraf ingevoerd",
                baseline_date=date(2026, 4, 1),
                planned_date=date(2026, 4, 1),
                achieved_on=date(2026, 5, 1),
            )
        )
        with pytest.raises(QuarterClosed) as refused:
            db.session.commit()
        assert (refused.value.quarter, refused.value.field) == ("2026-Q2", "achieved_on")
        db.session.rollback()
        milestone = db.session.scalar(select(Milestone).where(Milestone.title == "Evaluatie"))
        milestone.achieved_on = date(2026, 10, 1)  # an open quarter: allowed
        db.session.commit()
