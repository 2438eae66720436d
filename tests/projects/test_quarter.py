"""The quarter page: every value, milestone and the update in one form, one transaction."""

from datetime import date

import pytest
from conftest import count_queries
from sqlalchemy import func, select

from tracker.extensions import db
from tracker.models import AuditEntry, Indicator, Measurement, Milestone, QuarterlyUpdate

EXCEPTION_REPORT = {
    "cause": "Docententekort",
    "consequence_time": "Evaluatie een kwartaal later",
    "consequence_result": "Geen",
    "consequence_money": "Geen",
    "measure": "Gastdocenten uit bedrijven",
    "measure_owner": "Vmbo Almere",
    "measure_due": "31-01-2027",
    "exception_version": "",
}


def _ids(app):
    with app.app_context():
        indicators = {
            i.name: i.id for i in db.session.scalars(select(Indicator).order_by(Indicator.id))
        }
        milestones = {
            m.title: m.id for m in db.session.scalars(select(Milestone).order_by(Milestone.id))
        }
    return indicators, milestones


def _form(app, **overrides):
    indicators, milestones = _ids(app)
    data = {
        f"value_{indicators['Leerlingen techniek']}": "190",
        f"note_{indicators['Leerlingen techniek']}": "Telling oktober",
        f"mversion_{indicators['Leerlingen techniek']}": "",
        f"value_{indicators['Uitval']}": "17,5",
        f"mversion_{indicators['Uitval']}": "",
        f"done_{milestones['Eerste cohort gestart']}": "y",
        f"done_on_{milestones['Eerste cohort gestart']}": "2026-10-15",
        f"evidence_{milestones['Eerste cohort gestart']}": "Presentielijst",
        f"msversion_{milestones['Eerste cohort gestart']}": "1",
        f"msversion_{milestones['Evaluatie']}": "1",
        "rag": "amber",
        "achieved": "Cohort gestart",
        "next_steps": "Evaluatie voorbereiden",
        "risks": "Docententekort",
        "decisions_requested": "Extra budget",
        "update_version": "",
        **EXCEPTION_REPORT,
    }
    data.update(overrides)
    return data


def _state(app, world):
    with app.app_context():
        return {
            "measurements": db.session.scalar(
                select(func.count(Measurement.id)).where(Measurement.period == "2026-Q4")
            ),
            "achieved": db.session.scalar(
                select(func.count(Milestone.id)).where(Milestone.achieved_on.is_not(None))
            ),
            "updates": db.session.scalar(
                select(func.count(QuarterlyUpdate.id)).where(QuarterlyUpdate.quarter == "2026-Q4")
            ),
            "audit": db.session.scalar(select(func.count(AuditEntry.id))),
        }


def test_quarter_page_defaults_to_the_current_quarter(login_as, world):
    client = login_as("lead")
    response = client.get(f"/subprojects/{world['a']}/quarter")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "4e kwartaal 2026" in body
    assert "Leerlingen techniek" in body and "Eerste cohort gestart" in body
    assert "Convenant getekend" not in body  # achieved already
    assert "180" in body  # last value, of 2026-Q3
    # Saving from this address works too: the form posts to the quarter's own address.
    assert f'action="/subprojects/{world["a"]}/quarter/2026-Q4"' in body


def test_subproject_page_links_the_quarter_for_editors_only(login_as, world):
    client = login_as("lead")
    assert "/quarter/2026-Q4" in client.get(f"/subprojects/{world['a']}").get_data(as_text=True)
    assert "/quarter/" not in client.get(f"/subprojects/{world['b']}").get_data(as_text=True)
    client.post("/logout")
    body = login_as("steering").get(f"/subprojects/{world['a']}").get_data(as_text=True)
    assert "/quarter/" not in body


def test_saving_the_quarter_stores_everything_at_once(app, login_as, world):
    client = login_as("lead")
    response = client.post(f"/subprojects/{world['a']}/quarter/2026-Q4", data=_form(app))
    assert response.status_code == 302, response.get_data(as_text=True)
    indicators, milestones = _ids(app)
    with app.app_context():
        values = dict(
            db.session.execute(
                select(Measurement.indicator_id, Measurement.value).where(
                    Measurement.period == "2026-Q4"
                )
            ).all()
        )
        assert values == {indicators["Leerlingen techniek"]: 190, indicators["Uitval"]: 17.5}
        milestone = db.session.get(Milestone, milestones["Eerste cohort gestart"])
        assert (milestone.achieved_on, milestone.evidence) == (date(2026, 10, 15), "Presentielijst")
        assert db.session.get(Milestone, milestones["Evaluatie"]).achieved_on is None
        update = db.session.scalar(select(QuarterlyUpdate).filter_by(quarter="2026-Q4"))
        assert (update.rag, update.decisions_requested) == ("amber", "Extra budget")
    body = client.get(f"/subprojects/{world['a']}").get_data(as_text=True)
    assert "Het 4e kwartaal 2026 is opgeslagen." in body and "Docententekort" in body


def test_saving_again_changes_the_values_of_the_quarter(app, login_as, world):
    client = login_as("lead")
    path = f"/subprojects/{world['a']}/quarter/2026-Q4"
    assert client.post(path, data=_form(app)).status_code == 302
    page = client.get(path).get_data(as_text=True)
    assert 'value="190"' in page and 'value="17,5"' in page
    indicators, _ = _ids(app)
    data = _form(
        app,
        **{
            f"value_{indicators['Uitval']}": "16",
            f"mversion_{indicators['Uitval']}": "1",
            f"mversion_{indicators['Leerlingen techniek']}": "1",
            "update_version": "1",
            "exception_version": "1",
            "rag": "green",
        },
    )
    assert client.post(path, data=data).status_code == 302
    with app.app_context():
        assert (
            db.session.scalar(
                select(Measurement.value).filter_by(
                    indicator_id=indicators["Uitval"], period="2026-Q4"
                )
            )
            == 16
        )
        assert (
            db.session.scalar(select(QuarterlyUpdate.rag).filter_by(quarter="2026-Q4")) == "green"
        )


@pytest.mark.parametrize(
    ("part", "message"),
    [
        ("value", "Een percentage ligt tussen 0 en 100."),
        ("text", "Vul een getal in zoals 12,5."),
        ("evidence", "Beschrijf het bewijs dat hij behaald is."),
        ("future", "De datum waarop hij behaald is kan niet in de toekomst liggen."),
        ("rag", "Kies groen, oranje of rood."),
    ],
)
def test_an_error_in_one_part_saves_nothing(app, login_as, world, part, message):
    indicators, milestones = _ids(app)
    cohort = milestones["Eerste cohort gestart"]
    overrides = {
        "value": {f"value_{indicators['Uitval']}": "120"},
        "text": {f"value_{indicators['Uitval']}": "zeventien"},
        "evidence": {f"evidence_{cohort}": ""},
        "future": {f"done_on_{cohort}": "2026-12-01"},
        "rag": {"rag": ""},
    }[part]
    before = _state(app, world)
    response = login_as("lead").post(
        f"/subprojects/{world['a']}/quarter/2026-Q4", data=_form(app, **overrides)
    )
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert message in body and "Er is niets opgeslagen" in body
    assert "Docententekort</textarea>" in body
    assert _state(app, world) == before


def test_a_failure_while_saving_rolls_back_what_was_already_written(
    app, login_as, world, monkeypatch
):
    """The measurements and milestone are flushed before the update fails: all roll back."""
    from tracker.projects import services

    def broken(*args, **kwargs):
        db.session.flush()  # the values and the milestone are in the database now
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "save_quarterly_update", broken)
    before = _state(app, world)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    try:
        response = login_as("lead").post(
            f"/subprojects/{world['a']}/quarter/2026-Q4", data=_form(app)
        )
    finally:
        app.config["PROPAGATE_EXCEPTIONS"] = None
    assert response.status_code == 500
    assert _state(app, world) == before


def test_a_database_refusal_in_the_last_part_saves_nothing(app, login_as, world, monkeypatch):
    """The update breaks a database constraint after the values were flushed."""
    from tracker.projects import services

    original = services.save_quarterly_update

    def bad_rag(subproject_id, quarter, data, user_id):
        update = original(subproject_id, quarter, data, user_id)
        update.rag = "pink"  # refused by the CHECK constraint at commit
        return update

    monkeypatch.setattr(services, "save_quarterly_update", bad_rag)
    before = _state(app, world)
    response = login_as("lead").post(f"/subprojects/{world['a']}/quarter/2026-Q4", data=_form(app))
    assert response.status_code == 409
    assert "Er is niets opgeslagen" in response.get_data(as_text=True)
    assert _state(app, world) == before


def test_a_value_saved_meanwhile_refuses_the_whole_quarter_and_keeps_the_input(
    app, login_as, world
):
    indicators, _ = _ids(app)
    with app.app_context():
        db.session.add(Measurement(indicator_id=indicators["Uitval"], period="2026-Q4", value=18))
        db.session.commit()
    before = _state(app, world)
    response = login_as("lead").post(f"/subprojects/{world['a']}/quarter/2026-Q4", data=_form(app))
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert "Uitval (nu 18)" in body
    assert 'value="17,5"' in body and 'value="190"' in body
    assert _state(app, world) == before


@pytest.mark.parametrize(("role", "status"), [("steering", 403), ("manager", 200), ("lead", 200)])
def test_quarter_page_permissions(login_as, world, role, status):
    assert login_as(role).get(f"/subprojects/{world['a']}/quarter").status_code == status


def test_lead_cannot_save_another_subprojects_quarter(app, login_as, world):
    before = _state(app, world)
    response = login_as("lead").post(
        f"/subprojects/{world['b']}/quarter/2026-Q4", data={"rag": "green"}
    )
    assert response.status_code == 403
    assert _state(app, world) == before


@pytest.mark.parametrize("quarter", ["2026-Q5", "gisteren", "2027-Q1"])
def test_not_a_quarter_or_a_future_one_is_a_clear_404(login_as, world, quarter):
    response = login_as("lead").get(f"/subprojects/{world['a']}/quarter/{quarter}")
    assert response.status_code == 404


def test_an_earlier_quarter_can_be_filled_in(app, login_as, world):
    response = login_as("lead").get(f"/subprojects/{world['a']}/quarter/2026-Q3")
    assert response.status_code == 200
    assert 'value="180"' in response.get_data(as_text=True)


def test_quarter_page_query_count_does_not_grow_with_data(app, login_as, world):

    client = login_as("lead")
    path = f"/subprojects/{world['a']}/quarter/2026-Q4"

    before = count_queries(app, client, path)
    with app.app_context():
        for n in range(20):
            indicator = Indicator(
                programme_id=world["programme_id"],
                subproject_id=world["a"],
                name=f"Extra {n}",
                unit="stuks",
                baseline_value=0,
                baseline_date=date(2026, 1, 1),
                target_value=10,
                target_date=date(2027, 1, 1),
            )
            db.session.add(indicator)
            db.session.flush()
            db.session.add(Measurement(indicator_id=indicator.id, period="2026-Q4", value=n))
            db.session.add(
                Milestone(
                    subproject_id=world["a"],
                    title=f"Mijlpaal {n}",
                    baseline_date=date(2027, 1, 1),
                    planned_date=date(2027, 1, 1),
                )
            )
        db.session.commit()
    assert count_queries(app, client, path) == before
