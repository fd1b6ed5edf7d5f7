"""What the window tells the rest of the system about the visitor: their activity, and their language.

Whatever the visitor does keeps the visit alive, however it is delivered.

The input filter counts touches and keys and the controller each intent; an assistive technology presses
a button, moves the focus or sets a field's text without any input event, so the window's widgets also
report to the controller: a press of any button the window was built with (bars, overlays, the pages'
own buttons such as the date's +/-), each key of the on-screen keyboard (rebuilt per layout), a focus
move inside the window, and any change of its fields' text, whatever made it. Buttons a page makes
while rendering (answers, documents) are intents of the controller already.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QLocale, QObject, SignalInstance
from PySide6.QtWidgets import QAbstractButton, QApplication, QLineEdit, QWidget


class ActivityWatch(QObject):
    def __init__(self, window: QWidget, key_pressed: SignalInstance, user_input: Callable[[], None]) -> None:
        super().__init__(window)
        self._window, self._user_input = window, user_input
        for pressable in window.findChildren(QAbstractButton):
            pressable.pressed.connect(user_input)
        for field in window.findChildren(QLineEdit):
            field.textChanged.connect(user_input)
        key_pressed.connect(user_input)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_app_focus_changed)

    def _on_app_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is not None and new.window() is self._window:
            self._user_input()


def set_locale(window: QWidget, locale: QLocale) -> None:
    """The visitor's language is the application's locale and the window's (the attract screen keeps
    the terminal's own): screen readers choose their voice by it (AT-SPI's locale of the application,
    and each object's language), and Qt's own texts and formats follow it. A visit that ends goes back
    to the terminal's default language, so the wipe restores it too."""
    if QLocale() != locale:
        QLocale.setDefault(locale)
    if window.locale() != locale:
        window.setLocale(locale)
