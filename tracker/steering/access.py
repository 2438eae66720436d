"""Who may read the decision log: the programme manager, the application manager and the
steering group read everything; a lead reads only the decisions that concern a subproject they
lead (linked to it, or with a follow-up action in it), and no meeting pages. Least privilege:
a lead has no need of the steering group's deliberations about other subprojects."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from tracker.steering import queries

READ_ALL_ROLES = ("admin", "manager", "steering")


def reads_everything(user) -> bool:
    return user.is_authenticated and user.role in READ_ALL_ROLES


def require_reader() -> None:
    """Meeting pages, the decision log and the steering pack: not for leads."""
    if not reads_everything(current_user):
        abort(403)


def led_ids(user) -> set[int]:
    if not user.is_authenticated or user.role != "lead":
        return set()
    return {s.id for s in user.led_subprojects}


def require_decision_reader(decision_id: int) -> None:
    if reads_everything(current_user):
        return
    if not queries.concerns(decision_id, led_ids(current_user)):
        abort(403)
