"""Statements built once per process (tracker/fetch.py): built once per shape, and each run
answers with the values it was given, never with those of the run that built it."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from tracker.fetch import column_rows, param, param_list, prepared
from tracker.indicators import queries as indicator_queries
from tracker.milestones import queries as milestone_queries
from tracker.milestones.models import Milestone
from tracker.quarters import Quarter
from tracker.reports.changes import changes_since


def test_a_statement_is_built_once_per_shape():
    built = []

    @prepared
    def query(scoped: bool):
        built.append(scoped)
        statement = select(Milestone.id).where(Milestone.subproject_id > param("after"))
        return statement.where(Milestone.id.in_(param_list("ids"))) if scoped else statement

    assert query(True) is query(True)
    assert query(False) is not query(True)
    assert built == [True, False]


def test_each_run_takes_its_own_values(app, world):
    """The first run builds the statement; later runs with other programmes, subprojects and
    quarters must not get the first run's rows."""
    with app.test_request_context():
        as_of = date(2026, 11, 24)
        programme_id = world["programme_id"]
        titles = {
            name: sorted(milestone_queries.milestones(programme_id, as_of, scope)["title"].tolist())
            for name, scope in (("a", [world["a"]]), ("b", [world["b"]]), ("none", []))
        }
        assert titles["a"] == [
            "Convenant getekend",
            "Eerste cohort gestart",
            "Evaluatie",
            "Leerlijn vastgesteld",
        ]
        assert titles["b"] == ["Werkplaats open"]
        assert titles["none"] == []
        assert len(milestone_queries.milestones(programme_id, as_of)) == 5
        assert milestone_queries.milestones(programme_id + 1, as_of).empty

        def value_of(quarter: str) -> float:
            frame = indicator_queries.indicators(programme_id, Quarter.parse(quarter))
            return frame.set_index("name").loc["Leerlingen techniek", "quarter_value"]

        assert value_of("2026-Q2") == 140
        assert value_of("2026-Q3") == 180

        measured = {
            since: changes_since(programme_id, since, date(2999, 1, 1))["measured"][1]
            for since in (date(2000, 1, 1), date(2998, 1, 1))
        }
        assert measured == {date(2000, 1, 1): 3, date(2998, 1, 1): 0}

        rows = column_rows(
            select(Milestone.title).where(Milestone.subproject_id == param("subproject")),
            subproject=world["b"],
        )
        assert [row.title for row in rows] == ["Werkplaats open"]
