from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    select,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.auth.models import subproject_leads
from tracker.extensions import db
from tracker.fetch import param_list
from tracker.quarters.lock import QuarterLocked
from tracker.timeutil import utcnow

ACTION_STATES = ("planned", "running", "done", "cancelled")
REPORTING_FREQUENCIES = ("quarterly", "half_yearly", "yearly")
RAG_VALUES = ("green", "amber", "red")
ORGANISATION_KINDS = (
    "school_vmbo",
    "school_mbo",
    "school_hbo",
    "company",
    "government",
    "knowledge_institute",
    "intermediary",
    "technet_circle",
)
ORGANISATION_SECTORS = (
    "industry",
    "construction",
    "ict",
    "care_technology",
    "agrifood",
    "logistics",
    "maritime",
    "energy",
    "other",
)


class Programme(db.Model):
    """The top of the tree. An archived programme (``archived_at`` set) leaves the lists, the
    dashboard and the reports page's choice, but its pages and archived reports stay readable."""

    __tablename__ = "programme"
    __table_args__ = (
        CheckConstraint("end_date >= start_date", name="dates"),
        CheckConstraint(
            "reporting_frequency IN ('quarterly', 'half_yearly', 'yearly')",
            name="reporting_frequency",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    aim: Mapped[str] = mapped_column(Text, default="")
    start_date: Mapped[date]
    end_date: Mapped[date]
    reporting_frequency: Mapped[str] = mapped_column(
        String(20), default="quarterly", server_default="quarterly"
    )
    archived_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}
    # tolerances of the steering group's exception rules (tracker/steering/rules.py)
    tolerance_slip_days: Mapped[int] = mapped_column(default=0, server_default="0")
    tolerance_points: Mapped[int] = mapped_column(default=10, server_default="10")

    subprojects: Mapped[list[Subproject]] = relationship(
        back_populates="programme", order_by="Subproject.code"
    )


class Municipality(db.Model):
    __tablename__ = "municipality"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    cbs_code: Mapped[str] = mapped_column(String(6), unique=True)
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}


class Subproject(db.Model):
    """A subproject of a programme. An archived one (``archived_at`` set) leaves the lists, the
    dashboard and new reports, stays readable and can be restored; it cannot be edited."""

    __tablename__ = "subproject"
    __table_args__ = (UniqueConstraint("programme_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id"), index=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    aim: Mapped[str] = mapped_column(Text, default="")
    archived_at: Mapped[datetime | None]
    # the event it came from ("Voortgekomen uit bijeenkomst", tracker/events/); use_alter: an
    # event belongs to a subproject, so the two tables point at each other
    from_event_id: Mapped[int | None] = mapped_column(
        ForeignKey("event.id", ondelete="SET NULL", use_alter=True), index=True
    )
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    programme: Mapped[Programme] = relationship(back_populates="subprojects")
    municipality: Mapped[Municipality] = relationship()
    leads: Mapped[list[User]] = relationship(  # noqa: F821
        secondary=subproject_leads, back_populates="led_subprojects", order_by="User.name"
    )
    actions: Mapped[list[Action]] = relationship(
        back_populates="subproject", order_by="Action.due_date"
    )
    organisation_links: Mapped[list[SubprojectOrganisation]] = relationship(
        back_populates="subproject"
    )
    updates: Mapped[list[QuarterlyUpdate]] = relationship(
        back_populates="subproject", order_by="QuarterlyUpdate.quarter.desc()"
    )
    from_event: Mapped[Event | None] = relationship(  # noqa: F821
        "Event", foreign_keys=[from_event_id]
    )


class Organisation(db.Model):
    """A stakeholder of the programme (tracker/stakeholders/ keeps the register). The same
    organisation is one record: its name is unique within its municipality, whatever the case.
    An archived one leaves the choice lists and the register, its history and links stay."""

    __tablename__ = "organisation"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('school_vmbo', 'school_mbo', 'school_hbo', 'company', 'government', "
            "'knowledge_institute', 'intermediary', 'technet_circle')",
            name="kind",
        ),
        CheckConstraint(
            "sector IS NULL OR sector IN ('industry', 'construction', 'ict', 'care_technology', "
            "'agrifood', 'logistics', 'maritime', 'energy', 'other')",
            name="sector",
        ),
        Index(
            "uq_organisation_name_place",
            text("lower(name)"),
            text("coalesce(municipality_id, 0)"),
            unique=True,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30))
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipality.id"))
    sector: Mapped[str | None] = mapped_column(String(30))
    website: Mapped[str] = mapped_column(String(300), default="", server_default="")
    archived_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    municipality: Mapped[Municipality | None] = relationship()


class SubprojectOrganisation(db.Model):
    """An organisation's part in a subproject (trekker, partner, financier...)."""

    __tablename__ = "subproject_organisation"
    __table_args__ = (UniqueConstraint("subproject_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subproject_id: Mapped[int] = mapped_column(ForeignKey("subproject.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    role: Mapped[str] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    subproject: Mapped[Subproject] = relationship(back_populates="organisation_links")
    organisation: Mapped[Organisation] = relationship()


class Action(db.Model):
    __tablename__ = "action"
    __table_args__ = (
        CheckConstraint("progress >= 0 AND progress <= 100", name="progress"),
        CheckConstraint("due_date >= start_date", name="dates"),
        CheckConstraint("state IN ('planned', 'running', 'done', 'cancelled')", name="state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subproject_id: Mapped[int] = mapped_column(ForeignKey("subproject.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decision.id"))
    start_date: Mapped[date]
    due_date: Mapped[date]
    state: Mapped[str] = mapped_column(String(20), default="planned")
    progress: Mapped[int] = mapped_column(default=0)
    # the event it came from ("Voortgekomen uit bijeenkomst", tracker/events/)
    from_event_id: Mapped[int | None] = mapped_column(
        ForeignKey("event.id", ondelete="SET NULL"), index=True
    )
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    subproject: Mapped[Subproject] = relationship(back_populates="actions")
    from_event: Mapped[Event | None] = relationship(  # noqa: F821
        "Event", foreign_keys=[from_event_id]
    )
    owner: Mapped[Organisation | None] = relationship()
    decision: Mapped[Decision | None] = relationship(  # noqa: F821
        back_populates="follow_up_actions"
    )


class QuarterlyUpdate(QuarterLocked, db.Model):
    """The lead's narrative for one subproject and quarter."""

    __tablename__ = "quarterly_update"
    __programme_via__ = "subproject"
    __quarter_attribute__ = "quarter"
    __table_args__ = (
        UniqueConstraint("subproject_id", "quarter"),
        CheckConstraint("rag IN ('green', 'amber', 'red')", name="rag"),
        CheckConstraint("quarter LIKE '____-Q_'", name="quarter"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subproject_id: Mapped[int] = mapped_column(ForeignKey("subproject.id"), index=True)
    quarter: Mapped[str] = mapped_column(String(7))
    rag: Mapped[str] = mapped_column(String(5))
    achieved: Mapped[str] = mapped_column(Text, default="")
    next_steps: Mapped[str] = mapped_column(Text, default="")
    risks: Mapped[str] = mapped_column(Text, default="")
    decisions_requested: Mapped[str] = mapped_column(Text, default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    subproject: Mapped[Subproject] = relationship(back_populates="updates")
    updated_by: Mapped[User | None] = relationship()  # noqa: F821


def live_subproject_ids():
    """The ids of the subprojects that are not archived, as a subquery: a whole programme's
    lists, dashboard and new reports take only these. Asked for by id, an archived subproject
    is still found (its pages stay readable)."""
    return select(Subproject.id).where(Subproject.archived_at.is_(None))


def in_scope(column, scoped: bool):
    """``column`` (a subproject id) among the list given as ``subproject_ids`` when the statement
    runs, if ``scoped``; else among the subprojects not archived. The subproject filter of a
    statement built once (:func:`tracker.fetch.prepared`)."""
    return column.in_(param_list("subproject_ids") if scoped else live_subproject_ids())
