"""What a meeting's agenda proposes, drafted from the programme's data for the meeting's quarter.

Plain Python on plain rows, so the rules are tested without a database: the exceptions (amber
and red subprojects, by the lead or computed, with their exception report), the decisions leads
asked that no decision has answered yet (a postponed one stays), and the decisions of earlier
meetings that are still open, with their follow-up actions. The meeting page, the drafted text
and the steering pack all read this one draft.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from tracker.projects.status import Rag
from tracker.steering import rules
from tracker.steering.status import ANSWERED, STILL_OPEN, RequestAnswer


@dataclass(frozen=True)
class ExceptionItem:
    subproject_id: int
    code: str
    name: str
    lead_rag: str | None
    computed_rag: str | None
    report: Mapping | None  # the exception report of the quarter, if the lead wrote one


@dataclass(frozen=True)
class RequestItem:
    id: int
    subproject_id: int
    code: str
    quarter: str
    text: str
    advice: str
    postponed: bool


@dataclass(frozen=True)
class FollowUp:
    id: int
    subproject_id: int
    code: str
    title: str
    state: str
    progress: int
    due_date: date | None


@dataclass(frozen=True)
class DecisionItem:
    id: int
    meeting_id: int
    held_on: date
    number: int
    text: str
    owner: str
    due_date: date | None
    status: str
    overdue: bool
    follow_ups: list[FollowUp] = field(default_factory=list)


@dataclass(frozen=True)
class Draft:
    quarter: str
    exceptions: list[ExceptionItem]
    requests: list[RequestItem]
    decisions: list[DecisionItem]

    @property
    def empty(self) -> bool:
        return not (self.exceptions or self.requests or self.decisions)


def _urgency(code: str | None) -> int:
    member = Rag.get(code)
    return member.urgency if member else 9


def exceptions(
    subprojects: Iterable[Mapping], reports: Mapping[int, Mapping]
) -> list[ExceptionItem]:
    """Subprojects amber or red by the lead's or the computed status, the most urgent first
    (red before amber, whichever status says it), then by code."""
    items = [
        ExceptionItem(
            subproject_id=row["id"],
            code=row["code"],
            name=row["name"],
            lead_rag=row.get("lead_rag"),
            computed_rag=row.get("computed_rag"),
            report=reports.get(row["id"]),
        )
        for row in subprojects
        if rules.needs_exception_report(row.get("lead_rag"), row.get("computed_rag"))
    ]
    return sorted(
        items, key=lambda i: (min(_urgency(i.lead_rag), _urgency(i.computed_rag)), i.code)
    )


def requests(
    rows: Iterable[Mapping], quarter: str, answers: Mapping[int, list[str]], advice: Mapping
) -> list[RequestItem]:
    """What leads asked in the meeting's quarter or before that no decision took or rejected,
    oldest first: a request is never dropped because its lead reported a later quarter."""
    items = []
    for row in rows:
        given = answers.get(row["id"], [])
        if row["quarter"] > quarter or any(a in ANSWERED for a in given):
            continue
        if not (row["text"] or "").strip():
            continue
        items.append(
            RequestItem(
                id=row["id"],
                subproject_id=row["subproject_id"],
                code=row["code"],
                quarter=row["quarter"],
                text=row["text"],
                advice=advice.get(row["id"], ""),
                postponed=RequestAnswer.POSTPONED in given,
            )
        )
    return sorted(items, key=lambda r: (r.quarter, r.code, r.id))


def decisions(
    rows: Iterable[Mapping], follow_ups: Mapping[int, list[FollowUp]], before: date
) -> list[DecisionItem]:
    """Decisions of meetings held before ``before`` that are still open or in progress, oldest
    first, each with all its follow-up actions (their state and progress tell how far it is)."""
    items = [
        DecisionItem(
            id=row["id"],
            meeting_id=row["meeting_id"],
            held_on=row["held_on"],
            number=row["number"],
            text=row["text"],
            owner=row["owner"] or "",
            due_date=row["due_date"],
            status=row["status"],
            overdue=row["due_date"] is not None and row["due_date"] < before,
            follow_ups=follow_ups.get(row["id"], []),
        )
        for row in rows
        if row["held_on"] < before and row["status"] in STILL_OPEN
    ]
    return sorted(items, key=lambda d: (d.held_on, d.meeting_id, d.number))


def draft(
    quarter: str,
    held_on: date,
    subprojects: Iterable[Mapping],
    reports: Mapping[int, Mapping],
    request_rows: Iterable[Mapping],
    answers: Mapping[int, list[str]],
    advice: Mapping[int, str],
    decision_rows: Iterable[Mapping],
    follow_ups: Mapping[int, list[FollowUp]],
) -> Draft:
    return Draft(
        quarter=quarter,
        exceptions=exceptions(subprojects, reports),
        requests=requests(request_rows, quarter, answers, advice),
        decisions=decisions(decision_rows, follow_ups, held_on),
    )
