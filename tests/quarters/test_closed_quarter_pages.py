"""A closed quarter looks closed: its pages are read only, with a notice (issue 16, point 13),
and an open quarter's page lists what failed at the top (point 14)."""

import re

import pytest
from conftest import archive_quarter, exception_report
from sqlalchemy import select

from tracker.extensions import db
from tracker.models import Indicator

SAVE_FORMS = re.compile(r'<form method="post"[^>]*action="[^"]*/quarter/')


@pytest.fixture
def closed_q3(app, world):
    archive_quarter(app, world["programme_id"], "2026-Q3")
    return world


def test_the_leads_page_of_a_closed_quarter_is_read_only(login_as, closed_q3):
    body = (
        login_as("lead")
        .get(f"/subprojects/{closed_q3['a']}/quarter/2026-Q3")
        .get_data(as_text=True)
    )
    assert "Dit kwartaal is vastgesteld" in body
    assert "Het 3e kwartaal 2026 is vastgesteld op" in body and "alleen te lezen" in body
    assert not SAVE_FORMS.search(body)
    assert "opslaan" not in body and 'name="value_' not in body and "<textarea" not in body
    assert "Excel" not in body  # no template download or upload
    assert ">180<" in body  # the quarter's value, as text


def test_the_programme_quarter_page_of_a_closed_quarter_is_read_only(login_as, closed_q3):
    page = login_as("manager").get(f"/programmes/{closed_q3['programme_id']}/quarter/2026-Q3")
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and "Dit kwartaal is vastgesteld" in body
    assert not SAVE_FORMS.search(body) and "opslaan" not in body


def test_the_upload_page_of_a_closed_quarter_offers_no_form(login_as, closed_q3):
    body = login_as("lead").get(f"/subprojects/{closed_q3['a']}/quarter/2026-Q3/upload")
    text = body.get_data(as_text=True)
    assert "Dit kwartaal is vastgesteld" in text
    assert 'type="file"' not in text and "Bestand controleren" not in text


def test_an_open_quarter_is_still_a_form(login_as, closed_q3):
    body = (
        login_as("lead")
        .get(f"/subprojects/{closed_q3['a']}/quarter/2026-Q4")
        .get_data(as_text=True)
    )
    assert "Dit kwartaal is vastgesteld" not in body and SAVE_FORMS.search(body)


def test_the_quarter_page_lists_what_failed_at_the_top_with_links(app, login_as, world):
    with app.app_context():
        indicator = db.session.scalar(
            select(Indicator.id).where(Indicator.name == "Leerlingen techniek")
        )
    response = login_as("lead").post(
        f"/subprojects/{world['a']}/quarter/2026-Q4", data={f"value_{indicator}": "veel"}
    )
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    summary = body.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert f'href="#value_{indicator}"' in summary
    assert body.index('class="error-summary"') < body.index('id="values"')


def test_the_exception_report_of_a_closed_quarter_is_text(app, login_as, world):

    with app.app_context():
        db.session.add(exception_report(world["a"], "2026-Q3"))
        db.session.commit()
    archive_quarter(app, world["programme_id"], "2026-Q3")
    body = login_as("lead").get(f"/subprojects/{world['a']}/quarter/2026-Q3").get_data(as_text=True)
    report = body.split('id="exception"', 1)[1]
    assert "Docenten ziek" in report and "Inhuur gastdocenten" in report and "31-12-2026" in report
    assert 'name="cause"' not in report and 'name="measure_due"' not in report
