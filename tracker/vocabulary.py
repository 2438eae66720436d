"""Stored codes that carry their own vocabulary, in the spirit of Indico's ``RichStrEnum``.

A status is stored and compared as its plain code (``"on_track"``), and each member also knows
how the interface tells it: its label (translated when read), a symbol, a tone (one colour, the
same on a badge, in a chart and in the PDF), a chart marker, a bar pattern and its urgency.
Symbol, marker and pattern tell a status without colour, for colour-blind readers.

Pages, charts, the PDF and the exports read all of this from the member, so adding a status is
one line in its enum (see README, "How to add a status").
"""

from __future__ import annotations

from enum import Enum, StrEnum

from flask_babel import gettext


def N_(message: str) -> str:  # noqa: N802  (gettext's conventional name for a marked msgid)
    """Mark ``message`` for the catalogues; it is translated when read (``label``)."""
    return message


class Tone(Enum):
    """The colours statuses are told by. One hex per tone for text, badges and chart fills alike,
    dark enough for white text on it (contrast at least 4.5:1, WCAG AA)."""

    GREEN = "green", "#1d6b32"
    AMBER = "amber", "#b35c00"
    RED = "red", "#b3261e"
    BLUE = "blue", "#1f5fa8"
    GREY = "grey", "#5f6770"

    def __init__(self, css_name: str, colour: str):
        self.css_name = css_name
        self.colour = colour

    @property
    def css_class(self) -> str:
        return f"tone-{self.css_name}"


class RichStrEnum(StrEnum):
    """A code with its vocabulary: ``MEMBER = code, label, symbol, tone, marker, pattern, urgency``.

    ``marker`` is a Plotly marker symbol, ``pattern`` a Plotly bar pattern shape ("" for solid);
    ``urgency`` orders what needs attention first (0 = most urgent). Members are listed in the
    order charts and legends show them.
    """

    def __new__(
        cls,
        code: str,
        label: str,
        symbol: str,
        tone: Tone,
        marker: str,
        pattern: str,
        urgency: int,
    ):
        member = str.__new__(cls, code)
        member._value_ = code
        member.msgid = label
        member.symbol = symbol
        member.tone = tone
        member.marker = marker
        member.pattern = pattern
        member.urgency = urgency
        return member

    @property
    def label(self) -> str:
        """The label in the current language (English outside a request)."""
        return gettext(self.msgid)

    @property
    def colour(self) -> str:
        return self.tone.colour

    @property
    def css_class(self) -> str:
        return self.tone.css_class

    @property
    def order(self) -> int:
        """Position in charts and legends: the order the members are defined in."""
        return list(type(self)).index(self)

    @classmethod
    def get(cls, code: object) -> RichStrEnum | None:
        """The member for a stored code, or ``None`` for an empty or unknown one (NaN included)."""
        if isinstance(code, str):
            # the value map, not ``cls(code)``: the dashboard asks this for every row it charts
            return cls._value2member_map_.get(code)
        return None

    @classmethod
    def labels(cls) -> dict[str, str]:
        """Code to label in the current language, for lookups keyed by the stored code (the
        exports, the audit log)."""
        return {member.value: member.label for member in cls}

    @classmethod
    def by_urgency(cls) -> list[RichStrEnum]:
        return sorted(cls, key=lambda member: member.urgency)


class NoStatus(RichStrEnum):
    """What a chart or table shows where a status is missing (no quarterly update, say)."""

    NONE = "none", N_("Unknown"), "○", Tone.GREY, "circle-open", "-", 9
