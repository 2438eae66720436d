"""Indicators of the programme itself: their page, form, quarter page, the closed-quarter lock,
and those computed from subproject indicators (rule, values, refusals, reports, query bound)."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest
from conftest import archive_quarter, count_queries, login
from sqlalchemy import func, select

from tracker.extensions import db
from tracker.models import AuditEntry, Indicator, Measurement, Subproject
from tracker.quarters import Quarter

INDICATOR_FORM = {
    "name": "Instroom techniek Flevoland",
    "unit": "leerlingen",
    "definition": "",
    "source": "DUO",
    "direction": "up",
    "baseline_value": "100",
    "baseline_date": "01-01-2026",
    "target_value": "300",
    "target_date": "01-01-2028",
    "frequency": "quarterly",
    "rollup": "last",
}


def _ids(app, world) -> dict:
    with app.app_context():
        rows = db.session.execute(select(Indicator.name, Indicator.id)).all()
    return dict(rows)


def _computed(app, world, aggregation="sum", rollup="last") -> int:
    """A programme indicator computed from A's "Leerlingen techniek" and B's "Stageplaatsen";
    B has 30 in 2026-Q3 (A has 140 in Q2 and 180 in Q3)."""
    with app.app_context():
        sources = db.session.scalars(
            select(Indicator).where(Indicator.name.in_(["Leerlingen techniek", "Stageplaatsen"]))
        ).all()
        stage = next(i for i in sources if i.name == "Stageplaatsen")
        db.session.add(Measurement(indicator_id=stage.id, period="2026-Q3", value=30))
        total = Indicator(
            programme_id=world["programme_id"],
            name="Bereikt in totaal",
            unit="leerlingen",
            baseline_value=0,
            baseline_date=date(2026, 1, 1),
            target_value=400,
            target_date=date(2027, 1, 1),
            rollup=rollup,
            aggregation=aggregation,
        )
        total.sources = list(sources)
        db.session.add(total)
        db.session.commit()
        return total.id


def test_a_programme_indicator_has_a_page_form_and_values(app, client, world):
    login(client, world["users"]["manager"])
    pid = world["programme_id"]
    response = client.post(
        f"/programmes/{pid}/indicators/new", data={**INDICATOR_FORM, "aggregation": ""}
    )
    assert response.status_code == 302
    indicator_id = _ids(app, world)["Instroom techniek Flevoland"]
    page = client.get(f"/indicators/{indicator_id}")
    assert page.status_code == 200
    assert "Programma-indicator" in page.get_data(as_text=True)
    assert "Testprogramma" in page.get_data(as_text=True)
    # this quarter's value on the programme's quarter page
    quarter_page = client.get(f"/programmes/{pid}/quarter/2026-Q3")
    assert "Instroom techniek Flevoland" in quarter_page.get_data(as_text=True)
    response = client.post(
        f"/programmes/{pid}/quarter/2026-Q3",
        data={f"value_{indicator_id}": "150", f"note_{indicator_id}": "Teldatum 1 oktober"},
    )
    assert response.status_code == 302
    with app.app_context():
        measurement = db.session.scalar(
            select(Measurement).where(Measurement.indicator_id == indicator_id)
        )
        assert (measurement.period, measurement.value, measurement.source) == (
            "2026-Q3",
            150,
            "DUO",
        )
    body = client.get(f"/programmes/{pid}").get_data(as_text=True)
    assert "Instroom techniek Flevoland" in body and "150" in body
    # edit and the measurement form work for the programme's own indicator too
    assert client.get(f"/indicators/{indicator_id}/edit").status_code == 200
    assert client.get(f"/indicators/{indicator_id}/measurements/new").status_code == 200


def test_the_programme_quarter_page_refuses_bad_and_stale_input(app, client, world):
    login(client, world["users"]["manager"])
    pid = world["programme_id"]
    client.post(
        f"/programmes/{pid}/indicators/new",
        data={**INDICATOR_FORM, "unit": "%", "target_value": "80", "aggregation": ""},
    )
    indicator_id = _ids(app, world)["Instroom techniek Flevoland"]
    response = client.post(
        f"/programmes/{pid}/quarter/2026-Q3", data={f"value_{indicator_id}": "120"}
    )
    assert response.status_code == 400
    assert "Een percentage ligt tussen 0 en 100." in response.get_data(as_text=True)
    response = client.post(
        f"/programmes/{pid}/quarter/2026-Q3", data={f"value_{indicator_id}": "twaalf"}
    )
    assert response.status_code == 400
    client.post(f"/programmes/{pid}/quarter/2026-Q3", data={f"value_{indicator_id}": "40"})
    response = client.post(
        f"/programmes/{pid}/quarter/2026-Q3",
        data={f"value_{indicator_id}": "45", f"mversion_{indicator_id}": ""},
    )
    assert response.status_code == 409
    with app.app_context():
        assert (
            db.session.scalar(
                select(Measurement.value).where(Measurement.indicator_id == indicator_id)
            )
            == 40
        )
    assert client.get(f"/programmes/{pid}/quarter/2027-Q1").status_code == 404


def test_a_closed_quarter_locks_the_programme_indicators_values(app, client, world):
    login(client, world["users"]["manager"])
    pid = world["programme_id"]
    client.post(f"/programmes/{pid}/indicators/new", data={**INDICATOR_FORM, "aggregation": ""})
    indicator_id = _ids(app, world)["Instroom techniek Flevoland"]
    archive_quarter(app, pid, "2026-Q3")
    page = client.get(f"/programmes/{pid}/quarter/2026-Q3").get_data(as_text=True)
    assert 'id="quarter-closed"' in page
    response = client.post(
        f"/programmes/{pid}/quarter/2026-Q3", data={f"value_{indicator_id}": "150"}
    )
    assert response.status_code == 409
    assert 'value="150"' in response.get_data(as_text=True)
    with app.app_context():
        assert not db.session.scalar(
            select(func.count(Measurement.id)).where(Measurement.indicator_id == indicator_id)
        )


def test_a_computed_indicator_is_the_sum_of_its_sources_per_quarter(app, client, world):
    total_id = _computed(app, world)
    login(client, world["users"]["steering"])
    page = client.get(f"/indicators/{total_id}").get_data(as_text=True)
    assert "som van 2 deelprojectindicatoren" in page
    assert "K3 2026" in page and "210" in page  # 180 + 30
    assert "1 van 2 deelprojectindicatoren" in page  # 2026-Q2: only A had a value
    assert "Nieuwe meting" not in page
    overview = client.get(f"/programmes/{world['programme_id']}").get_data(as_text=True)
    assert "Bereikt in totaal" in overview and "som van 2 deelprojectindicatoren" in overview


@pytest.mark.parametrize(
    ("aggregation", "expected"), [("sum", 210.0), ("mean", 105.0), ("last", 30.0)]
)
def test_the_rule_decides_the_quarter_value(app, world, aggregation, expected):
    total_id = _computed(app, world, aggregation)
    from tracker.indicators import queries

    with app.app_context():
        frame = queries.indicators(world["programme_id"], Quarter(2026, 3))
        row = frame[frame["id"] == total_id].iloc[0]
        assert row["latest_value"] == expected
        assert row["aggregation"] == aggregation and row["sources"] == 2
        frame = queries.measurements(world["programme_id"], Quarter(2026, 3))
        own = frame[frame["indicator_id"] == total_id]
        assert own["period"].tolist() == ["2026-Q2", "2026-Q3"]


def test_a_computed_value_cannot_be_typed(app, client, world):
    total_id = _computed(app, world)
    login(client, world["users"]["manager"])
    response = client.post(
        f"/indicators/{total_id}/measurements/new", data={"period": "2026-Q3", "value": "5"}
    )
    assert response.status_code == 409
    assert "kunnen niet met de hand worden ingevuld" in response.get_data(as_text=True)
    page = client.get(f"/programmes/{world['programme_id']}/quarter/2026-Q3")
    body = page.get_data(as_text=True)
    assert f'name="value_{total_id}"' not in body
    assert "Bereikt in totaal" in body and "210" in body
    with app.app_context():
        assert not db.session.scalar(
            select(func.count(Measurement.id)).where(Measurement.indicator_id == total_id)
        )


def test_the_form_defines_a_roll_up_and_records_its_sources(app, client, world):
    login(client, world["users"]["manager"])
    ids = _ids(app, world)
    pid = world["programme_id"]
    data = {
        **INDICATOR_FORM,
        "aggregation": "sum",
        "source_ids": [str(ids["Leerlingen techniek"]), str(ids["Stageplaatsen"])],
    }
    assert client.post(f"/programmes/{pid}/indicators/new", data=data).status_code == 302
    total_id = _ids(app, world)["Instroom techniek Flevoland"]
    with app.app_context():
        total = db.session.get(Indicator, total_id)
        assert total.aggregation == "sum"
        assert {i.name for i in total.sources} == {"Leerlingen techniek", "Stageplaatsen"}
        entry = db.session.scalar(
            select(AuditEntry).where(
                AuditEntry.entity_id == total_id, AuditEntry.action == "update"
            )
        )
        assert entry.changes["sources"][0] is None
        assert "A Leerlingen techniek" in entry.changes["sources"][1]
    # the edit form shows the chosen sources; a source cannot then be deleted
    edit = client.get(f"/indicators/{total_id}/edit").get_data(as_text=True)
    assert f'<option selected value="{ids["Stageplaatsen"]}">' in edit
    response = client.post(f"/indicators/{ids['Stageplaatsen']}/delete", data={"version": "1"})
    assert response.status_code == 409
    assert "1 programma-indicator wordt ermee berekend" in response.get_data(as_text=True)


def test_the_form_refuses_a_rule_without_sources_and_sources_without_a_rule(app, client, world):
    login(client, world["users"]["manager"])
    ids = _ids(app, world)
    pid = world["programme_id"]
    response = client.post(
        f"/programmes/{pid}/indicators/new", data={**INDICATOR_FORM, "aggregation": "mean"}
    )
    assert response.status_code == 400
    assert "Kies de deelprojectindicatoren waaruit de waarde wordt berekend." in response.get_data(
        as_text=True
    )
    response = client.post(
        f"/programmes/{pid}/indicators/new",
        data={**INDICATOR_FORM, "aggregation": "", "source_ids": [str(ids["Uitval"])]},
    )
    assert response.status_code == 400
    response = client.post(
        f"/programmes/{pid}/indicators/new",
        data={**INDICATOR_FORM, "aggregation": "sum", "source_ids": ["999999", "x"]},
    )
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count(Indicator.id))) == 3


def test_an_indicator_with_entered_values_does_not_become_computed(app, client, world):
    login(client, world["users"]["manager"])
    pid = world["programme_id"]
    client.post(f"/programmes/{pid}/indicators/new", data={**INDICATOR_FORM, "aggregation": ""})
    indicator_id = _ids(app, world)["Instroom techniek Flevoland"]
    client.post(f"/programmes/{pid}/quarter/2026-Q3", data={f"value_{indicator_id}": "150"})
    ids = _ids(app, world)
    response = client.post(
        f"/indicators/{indicator_id}/edit",
        data={
            **INDICATOR_FORM,
            "aggregation": "sum",
            "source_ids": [str(ids["Leerlingen techniek"])],
            "version": "1",
        },
    )
    assert response.status_code == 400
    assert "Deze indicator heeft 1 ingevulde waarde" in response.get_data(as_text=True)


def test_the_rolled_up_value_reaches_the_dashboard_pdf_and_exports(app, client, world, monkeypatch):
    total_id = _computed(app, world)
    from tracker.reports import snapshot

    with app.app_context():
        data = snapshot.frames(snapshot.collect(world["programme_id"], Quarter(2026, 3)))
        row = data["indicators"][data["indicators"]["id"] == total_id].iloc[0]
        assert row["actual"] == 210
        details = data["measurements"]
        assert details[details["indicator_id"] == total_id]["value"].tolist() == [140, 210]
    login(client, world["users"]["steering"])
    dashboard = client.get("/dashboard?quarter=2026-Q3").get_data(as_text=True)
    assert "Bereikt in totaal" in dashboard
    export = client.get(f"/exports/{world['programme_id']}/2026-Q3.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(export.data))
    cells = [c for sheet in book for r in sheet.iter_rows(values_only=True) for c in r]
    assert "som van 2 deelprojectindicatoren" in cells
    from tracker.reports import pdf

    with app.test_request_context():
        html = pdf.render_html(snapshot.collect(world["programme_id"], Quarter(2026, 3)))
    assert "berekend: som van 2 deelprojectindicatoren" in html
    assert "Bereikt in totaal" in html


def test_an_archived_source_still_counts(app, client, world):
    total_id = _computed(app, world)
    with app.app_context():
        db.session.get(Subproject, world["b"]).archived_at = date(2026, 11, 1)
        db.session.commit()
        from tracker.indicators import queries

        frame = queries.indicators(world["programme_id"], Quarter(2026, 3))
        assert frame[frame["id"] == total_id].iloc[0]["latest_value"] == 210
        assert "Stageplaatsen" not in frame["name"].tolist()


def test_programme_indicator_pages_run_a_bounded_number_of_queries(app, client, world):
    total_id = _computed(app, world)
    login(client, world["users"]["manager"])
    pid = world["programme_id"]
    paths = [
        f"/indicators/{total_id}",
        f"/programmes/{pid}",
        f"/programmes/{pid}/quarter/2026-Q3",
        f"/indicators/{total_id}/edit",
    ]
    before = [count_queries(app, client, p) for p in paths]
    with app.app_context():
        total = db.session.get(Indicator, total_id)
        b = db.session.get(Subproject, world["b"])
        for n in range(8):
            extra = Indicator(
                programme_id=pid,
                subproject=b,
                name=f"Extra {n}",
                unit="leerlingen",
                baseline_value=0,
                baseline_date=date(2026, 1, 1),
                target_value=10,
                target_date=date(2027, 1, 1),
            )
            db.session.add(extra)
            db.session.flush()
            db.session.add(Measurement(indicator_id=extra.id, period="2026-Q3", value=n))
            total.sources.append(extra)
            db.session.add(
                Indicator(
                    programme_id=pid,
                    name=f"Ook programma {n}",
                    unit="%",
                    baseline_value=0,
                    baseline_date=date(2026, 1, 1),
                    target_value=10,
                    target_date=date(2027, 1, 1),
                )
            )
        db.session.commit()
    after = [count_queries(app, client, p) for p in paths]
    assert after == before
