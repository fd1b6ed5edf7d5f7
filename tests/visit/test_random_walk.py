"""Seeded random walk of taps and key presses: never raises, never closes, never leaves full-screen."""

from __future__ import annotations

import random
import sys

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractButton
from screen_input import key as press
from screen_input import touch_at

KEYS = [
    (Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
    (Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier),
    (Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier),
    (Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier),
    (Qt.Key.Key_Tab, Qt.KeyboardModifier.AltModifier),
    (Qt.Key.Key_F11, Qt.KeyboardModifier.NoModifier),
    (Qt.Key.Key_Tab, Qt.KeyboardModifier.NoModifier),
    (Qt.Key.Key_Space, Qt.KeyboardModifier.NoModifier),
    (Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier),
    (Qt.Key.Key_Backspace, Qt.KeyboardModifier.NoModifier),
]


def visible_buttons(window) -> list[QAbstractButton]:
    return [b for b in window.findChildren(QAbstractButton)
            if b.isVisible() and b.isEnabled() and b.window() is window]


def tap(qtbot, window, rng: random.Random) -> None:
    """Touch the screen where a random visible button is: whatever is on top there gets the touch."""
    buttons = visible_buttons(window)
    if not buttons or rng.random() < 0.05:
        point = QPoint(rng.randrange(window.width()), rng.randrange(window.height()))
    else:
        button = rng.choice(buttons)
        point = button.mapTo(window, button.rect().center())
    touch_at(window, point)


def test_random_walk_2000_actions(make_kiosk, qtbot, clock) -> None:
    kiosk = make_kiosk("[session]\nidle_timeout_s = 60\nwarning_s = 10", fullscreen=True)
    window = kiosk.window
    assert window.isFullScreen()
    errors: list[BaseException] = []
    previous = sys.excepthook
    sys.excepthook = lambda kind, value, tb: errors.append(value)
    rng = random.Random(20261126)
    seen: set[str] = set()

    def on_changed() -> None:
        visit = kiosk.visit
        seen.add(visit.state.step.kind.value if visit.state and visit.screen.value == "step"
                 else visit.screen.value)

    kiosk.controller.changed.connect(on_changed)
    try:
        for i in range(2000):
            if rng.random() < 0.8:
                tap(qtbot, window, rng)
            else:
                key, mods = rng.choice(KEYS)
                press(window, key, mods)
            if i % 50 == 0:
                clock.advance(rng.choice([1, 30, 65, 75]))
                kiosk.controller.tick()
            window.close()   # a close request must be ignored in kiosk mode
            assert window.isVisible() and window.isFullScreen(), f"action {i}: {window.windowState()}"
            assert not errors, errors
    finally:
        sys.excepthook = previous
    # the walk really went everywhere, so its verdict means something
    assert seen >= {"attract", "language", "procedure", "info", "question", "checklist", "end"}, seen
    assert QGuiApplication.focusWindow() in (None, window.windowHandle())


def test_lockdown_codes_match_qt() -> None:
    from PySide6.QtCore import QEvent

    from kiosk.shell.ui import lockdown as ld
    assert ld.ESCAPE == Qt.Key.Key_Escape.value and ld.F4 == Qt.Key.Key_F4.value
    assert ld.CLOSE == Qt.Key.Key_Close.value and ld.F12 == Qt.Key.Key_F12.value
    assert ld.CTRL == Qt.KeyboardModifier.ControlModifier.value
    assert ld.ALT == Qt.KeyboardModifier.AltModifier.value
    assert ld.KEY_PRESS == QEvent.Type.KeyPress.value and ld.TOUCH_BEGIN == QEvent.Type.TouchBegin.value
    assert ld.SHORTCUT_OVERRIDE == QEvent.Type.ShortcutOverride.value
    assert ld.MOUSE_PRESS == QEvent.Type.MouseButtonPress.value and ld.WHEEL == QEvent.Type.Wheel.value


def test_quitting_keys_are_swallowed_only_when_locked(qapp) -> None:  # noqa: ANN001
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtGui import QKeyEvent

    from kiosk.shell.ui.lockdown import KioskEventFilter

    inputs: list[int] = []
    locked = KioskEventFilter(lambda: inputs.append(1), locked=True)
    target = QObject()
    ctrl, alt, none = (Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.AltModifier,
                       Qt.KeyboardModifier.NoModifier)
    for key, mods in [(Qt.Key.Key_Q, ctrl), (Qt.Key.Key_W, ctrl), (Qt.Key.Key_F4, alt),
                      (Qt.Key.Key_Escape, none), (Qt.Key.Key_Tab, alt)]:
        event = QKeyEvent(QEvent.Type.KeyPress, key, mods)
        assert locked.eventFilter(target, event), key
        assert not KioskEventFilter(lambda: None, locked=False).eventFilter(target, event)
    assert not locked.eventFilter(target, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A, none))
    assert len(inputs) == 6            # every key press counted as visitor input


def test_the_kiosk_window_filters_real_keys(make_kiosk, qtbot) -> None:  # noqa: ANN001
    """Keys from a hardware keyboard reach the window first: quitting keys stop there, letters go on."""
    from PySide6.QtCore import QEvent, QObject

    kiosk = make_kiosk(fullscreen=True)
    window, received = kiosk.window, []

    class Probe(QObject):
        def eventFilter(self, _watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt naming
            if event.type() == QEvent.Type.KeyPress:
                received.append(event.key())  # type: ignore[attr-defined]
            return False

    probe = Probe()
    window.attract._start.setFocus()
    window.attract._start.installEventFilter(probe)
    press(window, Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier)
    press(window, Qt.Key.Key_Escape)
    press(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    press(window, Qt.Key.Key_A)
    modifiers = {Qt.Key.Key_Alt.value, Qt.Key.Key_Control.value}   # QTest presses them on their own
    assert [k for k in received if k not in modifiers] == [Qt.Key.Key_A.value]
