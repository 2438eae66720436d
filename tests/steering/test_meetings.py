"""Meeting pages, the decision log and their permissions, through the app."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import count_queries, exception_report, login
from sqlalchemy import select

from tracker.extensions import db
from tracker.models import (
    Action,
    AuditEntry,
    Decision,
    DecisionSubproject,
    Meeting,
    QuarterlyUpdate,
    RequestAdvice,
    Subproject,
)


@pytest.fixture
def orange_a(app, world):
    """Subproject A amber in 2026-Q3 with its exception report and a decision asked."""
    with app.app_context():
        update = db.session.scalar(
            select(QuarterlyUpdate).where(QuarterlyUpdate.subproject_id == world["a"])
        )
        update.rag = "amber"
        update.decisions_requested = "Extra budget voor gastlessen"
        db.session.add(exception_report(world["a"], "2026-Q3"))
        db.session.commit()
        return update.id


def _meeting(app, world, held_on=date(2026, 11, 10), quarter="2026-Q3") -> int:
    with app.app_context():
        meeting = Meeting(
            programme_id=world["programme_id"], held_on=held_on, title="Stuurgroep", quarter=quarter
        )
        db.session.add(meeting)
        db.session.commit()
        return meeting.id


def _decision(app, meeting_id, subproject_id=None, **values) -> int:
    with app.app_context():
        decision = Decision(
            meeting_id=meeting_id, number=values.pop("number", 1), text="Besluit X", **values
        )
        if subproject_id:
            decision.subproject_links.append(DecisionSubproject(subproject_id=subproject_id))
        db.session.add(decision)
        db.session.commit()
        return decision.id


def test_new_meeting_drafts_the_agenda_from_the_quarter(login_as, world, orange_a):
    client = login_as("manager")
    body = client.get(f"/programmes/{world['programme_id']}/meetings/new").get_data(as_text=True)
    assert "Afwijkingen in het 3e kwartaal 2026" in body
    assert "A Leerlijn" in body and "Docenten ziek" in body and "Inhuur gastdocenten" in body
    assert "Extra budget voor gastlessen" in body
    assert '<option selected value="2026-Q3">' in body


def test_drafting_again_fills_the_agenda_without_saving(app, login_as, world, orange_a):
    client = login_as("manager")
    response = client.post(
        f"/programmes/{world['programme_id']}/meetings/new",
        data={
            "held_on": "10-11-2026",
            "quarter": "2026-Q2",
            "title": "",
            "agenda": "oud",
            "draft": "draft",
        },
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Afwijkingen in het 2e kwartaal 2026" in body and 'name="agenda">\r\noud' not in body
    with app.app_context():
        assert db.session.scalar(select(Meeting.id)) is None


def test_manager_saves_a_meeting_with_the_edited_agenda(app, login_as, world, orange_a):
    client = login_as("manager")
    response = client.post(
        f"/programmes/{world['programme_id']}/meetings/new",
        data={
            "held_on": "10-11-2026",
            "quarter": "2026-Q3",
            "title": "Stuurgroep november",
            "attendees": "Gedeputeerde\nWethouder Almere",
            "agenda": "1. Opening\n2. Afwijking A",
            "notes": "",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        meeting = db.session.scalar(select(Meeting))
        assert meeting.agenda == "1. Opening\n2. Afwijking A"
        assert meeting.quarter == "2026-Q3"
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.entity == "Meeting"))
        assert entry.action == "create"
    body = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "2. Afwijking A" in body and "Wethouder Almere" in body


def test_a_meeting_without_date_is_refused_with_a_message(login_as, world):
    client = login_as("manager")
    response = client.post(
        f"/programmes/{world['programme_id']}/meetings/new",
        data={"held_on": "31-02-2026", "quarter": "2026-Q3", "title": "X"},
    )
    assert response.status_code == 400
    assert "Er is niets opgeslagen" in response.get_data(as_text=True)


def test_decision_answers_a_request_and_creates_a_follow_up(app, login_as, world, orange_a):
    meeting_id = _meeting(app, world)
    client = login_as("manager")
    form = client.get(f"/meetings/{meeting_id}/decisions/new?request={orange_a}").get_data(
        as_text=True
    )
    assert "Extra budget voor gastlessen" in form
    response = client.post(
        f"/meetings/{meeting_id}/decisions/new",
        data={
            "text": "Budget toegekend",
            "owner": "Programmaregisseur",
            "due_date": "31-12-2026",
            "status": "in_progress",
            "subproject_ids": [str(world["a"])],
            "request_id": str(orange_a),
            "answer": "taken",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        decision = db.session.scalar(select(Decision))
        assert decision.number == 1 and decision.request_id == orange_a
        assert [s.code for s in decision.subprojects] == ["A"]
        decision_id = decision.id
    response = client.post(
        f"/decisions/{decision_id}/follow-ups/new",
        data={
            "subproject_id": str(world["a"]),
            "title": "Gastdocenten inhuren",
            "start_date": "24-11-2026",
            "due_date": "31-12-2026",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        action = db.session.scalar(select(Action).where(Action.decision_id == decision_id))
        assert action.subproject_id == world["a"] and action.state == "planned"
    page = client.get(f"/subprojects/{world['a']}").get_data(as_text=True)
    assert f"/decisions/{decision_id}" in page and "Vervolg op besluit 1 van 10-11-2026" in page
    log = client.get(f"/programmes/{world['programme_id']}/decisions").get_data(as_text=True)
    assert "Budget toegekend" in log and "Gastdocenten inhuren" in log
    assert "Genomen" in log


def test_answer_needs_a_request(app, login_as, world):
    meeting_id = _meeting(app, world)
    response = login_as("manager").post(
        f"/meetings/{meeting_id}/decisions/new",
        data={"text": "X", "status": "open", "answer": "taken"},
    )
    assert response.status_code == 400
    assert "Een antwoord hoort bij het verzoek" in response.get_data(as_text=True)


def test_a_request_stays_unanswered_until_taken_also_after_the_next_quarter(
    app, login_as, world, orange_a
):
    with app.app_context():
        db.session.add(QuarterlyUpdate(subproject_id=world["a"], quarter="2026-Q4", rag="green"))
        db.session.commit()
    meeting_id = _meeting(app, world)
    client = login_as("manager")
    log_url = f"/programmes/{world['programme_id']}/decisions"
    assert "Extra budget voor gastlessen" in client.get(log_url).get_data(as_text=True)
    _decision(app, meeting_id, request_id=orange_a, answer="postponed")
    body = client.get(log_url).get_data(as_text=True)
    assert "eerder uitgesteld" in body
    _decision(app, meeting_id, number=2, request_id=orange_a, answer="taken")
    body = client.get(log_url).get_data(as_text=True)
    section = body.split('id="requests"')[1]
    assert "Extra budget voor gastlessen" not in section


def test_decision_log_filters_by_status(app, login_as, world):
    meeting_id = _meeting(app, world)
    _decision(app, meeting_id, status="open")
    with app.app_context():
        db.session.add(
            Decision(meeting_id=meeting_id, number=2, text="Afgerond besluit", status="completed")
        )
        db.session.commit()
    client = login_as("steering")
    url = f"/programmes/{world['programme_id']}/decisions"
    assert "Afgerond besluit" in client.get(url).get_data(as_text=True)
    filtered = client.get(url + "?status=open").get_data(as_text=True)
    assert "Besluit X" in filtered and "Afgerond besluit" not in filtered
    assert client.get(url + "?status=nonsense").status_code == 200


def test_advice_is_saved_and_shown_in_the_draft(app, login_as, world, orange_a):
    client = login_as("manager")
    response = client.post(f"/requests/{orange_a}/advice", data={"advice": "Instemmen"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(RequestAdvice.advice)) == "Instemmen"
    body = client.get(f"/programmes/{world['programme_id']}/meetings/new").get_data(as_text=True)
    assert "Advies: Instemmen" in body


def test_lead_reads_only_decisions_concerning_their_subproject(app, client, world):
    meeting_id = _meeting(app, world)
    own = _decision(app, meeting_id, subproject_id=world["a"])
    other = _decision(app, meeting_id, subproject_id=world["b"], number=2)
    login(client, world["users"]["lead"])
    assert client.get(f"/decisions/{own}").status_code == 200
    assert client.get(f"/decisions/{other}").status_code == 403
    assert client.get(f"/meetings/{meeting_id}").status_code == 403
    assert client.get(f"/programmes/{world['programme_id']}/decisions").status_code == 403
    assert client.get(f"/meetings/{meeting_id}/steering-pack.pdf").status_code == 403


def test_lead_reads_a_decision_followed_up_in_their_subproject(app, client, world):
    meeting_id = _meeting(app, world)
    decision_id = _decision(app, meeting_id, subproject_id=world["b"])
    with app.app_context():
        db.session.add(
            Action(
                subproject_id=world["a"],
                decision_id=decision_id,
                title="Vervolg",
                start_date=date(2026, 11, 1),
                due_date=date(2026, 12, 1),
            )
        )
        db.session.commit()
    login(client, world["users"]["lead"])
    assert client.get(f"/decisions/{decision_id}").status_code == 200


def test_steering_reads_but_does_not_edit(app, login_as, world):
    meeting_id = _meeting(app, world)
    decision_id = _decision(app, meeting_id)
    client = login_as("steering")
    assert client.get(f"/meetings/{meeting_id}").status_code == 200
    assert client.get(f"/decisions/{decision_id}").status_code == 200
    assert client.get(f"/meetings/{meeting_id}/edit").status_code == 403
    assert client.post(f"/decisions/{decision_id}/edit", data={}).status_code == 403


def test_meeting_with_decisions_cannot_be_deleted(app, login_as, world):
    meeting_id = _meeting(app, world)
    _decision(app, meeting_id)
    response = login_as("manager").post(f"/meetings/{meeting_id}/delete", data={"version": "1"})
    assert response.status_code == 409
    with app.app_context():
        assert db.session.get(Meeting, meeting_id) is not None


def test_decision_history_lists_changes_per_programme(app, login_as, world):
    meeting_id = _meeting(app, world)
    _decision(app, meeting_id, subproject_id=world["a"])
    body = (
        login_as("steering")
        .get(f"/programmes/{world['programme_id']}/decisions/history")
        .get_data(as_text=True)
    )
    assert "Besluit 1 van 10-11-2026" in body and "Stuurgroep 10-11-2026" in body


def test_meeting_pages_run_a_bounded_number_of_queries(app, login_as, world, orange_a):
    meeting_id = _meeting(app, world)
    _decision(app, meeting_id, subproject_id=world["a"])
    client = login_as("manager")
    pages = [
        f"/meetings/{meeting_id}",
        f"/programmes/{world['programme_id']}/decisions",
        f"/programmes/{world['programme_id']}/meetings",
    ]
    before = {page: count_queries(app, client, page) for page in pages}
    with app.app_context():
        subprojects = db.session.scalars(select(Subproject)).all()
        for number in range(2, 8):
            decision = Decision(meeting_id=meeting_id, number=number, text=f"B{number}")
            for subproject in subprojects:
                decision.subproject_links.append(DecisionSubproject(subproject=subproject))
                db.session.add(
                    Action(
                        subproject=subproject,
                        decision=decision,
                        title="V",
                        start_date=date(2026, 11, 1),
                        due_date=date(2026, 12, 1),
                    )
                )
            db.session.add(decision)
        db.session.commit()
    after = {page: count_queries(app, client, page) for page in pages}
    assert after == before, (before, after)


def test_the_main_menu_leads_the_steering_group_to_the_meetings(app, login_as, world):
    client = login_as("steering")
    page = client.get(f"/programmes/{world['programme_id']}").get_data(as_text=True)
    menu = page.split('<nav aria-label="Hoofdmenu">', 1)[1].split("</nav>", 1)[0]
    assert '<a href="/meetings">Vergaderingen</a>' in menu
    landing = client.get("/meetings")
    assert landing.status_code == 302
    assert landing.headers["Location"].endswith(f"/programmes/{world['programme_id']}/meetings")


def test_a_lead_gets_no_meetings_in_the_menu(login_as, world):
    client = login_as("lead")
    page = client.get(f"/programmes/{world['programme_id']}").get_data(as_text=True)
    assert 'href="/meetings"' not in page
    assert client.get("/meetings").status_code == 403


def test_the_dashboards_open_decisions_link_to_their_pages_for_readers(app, login_as, world):
    decision_id = _decision(app, _meeting(app, world), subproject_id=world["a"])
    link = f'<a href="/decisions/{decision_id}">Besluit 1 van 10-11-2026</a>'
    assert link in login_as("steering").get("/dashboard").get_data(as_text=True)
    # a lead may read only some decisions; the cached board may not depend on who they are
    lead = app.test_client()
    login(lead, world["users"]["lead"])
    board = lead.get("/dashboard").get_data(as_text=True)
    assert "Besluit 1 van 10-11-2026" in board and link not in board
