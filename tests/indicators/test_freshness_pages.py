"""What a user sees of outdated values: "Verouderd" where the next value is overdue, with what
was expected, and nothing beside a fresh value. Today is 24-11-2026 (2026-Q4).

In the world fixture A's two indicators have a 2026-Q3 value (fresh); B's "Stageplaatsen" has
no value since its baseline of 01-01-2026, so its 2026-Q2 value was due on 30-07-2026.
"""

from datetime import date, datetime

from conftest import count_queries
from sqlalchemy import delete, select

from tracker.extensions import db
from tracker.indicators.queries import stale_indicators
from tracker.models import Indicator, Measurement, Subproject

FORM = {
    "name": "Instroom mbo-techniek",
    "unit": "studenten",
    "definition": "",
    "source": "DUO",
    "direction": "up",
    "baseline_value": "100",
    "baseline_date": "01-01-2026",
    "target_value": "150",
    "target_date": "31-12-2027",
    "frequency": "yearly",
    "publication_month": "4",
    "rollup": "last",
}


def _id(app, name: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Indicator.id).where(Indicator.name == name))


def _drop_q3_of(app, name: str) -> None:
    """Leave the indicator with its 2026-Q2 value as its newest."""
    with app.app_context():
        indicator_id = db.session.scalar(select(Indicator.id).where(Indicator.name == name))
        db.session.execute(
            delete(Measurement).where(
                Measurement.indicator_id == indicator_id, Measurement.period == "2026-Q3"
            )
        )
        db.session.commit()


def test_a_fresh_value_carries_no_flag(app, login_as, world):
    page = login_as("lead").get(f"/indicators/{_id(app, 'Leerlingen techniek')}").get_data(True)
    assert "Verouderd" not in page
    assert "Elk kwartaal" in page


def test_an_outdated_value_says_what_was_expected_and_by_when(app, login_as, world):
    _drop_q3_of(app, "Leerlingen techniek")
    page = login_as("lead").get(f"/indicators/{_id(app, 'Leerlingen techniek')}").get_data(True)
    assert "Verouderd" in page
    assert "laatste waarde 2e kwartaal 2026, verwacht elk kwartaal (uiterlijk 30-10-2026)" in page


def test_the_subproject_page_lists_its_outdated_indicators(app, login_as, world):
    client = login_as("manager")
    page = client.get(f"/subprojects/{world['b']}").get_data(True)
    assert "1 indicator wacht op een nieuwe waarde" in page
    assert "Verouderd" in page
    assert "geen waarde sinds de nulmeting van 01-01-2026, verwacht elk kwartaal" in page
    assert "Waarde invullen" in page
    fresh = client.get(f"/subprojects/{world['a']}").get_data(True)
    assert "Verouderd" not in fresh and "wacht op een nieuwe waarde" not in fresh


def test_the_lead_may_enter_the_missing_value_from_the_list(app, login_as, world):
    _drop_q3_of(app, "Uitval")
    page = login_as("lead").get(f"/subprojects/{world['a']}").get_data(True)
    assert "1 indicator wacht op een nieuwe waarde" in page
    uitval = _id(app, "Uitval")
    assert f"/indicators/{uitval}/measurements/new" in page


def test_the_subproject_page_runs_as_many_queries_with_many_outdated_indicators(
    app, client, login_as, world
):
    login_as("manager")
    path = f"/subprojects/{world['b']}"
    before = count_queries(app, client, path)
    with app.app_context():
        b = db.session.get(Subproject, world["b"])
        for n in range(15):
            db.session.add(
                Indicator(
                    programme_id=b.programme_id,
                    subproject=b,
                    name=f"Indicator {n}",
                    unit="stuks",
                    baseline_value=0,
                    baseline_date=date(2025, 1, 1),
                    target_value=10,
                    target_date=date(2027, 1, 1),
                )
            )
        db.session.commit()
    assert count_queries(app, client, path) == before
    assert "16 indicatoren wachten op een nieuwe waarde" in client.get(path).get_data(True)


def test_the_dashboard_lists_outdated_values_for_the_steering_group(app, login_as, world):
    page = login_as("steering").get("/dashboard")
    text = page.get_data(True)
    assert "Indicatoren met een verouderde waarde (1)" in text
    assert "Stageplaatsen" in text and "Verouderd" in text


def test_the_programme_quarter_page_flags_an_outdated_programme_value(app, login_as, world):
    with app.app_context():
        own = Indicator(
            programme_id=world["programme_id"],
            name="Bedrijven in het netwerk",
            unit="bedrijven",
            baseline_value=10,
            baseline_date=date(2025, 1, 1),
            target_value=50,
            target_date=date(2027, 1, 1),
        )
        db.session.add(own)
        db.session.flush()
        db.session.add(Measurement(indicator_id=own.id, period="2026-Q1", value=20))
        db.session.commit()
    page = login_as("manager").get(f"/programmes/{world['programme_id']}/quarter/2026-Q4")
    assert page.status_code == 200
    assert (
        "laatste waarde 1e kwartaal 2026, verwacht elk kwartaal (uiterlijk 30-07-2026)"
        in page.get_data(True)
    )


def test_a_yearly_source_is_expected_in_its_month(app, login_as, world):
    client = login_as("manager")
    response = client.post(f"/subprojects/{world['a']}/indicators/new", data=FORM)
    assert response.status_code == 302, response.get_data(True)
    indicator_id = _id(app, FORM["name"])
    with app.app_context():
        assert db.session.get(Indicator, indicator_id).publication_month == 4
    page = client.get(f"/indicators/{indicator_id}").get_data(True)
    assert "Elk jaar in april" in page
    # no value since the baseline of 01-01-2026: April 2026's figure was due on 30-05-2026
    assert "verwacht elk jaar in april (uiterlijk 30-05-2026)" in page


def test_a_yearly_indicator_without_its_month_is_refused_with_a_clear_message(app, login_as, world):
    response = login_as("manager").post(
        f"/subprojects/{world['a']}/indicators/new", data={**FORM, "publication_month": ""}
    )
    assert response.status_code == 400
    assert "Kies de maand waarin de bron publiceert." in response.get_data(True)
    assert _id(app, FORM["name"]) is None


def test_a_month_is_kept_only_for_a_yearly_indicator(app, login_as, world):
    client = login_as("manager")
    data = {**FORM, "frequency": "half_yearly"}
    assert client.post(f"/subprojects/{world['a']}/indicators/new", data=data).status_code == 302
    with app.app_context():
        indicator = db.session.get(Indicator, _id(app, FORM["name"]))
        assert (indicator.frequency, indicator.publication_month) == ("half_yearly", None)


def test_stale_indicators_covers_the_given_subprojects_longest_overdue_first(app, world):
    _drop_q3_of(app, "Leerlingen techniek")
    with app.app_context():
        found = stale_indicators([world["a"], world["b"]], date(2026, 11, 24))
        assert [(i.subproject_code, i.name) for i in found] == [
            ("B", "Stageplaatsen"),
            ("A", "Leerlingen techniek"),
        ]
        assert found[0].stale_since == date(2026, 7, 30) and found[0].latest_period is None
        assert found[1].latest_period == "2026-Q2" and found[1].days_overdue == 25
        assert stale_indicators([world["a"]], date(2026, 10, 30)) == []
        assert stale_indicators([], date(2026, 11, 24)) == []
        db.session.get(Subproject, world["b"]).archived_at = datetime(2026, 11, 1)
        db.session.commit()
        assert [i.name for i in stale_indicators([world["b"]], date(2026, 11, 24))] == []
