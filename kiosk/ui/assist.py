"""Wires helper-assist mode into the main window: gesture → PIN pad → panel → actions, each journaled.

Kept out of main_window.py so the window stays a host of pages and overlays.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer

from kiosk.session import EndReason
from kiosk.ui.mediator import (
    ConsentOverlay,
    LongPress,
    MediatorGate,
    MediatorPanel,
    PinPadOverlay,
)
from kiosk.visit import Screen


class _MediatorInput(QObject):
    """Any touch on the panel or the PIN pad keeps mediator mode open."""

    def __init__(self, on_input: Callable[[], None]) -> None:
        super().__init__()
        self._on_input = on_input

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt naming
        if event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.KeyPress):
            self._on_input()
        return False


class Assist:
    def __init__(self, window, gate: MediatorGate, mediator_language: str,  # noqa: ANN001
                 devices: Callable[[], str], check_ms: int = 1000) -> None:
        self.window, self.gate = window, gate
        self.devices = devices
        self.mediator_language = mediator_language
        self.actor: str | None = None
        self.pin = PinPadOverlay(window)
        self.panel = MediatorPanel(window)
        self.consent = ConsentOverlay(window)
        self._hold = LongPress(self.open_pin_pad)
        for widget in (window.site_label, window.attract._site):
            widget.installEventFilter(self._hold)
        self._input = _MediatorInput(gate.touch)
        for widget in (self.pin, self.panel):
            widget.installEventFilter(self._input)
        self.pin.code_entered.connect(self._on_pin_code_entered)
        self.pin.cancelled.connect(self.pin.hide)
        c = window.controller
        self.panel.jump_requested.connect(lambda step: self._act("jump", c.jump, step, step=step))
        self.panel.language_requested.connect(
            lambda code: self._act("language", c.set_language, code, language=code))
        self.panel.end_requested.connect(self._on_panel_end_requested)
        self.panel.reprint_requested.connect(self._on_panel_reprint_requested)
        self.panel.consent_requested.connect(self._on_panel_consent_requested)
        self.panel.handed_back.connect(lambda: self.lock("handed_back"))
        self.panel.note.textEdited.connect(c.set_reference)
        self.consent.answered.connect(self._on_consent_answered)
        self._timer = QTimer(window)
        self._timer.setInterval(check_ms)
        self._timer.timeout.connect(self.check_expiry)
        self._timer.start()

    @property
    def tr(self):  # noqa: ANN201
        return self.window.translators(self.mediator_language)

    def open_pin_pad(self) -> None:
        if self.actor is None:
            self.pin.prepare(self.tr)

    def _on_pin_code_entered(self, code: str) -> None:
        result = self.gate.unlock(code)
        if result.actor is None:
            self.pin.refuse(self.tr, result)
            return
        self.actor = result.actor
        self.pin.hide()
        self.gate.journal(self.actor, "unlocked")
        self.show_panel()

    def show_panel(self) -> None:
        w, visit = self.window, self.window.controller.visit
        steps = ([(sid, s.title) for sid, s in visit.state.procedure.steps.items()]
                 if visit.state is not None and visit.screen is Screen.STEP else [])
        printing = w.printing
        self.panel.show_for(self.tr, self.actor or "", w._about, self.devices(), steps,
                            visit.languages if visit.active else (),
                            can_reprint=printing is not None and printing.pdf is not None)

    def _act(self, action: str, do: Callable[[str], None], arg: str, **details: str) -> None:
        if self.actor is None:
            return
        do(arg)
        self.gate.journal(self.actor, action, **details)
        self.show_panel()

    def _on_panel_end_requested(self) -> None:
        if self.actor is not None:
            self.gate.journal(self.actor, "end_visit")
            self.lock("handed_back")
            self.window.controller.end(EndReason.MEDIATOR)

    def _on_panel_reprint_requested(self) -> None:
        printing = self.window.printing
        if self.actor is not None and printing is not None and printing.pdf is not None:
            self.gate.journal(self.actor, "reprint")
            self.window._on_end_print_requested()

    def _on_panel_consent_requested(self) -> None:
        self.panel.hide()
        self.consent.ask(self.window.tr)

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
        self.actor = None
        self.panel.reset()
        self.pin.hide()
        self.consent.hide()
