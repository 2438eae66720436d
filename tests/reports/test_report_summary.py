"""The quarterly report's first pages: exceptions with cause and measure, forecast slips,
lagging indicators, decisions asked and each subproject's status over four quarters."""

from __future__ import annotations

import io
import re
from datetime import date, datetime

import pandas as pd
import pytest
from conftest import exception_report
from pypdf import PdfReader

from tracker.extensions import db
from tracker.models import (
    Indicator,
    Measurement,
    Milestone,
    MilestoneDateChange,
    QuarterlyUpdate,
    Subproject,
)
from tracker.quarters import Quarter
from tracker.reports import evaluation, snapshot, summary

CAUSE = "Docententekort in de regio"
MEASURE = "Gastdocenten uit bedrijven inzetten"


def _pages(body: bytes) -> list[str]:
    return [re.sub(r"\s+", " ", page.extract_text()) for page in PdfReader(io.BytesIO(body)).pages]


@pytest.fixture
def orange(app, world):
    """Subproject A amber in 2026-Q3 (green in Q2) with its exception report, a milestone
    forecast 45 days late with the reason of its last move, and an indicator off track with a
    note."""
    with app.app_context():
        a = db.session.get(Subproject, world["a"])
        db.session.add(QuarterlyUpdate(subproject=a, quarter="2026-Q2", rag="green"))
        update = db.session.query(QuarterlyUpdate).filter_by(quarter="2026-Q3").one()
        update.rag = "amber"
        update.decisions_requested = "Akkoord op inzet van gastdocenten"
        db.session.add(
            exception_report(
                a.id,
                "2026-Q3",
                cause=CAUSE,
                measure=MEASURE,
                measure_owner="Schoolleiding",
                measure_due=date(2027, 1, 31),
            )
        )
        evaluation_milestone = db.session.query(Milestone).filter_by(title="Evaluatie").one()
        evaluation_milestone.forecast_date = date(2027, 4, 15)
        db.session.add(
            MilestoneDateChange(
                milestone_id=evaluation_milestone.id,
                from_date=date(2027, 2, 1),
                to_date=date(2027, 3, 1),
                reason="Subsidiebesluit komt later",
                changed_at=datetime(2026, 8, 1, 9),
            )
        )
        dropout = db.session.query(Indicator).filter_by(name="Uitval").one()
        db.session.query(Measurement).filter_by(
            indicator_id=dropout.id, period="2026-Q3"
        ).one().note = "Uitval gestegen door krapte"
        db.session.commit()
    return world


def test_the_first_pages_name_the_exception_its_cause_and_measure(login_as, orange):
    response = login_as("steering").get(f"/reports/{orange['programme_id']}/2026-Q3.pdf")
    assert response.status_code == 200
    pages = _pages(response.data)
    first = " ".join(pages[:4])
    assert "Managementsamenvatting" in first
    assert "Afwijkingen: oorzaak en bijsturing" in first
    assert "A Leerlijn" in first and "Oranje" in first
    assert CAUSE in first and MEASURE in first
    assert "door Schoolleiding, gereed op 31-01-2027" in first
    assert "Akkoord op inzet van gastdocenten" in first
    # forecast slip with its days and the reason of its last move
    assert "Evaluatie" in first and "+45" in first and "Subsidiebesluit komt later" in first
    # the lagging indicator with the note of its newest value
    assert "Uitval gestegen door krapte" in first and "Buiten koers" in first
    # the status of the last four quarters, told by symbol and label
    assert "K4 2025 K1 2026 K2 2026 K3 2026" in first
    history = first[first.index("Status per deelproject over de laatste vier kwartalen") :]
    assert "● Groen" in history and "▲ Oranje" in history
    # the summary comes before the subproject's own section
    section = next(
        n for n, page in enumerate(pages) if "Kwartaalrapportage van de deelprojectleider" in page
    )
    assert max(n for n, page in enumerate(pages) if CAUSE in page) <= section


def test_a_subproject_report_summarises_that_subproject_only(login_as, orange):
    client = login_as("manager")
    pid = orange["programme_id"]
    own = " ".join(_pages(client.get(f"/reports/{pid}/subprojects/{orange['a']}/2026-Q3.pdf").data))
    assert CAUSE in own and "Subsidiebesluit komt later" in own
    other = " ".join(
        _pages(client.get(f"/reports/{pid}/subprojects/{orange['b']}/2026-Q3.pdf").data)
    )
    assert CAUSE not in other and "Geen deelproject staat dit kwartaal op oranje of rood." in other


def test_an_amber_subproject_without_its_exception_report_is_named_as_missing(app, orange):
    with app.app_context():
        data = snapshot.collect(orange["programme_id"], Quarter(2026, 3))
    frames = snapshot.frames(data)
    frames["exceptions"] = frames["exceptions"].iloc[0:0]
    report = evaluation.build(frames, Quarter(2026, 3), first=Quarter(2025, 1))
    (listed,) = report.summary.exceptions.rows
    assert listed["name"] == "A Leerlijn" and listed["report"] is None


def test_an_archived_snapshot_from_before_exception_reports_still_renders(app, orange):
    with app.app_context():
        data = snapshot.collect(orange["programme_id"], Quarter(2026, 3))
    for name in ("exceptions", "milestone_reasons"):
        del data["frames"][name]
    report = evaluation.build(snapshot.frames(data), Quarter(2026, 3))
    assert report.summary.exceptions.rows[0]["report"] is None
    assert report.summary.forecast_slips.rows[0]["reason"] == ""


def test_the_status_history_starts_no_earlier_than_the_programme(app, orange):
    with app.app_context():
        data = snapshot.collect(orange["programme_id"], Quarter(2025, 2))
    report = evaluation.build(snapshot.frames(data), Quarter(2025, 2), first=Quarter(2025, 1))
    assert [str(q) for q in report.summary.history.quarters] == ["2025-Q1", "2025-Q2"]


def _milestone(**facts) -> dict:
    return {
        "id": facts.pop("id", 1),
        "subproject": "A",
        "title": facts.pop("title", "M"),
        "planned_date": date(2026, 12, 1),
        "forecast_date": None,
        "status": "at_risk",
        **facts,
    }


def test_forecast_slips_leave_out_achieved_and_on_time_milestones_and_sort_by_days():
    rows = [
        _milestone(id=1, title="later", forecast_date=date(2026, 12, 11)),
        _milestone(id=2, title="much later", forecast_date=date(2027, 2, 1)),
        _milestone(id=3, title="early", forecast_date=date(2026, 11, 1), status="on_track"),
        _milestone(id=4, title="done", forecast_date=date(2027, 1, 1), status="achieved_late"),
        _milestone(id=5, title="no forecast", forecast_date=pd.NaT),
    ]
    listed = summary.forecast_slips(rows, {2: "Leverancier failliet"})
    assert [(m["title"], m["days"], m["reason"]) for m in listed.rows] == [
        ("much later", 62, "Leverancier failliet"),
        ("later", 10, ""),
    ]


def test_a_long_list_shows_its_first_rows_and_how_many_there_are():
    rows = [_milestone(id=n, forecast_date=date(2027, 1, n)) for n in range(1, 26)]
    listed = summary.forecast_slips(rows, {})
    assert len(listed.rows) == summary.LIMIT and listed.total == 25
