"""Helper-assist mode: the unlock gesture, the PIN pad, the mediator's panel and the visitor's consent.

The rules (who may unlock, delays, lockout, re-lock, the journal) live in plain Python behind the small
`MediatorGate` protocol; these widgets only show them. Nothing of a previous visitor is ever shown here:
the panel reads the current visit only, and is rebuilt each time it opens.

Gesture: press and hold the site name (top bar, or attract screen) for 3 seconds.

Signals (MediatorPanel): jump_requested(str step id), language_requested(str), reprint_requested(),
end_requested(), consent_requested(), handed_back(), french_toggled(bool), test_print_requested(),
test_scan_requested(), journal_check_requested(), restart_requested() (the last two: admins only).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Protocol

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kiosk.i18n import Translator
from kiosk.mediator.gate import Unlock
from kiosk.mediator.ui.address_checklist import AddressChecklist
from kiosk.ui.overlays import Overlay
from kiosk.ui.widgets import WrapButton, button, clear_layout, direction, label

HOLD_MS = 3000


class MediatorGate(Protocol):
    def unlock(self, code: str) -> Unlock: ...
    def touch(self) -> None: ...                 # mediator input: keeps the mode open
    def expired(self) -> bool: ...               # no mediator input for too long
    def journal(self, actor: str, action: str, **details: str) -> None: ...


class LongPress(QObject):
    """Event filter: calls `on_hold` after the watched widget was pressed for HOLD_MS."""

    def __init__(self, on_hold: Callable[[], None], hold_ms: int = HOLD_MS) -> None:
        super().__init__()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(hold_ms)
        self._timer.timeout.connect(on_hold)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt naming
        kind = event.type()
        if kind == QEvent.Type.MouseButtonPress:
            self._timer.start()
        elif kind in (QEvent.Type.MouseButtonRelease, QEvent.Type.Leave):
            self._timer.stop()
        return False


class PinPadOverlay(Overlay):
    """Signals: code_entered(str), cancelled()."""

    code_entered = Signal(str)
    cancelled = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, "pin_pad")
        self.title = label("title")
        self.field = QLineEdit()
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setObjectName("pin_field")
        self.field.setReadOnly(True)                 # typed with the pad or a badge reader
        self.message = label()
        self.message.setObjectName("pin_message")
        pad = QWidget()
        grid = QGridLayout(pad)
        self.keys: dict[str, object] = {}
        for i, key in enumerate([*"123456789", "⌫", "0", "OK"]):
            b = button("primary" if key == "OK" else "", f"pin_{key}")
            b.setText(key)
            b.setMinimumHeight(96)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            b.clicked.connect(lambda _=False, k=key: self.press(k))
            grid.addWidget(b, i // 3, i % 3)
            self.keys[key] = b
        self.cancel = button(name="pin_cancel")
        self.cancel.clicked.connect(self.cancelled)
        for w in (self.title, self.field, self.message, pad, self.cancel):
            self._layout.addWidget(w)
        self._layout.addStretch(1)

    def press(self, key: str) -> None:
        if key == "⌫":
            self.field.setText(self.field.text()[:-1])
        elif key == "OK":
            code = self.field.text()
            self.field.clear()
            self.code_entered.emit(code)
        elif len(self.field.text()) < 32:
            self.field.setText(self.field.text() + key)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - a USB badge reader types like a keyboard
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.press("OK")
        elif event.text().isalnum():
            self.field.setText(self.field.text() + event.text())

    def prepare(self, tr: Translator) -> None:
        self.title.setText(tr.tr("Mediator access"))
        self.message.setText(tr.tr("Type your code or read your badge."))
        self.cancel.setText(tr.tr("Cancel"))
        self.field.clear()
        self.open()
        self.setFocus()

    def refuse(self, tr: Translator, result: Unlock) -> None:
        if result.locked:
            self.message.setText(tr.trn("Too many wrong codes. Try again in {n} second.",
                                        "Too many wrong codes. Try again in {n} seconds.", result.wait_s))
        else:
            self.message.setText(tr.trn("Wrong code. Wait {n} second before trying again.",
                                        "Wrong code. Wait {n} seconds before trying again.",
                                        max(result.wait_s, 1)))


class MediatorPanel(Overlay):
    """The mediator's tools over the visitor's screen (opened after a successful unlock)."""

    jump_requested = Signal(str)
    language_requested = Signal(str)
    reprint_requested = Signal()
    end_requested = Signal()
    consent_requested = Signal()
    handed_back = Signal()
    french_toggled = Signal(bool)
    test_print_requested = Signal()
    test_scan_requested = Signal()
    journal_check_requested = Signal()
    config_check_requested = Signal()
    content_update_requested = Signal()
    restart_requested = Signal()
    power_off_requested = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, "mediator_panel")
        self.setObjectName("overlay")
        self._scrolled_layout()
        self.title = label("title")
        self.about = label("muted")
        self.devices = label("muted")
        self.devices.setObjectName("mediator_devices")
        self.steps_title, self.languages_title = label(), label()
        self.recheck = label("muted")               # the guide is past [content] recheck_after_days
        self.recheck.setObjectName("mediator_recheck")
        self.costs = label("muted")                 # the guide's payments, unverified figures marked
        self.costs.setObjectName("mediator_costs")
        self.steps_box, self.languages_box = QGridLayout(), QGridLayout()
        self.note = QLineEdit()
        self.note.setObjectName("mediator_note")
        self.note_label = label()
        self.consent = WrapButton(name="mediator_consent")
        self.reprint = WrapButton(name="mediator_reprint")
        self.end_visit = button("danger", "mediator_end")
        self.hand_back = button("primary", "mediator_hand_back")
        self.french = WrapButton(name="mediator_french")
        self.french.setCheckable(True)
        self.french.toggled.connect(self.french_toggled)
        self.consent.clicked.connect(self.consent_requested)
        self.reprint.clicked.connect(self.reprint_requested)
        self.end_visit.clicked.connect(self.end_requested)
        self.hand_back.clicked.connect(self.handed_back)
        row = QHBoxLayout()
        for b in (self.consent, self.reprint, self.french):
            row.addWidget(b)
        for w in (self.title, self.about, self.devices, self._build_device_tests(),
                  self._build_maintenance()):
            self._layout.addWidget(w)
        self._layout.addWidget(self.recheck)
        self._layout.addWidget(self.costs)
        self._layout.addWidget(self.steps_title)
        self._layout.addLayout(self.steps_box)
        self._layout.addWidget(self.languages_title)
        self._layout.addLayout(self.languages_box)
        self.address_checklist = AddressChecklist()     # "new e-mail address" (kiosk.mediator.new_address)
        self._layout.addWidget(self.address_checklist)
        self._layout.addWidget(self.note_label)
        self._layout.addWidget(self.note)
        self._layout.addLayout(row)
        self._layout.addStretch(1)
        self._layout.addWidget(self.end_visit)
        self._layout.addWidget(self.hand_back)

    def _scrolled_layout(self) -> None:
        """The panel is taller than a landscape screen: its content scrolls, the overlay stays put."""
        outer = self._layout
        outer.setContentsMargins(24, 24, 24, 24)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        content = QWidget()
        content.setObjectName("overlay")
        self._layout = QVBoxLayout(content)
        self._layout.setContentsMargins(24, 24, 24, 24)
        self._layout.setSpacing(16)
        scroll.setWidget(content)
        outer.addWidget(scroll)

    def _build_device_tests(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.test_print = WrapButton(name="mediator_test_print")
        self.test_scan = WrapButton(name="mediator_test_scan")
        self.test_print.clicked.connect(self.test_print_requested)
        self.test_scan.clicked.connect(self.test_scan_requested)
        row.addWidget(self.test_print)
        row.addWidget(self.test_scan)
        self.device_result = label("muted")
        self.device_result.setObjectName("mediator_device_result")
        layout.addLayout(row)
        layout.addWidget(self.device_result)
        return box

    def _build_maintenance(self) -> QWidget:
        """Admins only: check the journal, restart the app (systemd starts it again)."""
        self.maintenance = QWidget()
        layout = QVBoxLayout(self.maintenance)
        layout.setContentsMargins(0, 0, 0, 0)
        self.maintenance_title = label()
        self.journal_check = WrapButton(name="mediator_journal_check")
        self.config_check = WrapButton(name="mediator_config_check")
        self.content_update = WrapButton(name="mediator_content_update")
        self.restart = button("danger", "mediator_restart")
        self.power_off = button("danger", "mediator_power_off")
        self.journal_check.clicked.connect(self.journal_check_requested)
        self.config_check.clicked.connect(self.config_check_requested)
        self.content_update.clicked.connect(self.content_update_requested)
        self.restart.clicked.connect(self.restart_requested)
        self.power_off.clicked.connect(self.power_off_requested)
        self.maintenance_result = label("muted")
        self.maintenance_result.setObjectName("mediator_maintenance_result")
        grid = QGridLayout()
        for i, b in enumerate((self.journal_check, self.config_check, self.content_update, self.restart,
                               self.power_off)):
            grid.addWidget(b, i // 2, i % 2)
        layout.addWidget(self.maintenance_title)
        layout.addLayout(grid)
        layout.addWidget(self.maintenance_result)
        return self.maintenance

    def show_for(self, tr: Translator, actor: str, about: str, devices: str,
                 steps: list[tuple[str, str]], languages: Mapping[str, str], can_reprint: bool,
                 admin: bool = False, french: bool | None = None, rechecking: dt.date | None = None,
                 costs: Sequence[str] = ()) -> None:
        """Rebuild from the current visit only; `steps` are (id, French title) of the procedure.
        `languages`: code -> native name of the languages offered.
        `french`: whether the French is shown beside the translation (None: visitor reads French).
        `rechecking`: the guide's checked date when it is past its age (kiosk.content.stale.recheck_due).
        `costs`: the guide's payments for the mediator, heading first (kiosk.visit.costs.for_mediator)."""
        self.setLayoutDirection(direction(tr.rtl))      # the mediator's language, not the visitor's
        self.title.setText(tr.tr("Mediator mode — {actor}", actor=actor))
        self.about.setText(about)
        self.devices.setText(devices)
        self.test_print.setText(tr.tr("Test print"))
        self.test_scan.setText(tr.tr("Test scan"))
        self.french.setText(tr.tr("French beside the translation"))
        self.french.setVisible(french is not None)
        self.french.blockSignals(True)
        self.french.setChecked(bool(french))
        self.french.blockSignals(False)
        self.maintenance.setVisible(admin)
        self.maintenance_title.setText(tr.tr("Maintenance (administrator)"))
        self.journal_check.setText(tr.tr("Check the journal"))
        self.restart.setText(tr.tr("Restart the kiosk"))
        self.config_check.setText(tr.tr("Check the configuration"))
        self.content_update.setText(tr.tr("Update the content now"))
        self.power_off.setText(tr.tr("Power off"))
        self.steps_title.setText(tr.tr("Go to a step"))
        self.recheck.setText(tr.tr("This guide is being re-checked (last checked on {date}). The visitor "
                                   "still gets it.", date=tr.date(rechecking)) if rechecking else "")
        self.recheck.setVisible(rechecking is not None)
        self.costs.setText("\n".join(costs))
        self.costs.setVisible(bool(costs))
        self.languages_title.setText(tr.tr("Visitor's language"))
        self.note_label.setText(tr.tr("Note for the receipt"))
        self.consent.setText(tr.tr("Ask the visitor's consent to type for them"))
        self.reprint.setText(tr.tr("Print the receipt again"))
        self.reprint.setEnabled(can_reprint)
        self.end_visit.setText(tr.tr("End the visit for the visitor"))
        self.hand_back.setText(tr.tr("Hand back to the visitor"))
        for box in (self.steps_box, self.languages_box):
            clear_layout(box)
        for i, (step_id, title) in enumerate(steps):
            b = WrapButton(name=f"jump_{step_id}")
            b.setText(title)
            b.clicked.connect(lambda _=False, s=step_id: self.jump_requested.emit(s))
            self.steps_box.addWidget(b, i // 2, i % 2)
        for i, (code, name) in enumerate(languages.items()):
            choice = button(name=f"mlang_{code}")
            choice.setText(name)
            choice.clicked.connect(lambda _=False, c=code: self.language_requested.emit(c))
            self.languages_box.addWidget(choice, i // 4, i % 4)
        self.steps_title.setVisible(bool(steps))
        self.address_checklist.retranslate(tr)
        self.open()

    def reset(self) -> None:
        self.note.clear()
        self.address_checklist.reset()
        for text in (self.devices, self.device_result, self.maintenance_result):
            text.clear()
        for box in (self.steps_box, self.languages_box):
            clear_layout(box)
        self.hide()


class ConsentOverlay(Overlay):
    """Asked to the visitor, in their language. Signals: answered(bool)."""

    answered = Signal(bool)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, "consent")
        self.question = label("title")
        self.yes = button("primary", "consent_yes")
        self.no = button(name="consent_no")
        self.yes.clicked.connect(lambda: self.answered.emit(True))
        self.no.clicked.connect(lambda: self.answered.emit(False))
        self._layout.addStretch(1)
        for w in (self.question, self.yes, self.no):
            self._layout.addWidget(w)
        self._layout.addStretch(2)

    def ask(self, tr: Translator) -> None:
        self.question.setText(tr.tr("The mediator offers to type for you on this screen. Do you agree?"))
        self.yes.setText(tr.tr("Yes, the mediator can help me"))
        self.no.setText(tr.tr("No, I prefer to type myself"))
        self.open()
