"""The "new e-mail address" checklist in the mediator's panel (items: kiosk.mediator.new_address).

A header button opens or closes it; each item is a large checkable button (its text wraps: a check
box's does not, and would widen the panel past the screen) the mediator ticks while going through it
with the visitor. Rebuilt in the mediator's language each time the panel opens; the ticks
are cleared with the panel (re-lock, wipe)."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QVBoxLayout

from kiosk.i18n import Translator
from kiosk.mediator.new_address import INTRO, ITEMS, TITLE
from kiosk.ui.widgets import WrapButton, label


class AddressChecklist(QFrame):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("mediator_address_checklist")
        self.setProperty("role", "card")
        box = QVBoxLayout(self)
        box.setContentsMargins(16, 12, 16, 12)
        box.setSpacing(10)
        self.toggle = WrapButton(name="mediator_address_toggle")
        self.toggle.setCheckable(True)
        self.toggle.toggled.connect(self._on_toggled)
        self.intro = label("muted")
        self.items: dict[str, WrapButton] = {}
        self._texts: dict[str, str] = {}
        self._tr: Translator | None = None
        box.addWidget(self.toggle)
        box.addWidget(self.intro)
        for key, _text in ITEMS:
            item = WrapButton(name=f"mediator_address_{key}")
            item.setCheckable(True)
            item.setMinimumHeight(56)
            item.toggled.connect(lambda _=False, k=key: self._label(k))
            self.items[key] = item
            box.addWidget(item)
        self._on_toggled(False)

    def retranslate(self, tr: Translator) -> None:
        self.toggle.setText(("▾ " if self.toggle.isChecked() else "▸ ") + tr.tr(TITLE))
        self.toggle.setAccessibleName(tr.tr(TITLE))
        self.intro.setText(tr.tr(INTRO))
        self._tr = tr
        for key, text in ITEMS:
            self._texts[key] = tr.tr(text)
            self.items[key].setAccessibleName(self._texts[key])
            self._label(key)

    def _label(self, key: str) -> None:
        self.items[key].setText(("☑ " if self.items[key].isChecked() else "☐ ") + self._texts.get(key, ""))

    def _on_toggled(self, shown: bool) -> None:
        self.intro.setVisible(shown)
        for item in self.items.values():
            item.setVisible(shown)
        if self._tr is not None:
            self.toggle.setText(("▾ " if shown else "▸ ") + self._tr.tr(TITLE))

    def done(self) -> list[str]:
        """The keys of the ticked items."""
        return [key for key, item in self.items.items() if item.isChecked()]

    def reset(self) -> None:
        for item in self.items.values():
            item.setChecked(False)
        self.toggle.setChecked(False)
