"""Read queries of the stakeholder register, each a fixed number of SQL statements whatever the
size of the register."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from tracker.auth.models import User
from tracker.extensions import db
from tracker.projects.models import (
    Municipality,
    Organisation,
    Programme,
    Subproject,
    SubprojectOrganisation,
)
from tracker.stakeholders import rules
from tracker.stakeholders.models import CircleMembership, Contact


@dataclass
class Participation:
    link: SubprojectOrganisation
    subproject: Subproject
    programme: str


@dataclass
class Row:
    """An organisation in a list, with where it lies and in how many subprojects it takes part."""

    organisation: Organisation
    municipality: str | None
    subprojects: int = 0
    participations: list[Participation] = field(default_factory=list)


def _live_participations():
    """Links to subprojects that are not archived, of programmes that are not archived."""
    return (
        select(SubprojectOrganisation, Subproject, Programme.name)
        .join(Subproject, Subproject.id == SubprojectOrganisation.subproject_id)
        .join(Programme, Programme.id == Subproject.programme_id)
        .where(Subproject.archived_at.is_(None), Programme.archived_at.is_(None))
    )


def organisations(
    *,
    kind: str | None = None,
    municipality_id: int | None = None,
    sector: str | None = None,
    archived: bool = False,
) -> list[Row]:
    """The register by name, filtered; archived organisations only when asked for."""
    taking_part = (
        select(SubprojectOrganisation.organisation_id, func.count().label("n"))
        .join(Subproject, Subproject.id == SubprojectOrganisation.subproject_id)
        .join(Programme, Programme.id == Subproject.programme_id)
        .where(Subproject.archived_at.is_(None), Programme.archived_at.is_(None))
        .group_by(SubprojectOrganisation.organisation_id)
        .subquery()
    )
    query = (
        select(Organisation, Municipality.name, func.coalesce(taking_part.c.n, 0))
        .outerjoin(Municipality, Municipality.id == Organisation.municipality_id)
        .outerjoin(taking_part, taking_part.c.organisation_id == Organisation.id)
        .where(
            Organisation.archived_at.is_not(None)
            if archived
            else Organisation.archived_at.is_(None)
        )
        .order_by(func.lower(Organisation.name), Organisation.id)
    )
    if kind:
        query = query.where(Organisation.kind == kind)
    if municipality_id:
        query = query.where(Organisation.municipality_id == municipality_id)
    if sector:
        query = query.where(Organisation.sector == sector)
    return [Row(o, m, n) for o, m, n in db.session.execute(query)]


def municipalities() -> list[Municipality]:
    return list(db.session.scalars(select(Municipality).order_by(Municipality.name)))


def circles() -> list[Organisation]:
    """The TechNet circles that are not archived, by name."""
    return list(
        db.session.scalars(
            select(Organisation)
            .where(Organisation.kind == "technet_circle", Organisation.archived_at.is_(None))
            .order_by(func.lower(Organisation.name))
        )
    )


def live_organisations() -> list[Organisation]:
    return list(
        db.session.scalars(
            select(Organisation)
            .where(Organisation.archived_at.is_(None))
            .order_by(func.lower(Organisation.name))
        )
    )


def live_subprojects() -> list[tuple[Subproject, str]]:
    """The subprojects an organisation can join, with their programme's name."""
    return list(
        db.session.execute(
            select(Subproject, Programme.name)
            .join(Programme, Programme.id == Subproject.programme_id)
            .where(Subproject.archived_at.is_(None), Programme.archived_at.is_(None))
            .order_by(Programme.name, Subproject.code)
        ).all()
    )


@dataclass
class OrganisationPage:
    participations: list[Participation]
    circles: list[tuple[CircleMembership, Organisation]]
    members: list[tuple[CircleMembership, Organisation]]
    contacts: list[tuple[Contact, str | None]]


def organisation_page(organisation: Organisation, *, with_contacts: bool) -> OrganisationPage:
    """What the organisation's page shows. Contacts (personal data) are read only when the
    reader may see them: for anyone else they never leave the database."""
    participations = [
        Participation(link, subproject, programme)
        for link, subproject, programme in db.session.execute(
            select(SubprojectOrganisation, Subproject, Programme.name)
            .join(Subproject, Subproject.id == SubprojectOrganisation.subproject_id)
            .join(Programme, Programme.id == Subproject.programme_id)
            .where(SubprojectOrganisation.organisation_id == organisation.id)
            .order_by(Programme.name, Subproject.code)
        )
    ]
    memberships = db.session.execute(
        select(CircleMembership, Organisation)
        .join(
            Organisation,
            (Organisation.id == CircleMembership.circle_id)
            & (CircleMembership.member_id == organisation.id)
            | (Organisation.id == CircleMembership.member_id)
            & (CircleMembership.circle_id == organisation.id),
        )
        .order_by(func.lower(Organisation.name))
    ).all()
    contacts = []
    if with_contacts:
        contacts = list(
            db.session.execute(
                select(Contact, User.name)
                .outerjoin(User, User.id == Contact.recorded_by_id)
                .where(Contact.organisation_id == organisation.id)
                .order_by(func.lower(Contact.name), Contact.id)
            ).all()
        )
    return OrganisationPage(
        participations=participations,
        circles=[(m, o) for m, o in memberships if m.member_id == organisation.id],
        members=[(m, o) for m, o in memberships if m.circle_id == organisation.id],
        contacts=contacts,
    )


@dataclass
class MunicipalityView:
    taking_part: list[Row]
    not_yet: list[Row]


def participation_in(municipality: Municipality) -> MunicipalityView:
    """The organisations of ``municipality`` in the register (not archived): those that take
    part in a live subproject of a live programme, with where and as what, and those that do
    not yet. Two queries."""
    members = list(
        db.session.scalars(
            select(Organisation)
            .where(
                Organisation.municipality_id == municipality.id,
                Organisation.archived_at.is_(None),
            )
            .order_by(func.lower(Organisation.name), Organisation.id)
        )
    )
    ids = [o.id for o in members]
    by_organisation: dict[int, list[Participation]] = {}
    if ids:
        for link, subproject, programme in db.session.execute(
            _live_participations()
            .where(SubprojectOrganisation.organisation_id.in_(ids))
            .order_by(Programme.name, Subproject.code)
        ):
            by_organisation.setdefault(link.organisation_id, []).append(
                Participation(link, subproject, programme)
            )
    rows = [
        Row(o, municipality.name, len(by_organisation.get(o.id, [])), by_organisation.get(o.id, []))
        for o in members
    ]
    return MunicipalityView(
        taking_part=[r for r in rows if r.participations],
        not_yet=[r for r in rows if not r.participations],
    )


def contacts() -> list[tuple[Contact, Organisation]]:
    """Every contact person with their organisation, the longest unconfirmed first: the list
    the programme manager checks before the retention purge."""
    return list(
        db.session.execute(
            select(Contact, Organisation)
            .join(Organisation, Organisation.id == Contact.organisation_id)
            .order_by(Contact.confirmed_at, Contact.id)
        ).all()
    )


def merge_candidates(duplicate: Organisation):
    """The live organisations ``duplicate`` could be merged into, each with its municipality's
    name: the likely duplicates first, then the rest (rules.likely_first)."""
    rows = db.session.execute(
        select(Organisation, Municipality.name)
        .outerjoin(Municipality, Municipality.id == Organisation.municipality_id)
        .where(Organisation.archived_at.is_(None), Organisation.id != duplicate.id)
    ).all()
    places = {organisation.id: place for organisation, place in rows}
    likely, others = rules.likely_first(duplicate, [organisation for organisation, _ in rows])
    return [(o, places[o.id]) for o in likely], [(o, places[o.id]) for o in others]
