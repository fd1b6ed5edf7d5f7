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
