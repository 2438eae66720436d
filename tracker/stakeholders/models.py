"""Membership of TechNet circles and contact persons. The organisation itself and its part in a
subproject live with the subprojects (tracker/projects/models.py), which link to them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.auth.models import User
from tracker.extensions import db
from tracker.projects.models import Organisation
from tracker.timeutil import utcnow

# The fields of a contact that are personal data: the export lists them, erasure blanks them in
# the audit trail as well.
PERSONAL_FIELDS = ("name", "function", "email", "phone")


class CircleMembership(db.Model):
    """An organisation taking part in a TechNet circle (itself an organisation of that kind)."""

    __tablename__ = "circle_membership"
    __table_args__ = (
        UniqueConstraint("circle_id", "member_id"),
        CheckConstraint("circle_id <> member_id", name="not_itself"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    circle_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    circle: Mapped[Organisation] = relationship(foreign_keys=[circle_id])
    member: Mapped[Organisation] = relationship(foreign_keys=[member_id])


class Contact(db.Model):
    """A contact person of an organisation: personal data. Only the programme manager and the
    admin see it; ``purpose`` says why it is kept (AVG art. 5), ``confirmed_at`` when it was
    last saved or confirmed as current, which is what the retention purge looks at."""

    __tablename__ = "contact"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    function: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    purpose: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    confirmed_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    organisation: Mapped[Organisation] = relationship()
    recorded_by: Mapped[User | None] = relationship()
