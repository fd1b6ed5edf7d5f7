"""Activity is activity: what an assistive technology does (press a button, move the focus, set a field's
text) keeps the visit alive as a touch does, although none of it is an input event the kiosk's filter
sees. With a 60 s timeout, each action comes 50 s after the previous one and the check 15 s after it,
65 s after the previous one: the warning shows then unless the action counted."""

from __future__ import annotations

from PySide6.QtGui import QAccessible, QAccessibleActionInterface
from PySide6.QtWidgets import QAbstractButton, QWidget
from screen_input import click

from kiosk.content.model import StepKind
from kiosk.paths import DEFAULT_PACK

CONFIG = "[session]\nidle_timeout_s = 60\nwarning_s = 20\nextension_s = 30\nmax_extensions = 10\n"
PRESS, SET_FOCUS = QAccessibleActionInterface.pressAction(), QAccessibleActionInterface.setFocusAction()


def act(widget: QWidget, action: str) -> None:
    """What an AT-SPI client does: the named action of the widget's accessible interface."""
    iface = QAccessible.queryAccessibleInterface(widget)
    assert iface is not None and iface.actionInterface() is not None
    assert action in iface.actionInterface().actionNames()
    iface.actionInterface().doAction(action)


def press(qtbot, button: QAbstractButton) -> None:  # noqa: ANN001
    with qtbot.waitSignal(button.clicked, timeout=2000):      # the press is animated: clicked comes later
        act(button, PRESS)


def kept_alive(kiosk, clock, action) -> bool:  # noqa: ANN001
    """35 s after the last check (50 s after the last action), `action`; 15 s later, is the visit still
    going, without a warning?"""
    clock.advance(35)
    kiosk.controller.tick()
    action()
    clock.advance(15)
    kiosk.controller.tick()
    return kiosk.visit.active and not kiosk.window.idle_overlay.isVisible()


def to_step(kiosk, kind: StepKind) -> None:  # noqa: ANN001
    while kiosk.visit.state.step.kind is not kind:
        step = kiosk.visit.state.step
        kiosk.controller.choose(step.answers[0].id) if step.answers else kiosk.controller.next()


def test_assistive_actions_focus_moves_and_text_edits_keep_the_visit_alive(make_kiosk, qtbot, clock) -> None:  # noqa: ANN001
    kiosk = make_kiosk(CONFIG, pack=DEFAULT_PACK)
    w = kiosk.window
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    click(qtbot, w.attract._start)
    click(qtbot, w.language_page.buttons["ar"])
    kiosk.controller.choose_procedure("renewal")
    to_step(kiosk, StepKind.DATE)
    date = w.router.date_page
    before = date.value
    clock.advance(15)                                           # 15 s after the last intent, as after a check

    assert kept_alive(kiosk, clock, lambda: press(qtbot, date.plus["day"]))       # in the page only
    assert date.value != before
    assert kept_alive(kiosk, clock, lambda: press(qtbot, w.top_bar.contrast_button))   # display option
    assert w.appearance.high_contrast
    assert kept_alive(kiosk, clock, lambda: act(w.bottom_bar.help_button, SET_FOCUS))  # focus only
    assert w.bottom_bar.help_button.hasFocus()
    step = kiosk.visit.state.step.id
    assert kept_alive(kiosk, clock, lambda: press(qtbot, date._next))             # an intent
    assert kiosk.visit.state.step.id != step

    to_step(kiosk, StepKind.END)
    field = w.router.end_page.reference_field
    text = QAccessible.queryAccessibleInterface(field).editableTextInterface()
    assert kept_alive(kiosk, clock, lambda: text.insertText(0, "A-12"))           # a text set by an AT
    assert field.text() == "A-12"

    assert not kept_alive(kiosk, clock, lambda: None)          # and doing nothing still warns
