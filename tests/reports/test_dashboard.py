"""The steering group's dashboard, checked against numbers worked out by hand from ``world``.

As at 24-11-2026 (2026-Q4), see the fixture's docstring:
- milestones: A has one achieved on time, one achieved late (slip 31 days: 01-05 → 01-06), one
  overdue (slip 30 days: 01-09 → 01-10) and one at risk; B has one on track;
- indicators: A1 "Leerlingen techniek" 100 → 200, newest value 180 in 2026-Q3: progress 80 %,
  expected by 30-09-2026 272/365 = 74.5 %, on track; A2 "Uitval" 20 → 10, value 19: progress
  10 %, off track; B1 has no data;
- RAG: A is computed red (overdue milestone, indicator off track) but its lead says green, so
  they differ; B is computed green and has no lead's RAG.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime

import plotly.graph_objects as go
import pytest
from conftest import count_queries, login, world_chart_data

from tracker.extensions import db
from tracker.reports.charts import registry

MILESTONE_CHART = ["milestone_status", "indicator_status", "rag", "municipality"]


def chart(body: str, name: str) -> dict:
    match = re.search(
        rf'<script type="application/json" data-chart="chart-{name}">(.*?)</script>', body, re.S
    )
    assert match, f"chart {name} not in page"
    return json.loads(match.group(1))


def trace(figure: dict, name: str) -> dict:
    found = [t for t in figure["data"] if t.get("name") == name]
    assert len(found) == 1, [t.get("name") for t in figure["data"]]
    return found[0]


def page(client, query: str = "") -> str:
    response = client.get("/dashboard" + query)
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    return response.get_data(as_text=True)


def test_counts_by_status_match_the_hand_count(login_as):
    body = page(login_as("steering"))
    milestones = chart(body, "milestone_status")["data"][0]
    assert milestones["y"] == [
        "✔ Op tijd behaald",
        "✔ Te laat behaald",
        "● Op koers",
        "▲ Risico",
        "✖ Over tijd",
    ]
    assert milestones["x"] == [1, 1, 1, 1, 1]
    indicators = chart(body, "indicator_status")["data"][0]
    assert indicators["x"] == [1, 0, 1, 1]  # on track, at risk, off track, no data
    assert "Mijlpalen per status" in json.dumps(chart(body, "milestone_status"), ensure_ascii=False)


def test_rag_disagreement_is_shown_for_a_only(login_as, world):
    body = page(login_as("steering"))
    rag = chart(body, "rag")
    lead, computed = rag["data"]
    assert lead["y"] == [1, 0, 0, 1]  # green, amber, red, none
    assert computed["y"] == [1, 0, 1, 0]
    matrix = chart(body, "rag_matrix")
    differs = [t for t in matrix["data"] if t.get("mode") == "text"]
    assert len(differs) == 1 and differs[0]["y"] == ["A Leerlijn"]
    assert len(matrix["layout"]["shapes"]) == 1
    table = body.split('data-chart="chart-rag_matrix"')[1].split("<tbody>")[1].split("</table>")[0]
    rows = table.split("<tr>")
    row_a = next(r for r in rows if "A Leerlijn" in r)
    row_b = next(r for r in rows if "B Maritiem" in r)
    assert "wijkt af" in row_a and "wijkt af" not in row_b
    assert "</strong> waar de stoplichtkleur van de deelprojectleider afwijkt" in body
    assert re.search(
        r"<strong>1</strong> waar de stoplichtkleur van de deelprojectleider afwijkt", body
    )


def test_timeline_shows_slip_in_days(login_as):
    body = page(login_as("manager"))
    timeline = chart(body, "milestone_timeline")
    # achieved 40 days after its baseline date; overdue 84 days past its baseline date by now
    assert trace(timeline, "✔ Te laat behaald")["customdata"] == [40]
    assert trace(timeline, "✖ Over tijd")["customdata"] == [84]
    slip = trace(timeline, "Verschuiving (oorspronkelijke tot geplande datum)")
    assert slip["x"] == ["2026-05-01", "2026-06-01", None, "2026-09-01", "2026-10-01", None]
    assert timeline["layout"]["shapes"][0]["x0"] == "2026-11-24"
    table = body.split('data-chart="chart-milestone_timeline"')[1].split("</table>")[0]
    assert '+40 <span class="slip-kind">(te laat behaald)</span>' in table
    assert '+84 <span class="slip-kind">(geplande datum verstreken, niet behaald)</span>' in table


def test_indicator_progress_against_expected(login_as):
    body = page(login_as("steering"))
    progress = chart(body, "indicator_progress")
    assert trace(progress, "● Op koers")["x"] == [80.0]
    assert trace(progress, "✖ Buiten koers")["x"] == [10.0]
    assert trace(progress, "○ Geen gegevens")["x"] == [0.0]
    assert trace(progress, "Verwacht op dit moment")["x"] == [74.5, 74.5]
    table = body.split('data-chart="chart-indicator_progress"')[1].split("</table>")[0]
    assert "80 %" in table and "10 %" in table and "75 %" in table


def test_indicator_trend_follows_the_quarters(login_as):
    body = page(login_as("steering"))
    trend = chart(body, "indicator_trend")
    actual = [t for t in trend["data"] if t["name"] == "Werkelijk tot en met de periode"]
    assert [t["x"] for t in actual] == [["K2 2026", "K3 2026"], ["K3 2026"]]
    assert actual[0]["y"] == [140.0, 180.0]
    expected = [t for t in trend["data"] if t["name"] == "Verwacht pad"]
    # 30-06-2026 is 180 of 365 days on: 100 + 100 × 180/365 = 149.3; 30-09: 20 − 10 × 272/365
    assert expected[0]["y"][0] == pytest.approx(149.315, abs=0.01)
    assert expected[1]["y"][0] == pytest.approx(12.548, abs=0.01)


def test_filter_on_subproject_and_municipality(app, login_as, world):
    from tracker.models import Subproject

    client = login_as("steering")
    body = page(client, f"?subproject={world['b']}")
    assert chart(body, "milestone_status")["data"][0]["x"] == [0, 0, 1, 0, 0]
    assert chart(body, "indicator_status")["data"][0]["x"] == [0, 0, 0, 1]
    assert "Leerlijn vastgesteld" not in body
    with app.app_context():
        almere = db.session.get(Subproject, world["a"]).municipality_id
    body = page(client, f"?municipality={almere}")
    assert chart(body, "milestone_status")["data"][0]["x"] == [1, 1, 0, 1, 1]
    assert "Werkplaats open" not in body
    assert f'<option value="{almere}" selected>' in body
    assert f"municipality={almere}" in body  # the shareable link keeps the filter


def test_filter_on_an_earlier_quarter_judges_as_at_its_end(login_as):
    body = page(login_as("steering"), "?quarter=2026-Q2")
    assert "30-06-2026" in body
    # by 30-06-2026 the cohort milestone (planned 01-10) was not overdue yet
    assert chart(body, "milestone_status")["data"][0]["x"] == [1, 1, 2, 1, 0]
    # only the 2026-Q2 value 140 counts: progress 40 %, expected 49 %, on track; A2 no data yet
    assert chart(body, "indicator_status")["data"][0]["x"] == [1, 0, 0, 2]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("?quarter=2026-Q9", "quarter", "bijvoorbeeld 2026-Q3"),
        ("?quarter=gisteren", "quarter", "bijvoorbeeld 2026-Q3"),
        ("?quarter=2027-Q1", "quarter", "is nog niet begonnen"),
        ("?quarter=1900-Q1", "quarter", "buiten de jaren"),
        ("?subproject=abc", "subproject", "hoort niet bij het programma"),
        ("?subproject=99999", "subproject", "hoort niet bij het programma"),
        ("?municipality=-1", "municipality", "geen deelproject in die gemeente"),
        ("?programme=99999", "programme", "bestaat niet"),
        ("?programme=1e9", "programme", "bestaat niet"),
    ],
)
def test_invalid_filters_give_a_clear_400(login_as, query, field, message):
    response = login_as("steering").get("/dashboard" + query)
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert f'id="f-{field}-error"' in body
    assert message in body
    assert "data-chart=" not in body


def test_subproject_outside_the_chosen_municipality_is_refused(app, login_as, world):
    from tracker.models import Subproject

    with app.app_context():
        urk = db.session.get(Subproject, world["b"]).municipality_id
    response = login_as("steering").get(f"/dashboard?municipality={urk}&subproject={world['a']}")
    assert response.status_code == 400
    assert "in een andere gemeente" in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["admin", "manager", "steering", "lead"])
def test_every_role_may_open_the_dashboard(client, world, role):
    assert login(client, world["users"][role]).status_code == 302
    assert client.get("/dashboard").status_code == 200


def test_anonymous_is_sent_to_login(client, world):
    response = client.get("/dashboard?quarter=2026-Q3")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize(
    ("role", "landing"),
    [
        ("steering", "/dashboard"),
        ("manager", "/dashboard"),
        ("admin", "/dashboard"),
        ("lead", "/my-subproject"),
    ],
)
def test_landing_page_after_login(client, world, role, landing):
    response = login(client, world["users"][role])
    assert response.headers["Location"].endswith(landing)


def test_changes_since_the_previous_meeting(app, login_as, world):
    from tracker.models import Indicator, Measurement, Meeting, Milestone, MilestoneDateChange

    with app.app_context():
        db.session.add(
            Meeting(
                programme_id=world["programme_id"], held_on=date(2026, 10, 1), title="Stuurgroep 3"
            )
        )
        db.session.add(
            Meeting(programme_id=world["programme_id"], held_on=date(2026, 12, 1), title="Later")
        )
        evaluation = db.session.query(Milestone).filter_by(title="Werkplaats open").one()
        evaluation.achieved_on = date(2026, 11, 2)
        cohort = db.session.query(Milestone).filter_by(title="Eerste cohort gestart").one()
        db.session.add_all(
            [
                MilestoneDateChange(
                    milestone_id=cohort.id,
                    from_date=date(2026, 10, 1),
                    to_date=date(2026, 12, 1),
                    reason="Te weinig aanmeldingen",
                    changed_at=datetime(2026, 10, 15, 9),
                ),
                MilestoneDateChange(
                    milestone_id=cohort.id,
                    from_date=date(2026, 9, 1),
                    to_date=date(2026, 10, 1),
                    reason="Oude wijziging",
                    changed_at=datetime(2026, 8, 1, 9),
                ),
            ]
        )
        stage = db.session.query(Indicator).filter_by(name="Stageplaatsen").one()
        db.session.add(
            Measurement(
                indicator_id=stage.id, period="2026-Q3", value=12, entered_at=datetime(2026, 10, 8)
            )
        )
        for m in db.session.query(Measurement).filter(Measurement.indicator_id != stage.id):
            m.entered_at = datetime(2026, 9, 20)
        db.session.commit()
    body = page(login_as("steering"))
    changes = body.split('id="changes-title"')[1].split("</section>")[0]
    assert "Stuurgroep 3" in changes and "01-10-2026" in changes
    assert "Behaalde mijlpalen (1)" in changes and "Werkplaats open" in changes
    assert "Verschoven geplande data (1)" in changes
    assert "01-10-2026 → 01-12-2026" in changes and "Te weinig aanmeldingen" in changes
    assert "Oude wijziging" not in changes
    assert "Nieuwe metingen (1)" in changes and "Stageplaatsen K3 2026: 12 plaatsen" in changes


def test_changes_follow_the_quarter_filter(app, login_as, world):
    """At an earlier quarter the changes end at that quarter's end: nothing of a later one."""
    from tracker.models import Indicator, Measurement, Meeting, Milestone

    with app.app_context():
        programme_id = world["programme_id"]
        db.session.add(Meeting(programme_id=programme_id, held_on=date(2026, 8, 1), title="Zomer"))
        db.session.add(
            Meeting(programme_id=programme_id, held_on=date(2026, 11, 1), title="Herfst")
        )
        workshop = db.session.query(Milestone).filter_by(title="Werkplaats open").one()
        workshop.achieved_on = date(2026, 11, 2)
        stage = db.session.query(Indicator).filter_by(name="Stageplaatsen").one()
        db.session.add_all(
            [
                Measurement(
                    indicator_id=stage.id,
                    period="2026-Q3",
                    value=12,
                    entered_at=datetime(2026, 9, 15),
                ),
                Measurement(
                    indicator_id=stage.id,
                    period="2026-Q4",
                    value=30,
                    entered_at=datetime(2026, 11, 20),
                ),
            ]
        )
        for m in db.session.query(Measurement).filter(Measurement.indicator_id != stage.id):
            m.entered_at = datetime(2026, 7, 1)
        db.session.commit()
    changes = page(login_as("steering"), "?quarter=2026-Q3").split('id="changes-title"')[1]
    changes = changes.split("</section>")[0]
    assert "Zomer" in changes and "Herfst" not in changes
    assert "Stageplaatsen K3 2026: 12 plaatsen" in changes
    assert "2026-Q4" not in changes and "Werkplaats open" not in changes


def test_without_a_meeting_the_page_says_so(login_as):
    assert "Er is nog geen stuurgroepvergadering gehouden." in page(login_as("steering"))


def test_decisions_asked_of_the_steering_group(app, login_as, world):
    from tracker.models import QuarterlyUpdate

    with app.app_context():
        update = db.session.query(QuarterlyUpdate).one()
        update.decisions_requested = "Akkoord op <extra> budget"
        db.session.commit()
    body = page(login_as("steering"))
    decisions = body.split('id="attention-requests"')[1].split("</ul>")[0]
    assert "Akkoord op &lt;extra&gt; budget" in decisions
    assert "A Leerlijn" in decisions


def test_english_titles_and_axes(login_as):
    client = login_as("steering")
    client.post("/language/en")
    body = page(client)
    figure = chart(body, "milestone_timeline")
    assert figure["layout"]["title"]["text"] == "Milestones: baseline against planned date"
    assert figure["layout"]["xaxis"]["title"]["text"] == "Date"
    assert figure["layout"]["separators"] == ".,"
    assert chart(body, "milestone_status")["data"][0]["y"][0] == "✔ Achieved on time"


def test_every_chart_has_a_table_and_status_is_not_told_by_colour_alone(login_as):
    body = page(login_as("steering"))
    names = re.findall(r'data-chart="chart-(\w+)"', body)
    assert len(names) == 8
    for name in names:
        after = body.split(f'data-chart="chart-{name}"')[1].split("</figure>")[0]
        assert "<details>" in after and "<table" in after
    timeline = chart(body, "milestone_timeline")
    symbols = {t["name"]: t["marker"]["symbol"] for t in timeline["data"] if "marker" in t}
    assert len(set(symbols.values())) == len(symbols)  # one shape per status
    dates = {"Verschuiving (oorspronkelijke tot geplande datum)", "Oorspronkelijke datum"}
    dates |= {"Prognosedatum", "Behaald op"}
    assert all(
        "✔" in t["name"] or "✖" in t["name"] or "▲" in t["name"] or "●" in t["name"]
        for t in timeline["data"]
        if t["name"] not in dates
    )


def test_user_text_in_charts_is_escaped(app, login_as, world):
    from tracker.models import Subproject

    with app.app_context():
        db.session.get(Subproject, world["a"]).name = "<script>alert(1)</script>"
        db.session.commit()
    body = page(login_as("steering"))
    assert "<script>alert(1)</script>" not in body
    assert body.count("<script") == body.count("</script>")
    assert "\\u0026lt;script\\u0026gt;" in body
    matrix = chart(body, "rag_matrix")
    assert "A &lt;script&gt;alert(1)&lt;/script&gt;" in matrix["layout"]["yaxis"]["categoryarray"]


def test_no_page_loads_anything_from_another_host(login_as, world):
    client = login_as("admin")
    for path in [
        "/dashboard",
        f"/dashboard?subproject={world['a']}",
        f"/programmes/{world['programme_id']}",
        f"/subprojects/{world['a']}",
        "/users",
    ]:
        body = client.get(path).get_data(as_text=True)
        external = re.findall(r'(?:src|href|action)\s*=\s*["\']?\s*((?:https?:)?//[^"\' >]+)', body)
        assert external == [], (path, external)
        assert "cdn." not in body


def test_plotly_js_is_served_by_the_app_with_long_caching(login_as):
    from plotly.offline import get_plotlyjs_version

    client = login_as("steering")
    body = page(client)
    src = re.search(r'<script src="([^"]*plotly[^"]*)"', body).group(1)
    assert get_plotlyjs_version() in src
    response = client.get(src)
    assert response.status_code == 200
    assert "javascript" in response.mimetype
    assert 1_000_000 < len(response.data) < 1_500_000  # the basic bundle, not all of plotly.js
    assert "max-age=31536000" in response.headers["Cache-Control"]
    assert 'src="/static/js/dashboard.js"' in body


def test_dashboard_has_no_inline_script(login_as):
    body = page(login_as("steering"))
    for tag in re.findall(r"<script[^>]*>", body):
        assert 'type="application/json"' in tag or "src=" in tag, tag
    assert not re.search(r"\son[a-z]+\s*=", body)


def test_query_count_does_not_grow_with_data(app, login_as, world):

    from tracker.models import (
        Indicator,
        Measurement,
        Meeting,
        Milestone,
        MilestoneDateChange,
        Municipality,
        QuarterlyUpdate,
        Subproject,
    )

    client = login_as("steering")

    with app.app_context():
        db.session.add(
            Meeting(programme_id=world["programme_id"], held_on=date(2026, 10, 1), title="S")
        )
        db.session.commit()
    paths = ["/dashboard", f"/dashboard?subproject={world['a']}", "/dashboard?quarter=2026-Q2"]
    before = [count_queries(app, client, p) for p in paths]
    with app.app_context():
        lelystad = Municipality(name="Lelystad", cbs_code="GM0995")
        for n in range(12):
            sub = Subproject(
                programme_id=world["programme_id"], municipality=lelystad, code=f"X{n}", name="X"
            )
            db.session.add(sub)
            db.session.flush()
            db.session.add(
                QuarterlyUpdate(
                    subproject=sub, quarter="2026-Q3", rag="red", decisions_requested="Ja"
                )
            )
            milestone = Milestone(
                subproject=sub,
                title=f"M{n}",
                baseline_date=date(2026, 1, 1),
                planned_date=date(2026, 12, 1),
                achieved_on=date(2026, 11, 1) if n % 2 else None,
            )
            db.session.add(milestone)
            db.session.flush()
            db.session.add(
                MilestoneDateChange(
                    milestone_id=milestone.id,
                    from_date=date(2026, 1, 1),
                    to_date=date(2026, 12, 1),
                    reason="r",
                    changed_at=datetime(2026, 11, 2),
                )
            )
            indicator = Indicator(
                programme_id=world["programme_id"],
                subproject=sub,
                name=f"I{n}",
                unit="x",
                baseline_value=0,
                baseline_date=date(2026, 1, 1),
                target_value=10,
                target_date=date(2027, 1, 1),
            )
            db.session.add(indicator)
            db.session.flush()
            for period in ("2026-Q1", "2026-Q2", "2026-Q3"):
                db.session.add(
                    Measurement(
                        indicator_id=indicator.id,
                        period=period,
                        value=n,
                        entered_at=datetime(2026, 11, 3),
                    )
                )
        db.session.commit()
    after = [count_queries(app, client, p) for p in paths]
    assert after == before
    # 20, and one for the data version that lets an unchanged dashboard come from the cache
    assert max(after) <= 21


@pytest.mark.parametrize("chart", registry.CHARTS, ids=lambda chart: chart.key)
def test_every_registry_chart_is_valid_plotly(app, world, chart):
    """The dashboard skips plotly's validation for speed; here every figure gets it in full,
    on the world's data and on empty data (a programme without anything yet)."""
    with app.test_request_context():
        full = world_chart_data(world["programme_id"])
        empty = registry.ChartData(
            **{
                name: value.iloc[0:0] if hasattr(value, "iloc") else value
                for name, value in vars(full).items()
            }
        )
        for chart_data in (full, empty):
            figure = go.Figure(chart.spec(chart_data))
            assert figure.to_dict()["layout"]["title"]["text"], chart.key
            assert isinstance(chart.rows(chart_data), list)
        assert go.Figure(chart.spec(full)).to_dict()["data"], chart.key


def test_status_overview_tells_where_lead_and_computed_status_disagree(app, world):
    from tracker.projects import queries as project_queries

    with app.app_context():
        overview = project_queries.status_overview(world["programme_id"], date(2026, 11, 24))
        assert list(overview["lead_rag"].fillna("")) == ["green", ""]
        assert list(overview["computed_rag"]) == ["red", "green"]
        assert list(overview["rag_differs"]) == [True, False]


def test_a_programme_without_subprojects_shows_an_empty_dashboard(app, client):
    from conftest import make_user

    from tracker.models import Programme

    with app.app_context():
        db.session.add(
            Programme(name="Leeg", aim="", start_date=date(2026, 1, 1), end_date=date(2027, 12, 31))
        )
        make_user("sg@example.org", "steering")
        db.session.commit()
    assert login(client, "sg@example.org").status_code == 302
    body = page(client)
    assert "Geen deelprojecten in deze selectie." in body
    assert chart(body, "milestone_status")["data"][0]["x"] == [0, 0, 0, 0, 0]
