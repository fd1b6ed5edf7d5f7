"""Attract screen: 'touch to start' cycling through the offered languages.

What it shows rotates; what assistive technology reads does not: the page speaks the terminal's default
language (its texts' accessible names and the page's locale, by which a screen reader picks its voice),
and the start button's description lists the other languages the visit offers. Each line of the list
of invitations has its own language's locale.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QLocale, Qt, QTimer, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout

from kiosk.i18n import N_, Translator, isolate
from kiosk.ui.accessibility import mark_heading
from kiosk.ui.page import Page
from kiosk.ui.widgets import button, direction, label

DEMO_MARK = N_("Demonstration terminal: some devices are simulated.")
WELCOME = N_("Welcome. This terminal helps you with your residence procedures.")
START = N_("Touch here to start")


class AttractPage(Page):
    """Signals: touched() — the visitor touched the screen."""

    touched = Signal()

    def __init__(self, translators: Callable[[str], Translator], languages: tuple[str, ...],
                 site_name: str, interval_ms: int = 2500, demo: bool = False, default: str = "") -> None:
        super().__init__()
        self._translators = translators
        self._languages = languages
        self._default = default or languages[0]      # the terminal's language: what is read aloud
        self._index = 0
        self.site_label = label("muted")
        self.site_label.setText(site_name)
        self.site_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._invite = mark_heading(label("attract"))
        self._invite.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._start = button("primary", "attract_start")
        self._start.clicked.connect(self.touched)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 48, 48, 48)
        layout.addWidget(self.site_label)
        self.demo_mark = label("title")          # a demo must never pass for a terminal in service
        self.demo_mark.setObjectName("demo_mark")
        self.demo_mark.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.demo_mark.setVisible(demo)
        layout.addWidget(self.demo_mark)
        layout.addStretch(2)
        layout.addWidget(self._invite)
        layout.addSpacing(32)
        layout.addWidget(self._start)
        layout.addSpacing(48)
        self._others: list[QLabel] = []
        for code in languages:      # every offered language at once, so nobody waits for theirs
            other = label("muted")
            other.setAlignment(Qt.AlignmentFlag.AlignCenter)
            tr = translators(code)
            other.setText(tr.tr(START))
            other.setLayoutDirection(direction(tr.rtl))
            other.setLocale(QLocale(tr.language.locale))
            layout.addWidget(other)
            self._others.append(other)
        layout.addStretch(3)
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._timer.start()
        self._name_once()
        self._show_language()

    def _name_once(self) -> None:
        """The stable accessible names, in the terminal's default language."""
        tr = self._translators(self._default)
        self.setLocale(QLocale(tr.language.locale))
        self._invite.setAccessibleName(tr.tr(WELCOME))
        self.demo_mark.setAccessibleName(tr.tr(DEMO_MARK))
        self._start.setAccessibleName(tr.tr(START))
        others = ", ".join(isolate(self._translators(code).language.native_name)
                           for code in self._languages if code != self._default)
        self._start.setAccessibleDescription(tr.tr("Other languages: {languages}", languages=others)
                                             if others else "")

    def _on_timer_timeout(self) -> None:
        self._index = (self._index + 1) % len(self._languages)
        self._show_language()

    def _show_language(self) -> None:
        tr = self._translators(self._languages[self._index])
        self._invite.setText(tr.tr(WELCOME))
        self._invite.setLayoutDirection(direction(tr.rtl))
        self._start.setText(tr.tr(START))
        self.demo_mark.setText(tr.tr(DEMO_MARK))
        self.demo_mark.setLayoutDirection(direction(tr.rtl))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.touched.emit()
        event.accept()

    def retranslate(self, tr: Translator) -> None:
        self._show_language()

    def reset(self) -> None:
        self._index = 0
        self._show_language()
