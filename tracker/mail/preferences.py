"""Whether a user wants reminder mails: on unless they switched them off."""

from __future__ import annotations

from sqlalchemy import select

from tracker.extensions import db
from tracker.mail.models import ReminderOptOut


def reminders_on(user_id: int) -> bool:
    return db.session.get(ReminderOptOut, user_id) is None


def opted_out(user_ids) -> set[int]:
    ids = list(user_ids)
    if not ids:
        return set()
    return set(
        db.session.scalars(select(ReminderOptOut.user_id).where(ReminderOptOut.user_id.in_(ids)))
    )


def set_reminders(user_id: int, on: bool) -> None:
    found = db.session.get(ReminderOptOut, user_id)
    if on and found is not None:
        db.session.delete(found)
    elif not on and found is None:
        db.session.add(ReminderOptOut(user_id=user_id))
