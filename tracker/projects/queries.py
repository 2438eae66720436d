"""Read queries of programmes and subprojects, and the status overview built on the milestone
and indicator queries: what the programme page, the dashboard, the PDF and the exports share.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

import pandas as pd
from sqlalchemy import select

from tracker import tables
from tracker.auth.models import User, subproject_leads
from tracker.extensions import db
from tracker.fetch import column_rows, param, prepared
from tracker.indicators import queries as indicator_queries
from tracker.indicators import status as indicator_rules
from tracker.milestones import queries as milestone_queries
from tracker.milestones import status as milestone_rules
from tracker.projects import status as subproject_rules
from tracker.projects.models import (
    Action,
    Municipality,
    Organisation,
    Programme,
    QuarterlyUpdate,
    Subproject,
    in_scope,
    live_subproject_ids,
)
from tracker.quarters import Quarter


def programmes() -> list[dict]:
    """Every programme not archived, by name, with its tolerances: the dashboard's choice."""
    keys = ("id", "name", "start_date", "end_date", "tolerance_slip_days", "tolerance_points")
    return tables.dicts(column_rows(_programmes_query()), keys)


@prepared
def _programmes_query():
    return (
        select(
            Programme.id,
            Programme.name,
            Programme.start_date,
            Programme.end_date,
            Programme.tolerance_slip_days,
            Programme.tolerance_points,
        )
        .where(Programme.archived_at.is_(None))
        .order_by(Programme.name)
    )


def live_programmes() -> list[Programme]:
    """The programmes not archived, by name: the programme tabs and the first one shown."""
    return list(
        db.session.scalars(
            select(Programme).where(Programme.archived_at.is_(None)).order_by(Programme.name)
        )
    )


def first_programme() -> Programme | None:
    """The programme a user lands on: the oldest not archived."""
    return db.session.scalar(
        select(Programme).where(Programme.archived_at.is_(None)).order_by(Programme.id).limit(1)
    )


def subprojects(programme_id: int, subproject_ids: list[int] | None = None) -> pd.DataFrame:
    """Subprojects with municipality and the names of their leads."""
    names: dict[int, list[str]] = {}
    for subproject_id, name in column_rows(_leads_query(), programme_id=programme_id):
        names.setdefault(subproject_id, []).append(name)
    rows = column_rows(
        _subprojects_query(subproject_ids is not None),
        programme_id=programme_id,
        subproject_ids=subproject_ids,
    )
    return tables.frame(
        [(*row, ", ".join(names.get(row.id, []))) for row in rows],
        ["id", "code", "name", "municipality_id", "municipality", "cbs_code", "leads"],
    )


@prepared
def _subprojects_query(scoped: bool):
    return (
        select(
            Subproject.id,
            Subproject.code,
            Subproject.name,
            Subproject.municipality_id,
            Municipality.name,
            Municipality.cbs_code,
        )
        .join(Municipality, Subproject.municipality_id == Municipality.id)
        .where(Subproject.programme_id == param("programme_id"), in_scope(Subproject.id, scoped))
        .order_by(Subproject.code)
    )


@prepared
def _leads_query():
    return (
        select(subproject_leads.c.subproject_id, User.name)
        .join(User, User.id == subproject_leads.c.user_id)
        .join(Subproject, Subproject.id == subproject_leads.c.subproject_id)
        .where(Subproject.programme_id == param("programme_id"))
        .order_by(User.name)
    )


def lead_rags(programme_id: int, quarter: Quarter) -> dict[int, str]:
    """Each subproject's RAG from its newest quarterly update up to ``quarter``."""
    rows = column_rows(_lead_rags_query(), programme_id=programme_id, quarter=str(quarter))
    return {subproject_id: rag for subproject_id, _, rag in rows}


@prepared
def _lead_rags_query():
    return (
        select(QuarterlyUpdate.subproject_id, QuarterlyUpdate.quarter, QuarterlyUpdate.rag)
        .join(Subproject, Subproject.id == QuarterlyUpdate.subproject_id)
        .where(
            Subproject.programme_id == param("programme_id"),
            Subproject.archived_at.is_(None),
            QuarterlyUpdate.quarter <= param("quarter"),
        )
        .order_by(QuarterlyUpdate.quarter)
    )


def status_overview(programme_id: int, as_of: date) -> pd.DataFrame:
    """One row per subproject: milestone and indicator counts by status, lead's and computed RAG."""
    quarter = Quarter.of(as_of)
    return overview_from(
        subprojects(programme_id),
        milestone_queries.milestones(programme_id, as_of),
        indicator_queries.indicators(programme_id, quarter),
        lead_rags(programme_id, quarter),
    )


def overview_from(
    subproject_frame: pd.DataFrame,
    milestone_frame: pd.DataFrame,
    indicator_frame: pd.DataFrame,
    lead: dict[int, str],
    with_counts: bool = True,
) -> pd.DataFrame:
    """What ``status_overview`` gives, from frames already loaded: callers that also need the
    milestones and indicators themselves (the dashboard, the report) query them only once.
    Without ``with_counts``, the RAG columns only, not the counts by status (which the
    dashboard does not show: eleven columns fewer to build)."""
    milestone_groups = _statuses_by_subproject(milestone_frame)
    indicator_groups = _statuses_by_subproject(indicator_frame)
    ids = subproject_frame["id"].tolist()
    columns = {}
    if with_counts:
        milestone_counts = [Counter(milestone_groups.get(i, ())) for i in ids]
        indicator_counts = [Counter(indicator_groups.get(i, ())) for i in ids]
        for status in milestone_rules.STATUSES:
            columns[f"milestones_{status}"] = [counts[status] for counts in milestone_counts]
        for status in indicator_rules.STATUSES:
            columns[f"indicators_{status}"] = [counts[status] for counts in indicator_counts]
    computed = [
        subproject_rules.computed_rag(milestone_groups.get(i, []), indicator_groups.get(i, []))
        for i in ids
    ]
    leads = [lead.get(i) for i in ids]
    columns["computed_rag"] = computed
    columns["lead_rag"] = leads
    # only strings count as a RAG (a lead's RAG read back from a frame may be NaN)
    columns["rag_differs"] = [
        subproject_rules.rag_disagrees(
            lead_rag if isinstance(lead_rag, str) else None,
            rag if isinstance(rag, str) else None,
        )
        for lead_rag, rag in zip(leads, computed, strict=True)
    ]
    # one construction instead of a column insert per status: pandas' cost per call is what
    # counts with a few subprojects
    return pd.DataFrame({**dict(subproject_frame.items()), **columns}, index=subproject_frame.index)


def _statuses_by_subproject(frame: pd.DataFrame) -> dict[int, list[str]]:
    groups: dict[int, list[str]] = {}
    for subproject_id, status in zip(
        frame["subproject_id"].tolist(), frame["status"].tolist(), strict=True
    ):
        groups.setdefault(subproject_id, []).append(status)
    return groups


def actions(programme_id: int, subproject_ids: list[int] | None = None) -> pd.DataFrame:
    """Actions with their owner's name. State and progress keep no history: current values."""
    query = (
        select(
            Action.id,
            Action.subproject_id,
            Action.title,
            Organisation.name,
            Action.start_date,
            Action.due_date,
            Action.state,
            Action.progress,
        )
        .join(Subproject, Subproject.id == Action.subproject_id)
        .outerjoin(Organisation, Organisation.id == Action.owner_id)
        .where(Subproject.programme_id == programme_id)
        .order_by(Subproject.code, Action.due_date, Action.id)
    )
    query = query.where(
        Action.subproject_id.in_(
            subproject_ids if subproject_ids is not None else live_subproject_ids()
        )
    )
    return tables.frame(
        db.session.execute(query),
        ["id", "subproject_id", "title", "owner", "start_date", "due_date", "state", "progress"],
    )


def quarterly_updates(
    programme_id: int, up_to: Quarter, subproject_ids: list[int] | None = None
) -> pd.DataFrame:
    """The leads' quarterly updates of quarters up to and including ``up_to``, oldest first."""
    query = (
        select(
            QuarterlyUpdate.id,
            QuarterlyUpdate.subproject_id,
            QuarterlyUpdate.quarter,
            QuarterlyUpdate.rag,
            QuarterlyUpdate.achieved,
            QuarterlyUpdate.next_steps,
            QuarterlyUpdate.risks,
            QuarterlyUpdate.decisions_requested,
            User.name,
            QuarterlyUpdate.updated_at,
        )
        .join(Subproject, Subproject.id == QuarterlyUpdate.subproject_id)
        .outerjoin(User, User.id == QuarterlyUpdate.updated_by_id)
        .where(Subproject.programme_id == programme_id, QuarterlyUpdate.quarter <= str(up_to))
        .order_by(QuarterlyUpdate.quarter, Subproject.code)
    )
    query = query.where(
        QuarterlyUpdate.subproject_id.in_(
            subproject_ids if subproject_ids is not None else live_subproject_ids()
        )
    )
    return tables.frame(
        db.session.execute(query),
        [
            "id",
            "subproject_id",
            "quarter",
            "rag",
            "achieved",
            "next_steps",
            "risks",
            "decisions_requested",
            "updated_by",
            "updated_at",
        ],
    )
