"""Closing a quarter names the steering group's decision that approved the report; reopening
keeps the withdrawn report as a version that stays downloadable."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from datetime import date

from conftest import approval, login
from pypdf import PdfReader
from sqlalchemy import select

from tracker.extensions import db
from tracker.models import (
    ClosedQuarter,
    Decision,
    Meeting,
    Programme,
    QuarterClosing,
    WithdrawnReport,
)

APPROVAL = "De kwartaalrapportage 2026-Q3 wordt vastgesteld."


def pdf_text(body: bytes) -> str:
    reader = PdfReader(io.BytesIO(body))
    return re.sub(r"\s+", " ", "\n".join(page.extract_text() for page in reader.pages))


def as_role(app, world, role: str):
    """A client of its own, logged in as ``role``."""
    client = app.test_client()
    assert login(client, world["users"][role]).status_code == 302
    return client


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def _meeting(app, programme_id: int, held_on: date, *decisions: tuple[str, str]) -> list[int]:
    """A meeting with decisions (text, status); their ids."""
    with app.app_context():
        meeting = Meeting(programme_id=programme_id, held_on=held_on, title=f"Stuurgroep {held_on}")
        rows = [
            Decision(meeting=meeting, number=n, text=text, status=status)
            for n, (text, status) in enumerate(decisions, 1)
        ]
        db.session.add_all([meeting, *rows])
        db.session.commit()
        return [row.id for row in rows]


def test_the_confirmation_page_offers_the_decisions_that_can_have_approved_the_report(
    app, login_as, world
):
    pid = world["programme_id"]
    (before,) = _meeting(app, pid, date(2026, 9, 30), ("Te vroeg: het kwartaal liep nog", "open"))
    after = _meeting(
        app,
        pid,
        date(2026, 10, 12),
        (APPROVAL, "completed"),
        ("Vervallen besluit", "lapsed"),
    )
    (future,) = _meeting(app, pid, date(2026, 12, 10), ("Nog niet gehouden", "open"))
    with app.app_context():
        other = Programme(
            name="Ander programma", start_date=date(2025, 1, 1), end_date=date(2028, 12, 31)
        )
        db.session.add(other)
        db.session.commit()
        other_id = other.id
    (foreign,) = _meeting(app, other_id, date(2026, 10, 12), ("Besluit elders", "open"))
    client = login_as("manager")
    page = client.get(f"/reports/{pid}/2026-Q3/close")
    assert page.status_code == 200
    body = _text(page)
    assert f'<option value="{after[0]}">Besluit 1: {APPROVAL}</option>' in body
    assert '<optgroup label="12-10-2026 · Stuurgroep 2026-10-12">' in body
    for absent in (before, after[1], future, foreign):
        assert f'value="{absent}"' not in body
    assert "Wat vaststellen doet" in body and "(versie 1)" in body

    for chosen, message in (
        ("", "Kies het besluit waarmee de stuurgroep de rapportage heeft vastgesteld."),
        (str(before), "Kies een besluit uit de lijst"),
        (str(foreign), "Kies een besluit uit de lijst"),
        ("abc", "Kies een besluit uit de lijst"),
    ):
        refused = client.post(f"/reports/{pid}/2026-Q3/close", data={"decision": chosen})
        assert refused.status_code == 400, chosen
        assert message in _text(refused) and 'id="decision-error"' in _text(refused)
    with app.app_context():
        assert db.session.scalars(select(ClosedQuarter)).all() == []
        assert db.session.scalars(select(QuarterClosing)).all() == []


def test_without_a_decision_in_the_log_the_page_says_what_to_do(app, login_as, world):
    pid = world["programme_id"]
    client = login_as("manager")
    page = client.get(f"/reports/{pid}/2026-Q3/close")
    assert page.status_code == 200
    body = _text(page)
    assert 'id="no-approval-decision"' in body and "<select" not in body
    assert "bevat nog geen besluit van een stuurgroepvergadering na 30-09-2026" in body
    assert f'href="/programmes/{pid}/meetings"' in body
    refused = client.post(f"/reports/{pid}/2026-Q3/close", data={"decision": "1"})
    assert refused.status_code == 400 and 'id="no-approval-decision"' in _text(refused)
    with app.app_context():
        assert db.session.scalars(select(ClosedQuarter)).all() == []


def test_the_reports_page_links_to_the_confirmation_page(login_as, world):
    pid = world["programme_id"]
    page = _text(login_as("manager").get(f"/reports/{pid}"))
    assert f'href="/reports/{pid}/2026-Q3/close"' in page
    assert f'action="/reports/{pid}/2026-Q3/close"' not in page  # no one-click closing


def test_the_cover_names_the_approving_decision_and_a_draft_never_claims_approval(
    app, login_as, world
):
    pid = world["programme_id"]
    client = login_as("manager")
    draft = pdf_text(client.get(f"/reports/{pid}/2026-Q3.pdf").data)
    assert "CONCEPT" in draft and "nog niet vastgesteld" in draft
    assert "Vastgesteld door de stuurgroep" not in draft and "VASTGESTELD" not in draft

    chosen = approval(app, pid, text=APPROVAL)
    assert client.post(f"/reports/{pid}/2026-Q3/close", data=chosen).status_code == 303
    with app.app_context():
        row = db.session.scalars(select(ClosedQuarter)).one()
        decision = db.session.get(Decision, int(chosen["decision"]))
        assert (row.approval_decision_id, row.approval_meeting_id) == (
            decision.id,
            decision.meeting_id,
        )
        assert row.approved_on == date(2026, 10, 12)
        assert (row.approval_meeting, row.approval_decision_number) == ("Stuurgroep oktober", 1)
        assert row.approval_decision == APPROVAL and row.report_version == 1
        archived = row.pdf
    cover = pdf_text(archived)
    assert f"Vastgesteld door de stuurgroep op 12-10-2026, besluit: {APPROVAL}" in cover
    assert "Stuurgroep oktober (12-10-2026), besluit 1" in cover
    assert "Vastgelegd door Programmaregisseur op 24-11-2026" in cover
    page = _text(client.get(f"/reports/{pid}"))
    assert "Vastgesteld door de stuurgroep op 12-10-2026, besluit 1" in page
    # The subproject report made later from the archived snapshot says the same.
    sub = pdf_text(client.get(f"/reports/{pid}/subprojects/{world['a']}/2026-Q3.pdf").data)
    assert f"Vastgesteld door de stuurgroep op 12-10-2026, besluit: {APPROVAL}" in sub

    export = client.get(f"/exports/{pid}/2026-Q3.csv")
    with zipfile.ZipFile(io.BytesIO(export.data)) as archive:
        about = archive.read("over-dit-bestand.txt").decode("utf-8")
    assert "Vastgesteld door de stuurgroep op 12-10-2026, besluit 1" in about

    # The decision log may change later: the archive keeps what was approved.
    with app.app_context():
        db.session.get(Decision, int(chosen["decision"])).text = "Later herschreven"
        db.session.commit()
    assert client.get(f"/reports/{pid}/2026-Q3.pdf").data == archived


def test_a_closing_whose_decision_was_deleted_meanwhile_fails_and_says_so(app, world):
    from tracker.models import User
    from tracker.reports import closing

    pid = world["programme_id"]
    with app.app_context():
        manager = db.session.scalar(select(User.id).where(User.role == "manager"))
        # what the database leaves of the request once its decision is deleted (SET NULL)
        pending = QuarterClosing(
            programme_id=pid, quarter="2026-Q3", requested_by_id=manager, decision_id=None
        )
        db.session.add(pending)
        db.session.commit()
        closing.close_quarter_job(pending.id)
        assert "no longer in the log" in db.session.get(QuarterClosing, pending.id).error
        assert db.session.scalars(select(ClosedQuarter)).all() == []


def test_reopening_keeps_the_withdrawn_report_and_the_next_closing_is_version_2(
    app, login_as, world
):
    pid = world["programme_id"]
    client = login_as("manager")
    assert client.post(f"/reports/{pid}/2026-Q3/close", data=approval(app, pid)).status_code == 303
    first = client.get(f"/reports/{pid}/2026-Q3.pdf").data
    reason = "Meting <b>A1</b> was fout"
    reopened = client.post(f"/reports/{pid}/2026-Q3/reopen", data={"reason": reason})
    assert reopened.status_code == 303
    with app.app_context():
        kept = db.session.scalars(select(WithdrawnReport)).one()
        assert (kept.quarter, kept.report_version, kept.reason) == ("2026-Q3", 1, reason)
        assert kept.pdf == first and kept.pdf_sha256 == hashlib.sha256(first).hexdigest()
        assert kept.approved_on == date(2026, 10, 12) and kept.approval_decision_number == 1

    url = f"/reports/{pid}/2026-Q3/versions/1.pdf"
    for role in ("steering", "manager"):
        download = as_role(app, world, role).get(url)
        assert download.status_code == 200 and download.data == first
        assert download.headers["X-Report-SHA256"] == hashlib.sha256(first).hexdigest()
        assert "versie-1-ingetrokken" in download.headers["Content-Disposition"]
    assert as_role(app, world, "lead").get(url).status_code == 403
    missing = as_role(app, world, "steering").get(f"/reports/{pid}/2026-Q3/versions/2.pdf")
    assert missing.status_code == 404 and "geen ingetrokken rapportversie 2" in _text(missing)

    page = _text(as_role(app, world, "steering").get(f"/reports/{pid}"))
    assert f'href="{url}"' in page and "ingetrokken" in page
    assert re.search(
        r"ingetrokken op \d\d-\d\d-\d{4} door Programmaregisseur: Meting &lt;b&gt;A1&lt;/b&gt;",
        page,
    )

    page = _text(client.get(f"/reports/{pid}/2026-Q3/close"))
    assert "(versie 2)" in page
    assert client.post(f"/reports/{pid}/2026-Q3/close", data=approval(app, pid)).status_code == 303
    with app.app_context():
        assert db.session.scalars(select(ClosedQuarter.report_version)).one() == 2
    second = pdf_text(client.get(f"/reports/{pid}/2026-Q3.pdf").data)
    assert "Versie van de rapportage 2 (vervangt 1 ingetrokken versie)" in second
    page = _text(as_role(app, world, "steering").get(f"/reports/{pid}"))
    assert "versie 2" in page and f'href="{url}"' in page
