"""How an indicator counted from events gets its value of a quarter. Plain Python, so the rule
can be tested alone; :mod:`tracker.events.services` feeds it the facts and stores the result.

- ``companies_attending``: distinct companies that attended at least one event of the quarter
  ("bedrijven bereikt": a company at three meetings counts once);
- ``organisations_attending``: the same for organisations of every kind;
- ``pupils_reached``: the pupils and students the quarter's guest lessons reached, added up.

A quarter without an event that counts has no value (rather than a zero nobody measured).

Limited to a municipality ("bedrijven bereikt in Urk"), only organisations of that municipality
count, and for ``pupils_reached`` only the pupils of its schools: where the event was held does
not matter, who was reached does.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from tracker.quarters import Quarter

COUNTS = ("companies_attending", "organisations_attending", "pupils_reached")
PUPIL_EVENT_KINDS = ("guest_lesson",)


@dataclass(frozen=True)
class Attendance:
    event_id: int
    held_on: date
    organisation_id: int
    organisation_kind: str
    municipality_id: int | None = None  # the organisation's


@dataclass(frozen=True)
class Pupils:
    event_id: int
    held_on: date
    event_kind: str
    number: int
    school_municipality_id: int | None = None


@dataclass(frozen=True)
class QuarterCount:
    period: str
    value: float
    event_ids: tuple[int, ...]  # the events the value came from


def count(
    rule: str,
    attendances: Iterable[Attendance],
    pupils: Iterable[Pupils],
    municipality_id: int | None = None,
) -> dict[str, QuarterCount]:
    """The counted value of every quarter with an event that counts, by quarter code; with
    ``municipality_id``, of that municipality's organisations or schools only."""
    if rule not in COUNTS:
        raise ValueError(f"unknown count: {rule!r}")
    if rule == "pupils_reached":
        return _pupils(
            p
            for p in pupils
            if municipality_id is None or p.school_municipality_id == municipality_id
        )
    companies_only = rule == "companies_attending"
    seen: dict[str, set[int]] = {}
    events: dict[str, set[int]] = {}
    for fact in attendances:
        if companies_only and fact.organisation_kind != "company":
            continue
        if municipality_id is not None and fact.municipality_id != municipality_id:
            continue
        period = str(Quarter.of(fact.held_on))
        seen.setdefault(period, set()).add(fact.organisation_id)
        events.setdefault(period, set()).add(fact.event_id)
    return {
        period: QuarterCount(period, float(len(ids)), tuple(sorted(events[period])))
        for period, ids in seen.items()
    }


def _pupils(pupils: Iterable[Pupils]) -> dict[str, QuarterCount]:
    totals: dict[str, int] = {}
    events: dict[str, set[int]] = {}
    for fact in pupils:
        if fact.event_kind not in PUPIL_EVENT_KINDS:
            continue
        period = str(Quarter.of(fact.held_on))
        totals[period] = totals.get(period, 0) + fact.number
        events.setdefault(period, set()).add(fact.event_id)
    return {
        period: QuarterCount(period, float(total), tuple(sorted(events[period])))
        for period, total in totals.items()
    }
