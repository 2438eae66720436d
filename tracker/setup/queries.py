"""Read queries of the set-up pages: every programme, municipality and subproject, archived ones
included (the set-up pages are where they are restored), in a fixed number of queries."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from tracker.auth.models import User, subproject_leads
from tracker.extensions import db
from tracker.indicators.models import Indicator
from tracker.milestones.models import Milestone
from tracker.projects.models import Action, Municipality, Organisation, Programme, Subproject
from tracker.setup import first_run


def programmes() -> list[dict]:
    """Every programme, live ones first, with how many subprojects it has (not archived)."""
    live = (
        select(Subproject.programme_id, func.count(Subproject.id).label("n"))
        .where(Subproject.archived_at.is_(None))
        .group_by(Subproject.programme_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Programme, func.coalesce(live.c.n, 0))
        .outerjoin(live, live.c.programme_id == Programme.id)
        .order_by(Programme.archived_at.is_not(None), Programme.name)
    )
    return [{"programme": programme, "subprojects": n} for programme, n in rows]


def municipalities() -> list[dict]:
    """Every municipality by name, with how many subprojects and organisations it has."""
    subprojects = (
        select(Subproject.municipality_id, func.count(Subproject.id).label("n"))
        .group_by(Subproject.municipality_id)
        .subquery()
    )
    organisations = (
        select(Organisation.municipality_id, func.count(Organisation.id).label("n"))
        .group_by(Organisation.municipality_id)
        .subquery()
    )
    rows = db.session.execute(
        select(
            Municipality,
            func.coalesce(subprojects.c.n, 0),
            func.coalesce(organisations.c.n, 0),
        )
        .outerjoin(subprojects, subprojects.c.municipality_id == Municipality.id)
        .outerjoin(organisations, organisations.c.municipality_id == Municipality.id)
        .order_by(Municipality.name)
    )
    return [{"municipality": m, "subprojects": s, "organisations": o} for m, s, o in rows]


def all_municipalities() -> list[Municipality]:
    return list(db.session.scalars(select(Municipality).order_by(Municipality.name)))


def subprojects(programme_id: int) -> list[dict]:
    """Every subproject of the programme by code, archived ones last, with municipality and
    the names of its leads."""
    rows = db.session.execute(
        select(Subproject, Municipality.name, Municipality.cbs_code)
        .join(Municipality, Municipality.id == Subproject.municipality_id)
        .where(Subproject.programme_id == programme_id)
        .order_by(Subproject.archived_at.is_not(None), Subproject.code)
    ).all()
    leads: dict[int, list[str]] = {}
    for subproject_id, name in db.session.execute(
        select(subproject_leads.c.subproject_id, User.name)
        .join(User, User.id == subproject_leads.c.user_id)
        .join(Subproject, Subproject.id == subproject_leads.c.subproject_id)
        .where(Subproject.programme_id == programme_id)
        .order_by(User.name)
    ):
        leads.setdefault(subproject_id, []).append(name)
    return [
        {
            "subproject": subproject,
            "municipality": municipality,
            "cbs_code": cbs_code,
            "leads": leads.get(subproject.id, []),
        }
        for subproject, municipality, cbs_code in rows
    ]


def programme_indicators(programme_id: int) -> list[Indicator]:
    """The programme's own indicators, by name."""
    return list(
        db.session.scalars(
            select(Indicator)
            .where(Indicator.programme_id == programme_id, Indicator.subproject_id.is_(None))
            .order_by(Indicator.name)
        )
    )


def first_run_facts(programme_id: int | None) -> first_run.Facts:
    """The counts the first-run checklist is made of, in one query."""
    live = (Subproject.programme_id == programme_id, Subproject.archived_at.is_(None))
    led = (
        select(func.count(func.distinct(subproject_leads.c.subproject_id)))
        .join(Subproject, Subproject.id == subproject_leads.c.subproject_id)
        .where(*live)
        .scalar_subquery()
    )
    municipalities, subprojects, with_lead, indicators = db.session.execute(
        select(
            select(func.count(Municipality.id)).scalar_subquery(),
            select(func.count(Subproject.id)).where(*live).scalar_subquery(),
            led,
            select(func.count(Indicator.id))
            .where(Indicator.programme_id == programme_id)
            .scalar_subquery(),
        )
    ).one()
    return first_run.Facts(programme_id, municipalities, subprojects, with_lead, indicators)


def plan_context(programme_id: int) -> dict:
    """What a plan-of-action import is matched against, in a fixed number of queries: the
    programme's subprojects (with their leads), actions, milestones and indicators (with their
    sources), every organisation and municipality, and the users who may lead."""
    subprojects = list(
        db.session.scalars(
            select(Subproject)
            .where(Subproject.programme_id == programme_id)
            .options(selectinload(Subproject.leads))
        )
    )
    ids = [s.id for s in subprojects]
    return {
        "municipalities": list(db.session.scalars(select(Municipality))),
        "organisations": list(db.session.scalars(select(Organisation))),
        "subprojects": subprojects,
        "lead_users": list(
            db.session.scalars(select(User).where(User.role == "lead", User.active.is_(True)))
        ),
        "actions": list(db.session.scalars(select(Action).where(Action.subproject_id.in_(ids)))),
        "milestones": list(
            db.session.scalars(select(Milestone).where(Milestone.subproject_id.in_(ids)))
        ),
        "indicators": list(
            db.session.scalars(
                select(Indicator)
                .where(Indicator.programme_id == programme_id)
                .options(selectinload(Indicator.sources))
            )
        ),
    }
