"""Calendar quarters such as ``2026-Q3`` (1 July to 30 September 2026)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date, timedelta

_PATTERN = re.compile(r"^(\d{4})-Q([1-4])$")

# The years a quarter in a URL or a form may name: a programme of this century, with room for
# the quarter before and after it (a report compares with the previous quarter).
SUPPORTED_YEARS = range(2000, 2100)


class InvalidQuarter(ValueError):
    pass


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    def __post_init__(self):
        if not 1 <= self.number <= 4:
            raise InvalidQuarter(f"quarter number must be 1-4, not {self.number}")
        if not 1900 <= self.year <= 2999:
            raise InvalidQuarter(f"year out of range: {self.year}")

    @classmethod
    @functools.lru_cache(maxsize=1024)  # noqa: B019 (a class lives as long as its cache)
    def parse(cls, text: str) -> Quarter:
        match = _PATTERN.match((text or "").strip().upper())
        if not match:
            raise InvalidQuarter(f"not a quarter (expected e.g. 2026-Q3): {text!r}")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def of(cls, day: date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> date:
        return _end_of(self.year, self.number)

    def next(self) -> Quarter:
        if self.number == 4:
            return Quarter(self.year + 1, 1)
        return Quarter(self.year, self.number + 1)

    def previous(self) -> Quarter:
        if self.number == 1:
            return Quarter(self.year - 1, 4)
        return Quarter(self.year, self.number - 1)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def __str__(self) -> str:
        return f"{self.year}-Q{self.number}"


@functools.cache
def _end_of(year: int, number: int) -> date:
    """A quarter's last day, remembered: reports ask it for every measurement they judge."""
    following = Quarter(year + 1, 1) if number == 4 else Quarter(year, number + 1)
    return following.start - timedelta(days=1)


def quarter_range(first: Quarter, last: Quarter) -> list[Quarter]:
    """Every quarter from ``first`` to ``last`` inclusive."""
    quarters = []
    current = first
    while current <= last:
        quarters.append(current)
        current = current.next()
    return quarters
