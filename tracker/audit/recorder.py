"""The audit trail, written by SQLAlchemy session events so that no view has to remember it.

Every ORM flush that creates, updates or deletes a domain record also inserts one AuditEntry per
record, on the same connection and so in the same transaction: if the change rolls back, its
audit entries roll back with it. The "before" values come from the database row as it was before
the flush (one query per table per flush), the "after" values from the flushed objects, so a
change is recorded whether or not the old value was loaded.

Bulk ``update()``/``delete()`` statements bypass the ORM and are not recorded: services write
through the ORM.
"""

from __future__ import annotations

import contextlib
import contextvars
from datetime import date, datetime
from decimal import Decimal

from flask import has_request_context
from sqlalchemy import event, inspect, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from tracker import timeutil
from tracker.audit.models import AuditEntry

REDACTED = "(changed)"
# What an audit entry holds where personal data was erased at the person's request (AVG).
ERASED = "(erased)"
SECRET_FIELDS = {"password_hash", "totp_secret"}
# Not worth an entry of their own: timestamps that change with every save.
NOISE_FIELDS = {"updated_at"}

_acting_user: contextvars.ContextVar[int | None] = contextvars.ContextVar(
    "audit_acting_user", default=None
)


class AuditEntryImmutable(RuntimeError):
    """Audit entries are append-only."""


@contextlib.contextmanager
def acting_user(user_id: int | None):
    """Attribute changes made outside a request (CLI, scripts) to ``user_id``."""
    token = _acting_user.set(user_id)
    try:
        yield
    finally:
        _acting_user.reset(token)


def _audited_classes():
    """The domain records. Not ClosedQuarter: closing and reopening a quarter write one entry of
    their own (tracker/reports/closing.py) without the snapshot and PDF bytes it holds."""
    from tracker import models

    return (
        models.Action,
        models.Milestone,
        models.MilestoneDateChange,
        models.Indicator,
        models.Measurement,
        models.QuarterlyUpdate,
        models.Organisation,
        models.SubprojectOrganisation,
        models.CircleMembership,
        models.Contact,
        models.Event,
        models.Workshop,
        models.Registration,
        models.RegisteredPerson,
        models.PupilsReached,
        models.Subproject,
        models.Programme,
        models.Municipality,
        models.Meeting,
        models.Decision,
        models.DecisionSubproject,
        models.RequestAdvice,
        models.ExceptionReport,
        models.Submission,
        models.SeasonSetting,
        models.User,
    )


def _current_user_id() -> int | None:
    explicit = _acting_user.get()
    if explicit is not None:
        return explicit
    if has_request_context():
        from flask_login import current_user

        user = current_user._get_current_object()
        if user is not None and user.is_authenticated:
            return user.id
    return None


def _jsonable(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def _columns(obj) -> list[tuple[str, object]]:
    """(attribute key, table column) of each mapped column of ``obj``."""
    mapper = inspect(obj).mapper
    return [(prop.key, prop.columns[0]) for prop in mapper.column_attrs]


def _value_pair(key: str, before, after) -> list:
    if key in SECRET_FIELDS:
        return [REDACTED if before is not None else None, REDACTED if after is not None else None]
    return [_jsonable(before), _jsonable(after)]


def _old_rows(session: Session, objects) -> dict[int, dict]:
    """The database rows of ``objects`` as they are before this flush: one query per table."""
    by_class: dict[type, list] = {}
    for obj in objects:
        by_class.setdefault(type(obj), []).append(obj)
    rows: dict[int, dict] = {}
    connection = session.connection()
    for cls, members in by_class.items():
        table = cls.__table__
        ids = {inspect(o).identity[0]: o for o in members if inspect(o).identity}
        if not ids:
            continue
        for row in connection.execute(select(table).where(table.c.id.in_(list(ids)))):
            data = dict(row._mapping)
            rows[id(ids[data["id"]])] = data
    return rows


def _in_order(objects: list, audited: tuple) -> list:
    """Records of one flush by kind, then id: ``session.dirty`` and ``session.deleted`` are
    sets, and one flush may change several records (the quarter form saves all of its own in
    one), whose entries should not come out in a different order from run to run."""
    rank = {cls: index for index, cls in enumerate(audited)}
    return sorted(objects, key=lambda o: (rank.get(type(o), len(rank)), inspect(o).identity))


def _before_flush(session: Session, _flush_context, _instances) -> None:
    audited = _audited_classes()
    for obj in session.dirty | session.deleted:
        if isinstance(obj, AuditEntry):
            raise AuditEntryImmutable("audit entries cannot be changed or deleted")
    dirty = _in_order([o for o in session.dirty if isinstance(o, audited)], audited)
    dirty = [o for o in dirty if session.is_modified(o)]
    deleted = _in_order([o for o in session.deleted if isinstance(o, audited)], audited)
    pending = session.info["audit_pending"] = {"new": [], "dirty": [], "deleted": []}
    old = _old_rows(session, dirty + deleted)
    pending["new"].extend(o for o in session.new if isinstance(o, audited))
    pending["dirty"].extend((o, old.get(id(o))) for o in dirty)
    pending["deleted"].extend((o, old.get(id(o))) for o in deleted)
    pending["user_id"] = _current_user_id()


def _after_flush(session: Session, _flush_context) -> None:
    pending = session.info.pop("audit_pending", None)
    if not pending:
        return
    entries = []
    for obj in pending["new"]:
        state = inspect(obj)
        values = {key: state.dict.get(key) for key, _ in _columns(obj)}
        changes = {
            key: _value_pair(key, None, value)
            for key, value in values.items()
            if value is not None and key not in NOISE_FIELDS and key != "id"
        }
        entries.append((obj, "create", changes, values))
    for obj, before in pending["dirty"]:
        if before is None:
            continue
        state = inspect(obj)
        changes = {}
        for key, column in _columns(obj):
            if key not in state.dict or key in NOISE_FIELDS:
                continue
            old, new = before.get(column.name), state.dict[key]
            if old != new:
                changes[key] = _value_pair(key, old, new)
        if set(changes) - {"version"}:
            entries.append((obj, "update", changes, {**before, **state.dict}))
    for obj, before in pending["deleted"]:
        if before is None:
            continue
        columns = dict(_columns(obj))
        changes = {
            key: _value_pair(key, before.get(column.name), None)
            for key, column in columns.items()
            if key != "id" and before.get(column.name) is not None
        }
        entries.append((obj, "delete", changes, before))
    if not entries:
        return
    subprojects = _subproject_ids(session, entries)
    at = timeutil.utcnow()
    session.connection().execute(
        AuditEntry.__table__.insert(),
        [
            {
                "at": at,
                "user_id": pending.get("user_id"),
                "entity": type(obj).__name__,
                "entity_id": values["id"],
                "action": action,
                "subproject_id": subprojects[index],
                "changes": changes,
            }
            for index, (obj, action, changes, values) in enumerate(entries)
        ],
    )
    session.info["audited"] = True  # the data changed: tracker.reports.fragments


def _subproject_ids(session: Session, entries) -> list[int | None]:
    """The subproject each entry belongs to, with one query per parent table at most."""
    from tracker import models

    indicator_ids = {
        values.get("indicator_id")
        for obj, _, _, values in entries
        if isinstance(obj, models.Measurement)
    }
    milestone_ids = {
        values.get("milestone_id")
        for obj, _, _, values in entries
        if isinstance(obj, models.MilestoneDateChange)
    }
    indicator_subprojects = _lookup(session, models.Indicator, indicator_ids)
    milestone_subprojects = _lookup(session, models.Milestone, milestone_ids)
    result = []
    for obj, _, _, values in entries:
        if isinstance(obj, models.Subproject):
            result.append(values.get("id"))
        elif isinstance(obj, models.Measurement):
            result.append(indicator_subprojects.get(values.get("indicator_id")))
        elif isinstance(obj, models.MilestoneDateChange):
            result.append(milestone_subprojects.get(values.get("milestone_id")))
        else:
            result.append(values.get("subproject_id"))
    return result


def _lookup(session: Session, cls, ids) -> dict[int, int | None]:
    """Each parent's subproject id as its row holds it after the flush: from the session where
    the parent is loaded (a form that writes a measurement has its indicator at hand), from the
    database for the rest."""
    found: dict[int, int | None] = {}
    missing = set()
    for parent_id in ids:
        if parent_id is None:
            continue
        parent = session.identity_map.get(identity_key(cls, parent_id))
        deleted = parent is not None and parent in session.deleted  # its row is gone: None
        loaded = inspect(parent).dict if parent is not None and not deleted else {}
        if "subproject_id" in loaded:
            found[parent_id] = loaded["subproject_id"]
        else:
            missing.add(parent_id)
    if missing:
        table = cls.__table__
        rows = session.connection().execute(
            select(table.c.id, table.c.subproject_id).where(table.c.id.in_(missing))
        )
        found.update(rows.all())
    return found


def install() -> None:
    """Listen on every Session (idempotent)."""
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "after_soft_rollback", _after_soft_rollback)


def _after_soft_rollback(session: Session, _previous_transaction) -> None:
    session.info.pop("audit_pending", None)
    session.info.pop("audited", None)


def record_link_change(session: Session, obj, field: str, before, after, subproject_id=None):
    """A change of an association table (a subproject's leads, an indicator's sources), which
    the flush events do not see, written as an update of ``obj`` (which has a ``name``) in the
    same transaction.

    The row of ``obj`` is touched too, so its version moves on and a form opened on the older
    version is refused (optimistic locking covers the links as well)."""
    from sqlalchemy.orm.attributes import flag_modified

    if inspect(obj).persistent:
        flag_modified(obj, "name")
    session.add(
        AuditEntry(
            user_id=_current_user_id(),
            entity=type(obj).__name__,
            entity_id=obj.id,
            action="update",
            subproject_id=subproject_id,
            changes={field: [before or None, after or None]},
        )
    )


def record_change(session: Session, obj, changes: dict, subproject_id=None) -> None:
    """A change the flush events do not see as such (organisations merged, a link table
    rewritten), written as an update of ``obj`` in the same transaction."""
    session.add(
        AuditEntry(
            user_id=_current_user_id(),
            entity=type(obj).__name__,
            entity_id=obj.id,
            action="update",
            subproject_id=subproject_id,
            changes=changes,
        )
    )


def erase_values(session: Session, entity: str, entity_id: int, fields) -> int:
    """The one change the audit trail allows: when a person's data is erased (AVG art. 17),
    the values of ``fields`` in every entry of that record become ERASED, in the same
    transaction as the erasure itself (flushed first, so its own delete entry is blanked too).
    Who changed what and when stays. Returns how many entries were blanked."""
    session.flush()
    table = AuditEntry.__table__
    rows = session.execute(
        select(table.c.id, table.c.changes).where(
            table.c.entity == entity, table.c.entity_id == entity_id
        )
    ).all()
    blanked = 0
    for entry_id, changes in rows:
        erased = {
            key: [None if v is None else ERASED for v in pair] if key in fields else pair
            for key, pair in (changes or {}).items()
        }
        if erased != changes:
            session.execute(update(table).where(table.c.id == entry_id).values(changes=erased))
            blanked += 1
    return blanked
