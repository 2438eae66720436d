"""The dashboard's fast paths give the rules' answers: figures from measurements already sorted
(:func:`figures_of_known`), a programme's indicators judged from a measurement history read once,
and the previous quarter's statuses of the attention list."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pandas as pd
import pytest
from sqlalchemy import select

from tracker.extensions import db
from tracker.indicators import queries
from tracker.indicators.models import Indicator, Measurement
from tracker.indicators.status import (
    NO_DATA,
    IndicatorFacts,
    expected_at,
    expected_progress,
    figures_of_known,
    indicator_status,
    progress,
    progress_of,
    quarter_figures,
)
from tracker.milestones import status as milestone_rules
from tracker.projects import status as subproject_rules
from tracker.quarters import Quarter
from tracker.steering.attention import LIMIT, Shown, previous_computed

PERIODS = [str(q) for q in (Quarter(2025, n) for n in range(1, 5))] + [
    str(q) for q in (Quarter(2026, n) for n in range(1, 5))
]


def _rng(seed: int) -> random.Random:
    return random.Random(seed)  # noqa: S311  # reproducible cases, nothing secret


def _measured(rng: random.Random) -> list[tuple[str, float, str]]:
    periods = sorted(rng.sample(PERIODS, rng.randint(0, len(PERIODS))))
    return [(p, rng.choice([0.0, 1.0, rng.uniform(-50, 500), 1e12]), "") for p in periods]


@pytest.mark.parametrize("seed", range(40))
def test_figures_of_known_values_are_the_quarter_figures(seed):
    rng = _rng(seed)
    measured = _measured(rng)
    quarter = rng.choice(PERIODS)
    known = [entry for entry in measured if entry[0] <= quarter]
    for rollup in ("sum", "mean", "last"):
        expected = quarter_figures([(p, v) for p, v, _ in reversed(measured)], quarter, rollup)
        assert figures_of_known(known, quarter, rollup) == (
            expected.quarter_value,
            expected.rolled_up,
            expected.latest_period,
            expected.latest_value,
        )


@pytest.mark.parametrize("seed", range(40))
def test_progress_and_expectation_from_plain_values_are_the_rules(seed):
    rng = _rng(seed)
    baseline_date = date(2025, 1, 1) + timedelta(days=rng.randint(0, 400))
    facts = IndicatorFacts(
        direction=rng.choice(["up", "down"]),
        baseline_value=rng.choice([0.0, 10.0, 50.0]),
        baseline_date=baseline_date,
        target_value=rng.choice([0.0, 10.0, 100.0]),
        target_date=baseline_date + timedelta(days=rng.choice([1, 90, 700])),
    )
    actual, on = rng.uniform(-20, 150), baseline_date + timedelta(days=rng.randint(-30, 900))
    assert progress_of(facts.direction, facts.baseline_value, facts.target_value, actual) == (
        progress(facts, actual)
    )
    assert expected_at(facts.baseline_date, facts.target_date, on) == expected_progress(facts, on)


def _reference_previous_computed(milestones, indicators, history, previous):
    """The previous quarter's computed status straight from the rules, row by row."""
    statuses: dict = {}
    for row in milestones.to_dict("records"):
        facts = milestone_rules.MilestoneFacts(
            baseline_date=row["baseline_date"],
            planned_date=row["planned_date"],
            forecast_date=row["forecast_date"],
            achieved_on=row["achieved_on"],
            at_risk=bool(row["at_risk"]),
        )
        statuses.setdefault(row["subproject_id"], ([], []))[0].append(
            milestone_rules.milestone_status(facts, previous.end)
        )
    for row in indicators.to_dict("records"):
        own = [(p, v) for p, v, _ in history.get(row["id"], ()) if p <= str(previous)]
        facts = IndicatorFacts(
            row["direction"],
            row["baseline_value"],
            row["baseline_date"],
            row["target_value"],
            row["target_date"],
            row["rollup"],
        )
        status = (
            indicator_status(facts, [v for _, v in own], Quarter.parse(own[-1][0]).end)
            if own
            else NO_DATA
        )
        statuses.setdefault(row["subproject_id"], ([], []))[1].append(status)
    return {sid: subproject_rules.computed_rag(m, i) for sid, (m, i) in statuses.items()}


@pytest.mark.parametrize("seed", range(25))
def test_the_previous_quarters_statuses_are_the_rules(seed):
    rng = _rng(seed)
    day = date(2025, 6, 1)
    milestones = pd.DataFrame(
        [
            {
                "subproject_id": rng.randint(1, 6),
                "baseline_date": day + timedelta(days=rng.randint(0, 300)),
                "planned_date": day + timedelta(days=rng.randint(0, 600)),
                "forecast_date": rng.choice([None, day + timedelta(days=rng.randint(0, 700))]),
                "achieved_on": rng.choice([None, day + timedelta(days=rng.randint(0, 700))]),
                "at_risk": rng.random() < 0.2,
            }
            for _ in range(rng.randint(0, 20))
        ],
        columns=[
            "subproject_id",
            "baseline_date",
            "planned_date",
            "forecast_date",
            "achieved_on",
            "at_risk",
        ],
    )
    indicators = pd.DataFrame(
        [
            {
                "id": number,
                "subproject_id": rng.randint(1, 8),
                "direction": rng.choice(["up", "down"]),
                "baseline_value": 10.0,
                "baseline_date": date(2025, 1, 1),
                "target_value": rng.choice([10.0, 0.0, 100.0]),
                "target_date": date(2027, 12, 31),
                "rollup": rng.choice(["sum", "mean", "last"]),
            }
            for number in range(rng.randint(0, 20))
        ],
        columns=[
            "id",
            "subproject_id",
            "direction",
            "baseline_value",
            "baseline_date",
            "target_value",
            "target_date",
            "rollup",
        ],
    )
    history = {number: _measured(rng) for number in indicators["id"].tolist()}
    previous = Quarter.parse(rng.choice(PERIODS))
    assert previous_computed(milestones, indicators, history, previous) == (
        _reference_previous_computed(milestones, indicators, history, previous)
    )


@pytest.mark.parametrize("seed", range(10))
def test_the_rows_shown_first_are_those_a_sorted_list_starts_with(seed):
    rng = _rng(seed)
    table = pd.DataFrame(
        {"id": range(80), "rank": [rng.randint(0, 5) for _ in range(80)], "note": [None] * 80}
    )
    keys = [(rank, position) for position, rank in enumerate(table["rank"].tolist()) if rank]
    expected = sorted(
        (row for row in table.to_dict("records") if row["rank"]), key=lambda row: row["rank"]
    )
    shown = Shown.first(table, keys)
    assert shown.total == len(expected) and shown.rows == expected[:LIMIT]


def _change_values(app, programme_id: int) -> None:
    """Notes, a value after the quarter and a programme indicator computed from two sources."""
    with app.app_context():
        measured = db.session.scalars(select(Measurement)).all()
        measured[0].note = "Later gestart"
        indicators = db.session.scalars(
            select(Indicator).where(Indicator.subproject_id.is_not(None))
        ).all()
        db.session.add_all(
            [
                Measurement(indicator=indicators[0], period="2027-Q1", value=5.0),
                Indicator(
                    programme_id=programme_id,
                    name="Samen",
                    unit="leerlingen",
                    direction="up",
                    baseline_value=0.0,
                    baseline_date=date(2025, 1, 1),
                    target_value=100.0,
                    target_date=date(2027, 12, 31),
                    rollup="sum",
                    aggregation="sum",
                    sources=indicators[:2],
                ),
            ]
        )
        db.session.commit()


@pytest.mark.parametrize("quarter", ["2026-Q2", "2026-Q3", "2026-Q4"])
def test_indicators_judged_from_a_history_are_those_judged_from_their_own_read(app, world, quarter):
    _change_values(app, world["programme_id"])
    quarter = Quarter.parse(quarter)
    with app.app_context():
        for scope in (None, [world["a"]], [world["a"], world["b"]]):
            history = queries.measurement_history(world["programme_id"], quarter, scope)
            pd.testing.assert_frame_equal(
                queries.indicators(world["programme_id"], quarter, scope, history=history),
                queries.indicators(world["programme_id"], quarter, scope),
            )
        assert any(note for values in history.by_indicator.values() for _, _, note in values), (
            "the history carries the notes"
        )


def test_a_history_of_another_scope_or_quarter_is_refused(app, world):
    quarter = Quarter(2026, 4)
    with app.app_context():
        history = queries.measurement_history(world["programme_id"], quarter, [world["a"]])
        for programme_id, up_to, scope in (
            (world["programme_id"], quarter, None),
            (world["programme_id"], quarter, [world["b"]]),
            (world["programme_id"], quarter.previous(), [world["a"]]),
            (world["programme_id"] + 1, quarter, [world["a"]]),
        ):
            with pytest.raises(ValueError, match="another programme"):
                queries.indicators(programme_id, up_to, scope, history=history)


def test_a_history_cut_at_an_earlier_quarter_is_that_quarters_own_read(app, world):
    """The quarter page reads its history once and judges the previous quarter from it."""
    _change_values(app, world["programme_id"])
    later = Quarter(2027, 1)
    with app.app_context():
        for scope in (None, [world["a"]]):
            history = queries.measurement_history(world["programme_id"], later, scope)
            for earlier in (Quarter(2025, 4), Quarter(2026, 3), Quarter(2026, 4), later):
                cut = history.up_to_quarter(earlier)
                assert cut == queries.measurement_history(world["programme_id"], earlier, scope)
                pd.testing.assert_frame_equal(
                    queries.indicators(world["programme_id"], earlier, scope, history=cut),
                    queries.indicators(world["programme_id"], earlier, scope),
                )
        with pytest.raises(ValueError, match="reaches"):
            history.up_to_quarter(Quarter(2027, 2))
