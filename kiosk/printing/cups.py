"""`CupsPrinter`: the kiosk's configured CUPS queue, over IPP (see printer_ipp for why not pycups).

Printer state comes from `printer-state`, `printer-state-reasons` and `printer-is-accepting-jobs`;
real printers often under-report, so the job itself is followed too (`job-state` until 9, completed).

The scheduler should keep no document after printing and only a short history, so that the final
state of a job can still be read yet nothing lingers (the kiosk also purges at session end):

    PreserveJobFiles No
    PreserveJobHistory 60        # seconds; with "No" a finished job vanishes before its state is read
    PageLogFormat ""             # no page log (it would record job titles)
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.printing.ipp import NOT_ACCEPTING, NOT_FOUND, NOT_POSSIBLE, IppClient, IppError
from kiosk.printing.printer import (
    FaultKind,
    JobState,
    PrinterFault,
    PrinterStatus,
    PrintJob,
    StateCallback,
)

log = logging.getLogger(__name__)

PRINTER_ATTRS = ("printer-state", "printer-state-reasons", "printer-is-accepting-jobs",
                 "printer-state-message")
JOB_ATTRS = ("job-state", "job-state-reasons", "job-printer-state-message")

# printer-state-reasons keyword (without -error/-warning/-report) -> fault
REASONS: dict[str, FaultKind] = {
    "offline": FaultKind.OFFLINE,
    "shutdown": FaultKind.OFFLINE,
    "timed-out": FaultKind.OFFLINE,
    "media-empty": FaultKind.MEDIA_EMPTY,
    "media-needed": FaultKind.MEDIA_EMPTY,
    "input-tray-missing": FaultKind.MEDIA_EMPTY,
    "media-jam": FaultKind.MEDIA_JAM,
    "cover-open": FaultKind.COVER_OPEN,
    "door-open": FaultKind.COVER_OPEN,
    "interlock-open": FaultKind.COVER_OPEN,
    "marker-supply-empty": FaultKind.SUPPLY_EMPTY,
    "toner-empty": FaultKind.SUPPLY_EMPTY,
    "paused": FaultKind.STOPPED,
}
IPP_STOPPED = 5


def faults_from(attrs: Mapping[str, tuple[object, ...]]) -> list[PrinterFault]:
    """Typed faults from Get-Printer-Attributes values (warnings such as media-low are not faults)."""
    faults: list[PrinterFault] = []
    for reason in (str(r) for r in attrs.get("printer-state-reasons", ())):
        if reason.endswith("-warning"):
            continue
        keyword = reason.removesuffix("-error").removesuffix("-report")
        kind = REASONS.get(keyword)
        if kind is not None and all(f.kind is not kind for f in faults):
            faults.append(PrinterFault(kind, reason))
    state = attrs.get("printer-state", (3,))[0]
    if state == IPP_STOPPED and not faults:
        faults.append(PrinterFault(FaultKind.STOPPED, "printer-state stopped"))
    if attrs.get("printer-is-accepting-jobs", (True,))[0] is False:
        faults.append(PrinterFault(FaultKind.REJECTING, "printer-is-accepting-jobs false"))
    return faults


@dataclass
class CupsPrinter:
    """One CUPS queue (None: the scheduler's default queue). Tracks the jobs it submitted so that
    `purge()` can cancel them and delete their files and history."""

    queue: str | None = None
    client: IppClient = field(default_factory=IppClient)
    poll_s: float = 0.05
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    submitted: list[PrintJob] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.queue or "default"

    def _queue(self) -> str:
        if self.queue:
            return self.queue
        try:
            default = self.client.default_queue()
        except IppError as exc:
            raise _fault(exc, "default queue") from exc
        if default is None:
            raise PrinterFault(FaultKind.MISSING, "no default queue")
        return default

    def status(self) -> PrinterStatus:
        try:
            queue = self._queue()
            attrs = self.client.printer_attributes(queue, PRINTER_ATTRS)
        except PrinterFault as fault:
            return PrinterStatus(self.name, False, (fault,))
        except IppError as exc:
            return PrinterStatus(self.name, False, (_fault(exc, "status"),))
        faults = faults_from(attrs)
        message = str(attrs.get("printer-state-message", ("",))[0])
        return PrinterStatus(queue, not faults, tuple(faults), message)

    def submit(self, document: Path, title: str) -> PrintJob:
        queue = self._queue()
        try:
            data = document.read_bytes()
        except OSError as exc:
            raise PrinterFault(FaultKind.JOB_FAILED, "document unreadable") from exc
        try:
            job_id = self.client.print_job(queue, data, title)
        except IppError as exc:
            raise _fault(exc, "submit") from exc
        job = PrintJob(job_id, queue, title)
        self.submitted.append(job)
        log.info("print job %s queued on %s", job_id, queue)
        return job

    def follow(self, job: PrintJob, timeout_s: float = 60.0,
               on_state: StateCallback | None = None) -> JobState:
        deadline = self.clock() + timeout_s
        last: JobState | None = None
        while True:
            state = self._job_state(job)
            if state != last and on_state is not None:
                on_state(state)
            last = state
            if state is JobState.COMPLETED:
                return state
            if state in (JobState.CANCELED, JobState.ABORTED):
                raise PrinterFault(FaultKind.JOB_FAILED, f"job {state.name.lower()}")
            if state in (JobState.PENDING, JobState.PROCESSING_STOPPED, JobState.HELD):
                self._raise_printer_fault(job.queue)
            if self.clock() >= deadline:
                raise PrinterFault(FaultKind.TIMEOUT, f"job still {state.name.lower()}")
            self.sleep(self.poll_s)

    def _job_state(self, job: PrintJob) -> JobState:
        try:
            attrs = self.client.job_attributes(job.id, JOB_ATTRS)
        except IppError as exc:
            if exc.status == NOT_FOUND:
                # The scheduler keeps no history (PreserveJobHistory No): a job it accepted that is
                # gone has been printed as far as anyone can tell; CUPS cannot say more.
                log.warning("job %s left the queue without a final state (no job history)", job.id)
                return JobState.COMPLETED
            raise _fault(exc, "job state") from exc
        return JobState(int(str(attrs.get("job-state", (3,))[0])))

    def _raise_printer_fault(self, queue: str) -> None:
        try:
            attrs = self.client.printer_attributes(queue, PRINTER_ATTRS)
        except IppError as exc:
            raise _fault(exc, "status") from exc
        faults = [f for f in faults_from(attrs) if f.kind is not FaultKind.REJECTING]
        if faults:
            raise faults[0]

    def cancel(self, job: PrintJob) -> None:
        try:
            self.client.cancel_job(job.id, purge=False)
        except IppError as exc:
            if exc.status not in (NOT_FOUND, NOT_POSSIBLE):
                raise _fault(exc, "cancel") from exc

    def purge(self) -> None:
        """Cancel and purge every job this kiosk's user has on the queue (like `cancel -a -x`
        restricted to our own jobs), including those of a previous run that crashed."""
        queues = {job.queue for job in self.submitted}
        try:
            queues.add(self._queue())
        except PrinterFault:
            pass
        ids = {job.id for job in self.submitted}
        failed = []
        for queue in sorted(queues):
            try:
                ids |= set(self.client.jobs(queue, "all", mine=True))
            except IppError as exc:
                log.warning("cannot list jobs on %s: %s", queue, exc)
        for job_id in sorted(ids):
            try:
                self.client.cancel_job(job_id, purge=True)
            except IppError as exc:
                if exc.status != NOT_FOUND:
                    failed.append(job_id)
                    log.error("cannot purge print job %s: %s", job_id, exc)
        self.submitted.clear()
        if failed:
            raise PrinterFault(FaultKind.JOB_FAILED, f"purge failed for {len(failed)} job(s)")


def _fault(exc: IppError, what: str) -> PrinterFault:
    if exc.status == 0:
        return PrinterFault(FaultKind.UNREACHABLE, f"{what}: {exc.message}")
    if exc.status == NOT_FOUND:
        return PrinterFault(FaultKind.MISSING, f"{what}: {exc.message}")
    if exc.status in (NOT_ACCEPTING, NOT_POSSIBLE):
        return PrinterFault(FaultKind.REJECTING, f"{what}: {exc.message}")
    return PrinterFault(FaultKind.JOB_FAILED, f"{what}: {exc.message}")
