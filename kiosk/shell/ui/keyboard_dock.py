"""The on-screen keyboard under the pages: shown while a text field of the window (or of the official
site) has the focus, in the visitor's language, with that field kept in view above it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QLineEdit, QScrollArea, QWidget

from kiosk.browser.ui.step import BrowserStep
from kiosk.shell import keyboards
from kiosk.shell.ui.keyboard import OnScreenKeyboard


class KeyboardDock(QObject):
    def __init__(self, window: QWidget, language: Callable[[], str], browser: BrowserStep | None) -> None:
        super().__init__(window)
        self._window, self._language, self._browser = window, language, browser
        self.keyboard = OnScreenKeyboard()
        self.keyboard.hide()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_app_focus_changed)
        if browser is not None:
            browser.typing_changed.connect(self._on_browser_typing_changed)

    def _on_app_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        """Show the keyboard while a text field has the focus, and keep that field in view."""
        typing = (isinstance(new, QLineEdit) and new.window() is self._window) or self._browser_typing(new)
        if typing and not self.keyboard.isVisible():
            self.keyboard.set_language(self._language())
            if isinstance(new, QLineEdit) and new.property("latin_keyboard"):   # an e-mail address field
                self.keyboard.show_layout(keyboards.LATIN)
        self.keyboard.setVisible(typing or (new is not None and self.keyboard.isAncestorOf(new)))
        if typing and new is not None:
            QTimer.singleShot(0, lambda field=new: _scroll_into_view(field))

    def _browser_typing(self, focus: QWidget | None) -> bool:
        b = self._browser
        return b is not None and b.typing and focus is not None and b.isAncestorOf(focus)

    def _on_browser_typing_changed(self, typing: bool) -> None:
        """A text field of the site got (or lost) the focus: the kiosk's keyboard types into it, in
        Latin letters first (the official site wants names and addresses as on the passport); the
        visitor's own script stays one key away. Chromium scrolls the field into view when the view
        shrinks above the keyboard (tests/browser/test_site_step.py checks it)."""
        if typing and not self.keyboard.isVisible():
            self.keyboard.set_language(self._language())
            self.keyboard.show_layout(keyboards.LATIN)
        self.keyboard.setVisible(typing)


def _scroll_into_view(field: QWidget) -> None:
    parent = field.parentWidget()
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    if parent is not None:
        parent.ensureWidgetVisible(field, 16, 16)
