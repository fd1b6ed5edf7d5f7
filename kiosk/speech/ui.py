"""Read-aloud for visitors who do not read: the speaker button in the top bar.

Read-aloud on: every new screen, and every message that opens over it (idle warning, printing or
scanning problem, help), is read by itself. It turns on by a press of the speaker button (which reads
the screen), or by itself when the visitor chose their language after hearing its name (the language
page's second touch, `heard_choice`; terminal option `[devices] read_aloud_from_start`): the kiosk's
voice then guides from the first screen, in that language, with nothing to find. A choice made through
a screen reader or a key does not turn it on (the visitor has their own voice). The button shows the
state (checked, highlighted): a press while it speaks silences it and turns read-aloud off; a press
when silent reads the screen again and turns it on. The visit's end (wipe step `reset`) stops it,
forgets what was said and turns it off.

On the language page a touched language's name is said in that language (`say_language_name`), with
read-aloud on or off; the chime alone when the kiosk has no voice for it (never another language's).

An alert (the idle warning) is said whether read-aloud is on or not: `alert` plays a chime, then the
sentence, at the terminal's alert volume; an overlay with the alert role is not read again when it opens.

What is read is what the visitor sees, in reading order: the visible labels and buttons of the page or
of the open overlay. Text fields are never read (they hold what the visitor typed), nor is any widget
marked with the `personal` property, unless the terminal has a headset (kiosk.speech.engines).

A language without a voice (Pashto, Wolof) is never read with another language's voice: a bar says
so and offers the languages of `Language.listen_in`; choosing one reads the same screen in that
language (retranslated for the moment of reading only).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Protocol

from PySide6.QtCore import QEvent, QObject, QTimer, SignalInstance
from PySide6.QtWidgets import QAbstractButton, QFrame, QHBoxLayout, QLabel, QSizePolicy, QWidget

from kiosk.i18n import Translator
from kiosk.i18n.languages import LANGUAGES
from kiosk.speech.engines import LISTEN_IN, Segment, SpeakResult, SpeakStatus, Speech
from kiosk.ui.accessibility import ALERT, ROLE
from kiosk.ui.overlays import Overlay
from kiosk.ui.page import Page
from kiosk.ui.widgets import button, clear_layout, label

log = logging.getLogger(__name__)


def visible_segments(root: QWidget) -> list[Segment]:
    """The labels and buttons of `root` a visitor can see, top to bottom (then start to end)."""
    found: list[tuple[int, int, Segment]] = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root) or widget.property("skip_reading"):
            continue
        if isinstance(widget, QLabel):
            text = widget.text()
        elif isinstance(widget, QAbstractButton):
            text = widget.text() or widget.accessibleName()
        else:
            continue
        if not text.strip():
            continue
        where = widget.mapTo(root, widget.rect().topLeft())
        found.append((where.y(), where.x(), Segment(text, personal=bool(widget.property("personal")))))
    found.sort(key=lambda item: (item[0] // 8, item[1]))
    return [segment for _y, _x, segment in found]


class ReadAloudHost(Protocol):
    """What read-aloud needs of the window it reads: the screen as the visitor sees it."""

    @property
    def top_bar(self) -> QWidget: ...      # read before the page: where the visitor is
    @property
    def translator(self) -> Translator: ...
    def translators(self, code: str) -> Translator: ...
    def overlays(self) -> list[Overlay]: ...
    def current_page(self) -> Page: ...
    def visit_active(self) -> bool: ...
    def visit_language(self) -> str: ...


class ReadAloud(QObject):
    def __init__(self, host: ReadAloudHost, speech: Speech, screen_changed: SignalInstance,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.host, self.speech = host, speech
        self.on = False
        self.from_start = False            # [devices] read_aloud_from_start (kiosk/app.py sets it)
        self._pending = False
        self.button = button(name="nav_read_aloud")
        self.button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.button.setCheckable(True)     # assistive technology reads the state: on or off
        self.button.clicked.connect(self.pressed)
        self.no_voice_bar = QFrame()
        self.no_voice_bar.setObjectName("no_voice_bar")
        self.no_voice_bar.setProperty("skip_reading", True)
        bar = QHBoxLayout(self.no_voice_bar)
        self.no_voice_text = label()
        self.no_voice_buttons = QHBoxLayout()
        bar.addWidget(self.no_voice_text, 1)
        bar.addLayout(self.no_voice_buttons)
        self.no_voice_bar.hide()
        self._listen_in: str | None = None
        screen_changed.connect(self._on_screen_changed)
        for overlay in host.overlays():
            overlay.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt naming
        if event.type() == QEvent.Type.Show and watched.property(ROLE) != ALERT:
            self.read_later()                 # a message opened over the screen: read it too
        return False

    @property
    def translator(self) -> Translator:
        return self.host.translator

    def retranslate(self, tr: Translator) -> None:
        self.button.setText("\U0001F50A")
        self.button.setAccessibleName(tr.tr("Read aloud"))

    # --- what to read ------------------------------------------------------------------------------
    def _segments(self, language: str | None = None) -> list[Segment]:
        """The screen's text, in `language` if given (retranslated just for reading): the message
        open over the page if there is one, else the top bar and the page."""
        overlays = [o for o in self.host.overlays() if o.isVisible()]
        if overlays:
            return visible_segments(overlays[-1])
        page = self.host.current_page()
        if language is None:
            return [*visible_segments(self.host.top_bar), *visible_segments(page)]
        page.retranslate(self.host.translators(language))
        try:
            return visible_segments(page)
        finally:
            page.retranslate(self.translator)

    # --- actions ---------------------------------------------------------------------------------
    def pressed(self) -> None:
        if self.speech.speaking:
            self.speech.stop()
            self._set_on(False)
            return
        self._set_on(True)
        self.read()

    def _set_on(self, on: bool) -> None:
        self.on = on
        self.button.setChecked(on)
        self.button.setProperty("role", "primary" if on else "")
        self.button.style().unpolish(self.button)
        self.button.style().polish(self.button)

    def say_language_name(self, code: str) -> SpeakResult:
        """A language touched on the language page: its name, said in that language by its own voice
        (or its recording); the chime alone when the kiosk has neither, so the touch is still heard."""
        language = self.host.translators(code).language
        result = self.speech.speak([language.native_name], language)
        if result.status is not SpeakStatus.SPEAKING:
            self.speech.chime()
        return result

    def heard_choice(self, code: str) -> None:
        """The visitor chose `code` after hearing its name: they may not read. With the terminal's
        `from_start` and a voice for that language, read-aloud is on from the next screen."""
        if self.from_start and self.speech.has_voice(self.host.translators(code).language):
            self._set_on(True)
            self.read_later()

    def read(self) -> None:
        if self.speech.has_voice(self.translator.language):
            self._listen_in = None
        language = self.host.translators(self._listen_in or self.host.visit_language()).language
        result = self.speech.speak(self._segments(self._listen_in), language)
        self._show(result)

    def alert(self, sentences: Callable[[Translator], Sequence[str]]) -> SpeakResult:
        """Say an alert now, read-aloud on or off: a chime, then `sentences` (made with the translator
        of the language said) in the visitor's language, else in the language they chose to listen in,
        else in the first of their language's `listen_in` with a voice; the chime alone if none has."""
        codes = [self.host.visit_language(), self._listen_in,
                 *self.host.translators(self.host.visit_language()).language.listen_in]
        translators = [self.host.translators(code) for code in codes if code]
        tr = next((t for t in translators if self.speech.has_voice(t.language)), translators[0])
        return self.speech.alert(list(sentences(tr)), tr.language)

    def read_later(self) -> None:
        """Read what is on screen once it is drawn (after a screen change or an overlay opened); several
        asks before then read it once."""
        if self.on and not self._pending:
            self._pending = True
            QTimer.singleShot(0, self._read_pending)

    def _read_pending(self) -> None:
        self._pending = False
        if self.on:
            self.read()

    def _show(self, result: SpeakResult) -> None:
        if not result.no_voice:
            self.no_voice_bar.hide()
            return
        tr = self.translator
        self.no_voice_text.setText(tr.tr(result.message))
        clear_layout(self.no_voice_buttons)
        for code in result.alternatives:
            choice = button(name=f"listen_in_{code}")
            choice.setText(tr.tr(LISTEN_IN, language=LANGUAGES[code].native_name))
            choice.clicked.connect(lambda _=False, c=code: self._on_listen_in_clicked(c))
            self.no_voice_buttons.addWidget(choice)
        self.no_voice_bar.show()

    def _on_listen_in_clicked(self, code: str) -> None:
        self._listen_in = code
        self.read()

    def _on_screen_changed(self) -> None:
        if not self.host.visit_active():
            return
        self.read_later()

    def reset(self) -> None:
        """Wipe step."""
        self._set_on(False)
        self._listen_in = None
        self.no_voice_bar.hide()
        self.speech.reset()
