"""A plan of action read from the workbook: what it would create and change, and applying it.

Rows are matched to what exists: a subproject by its code within the programme, an action or
milestone by its title and an indicator by its name within its subproject (or the programme),
an organisation by its name, all without regard to case. A matched row whose fields are equal
changes nothing, so importing the same workbook twice changes nothing the second time. Nothing
is deleted. References between sheets (an action's subproject, its organisation, a programme
indicator's sources) may point at what exists or at what the workbook creates.

``make_plan`` only reads; ``apply`` writes through the set-up, indicator, action and milestone
services (so their checks and the audit trail apply) in the caller's transaction, and is only
called for a plan without errors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from openpyxl.utils import get_column_letter

from tracker.extensions import db
from tracker.i18n import gettext as _
from tracker.indicators import freshness
from tracker.indicators import services as indicator_services
from tracker.indicators import values as indicator_values
from tracker.milestones import services as milestone_services
from tracker.projects import services as project_services
from tracker.projects.models import Organisation, Programme
from tracker.setup import services as setup_services
from tracker.setup.workbook import SHEETS, CellError, Row

DATE_MOVE_REASON = "Plan van aanpak opnieuw ingelezen uit Excel"


@dataclass
class Item:
    """One row of the workbook in the preview: what it does, or what is wrong with it."""

    sheet: str
    row: int
    label: str
    change: str = "unchanged"  # new, changed, unchanged, error
    fields: list[str] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)


@dataclass
class Plan:
    items: list[Item]

    @property
    def errors(self) -> int:
        return sum(1 for i in self.items if i.errors)

    @property
    def changes(self) -> list[Item]:
        return [i for i in self.items if i.change in ("new", "changed")]

    def count(self, sheet: str, change: str) -> int:
        return sum(1 for i in self.items if i.sheet == sheet and i.change == change)

    def fingerprint(self) -> list:
        """What the confirmation promises; a plan that differs at apply time is refused."""
        return [[i.sheet, i.row, i.change, i.fields] for i in self.changes]


def _key(text) -> str:
    return " ".join(str(text or "").split()).casefold()


def _cell(sheet: str, column_key: str, row: int) -> tuple[str, str]:
    for index, column in enumerate(SHEETS[sheet], 1):
        if column.key == column_key:
            return f"{get_column_letter(index)}{row}", column.header
    raise KeyError(column_key)


def _header(sheet: str, column_key: str) -> str:
    return _cell(sheet, column_key, 1)[1]


def _date(value) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value


@dataclass
class _Op:
    """A row resolved against the database: its target (None: new) and its intended values."""

    item: Item
    row: Row
    target: object = None
    values: dict = field(default_factory=dict)


class _Resolver:
    """Resolves every row of the workbook against the programme's records, in sheet order."""

    def __init__(self, context: dict, rows: dict[str, list[Row]]):
        self.rows = rows
        self.municipalities = {_key(m.name): m for m in context["municipalities"]}
        self.organisations = {_key(o.name): o for o in context["organisations"]}
        # The register allows one name in several municipalities; the workbook names an
        # organisation by its name alone, so such a name is refused rather than guessed.
        named: dict[str, int] = {}
        for organisation in context["organisations"]:
            named[_key(organisation.name)] = named.get(_key(organisation.name), 0) + 1
        self.ambiguous_organisations = {name for name, count in named.items() if count > 1}
        self.subprojects = {_key(s.code): s for s in context["subprojects"]}
        self.users = {_key(u.email): u for u in context["lead_users"]}
        by_id = {s.id: s for s in context["subprojects"]}
        self.actions = {
            (_key(by_id[a.subproject_id].code), _key(a.title)): a for a in context["actions"]
        }
        self.milestones = {
            (_key(by_id[m.subproject_id].code), _key(m.title)): m for m in context["milestones"]
        }
        self.indicators = {
            (_key(by_id[i.subproject_id].code) if i.subproject_id else "", _key(i.name)): i
            for i in context["indicators"]
        }
        self.action_titles = {a.id: a.title for a in context["actions"]}
        # keys the workbook itself creates
        self.new_subprojects: set[str] = set()
        self.new_organisations: set[str] = set()
        self.new_actions: set[tuple[str, str]] = set()
        self.new_indicators: set[tuple[str, str]] = set()
        self.ops: dict[str, list[_Op]] = {}

    def resolve(self) -> list[_Op]:
        for sheet in ("Organisaties", "Deelprojecten", "Indicatoren", "Acties", "Mijlpalen"):
            method = getattr(self, "_" + sheet.lower())
            self.ops[sheet] = [method(row) for row in self.rows.get(sheet, [])]
        order = list(SHEETS)
        ops = [op for sheet in order for op in self.ops.get(sheet, [])]
        self._duplicates(ops)
        for op in ops:
            if op.item.errors:
                op.item.change = "error"
        return ops

    # helpers

    def _op(self, row: Row, label: str) -> _Op:
        return _Op(Item(row.sheet, row.row, label, errors=list(row.errors)), row)

    def _error(self, op: _Op, column_key: str, message: str) -> None:
        cell, header = _cell(op.row.sheet, column_key, op.row.row)
        op.item.errors.append(CellError(cell, header, message))

    @staticmethod
    def _ambiguous(name: str) -> str:
        return _(
            "More than one organisation in the tracker is called %(name)s (in different "
            "municipalities); the workbook cannot tell which one is meant. Give one of them a "
            "distinguishing name in the register first.",
            name=repr(name[:80]),
        )

    def _compare(self, op: _Op, target, pairs: dict) -> None:
        """``pairs``: column key -> (current value, intended value)."""
        op.target = target
        if target is None:
            op.item.change = "new"
            return
        op.item.fields = [
            _header(op.row.sheet, key) for key, (now, new) in pairs.items() if now != new
        ]
        op.item.change = "changed" if op.item.fields else "unchanged"

    def _subproject_known(self, op: _Op, code) -> bool:
        if _key(code) in self.subprojects or _key(code) in self.new_subprojects:
            return True
        self._error(
            op,
            "subproject",
            _("No subproject %(code)s, in the tracker or on the sheet Deelprojecten.", code=code),
        )
        return False

    def _duplicates(self, ops: list[_Op]) -> None:
        seen: dict[tuple, int] = {}
        for op in ops:
            key = (op.row.sheet, op.values.get("_key"))
            if op.values.get("_key") is None:
                continue
            if key in seen:
                first = _cell(op.row.sheet, _KEY_COLUMN[op.row.sheet], op.row.row)
                op.item.errors.append(
                    CellError(
                        first[0],
                        first[1],
                        _("This is also in row %(row)s of this sheet.", row=seen[key]),
                    )
                )
            else:
                seen[key] = op.row.row

    # sheets

    def _organisaties(self, row: Row) -> _Op:
        v = row.values
        op = self._op(row, v.get("name") or "")
        if row.errors:
            return op
        key = _key(v["name"])
        if key in self.ambiguous_organisations:
            self._error(op, "name", self._ambiguous(v["name"]))
            return op
        municipality = (
            self.municipalities.get(_key(v["municipality"])) if v["municipality"] else None
        )
        op.values = {
            "_key": key,
            "name": v["name"],
            "kind": v["kind"],
            "municipality_id": municipality.id if municipality else None,
        }
        target = self.organisations.get(key)
        if target is None:
            self.new_organisations.add(key)
        self._compare(
            op,
            target,
            {
                "name": (target.name if target else None, v["name"]),
                "kind": (target.kind if target else None, v["kind"]),
                "municipality": (
                    target.municipality_id if target else None,
                    op.values["municipality_id"],
                ),
            },
        )
        return op

    def _deelprojecten(self, row: Row) -> _Op:
        v = row.values
        op = self._op(row, f"{v.get('code') or ''} {v.get('name') or ''}".strip())
        if row.errors:
            return op
        key = _key(v["code"])
        target = self.subprojects.get(key)
        if target is not None and target.archived_at is not None:
            self._error(op, "code", _("This subproject is archived: restore it first."))
            return op
        leads = None
        if v["leads"] is not None:
            leads = []
            for email in v["leads"]:
                user = self.users.get(_key(email))
                if user is None:
                    self._error(
                        op,
                        "leads",
                        _(
                            "%(email)s is no active user with the role subproject lead.",
                            email=email,
                        ),
                    )
                else:
                    leads.append(user)
        municipality = self.municipalities[_key(v["municipality"])]
        op.values = {
            "_key": key,
            "code": v["code"],
            "name": v["name"],
            "aim": v["aim"] or "",
            "municipality_id": municipality.id,
            "lead_ids": sorted({u.id for u in leads}) if leads is not None else None,
        }
        if target is None:
            self.new_subprojects.add(key)
        pairs = {
            "code": (target.code if target else None, v["code"]),
            "name": (target.name if target else None, v["name"]),
            "aim": (target.aim if target else None, op.values["aim"]),
            "municipality": (target.municipality_id if target else None, municipality.id),
        }
        if leads is not None:
            now = sorted(u.id for u in target.leads) if target else None
            pairs["leads"] = (now, op.values["lead_ids"])
        self._compare(op, target, pairs)
        return op

    def _indicatoren(self, row: Row) -> _Op:
        v = row.values
        code = v.get("subproject")
        op = self._op(row, f"{code or _('Programme')} · {v.get('name') or ''}")
        if code and not self._subproject_known(op, code):
            return op
        if row.errors:
            return op
        key = (_key(code), _key(v["name"]))
        baseline, target_date = _date(v["baseline_date"]), _date(v["target_date"])
        if target_date <= baseline:
            self._error(op, "target_date", _("The target date must be after the baseline date."))
        if v["target_value"] == v["baseline_value"]:
            self._error(op, "target_value", _("The target must differ from the baseline."))
        for column in ("baseline_value", "target_value"):
            problem = indicator_values.value_problem(v[column], v["unit"])
            if problem == indicator_values.PERCENT_RANGE:
                self._error(op, column, _("A percentage lies between 0 and 100."))
        sources = self._sources(op, code, v)
        yearly = v["frequency"] == freshness.YEARLY
        if yearly and not v["publication_month"]:
            self._error(
                op, "publication_month", _("Choose the month in which the source publishes.")
            )
        op.values = {
            "_key": key,
            "subproject": _key(code),
            "name": v["name"],
            "unit": v["unit"],
            "definition": v["definition"] or "",
            "source": v["source"] or "",
            "direction": v["direction"],
            "baseline_value": v["baseline_value"],
            "baseline_date": baseline,
            "target_value": v["target_value"],
            "target_date": target_date,
            "frequency": v["frequency"],
            "publication_month": int(v["publication_month"])
            if yearly and v["publication_month"]
            else None,
            "rollup": v["rollup"],
            "aggregation": v["aggregation"],
            "sources": sources,
        }
        target = self.indicators.get(key)
        if target is None:
            self.new_indicators.add(key)
        pairs = {
            name: (getattr(target, name) if target else None, op.values[name])
            for name in indicator_services.INDICATOR_FIELDS
        }
        pairs["aggregation"] = (target.aggregation if target else None, v["aggregation"])
        pairs["publication_month"] = (
            target.publication_month if target else None,
            op.values["publication_month"],
        )
        if not code:
            now = (
                sorted((_key(s.subproject.code), _key(s.name)) for s in target.sources)
                if target
                else None
            )
            pairs["sources"] = (now, sources)
        self._compare(op, target, pairs)
        return op

    def _sources(self, op: _Op, code, v) -> list[tuple[str, str]]:
        if code:
            if v["aggregation"] or v["sources"]:
                self._error(
                    op,
                    "aggregation",
                    _("Only an indicator of the programme itself is computed from others."),
                )
            return []
        if v["aggregation"] and not v["sources"]:
            self._error(op, "sources", _("Name the subproject indicators it is computed from."))
        if v["sources"] and not v["aggregation"]:
            self._error(op, "aggregation", _("Choose how the value is computed."))
        found = []
        for text in v["sources"] or []:
            subproject, _sep, name = text.partition(":")
            key = (_key(subproject), _key(name))
            if not name.strip() or not key[0]:
                self._error(
                    op,
                    "sources",
                    _("Write each as code: name, such as DP1: Leerlingen bereikt."),
                )
            elif key not in self.indicators and key not in self.new_indicators:
                self._error(
                    op,
                    "sources",
                    _("No subproject indicator %(name)s.", name=repr(text.strip()[:80])),
                )
            else:
                found.append(key)
        return sorted(set(found))

    def _acties(self, row: Row) -> _Op:
        v = row.values
        op = self._op(row, f"{v.get('subproject') or ''} · {v.get('title') or ''}")
        if v.get("subproject") and not self._subproject_known(op, v["subproject"]):
            return op
        if row.errors:
            return op
        start, due = _date(v["start_date"]), _date(v["due_date"])
        if due < start:
            self._error(op, "due_date", _("The due date cannot lie before the start date."))
        owner = _key(v["owner"]) if v["owner"] else None
        if owner in self.ambiguous_organisations:
            self._error(op, "owner", self._ambiguous(v["owner"]))
        elif owner and owner not in self.organisations and owner not in self.new_organisations:
            self._error(
                op,
                "owner",
                _(
                    "No organisation %(name)s, in the tracker or on the sheet Organisaties.",
                    name=repr(v["owner"][:80]),
                ),
            )
        key = (_key(v["subproject"]), _key(v["title"]))
        op.values = {
            "_key": key,
            "subproject": key[0],
            "title": v["title"],
            "description": v["description"] or "",
            "owner": owner,
            "start_date": start,
            "due_date": due,
            "state": v["state"],
            "progress": v["progress"],
        }
        target = self.actions.get(key)
        if target is None:
            self.new_actions.add(key)
        current_owner = _key(target.owner.name) if target and target.owner else None
        pairs = {
            name: (getattr(target, name) if target else None, op.values[name])
            for name in ("title", "description", "start_date", "due_date", "state", "progress")
        }
        pairs["owner"] = (current_owner if target else None, owner)
        self._compare(op, target, pairs)
        return op

    def _mijlpalen(self, row: Row) -> _Op:
        v = row.values
        op = self._op(row, f"{v.get('subproject') or ''} · {v.get('title') or ''}")
        if v.get("subproject") and not self._subproject_known(op, v["subproject"]):
            return op
        if row.errors:
            return op
        code = _key(v["subproject"])
        action = (code, _key(v["action"])) if v["action"] else None
        if action and action not in self.actions and action not in self.new_actions:
            self._error(
                op,
                "action",
                _(
                    "Subproject %(code)s has no action %(title)s.",
                    code=v["subproject"],
                    title=repr(v["action"][:80]),
                ),
            )
        key = (code, _key(v["title"]))
        op.values = {
            "_key": key,
            "subproject": code,
            "title": v["title"],
            "description": v["description"] or "",
            "planned_date": _date(v["planned_date"]),
            "action": action,
        }
        target = self.milestones.get(key)
        current_action = None
        if target is not None and target.action_id is not None:
            current_action = (code, _key(self.action_titles.get(target.action_id)))
        self._compare(
            op,
            target,
            {
                "title": (target.title if target else None, v["title"]),
                "description": (target.description if target else None, op.values["description"]),
                "planned_date": (
                    target.planned_date if target else None,
                    op.values["planned_date"],
                ),
                "action": (current_action, action),
            },
        )
        return op


_KEY_COLUMN = {
    "Deelprojecten": "code",
    "Acties": "title",
    "Mijlpalen": "title",
    "Indicatoren": "name",
    "Organisaties": "name",
}


def make_plan(context: dict, rows: dict[str, list[Row]]) -> Plan:
    ops = _Resolver(context, rows).resolve()
    return Plan([op.item for op in sorted(ops, key=_order)])


def _order(op: _Op) -> tuple[int, int]:
    return list(SHEETS).index(op.row.sheet), op.row.row


def apply(programme: Programme, context: dict, rows: dict[str, list[Row]], user_id) -> Plan:
    """Write the plan in the caller's transaction; only call it for a plan without errors."""
    resolver = _Resolver(context, rows)
    ops = resolver.resolve()
    plan = Plan([op.item for op in sorted(ops, key=_order)])
    if plan.errors:
        raise ValueError("a plan with errors is not applied")
    by = {sheet: [op for op in ops if op.row.sheet == sheet] for sheet in SHEETS}
    organisations = dict(resolver.organisations)
    subprojects = dict(resolver.subprojects)
    indicators = dict(resolver.indicators)
    actions = dict(resolver.actions)
    users = {u.id: u for u in context["lead_users"]}

    for op in _changing(by["Organisaties"]):
        organisation = op.target or Organisation()
        if op.target is None:
            db.session.add(organisation)
        for name in ("name", "kind", "municipality_id"):
            setattr(organisation, name, op.values[name])
        organisations[op.values["_key"]] = organisation
    db.session.flush()

    for op in _changing(by["Deelprojecten"]):
        target = op.target
        lead_ids = op.values["lead_ids"]
        leads = (
            [users[i] for i in lead_ids]
            if lead_ids is not None
            else list(target.leads)
            if target
            else []
        )
        subprojects[op.values["_key"]] = setup_services.save_subproject(
            target, programme, op.values, leads
        )
    db.session.flush()

    indicator_ops = _changing(by["Indicatoren"])
    for op in [o for o in indicator_ops if o.values["subproject"]]:
        subproject = subprojects[op.values["subproject"]]
        indicators[op.values["_key"]] = indicator_services.save_indicator(
            op.target, subproject, op.values
        )
    db.session.flush()
    for op in [o for o in indicator_ops if not o.values["subproject"]]:
        sources = [indicators[key] for key in op.values["sources"]]
        indicators[op.values["_key"]] = indicator_services.save_programme_indicator(
            op.target, programme.id, op.values, sources
        )

    for op in _changing(by["Acties"]):
        data = dict(op.values)
        data["owner_id"] = organisations[op.values["owner"]].id if op.values["owner"] else None
        actions[op.values["_key"]] = project_services.save_action(
            op.target, subprojects[op.values["subproject"]].id, data
        )
    db.session.flush()

    for op in _changing(by["Mijlpalen"]):
        milestone = op.target
        action = actions[op.values["action"]] if op.values["action"] else None
        data = {
            "title": op.values["title"],
            "description": op.values["description"],
            "planned_date": op.values["planned_date"],
            "action_id": action.id if action else None,
            "reason": DATE_MOVE_REASON,
        }
        for name in ("forecast_date", "at_risk", "achieved_on", "evidence"):
            data[name] = getattr(milestone, name) if milestone else None
        data["at_risk"] = bool(data["at_risk"])
        data["evidence"] = data["evidence"] or ""
        milestone_services.save_milestone(
            milestone, subprojects[op.values["subproject"]].id, data, user_id
        )
    db.session.flush()
    return plan


def _changing(ops: list[_Op]) -> list[_Op]:
    return [op for op in ops if op.item.change in ("new", "changed")]
