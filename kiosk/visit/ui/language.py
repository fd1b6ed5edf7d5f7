"""Language picker: native names (CLDR), no flags."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QGridLayout, QVBoxLayout, QWidget

from kiosk.i18n import Translator
from kiosk.i18n.languages import Language
from kiosk.ui.accessibility import mark_heading
from kiosk.ui.page import Page
from kiosk.ui.widgets import WrapButton, direction, label, scroll_column


class LanguagePage(Page):
    """Signals: language_chosen(code)."""

    language_chosen = Signal(str)

    def __init__(self, languages: Mapping[str, Language]) -> None:
        super().__init__()
        self._title = mark_heading(label("title"))
        area, column = scroll_column()
        grid_host = QWidget()
        self._grid = QGridLayout(grid_host)
        self._grid.setSpacing(16)
        self._columns = 0
        self.buttons: dict[str, WrapButton] = {}
        self._languages = languages
        for code, lang in languages.items():
            btn = WrapButton(name=f"lang_{code}")
            btn.setLayoutDirection(direction(lang.rtl))
            btn.clicked.connect(lambda _=False, c=code: self.language_chosen.emit(c))
            self.buttons[code] = btn
        self._lay_out(2)
        column.addWidget(self._title)
        column.addWidget(grid_host)
        column.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(area)

    def _lay_out(self, columns: int) -> None:
        """Every language at once, no scrolling: 2 columns on a portrait screen, 3 on a landscape one."""
        if columns == self._columns:
            return
        self._columns = columns
        for btn in self.buttons.values():
            self._grid.removeWidget(btn)
        for i, btn in enumerate(self.buttons.values()):
            self._grid.addWidget(btn, i // columns, i % columns)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt naming
        super().resizeEvent(event)
        self._lay_out(3 if self.width() > self.height() else 2)

    def retranslate(self, tr: Translator) -> None:
        self._title.setText(tr.tr("Choose your language"))
        for code, btn in self.buttons.items():
            if not btn.text():          # CLDR names load on first show, not at start-up
                btn.setText(self._languages[code].native_name)

    def reset(self) -> None:
        pass
