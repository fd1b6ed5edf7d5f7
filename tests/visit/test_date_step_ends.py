"""The date step at the ends of the calendar: the +/- buttons stop at 31 December 9999 and 1 January 1,
the page still says where the visitor stands, and Continue goes on with the visit (a date past either
end raised OverflowError in a slot, which ended the visit)."""

from __future__ import annotations

import datetime as dt

from screen_input import click

from kiosk.content.model import StepKind
from kiosk.paths import DEFAULT_PACK


def test_the_date_step_stops_at_both_ends_of_the_calendar(make_kiosk, qtbot) -> None:  # noqa: ANN001
    kiosk = make_kiosk(pack=DEFAULT_PACK)
    w = kiosk.window
    click(qtbot, w.attract._start)
    click(qtbot, w.language_page.buttons["fr"])
    kiosk.controller.choose_procedure("renewal")
    while kiosk.visit.state.step.kind is not StepKind.DATE:
        step = kiosk.visit.state.step
        kiosk.controller.choose(step.answers[0].id) if step.answers else kiosk.controller.next()
    date_step = kiosk.visit.state.step.id
    page = w.stack.currentWidget()

    page.set_date(dt.date.max)
    for field in ("day", "month", "year"):
        click(qtbot, page.plus[field])
        assert page.value == dt.date.max
    assert page._values["year"].text() == "9999" and "31 décembre 9999" in page._result.text()
    assert page.outcome() == "early"

    page.set_date(dt.date.min)
    for field in ("day", "month", "year"):
        click(qtbot, page.minus[field])
        assert page.value == dt.date.min
    assert page._values["year"].text() == "1" and "1 janvier 1" in page._result.text()
    click(qtbot, page._next)
    assert kiosk.visit.active and kiosk.visit.state.step.id != date_step
    assert kiosk.visit.state.step.id == dict(kiosk.visit.state.procedure.steps[date_step].outcomes)["expired"]
