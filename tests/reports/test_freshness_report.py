"""The quarterly PDF flags outdated values "as at" the quarter's end, and a report archived
before freshness was judged still renders. In the world fixture B's "Stageplaatsen" has no
value since its baseline of 01-01-2026 (its 2026-Q2 value was due on 30-07-2026); A's
indicators have 2026-Q3 values."""

import csv
import io
import re
import zipfile

from pypdf import PdfReader

from tracker.extensions import db
from tracker.quarters import Quarter
from tracker.reports import evaluation, snapshot


def _pdf_text(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    reader = PdfReader(io.BytesIO(response.data))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def test_the_programme_report_flags_the_outdated_value(login_as, world):
    text = _pdf_text(login_as("steering"), f"/reports/{world['programme_id']}/2026-Q3.pdf")
    assert "1 indicator heeft een verouderde waarde" in text
    assert "Verouderd" in text
    assert "geen waarde sinds de nulmeting van 01-01-2026, verwacht elk kwartaal" in text
    assert "(uiterlijk 30-07-2026)" in text


def test_a_subproject_report_with_fresh_values_has_no_flag(login_as, world):
    client = login_as("steering")
    text = _pdf_text(
        client, f"/reports/{world['programme_id']}/subprojects/{world['a']}/2026-Q3.pdf"
    )
    assert "Verouderd" not in text and "verouderde waarde" not in text


def test_a_snapshot_archived_before_freshness_still_makes_its_report(app, world):
    with app.app_context():
        made = snapshot.collect(world["programme_id"], Quarter(2026, 3))
        for name in ("indicators", "indicators_previous"):
            table = made["frames"][name]
            keep = [i for i, c in enumerate(table["columns"]) if c != "stale_since"]
            table["columns"] = [table["columns"][i] for i in keep]
            table["rows"] = [[row[i] for i in keep] for row in table["rows"]]
        report = evaluation.build(snapshot.frames(made), Quarter(2026, 3))
        db.session.rollback()
    assert report.summary.stale == []
    assert len(report.programme_indicators) + sum(len(s.indicators) for s in report.sections) == 3


def test_the_export_names_the_expected_frequency_and_the_missed_due_date(login_as, world):
    response = login_as("manager").get(f"/exports/{world['programme_id']}/2026-Q3.csv")
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    rows = list(
        csv.reader(io.StringIO(archive.read("indicatoren.csv").decode("utf-8-sig")), delimiter=";")
    )
    header = rows[0]
    due = header.index("Verouderd: volgende waarde verwacht uiterlijk")
    expected = header.index("Nieuwe waarde verwacht")
    by_name = {row[header.index("Naam")]: row for row in rows[1:]}
    assert by_name["Stageplaatsen"][due] == "2026-07-30"
    assert by_name["Stageplaatsen"][expected] == "Elk kwartaal"
    assert by_name["Leerlingen techniek"][due] == ""
