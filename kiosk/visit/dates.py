"""Date rules the guides use, as pure functions: the visitor enters a date, the rule says where it stands.

`renewal_window`: a residence permit is renewed from 120 to 60 days before it ends (DOMAIN.md; ANEF
says "4 to 2 months"); filing later than that costs an extra fee, and after the end date the visitor is
no longer covered by the card.

Every date these functions return stays inside the calendar Python can hold (1 January of year 1 to
31 December 9999): the date step's buttons can reach both ends, and a date beyond them raised
OverflowError, which ended the visit.
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


def plus_days(value: dt.date, days: int) -> dt.date:
    """`value` moved by `days`, clamped to the first and last dates of the calendar."""
    ordinal = min(max(value.toordinal() + days, dt.date.min.toordinal()), dt.date.max.toordinal())
    return dt.date.fromordinal(ordinal)


def renewal_window(expiry: dt.date, today: dt.date) -> WindowResult:
    opens = plus_days(expiry, -OPENS_DAYS)          # an expiry in early year 1: opens on 1 January 1
    closes = plus_days(expiry, -CLOSES_DAYS)
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
    day inside the month (31 January + 1 month = 28 or 29 February) and the date inside the calendar
    (a step past 31 December 9999 or before 1 January 1 stops there)."""
    if field == "day":
        return plus_days(value, delta)
    months = value.year * 12 + value.month - 1 + (delta if field == "month" else 12 * delta)
    # The month count is clamped, not only the year: clamping the year alone took December 9999 + 1
    # month to January 9999, and January of year 1 - 1 month to December of year 1.
    months = min(max(months, dt.MINYEAR * 12), dt.MAXYEAR * 12 + 11)
    year, month = months // 12, months % 12 + 1
    return value.replace(year=year, month=month, day=min(value.day, calendar.monthrange(year, month)[1]))


RULES: dict[str, tuple[str, ...]] = {
    "renewal_window": ("early", "window", "late", "expired", UNKNOWN),
}
