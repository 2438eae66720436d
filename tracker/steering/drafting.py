"""The agenda draft of a meeting from the database: the queries that feed
:func:`tracker.steering.agenda.draft`, a fixed number whatever the programme's size."""

from __future__ import annotations

from datetime import date

from tracker import timeutil
from tracker.indicators import queries as indicator_queries
from tracker.milestones import queries as milestone_queries
from tracker.projects import queries as project_queries
from tracker.quarters import Quarter
from tracker.steering import agenda, queries, rules


def status_rows(programme_id: int, quarter: Quarter) -> list[dict]:
    """Each live subproject with the lead's and the computed status of ``quarter``, judged as
    the dashboard judges it (today while the quarter runs, else its last day)."""
    as_of = rules.judged_on(quarter.start, quarter.end, timeutil.today())
    overview = project_queries.overview_from(
        project_queries.subprojects(programme_id),
        milestone_queries.milestones(programme_id, as_of),
        indicator_queries.indicators(programme_id, quarter),
        project_queries.lead_rags(programme_id, quarter),
    )
    return [
        {
            "id": row["id"],
            "code": row["code"],
            "name": row["name"],
            "lead_rag": row["lead_rag"] if isinstance(row["lead_rag"], str) else None,
            "computed_rag": row["computed_rag"] if isinstance(row["computed_rag"], str) else None,
        }
        for row in overview.to_dict("records")
    ]


def draft(programme_id: int, quarter: Quarter, held_on: date) -> agenda.Draft:
    return agenda.draft(
        quarter=str(quarter),
        held_on=held_on,
        subprojects=status_rows(programme_id, quarter),
        reports=queries.exception_reports_by_subproject(programme_id, quarter),
        request_rows=queries.requests_up_to(programme_id, quarter),
        answers=queries.request_answers(programme_id),
        advice=queries.advice_texts(programme_id),
        decision_rows=queries.decision_rows(programme_id),
        follow_ups=queries.follow_ups(programme_id),
    )
