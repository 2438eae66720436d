"""An event of a programme or one of its subprojects, its workshops, the organisations
registered for it and the pupils it reached. The organisations come from the stakeholder
register (tracker/stakeholders/)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.milestones.models import Milestone
from tracker.projects.models import Action, Municipality, Organisation, Programme, Subproject
from tracker.stakeholders.models import Contact

EVENT_KINDS = (
    "meeting",
    "guest_lesson",
    "company_visit",
    "open_day",
    "technet_meeting",
    "workshop_day",
)
EDUCATION_LEVELS = ("vmbo", "mbo", "hbo")

event_actions = Table(
    "event_action",
    db.metadata,
    Column("event_id", ForeignKey("event.id", ondelete="CASCADE"), primary_key=True),
    Column("action_id", ForeignKey("action.id", ondelete="CASCADE"), primary_key=True, index=True),
)
event_milestones = Table(
    "event_milestone",
    db.metadata,
    Column("event_id", ForeignKey("event.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "milestone_id", ForeignKey("milestone.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
)
workshop_organisations = Table(
    "workshop_organisation",
    db.metadata,
    Column("workshop_id", ForeignKey("workshop.id", ondelete="CASCADE"), primary_key=True),
    Column("organisation_id", ForeignKey("organisation.id"), primary_key=True, index=True),
)


class Event(db.Model):
    """A bijeenkomst, gastles, bedrijfsbezoek, open dag or TechNet circle meeting.

    ``follows_id`` names the event it follows up: the organisations that registered an interest
    in a follow-up there are offered for registration here."""

    __tablename__ = "event"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('meeting', 'guest_lesson', 'company_visit', 'open_day', "
            "'technet_meeting', 'workshop_day')",
            name="kind",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id"), index=True)
    subproject_id: Mapped[int | None] = mapped_column(ForeignKey("subproject.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    held_on: Mapped[date] = mapped_column(index=True)
    place: Mapped[str] = mapped_column(String(200), default="")
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipality.id"))
    organiser_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    day_programme: Mapped[str] = mapped_column(Text, default="")
    follows_id: Mapped[int | None] = mapped_column(ForeignKey("event.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    programme: Mapped[Programme] = relationship()
    subproject: Mapped[Subproject | None] = relationship(foreign_keys=[subproject_id])
    municipality: Mapped[Municipality | None] = relationship()
    organiser: Mapped[Organisation | None] = relationship()
    follows: Mapped[Event | None] = relationship(remote_side=[id])
    actions: Mapped[list[Action]] = relationship(secondary=event_actions, order_by=Action.title)
    milestones: Mapped[list[Milestone]] = relationship(
        secondary=event_milestones, order_by=Milestone.planned_date
    )
    workshops: Mapped[list[Workshop]] = relationship(
        back_populates="event", order_by="Workshop.id", cascade="all, delete-orphan"
    )
    registrations: Mapped[list[Registration]] = relationship(
        back_populates="event", cascade="all, delete-orphan"
    )
    pupils: Mapped[list[PupilsReached]] = relationship(
        back_populates="event", cascade="all, delete-orphan"
    )


class Workshop(db.Model):
    __tablename__ = "workshop"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    topic: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    event: Mapped[Event] = relationship(back_populates="workshops")
    organisations: Mapped[list[Organisation]] = relationship(
        secondary=workshop_organisations, order_by=Organisation.name
    )


class Registration(db.Model):
    """An organisation registered for an event; ``attended`` once the attendance is marked,
    ``wants_follow_up`` when it registered an interest in a follow-up event."""

    __tablename__ = "registration"
    __table_args__ = (UniqueConstraint("event_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    attended: Mapped[bool] = mapped_column(Boolean, default=False)
    wants_follow_up: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    event: Mapped[Event] = relationship(back_populates="registrations")
    organisation: Mapped[Organisation] = relationship()
    people: Mapped[list[RegisteredPerson]] = relationship(
        back_populates="registration", cascade="all, delete-orphan", order_by="RegisteredPerson.id"
    )


class RegisteredPerson(db.Model):
    """A contact person of the registered organisation who comes to the event. Personal data
    by way of the contact: only those who may see contact persons see it; erasing the contact
    removes it (tracker/stakeholders/privacy.py)."""

    __tablename__ = "registered_person"
    __table_args__ = (UniqueConstraint("registration_id", "contact_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registration.id", ondelete="CASCADE"), index=True
    )
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contact.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    registration: Mapped[Registration] = relationship(back_populates="people")
    contact: Mapped[Contact] = relationship()


class PupilsReached(db.Model):
    """How many pupils or students of one school and education level an event reached."""

    __tablename__ = "pupils_reached"
    __table_args__ = (
        UniqueConstraint("event_id", "school_id", "level"),
        CheckConstraint("level IN ('vmbo', 'mbo', 'hbo')", name="level"),
        CheckConstraint("number > 0", name="number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    level: Mapped[str] = mapped_column(String(4))
    number: Mapped[int]
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    event: Mapped[Event] = relationship(back_populates="pupils")
    school: Mapped[Organisation] = relationship()
