"""Date rules the guides use, as pure functions: the visitor enters a date, the rule says where it stands.

`renewal_window`: a residence permit is renewed from 120 to 60 days before it ends (DOMAIN.md; ANEF
says "4 to 2 months"); filing later than that costs an extra fee, and after the end date the visitor is
no longer covered by the card.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

OPENS_DAYS, CLOSES_DAYS = 120, 60
UNKNOWN = "unknown"            # every rule's way out: "I don't know the date"


@dataclass(frozen=True)
class WindowResult:
    outcome: str               # early | window | late | expired
    expiry: dt.date
    opens: dt.date             # first day to file
    closes: dt.date            # last day to file without the late fee


def renewal_window(expiry: dt.date, today: dt.date) -> WindowResult:
    opens = expiry - dt.timedelta(days=OPENS_DAYS)
    closes = expiry - dt.timedelta(days=CLOSES_DAYS)
    if today < opens:
        outcome = "early"
    elif today <= closes:
        outcome = "window"
    elif today <= expiry:
        outcome = "late"
    else:
        outcome = "expired"
    return WindowResult(outcome, expiry, opens, closes)


def shift(value: dt.date, field: str, delta: int) -> dt.date:
    """Move a date by `delta` days, months or years (field "day", "month" or "year"), keeping the
    day inside the month (31 January + 1 month = 28 or 29 February)."""
    if field == "day":
        return value + dt.timedelta(days=delta)
    months = value.month - 1 + (delta if field == "month" else 12 * delta)
    year, month = value.year + months // 12, months % 12 + 1
    year = min(max(year, dt.MINYEAR), dt.MAXYEAR)
    return value.replace(year=year, month=month, day=min(value.day, calendar.monthrange(year, month)[1]))


RULES: dict[str, tuple[str, ...]] = {
    "renewal_window": ("early", "window", "late", "expired", UNKNOWN),
}
