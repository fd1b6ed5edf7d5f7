"""Shown when this prefecture still handles the visitor's request on paper (terminal config)."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout

from kiosk.i18n import Translator
from kiosk.ui.accessibility import mark_heading
from kiosk.ui.page import Page
from kiosk.ui.widgets import label, scroll_column
from kiosk.visit.ui.pictograms import PAPER_ONLY_PICTOGRAM, Pictogram, titled_row


class PaperOnlyPage(Page):
    def __init__(self) -> None:
        super().__init__()
        self._title = mark_heading(label("title"))
        self._text = label()
        self.pictogram = Pictogram()
        area, column = scroll_column()
        column.addLayout(titled_row(self.pictogram, self._title))
        column.addWidget(self._text)
        column.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(area)

    def retranslate(self, tr: Translator) -> None:
        self._title.setText(tr.tr("At this prefecture, this request is made on paper"))
        self.pictogram.draw(PAPER_ONLY_PICTOGRAM, self._title.text())
        self._text.setText(tr.tr(
            "You do not do it on the website. A mediator will tell you which form to fill in, which "
            "papers to bring and where to give them.\n\nPress Back to choose something else."))

    def reset(self) -> None:
        pass
