"""Wires helper-assist mode into the main window: gesture → PIN pad → panel → actions, each journaled.

Kept out of main_window.py so the window stays a host of pages and overlays.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QLabel, QWidget

from kiosk.content.stale import recheck_due
from kiosk.health.ui.device_check import DeviceCheck
from kiosk.health.ui.maintenance import Maintenance
from kiosk.i18n import Translator
from kiosk.mediator.auth import Capability, can
from kiosk.mediator.gate import Unlock
from kiosk.mediator.ui.panel import (
    ConsentOverlay,
    LongPress,
    MediatorGate,
    MediatorPanel,
    PinPadOverlay,
)
from kiosk.printing.ui import PrintController
from kiosk.ui.tasks import Tasks
from kiosk.visit.costs import for_mediator
from kiosk.visit.session import EndReason
from kiosk.visit.ui.controller import VisitController
from kiosk.visit.visit import Screen

log = logging.getLogger(__name__)


class _MediatorInput(QObject):
    """Any touch on the panel or the PIN pad keeps mediator mode open."""

    def __init__(self, on_input: Callable[[], None]) -> None:
        super().__init__()
        self._on_input = on_input

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt naming
        if event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.KeyPress):
            self._on_input()
        return False


class AssistedWindow(Protocol):
    """What helper-assist needs of the main window (kiosk.shell.ui.window.MainWindow)."""

    controller: VisitController
    printing: PrintController | None
    about: str

    @property
    def translator(self) -> Translator: ...
    def translators(self, code: str) -> Translator: ...
    def french_shown(self) -> bool: ...
    def show_french(self, shown: bool) -> None: ...
    def print_receipt(self) -> None: ...
    def long_press_targets(self) -> tuple[QWidget, ...]: ...


class Assist:
    """`tasks` runs the code check off the GUI thread (scrypt: about 0.25 s per account); without it
    (tests with a fake gate) the check runs inline. `checks` runs the device panel's status and tests;
    `maintenance` holds the admin's actions (journal and configuration checks, content update now,
    restart, power off), shown to admins only."""

    def __init__(self, window: QWidget, host: AssistedWindow, gate: MediatorGate, mediator_language: str,
                 checks: DeviceCheck | None = None, tasks: Tasks | None = None,
                 maintenance: Maintenance | None = None, check_ms: int = 1000,
                 recheck_after_days: int | None = None, today: Callable[[], dt.date] = dt.date.today) -> None:
        self.window, self.gate = host, gate
        self.recheck_after_days, self._today = recheck_after_days, today
        self.checks, self.tasks, self.maintenance = checks, tasks, maintenance
        self._power_off_armed = False
        self.mediator_language = mediator_language
        self.actor: str | None = None
        self.role = ""
        self.pin = PinPadOverlay(window)
        self.panel = MediatorPanel(window)
        self.consent = ConsentOverlay(window)
        self._hold = LongPress(self.open_pin_pad)
        for widget in host.long_press_targets():
            widget.installEventFilter(self._hold)
        self._input = _MediatorInput(gate.touch)
        for widget in (self.pin, self.panel):
            widget.installEventFilter(self._input)
        self.pin.code_entered.connect(self._on_pin_code_entered)
        self.pin.cancelled.connect(self.pin.hide)
        self._connect_panel(host.controller)
        self.consent.answered.connect(self._on_consent_answered)
        self._timer = QTimer(window)
        self._timer.setInterval(check_ms)
        self._timer.timeout.connect(self.check_expiry)
        self._timer.start()

    def _connect_panel(self, c: VisitController) -> None:
        self.panel.jump_requested.connect(lambda step: self._act("jump", c.jump, step, step=step))
        self.panel.language_requested.connect(
            lambda code: self._act("language", c.set_language, code, language=code))
        self.panel.end_requested.connect(self._on_panel_end_requested)
        self.panel.reprint_requested.connect(self._on_panel_reprint_requested)
        self.panel.consent_requested.connect(self._on_panel_consent_requested)
        self.panel.handed_back.connect(lambda: self.lock("handed_back"))
        self.panel.note.textChanged.connect(lambda text: self._on_note_changed(c, text))
        self.panel.french_toggled.connect(self._on_panel_french_toggled)
        self.panel.test_print_requested.connect(self._on_panel_test_print_requested)
        self.panel.test_scan_requested.connect(self._on_panel_test_scan_requested)
        self.panel.journal_check_requested.connect(
            lambda: self._maintain("journal_check", lambda m: m.verify_journal))
        self.panel.config_check_requested.connect(
            lambda: self._maintain("config_check", lambda m: m.check_config))
        self.panel.content_update_requested.connect(
            lambda: self._maintain("content_update", lambda m: m.update_content))
        self.panel.restart_requested.connect(self._on_panel_restart_requested)
        self.panel.power_off_requested.connect(self._on_panel_power_off_requested)

    @property
    def tr(self) -> Translator:
        return self.window.translators(self.mediator_language)

    @property
    def admin(self) -> bool:
        return self.actor is not None and can(self.role, Capability.MAINTENANCE)

    def open_pin_pad(self) -> None:
        if self.actor is None:
            self.pin.prepare(self.tr)

    def _on_pin_code_entered(self, code: str) -> None:
        if self.tasks is None:
            self._on_unlock_result(self.gate.unlock(code))
            return
        self.pin.setEnabled(False)                  # one check at a time

        def failed(exc: BaseException) -> None:
            log.error("mediator unlock failed: %s", type(exc).__name__)
            self._on_unlock_result(Unlock())

        self.tasks.run(lambda: self.gate.unlock(code), self._on_unlock_result, failed)

    def _on_unlock_result(self, result: Unlock) -> None:
        self.pin.setEnabled(True)
        if result.actor is None:
            self.pin.refuse(self.tr, result)
            return
        self.actor, self.role = result.actor, result.role
        self.pin.hide()
        self.gate.journal(self.actor, "unlocked")
        self.show_panel()

    def show_panel(self) -> None:
        w, visit = self.window, self.window.controller.visit
        steps = ([(sid, s.title) for sid, s in visit.state.procedure.steps.items()]
                 if visit.state is not None and visit.screen is Screen.STEP else [])
        printing = w.printing
        french = w.french_shown() if visit.active and visit.language != "fr" else None
        procedure = visit.state.procedure if visit.state is not None else None
        rechecking = (procedure.checked if procedure is not None and self.recheck_after_days is not None
                      and recheck_due(procedure.checked, self._today(), self.recheck_after_days) else None)
        self.panel.show_for(self.tr, self.actor or "", w.about, self.tr.tr("Checking the devices…"),
                            steps, {c: w.translators(c).language.native_name for c in visit.languages}
                            if visit.active else {},
                            can_reprint=printing is not None and printing.pdf is not None,
                            admin=self.admin, french=french, rechecking=rechecking,
                            costs=for_mediator(procedure, visit.state.answers, self.tr, self._today())
                            if procedure is not None and visit.state is not None else ())
        self.panel.test_print.setEnabled(self.checks is not None)
        self.panel.test_scan.setEnabled(self.checks is not None)
        m = self.maintenance
        for b in (self.panel.journal_check, self.panel.config_check, self.panel.content_update,
                  self.panel.restart):
            b.setEnabled(m is not None)
        self.panel.power_off.setEnabled(m is not None and m.power_off is not None)
        self._power_off_armed = False
        if self.checks is not None:
            self.checks.status(self.tr, self._report(self.panel.devices))
        else:
            self.panel.devices.clear()

    def _report(self, target: QLabel) -> Callable[[str], None]:
        """A callback that shows a result only while mediator mode is still open."""
        def show(text: str) -> None:
            if self.actor is not None:
                target.setText(text)
        return show

    def _on_note_changed(self, c: VisitController, text: str) -> None:
        """The note for the receipt as the field now holds it, whatever put it there (the kiosk's keyboard,
        a hardware one, a paste, an assistive technology's text interface: textChanged, not textEdited,
        as the end page's reference field). The field emptied when the panel locks is not an edit: the
        note stays on the receipt."""
        if self.actor is not None:
            c.set_reference(text)

    def _act(self, action: str, do: Callable[[str], None], arg: str, **details: str) -> None:
        if self.actor is None:
            return
        do(arg)
        self.gate.journal(self.actor, action, **details)
        self.show_panel()

    def _on_panel_french_toggled(self, shown: bool) -> None:
        if self.actor is not None:
            self.window.show_french(shown)
            self.gate.journal(self.actor, "french_shown" if shown else "french_hidden")

    def _on_panel_test_print_requested(self) -> None:
        if self.actor is not None and self.checks is not None:
            self.gate.journal(self.actor, "test_print")
            self.checks.test_print(self.tr, self._report(self.panel.device_result))

    def _on_panel_test_scan_requested(self) -> None:
        if self.actor is not None and self.checks is not None:
            self.gate.journal(self.actor, "test_scan")
            self.checks.test_scan(self.tr, self._report(self.panel.device_result))

    def _maintain(self, action: str, pick: Callable[[Maintenance], Callable[[], str]]) -> None:
        """Run an admin check off the GUI thread and show its verdict."""
        if not self.admin or self.maintenance is None:
            return
        self.gate.journal(self.actor or "", action)
        work = pick(self.maintenance)
        show = self._report(self.panel.maintenance_result)
        show(self.tr.tr("Working…"))
        if self.tasks is None:
            show(work())
            return

        def failed(exc: BaseException) -> None:
            log.error("maintenance %s failed: %s", action, type(exc).__name__, exc_info=exc)
            show(self.tr.tr("The check could not run. See the terminal's log."))

        self.tasks.run(work, show, failed)

    def _leave_visit(self, action: str) -> None:
        self.gate.journal(self.actor or "", action)
        self.lock("relocked")
        if self.window.controller.visit.active:
            self.window.controller.end(EndReason.MEDIATOR)

    def _on_panel_restart_requested(self) -> None:
        if self.admin and self.maintenance is not None:
            self._leave_visit("restart")
            self.maintenance.restart()

    def _on_panel_power_off_requested(self) -> None:
        """Two presses: the first one only asks to press again."""
        m = self.maintenance
        if not self.admin or m is None or m.power_off is None:
            return
        if not self._power_off_armed:
            self._power_off_armed = True
            self.panel.maintenance_result.setText(
                self.tr.tr("Press Power off again to switch the terminal off."))
            return
        power_off = m.power_off
        self._leave_visit("power_off")
        if self.tasks is not None:
            self.tasks.run(power_off, lambda _r: None,
                           lambda exc: log.error("power off failed: %s", type(exc).__name__))

    def _on_panel_end_requested(self) -> None:
        if self.actor is not None:
            self.gate.journal(self.actor, "end_visit")
            self.lock("handed_back")
            self.window.controller.end(EndReason.MEDIATOR)

    def _on_panel_reprint_requested(self) -> None:
        printing = self.window.printing
        if self.actor is not None and printing is not None and printing.pdf is not None:
            self.gate.journal(self.actor, "reprint")
            self.window.print_receipt()

    def _on_panel_consent_requested(self) -> None:
        self.panel.hide()
        self.consent.ask(self.window.translator)

    def _on_consent_answered(self, agreed: bool) -> None:
        self.consent.hide()
        if self.actor is not None:
            self.gate.journal(self.actor, "consent_given" if agreed else "consent_refused")
            self.show_panel()

    def check_expiry(self) -> None:
        if self.actor is not None and self.gate.expired():
            self.lock("relocked")

    def lock(self, why: str) -> None:
        if self.actor is not None:
            self.gate.journal(self.actor, why)
        self.actor, self.role = None, ""
        self.panel.reset()
        self.pin.hide()
        self.consent.hide()
