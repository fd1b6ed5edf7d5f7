"""Renewal window and date stepping."""

from __future__ import annotations

import datetime as dt

import pytest

from kiosk.visit.dates import renewal_window, shift

TODAY = dt.date(2026, 11, 26)


@pytest.mark.parametrize(("days_left", "outcome"), [
    (200, "early"), (121, "early"), (120, "window"), (90, "window"), (60, "window"),
    (59, "late"), (0, "late"), (-1, "expired")])
def test_renewal_window(days_left: int, outcome: str) -> None:
    result = renewal_window(TODAY + dt.timedelta(days=days_left), TODAY)
    assert result.outcome == outcome
    assert result.opens == result.expiry - dt.timedelta(days=120)
    assert result.closes == result.expiry - dt.timedelta(days=60)


def test_shift_keeps_the_day_inside_the_month() -> None:
    assert shift(dt.date(2026, 1, 31), "month", 1) == dt.date(2026, 2, 28)
    assert shift(dt.date(2028, 1, 31), "month", 1) == dt.date(2028, 2, 29)
    assert shift(dt.date(2026, 12, 15), "month", 1) == dt.date(2027, 1, 15)
    assert shift(dt.date(2026, 1, 15), "month", -1) == dt.date(2025, 12, 15)
    assert shift(dt.date(2028, 2, 29), "year", 1) == dt.date(2029, 2, 28)
    assert shift(dt.date(2026, 3, 1), "day", -1) == dt.date(2026, 2, 28)


FIRST, LAST = dt.date.min, dt.date.max       # 1 January 1 and 31 December 9999


@pytest.mark.parametrize(("start", "field", "delta", "expected"), [
    (FIRST, "day", -1, FIRST), (FIRST, "month", -1, FIRST), (FIRST, "year", -1, FIRST),
    (LAST, "day", 1, LAST), (LAST, "month", 1, LAST), (LAST, "year", 1, LAST),
    (dt.date(1, 3, 31), "month", -5, dt.date(1, 1, 31)),
    (dt.date(9999, 6, 30), "year", 1, dt.date(9999, 12, 30)),
    (dt.date(9999, 11, 30), "month", 1, dt.date(9999, 12, 30)), (dt.date(1, 2, 1), "month", -1, FIRST),
    (FIRST, "day", -10**9, FIRST), (LAST, "year", 10**9, LAST),
])
def test_shift_stops_at_the_ends_of_the_calendar(start: dt.date, field: str, delta: int,
                                                 expected: dt.date) -> None:
    assert shift(start, field, delta) == expected


@pytest.mark.parametrize(("expiry", "outcome", "opens", "closes"), [
    (FIRST, "expired", FIRST, FIRST),
    (dt.date(1, 3, 1), "expired", FIRST, dt.date(1, 1, 1)),
    (dt.date(1, 4, 1), "expired", FIRST, dt.date(1, 1, 31)),
    (LAST, "early", dt.date(9999, 9, 2), dt.date(9999, 11, 1)),
])
def test_renewal_window_at_the_ends_of_the_calendar(expiry: dt.date, outcome: str, opens: dt.date,
                                                    closes: dt.date) -> None:
    result = renewal_window(expiry, TODAY)
    assert (result.outcome, result.expiry, result.opens, result.closes) == (outcome, expiry, opens, closes)
    assert renewal_window(TODAY, expiry).outcome in ("expired", "late", "window", "early")
