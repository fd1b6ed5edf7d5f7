"""Full-window layers above the pages: idle warning, finish confirmation, help, out of service."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.i18n import Translator
from kiosk.ui.widgets import WrapButton, button, label, scroll_column


class Overlay(QWidget):
    """A panel that covers its parent completely and takes every touch while shown."""

    def __init__(self, parent: QWidget, name: str) -> None:
        super().__init__(parent)
        self.setObjectName("overlay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setAccessibleName(name)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(48, 96, 48, 96)
        self._layout.setSpacing(24)
        self.hide()

    def open(self) -> None:
        parent = self.parentWidget()
        if parent is not None:             # always: an overlay is built on its parent
            self.setGeometry(parent.rect())
        self.raise_()
        self.show()


class IdleOverlay(Overlay):
    """Signals: more_time_requested()."""

    more_time_requested = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, "idle")
        self._title = label("attract")
        self._count = label("title")
        self._more = button("primary", "idle_more_time")
        self._more.setMinimumHeight(120)
        self._more.clicked.connect(self.more_time_requested)
        self._layout.addStretch(1)
        for w in (self._title, self._count, self._more):
            w.setAlignment(Qt.AlignmentFlag.AlignCenter) if hasattr(w, "setAlignment") else None
            self._layout.addWidget(w)
        self._layout.addStretch(2)

    def update_view(self, tr: Translator, seconds: int, can_extend: bool) -> None:
        self._title.setText(tr.tr("Are you still there?"))
        self._count.setText(tr.trn("Everything will be erased in {n} second.",
                                   "Everything will be erased in {n} seconds.", seconds))
        self._more.setText(tr.tr("I need more time"))
        self._more.setVisible(can_extend)


class ConfirmFinishOverlay(Overlay):
    """Signals: confirmed(), cancelled()."""

    confirmed = Signal()
    cancelled = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, "confirm_finish")
        self._title = label("title")
        self._text = label()
        self._yes = WrapButton("danger", "finish_yes")
        self._no = WrapButton("primary", "finish_no")
        self._yes.clicked.connect(self.confirmed)
        self._no.clicked.connect(self.cancelled)
        self._layout.addStretch(1)
        for w in (self._title, self._text, self._no, self._yes):
            self._layout.addWidget(w)
        self._layout.addStretch(2)

    def retranslate(self, tr: Translator) -> None:
        self._title.setText(tr.tr("Finish your visit?"))
        self._text.setText(tr.tr("Everything you did on this terminal will be erased. "
                                 "Take your papers and your receipt with you."))
        self._yes.setText(tr.tr("Yes, finish and erase"))
        self._no.setText(tr.tr("No, continue"))


class HelpOverlay(Overlay):
    """Signals: closed(), call_requested() ("Call a mediator", when a help channel is configured)."""

    closed = Signal()
    call_requested = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, "help")
        self._title = label("title")
        self._text = label()
        self.call = button("primary", "help_call")
        self.call.clicked.connect(self.call_requested)
        self.call.hide()
        self.status = label("title")
        self.status.setObjectName("help_status")
        self._about = label("muted")
        self._close = button(name="help_close")
        self._close.clicked.connect(self.closed)
        area, column = scroll_column()          # long languages at the largest text size scroll
        for w in (self._title, self.call, self.status, self._text, self._about):
            column.addWidget(w)
        column.addStretch(1)
        self._layout.addWidget(area, 1)
        self._layout.addWidget(self._close)

    def retranslate(self, tr: Translator, about: str) -> None:
        self._title.setText(tr.tr("Help"))
        self._text.setText(tr.tr(
            "A mediator of this office can help you: raise your hand or go to the desk.\n\n"
            "Back takes you to the previous screen. Finish erases everything and ends your visit.\n\n"
            "This guide explains the procedure. The official site decides."))
        self._about.setText(about)
        self._close.setText(tr.tr("Close"))
        self.call.setText(tr.tr("Call a mediator"))

    def show_call(self, available: bool, status: str) -> None:
        """The call button when a channel exists and no request is open; else the request's status."""
        self.call.setVisible(available and not status)
        self.status.setText(status)
        self.status.setVisible(bool(status))


class OutOfServiceOverlay(Overlay):
    """Shown when the wipe failed: the terminal must not be used until a mediator checks it."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, "out_of_service")
        self._text = label("attract")
        self._text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._layout.addStretch(1)
        self._layout.addWidget(self._text)
        self._layout.addStretch(1)

    def retranslate(self, tr: Translator) -> None:
        self._text.setText(tr.tr("This terminal is out of service. Please ask a mediator."))
