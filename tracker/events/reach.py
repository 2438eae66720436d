"""Reach per municipality and sector: which organisations of the register attended an event of
the programme in a year, which did not, and who attended one for the first time. Plain Python
over the rows the queries give, so the rule can be tested alone."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Member:
    """An organisation of the register with its municipality and sector (None: not given)."""

    id: int
    name: str
    municipality: str | None
    sector: str | None


@dataclass
class Group:
    municipality: str | None
    sector: str | None
    took_part: list[Member] = field(default_factory=list)
    first_time: list[Member] = field(default_factory=list)
    not_yet: list[Member] = field(default_factory=list)


def reach(
    members: Iterable[Member], attended: Iterable[tuple[int, date]], year: int
) -> list[Group]:
    """Groups by municipality and sector (those without either last), each with who attended an
    event in ``year``, who of those had attended none before the year, and who attended none in
    the year. ``attended`` holds (organisation id, event date) of every attended event."""
    first: dict[int, date] = {}
    this_year: set[int] = set()
    for organisation_id, held_on in attended:
        if held_on.year > year:
            continue
        if organisation_id not in first or held_on < first[organisation_id]:
            first[organisation_id] = held_on
        if held_on.year == year:
            this_year.add(organisation_id)
    groups: dict[tuple, Group] = {}
    for member in sorted(members, key=lambda m: m.name.lower()):
        key = (member.municipality, member.sector)
        group = groups.setdefault(key, Group(member.municipality, member.sector))
        if member.id in this_year:
            group.took_part.append(member)
            if first[member.id].year == year:
                group.first_time.append(member)
        else:
            group.not_yet.append(member)
    return [groups[k] for k in sorted(groups, key=_order)]


def _order(key: tuple) -> tuple:
    municipality, sector = key
    return (municipality is None, municipality or "", sector is None, sector or "")
