"""Procedure picker: one large button per guide, with its one-line summary and, when the guide names
one, its pictogram; the page's own pictogram beside its title."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout

from kiosk.content.model import Pack
from kiosk.i18n import Translator
from kiosk.ui.accessibility import mark_heading
from kiosk.ui.page import Page
from kiosk.ui.widgets import WrapButton, label, scroll_column
from kiosk.visit.ui.pictograms import BUTTON_PICTOGRAM_SIZE, PROCEDURES_PICTOGRAM, Pictogram, titled_row


class ProcedurePage(Page):
    """Signals: procedure_chosen(procedure_id)."""

    procedure_chosen = Signal(str)

    def __init__(self, pack: Pack) -> None:
        super().__init__()
        self._pack = pack
        self._title = mark_heading(label("title"))
        self._hint = label("muted")
        self.pictogram = Pictogram(Path(pack.path))
        area, column = scroll_column()
        column.addLayout(titled_row(self.pictogram, self._title))
        column.addWidget(self._hint)
        self.buttons: dict[str, WrapButton] = {}
        for proc in pack.procedures.values():
            btn = WrapButton(name=f"proc_{proc.id}", symbol=" " if proc.pictogram else "")
            if btn.mark is not None:            # the guide's own pictogram, at the start of its button
                self.pictogram.draw_into(btn.mark, proc.pictogram, BUTTON_PICTOGRAM_SIZE)
            btn.clicked.connect(lambda _=False, p=proc.id: self.procedure_chosen.emit(p))
            column.addWidget(btn)
            self.buttons[proc.id] = btn
        column.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(area)

    def retranslate(self, tr: Translator) -> None:
        self._title.setText(tr.tr("What do you want to do today?"))
        self.pictogram.draw(PROCEDURES_PICTOGRAM, self._title.text())
        self._hint.setText(tr.text("This guide explains the procedure. The official site decides."))
        for pid, btn in self.buttons.items():
            proc = self._pack.procedures[pid]
            btn.setText(f"{tr.content(proc.title)}\n{tr.content(proc.summary)}")

    def reset(self) -> None:
        pass
