"""The page's JavaScript dialogs (alert, confirm, prompt), answered at once and shown inside the kiosk.

QtWebEngine asks for these answers synchronously. Its default opens a native modal box and runs a
nested event loop until the box is closed: the end of a visit then destroyed the page and the box
under that loop (the process aborted), a page that loops alert() kept a box in front of the kiosk's
own buttons, and the box spoke only French. The kiosk never waits: `LockedPage` answers at once
(alert: read; confirm: "no", unless the visitor asked the kiosk to answer "yes" to that very question;
prompt: declined; leaving a page, beforeunload: yes) and the browser step shows the site's words in a
`PageDialogOverlay`, over the site only, with the kiosk's explanation in the visitor's language. A
page that keeps opening dialogs is limited by `DialogLimiter`.

Signals:
    PageDialogOverlay: closed(), yes_requested(str message) ("Answer yes" to a confirm question)
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from enum import StrEnum

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtWidgets import QWidget

from kiosk.i18n import N_, Translator, isolate
from kiosk.ui.overlays import Overlay
from kiosk.ui.widgets import WrapButton, button, clear_layout, label, scroll_column
from kiosk.visit.ui.pictograms import SITE_PICTOGRAM, Pictogram, titled_row

MAX_MESSAGE = 2000          # characters of a page's message shown (a page can pass megabytes)
MAX_ENTRIES = 5             # messages kept on screen at once, newest last


class DialogKind(StrEnum):
    ALERT = "alert"
    CONFIRM = "confirm"
    PROMPT = "prompt"


class Verdict(StrEnum):
    SHOW = "show"           # answer and show it
    SUPPRESS = "suppress"   # the first one dropped: answer, and tell the visitor the page keeps asking
    DROP = "drop"           # answer without a word


class DialogLimiter:
    """At most `limit` dialogs shown in `window_s` seconds; beyond, they are dropped until the page has
    opened none for `window_s` seconds (dropped ones count: a loop stays quiet for as long as it runs)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, limit: int = 3,
                 window_s: float = 10.0) -> None:
        self._clock, self.limit, self.window_s = clock, limit, window_s
        self._shown: deque[float] = deque()
        self._last: float | None = None
        self.suppressing = False

    def check(self) -> Verdict:
        now = self._clock()
        if self._last is not None and now - self._last >= self.window_s:
            self.suppressing = False
            self._shown.clear()
        self._last = now
        while self._shown and now - self._shown[0] >= self.window_s:
            self._shown.popleft()
        if self.suppressing:
            return Verdict.DROP
        if len(self._shown) >= self.limit:
            self.suppressing = True
            return Verdict.SUPPRESS
        self._shown.append(now)
        return Verdict.SHOW


TITLES = {
    DialogKind.ALERT: N_("The site shows a message"),
    DialogKind.CONFIRM: N_("The site asks a question"),
    DialogKind.PROMPT: N_("The site asks a question"),
}
EXPLANATIONS = {
    DialogKind.ALERT: N_("This message comes from the official site. Read it, then close this window."),
    DialogKind.CONFIRM: N_("The kiosk answered “no” for you, so nothing has changed. To answer “yes”, "
                           "press “Answer yes”, then do the same thing again on the site."),
    DialogKind.PROMPT: N_("The kiosk cannot answer this question for you. Ask a mediator."),
}
ANSWER_YES = N_("Answer yes")
KEEPS_ASKING = N_("The site keeps showing messages")
KEEPS_ASKING_TEXT = N_("The kiosk no longer shows them. If the page does not work, press “The site is "
                       "not working” or ask a mediator.")
CLOSE = N_("Close")


class PageDialogOverlay(Overlay):
    """The site's dialogs, over the site only: the guide beside it and the kiosk's bars (Back, Help,
    Finish) stay in reach. Not modal, no event loop of its own: the page already has its answer.

    The site's words are marked `personal` (a message can name the visitor): read aloud only through
    a headset; the kiosk's explanation is always read."""

    closed = Signal()
    yes_requested = Signal(str)

    def __init__(self, parent: QWidget, cover: QWidget) -> None:
        super().__init__(parent, "page_dialog")
        self._layout.setContentsMargins(32, 32, 32, 32)
        self._cover = cover                     # the widget covered (a sibling: the site's area)
        cover.installEventFilter(self)
        self.entries: list[tuple[DialogKind, str]] = []
        self.keeps_asking = False
        self._tr: Translator | None = None
        self.title = label("title")
        self.pictogram = Pictogram()          # beside the title: the site speaking (issue 19 point 5)
        self.area, self._column = scroll_column()
        self.close_button = button("primary", "page_dialog_close")
        self.close_button.clicked.connect(self.closed)
        self._layout.addLayout(titled_row(self.pictogram, self.title))
        self._layout.addWidget(self.area, 1)
        self._layout.addWidget(self.close_button)

    def add(self, tr: Translator, kind: DialogKind, message: str) -> None:
        entry = (kind, message[:MAX_MESSAGE])
        if not self.entries or self.entries[-1] != entry:
            self.entries = [*self.entries, entry][-MAX_ENTRIES:]
        self._open(tr)

    def show_keeps_asking(self, tr: Translator) -> None:
        self.keeps_asking = True
        self._open(tr)

    def forget(self, message: str) -> None:
        """The visitor answered `message` ("Answer yes"): it leaves the screen."""
        self.entries = [e for e in self.entries if e[1] != message]
        if not self.entries and not self.keeps_asking:
            self.reset()
        elif self._tr is not None:
            self.retranslate(self._tr)

    def _open(self, tr: Translator) -> None:
        self.retranslate(tr)
        if not self.isVisible():
            self.setGeometry(self._cover.geometry())
            self.show()                  # above the site, under the step's own overlays (made later)

    def retranslate(self, tr: Translator) -> None:
        self._tr = tr
        latest = self.entries[-1][0] if self.entries else DialogKind.ALERT
        self.title.setText(tr.tr(KEEPS_ASKING) if self.keeps_asking else tr.tr(TITLES[latest]))
        self.pictogram.draw(SITE_PICTOGRAM, self.title.text())
        clear_layout(self._column)
        if self.keeps_asking:                    # first: it is why the messages stopped
            notice = label()
            notice.setObjectName("page_dialog_keeps_asking")
            notice.setText(tr.tr(KEEPS_ASKING_TEXT))
            self._column.addWidget(notice)
        for kind, message in self.entries:
            words = label()
            words.setObjectName("page_dialog_message")
            words.setProperty("personal", True)
            words.setProperty("role", "card")
            words.setText(tr.lead + isolate(message))
            explanation = label()
            explanation.setObjectName("page_dialog_explanation")
            explanation.setText(tr.tr(EXPLANATIONS[kind]))
            self._column.addWidget(words)
            self._column.addWidget(explanation)
            if kind is DialogKind.CONFIRM:
                yes = WrapButton(name="page_dialog_yes")
                yes.setText(tr.tr(ANSWER_YES))
                yes.clicked.connect(lambda _=False, m=message: self.yes_requested.emit(m))
                self._column.addWidget(yes)
        self._column.addStretch(1)
        self.close_button.setText(tr.tr(CLOSE))

    def reset(self) -> None:
        self.entries = []
        self.keeps_asking = False
        clear_layout(self._column)
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt naming
        if watched is self._cover and event.type() in (QEvent.Type.Resize, QEvent.Type.Move):
            self.setGeometry(self._cover.geometry())
        return False
