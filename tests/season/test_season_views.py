"""The season's pages: submit, return with a comment, resubmit, approve; the manager's overview,
the due date, the lead's landing page, and the lock an approval puts on the lead's quarter."""

from __future__ import annotations

import io

from conftest import count_queries, login, make_user
from sqlalchemy import select

from tracker.extensions import db
from tracker.models import (
    AuditEntry,
    ReminderOptOut,
    SeasonSetting,
    Submission,
    Subproject,
    User,
)

Q3 = "2026-Q3"


def _quarter(world, key="a", quarter=Q3) -> str:
    return f"/subprojects/{world[key]}/quarter/{quarter}"


def _version(app, world, key="a") -> str:
    with app.app_context():
        record = db.session.scalar(select(Submission).where(Submission.subproject_id == world[key]))
        return str(record.version) if record else ""


def _submit(client, app, world, key="a"):
    return client.post(
        _quarter(world, key) + "/submit", data={"submission-version": _version(app, world, key)}
    )


def _review(client, app, world, action: str, comment: str = "", key="a"):
    data = {"review-version": _version(app, world, key), "review-comment": comment}
    data[f"review-{action}"] = "1"
    return client.post(_quarter(world, key) + "/review", data=data)


def _state(app, world, key="a") -> str | None:
    with app.app_context():
        return db.session.scalar(
            select(Submission.state).where(Submission.subproject_id == world[key])
        )


def _switch_to(client, world, role):
    client.post("/logout")
    assert login(client, world["users"][role]).status_code == 302


def test_the_whole_round_submit_return_resubmit_approve(app, client, login_as, world):
    login_as("lead")
    page = client.get(_quarter(world)).get_data(as_text=True)
    assert "Concept" in page and "15-10-2026" in page and "Update indienen" in page
    assert _submit(client, app, world).status_code == 302
    assert _state(app, world) == "submitted"

    _switch_to(client, world, "manager")
    overview = client.get(f"/programmes/{world['programme_id']}/season/{Q3}")
    text = overview.get_data(as_text=True)
    assert overview.status_code == 200
    assert "Ingediend" in text and "Deelprojectleider A" in text
    refused = _review(client, app, world, "send_back", comment="  ")
    assert refused.status_code == 400 and "Opmerking ontbreekt" in refused.get_data(as_text=True)
    assert _state(app, world) == "submitted"
    back = _review(client, app, world, "send_back", comment="Vul de risico's aan.")
    assert back.status_code == 302
    assert _state(app, world) == "returned"

    _switch_to(client, world, "lead")
    mine = client.get("/my-subproject").get_data(as_text=True)
    assert "Vul de risico&#39;s aan." in mine and "Teruggestuurd" in mine
    assert "Vul de risico&#39;s aan." in client.get(_quarter(world)).get_data(as_text=True)
    assert _submit(client, app, world).status_code == 302

    _switch_to(client, world, "manager")
    assert _review(client, app, world, "approve").status_code == 302
    assert _state(app, world) == "approved"
    text = client.get(f"/programmes/{world['programme_id']}/season/{Q3}").get_data(as_text=True)
    assert "Goedgekeurd" in text

    with app.app_context():
        steps = db.session.scalars(
            select(AuditEntry).where(AuditEntry.entity == "Submission").order_by(AuditEntry.id)
        ).all()
    states = [entry.changes["state"][1] for entry in steps if "state" in entry.changes]
    assert states == ["submitted", "returned", "submitted", "approved"]


def _approved_with_the_lead_logged_in(app, client, login_as, world) -> None:
    """The lead submits 2026-Q3 of A, the manager approves it, and the lead is back."""
    login_as("lead")
    _submit(client, app, world)
    _switch_to(client, world, "manager")
    _review(client, app, world, "approve")
    _switch_to(client, world, "lead")


def test_an_approved_update_is_read_only_for_its_lead(app, client, login_as, world):
    _approved_with_the_lead_logged_in(app, client, login_as, world)
    page = client.get(_quarter(world))
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert 'id="quarter-approved"' in text and "Kwartaal 2026-Q3 opslaan" not in text
    refused = client.post(_quarter(world), data={"rag": "green", "achieved": "Meer"})
    assert refused.status_code == 409
    assert "goedgekeurd" in refused.get_data(as_text=True)
    upload = client.post(
        _quarter(world) + "/upload",
        data={"file": (io.BytesIO(b"x"), "a.xlsx")},
        content_type="multipart/form-data",
    )
    assert upload.status_code == 409
    assert client.post(_quarter(world) + "/upload/apply", data={}).status_code == 409
    _switch_to(client, world, "manager")
    assert client.get(_quarter(world)).status_code == 200
    assert client.post(_quarter(world), data={}).status_code != 409


def test_an_approved_quarter_takes_no_value_through_the_single_measurement_form(
    app, client, login_as, world
):
    """The quarter page is not the only way in: the indicator's own form refuses a value for an
    approved quarter too (typed, or moved out of it), and still takes one for an open quarter."""
    from tracker.models import Indicator, Measurement

    _approved_with_the_lead_logged_in(app, client, login_as, world)
    with app.app_context():
        indicator_id = db.session.scalar(
            select(Indicator.id).where(Indicator.subproject_id == world["a"])
        )
        measurement = db.session.scalar(
            select(Measurement).where(
                Measurement.indicator_id == indicator_id, Measurement.period == Q3
            )
        )
        moved = (measurement.id, measurement.version) if measurement else None
    new = f"/indicators/{indicator_id}/measurements/new"
    refused = client.post(new, data={"period": Q3, "value": "150"})
    assert refused.status_code == 409
    assert "goedgekeurd" in refused.get_data(as_text=True)
    if moved:
        edit = f"/measurements/{moved[0]}/edit"
        data = {"period": "2026-Q4", "value": "150", "version": str(moved[1])}
        assert client.post(edit, data=data).status_code == 409
    assert client.post(new, data={"period": "2026-Q4", "value": "150"}).status_code == 302


def test_submitting_before_saving_the_quarter_says_what_to_do(app, client, login_as, world):
    login_as("manager")
    response = _submit(client, app, world, key="b")
    assert response.status_code == 400
    assert "nog niet opgeslagen" in response.get_data(as_text=True)
    assert _state(app, world, "b") is None


def test_a_step_on_a_stale_page_is_refused(app, client, login_as, world):
    login_as("lead")
    assert _submit(client, app, world).status_code == 302
    again = client.post(_quarter(world) + "/submit", data={"submission-version": ""})
    assert again.status_code == 409
    twice = _submit(client, app, world)
    assert twice.status_code == 409 and "niet mogelijk" in twice.get_data(as_text=True)


def test_the_manager_sets_the_due_date(app, client, login_as, world):
    login_as("manager")
    url = f"/programmes/{world['programme_id']}/season/terms"
    assert client.post(url, data={"due_days": "99", "reminder_days": "5"}).status_code == 400
    assert client.post(url, data={"due_days": "20", "reminder_days": "3"}).status_code == 302
    text = client.get(f"/programmes/{world['programme_id']}/season/{Q3}").get_data(as_text=True)
    assert "20-10-2026" in text
    assert "35 dagen te laat" in text  # subproject B, as at 24-11-2026
    with app.app_context():
        setting = db.session.scalar(select(SeasonSetting))
        assert (setting.due_days, setting.reminder_days) == (20, 3)
        assert db.session.scalar(select(AuditEntry.id).where(AuditEntry.entity == "SeasonSetting"))


def test_the_lead_lands_on_my_subproject(client, world):
    response = login(client, world["users"]["lead"])
    assert response.headers["Location"].endswith("/my-subproject")
    page = client.get("/my-subproject").get_data(as_text=True)
    assert "Mijn deelproject" in page and "15-10-2026" in page
    assert "Eerste cohort gestart" in page  # overdue milestone of A
    assert "Werkplaats open" not in page  # B is not theirs
    assert "40 dagen te laat" in page


def test_reminders_can_be_switched_off_and_on(app, client, login_as, world):
    login_as("lead")
    assert "Stuur mij herinneringen" in client.get("/account").get_data(as_text=True)
    assert client.post("/account/reminders", data={}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(ReminderOptOut.user_id)) is not None
    assert client.post("/account/reminders", data={"reminders": "y"}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(ReminderOptOut.user_id)) is None


def _more_subprojects(app, world, count: int) -> None:
    with app.app_context():
        a = db.session.get(Subproject, world["a"])
        lead = db.session.scalar(select(User).where(User.email == world["users"]["lead"]))
        for number in range(count):
            extra = Subproject(
                programme_id=a.programme_id,
                municipality_id=a.municipality_id,
                code=f"X{number}",
                name=f"Extra {number}",
            )
            db.session.add(extra)
            make_user(f"lead{number}@example.org", "lead", led=[extra, a])
            lead.led_subprojects.append(extra)
        db.session.commit()


def test_pages_run_a_fixed_number_of_queries(app, client, login_as, world):
    login_as("manager")
    overview = f"/programmes/{world['programme_id']}/season/{Q3}"
    before = count_queries(app, client, overview)
    _switch_to(client, world, "lead")
    mine_before = count_queries(app, client, "/my-subproject")
    _more_subprojects(app, world, 6)
    assert "X5 Extra 5" in client.get("/my-subproject").get_data(as_text=True)
    assert count_queries(app, client, "/my-subproject") == mine_before
    _switch_to(client, world, "manager")
    assert count_queries(app, client, overview) == before


def test_my_subproject_lists_the_leads_outdated_indicators_only(app, client, world):
    """An indicator of A without a value since its baseline is listed with a link to enter one;
    B's outdated "Stageplaatsen" is not the lead's and stays off the page."""
    from datetime import date

    from tracker.models import Indicator

    with app.app_context():
        a = db.session.get(Subproject, world["a"])
        db.session.add(
            Indicator(
                programme_id=a.programme_id,
                subproject=a,
                name="Tevredenheid stagebedrijven",
                unit="%",
                direction="up",
                baseline_value=60,
                baseline_date=date(2026, 1, 1),
                target_value=80,
                target_date=date(2027, 1, 1),
                rollup="last",
            )
        )
        db.session.commit()
    login(client, world["users"]["lead"])
    page = client.get("/my-subproject").get_data(as_text=True)
    assert "Tevredenheid stagebedrijven" in page and "Verouderd" in page
    assert "Waarde invullen" in page
    assert "Stageplaatsen" not in page


def test_an_approved_quarter_offers_the_lead_no_edit_of_its_values(app, client, login_as, world):
    """The indicator page links no edit for a value of an approved quarter, and the form, opened
    anyway, says why before anything is typed; the manager still may."""
    from tracker.models import Indicator, Measurement

    _approved_with_the_lead_logged_in(app, client, login_as, world)
    with app.app_context():
        a1 = db.session.scalar(select(Indicator).where(Indicator.subproject_id == world["a"]))
        ids = {
            m.period: m.id
            for m in db.session.scalars(
                select(Measurement).where(Measurement.indicator_id == a1.id)
            )
        }
        indicator_id = a1.id
    page = client.get(f"/indicators/{indicator_id}").get_data(as_text=True)
    assert f"/measurements/{ids[Q3]}/edit" not in page
    assert f"/measurements/{ids['2026-Q2']}/edit" in page
    opened = client.get(f"/measurements/{ids[Q3]}/edit")
    assert opened.status_code == 409 and "goedgekeurd" in opened.get_data(as_text=True)
    assert client.get(f"/measurements/{ids['2026-Q2']}/edit").status_code == 200
    _switch_to(client, world, "manager")
    assert f"/measurements/{ids[Q3]}/edit" in client.get(f"/indicators/{indicator_id}").text
    assert client.get(f"/measurements/{ids[Q3]}/edit").status_code == 200
