"""Shown when this prefecture still handles the visitor's request on paper (terminal config)."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout

from kiosk.i18n import Translator
from kiosk.ui.accessibility import mark_heading
from kiosk.ui.page import Page
from kiosk.ui.widgets import label, scroll_column


class PaperOnlyPage(Page):
    def __init__(self) -> None:
        super().__init__()
        self._title = mark_heading(label("title"))
        self._text = label()
        area, column = scroll_column()
        column.addWidget(self._title)
        column.addWidget(self._text)
        column.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(area)

    def retranslate(self, tr: Translator) -> None:
        self._title.setText(tr.tr("At this prefecture, this request is made on paper"))
        self._text.setText(tr.tr(
            "You do not do it on the website. A mediator will tell you which form to fill in, which "
            "papers to bring and where to give them.\n\nPress Back to choose something else."))

    def reset(self) -> None:
        pass
