"""Users and roles, as the admin screen changes them. Every change lands in the audit trail:
the recorder covers the user row; the subprojects a user leads (an association table the
recorder does not see) are recorded here as a change of the user's ``led_subprojects``."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, joinedload
from sqlalchemy.orm.attributes import flag_modified

from tracker.audit.models import AuditEntry
from tracker.auth.models import User
from tracker.auth.sessions import end_sessions
from tracker.editing import Invalid
from tracker.extensions import db
from tracker.i18n import gettext as _
from tracker.projects.models import Programme, Subproject
from tracker.security_events import recorder as security_log
from tracker.security_events.kinds import Kind, Outcome


def subprojects(led: Iterable[Subproject] = ()) -> list[Subproject]:
    """The subprojects a lead can be given: those of live programmes that are not archived, and
    those the user leads already (an archived one stays chosen until the admin takes it off, so
    that saving the form unchanged changes nothing)."""
    live = (
        select(Subproject)
        .join(Subproject.programme)
        .where(Subproject.archived_at.is_(None), Programme.archived_at.is_(None))
        .options(contains_eager(Subproject.programme))
    )
    found = {s.id: s for s in db.session.scalars(live)}
    for subproject in led:
        found.setdefault(subproject.id, subproject)
    return sorted(found.values(), key=lambda s: (s.programme.name, s.code, s.id))


def led_by(user: User) -> list[Subproject]:
    """The subprojects ``user`` leads, with their programme, in one query (the account page)."""
    return list(
        db.session.scalars(
            select(Subproject)
            .join(Subproject.leads)
            .where(User.id == user.id)
            .options(joinedload(Subproject.programme))
            .order_by(Subproject.code, Subproject.id)
        )
    )


def _codes(items) -> str:
    return ", ".join(sorted(s.code for s in items))


def _set_led(user: User, subproject_ids: list[int], acting_id: int | None) -> None:
    wanted = set(subproject_ids or [])
    current = {s.id for s in user.led_subprojects}
    if wanted == current:
        return
    before = _codes(user.led_subprojects)
    chosen = (
        list(db.session.scalars(select(Subproject).where(Subproject.id.in_(wanted))))
        if wanted
        else []
    )
    user.led_subprojects = chosen
    if user.id is not None:
        # A change of the association table alone moves no column: touch the row so that its
        # version moves on (optimistic locking) and the next form opened on it sees the change.
        flag_modified(user, "name")
    db.session.flush()
    db.session.add(
        AuditEntry(
            user_id=acting_id,
            entity="User",
            entity_id=user.id,
            action="update",
            changes={"led_subprojects": [before or None, _codes(chosen) or None]},
        )
    )


def create_user(data: dict, acting_id: int | None) -> User:
    email = data["email"].strip().lower()
    if db.session.scalar(select(User.id).where(func.lower(User.email) == email)):
        raise Invalid("email", _("A user with this email address exists already."))
    user = User(email=email, name=data["name"].strip(), role=data["role"])
    user.set_password(data["password"])
    db.session.add(user)
    db.session.flush()
    _set_led(user, data.get("led_subprojects") or [], acting_id)
    security_log.record(Kind.USER_CREATED, Outcome.SUCCESS, account=email, detail=user.role)
    return user


def update_user(user: User, data: dict, acting_id: int | None) -> None:
    if user.id == acting_id:
        if data["role"] != user.role and user.role == "admin":
            raise Invalid("role", _("You cannot take away your own admin role."))
        if not data["active"] and user.active:
            raise Invalid("active", _("You cannot deactivate yourself."))
    ends_sessions = data["role"] != user.role or bool(data["active"]) != user.active
    if data["role"] != user.role:
        role_change = f"{user.role} → {data['role']}"
        security_log.record(
            Kind.ROLE_CHANGED, Outcome.SUCCESS, account=user.email, detail=role_change
        )
    if bool(data["active"]) != user.active:
        kind = Kind.REACTIVATED if data["active"] else Kind.DEACTIVATED
        security_log.record(kind, Outcome.SUCCESS, account=user.email)
    user.name = data["name"].strip()
    user.role = data["role"]
    user.active = bool(data["active"])
    led = (data.get("led_subprojects") or []) if user.role == "lead" else []
    _set_led(user, led, acting_id)
    if ends_sessions:  # a new role or a deactivation counts from the next request on
        end_sessions(user)


def reset_password(user: User, password: str) -> None:
    """A new password ends every session of the user (whoever knew the old one is out)."""
    user.set_password(password)
    end_sessions(user)
    security_log.record(Kind.PASSWORD_RESET, Outcome.SUCCESS, account=user.email)


def change_own_password(user: User, password: str) -> None:
    """The caller renews the session (auth/sessions.renew): the user's other sessions end."""
    user.set_password(password)
    security_log.record(Kind.PASSWORD_CHANGED, Outcome.SUCCESS)


def authored_records(user: User) -> list[str]:
    """What the user wrote or changed: such a user is deactivated, never deleted."""
    from tracker.indicators.models import Measurement
    from tracker.milestones.models import MilestoneDateChange
    from tracker.projects.models import QuarterlyUpdate
    from tracker.quarters.models import ClosedQuarter, WithdrawnReport

    counts = [
        (Measurement.entered_by_id, _("measurements entered")),
        (MilestoneDateChange.changed_by_id, _("planned-date changes")),
        (QuarterlyUpdate.updated_by_id, _("quarterly updates")),
        (ClosedQuarter.closed_by_id, _("closed quarters")),
        (WithdrawnReport.closed_by_id, _("withdrawn reports")),
        (WithdrawnReport.withdrawn_by_id, _("withdrawn reports")),
        (AuditEntry.user_id, _("changes in the history")),
    ]
    found = []
    for column, label in counts:
        n = db.session.scalar(select(func.count()).where(column == user.id))
        if n:
            found.append(f"{n} {label}")
    return found


def delete_user(user: User, acting_id: int | None) -> None:
    if user.id == acting_id:
        raise Invalid("version", _("You cannot delete yourself."))
    if user.led_subprojects:
        _set_led(user, [], acting_id)
    security_log.record(Kind.USER_DELETED, Outcome.SUCCESS, account=user.email, detail=user.role)
    db.session.delete(user)
