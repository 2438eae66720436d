"""The login throttle's rule: how long to wait after how many failed log-ins.

Failures are counted in three scopes, each with its own allowance:

- one account from one address: the owner's typos and a single guesser (strict, up to 15 min);
- one account from every address: a guesser spread over many addresses. Its wait is capped
  low (a minute), because it is the one scope a stranger can fill for the owner: whoever tries
  the admin's account from elsewhere can make the admin wait that long at most;
- one address over every account: one machine trying many accounts.

After the allowance each further failure doubles the wait, up to the cap. While a wait runs,
log-ins in that scope are refused unseen (no password is checked, nothing is counted), so the
wait cannot be pushed further by hammering. A count starts again once its scope has seen no
failure for a while. Plain Python; the counts live in the database (auth/login_throttle.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum

from tracker.i18n import ngettext

MAX_DOUBLINGS = 30


class Scope(Enum):
    ACCOUNT_FROM_ADDRESS = "pair"
    ACCOUNT = "account"
    ADDRESS = "address"


@dataclass(frozen=True)
class Limit:
    free_failures: int
    first_delay_seconds: float
    max_delay_seconds: float


def delay_after(failures: int, limit: Limit) -> float:
    """Seconds to wait after the ``failures``-th failure in a row: none for the allowance, then
    the first delay, doubling with each further failure up to the cap."""
    if failures <= limit.free_failures:
        return 0.0
    doublings = min(failures - limit.free_failures - 1, MAX_DOUBLINGS)
    return min(limit.max_delay_seconds, limit.first_delay_seconds * 2**doublings)


def limits(config) -> dict[Scope, Limit]:
    """The three allowances, from the app's settings (TRACKER_LOGIN_*)."""
    first = float(config["LOGIN_FIRST_DELAY_SECONDS"])
    longest = float(config["LOGIN_MAX_DELAY_MINUTES"]) * 60
    return {
        Scope.ACCOUNT_FROM_ADDRESS: Limit(int(config["LOGIN_FREE_FAILURES"]), first, longest),
        Scope.ACCOUNT: Limit(
            int(config["LOGIN_FREE_FAILURES_PER_ACCOUNT"]),
            first,
            float(config["LOGIN_MAX_ACCOUNT_DELAY_SECONDS"]),
        ),
        Scope.ADDRESS: Limit(int(config["LOGIN_FREE_FAILURES_PER_ADDRESS"]), first, longest),
    }


def wait_text(seconds: float) -> str:
    """'45 seconden', '1 minuut', '15 minuten': how long, rounded up, as a person says it."""
    whole = max(1, math.ceil(seconds))
    if whole < 60:
        return ngettext("%(num)d second", "%(num)d seconds", whole)
    minutes = math.ceil(whole / 60)
    return ngettext("%(num)d minute", "%(num)d minutes", minutes)
