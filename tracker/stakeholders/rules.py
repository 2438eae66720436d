"""Rules of the stakeholder register, apart from Flask so they can be tested alone: how a name,
a website, an email address and a phone number are read, and how long contact data is kept."""

from __future__ import annotations

import difflib
import re
import unicodedata
from datetime import datetime, timedelta
from urllib.parse import urlsplit

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^\+?[0-9 ()\-]{6,20}$")
# "730d", "24m", "2y": an age as a number and a unit (days, months, years).
AGE = re.compile(r"^\s*(\d{1,4})\s*([dmy])\s*$", re.IGNORECASE)


def normalise_name(text: str | None) -> str:
    """A name as it is stored: trimmed, inner runs of spaces made one ("ROC  Flevoland "
    reads as "ROC Flevoland"), so the duplicate check sees what a person sees."""
    return " ".join((text or "").split())


def name_key(text: str | None) -> str:
    """What two names must share to be the same organisation (in one municipality)."""
    return normalise_name(text).casefold()


def normalise_website(text: str | None) -> str | None:
    """The website as a link that is safe to follow: ``www.rocflevoland.nl`` reads as
    ``https://www.rocflevoland.nl``; "" stays empty; anything not http(s) with a host (a
    ``javascript:`` link, a typo without a dot) is None, refused."""
    text = (text or "").strip()
    if not text:
        return ""
    if "://" not in text:
        text = "https://" + text
    try:
        parts = urlsplit(text)
        host = parts.hostname or ""
    except ValueError:  # "[" reads as half an IPv6 address
        return None
    if (
        parts.scheme.lower() not in ("http", "https")
        or "." not in host
        or any(c.isspace() for c in text)
    ):
        return None
    return text


def is_email(text: str | None) -> bool:
    return bool(EMAIL.match((text or "").strip()))


def normalise_phone(text: str | None) -> str | None:
    """A phone number as typed but trimmed (06-12345678, +31 320 123 456, (0320) 123456), or
    None when it holds anything but digits, spaces, brackets, dashes and one leading plus."""
    text = " ".join((text or "").split())
    if not text:
        return ""
    return text if PHONE.match(text) and sum(c.isdigit() for c in text) >= 6 else None


class BadAge(ValueError):
    """An age that is not a number followed by d, m or y."""


def parse_age(text: str) -> tuple[int, str]:
    """``"24m"`` as (24, "m"): a number of days (d), months (m) or years (y), at least 1."""
    match = AGE.match(text or "")
    if not match or int(match.group(1)) < 1:
        raise BadAge(text)
    return int(match.group(1)), match.group(2).lower()


def _months_back(moment: datetime, months: int) -> datetime:
    """``moment`` the given number of calendar months earlier; 31 March less one month is 28
    or 29 February (the last day of the shorter month)."""
    total = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    following = datetime(year + (month == 12), month % 12 + 1, 1)
    last_day = (following - datetime(year, month, 1)).days
    return moment.replace(year=year, month=month, day=min(moment.day, last_day))


def cutoff(now: datetime, text: str) -> datetime:
    """The moment before which contact data counts as older than ``text`` (e.g. "24m")."""
    amount, unit = parse_age(text)
    if unit == "d":
        return now - timedelta(days=amount)
    return _months_back(now, amount * 12 if unit == "y" else amount)


# Legal forms and filler words that say nothing about which organisation it is: "Bouwbedrijf
# Jansen B.V." and "bouwbedrijf jansen" are one company.
LEGAL_FORMS = frozenset({"bv", "nv", "vof", "cv", "bva", "ltd", "gmbh", "holding", "de", "het"})
SIMILAR_RATIO = 0.85


def similarity_key(text: str | None) -> str:
    """A name reduced to what tells organisations apart: no capitals, accents, punctuation,
    spaces or legal form ("Bouw-bedrijf Jansen B.V." and "bouwbedrijf jansen" share a key)."""
    plain = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    plain = re.sub(r"(?<=\b\w)\.(?=\w\b)", "", plain.casefold())  # "b.v." reads as "bv."
    words = re.findall(r"[a-z0-9]+", plain)
    kept = [w for w in words if w not in LEGAL_FORMS]
    return "".join(kept or words)


def names_look_alike(first: str | None, second: str | None) -> bool:
    """Whether two names probably name one organisation: the same key, one key inside the
    other ("ROC Flevoland" and "ROC Flevoland Almere"), or a typo apart."""
    a, b = similarity_key(first), similarity_key(second)
    if not a or not b:
        return False
    if a == b or (min(len(a), len(b)) >= 4 and (a in b or b in a)):
        return True
    return difflib.SequenceMatcher(None, a, b).ratio() >= SIMILAR_RATIO


def likely_first(organisation, candidates):
    """``candidates`` (objects with ``id``, ``name`` and ``municipality_id``) split into the
    likely duplicates of ``organisation`` (same municipality, a name that looks alike) and the
    rest, each by name; ``organisation`` itself is left out."""
    others = sorted(
        (c for c in candidates if c.id != organisation.id), key=lambda c: name_key(c.name)
    )
    likely = [
        c
        for c in others
        if c.municipality_id == organisation.municipality_id
        and names_look_alike(c.name, organisation.name)
    ]
    chosen = {c.id for c in likely}
    return likely, [c for c in others if c.id not in chosen]
