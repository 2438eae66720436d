"""The subproject RAG computed from milestone and indicator statuses, and disagreement with the
lead's RAG."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.indicators import status as ind
from tracker.milestones import status as ms
from tracker.projects.status import AMBER, GREEN, RAG_ORDER, RED, computed_rag, rag_disagrees


def test_rag_order():
    assert RAG_ORDER == ("green", "amber", "red")
    assert (GREEN, AMBER, RED) == ("green", "amber", "red")


@pytest.mark.parametrize(
    ("milestones", "indicators", "expected"),
    [
        # Nothing to judge.
        ([], [], None),
        ([], [ind.NO_DATA], None),
        ([], [ind.NO_DATA, ind.NO_DATA], None),
        # Green.
        ([ms.ON_TRACK], [], GREEN),
        ([], [ind.ON_TRACK], GREEN),
        ([ms.ACHIEVED_ON_TIME, ms.ACHIEVED_LATE, ms.ON_TRACK], [ind.ON_TRACK], GREEN),
        ([ms.ACHIEVED_LATE], [], GREEN),
        ([], [ind.ON_TRACK, ind.NO_DATA], GREEN),
        ([ms.ON_TRACK], [ind.NO_DATA], GREEN),
        # Amber.
        ([ms.AT_RISK], [], AMBER),
        ([], [ind.AT_RISK], AMBER),
        ([ms.ON_TRACK, ms.AT_RISK], [ind.ON_TRACK], AMBER),
        ([ms.ON_TRACK], [ind.AT_RISK, ind.NO_DATA], AMBER),
        ([], [ind.NO_DATA, ind.AT_RISK], AMBER),
        # Red.
        ([ms.OVERDUE], [], RED),
        ([], [ind.OFF_TRACK], RED),
        ([ms.OVERDUE, ms.AT_RISK], [ind.ON_TRACK], RED),
        ([ms.AT_RISK], [ind.OFF_TRACK], RED),
        ([ms.ON_TRACK], [ind.AT_RISK, ind.OFF_TRACK], RED),
        ([ms.ACHIEVED_ON_TIME], [ind.NO_DATA, ind.OFF_TRACK], RED),
    ],
)
def test_computed_rag(milestones, indicators, expected):
    assert computed_rag(milestones, indicators) == expected


def test_no_data_is_ignored_not_treated_as_bad():
    assert computed_rag([ms.ON_TRACK], [ind.NO_DATA] * 5) == GREEN


def test_computed_rag_accepts_one_shot_iterables():
    milestones = (s for s in [ms.ON_TRACK, ms.AT_RISK])
    indicators = iter([ind.NO_DATA, ind.ON_TRACK])
    assert computed_rag(milestones, indicators) == AMBER


def test_computed_rag_from_real_rules():
    as_of = date(2026, 9, 30)
    milestone_statuses = [
        ms.milestone_status(
            ms.MilestoneFacts(baseline_date=date(2026, 6, 30), planned_date=date(2026, 9, 30)),
            as_of,
        ),
        ms.milestone_status(
            ms.MilestoneFacts(
                baseline_date=date(2026, 3, 31),
                planned_date=date(2026, 3, 31),
                achieved_on=date(2026, 3, 15),
            ),
            as_of,
        ),
    ]
    assert milestone_statuses == [ms.ON_TRACK, ms.ACHIEVED_ON_TIME]
    facts = ind.IndicatorFacts(
        direction="up",
        baseline_value=0.0,
        baseline_date=date(2026, 1, 1),
        target_value=100.0,
        target_date=date(2026, 12, 31),
    )
    assert computed_rag(milestone_statuses, [ind.indicator_status(facts, [], as_of)]) == GREEN
    assert computed_rag(milestone_statuses, [ind.indicator_status(facts, [10.0], as_of)]) == RED


@pytest.mark.parametrize(
    ("lead", "computed", "disagrees"),
    [
        (GREEN, GREEN, False),
        (AMBER, AMBER, False),
        (RED, RED, False),
        (GREEN, AMBER, True),
        (GREEN, RED, True),
        (AMBER, GREEN, True),
        (RED, GREEN, True),
        (AMBER, RED, True),
        (None, GREEN, False),
        (RED, None, False),
        (None, None, False),
    ],
)
def test_rag_disagrees(lead, computed, disagrees):
    assert rag_disagrees(lead, computed) is disagrees
