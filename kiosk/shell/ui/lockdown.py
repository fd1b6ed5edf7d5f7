"""Keeps a visitor inside the kiosk: window-closing and app-quitting keys do nothing in full-screen.

Key and event codes are plain integers (Qt's values): touching the Qt.Key enumeration at import time
costs ~40 ms of start-up in PySide6, for nothing the filter needs.
"""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QGuiApplication, QKeyEvent, QWindow

ESCAPE, TAB, META, F4, F11, F12, SUPER_L, SUPER_R, CLOSE = (
    0x1000000, 0x1000001, 0x1000022, 0x1000033, 0x100003A, 0x100003B, 0x1000053, 0x1000054, 0x10000CE)
CTRL, ALT, SHIFT = 0x04000000, 0x08000000, 0x02000000
BLOCKED_KEYS = {ESCAPE, F11, F12, SUPER_L, SUPER_R, META, CLOSE}
BLOCKED_ALT = {F4, TAB, ESCAPE}
BLOCKED_CTRL = {ord(c) for c in "QWNTOSPLU"} | {F4}

KEY_PRESS, KEY_RELEASE, SHORTCUT_OVERRIDE = 6, 7, 51
MOUSE_PRESS, WHEEL, TOUCH_BEGIN = 2, 31, 194
KEY_EVENTS = {KEY_PRESS, SHORTCUT_OVERRIDE, KEY_RELEASE}
INPUT_EVENTS = {MOUSE_PRESS, KEY_PRESS, TOUCH_BEGIN, WHEEL}
WATCHED = KEY_EVENTS | INPUT_EVENTS


def is_blocked(event: QKeyEvent) -> bool:
    key, mods = event.key(), event.modifiers().value
    if mods & ALT and key in BLOCKED_ALT:
        return True
    if mods & CTRL and (key in BLOCKED_CTRL or (mods & SHIFT and key == ord("I"))):
        return True
    return key in BLOCKED_KEYS


class KioskEventFilter(QObject):
    """The one input filter of the kiosk: reports visitor input (for the idle timer) and, while
    `locked`, swallows quitting keys.

    It filters the kiosk's windows, not the application: every input event reaches a window first,
    and an application-wide Python filter crashed PySide6 6.11 as soon as QtWebEngine ran (making a
    wrapper for one of Chromium's internal objects inside the filter sends that object an event, which
    enters the filter again). Windows that get the focus later (the upload picker) are added."""

    def __init__(self, on_input: Callable[[], None], locked: bool) -> None:
        super().__init__()
        self._on_input = on_input
        self.locked = locked
        self._app: QGuiApplication | None = None
        self._windows: list[QWindow] = []

    def attach(self, app: QGuiApplication, window: QWindow | None) -> None:
        self._app = app
        app.focusWindowChanged.connect(self._watch)
        self._watch(window)

    def detach(self) -> None:
        if self._app is not None:
            self._app.focusWindowChanged.disconnect(self._watch)
            self._app = None
        for window in self._windows:
            # PySide can drop a Python wrapper while its QWindow lives on (a long random walk over the
            # kiosk did, the window's filter still working): nothing to call then, and no need
            if shiboken6.isValid(window):
                window.removeEventFilter(self)
        self._windows.clear()

    def _watch(self, window: QWindow | None) -> None:
        if window is not None and window not in self._windows:
            window.installEventFilter(self)
            self._windows.append(window)
            window.destroyed.connect(lambda _=None, w=window: self._forget(w))

    def _forget(self, window: QWindow) -> None:
        if window in self._windows:
            self._windows.remove(window)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt naming
        kind = event.type().value
        if kind not in WATCHED:
            return False
        if kind in INPUT_EVENTS:
            self._on_input()
        if self.locked and kind in KEY_EVENTS and isinstance(event, QKeyEvent):
            return is_blocked(event)
        return False
