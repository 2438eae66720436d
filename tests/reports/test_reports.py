"""The quarterly PDF, closing a quarter, and the exports, read back as a user would."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from datetime import date, datetime

import pandas as pd
import pytest
from conftest import approval, statements_of
from openpyxl import load_workbook
from pypdf import PdfReader

from tracker.extensions import db
from tracker.models import (
    AuditEntry,
    ClosedQuarter,
    ClosedSubprojectReport,
    Indicator,
    Measurement,
    Milestone,
    MilestoneDateChange,
    QuarterlyUpdate,
    Subproject,
)
from tracker.quarters import Quarter, lock
from tracker.reports import evaluation, exports, pdf, snapshot
from tracker.reports.charts import svg
from tracker.reports.fetcher import StaticOnlyFetcher


def pdf_text(body: bytes) -> str:
    reader = PdfReader(io.BytesIO(body))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return re.sub(r"[ \t]+", " ", text)


@pytest.fixture
def q3(app, world):
    """World plus what makes 2026-Q3 worth reporting: a milestone achieved in Q3, one overdue
    at its end, one moved later during Q3, a decision asked, and later facts that a Q3 report
    must not know (a Q4 measurement, an achievement in Q4)."""
    with app.app_context():
        a = db.session.get(Subproject, world["a"])
        db.session.add_all(
            [
                Milestone(
                    subproject=a,
                    title="Praktijklokaal open",
                    baseline_date=date(2026, 8, 1),
                    planned_date=date(2026, 8, 1),
                    achieved_on=date(2026, 8, 15),
                ),
                Milestone(
                    subproject=a,
                    title="Stagebank online",
                    baseline_date=date(2026, 8, 1),
                    planned_date=date(2026, 8, 1),
                    achieved_on=date(2026, 10, 20),
                ),
            ]
        )
        moved = Milestone(
            subproject=a,
            title="Docenten bijgeschoold",
            baseline_date=date(2026, 11, 1),
            planned_date=date(2026, 12, 1),
        )
        db.session.add(moved)
        db.session.flush()
        db.session.add(
            MilestoneDateChange(
                milestone_id=moved.id,
                from_date=date(2026, 11, 1),
                to_date=date(2026, 12, 1),
                reason="Docenten pas later beschikbaar",
                changed_at=datetime(2026, 8, 20, 10),
            )
        )
        update = db.session.query(QuarterlyUpdate).filter_by(quarter="2026-Q3").one()
        update.decisions_requested = "Akkoord op extra budget voor het praktijklokaal"
        update.risks = "Personeelstekort"
        a1 = db.session.query(Indicator).filter_by(name="Leerlingen techniek").one()
        db.session.add(Measurement(indicator_id=a1.id, period="2026-Q4", value=777))
        db.session.commit()
    return world


def get_pdf(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/pdf"
    return response.data


def test_programme_report_summary_matches_the_fixture(login_as, q3):
    client = login_as("steering")
    body = get_pdf(client, f"/reports/{q3['programme_id']}/2026-Q3.pdf")
    text = pdf_text(body)
    assert "Kwartaalrapportage" in text and "Testprogramma" in text
    assert "Kwartaal 3 2026" in text and "CONCEPT" in text
    assert "Op koers: 1. Risico: 0. Buiten koers: 1. Geen gegevens: 1." in text
    assert "Akkoord op extra budget voor het praktijklokaal" in text
    assert "Praktijklokaal open" in text and "Docenten bijgeschoold" in text
    assert re.search(r"pagina 1 van (\d+)", text) is None  # the cover has no footer
    pages = len(PdfReader(io.BytesIO(body)).pages)
    assert f"pagina 2 van {pages}" in text
    assert "Inhoud" in text and "Managementsamenvatting" in text
    reader = PdfReader(io.BytesIO(body))
    cover, contents = (reader.pages[i].extract_text() for i in (0, 1))
    # Headers and footers from page 2 on; the cover holds no hidden copy of their texts.
    assert "Kwartaalrapportage 3e kwartaal 2026" in contents
    assert "Concept – niet vastgesteld" in contents
    assert "Concept – niet vastgesteld" not in cover


def test_the_same_report_is_made_once_and_a_data_change_makes_it_anew(
    app, login_as, q3, monkeypatch
):
    made = []
    original = pdf.html_to_pdf

    def counting(html, timings=None):
        made.append(1)
        return original(html, timings)

    monkeypatch.setattr(pdf, "html_to_pdf", counting)
    client = login_as("steering")
    url = f"/reports/{q3['programme_id']}/2026-Q4.pdf"
    first = get_pdf(client, url)
    assert get_pdf(client, url) == first and len(made) == 1
    with app.app_context():
        measurement = db.session.query(Measurement).filter_by(period="2026-Q4").one()
        measurement.value = 778
        db.session.commit()
    text = pdf_text(get_pdf(client, url))
    assert len(made) == 2 and "778" in text and "777" not in text


def test_summary_counts_are_exact(login_as, q3):
    text = pdf_text(get_pdf(login_as("manager"), f"/reports/{q3['programme_id']}/2026-Q3.pdf"))
    line = re.search(
        r"Behaald dit kwartaal: (\d+)\. Verschoven dit kwartaal: (\d+)\. "
        r"Over tijd aan het eind van het kwartaal: (\d+)\.",
        text,
    )
    assert line is not None and line.groups() == ("1", "1", "1")


def test_report_as_at_quarter_end_leaves_out_later_facts(login_as, q3):
    client = login_as("manager")
    q3_text = pdf_text(get_pdf(client, f"/reports/{q3['programme_id']}/2026-Q3.pdf"))
    assert "777" not in q3_text
    assert "20-10-2026" not in q3_text  # achieved in Q4: not known at the end of Q3
    q4_text = pdf_text(get_pdf(client, f"/reports/{q3['programme_id']}/2026-Q4.pdf"))
    assert "777" in q4_text and "20-10-2026" in q4_text


def test_subproject_report_holds_only_that_subproject(login_as, q3):
    client = login_as("steering")
    text = pdf_text(
        get_pdf(client, f"/reports/{q3['programme_id']}/subprojects/{q3['a']}/2026-Q3.pdf")
    )
    assert "A Leerlijn" in text and "Personeelstekort" in text
    assert "B Maritiem" not in text and "Werkplaats open" not in text


def test_subproject_section_lists_every_milestone_the_quarter_concerns(app, q3):
    with app.app_context():
        a = db.session.get(Subproject, q3["a"])
        db.session.add(
            Milestone(
                subproject=a,
                title="Werkgeversavond",
                baseline_date=date(2026, 5, 1),
                planned_date=date(2026, 5, 1),
            )
        )
        db.session.commit()
        quarter = Quarter.parse("2026-Q3")
        data = snapshot.collect(q3["programme_id"], quarter)
    report = evaluation.build(snapshot.frames(data), quarter, q3["a"])
    listed = {m["title"] for m in report.sections[0].milestones}
    assert listed == {
        "Praktijklokaal open",  # achieved in Q3
        "Stagebank online",  # due in Q3, achieved only in Q4: overdue at the end of Q3
        "Docenten bijgeschoold",  # moved from November to December during Q3
        "Werkgeversavond",  # due in Q2, still open: overdue
    }
    summary = report.summary
    in_summary = {m["title"] for m in [*summary.achieved, *summary.slipped, *summary.overdue]}
    assert in_summary <= listed


def test_close_quarter_archives_a_byte_identical_report(app, login_as, q3):
    client = login_as("manager")
    pid = q3["programme_id"]
    response = client.post(f"/reports/{pid}/2026-Q3/close", data=approval(app, pid))
    assert response.status_code == 303
    first = get_pdf(client, f"/reports/{pid}/2026-Q3.pdf")
    text = pdf_text(first)
    assert "VASTGESTELD" in text and "Programmaregisseur" in text
    with app.app_context():
        row = db.session.query(ClosedQuarter).one()
        assert row.pdf == first
        assert row.pdf_sha256 == hashlib.sha256(first).hexdigest()
        assert row.snapshot["quarter"] == "2026-Q3"
        # Data of other quarters may change; the archived report must not.
        a1 = db.session.query(Indicator).filter_by(name="Leerlingen techniek").one()
        db.session.query(Measurement).filter_by(
            indicator_id=a1.id, period="2026-Q2"
        ).one().value = 1
        db.session.query(Milestone).filter_by(title="Evaluatie").one().title = "Nieuwe titel"
        db.session.commit()
    again = client.get(f"/reports/{pid}/2026-Q3.pdf")
    assert again.data == first
    assert again.headers["X-Report-SHA256"] == hashlib.sha256(first).hexdigest()
    page = client.get(f"/reports/{pid}").get_data(as_text=True)
    assert "Vastgesteld" in page and hashlib.sha256(first).hexdigest()[:12] in page
    # The closed quarter's subproject report and exports come from the archived snapshot.
    sub = pdf_text(get_pdf(client, f"/reports/{pid}/subprojects/{q3['a']}/2026-Q3.pdf"))
    assert "VASTGESTELD" in sub and "Evaluatie" in sub and "Nieuwe titel" not in sub


def test_closed_quarter_subproject_report_is_archived_at_its_first_download(
    app, login_as, q3, monkeypatch
):
    client = login_as("manager")
    pid, sid = q3["programme_id"], q3["a"]
    url = f"/reports/{pid}/subprojects/{sid}/2026-Q3.pdf"
    assert client.post(f"/reports/{pid}/2026-Q3/close", data=approval(app, pid)).status_code == 303
    first = client.get(url)
    assert first.status_code == 200
    assert "VASTGESTELD" in pdf_text(first.data)
    assert first.headers["X-Report-SHA256"] == hashlib.sha256(first.data).hexdigest()
    with app.app_context():
        stored = db.session.query(ClosedSubprojectReport).one()
        assert (stored.subproject_id, stored.pdf) == (sid, first.data)
        db.session.query(Milestone).filter_by(title="Evaluatie").one().title = "Nieuwe titel"
        db.session.commit()

    # Only the programme report's own download reads the archived programme PDF.
    archived_pdf = re.compile(r"closed_quarter\.pdf\b(?!_)")
    for path in (url, f"/reports/{pid}", f"/reports/{pid}/2026-Q3/reopen"):
        assert not any(archived_pdf.search(sql) for sql in statements_of(app, client, path)), path
    programme_report = statements_of(app, client, f"/reports/{pid}/2026-Q3.pdf")
    assert any(archived_pdf.search(sql) for sql in programme_report)

    def no_new_report(*args, **kwargs):
        raise AssertionError("an archived report must not be made again")

    # Served from the archive: not made again, so neither data nor software changes reach it.
    monkeypatch.setattr(pdf, "render_html", no_new_report)
    again = client.get(url)
    assert again.data == first.data
    assert again.headers["X-Report-SHA256"] == first.headers["X-Report-SHA256"]
    monkeypatch.undo()

    reopened = client.post(f"/reports/{pid}/2026-Q3/reopen", data={"reason": "Correctie"})
    assert reopened.status_code == 303
    with app.app_context():
        assert db.session.query(ClosedSubprojectReport).count() == 0
    reopened = client.get(url)
    assert "X-Report-SHA256" not in reopened.headers
    text = pdf_text(reopened.data)
    assert "CONCEPT" in text and "Nieuwe titel" in text


def test_subproject_added_after_closing_has_no_report_of_that_quarter(app, login_as, q3):
    client = login_as("manager")
    pid = q3["programme_id"]
    assert client.post(f"/reports/{pid}/2026-Q3/close", data=approval(app, pid)).status_code == 303
    with app.app_context():
        older = db.session.get(Subproject, q3["a"])
        added = Subproject(
            programme_id=pid, municipality_id=older.municipality_id, code="C", name="Nieuw"
        )
        db.session.add(added)
        db.session.commit()
        cid = added.id
    for url in (
        f"/reports/{pid}/subprojects/{cid}/2026-Q3.pdf",
        f"/exports/{pid}/subprojects/{cid}/2026-Q3.xlsx",
    ):
        response = client.get(url)
        assert response.status_code == 404
        page = response.get_data(as_text=True)
        assert "3e kwartaal 2026 is vastgesteld voordat deelproject C" in page
    # The quarter it was added in has its report.
    assert "C Nieuw" in pdf_text(get_pdf(client, f"/reports/{pid}/subprojects/{cid}/2026-Q4.pdf"))


def test_edits_to_a_closed_quarter_are_refused(app, login_as, q3):
    client = login_as("manager")
    pid = q3["programme_id"]
    client.post(f"/reports/{pid}/2026-Q3/close", data=approval(app, pid))
    with app.app_context():
        with pytest.raises(lock.QuarterClosed) as refused:
            lock.ensure_quarter_open(pid, "2026-Q3")
        lock.ensure_quarter_open(pid, "2026-Q4")  # open: no error
        a1 = db.session.query(Indicator).filter_by(name="Leerlingen techniek").one()
        db.session.query(Measurement).filter_by(
            indicator_id=a1.id, period="2026-Q3"
        ).one().value = 5
        with pytest.raises(lock.QuarterClosed):
            db.session.commit()
        db.session.rollback()
        update = db.session.query(QuarterlyUpdate).filter_by(quarter="2026-Q3").one()
        update.achieved = "Achteraf herschreven"
        with pytest.raises(lock.QuarterClosed):
            db.session.commit()
        db.session.rollback()
        b1 = db.session.query(Indicator).filter_by(name="Stageplaatsen").one()
        db.session.add(Measurement(indicator_id=b1.id, period="2026-Q3", value=3))
        with pytest.raises(lock.QuarterClosed):
            db.session.commit()
        db.session.rollback()
        moved = db.session.query(Measurement).filter_by(indicator_id=a1.id, period="2026-Q4").one()
        moved.period = "2026-Q3"
        with pytest.raises(lock.QuarterClosed):
            db.session.commit()
        db.session.rollback()
        assert db.session.query(Measurement).filter_by(value=5).count() == 0
        with app.test_request_context("/"):
            response = app.make_response(app.handle_user_exception(refused.value))
        assert response.status_code == 409
        page = response.get_data(as_text=True)
        assert "3e kwartaal 2026 is vastgesteld" in page and "heropenen" in page


def test_reopen_is_audited_and_allows_edits_again(app, login_as, q3):
    client = login_as("manager")
    pid = q3["programme_id"]
    client.post(f"/reports/{pid}/2026-Q3/close", data=approval(app, pid))
    confirm = client.get(f"/reports/{pid}/2026-Q3/reopen")
    assert confirm.status_code == 200
    page = confirm.get_data(as_text=True)
    assert "Wat heropenen doet" in page and "Reden voor heropenen" in page
    with app.app_context():
        assert db.session.query(ClosedQuarter).count() == 1  # asking changes nothing
    for reason, message in (("", "Geef de reden"), (" \n ", "Geef de reden"), ("x" * 2001, "2000")):
        refused = client.post(f"/reports/{pid}/2026-Q3/reopen", data={"reason": reason})
        assert refused.status_code == 400 and message in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(ClosedQuarter).count() == 1
    response = client.post(
        f"/reports/{pid}/2026-Q3/reopen", data={"reason": "Cijfer <b>DP1</b> gecorrigeerd"}
    )
    assert response.status_code == 303
    with app.app_context():
        assert db.session.query(ClosedQuarter).count() == 0
        entries = db.session.query(AuditEntry).filter_by(entity="ClosedQuarter").all()
        assert sorted(e.action for e in entries) == ["create", "delete"]
        deleted = next(e for e in entries if e.action == "delete")
        assert deleted.changes["quarter"] == ["2026-Q3", None]
        assert len(deleted.changes["pdf_sha256"][0]) == 64
        assert deleted.changes["reason"] == [None, "Cijfer <b>DP1</b> gecorrigeerd"]
    history = client.get("/history").get_data(as_text=True)
    assert "Cijfer &lt;b&gt;DP1&lt;/b&gt; gecorrigeerd" in history
    # Once reopened, the confirmation page sends the manager back with a message.
    again = client.get(f"/reports/{pid}/2026-Q3/reopen", follow_redirects=True)
    assert "3e kwartaal 2026 is niet vastgesteld" in again.get_data(as_text=True)
    with app.app_context():
        lock.ensure_quarter_open(pid, "2026-Q3")
        update = db.session.query(QuarterlyUpdate).filter_by(quarter="2026-Q3").one()
        update.achieved = "Gecorrigeerd"
        db.session.commit()
    text = pdf_text(get_pdf(client, f"/reports/{pid}/2026-Q3.pdf"))
    assert "CONCEPT" in text and "Gecorrigeerd" in text


def test_closing_and_reopening_leave_exactly_one_clear_audit_entry_each(app, login_as, q3):
    client = login_as("manager")
    pid = q3["programme_id"]

    def entries():
        with app.app_context():
            query = db.session.query(AuditEntry).order_by(AuditEntry.id)
            return [(e.entity, e.action, e.changes) for e in query]

    approved = approval(app, pid)
    before = entries()
    assert client.post(f"/reports/{pid}/2026-Q3/close", data=approved).status_code == 303
    after_close = entries()
    assert len(after_close) == len(before) + 1
    entity, action, changes = after_close[-1]
    assert (entity, action) == ("ClosedQuarter", "create")
    assert set(changes) == {  # no PDF, no snapshot
        "programme_id",
        "quarter",
        "report_version",
        "approved_on",
        "approval_decision",
        "pdf_sha256",
    }
    assert changes["quarter"] == [None, "2026-Q3"]
    assert changes["approved_on"] == [None, "2026-10-12"]
    body = client.get("/history").get_data(as_text=True)
    assert "Vastgesteld kwartaal (gearchiveerd rapport)" in body
    assert "SHA-256 van het rapport" in body and "pdf_sha256" not in body
    reopened = client.post(f"/reports/{pid}/2026-Q3/reopen", data={"reason": "Correctie"})
    assert reopened.status_code == 303
    after_reopen = entries()
    assert len(after_reopen) == len(after_close) + 1
    assert after_reopen[-1][:2] == ("ClosedQuarter", "delete")
    assert after_reopen[-1][2]["quarter"] == ["2026-Q3", None]


def test_running_quarter_cannot_be_closed_and_double_close_is_refused(app, login_as, q3):
    client = login_as("admin")
    pid = q3["programme_id"]
    response = client.post(f"/reports/{pid}/2026-Q4/close", follow_redirects=True)
    assert "nog niet voorbij" in response.get_data(as_text=True)
    client.post(f"/reports/{pid}/2026-Q3/close", data=approval(app, pid))
    response = client.post(
        f"/reports/{pid}/2026-Q3/close", data=approval(app, pid), follow_redirects=True
    )
    assert "was al vastgesteld" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(ClosedQuarter).count() == 1


@pytest.mark.parametrize(
    ("role", "download", "close"),
    [("admin", 200, 303), ("manager", 200, 303), ("steering", 200, 403), ("lead", 403, 403)],
)
def test_role_matrix(app, login_as, world, role, download, close):
    client = login_as(role)
    pid = world["programme_id"]
    assert client.get(f"/reports/{pid}").status_code == download
    assert client.get(f"/exports/{pid}/2026-Q3.xlsx").status_code == download
    assert (
        client.post(f"/reports/{pid}/2026-Q3/close", data=approval(app, pid)).status_code == close
    )
    reopen = client.post(f"/reports/{pid}/2026-Q3/reopen", data={"reason": "Correctie"})
    assert reopen.status_code == close


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(f"/reports/{world['programme_id']}/2026-Q3.pdf")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_close_without_csrf_token_is_refused(app, login_as, world):
    client = login_as("manager")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post(f"/reports/{world['programme_id']}/2026-Q3/close")
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400
    with app.app_context():
        assert db.session.query(ClosedQuarter).count() == 0


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("2026-Q9.pdf", "is geen kwartaal"),
        ("kwartaal.pdf", "is geen kwartaal"),
        ("2031-Q1.pdf", "Er is geen rapportage voor het 1e kwartaal 2031"),
        ("2024-Q4.pdf", "Er is geen rapportage voor het 4e kwartaal 2024"),
    ],
)
def test_bad_quarter_gives_a_clear_404(login_as, world, path, message):
    response = login_as("manager").get(f"/reports/{world['programme_id']}/{path}")
    assert response.status_code == 404
    assert message in response.get_data(as_text=True)


def test_unknown_programme_or_foreign_subproject_is_404(login_as, world):
    client = login_as("manager")
    assert client.get("/reports/9999/2026-Q3.pdf").status_code == 404
    assert (
        client.get(f"/reports/{world['programme_id']}/subprojects/9999/2026-Q3.pdf").status_code
        == 404
    )
    assert client.get(f"/exports/{world['programme_id']}/2026-Q3.doc").status_code == 404


def test_reports_page_lists_quarters_with_state_and_links(login_as, world):
    page = login_as("manager").get(f"/reports/{world['programme_id']}").get_data(as_text=True)
    assert "2026-Q4" in page and "2025-Q1" in page and "2024-Q4" not in page
    assert "Concept" in page and "Loopt" in page
    assert f"/reports/{world['programme_id']}/2026-Q3.pdf" in page
    assert f"/exports/{world['programme_id']}/2026-Q3.xlsx" in page
    sub = f"/exports/{world['programme_id']}/subprojects/{world['a']}/2026-Q3"
    assert f"{sub}.xlsx" in page and f"{sub}.csv" in page
    assert "3e kwartaal 2026 vaststellen" in page
    client = login_as("manager")
    client.post("/logout")
    steering = login_as("steering").get(f"/reports/{world['programme_id']}").get_data(as_text=True)
    assert "Programmarapportage (pdf)" in steering and "vaststellen" not in steering


# --- User text and the URL fetcher ---------------------------------------------------------------

HOSTILE = '<img src="file:///etc/passwd"> <b>vet</b> http://127.0.0.1:9/x.png'


def test_user_text_is_escaped_and_nothing_is_fetched(app, login_as, world, monkeypatch):
    fetched: list[str] = []
    original = StaticOnlyFetcher.fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(StaticOnlyFetcher, "fetch", spy)
    with app.app_context():
        update = db.session.query(QuarterlyUpdate).filter_by(quarter="2026-Q3").one()
        update.achieved = HOSTILE
        update.risks = '<link rel="stylesheet" href="https://example.org/x.css">'
        a1 = db.session.query(Indicator).filter_by(name="Leerlingen techniek").one()
        measurement = (
            db.session.query(Measurement).filter_by(indicator_id=a1.id, period="2026-Q3").one()
        )
        measurement.source = "http://127.0.0.1:9/bron"
        measurement.note = '<img src="http://127.0.0.1:9/y.png">'
        db.session.commit()
    text = pdf_text(get_pdf(login_as("manager"), f"/reports/{world['programme_id']}/2026-Q3.pdf"))
    assert '<img src="file:///etc/passwd">' in text and "<b>vet</b>" in text
    assert "root:x:0:0" not in text
    assert fetched and all(url.startswith(("file:///", "data:image/")) for url in fetched)
    assert not any("passwd" in url or "127.0.0.1" in url or "example.org" in url for url in fetched)
    assert all(url.endswith("/static/css/report.css") for url in fetched if url.startswith("file"))


def test_fetcher_serves_static_files_only(app, tmp_path):
    fetcher = StaticOnlyFetcher(app.static_folder)
    css = fetcher.fetch(fetcher.base_url + "css/report.css")
    assert b"@page" in css.read()
    refused = [
        "file:///etc/passwd",
        fetcher.base_url + "../tracker/__init__.py",
        fetcher.base_url + "css/../../config.py",
        "http://127.0.0.1:9/x.png",
        "https://example.org/x.css",
        "ftp://example.org/x",
        "data:text/html;base64,PHA+aGk8L3A+",
        "data:image/svg+xml,<svg/>",
        "file://evil.example/etc/passwd",
    ]
    for url in refused:
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert fetcher.refused == refused
    assert fetcher.fetch("data:image/png;base64,iVBORw0KGgo=").read() == b"\x89PNG\r\n\x1a\n"


# --- Charts --------------------------------------------------------------------------------------


def test_charts_are_drawn_as_vector_graphics_with_their_text(login_as, world):
    body = get_pdf(login_as("manager"), f"/reports/{world['programme_id']}/2026-Q3.pdf")
    text = pdf_text(body)
    assert "niet worden getekend" not in text
    assert "Mijlpalen per status" in text and "Aantal mijlpalen" in text  # title and axis
    assert "Verwacht op dit moment" in text  # a legend entry of the progress chart
    reader = PdfReader(io.BytesIO(body))
    assert not any(page.images for page in reader.pages)  # vectors, not bitmaps


def _structure(node, found: list) -> list:
    """Every structure element under ``node`` as (tag, alternative text)."""
    node = node.get_object()
    if isinstance(node, list):
        for child in node:
            _structure(child, found)
    elif hasattr(node, "keys"):
        if "/S" in node:
            found.append((node["/S"], node.get("/Alt")))
        if "/K" in node:
            kids = node["/K"].get_object()
            _structure(kids if isinstance(kids, list) else [node["/K"]], found)
    return found


def test_report_is_a_tagged_pdf_for_screen_readers(login_as, world):
    body = get_pdf(login_as("manager"), f"/reports/{world['programme_id']}/2026-Q3.pdf")
    root = PdfReader(io.BytesIO(body)).trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] and root["/Lang"] == "nl"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    elements = _structure(root["/StructTreeRoot"]["/K"], [])
    tags = [tag for tag, _alt in elements]
    for tag in ("/H1", "/H2", "/H3", "/Table", "/TH", "/TD", "/L", "/LI", "/Figure"):
        assert tag in tags, tag
    figures = [alt for tag, alt in elements if tag == "/Figure"]
    assert all(figures)  # every chart has its text: title, quarter and numbers
    assert any(f.startswith("Mijlpalen per status, 3e kwartaal 2026: ") for f in figures)


def test_a_chart_that_cannot_be_drawn_becomes_a_table(login_as, world, monkeypatch):
    def refuse(figure, width=svg.WIDTH):
        raise svg.Unsupported("trace type 'sankey'")

    monkeypatch.setattr(svg, "draw", refuse)
    text = pdf_text(get_pdf(login_as("manager"), f"/reports/{world['programme_id']}/2026-Q3.pdf"))
    assert "De grafiek kon op deze server niet worden getekend" in text
    assert "Mijlpalen per status" in text  # the chart's title above its table
    assert "Aantal" in text  # the count column of the milestone table


def test_charts_can_be_switched_off(app, login_as, world, monkeypatch):
    monkeypatch.setitem(app.config, "REPORT_CHARTS", False)
    text = pdf_text(get_pdf(login_as("manager"), f"/reports/{world['programme_id']}/2026-Q3.pdf"))
    assert "niet worden getekend" in text


# --- Exports -------------------------------------------------------------------------------------

INJECTIONS = {
    "milestone": '=HYPERLINK("http://evil.example")',
    "note": "+31 6 1234",
    "achieved": "@SUM(A1:A2)",
    "risks": "-2+3",
    "source": "\tverborgen",
}


@pytest.fixture
def hostile_world(app, world):
    with app.app_context():
        a = db.session.get(Subproject, world["a"])
        db.session.add(
            Milestone(
                subproject=a,
                title=INJECTIONS["milestone"],
                baseline_date=date(2026, 9, 1),
                planned_date=date(2026, 9, 1),
            )
        )
        a1 = db.session.query(Indicator).filter_by(name="Leerlingen techniek").one()
        m = db.session.query(Measurement).filter_by(indicator_id=a1.id, period="2026-Q3").one()
        m.note = INJECTIONS["note"]
        m.source = INJECTIONS["source"]
        update = db.session.query(QuarterlyUpdate).filter_by(quarter="2026-Q3").one()
        update.achieved = INJECTIONS["achieved"]
        update.risks = INJECTIONS["risks"]
        db.session.add(Measurement(indicator_id=a1.id, period="2026-Q4", value=999))
        db.session.commit()
    return world


def _table(sheet, values_only=True):
    """The rows of a sheet's table (under its provenance lines), header first."""
    return list(sheet.iter_rows(min_row=exports.TABLE_ROW, values_only=values_only))


def test_xlsx_export_has_dutch_sheets_real_types_and_no_formulas(login_as, hostile_world):
    response = login_as("steering").get(f"/exports/{hostile_world['programme_id']}/2026-Q3.xlsx")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == [
        "Deelprojecten",
        "Acties",
        "Mijlpalen",
        "Indicatoren",
        "Metingen",
        "Kwartaalrapportages",
        "Bijeenkomsten",
    ]
    for sheet in book.worksheets:  # each sheet says what it is
        assert sheet["A1"].value == "Testprogramma, 3e kwartaal 2026, stand per 30-09-2026"
        assert sheet["A2"].value.startswith("Concept van 24-11-2026")
    milestones = book["Mijlpalen"]
    headers, *rows = _table(milestones)
    assert headers[:5] == ("Id", "Deelproject", "Titel", "Oorspronkelijke datum", "Geplande datum")
    convenant = next(r for r in rows if r[2] == "Convenant getekend")
    assert convenant[1] == "A Leerlijn"
    assert convenant[3] == datetime(2026, 3, 1) and convenant[6] == datetime(2026, 2, 20)
    assert convenant[8:10] == (None, "Op tijd behaald")
    late = next(r for r in rows if r[2] == "Leerlijn vastgesteld")
    assert late[7:9] == (40, "te laat behaald") and isinstance(late[7], int)
    hostile = next(
        c
        for row in _table(milestones, False)
        for c in row
        if c.column == 3 and "HYPERLINK" in str(c.value)
    )
    # stored as typed text: a string cell flagged like text typed after an apostrophe
    assert hostile.value == INJECTIONS["milestone"] and hostile.data_type == "s"
    assert hostile.quotePrefix

    indicators = book["Indicatoren"]
    header, *indicator_rows = _table(indicators)
    row = next(r for r in indicator_rows if r[2] == "Uitval")
    values = dict(zip(header, row, strict=True))
    assert values["Nulmeting (waarde)"] == 20.0 and values["Streefwaarde"] == 10.0
    assert values["Waarde dit kwartaal"] == 19.0 and values["Status"] == "Buiten koers"
    assert abs(values["Voortgang"] - 0.1) < 1e-9

    _header, *mrows = _table(book["Metingen"])
    assert "2026 K4" not in {r[4] for r in mrows}  # as at the quarter: no Q4 value
    assert not any(r[5] == 999 for r in mrows)
    q3 = next(r for r in mrows if r[4] == "2026 K3" and r[2] == "Leerlingen techniek")
    assert q3[5] == 180.0 and q3[6] == INJECTIONS["note"] and q3[7] == "\tverborgen"

    _header, urow, *_rest = _table(book["Kwartaalrapportages"])
    assert urow[4] == INJECTIONS["achieved"] and urow[6] == INJECTIONS["risks"]
    assert urow[3] == "Groen"
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)


def test_xlsx_export_reads_back_as_typed_with_pandas(login_as, hostile_world):
    """What a user typed comes back unchanged: no apostrophe, no formula, real numbers."""
    response = login_as("manager").get(f"/exports/{hostile_world['programme_id']}/2026-Q3.xlsx")
    updates = pd.read_excel(
        io.BytesIO(response.data), sheet_name="Kwartaalrapportages", header=exports.TABLE_ROW - 1
    )
    assert updates.loc[0, "Bereikt"] == INJECTIONS["achieved"]
    measurements = pd.read_excel(
        io.BytesIO(response.data), sheet_name="Metingen", header=exports.TABLE_ROW - 1
    )
    assert INJECTIONS["note"] in set(measurements["Toelichting"])
    assert pd.api.types.is_numeric_dtype(measurements["Waarde"])


def test_a_closed_quarters_export_names_its_archived_report(app, login_as, q3):
    client = login_as("manager")
    assert (
        client.post(
            f"/reports/{q3['programme_id']}/2026-Q3/close", data=approval(app, q3["programme_id"])
        ).status_code
        == 303
    )
    with app.app_context():
        seal = db.session.query(ClosedQuarter).one().pdf_sha256
    book = load_workbook(io.BytesIO(client.get(f"/exports/{q3['programme_id']}/2026-Q3.xlsx").data))
    state = book["Mijlpalen"]["A2"].value
    assert state.startswith("Vastgesteld op 24-11-2026 door") and seal in state
    archive = zipfile.ZipFile(
        io.BytesIO(client.get(f"/exports/{q3['programme_id']}/2026-Q3.csv").data)
    )
    assert seal in archive.read("over-dit-bestand.txt").decode("utf-8-sig")


def test_csv_export_is_a_zip_of_neutralised_files(login_as, hostile_world):
    response = login_as("manager").get(f"/exports/{hostile_world['programme_id']}/2026-Q3.csv")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert sorted(archive.namelist()) == sorted(
        [
            "over-dit-bestand.txt",
            "deelprojecten.csv",
            "acties.csv",
            "mijlpalen.csv",
            "indicatoren.csv",
            "metingen.csv",
            "kwartaalrapportages.csv",
            "bijeenkomsten.csv",
        ]
    )
    raw = archive.read("mijlpalen.csv")
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Id", "Deelproject", "Titel"]
    convenant = next(r for r in rows if r[2] == "Convenant getekend")
    assert convenant[3] == "2026-03-01" and convenant[8:10] == ["", "Op tijd behaald"]
    assert any(r[2] == "'" + INJECTIONS["milestone"] for r in rows)
    for name in archive.namelist()[1:]:
        for row in csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig")), delimiter=";"):
            for cell in row:
                assert not cell.startswith(("=", "+", "@", "\t", "\r")), (name, cell)
    indicators = list(
        csv.reader(io.StringIO(archive.read("indicatoren.csv").decode("utf-8-sig")), delimiter=";")
    )
    uitval = next(r for r in indicators if r[2] == "Uitval")
    assert "19" in uitval and "10,0" in uitval  # value 19, progress 10,0 %


def test_subproject_export_holds_only_that_subproject(login_as, world):
    response = login_as("manager").get(
        f"/exports/{world['programme_id']}/subprojects/{world['b']}/2026-Q3.xlsx"
    )
    book = load_workbook(io.BytesIO(response.data))
    names = [r[2] for r in _table(book["Mijlpalen"])[1:]]
    assert names == ["Werkplaats open"]
    assert [r[1] for r in _table(book["Deelprojecten"])[1:]] == ["B"]


def test_pdf_statuses_carry_symbol_label_and_tone(app, q3):
    """The PDF prints the pages' badge: the same symbol, Dutch label and tone class."""
    with app.app_context(), app.test_request_context("/"):
        data = snapshot.collect(q3["programme_id"], Quarter.parse("2026-Q3"))
        html = pdf.render_html(data)
    assert '<span class="badge tone-blue"><span aria-hidden="true">✔</span> Te laat behaald' in html
    assert '<span class="badge tone-red"><span aria-hidden="true">✖</span> Buiten koers' in html
    assert '<span class="badge tone-green"><span aria-hidden="true">●</span> Groen' in html
    assert '<span class="badge tone-grey"><span aria-hidden="true">○</span> Onbekend' in html
    assert "status-" not in html


def test_pdf_key_figures_agree_in_number_with_their_count(app, world):
    """One milestone achieved in 2026-Q2: "1 mijlpaal", never "1 mijlpalen"."""
    with app.app_context(), app.test_request_context("/"):
        html = pdf.render_html(snapshot.collect(world["programme_id"], Quarter(2026, 2)))
    text = re.sub(r"<[^>]+>", " ", html)
    assert re.search(r"\b1\s+mijlpaal behaald dit kwartaal", text)
    assert not re.search(r"\b1\s+(mijlpalen|indicatoren|besluiten)\b", text)
