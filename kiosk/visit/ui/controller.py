"""The Qt side of a visit: relays the pure `Visit` as signals and runs the idle policy on a timer.

Signals:
    changed()                 the screen, step or language changed: re-render
    idle_warning(int, bool)   seconds left in the idle warning, whether more time can be asked
    idle_cleared()            the idle warning is over (input or more time)
    session_ended(object)     the wipe ran; argument is the WipeReport

Activity: `user_input()` is where everything the visitor does keeps the visit alive. Every intent below
counts (it may come from an assistive technology's action, which makes no input event); the input
filter reports touches and keys, the window the rest (focus moves, button presses, edits of its fields).
"""

from __future__ import annotations

import logging
import time
import unicodedata
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from kiosk.visit.idle import Idle, IdleMonitor
from kiosk.visit.session import EndReason, WipeReport
from kiosk.visit.visit import Screen, Visit

log = logging.getLogger(__name__)


def latin_digits(text: str) -> str:
    """`text` with every decimal digit written 0-9: a number typed in the visitor's digits (Arabic-Indic
    ٠-٩, Persian ۰-۹, Bengali, Tamil, full-width...), from any keyboard or a paste, is kept and printed
    as the prefecture reads it."""
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text)


class VisitController(QObject):
    changed = Signal()
    idle_warning = Signal(int, bool)
    idle_cleared = Signal()
    session_ended = Signal(object)

    def __init__(self, visit: Visit, idle: IdleMonitor, clock: Callable[[], float] = time.monotonic,
                 tick_ms: int = 500) -> None:
        super().__init__()
        self.visit = visit
        self.idle = idle
        self._clock = clock
        self._warning_shown = False
        self.last_report: WipeReport | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(tick_ms)
        self._timer.timeout.connect(self.tick)
        self._timer.start()

    # --- visitor actions -------------------------------------------------------------------------
    def _do(self, action: Callable[[], None]) -> None:
        self.user_input()
        action()
        self.changed.emit()

    def touch_start(self) -> None:
        self.idle.reset(self._clock())
        self._do(self.visit.touch_start)

    def choose_language(self, code: str) -> None:
        self._do(lambda: self.visit.choose_language(code))

    def open_language_picker(self) -> None:
        self._do(self.visit.open_language_picker)

    def choose_procedure(self, procedure_id: str) -> None:
        self._do(lambda: self.visit.choose_procedure(procedure_id))

    def next(self) -> None:
        self._do(self.visit.next)

    def choose(self, answer_id: str) -> None:
        self._do(lambda: self.visit.choose(answer_id))

    def open_scan(self, document_id: str) -> None:
        self._do(lambda: self.visit.open_scan(document_id))

    def open_site(self) -> None:
        self._do(self.visit.open_site)

    def jump(self, step_id: str) -> None:
        self._do(lambda: self.visit.jump(step_id))

    def set_language(self, code: str) -> None:
        self._do(lambda: self.visit.set_language(code))

    def set_reference(self, text: str) -> None:
        """The number for the receipt, as the field now holds it (digits stored as 0-9)."""
        self.user_input()
        self.visit.set_reference(latin_digits(text))      # no re-render: the visitor is typing

    def back(self) -> None:
        self._do(self.visit.back)

    def open_guide(self, procedure_id: str) -> None:
        """A side guide over the procedure (the e-mail address guide from the site's sign-up page)."""
        self._do(lambda: self.visit.open_guide(procedure_id))

    def return_from_guide(self) -> None:
        self._do(self.visit.return_from_guide)

    def set_email_address(self, text: str) -> None:
        """The e-mail address for the slip, as its field now holds it (no re-render: typing)."""
        self.user_input()
        self.visit.set_email_address(text)

    def end(self, reason: EndReason) -> WipeReport:
        if self._warning_shown:
            self._warning_shown = False
            self.idle_cleared.emit()
        report = self.visit.end(reason)
        self.last_report = report
        self.session_ended.emit(report)
        self.changed.emit()
        return report

    # --- idle ------------------------------------------------------------------------------------
    def user_input(self) -> None:
        """The visitor did something: outside the idle warning, the countdown starts again."""
        if self.visit.active:
            self.idle.touch(self._clock())

    def more_time(self) -> None:
        if self.idle.extend(self._clock()):
            self._warning_shown = False
            self.idle_cleared.emit()

    def tick(self) -> None:
        """Called by the timer (or by tests with a fake clock): warn, count down, or end."""
        if not self.visit.active or self.visit.screen is Screen.ATTRACT:
            return
        now = self._clock()
        state = self.idle.state(now)
        if state is Idle.ACTIVE and self._warning_shown:
            self._warning_shown = False
            self.idle_cleared.emit()
        elif state is Idle.WARNING:
            self._warning_shown = True
            self.idle_warning.emit(self.idle.seconds_left(now), self.idle.can_extend)
        elif state is Idle.EXPIRED:
            log.info("idle timeout")
            self.end(EndReason.IDLE)
