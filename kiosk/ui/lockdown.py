"""Keeps a visitor inside the kiosk: window-closing and app-quitting keys do nothing in full-screen."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier
BLOCKED_KEYS = {Qt.Key.Key_Escape, Qt.Key.Key_F4, Qt.Key.Key_F11, Qt.Key.Key_Super_L, Qt.Key.Key_Super_R,
                Qt.Key.Key_Meta, Qt.Key.Key_Close, Qt.Key.Key_F12}
BLOCKED_CTRL = {Qt.Key.Key_Q, Qt.Key.Key_W, Qt.Key.Key_N, Qt.Key.Key_T, Qt.Key.Key_O, Qt.Key.Key_S,
                Qt.Key.Key_P, Qt.Key.Key_L, Qt.Key.Key_U, Qt.Key.Key_F4}


def is_blocked(event: QKeyEvent) -> bool:
    key, mods = event.key(), event.modifiers()
    if mods & ALT and key in (Qt.Key.Key_F4, Qt.Key.Key_Tab, Qt.Key.Key_Escape):
        return True
    if mods & CTRL and (key in BLOCKED_CTRL or (mods & Qt.KeyboardModifier.ShiftModifier
                                                 and key == Qt.Key.Key_I)):
        return True
    return key in BLOCKED_KEYS


KEY_EVENTS = {QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride, QEvent.Type.KeyRelease}
INPUT_EVENTS = {QEvent.Type.MouseButtonPress, QEvent.Type.KeyPress, QEvent.Type.TouchBegin,
                QEvent.Type.Wheel}
WATCHED = KEY_EVENTS | INPUT_EVENTS


class KioskEventFilter(QObject):
    """The one application-wide event filter (each Python filter costs on every Qt event):
    reports visitor input (for the idle timer) and, while `locked`, swallows quitting keys."""

    def __init__(self, on_input: Callable[[], None], locked: bool) -> None:
        super().__init__()
        self._on_input = on_input
        self.locked = locked

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt naming
        kind = event.type()
        if kind not in WATCHED:
            return False
        if kind in INPUT_EVENTS:
            self._on_input()
        if self.locked and kind in KEY_EVENTS:
            return is_blocked(event)  # type: ignore[arg-type]
        return False
