"""The kiosk as a fleet service: systemd notifications, Prometheus metrics, new content between visitors.

- READY=1 once the first screen is painted, then WATCHDOG=1 from the GUI thread's timer at half the
  unit's WatchdogSec (a frozen event loop stops feeding it and systemd restarts the unit);
  STOPPING=1 on the way out.
- Metrics (uptime, sessions by outcome, content version, device state, errors) are rewritten to the
  configured textfile every `metrics_every_ms` and after each session.
- When content updates are on, the pack that `pan-kiosk content update` switched to is taken between
  two visitors: the app leaves with EXIT_RELOAD while the attract screen shows, and systemd starts it
  again on the new pack (a restart takes about half a second; a running visit is never cut).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer

from kiosk.health.metrics import KioskMetrics
from kiosk.health.sdnotify import SdNotifier
from kiosk.printing.printer import FaultKind, Printer
from kiosk.scan.scanner import NoScanner, Scanner
from kiosk.ui.tasks import Tasks
from kiosk.visit.session import SessionRecord

log = logging.getLogger(__name__)

EXIT_RELOAD = 75          # EX_TEMPFAIL: "start me again" (content update, admin restart)


class ErrorCounter(logging.Handler):
    """Counts ERROR and worse log records into the metrics (the message itself stays in the log)."""

    def __init__(self, metrics: KioskMetrics) -> None:
        super().__init__(logging.ERROR)
        self.metrics = metrics

    def emit(self, record: logging.LogRecord) -> None:
        self.metrics.error()


class ServiceLink(QObject):
    def __init__(self, notifier: SdNotifier, metrics: KioskMetrics, tasks: Tasks, printer: Printer,
                 scanner: Scanner, *, simulated: Callable[[str], bool] = lambda device: False,
                 current_pack: Callable[[], Path | None] | None = None, loaded_pack: Path | None = None,
                 visit_active: Callable[[], bool] = lambda: False,
                 leave: Callable[[int], None] = lambda code: None,
                 metrics_every_ms: int = 60_000, content_every_ms: int = 30_000) -> None:
        super().__init__()
        self.notifier, self.metrics, self.tasks = notifier, metrics, tasks
        self.printer, self.scanner, self.simulated = printer, scanner, simulated
        self.current_pack, self.loaded_pack = current_pack, loaded_pack
        self.visit_active, self.leave = visit_active, leave
        self.error_counter = ErrorCounter(metrics)
        logging.getLogger().addHandler(self.error_counter)
        self._timers: list[QTimer] = []
        self._every(metrics_every_ms, self.write_metrics)
        interval = notifier.watchdog_interval_s()
        if interval is not None:
            self._every(max(1000, int(interval * 1000)), notifier.watchdog)
        if current_pack is not None:
            self._every(content_every_ms, self.check_content)

    def _every(self, ms: int, fn: Callable[[], object]) -> None:
        timer = QTimer(self)
        timer.setInterval(ms)
        timer.timeout.connect(fn)
        timer.start()
        self._timers.append(timer)

    def first_screen_shown(self) -> None:
        self.notifier.ready(f"content {self.metrics.content_version}")
        self.check_devices()

    def session_recorded(self, record: SessionRecord) -> None:
        """SessionManager's on_record: count the outcome, refresh the device state, write."""
        self.metrics.session_ended(record.outcome, record.procedure, record.language, record.wipe_ok)
        self.check_devices()

    def check_devices(self) -> None:
        def work() -> dict[str, tuple[str, tuple[str, ...]]]:
            states = {}
            printer = self.printer.status()
            kinds = tuple(dict.fromkeys(f.kind.value for f in printer.faults))
            states["printer"] = ("simulated" if self.simulated("printer") else "ok" if printer.ready
                                 else "absent" if any(f.kind is FaultKind.MISSING for f in printer.faults)
                                 else "fault", kinds)
            scanner = self.scanner.status()
            states["scanner"] = ("simulated" if self.simulated("scanner") else "ok" if scanner.ready
                                 else "absent" if isinstance(scanner.fault, NoScanner) else "fault",
                                 (type(scanner.fault).__name__,) if scanner.fault is not None else ())
            return states

        def done(states: dict[str, tuple[str, tuple[str, ...]]]) -> None:
            for device, (state, faults) in states.items():
                self.metrics.device_state(device, state, faults)
            self.write_metrics()

        def failed(exc: BaseException) -> None:
            log.error("device state check failed: %s", type(exc).__name__)
            self.write_metrics()

        self.tasks.run(work, done, failed)

    def write_metrics(self) -> None:
        try:
            self.metrics.write()
        except OSError as exc:
            log.warning("metrics file not written: %s", exc.strerror)

    def check_content(self) -> None:
        """Leave for a restart on the new pack, but only between visitors."""
        if self.current_pack is None or self.visit_active():
            return
        current = self.current_pack()
        if current is not None and current != self.loaded_pack:
            log.info("new content pack %s: restarting between visitors", current.name)
            self.leave(EXIT_RELOAD)

    def stop(self) -> None:
        for timer in self._timers:
            timer.stop()
        logging.getLogger().removeHandler(self.error_counter)
        self.notifier.stopping()
