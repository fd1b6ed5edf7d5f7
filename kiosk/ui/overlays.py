"""Full-window layers above the pages: idle warning, finish confirmation, help, out of service."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from kiosk.i18n import Translator
from kiosk.ui.accessibility import (
    ALERT,
    DIALOG,
    HEADING_LEVEL,
    announce,
    mark_heading,
    mark_host,
    mark_role,
    refresh,
)
from kiosk.ui.pictogram import FINISH_PICTOGRAM, HELP_PICTOGRAM, IDLE_PICTOGRAM, Pictogram, titled_row
from kiosk.ui.widgets import WrapButton, button, label, scroll_column


class Overlay(QWidget):
    """A panel that covers its parent completely and takes every touch while shown.

    For assistive technology it is a dialog (an alert when `accessible_role` is ALERT) named by its
    translated title, modal, and what it covers is hidden from the tree (kiosk.ui.accessibility). When
    it opens, the focus moves into it (`focus_target`: its title) and `announcement()` is announced;
    Tab stays inside it; when it closes, the focus goes back where it was (`return_focus_to` changes
    where: the page changed meanwhile), or else to the title of the page under it.
    `name` says which overlay it is (`overlay_name`), for logs and tests; it is never shown or read."""

    accessible_role = DIALOG

    def __init__(self, parent: QWidget, name: str) -> None:
        super().__init__(parent)
        self.setObjectName("overlay")
        self.overlay_name = name
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._heading: QLabel | None = None
        self._return_to: QWidget | None = None
        mark_role(self, self.accessible_role)
        mark_host(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(48, 96, 48, 96)
        self._layout.setSpacing(24)
        self.hide()

    # --- for assistive technology ------------------------------------------------------------------
    def set_heading(self, title: QLabel) -> QLabel:
        """`title` is this overlay's heading: its name for assistive technology, where the focus goes."""
        self._heading = mark_heading(title)
        return title

    def heading(self) -> QLabel | None:
        """The title: the one given to `set_heading`, else the first title label shown (overlays of
        other capabilities), made a heading on first use."""
        if self._heading is None:
            titles = [w for w in self.findChildren(QLabel)
                      if w.property("role") in ("title", "attract") and w.isVisibleTo(self) and w.text()]
            if titles:
                self.set_heading(titles[0])
        return self._heading

    def accessible_title(self) -> str:
        heading = self.heading()
        return " ".join(heading.text().split()) if heading is not None else ""

    def announcement(self) -> str:
        """What is announced when the overlay opens: its title."""
        return self.accessible_title()

    def focus_target(self) -> QWidget | None:
        return self.heading()

    def return_focus_to(self, widget: QWidget | None) -> None:
        """Where the focus goes when the overlay closes (by default: where it was when it opened)."""
        self._return_to = widget

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt naming
        super().showEvent(event)
        focus = self.window().focusWidget()
        if focus is not None and focus is not self and not self.isAncestorOf(focus):
            self._return_to = focus
        self.setAccessibleName(self.accessible_title())
        heading, parent = self.heading(), self.parentWidget()
        for widget in (self, heading, parent):
            if widget is not None:
                refresh(widget)
        target = self.focus_target()
        if target is not None:
            target.setFocus(Qt.FocusReason.PopupFocusReason)
        announce(self, self.announcement(), assertive=self.accessible_role == ALERT)

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt naming
        super().hideEvent(event)
        focus = self.window().focusWidget()
        if focus is None or focus is self or self.isAncestorOf(focus):
            target = self._return_to
            if target is None or not shiboken6.isValid(target) or not target.isVisible():
                target = self._page_heading()
            if target is not None:
                target.setFocus(Qt.FocusReason.PopupFocusReason)
        self._return_to = None

    def _page_heading(self) -> QWidget | None:
        """The title of the screen under the overlay (its window's shown level-1 heading)."""
        for candidate in self.window().findChildren(QLabel):
            if candidate.property(HEADING_LEVEL) == 1 and candidate.isVisible() \
                    and not self.isAncestorOf(candidate):
                return candidate
        return None

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: A002, N802 - Qt naming
        """Tab and Shift+Tab go round the overlay's controls, never to the page under it."""
        focus = self.window().focusWidget()
        if not self.isVisible() or focus is None or not self.isAncestorOf(focus):
            return super().focusNextPrevChild(next)
        chain: list[QWidget] = []
        widget: QWidget | None = self.nextInFocusChain()
        while widget is not None and widget is not self and len(chain) < 500:
            if (self.isAncestorOf(widget) and widget.isVisible() and widget.isEnabled()
                    and widget.focusPolicy() & Qt.FocusPolicy.TabFocus):
                chain.append(widget)
            widget = widget.nextInFocusChain()
        if not chain:
            return True
        index = chain.index(focus) if focus in chain else -1
        chain[(index + (1 if next else -1)) % len(chain)].setFocus(
            Qt.FocusReason.TabFocusReason if next else Qt.FocusReason.BacktabFocusReason)
        return True

    def open(self) -> None:
        parent = self.parentWidget()
        if parent is not None:             # always: an overlay is built on its parent
            self.setGeometry(parent.rect())
        self.raise_()
        self.show()


class IdleOverlay(Overlay):
    """Signals: more_time_requested(). An alert: announced at once (the kiosk's own voice says it too,
    kiosk.speech.ui.ReadAloud.alert); the focus goes to "I need more time"."""

    more_time_requested = Signal()
    accessible_role = ALERT

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, "idle")
        self._title = self.set_heading(label("attract"))
        self.pictogram = Pictogram()          # beside the title: an hourglass (issue 19 point 5)
        self._count = label("title")
        self._more = button("primary", "idle_more_time")
        self._more.setMinimumHeight(120)
        self._more.clicked.connect(self.more_time_requested)
        self._layout.addStretch(1)
        for w in (self._title, self._count, self._more):
            w.setAlignment(Qt.AlignmentFlag.AlignCenter) if hasattr(w, "setAlignment") else None
        self._layout.addLayout(titled_row(self.pictogram, self._title))
        self._layout.addWidget(self._count)
        self._layout.addWidget(self._more)
        self._layout.addStretch(2)

    def update_view(self, tr: Translator, seconds: int, can_extend: bool) -> None:
        title, count, more = self.sentences(tr, seconds, can_extend=True)
        self._title.setText(title)
        self.pictogram.draw(IDLE_PICTOGRAM, title)
        self._count.setText(count)
        self._more.setText(more)
        self._more.setVisible(can_extend)

    @staticmethod
    def sentences(tr: Translator, seconds: int, can_extend: bool) -> list[str]:
        """What the warning says, in the language of `tr` (shown, announced, and said aloud)."""
        said = [tr.tr("Are you still there?"), tr.trn("Everything will be erased in {n} second.",
                                                      "Everything will be erased in {n} seconds.", seconds)]
        return [*said, tr.tr("I need more time")] if can_extend else said

    def announcement(self) -> str:
        return " ".join(" ".join(w.text().split()) for w in (self._title, self._count))

    def focus_target(self) -> QWidget | None:
        return self._more if self._more.isVisibleTo(self) else self.heading()


class ConfirmFinishOverlay(Overlay):
    """Signals: confirmed(), cancelled()."""

    confirmed = Signal()
    cancelled = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, "confirm_finish")
        self._title = self.set_heading(label("title"))
        self._text = label()
        self._yes = WrapButton("danger", "finish_yes")
        self._no = WrapButton("primary", "finish_no")
        self._yes.clicked.connect(self.confirmed)
        self._no.clicked.connect(self.cancelled)
        self.pictogram = Pictogram()          # beside the title: the way out (issue 19 point 5)
        self._layout.addStretch(1)
        self._layout.addLayout(titled_row(self.pictogram, self._title))
        for w in (self._text, self._no, self._yes):
            self._layout.addWidget(w)
        self._layout.addStretch(2)

    def retranslate(self, tr: Translator) -> None:
        self._title.setText(tr.tr("Finish your visit?"))
        self.pictogram.draw(FINISH_PICTOGRAM, self._title.text())
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
        self._title = self.set_heading(label("title"))
        self._text = label()
        self.call = button("primary", "help_call")
        self.call.clicked.connect(self.call_requested)
        self.call.hide()
        self.status = label("title")
        self.status.setObjectName("help_status")
        self._about = label("muted")
        self._close = button(name="help_close")
        self._close.clicked.connect(self.closed)
        self.pictogram = Pictogram()          # beside the title: a raised hand (issue 19 point 5)
        area, column = scroll_column()          # long languages at the largest text size scroll
        column.addLayout(titled_row(self.pictogram, self._title))
        for w in (self.call, self.status, self._text, self._about):
            column.addWidget(w)
        column.addStretch(1)
        self._layout.addWidget(area, 1)
        self._layout.addWidget(self._close)

    def retranslate(self, tr: Translator, about: str) -> None:
        self._title.setText(tr.tr("Help"))
        self.pictogram.draw(HELP_PICTOGRAM, self._title.text())
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
    """Shown when the wipe failed: the terminal must not be used until a mediator checks it (an alert)."""

    accessible_role = ALERT

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, "out_of_service")
        self._text = self.set_heading(label("attract"))
        self._text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._layout.addStretch(1)
        self._layout.addWidget(self._text)
        self._layout.addStretch(1)

    def retranslate(self, tr: Translator) -> None:
        self._text.setText(tr.tr("This terminal is out of service. Please ask a mediator."))
