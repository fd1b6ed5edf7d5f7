"""Input guard of the locked browser: swallows browser shortcuts and every drag-and-drop, and refuses
the dialog windows QtWebEngine opens by itself over the kiosk.

Installed on the web view and on each child it creates (Chromium's render widget, which is the
view's focus proxy and the widget that really receives keys and drops). QtWebEngine's own dialogs
(the colour chooser of `<input type=color>`, and the message boxes it would show for a page's
alert/confirm/prompt if the page did not answer them) are children of the view: they are never put on
screen and are cancelled at once, as if the visitor had closed them. Chromium's select and
suggestion lists are popups, not dialogs, and stay.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QChildEvent, QEvent, QMetaObject, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)

CTRL_KEYS = {Qt.Key.Key_O, Qt.Key.Key_S, Qt.Key.Key_P, Qt.Key.Key_N, Qt.Key.Key_T, Qt.Key.Key_L,
             Qt.Key.Key_U, Qt.Key.Key_W, Qt.Key.Key_Q, Qt.Key.Key_F4, Qt.Key.Key_J, Qt.Key.Key_H,
             Qt.Key.Key_D, Qt.Key.Key_G}
CTRL_SHIFT_KEYS = {Qt.Key.Key_I, Qt.Key.Key_J, Qt.Key.Key_C, Qt.Key.Key_Delete}
ALT_KEYS = {Qt.Key.Key_F4, Qt.Key.Key_Home, Qt.Key.Key_D}
PLAIN_KEYS = {Qt.Key.Key_F12, Qt.Key.Key_F11, Qt.Key.Key_F7, Qt.Key.Key_F6, Qt.Key.Key_Launch0}

KEY_EVENTS = {QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride}
DRAG_EVENTS = {QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop, QEvent.Type.DragLeave}


def is_blocked_key(event: QKeyEvent) -> bool:
    key = Qt.Key(event.key())
    mods = event.modifiers()
    ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
    shift = bool(mods & Qt.KeyboardModifier.ShiftModifier)
    alt = bool(mods & Qt.KeyboardModifier.AltModifier)
    if ctrl and shift and key in CTRL_SHIFT_KEYS:
        return True
    if ctrl and key in CTRL_KEYS:
        return True
    if alt and key in ALT_KEYS:
        return True
    return key in PLAIN_KEYS


class InputGuard(QObject):
    """Event filter. `swallowed` counts what it stopped (for tests and the mediator's diagnostics)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.swallowed = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt naming
        kind = event.type()
        if kind in DRAG_EVENTS:
            event.ignore()
            self.swallowed += 1
            return True
        if kind in KEY_EVENTS and isinstance(event, QKeyEvent) and is_blocked_key(event):
            if kind == QEvent.Type.ShortcutOverride:
                event.accept()     # keep application shortcuts from firing too
            self.swallowed += 1
            return True
        if kind == QEvent.Type.ChildAdded and isinstance(event, QChildEvent):
            child = event.child()
            if child.isWidgetType():
                child.installEventFilter(self)
        elif kind == QEvent.Type.Show and isinstance(watched, QWidget) and watched.inherits("QDialog"):
            self._refuse_dialog(watched)
        return False

    def _refuse_dialog(self, dialog: QWidget) -> None:
        """Sent before the window is mapped: it is never put on screen, then cancelled (its nested
        event loop, if it runs one, ends at once)."""
        log.info("dialog window of the browser refused: %s", dialog.metaObject().className())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
        # Not modal either: an off-screen modal window stays in Qt's list of modal windows after it
        # is deleted (the process crashed at exit).
        dialog.setWindowModality(Qt.WindowModality.NonModal)
        QMetaObject.invokeMethod(dialog, "reject", Qt.ConnectionType.QueuedConnection)
        self.swallowed += 1
