"""Printing: the `Printer` protocol, typed faults told in plain words, and the simulated printer.

Real implementations: `kiosk.printing.cups.CupsPrinter` (any CUPS queue, A4 or roll) and
`kiosk.printing.escpos.EscposPrinter` (80 mm ESC/POS receipt printers).

Every call may block (the network, the printer): the UI runs them off the GUI thread. A job is
followed until it ends; a fault (out of paper, jam, queue stopped…) raises `PrinterFault` with a
translatable message and what to do, and leaves the job queued so that "Try again" can follow it
again once a mediator fixed the printer. `purge()` forgets every job of the visitor (a wipe step).
"""

from __future__ import annotations

import itertools
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum
from pathlib import Path
from typing import Protocol

from kiosk.i18n import N_


class FaultKind(StrEnum):
    OFFLINE = "offline"
    MEDIA_EMPTY = "media-empty"
    MEDIA_JAM = "media-jam"
    COVER_OPEN = "cover-open"
    SUPPLY_EMPTY = "supply-empty"
    STOPPED = "stopped"
    REJECTING = "rejecting"
    MISSING = "missing"
    UNREACHABLE = "unreachable"
    JOB_FAILED = "job-failed"
    TIMEOUT = "timeout"


# What the visitor reads (message) and what to do (action), per fault kind.
FAULT_TEXT: dict[FaultKind, tuple[str, str]] = {
    FaultKind.OFFLINE: (N_("The printer is not responding."),
                        N_("A mediator can check that it is switched on and connected.")),
    FaultKind.MEDIA_EMPTY: (N_("The printer is out of paper."),
                            N_("Ask a mediator to add paper, then press Try again.")),
    FaultKind.MEDIA_JAM: (N_("Paper is stuck in the printer."),
                          N_("Ask a mediator to remove the stuck paper, then press Try again.")),
    FaultKind.COVER_OPEN: (N_("A cover of the printer is open."),
                           N_("Close the cover, then press Try again.")),
    FaultKind.SUPPLY_EMPTY: (N_("The printer has no ink or toner left."),
                             N_("Ask a mediator to replace it, then press Try again.")),
    FaultKind.STOPPED: (N_("The printer has been paused."),
                        N_("Ask a mediator to restart it, then press Try again.")),
    FaultKind.REJECTING: (N_("The printer is not accepting documents at the moment."),
                          N_("Ask a mediator to let it accept documents again.")),
    FaultKind.MISSING: (N_("No printer is set up on this kiosk."),
                        N_("Ask a mediator. You can photograph your receipt on the screen.")),
    FaultKind.UNREACHABLE: (N_("The printing service is not running."),
                            N_("Ask a mediator. You can photograph your receipt on the screen.")),
    FaultKind.JOB_FAILED: (N_("The printer could not print your document."),
                           N_("Press Try again, or ask a mediator.")),
    FaultKind.TIMEOUT: (N_("Printing is taking too long."),
                        N_("Ask a mediator to check the printer, then press Try again.")),
}

# Faults a mediator must fix at the printer before a retry can work.
NEEDS_MEDIATOR = frozenset(FaultKind) - {FaultKind.JOB_FAILED, FaultKind.TIMEOUT}


class PrinterFault(Exception):
    """Printing cannot go on. `message` and `action` are msgids (translate with Translator.tr);
    `detail` is technical, for the mediator and the log, and never holds visitor data."""

    def __init__(self, kind: FaultKind, detail: str = "") -> None:
        super().__init__(f"{kind.value}: {detail}" if detail else kind.value)
        self.kind = kind
        self.detail = detail

    @property
    def message(self) -> str:
        return FAULT_TEXT[self.kind][0]

    @property
    def action(self) -> str:
        return FAULT_TEXT[self.kind][1]

    @property
    def needs_mediator(self) -> bool:
        return self.kind in NEEDS_MEDIATOR


class JobState(IntEnum):
    """IPP job-state values (RFC 8011), used by every backend."""
    PENDING = 3
    HELD = 4
    PROCESSING = 5
    PROCESSING_STOPPED = 6
    CANCELED = 7
    ABORTED = 8
    COMPLETED = 9

    @property
    def finished(self) -> bool:
        return self >= JobState.CANCELED


@dataclass(frozen=True)
class PrintJob:
    id: int
    queue: str
    title: str


@dataclass(frozen=True)
class PrinterStatus:
    name: str
    ready: bool
    faults: tuple[PrinterFault, ...] = ()
    detail: str = ""          # e.g. the printer's own state message, for the mediator


StateCallback = Callable[[JobState], None]


class Printer(Protocol):
    """What the kiosk needs from a printer; implementations block, so call them off the GUI thread."""

    @property
    def name(self) -> str:
        """The queue or device name, for the mediator's device status."""
        ...

    def status(self) -> PrinterStatus:
        """The printer's state now; faults are listed, never raised."""
        ...

    def submit(self, document: Path, title: str) -> PrintJob:
        """Queue a PDF. Raises PrinterFault (missing, rejecting, unreachable)."""
        ...

    def follow(self, job: PrintJob, timeout_s: float = 60.0,
               on_state: StateCallback | None = None) -> JobState:
        """Wait until the job is completed. Raises PrinterFault on a printer fault or job failure;
        the job then stays queued and `follow` can be called again after the fix."""
        ...

    def cancel(self, job: PrintJob) -> None:
        ...

    def purge(self) -> None:
        """Cancel every job of this kiosk and delete their files and history (session end)."""
        ...


def print_document(printer: Printer, document: Path, title: str, timeout_s: float = 60.0,
                   on_state: StateCallback | None = None) -> PrintJob:
    """Submit and follow to completion (the whole print step of the visitor flow)."""
    job = printer.submit(document, title)
    printer.follow(job, timeout_s, on_state)
    return job


@dataclass
class SimulatedPrinter:
    """A printer for demos, training and tests: jobs complete after `print_s` of the injected clock;
    `inject(kind)` makes it fail like a real one until `clear()`. With `out_dir`, each printed
    document is copied there (the demo can show it), and `purge()` removes the copies."""

    name: str = "simulated"
    print_s: float = 0.0
    out_dir: Path | None = None
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    fault: FaultKind | None = None
    jobs: dict[int, tuple[PrintJob, float, JobState]] = field(default_factory=dict)
    printed: list[Path] = field(default_factory=list)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def inject(self, kind: FaultKind) -> None:
        self.fault = kind

    def clear(self) -> None:
        self.fault = None

    def status(self) -> PrinterStatus:
        if self.fault is None:
            return PrinterStatus(self.name, True)
        return PrinterStatus(self.name, False, (PrinterFault(self.fault, "simulated"),))

    def submit(self, document: Path, title: str) -> PrintJob:
        if self.fault in (FaultKind.MISSING, FaultKind.REJECTING, FaultKind.UNREACHABLE):
            raise PrinterFault(self.fault, "simulated")
        if not document.is_file():
            raise PrinterFault(FaultKind.JOB_FAILED, "document not found")
        job = PrintJob(next(self._ids), self.name, title)
        self.jobs[job.id] = (job, self.clock(), JobState.PENDING)
        if self.out_dir is not None:
            self.out_dir.mkdir(parents=True, exist_ok=True)
            copy = self.out_dir / f"{self.name}-job_{job.id}.pdf"
            shutil.copyfile(document, copy)
            self.printed.append(copy)
        return job

    def follow(self, job: PrintJob, timeout_s: float = 60.0,
               on_state: StateCallback | None = None) -> JobState:
        if job.id not in self.jobs:
            raise PrinterFault(FaultKind.JOB_FAILED, "unknown job")
        _, queued, state = self.jobs[job.id]
        if self.fault is not None:
            raise PrinterFault(self.fault, "simulated")
        remaining = queued + self.print_s - self.clock()
        if remaining > timeout_s:
            self.sleep(timeout_s)
            raise PrinterFault(FaultKind.TIMEOUT, f"after {timeout_s:.0f} s")
        if on_state is not None and state is JobState.PENDING:
            on_state(JobState.PROCESSING)
        if remaining > 0:
            self.sleep(remaining)
        self.jobs[job.id] = (job, queued, JobState.COMPLETED)
        if on_state is not None:
            on_state(JobState.COMPLETED)
        return JobState.COMPLETED

    def cancel(self, job: PrintJob) -> None:
        if job.id in self.jobs:
            self.jobs[job.id] = (job, self.jobs[job.id][1], JobState.CANCELED)

    def purge(self) -> None:
        self.jobs.clear()
        for copy in self.printed:
            copy.unlink(missing_ok=True)
        self.printed.clear()
