"""Address step: the visitor types their e-mail address, to print it on a slip (kiosk.receipts.slip).

Never a password: the page says so and has no field for one. The address is the visitor's data: the
field reports every change (typing on either keyboard, a paste, an assistive technology) through
`address_changed`, the session's model keeps it (Visit.set_email_address), the slip is made from the
model, and the wipe clears the field with every page. The kiosk's keyboard opens on its Latin layout
(an address is written in Latin letters, with @ and . on that layout).

Signals: address_changed(str), slip_requested().
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLineEdit

from kiosk.content.model import Pack, Step, StepKind
from kiosk.i18n import N_, Translator
from kiosk.ui.widgets import WrapButton, label
from kiosk.visit.email import MAX_ADDRESS, looks_like_address
from kiosk.visit.ui.steps import StepPage

FIELD_LABEL = N_("Your e-mail address (never your password):")
FIELD_NAME = N_("Your e-mail address")
PRINT_SLIP = N_("Print my address on a paper")
NOT_AN_ADDRESS = N_("An e-mail address looks like name@example.fr, with no space.")
LATIN_KEYBOARD = "latin_keyboard"      # property read by the keyboard dock: open on the Latin layout


class AddressPage(StepPage):
    kind = StepKind.ADDRESS
    address_changed = Signal(str)
    slip_requested = Signal()

    def __init__(self, pack: Pack) -> None:
        super().__init__(pack)
        self._field_label = label()
        self.address_field = QLineEdit()
        self.address_field.setObjectName("email_address_field")
        self.address_field.setMinimumHeight(64)
        self.address_field.setMaxLength(MAX_ADDRESS)
        self.address_field.setInputMethodHints(Qt.InputMethodHint.ImhEmailCharactersOnly
                                               | Qt.InputMethodHint.ImhNoAutoUppercase
                                               | Qt.InputMethodHint.ImhNoPredictiveText
                                               | Qt.InputMethodHint.ImhSensitiveData)
        self.address_field.setProperty(LATIN_KEYBOARD, True)
        self.address_field.setLayoutDirection(Qt.LayoutDirection.LeftToRight)   # an address reads LTR
        self.address_field.textChanged.connect(self._on_text_changed)
        self._hint = label("muted")
        self.print_button = WrapButton("primary", "print_address_slip")
        self.print_button.clicked.connect(self.slip_requested)
        column = self._column
        index = column.indexOf(self._next)
        widgets = (self._field_label, self.address_field, self._hint, self.print_button)
        for offset, widget in enumerate(widgets):
            column.insertWidget(index + offset, widget)
        self._next.setProperty("role", "")
        self._tr_hint = ""

    def _on_text_changed(self, text: str) -> None:
        ok = looks_like_address(text)
        self.print_button.setEnabled(ok)
        self._hint.setText("" if ok or not text.strip() else self._tr_hint)
        self._hint.setVisible(bool(self._hint.text()))
        self.address_changed.emit(text)

    def _fill(self, step: Step, tr: Translator) -> None:
        self._field_label.setText(tr.tr(FIELD_LABEL))
        self.address_field.setAccessibleName(tr.tr(FIELD_NAME))
        self.print_button.setText(tr.tr(PRINT_SLIP))
        self._tr_hint = tr.tr(NOT_AN_ADDRESS)
        self._on_text_changed(self.address_field.text())

    def show_address(self, address: str) -> None:
        """The model's address in the field (coming back to the step, or after a language change)."""
        if self.address_field.text() != address:
            self.address_field.setText(address)

    def reset(self) -> None:
        super().reset()
        self.address_field.clear()
        self._hint.clear()

    def is_empty(self) -> bool:
        return super().is_empty() and not self.address_field.text()
