"""Rules of setting up a programme, apart from Flask so they can be tested alone."""

from __future__ import annotations

import re

from tracker.quarters import Quarter

CBS_CODE = re.compile(r"^GM\d{4}$")
CBS_CODE_EXAMPLE = "GM0034"

# The quarters whose report is a reporting moment, by the programme's reporting frequency.
REPORTING_QUARTERS = {"quarterly": (1, 2, 3, 4), "half_yearly": (2, 4), "yearly": (4,)}


def normalise_cbs_code(text: str) -> str | None:
    """The CBS municipality code ``text`` names (``gm0034`` and `` GM0034 `` read as GM0034),
    or None when it is not "GM" and four digits."""
    code = (text or "").strip().upper()
    return code if CBS_CODE.match(code) else None


def is_reporting_quarter(frequency: str, quarter: Quarter) -> bool:
    """Whether ``quarter`` ends a reporting period of a programme that reports ``frequency``."""
    return quarter.number in REPORTING_QUARTERS[frequency]
