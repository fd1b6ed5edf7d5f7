"""On-screen keyboard drawn by the kiosk itself.

Why not Qt Virtual Keyboard: it shows as its own window under xcb, does not work offscreen, and is not
supported for Wayland clients, which is how the kiosk runs under cage (PLATFORM.md); it also has no
Tamil, Bengali or Pashto layouts. This keyboard is an ordinary widget docked in the main window's
layout, above the bottom bar: the page above it shrinks, so it can never cover the field being typed
into, and the page scrolls the field into view.

Keys never take focus; each press is sent as a real key event to whatever has the focus (a line edit
of the kiosk, or the embedded browser's page), so it works for both. For assistive technology the
keyboard and its function keys are named in the visitor's language (`retranslate`): "Delete", not "⌫".

Signals: key_pressed(str) — the label of the key, after it was delivered.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import QGridLayout, QPushButton, QSizePolicy, QWidget

from kiosk.i18n import Translator
from kiosk.shell import keyboards as kb

SPECIAL_KEYS = {kb.BACKSPACE: Qt.Key.Key_Backspace, kb.ENTER: Qt.Key.Key_Return, kb.SPACE: Qt.Key.Key_Space}


class OnScreenKeyboard(QWidget):
    key_pressed = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("keyboard")
        self.setAccessibleName(kb.KEYBOARD)
        self._tr: Translator | None = None
        self._grid = QGridLayout(self)
        self._grid.setSpacing(6)
        self._grid.setContentsMargins(12, 8, 12, 8)
        self.language_layout = kb.LATIN
        self.layout_name = kb.LATIN
        self.shifted = False
        self.keys: dict[str, QPushButton] = {}
        self._build()

    def set_compact(self, compact: bool) -> None:
        """Lower keys (48 px, still above the 44 px touch target) on a landscape screen, where the
        keyboard would otherwise take a third of the height from the page being typed into."""
        if self.property("compact") != compact:
            self.setProperty("compact", compact)
            for button in self.keys.values():
                button.style().unpolish(button)
                button.style().polish(button)

    def retranslate(self, tr: Translator) -> None:
        """Name the keyboard and its keys in the language of `tr` (when it changes)."""
        if self._tr is not None and self._tr.code == tr.code:
            return
        self._tr = tr
        self.setAccessibleName(tr.tr(kb.KEYBOARD))
        self._relabel()

    def set_language(self, language: str) -> None:
        self.language_layout = kb.layout_for(language)
        self.show_layout(self.language_layout)

    def show_layout(self, name: str) -> None:
        self.layout_name, self.shifted = name, False
        self._build()

    def _build(self) -> None:
        while self._grid.count():
            item = self._grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.keys = {}
        for r, row in enumerate(kb.LAYOUTS[self.layout_name]):
            column = 0
            for key in row:
                button = QPushButton(self._label(key))
                button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
                button.setAutoRepeat(key == kb.BACKSPACE)
                button.setMinimumSize(48, 56)
                button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
                button.setObjectName(f"key_{key}")
                button.setAccessibleName(self._name(key))
                button.setCheckable(key == kb.SHIFT)           # a screen reader says whether it is on
                button.setChecked(key == kb.SHIFT and self.shifted)
                button.clicked.connect(lambda _=False, k=key: self.press(k))
                span = 3 if key == kb.SPACE else 1
                self._grid.addWidget(button, r, column, 1, span)
                column += span
                self.keys[key] = button

    def _relabel(self) -> None:
        for key, button in self.keys.items():
            button.setText(self._label(key))
            button.setAccessibleName(self._name(key))
        if kb.SHIFT in self.keys:
            self.keys[kb.SHIFT].setChecked(self.shifted)

    def _switch_target(self) -> str:
        """The layout the SWITCH key shows: the language's from Latin or the numbers, else Latin."""
        back = self.language_layout if self.layout_name in (kb.LATIN, "numeric") else kb.LATIN
        return back if back != self.layout_name else kb.LATIN

    def _name(self, key: str) -> str:
        """What a screen reader says for `key`: a function key's name, or the letter it types."""
        if key == kb.SWITCH:
            message = kb.LETTERS if self._switch_target() == self.language_layout else kb.LATIN_LETTERS
        else:
            message = kb.NAMES.get(key, "")
        if not message:
            return self._typed(key)
        return self._tr.tr(message) if self._tr is not None else message

    def _typed(self, key: str) -> str:
        """What a character key types: its shifted form (SHIFTED, or its capital) while Shift is on."""
        if self.shifted and len(key) == 1:
            return kb.SHIFTED.get(self.layout_name, {}).get(key, key.upper())
        return key

    def _label(self, key: str) -> str:
        if key == kb.SWITCH:
            if self.layout_name in (kb.LATIN, "numeric"):
                return kb.SWITCH_LABELS.get(self.language_layout, "ABC")
            return "ABC"
        faces = kb.DIGITS.get(self.language_layout, "")
        if self.layout_name == "numeric" and faces and key.isdigit():
            return f"{faces[int(key)]} {key}"          # the visitor's digit beside the one it types
        return self._typed(key)

    def press(self, key: str) -> None:
        """Deliver one key to the focused widget (also used by tests)."""
        if key == kb.SHIFT:
            self.shifted = not self.shifted
            self._relabel()
        elif key == kb.NUMBERS:
            self.show_layout("numeric")
        elif key == kb.SWITCH:
            self.show_layout(self._switch_target())
        else:
            self._send(key)
        self.key_pressed.emit(key)

    def _send(self, key: str) -> None:
        target = QGuiApplication.focusObject()
        if target is None:
            return
        code = SPECIAL_KEYS.get(key, Qt.Key.Key_unknown)
        text = {kb.SPACE: " ", kb.ENTER: "\r", kb.BACKSPACE: ""}.get(key, self._typed(key))
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QGuiApplication.sendEvent(target, QKeyEvent(kind, code, Qt.KeyboardModifier.NoModifier, text))
        if self.shifted:                 # shift applies to one letter
            self.shifted = False
            self._relabel()
