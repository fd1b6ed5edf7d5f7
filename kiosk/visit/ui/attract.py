"""Attract screen: 'touch to start' cycling through the offered languages.

What it shows rotates; what assistive technology reads does not: the page speaks the terminal's default
language (its texts' accessible names and the page's locale, by which a screen reader picks its voice),
and the start button's description lists the other languages the visit offers. Each line of the list
of invitations has its own language's locale.

Every offered language's invitation shows at once, in a grid whose columns follow the screen's shape
(`invitation_columns`): 14 languages in one column overflowed a landscape 1280x720 screen, the list
covering the start button. The welcome line takes the largest of three sizes with which the whole page
fits (`_fit`): a long translation on a landscape screen gets a smaller line, not a clipped one.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QLocale, Qt, QTimer, Signal
from PySide6.QtGui import QMouseEvent, QResizeEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout

from kiosk.i18n import N_, Translator, isolate
from kiosk.ui.accessibility import mark_heading
from kiosk.ui.page import Page
from kiosk.ui.widgets import button, direction, label

DEMO_MARK = N_("Demonstration terminal: some devices are simulated.")
WELCOME = N_("Welcome. This terminal helps you with your residence procedures.")
START = N_("Touch here to start")
WELCOME_ROLES = ("attract", "title", "notice")      # style roles of the welcome line, largest first


def invitation_columns(count: int, width: int, height: int) -> int:
    """Columns of the grid of invitations: one while a column fits (a few languages, portrait), two in
    portrait, up to four side by side on a landscape screen; never more columns than invitations."""
    if count <= 0:
        return 1
    if height >= width:
        wanted = 1 if count <= 6 else 2
    else:
        wanted = 4 if width >= 1200 and count > 9 else 3 if count > 3 else count
    return max(1, min(count, wanted))


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
        layout.setContentsMargins(48, 32, 48, 32)
        layout.addWidget(self.site_label)
        self.demo_mark = label("notice")         # a demo must never pass for a terminal in service
        self.demo_mark.setObjectName("demo_mark")
        self.demo_mark.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.demo_mark.setVisible(demo)
        layout.addWidget(self.demo_mark)
        layout.addStretch(2)
        layout.addWidget(self._invite)
        layout.addSpacing(32)
        layout.addWidget(self._start)
        layout.addSpacing(32)
        self._grid = QGridLayout()
        self._grid.setHorizontalSpacing(24)
        self._grid.setVerticalSpacing(4)
        layout.addLayout(self._grid)
        self._columns = 0
        self._others: list[QLabel] = []
        for code in languages:      # every offered language at once, so nobody waits for theirs
            other = label("muted")
            other.setAlignment(Qt.AlignmentFlag.AlignCenter)
            tr = translators(code)
            other.setText(tr.tr(START))
            other.setLayoutDirection(direction(tr.rtl))
            other.setLocale(QLocale(tr.language.locale))
            self._others.append(other)
        self._arrange(invitation_columns(len(languages), 1080, 1920))
        layout.addStretch(3)
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._timer.start()
        self._name_once()
        self._show_language()

    def _arrange(self, columns: int) -> None:
        if columns == self._columns:
            return
        self._columns = columns
        for other in self._others:
            self._grid.removeWidget(other)
        for i, other in enumerate(self._others):
            self._grid.addWidget(other, i // columns, i % columns)

    def resizeEvent(self, event: QResizeEvent) -> None:
        size = event.size()
        self._arrange(invitation_columns(len(self._others), size.width(), size.height()))
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        """The welcome line in the largest role with which the page's content fits its height."""
        layout = self.layout()
        if layout is None or self.height() <= 0:
            return
        for role in WELCOME_ROLES:
            if self._invite.property("role") != role:
                self._invite.setProperty("role", role)
                self._invite.style().unpolish(self._invite)
                self._invite.style().polish(self._invite)
            if layout.totalHeightForWidth(self.width()) <= self.height():
                return

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
        self._fit()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.touched.emit()
        event.accept()

    def retranslate(self, tr: Translator) -> None:
        self._show_language()

    def reset(self) -> None:
        self._index = 0
        self._show_language()
