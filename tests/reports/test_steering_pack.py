"""The steering pack of a meeting: one tagged PDF, built once as a job and stored."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from conftest import exception_report, login
from pypdf import PdfReader
from sqlalchemy import select
from test_stored_reports import run_queued_jobs
from test_stored_reports import worker as worker  # noqa: F401 (a fixture of this module too)

from tracker.extensions import db
from tracker.models import (
    Action,
    ClosedQuarter,
    Decision,
    DecisionSubproject,
    Meeting,
    Milestone,
    QuarterlyUpdate,
    RequestAdvice,
    StoredReport,
)
from tracker.quarters import Quarter
from tracker.reports import snapshot, steering_pack


def pdf_text(body: bytes) -> str:
    reader = PdfReader(io.BytesIO(body))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


@pytest.fixture
def meeting(app, world):
    """Q2 closed with its snapshot; since then A went amber with an exception report and a
    decision asked (advised), a milestone moved; an earlier decision is open with a follow-up
    in A. The meeting of 10-11-2026 discusses Q3."""
    with app.app_context():
        db.session.add(
            ClosedQuarter(
                programme_id=world["programme_id"],
                quarter="2026-Q2",
                snapshot=snapshot.collect(world["programme_id"], Quarter.parse("2026-Q2")),
                pdf=b"%PDF-",
                pdf_sha256="0" * 64,
            )
        )
        update = db.session.scalar(select(QuarterlyUpdate))
        update.rag = "amber"
        update.decisions_requested = "Extra budget voor gastlessen"
        db.session.flush()
        db.session.add(RequestAdvice(request_id=update.id, advice="Instemmen, binnen de begroting"))
        db.session.add(exception_report(world["a"], "2026-Q3"))
        milestone = db.session.scalar(select(Milestone).where(Milestone.title == "Evaluatie"))
        milestone.planned_date = date(2027, 6, 1)
        earlier = Meeting(
            programme_id=world["programme_id"],
            held_on=date(2026, 9, 1),
            title="Stuurgroep september",
            quarter="2026-Q2",
        )
        decision = Decision(
            meeting=earlier, number=1, text="Werving techniekdocenten", status="in_progress"
        )
        decision.subproject_links.append(DecisionSubproject(subproject_id=world["a"]))
        db.session.add(
            Action(
                subproject_id=world["a"],
                decision=decision,
                title="Vacatures uitzetten",
                start_date=date(2026, 9, 1),
                due_date=date(2026, 12, 1),
                state="running",
                progress=40,
            )
        )
        now = Meeting(
            programme_id=world["programme_id"],
            held_on=date(2026, 11, 10),
            title="Stuurgroep november",
            quarter="2026-Q3",
            agenda="1. Opening\n2. Afwijking Leerlijn",
        )
        db.session.add_all([earlier, decision, now])
        db.session.commit()
        return now.id


def test_pack_holds_agenda_exception_sheet_requests_decisions_and_changes(login_as, meeting):
    response = login_as("steering").get(f"/meetings/{meeting}/steering-pack.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "stuurgroeppakket-2026-11-10.pdf" in response.headers["Content-Disposition"]
    text = pdf_text(response.data)
    assert "Stuurgroeppakket" in text and "Stuurgroep november 10-11-2026" in text
    assert "2. Afwijking Leerlijn" in text
    assert "A Leerlijn" in text and "Docenten ziek" in text and "Inhuur gastdocenten" in text
    assert "Extra budget voor gastlessen" in text and "Instemmen, binnen de begroting" in text
    assert "Werving techniekdocenten" in text and "Vacatures uitzetten" in text
    assert "In uitvoering" in text and "40 %" in text
    assert "gearchiveerde rapportage van 2026-Q2" in text
    assert "Evaluatie" in text and "01-06-2027" in text  # moved since the closed quarter
    assert "Oranje" in text  # A's status changed to amber


def test_pack_is_tagged_like_the_quarterly_report(login_as, meeting):
    body = login_as("manager").get(f"/meetings/{meeting}/steering-pack.pdf").data
    root = PdfReader(io.BytesIO(body)).trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] and root["/Lang"] == "nl"
    assert "/StructTreeRoot" in root


def test_pack_is_built_once_and_stored_per_meeting(app, login_as, meeting):
    client = login_as("manager")
    first = client.get(f"/meetings/{meeting}/steering-pack.pdf").data
    second = client.get(f"/meetings/{meeting}/steering-pack.pdf").data
    assert first == second
    with app.app_context():
        rows = db.session.scalars(select(StoredReport)).all()
        assert [(r.meeting_id, r.variant) for r in rows] == [(meeting, steering_pack.VARIANT)]


def test_a_pack_not_built_yet_shows_the_progress_page(meeting, world, request):
    worker = request.getfixturevalue("worker")
    client = worker.test_client()
    assert login(client, world["users"]["steering"]).status_code == 302
    url = f"/meetings/{meeting}/steering-pack.pdf"
    waiting = client.get(url)
    assert waiting.status_code == 202
    assert "Rapportage wordt gemaakt" in waiting.get_data(as_text=True)
    assert run_queued_jobs(worker) == 1
    ready = client.get(url)
    assert ready.status_code == 200 and ready.mimetype == "application/pdf"


def test_without_a_closed_quarter_the_pack_says_there_is_nothing_to_compare(app, login_as, world):
    with app.app_context():
        row = Meeting(
            programme_id=world["programme_id"],
            held_on=date(2026, 11, 10),
            title="Stuurgroep",
            quarter="2026-Q3",
        )
        db.session.add(row)
        db.session.commit()
        meeting_id = row.id
    text = pdf_text(login_as("manager").get(f"/meetings/{meeting_id}/steering-pack.pdf").data)
    assert "Er is nog geen kwartaal vastgesteld" in text
    # A is green by its lead but not by its milestones and indicators: an exception all the same
    assert "A Leerlijn" in text and "Nog geen afwijkingsrapportage" in text


def test_changes_compare_two_snapshots(app, world):
    with app.app_context():
        before = snapshot.collect(world["programme_id"], Quarter.parse("2026-Q2"))
        after = snapshot.collect(world["programme_id"], Quarter.parse("2026-Q3"))
        found = steering_pack.changes(before, after)
    values = {v["name"]: (v["before"], v["now"]) for v in found["new_values"]}
    assert values["Leerlingen techniek"] == (140.0, 180.0)
    assert values["Uitval"] == (None, 19.0)
    assert found["moved"] == []
