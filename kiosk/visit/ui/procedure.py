"""Procedure picker: one large button per guide, with its one-line summary."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout

from kiosk.content.model import Pack
from kiosk.i18n import Translator
from kiosk.ui.accessibility import mark_heading
from kiosk.ui.page import Page
from kiosk.ui.widgets import WrapButton, label, scroll_column


class ProcedurePage(Page):
    """Signals: procedure_chosen(procedure_id)."""

    procedure_chosen = Signal(str)

    def __init__(self, pack: Pack) -> None:
        super().__init__()
        self._pack = pack
        self._title = mark_heading(label("title"))
        self._hint = label("muted")
        area, column = scroll_column()
        column.addWidget(self._title)
        column.addWidget(self._hint)
        self.buttons: dict[str, WrapButton] = {}
        for proc in pack.procedures.values():
            btn = WrapButton(name=f"proc_{proc.id}")
            btn.clicked.connect(lambda _=False, p=proc.id: self.procedure_chosen.emit(p))
            column.addWidget(btn)
            self.buttons[proc.id] = btn
        column.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(area)

    def retranslate(self, tr: Translator) -> None:
        self._title.setText(tr.tr("What do you want to do today?"))
        self._hint.setText(tr.tr("This guide explains the procedure. The official site decides."))
        for pid, btn in self.buttons.items():
            proc = self._pack.procedures[pid]
            btn.setText(f"{tr.content(proc.title)}\n{tr.content(proc.summary)}")

    def reset(self) -> None:
        pass
