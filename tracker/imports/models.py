from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tracker.extensions import db
from tracker.timeutil import utcnow


class ImportRun(db.Model):
    """A confirmed upload being applied by a job, or its outcome: ``message`` in the language
    of the user who confirmed it, ``failed`` when nothing was applied. ``payload`` is the
    preview's rows as JSON, as the confirmation's signature vouched for them (the job needs no
    key); it is emptied once the job has run, since it holds the file's contents."""

    __tablename__ = "import_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    # what the upload applies to: the programme of a plan, the event of a registration list
    target_id: Mapped[int]
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    locale: Mapped[str] = mapped_column(String(10))
    payload: Mapped[str] = mapped_column(Text)
    done_url: Mapped[str] = mapped_column(String(300))
    retry_url: Mapped[str] = mapped_column(String(300))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    applied: Mapped[int | None] = mapped_column(Integer)
    failed: Mapped[bool] = mapped_column(default=False)
    message: Mapped[str | None] = mapped_column(Text)
