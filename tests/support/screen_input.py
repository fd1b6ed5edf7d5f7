"""Input the way a touch screen or a keyboard delivers it: to the kiosk's window, which hands it to the
widget under the point (QTest's widget overloads skip the window, and with it the kiosk's input filter)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget


def touch_at(window: QWidget, point: QPoint) -> None:
    """A tap at `point` (window coordinates); whatever is on top there gets it."""
    handle = window.windowHandle()
    assert handle is not None, "the window is not shown"
    QTest.mouseClick(handle, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)


def touch(widget: QWidget) -> None:
    """A tap in the middle of `widget`, through its window."""
    window = widget.window()
    touch_at(window, widget.mapTo(window, widget.rect().center()))


def key(window: QWidget, key: Qt.Key,
        modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """A key press and release from a hardware keyboard, through the window."""
    handle = window.windowHandle()
    assert handle is not None, "the window is not shown"
    QTest.keyClick(handle, key, modifiers)


def click(qtbot, widget: QWidget) -> None:  # noqa: ANN001
    """A click on a button the visitor can see and use (fails on a hidden or disabled one)."""
    assert widget is not None
    assert widget.isVisible() and widget.isEnabled(), widget.objectName()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def start_procedure(kiosk, qtbot, language: str, procedure: str = "alpha") -> None:  # noqa: ANN001
    """Attract screen → language → procedure, by touching the buttons."""
    w = kiosk.window
    click(qtbot, w.attract._start)
    click(qtbot, w.language_page.buttons[language])
    click(qtbot, w.procedure_page.buttons[procedure])
