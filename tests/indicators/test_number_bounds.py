"""No number breaks a page: typed numbers are bounded with a clear message, and a value that
is already stored, however large, is shown on every page, the dashboard and the PDF."""

import pytest
from sqlalchemy import select

from tracker.extensions import db
from tracker.i18n import number_format, percent_format
from tracker.indicators import status as rules
from tracker.models import Indicator, Measurement
from tracker.numbers import MAX_MAGNITUDE, InvalidNumber, parse_number

HUGE = "9" * 308


@pytest.mark.parametrize("text", [HUGE, "1e400", "1.000.000.000.000.001", "-" + HUGE])
def test_a_number_beyond_what_an_indicator_can_mean_is_refused(text):
    with pytest.raises(InvalidNumber):
        parse_number(text)


def test_the_largest_allowed_number_is_accepted():
    assert parse_number("1.000.000.000.000") == MAX_MAGNITUDE


@pytest.mark.parametrize("value", [float("inf"), float("-inf"), 1e307, -1e307])
def test_formatters_show_any_stored_value(app, value):
    with app.test_request_context():
        assert isinstance(number_format(value), str)
        assert isinstance(percent_format(value), str)


def test_progress_of_an_extreme_value_stays_a_number():
    facts = rules.IndicatorFacts(
        direction="up",
        baseline_value=0.0,
        baseline_date=__import__("datetime").date(2026, 1, 1),
        target_value=1e-300,
        target_date=__import__("datetime").date(2027, 1, 1),
    )
    assert rules.status_for(rules.progress(facts, 1e307), 0.5) == rules.ON_TRACK


def test_the_measurement_form_says_what_is_allowed(app, login_as, world):
    with app.app_context():
        indicator = db.session.scalar(select(Indicator).where(Indicator.name == "Stageplaatsen"))
    response = login_as("manager").post(
        f"/indicators/{indicator.id}/measurements/new",
        data={"period": "2026-Q4", "value": HUGE, "note": ""},
    )
    assert response.status_code == 400
    assert "1.000.000.000.000" in response.get_data(as_text=True)


def test_a_huge_stored_value_breaks_no_page(app, login_as, world):
    with app.app_context():
        indicator = db.session.scalar(select(Indicator).where(Indicator.name == "Stageplaatsen"))
        db.session.add(Measurement(indicator_id=indicator.id, period="2026-Q3", value=1.7e308))
        db.session.commit()
        indicator_id, subproject_id = indicator.id, indicator.subproject_id
    client = login_as("manager")
    for path in (
        f"/subprojects/{subproject_id}",
        f"/indicators/{indicator_id}",
        f"/programmes/{world['programme_id']}",
        "/dashboard",
        "/dashboard?quarter=2026-Q3",
        f"/subprojects/{subproject_id}/quarter/2026-Q4",
        f"/exports/{world['programme_id']}/2026-Q3.xlsx",
        f"/reports/{world['programme_id']}/2026-Q3.pdf",
    ):
        assert client.get(path).status_code == 200, path
