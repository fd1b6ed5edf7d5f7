"""The visitor's "Call a mediator": sends a help request (terminal, step, language; nothing personal)
through the configured channel and shows where it stands until the visit ends.

The queue (kiosk.mediator.help_queue) retries on its own worker thread while the network is down and
reports each change from that thread; `notify` hands it to the GUI thread through a queued signal.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal

from kiosk.i18n import N_, Translator
from kiosk.mediator import HelpRequest, HelpState, HelpWorker
from kiosk.mediator.setup import HelpService

log = logging.getLogger(__name__)

STATUS_TEXT: dict[HelpState, str] = {
    HelpState.QUEUED: N_("Your call is being sent. Please stay at this terminal."),
    HelpState.DELIVERED: N_("A mediator has been told. Stay at this terminal: they will come to you."),
    HelpState.FAILED: N_("We could not reach a mediator. Please raise your hand or go to the desk."),
}
BUTTON_TEXT: dict[HelpState, str] = {
    HelpState.QUEUED: N_("Help is on the way"),
    HelpState.DELIVERED: N_("Help is on the way"),
}


class HelpCall(QObject):
    """Signals: changed() — the open request's state moved (re-render the help button and overlay)."""

    changed = Signal()
    _from_worker = Signal(object, object)

    def __init__(self) -> None:
        super().__init__()
        self.service: HelpService | None = None
        self.worker: HelpWorker | None = None
        self.request: HelpRequest | None = None
        self.state: HelpState | None = None
        self._from_worker.connect(self._on_worker_change)

    def notify(self, request: HelpRequest, state: HelpState) -> None:
        """The queue's on_change: called on the worker thread."""
        self._from_worker.emit(request, state)

    def attach(self, service: HelpService | None) -> None:
        self.service = service
        if service is not None:
            self.worker = HelpWorker(service.queue).start()

    @property
    def available(self) -> bool:
        return self.service is not None

    def call(self, step: str | None, language: str) -> None:
        if self.service is None or self.state in (HelpState.QUEUED, HelpState.DELIVERED):
            return
        self.request = self.service.request(step, language)
        self.state = HelpState.QUEUED
        log.info("help requested at step %s", step or "-")
        self.changed.emit()

    def _on_worker_change(self, request: HelpRequest, state: HelpState) -> None:
        if self.request is None or request.id != self.request.id or state is HelpState.CANCELLED:
            return
        self.state = state
        self.changed.emit()

    def status_text(self, tr: Translator) -> str:
        return tr.tr(STATUS_TEXT[self.state]) if self.state in STATUS_TEXT else ""

    def button_text(self, tr: Translator) -> str:
        return tr.tr(BUTTON_TEXT[self.state]) if self.state in BUTTON_TEXT else tr.tr("Help")

    def wipe(self) -> None:
        """Wipe step: the visitor left; a request still waiting is not sent any more."""
        if self.service is not None:
            self.service.queue.cancel_all()
        self.request = self.state = None
        self.changed.emit()

    def stop(self) -> None:
        if self.worker is not None:
            self.worker.stop(timeout_s=2.0)
            self.worker = None
