from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from tracker.extensions import db
from tracker.timeutil import utcnow


class AuditEntry(db.Model):
    """Append-only record of a create, update or delete: who, when, which record, what changed."""

    __tablename__ = "audit_entry"
    __table_args__ = (CheckConstraint("action IN ('create', 'update', 'delete')", name="action"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    entity: Mapped[str] = mapped_column(String(50))
    entity_id: Mapped[int]
    action: Mapped[str] = mapped_column(String(10))
    subproject_id: Mapped[int | None] = mapped_column(index=True)
    changes: Mapped[dict] = mapped_column(JSON, default=dict)
