"""Date step: the visitor sets a date with large +/- buttons; the step's rule says where they stand.

The date stays in this page only (it is the visitor's data) and is cleared by the wipe.
Signals: outcome_chosen(str) — the rule's outcome for the date, or "unknown".

For assistive technology each +/- button is named by what it changes ("Day, plus one") and described by
the sentence below the picker, which changes with the date: a screen reader says the new sentence while
the button keeps the focus (description-changed), or when it reads the sentence itself (name-changed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QWidget

from kiosk.content.model import Pack, Step, StepKind
from kiosk.i18n import N_, Translator
from kiosk.ui.widgets import WrapButton, button, label
from kiosk.visit.dates import UNKNOWN, renewal_window, shift
from kiosk.visit.ui.steps import StepPage

FIELDS = ("day", "month", "year")
STEPS = {("day", +1): N_("Day, plus one"), ("day", -1): N_("Day, minus one"),
         ("month", +1): N_("Month, plus one"), ("month", -1): N_("Month, minus one"),
         ("year", +1): N_("Year, plus one"), ("year", -1): N_("Year, minus one")}


class DatePage(StepPage):
    kind = StepKind.DATE
    outcome_chosen = Signal(str)

    def __init__(self, pack: Pack, today: Callable[[], dt.date]) -> None:
        super().__init__(pack)
        self._today = today
        self.value = today()
        self._next.clicked.disconnect()
        self._next.clicked.connect(lambda: self.outcome_chosen.emit(self.outcome()))
        self._unknown = WrapButton(name="date_unknown")
        self._unknown.clicked.connect(lambda: self.outcome_chosen.emit(UNKNOWN))
        column = self._column
        column.insertWidget(column.indexOf(self._next) + 1, self._unknown)
        self._picker = QWidget()
        grid = QGridLayout(self._picker)
        grid.setSpacing(12)
        self._names: dict[str, QLabel] = {}
        self._values: dict[str, QLabel] = {}
        self.minus: dict[str, QPushButton] = {}
        self.plus: dict[str, QPushButton] = {}
        for row, name in enumerate(FIELDS):
            caption, value = label("muted"), label("title")
            value.setAlignment(Qt.AlignmentFlag.AlignCenter)
            minus, plus = button(name=f"{name}_minus"), button(name=f"{name}_plus")
            minus.setText("−")
            plus.setText("+")
            minus.clicked.connect(lambda _=False, f=name: self.step_field(f, -1))
            plus.clicked.connect(lambda _=False, f=name: self.step_field(f, +1))
            for col, widget in enumerate((caption, minus, value, plus)):
                grid.addWidget(widget, row, col)
            self._names[name], self._values[name] = caption, value
            self.minus[name], self.plus[name] = minus, plus
        grid.setColumnStretch(2, 2)
        self._result = label("title")
        self._result.setObjectName("date_result")
        stretch = column.indexOf(self._next) - 1      # right under the text, above the stretch
        column.insertWidget(stretch, self._picker)
        column.insertWidget(stretch + 1, self._result)

    def step_field(self, name: str, delta: int) -> None:
        self.value = shift(self.value, name, delta)
        if self._tr is not None:
            self._show_value(self._tr)

    def set_date(self, value: dt.date) -> None:
        self.value = value
        if self._tr is not None:
            self._show_value(self._tr)

    def outcome(self) -> str:
        return renewal_window(self.value, self._today()).outcome

    def _fill(self, step: Step, tr: Translator) -> None:
        for name, caption in zip(FIELDS, (tr.tr("Day"), tr.tr("Month"), tr.tr("Year")), strict=True):
            self._names[name].setText(caption)
            self.plus[name].setAccessibleName(tr.tr(STEPS[name, +1]))
            self.minus[name].setAccessibleName(tr.tr(STEPS[name, -1]))
        self._next.setText(tr.tr("Continue"))
        self._unknown.setText(tr.tr("I don't know the date"))
        self._show_value(tr)

    def _show_value(self, tr: Translator) -> None:
        d = self.value
        self._values["day"].setText(str(d.day))
        self._values["month"].setText(tr.month_name(d.month))
        self._values["year"].setText(str(d.year))
        result = renewal_window(d, self._today())
        dates = {"expiry": result.expiry, "opens": result.opens, "closes": result.closes}   # tr.text formats
        sentence = {
            "early": tr.text("Your card ends on {expiry}. It is too early: you can ask from {opens}.",
                             **dates),
            "window": tr.text("Your card ends on {expiry}. This is the right time: ask before {closes}.",
                              **dates),
            "late": tr.text("Your card ends on {expiry}. The period ended on {closes}: an extra fee may "
                            "apply. Ask now.", **dates),
            "expired": tr.text("Your card ended on {expiry}.", **dates),
        }[result.outcome]
        self._result.setText(sentence)                 # its accessible name: name-changed
        for pressable in (*self.plus.values(), *self.minus.values()):
            pressable.setAccessibleDescription(sentence)  # description-changed on the focused button

    def reset(self) -> None:
        super().reset()
        self.value = self._today()
        self._result.clear()
        for value in self._values.values():
            value.clear()
        for pressable in (*self.plus.values(), *self.minus.values()):
            pressable.setAccessibleDescription("")     # the visitor's date, in the sentence

    def is_empty(self) -> bool:
        return (super().is_empty() and not self._result.text()
                and not any(b.accessibleDescription() for b in (*self.plus.values(), *self.minus.values())))
