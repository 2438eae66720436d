"""A registration list of an event read from a spreadsheet, and what importing it would do.

Plain Python on plain values (no Flask, no database), so the rules are tested alone:
:mod:`tracker.events.list_file` turns an uploaded xlsx or CSV file into rows of cells,
:mod:`tracker.events.list_import` gathers the :class:`Context` and applies a plan without errors.

The rules:

- An organisation is matched on its name and municipality, without regard to case and to
  spaces around and between words. A row without a municipality matches the one organisation of
  that name; a name held by several organisations in different municipalities is an error (the
  list must say which). An organisation not in the register is added to it (its kind is then
  required).
- Rows of the same organisation (same name and municipality) are one organisation and one
  registration; each row may name one of its people. The same organisation and person twice is a
  duplicate row.
- A person is matched among the organisation's contact persons on the email address, or, when
  either has none, on the name. Only those who may keep contact persons import people.
- *Aanwezig* and *Belangstelling vervolg* say ja or nee; empty leaves what was marked (nee for a
  new registration). One row of an organisation saying ja is enough.

Messages are msgids (marked with ``N_``) with their values; the pages translate them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from tracker.stakeholders.rules import is_email, name_key, normalise_name
from tracker.vocabulary import N_

EXAMPLE_MARK = "VOORBEELD"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    max_length: int = 200


COLUMNS = (
    Column("organisation", "Organisatie"),
    Column("municipality", "Gemeente"),
    Column("kind", "Soort"),
    Column("sector", "Sector"),
    Column("person", "Contactpersoon"),
    Column("function", "Functie"),
    Column("email", "E-mail", max_length=254),
    Column("attended", "Aanwezig", max_length=10),
    Column("follow_up", "Belangstelling vervolg", max_length=10),
)
HEADERS = tuple(c.header for c in COLUMNS)
PERSON_KEYS = ("person", "function", "email")
YES = {"ja", "j", "yes", "y", "x", "1", "waar", "true"}
NO = {"nee", "n", "no", "0", "onwaar", "false"}


@dataclass(frozen=True)
class Problem:
    """What is wrong, in which column (its Dutch header; "" for the list as a whole)."""

    column: str
    message: str
    params: dict = field(default_factory=dict)


class ListRefused(ValueError):
    """The file as a whole cannot be read as a registration list."""

    def __init__(self, message: str, **params):
        super().__init__(message)
        self.message = message
        self.params = params


@dataclass
class ListRow:
    row: int  # as numbered in the spreadsheet (the header is row 1)
    values: dict
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class Vocabulary:
    """The names a cell may hold, by their key (``name_key``): municipality name to its id, and
    the Dutch label (or stored code) of a kind and of a sector to its code."""

    municipalities: dict[str, int]
    kinds: dict[str, str]
    sectors: dict[str, str]


def check_header(cells) -> None:
    found = tuple(normalise_name(str(c)) if c is not None else "" for c in cells)
    found = found[: len(HEADERS)] + ("",) * (len(HEADERS) - len(found))
    if tuple(h.casefold() for h in found) != tuple(h.casefold() for h in HEADERS):
        raise ListRefused(
            N_(
                "The columns are not those of the registration list. The first row must read: "
                "%(headers)s. Use the downloaded template."
            ),
            headers=", ".join(HEADERS),
        )


def read_rows(table: Iterable, vocabulary: Vocabulary, max_rows: int) -> list[ListRow]:
    """Every filled-in row below the header, each cell checked on its own. Empty rows and rows
    whose organisation starts with VOORBEELD are skipped."""
    rows: list[ListRow] = []
    header_seen = False
    for number, cells in enumerate(table, 1):
        cells = tuple(cells or ())
        if not header_seen:
            check_header(cells)
            header_seen = True
            continue
        cells = cells[: len(COLUMNS)] + (None,) * (len(COLUMNS) - len(cells))
        if all(_blank(c) for c in cells):
            continue
        if str(cells[0] or "").strip().startswith(EXAMPLE_MARK):
            continue
        if len(rows) >= max_rows:
            raise ListRefused(N_("The file has more than %(max)s rows."), max=max_rows)
        rows.append(_read_row(number, cells, vocabulary))
    if not header_seen:
        raise ListRefused(N_("The file is empty."))
    if not rows:
        raise ListRefused(N_("The list holds no registrations: fill in a row below the header."))
    return rows


def _blank(cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _text(cell) -> str:
    if isinstance(cell, datetime | date):
        return cell.strftime("%d-%m-%Y")
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    text = normalise_name(str(cell))
    return text[1:] if text.startswith("'") else text  # a neutralised formula start


def _read_row(number: int, cells: tuple, vocabulary: Vocabulary) -> ListRow:
    row = ListRow(number, {})
    for column, cell in zip(COLUMNS, cells, strict=True):
        text = "" if _blank(cell) else _text(cell)
        if len(text) > column.max_length:
            row.problems.append(
                Problem(
                    column.header, N_("At most %(num)d characters."), {"num": column.max_length}
                )
            )
            text = ""
        row.values[column.key] = text
    values = row.values
    if not values["organisation"]:
        row.problems.append(Problem("Organisatie", N_("Fill in the organisation's name.")))
    values["municipality_id"] = _look_up(
        row,
        "Gemeente",
        vocabulary.municipalities,
        N_("%(value)s is not a municipality in the tracker."),
    )
    values["kind_code"] = _look_up(
        row, "Soort", vocabulary.kinds, N_("%(value)s is not a kind of organisation.")
    )
    values["sector_code"] = _look_up(
        row, "Sector", vocabulary.sectors, N_("%(value)s is not a sector.")
    )
    if values["email"] and not is_email(values["email"]):
        row.problems.append(
            Problem("E-mail", N_("Enter an email address such as naam@example.org."))
        )
    if not values["person"] and (values["function"] or values["email"]):
        row.problems.append(
            Problem(
                "Contactpersoon",
                N_("Fill in the contact person's name, or leave Functie and E-mail empty."),
            )
        )
    values["attended"] = _yes_no(row, "Aanwezig", cells[7])
    values["follow_up"] = _yes_no(row, "Belangstelling vervolg", cells[8])
    return row


def _look_up(row: ListRow, header: str, names: dict, message: str):
    key = next(c.key for c in COLUMNS if c.header == header)
    text = row.values[key]
    if not text:
        return None
    found = names.get(name_key(text))
    if found is None:
        row.problems.append(Problem(header, message, {"value": text[:60]}))
    return found


def _yes_no(row: ListRow, header: str, cell) -> bool | None:
    if isinstance(cell, bool):
        return cell
    if _blank(cell):
        return None
    text = _text(cell).casefold()
    if text in YES:
        return True
    if text in NO:
        return False
    row.problems.append(Problem(header, N_("Fill in ja or nee (or leave it empty).")))
    return None


# --- What importing would do ----------------------------------------------------------------


@dataclass(frozen=True)
class KnownOrganisation:
    id: int
    name: str
    municipality_id: int | None
    archived: bool = False


@dataclass(frozen=True)
class KnownContact:
    id: int
    organisation_id: int
    name: str
    email: str


@dataclass(frozen=True)
class KnownRegistration:
    organisation_id: int
    attended: bool
    wants_follow_up: bool
    contact_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Context:
    organisations: tuple[KnownOrganisation, ...]
    contacts: tuple[KnownContact, ...]
    registrations: tuple[KnownRegistration, ...]
    quarter_closed: bool = False
    may_record_people: bool = False


# What a row does, in the preview's words (msgids).
NEW_ORGANISATION = "new_organisation"
EXISTING_ORGANISATION = "existing_organisation"
NEW_REGISTRATION = "new_registration"
ALREADY_REGISTERED = "already_registered"
NEW_PERSON = "new_person"
EXISTING_PERSON = "existing_person"
PERSON_ALREADY = "person_already"


@dataclass
class Item:
    """One row of the list in the preview: what it does to the register and the event."""

    row: int
    organisation: str
    municipality_id: int | None
    person: str
    organisation_id: int | None = None  # None: new to the register
    registration: str = NEW_REGISTRATION
    person_action: str | None = None
    contact_id: int | None = None
    attended: bool | None = None
    follow_up: bool | None = None
    problems: list[Problem] = field(default_factory=list)
    values: dict = field(default_factory=dict)

    @property
    def organisation_action(self) -> str:
        return NEW_ORGANISATION if self.organisation_id is None else EXISTING_ORGANISATION

    @property
    def group(self) -> tuple:
        return (name_key(self.organisation), self.municipality_id)


@dataclass
class Change:
    """What importing does to one organisation's registration, all its rows together."""

    group: tuple
    organisation_id: int | None
    new_registration: bool
    attended: bool | None  # None: leave as it is
    follow_up: bool | None
    new_people: list[int] = field(default_factory=list)  # rows whose person is new
    existing_people: list[int] = field(default_factory=list)  # contact ids to add


@dataclass
class Plan:
    items: list[Item]
    problems: list[Problem] = field(default_factory=list)  # of the list as a whole
    changes: list[Change] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return len(self.problems) + sum(1 for i in self.items if i.problems)

    @property
    def changes_anything(self) -> bool:
        return any(
            c.new_registration
            or c.new_people
            or c.existing_people
            or c.attended is not None
            or c.follow_up is not None
            for c in self.changes
        )

    def fingerprint(self) -> list:
        """What the confirmation promises; a plan that differs at apply time is refused."""
        return [
            [
                c.organisation_id,
                c.new_registration,
                c.attended,
                c.follow_up,
                c.new_people,
                sorted(c.existing_people),
            ]
            for c in self.changes
        ]


def make_plan(rows: list[ListRow], context: Context) -> Plan:
    items = [_item(row, context) for row in rows]
    plan = Plan(items)
    if context.quarter_closed:
        plan.problems.append(
            Problem(
                "",
                N_(
                    "The event lies in a closed quarter: its registrations are part of an "
                    "approved report and cannot change."
                ),
            )
        )
    _mark_duplicates(items)
    _require_kinds(items)
    if plan.errors == 0:
        plan.changes = _changes(items, context)
    return plan


def _item(row: ListRow, context: Context) -> Item:
    values = row.values
    item = Item(
        row=row.row,
        organisation=normalise_name(values.get("organisation")),
        municipality_id=values.get("municipality_id"),
        person=values.get("person", ""),
        attended=values.get("attended"),
        follow_up=values.get("follow_up"),
        problems=list(row.problems),
        values=values,
    )
    if item.problems:
        return item
    organisation = _organisation(item, context)
    if organisation is not None:
        item.organisation_id = organisation.id
        item.municipality_id = organisation.municipality_id
    registered = {r.organisation_id: r for r in context.registrations}
    if item.organisation_id in registered:
        item.registration = ALREADY_REGISTERED
    if item.person:
        _person(item, context, registered.get(item.organisation_id))
    return item


def _organisation(item: Item, context: Context) -> KnownOrganisation | None:
    key = name_key(item.organisation)
    named = [o for o in context.organisations if name_key(o.name) == key]
    if item.municipality_id is not None:
        named = [o for o in named if o.municipality_id == item.municipality_id]
    elif len(named) > 1:
        named_here = [o for o in named if o.municipality_id is None]
        if len(named_here) != 1:
            item.problems.append(
                Problem(
                    "Organisatie",
                    N_(
                        "%(num)d organisations in the register have this name: fill in "
                        "Gemeente to say which one is meant."
                    ),
                    {"num": len(named)},
                )
            )
            return None
        named = named_here
    if not named:
        return None
    organisation = named[0]
    if organisation.archived:
        item.problems.append(
            Problem(
                "Organisatie",
                N_(
                    "%(name)s is archived in the register: the programme manager restores it first."
                ),
                {"name": organisation.name},
            )
        )
    return organisation


def _person(item: Item, context: Context, registration: KnownRegistration | None) -> None:
    if not context.may_record_people:
        item.problems.append(
            Problem(
                "Contactpersoon",
                N_(
                    "Only the programme manager records contact persons (personal data). Leave "
                    "Contactpersoon, Functie and E-mail empty, or ask the programme manager to "
                    "import this list."
                ),
            )
        )
        return
    email = item.values.get("email", "").casefold()
    found = None
    if item.organisation_id is not None:
        for contact in context.contacts:
            if contact.organisation_id != item.organisation_id:
                continue
            if email and contact.email:
                same = contact.email.casefold() == email
            else:
                same = name_key(contact.name) == name_key(item.person)
            if same:
                found = contact
                break
    if found is None:
        item.person_action = NEW_PERSON
    else:
        item.contact_id = found.id
        already = registration is not None and found.id in registration.contact_ids
        item.person_action = PERSON_ALREADY if already else EXISTING_PERSON


def _mark_duplicates(items: list[Item]) -> None:
    seen: dict[tuple, int] = {}
    for item in items:
        if not item.organisation:
            continue
        key = (item.group, name_key(item.person))
        if key in seen:
            item.problems.append(
                Problem(
                    "Organisatie",
                    N_(
                        "The same organisation and person as row %(row)s: remove one of the two "
                        "rows."
                    ),
                    {"row": seen[key]},
                )
            )
        else:
            seen[key] = item.row


def _require_kinds(items: list[Item]) -> None:
    """A new organisation needs its kind, from any of its rows."""
    kinds: dict[tuple, str] = {}
    for item in items:
        if item.values.get("kind_code"):
            kinds.setdefault(item.group, item.values["kind_code"])
    for item in items:
        new = item.organisation and item.organisation_id is None and not item.problems
        if new and item.group not in kinds:
            item.problems.append(
                Problem("Soort", N_("Fill in the kind: the organisation is new to the register."))
            )


def new_organisation_values(items: list[Item], group: tuple) -> dict:
    """Name, municipality, kind and sector of a new organisation, from its rows."""
    members = [i for i in items if i.group == group]
    first = members[0]

    def first_of(key):
        return next((m.values[key] for m in members if m.values.get(key)), None)

    return {
        "name": first.organisation,
        "municipality_id": first.municipality_id,
        "kind": first_of("kind_code"),
        "sector": first_of("sector_code"),
        "website": "",
    }


def _combined(values: list[bool | None]) -> bool | None:
    """One ja among an organisation's rows is enough; nee only when none says ja."""
    if True in values:
        return True
    return False if False in values else None


def _changes(items: list[Item], context: Context) -> list[Change]:
    registered = {r.organisation_id: r for r in context.registrations}
    groups: dict[tuple, list[Item]] = {}
    for item in items:
        groups.setdefault(item.group, []).append(item)
    changes = []
    for group, members in groups.items():
        first = members[0]
        existing = registered.get(first.organisation_id)
        attended = _combined([m.attended for m in members])
        follow_up = _combined([m.follow_up for m in members])
        if existing is None:
            attended, follow_up = bool(attended), bool(follow_up)
        else:
            attended = None if attended in (None, existing.attended) else attended
            follow_up = None if follow_up in (None, existing.wants_follow_up) else follow_up
        changes.append(
            Change(
                group=group,
                organisation_id=first.organisation_id,
                new_registration=existing is None,
                attended=attended,
                follow_up=follow_up,
                new_people=[m.row for m in members if m.person_action == NEW_PERSON],
                existing_people=[
                    m.contact_id for m in members if m.person_action == EXISTING_PERSON
                ],
            )
        )
    return changes
