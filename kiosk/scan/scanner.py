"""Scanning: the `Scanner` protocol, typed faults told in plain words, SANE through `scanimage`, and the
simulated scanner (demo, practice mode, tests, training mediators).

Why `scanimage` in a subprocess rather than python-sane in the kiosk process: SANE backends are C
drivers of uneven quality, and an unplugged USB scanner can hang `sane_read` or crash the backend. In
a child process a hang is ended by a timeout and a crash is an exit code, while the kiosk (and the
visitor's session) stays up. It also needs no compiler or libsane-dev at install time, and scanimage's
exit status is the SANE status code, so faults map exactly. The cost is a process start per page
(about 10 ms; a real scanner's warm-up dwarfs it) and reading PNM from a pipe.

Every call may block: the UI runs them off the GUI thread. A fault raises a `ScannerFault` subclass
with a translatable message and what to do; pages scanned before stay with the caller.
"""

from __future__ import annotations

import io
import logging
import os
import re
import select
import subprocess
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum
from typing import TYPE_CHECKING, Protocol

from kiosk.i18n import N_

if TYPE_CHECKING:        # NumPy, Pillow and the samples load with the first scan, not with the kiosk
    from kiosk.scan.imaging.raster import Raster
    from kiosk.scan.imaging.samples import SampleBook

log = logging.getLogger(__name__)


class ScannerFault(Exception):
    """Scanning cannot go on. `message`/`action` are msgids; `detail` is technical (mediator, log)."""

    kind = "error"
    message = N_("The scanner reported a problem.")
    action = N_("Press Try again. If it happens again, ask a mediator.")
    needs_mediator = False

    def __init__(self, detail: str = "") -> None:
        super().__init__(f"{self.kind}: {detail}" if detail else self.kind)
        self.detail = detail


class NoScanner(ScannerFault):
    kind = "missing"
    message = N_("No scanner was found.")
    action = N_("Ask a mediator to check that the scanner is switched on and plugged in.")
    needs_mediator = True


class ScannerBusy(ScannerFault):
    kind = "busy"
    message = N_("The scanner is busy.")
    action = N_("Wait a moment, then press Try again.")


class ScannerUnplugged(ScannerFault):
    kind = "unplugged"
    message = N_("The scanner stopped during the scan. It may have been unplugged.")
    action = N_("Ask a mediator to check the scanner cable, then press Try again. "
                "Your pages already scanned are kept.")
    needs_mediator = True


class CoverOpen(ScannerFault):
    kind = "cover-open"
    message = N_("The scanner cover is open.")
    action = N_("Close the cover gently, then press Try again.")


class PaperJam(ScannerFault):
    kind = "jam"
    message = N_("Paper is stuck in the scanner.")
    action = N_("Ask a mediator to remove the paper, then press Try again. Your pages already scanned "
                "are kept.")
    needs_mediator = True


class FeederEmpty(ScannerFault):
    kind = "no-paper"
    message = N_("There is no paper in the scanner's feeder.")
    action = N_("Put your pages in the feeder, then press Try again.")


class ScanCancelled(ScannerFault):
    kind = "cancelled"
    message = N_("The scan was stopped.")
    action = N_("Press Scan to start again.")


class ScanTimeout(ScannerFault):
    kind = "timeout"
    message = N_("The scanner is taking too long.")
    action = N_("Ask a mediator to check the scanner, then press Try again.")
    needs_mediator = True


FAULTS: dict[str, type[ScannerFault]] = {
    c.kind: c for c in (ScannerFault, NoScanner, ScannerBusy, ScannerUnplugged, CoverOpen, PaperJam,
                        FeederEmpty, ScanCancelled, ScanTimeout)}


class SaneStatus(IntEnum):
    """SANE_Status values; scanimage exits with the status of the call that failed."""
    GOOD = 0
    UNSUPPORTED = 1
    CANCELLED = 2
    DEVICE_BUSY = 3
    INVAL = 4
    EOF = 5
    JAMMED = 6
    NO_DOCS = 7
    COVER_OPEN = 8
    IO_ERROR = 9
    NO_MEM = 10
    ACCESS_DENIED = 11


_STATUS_FAULT: dict[int, type[ScannerFault]] = {
    SaneStatus.DEVICE_BUSY: ScannerBusy, SaneStatus.JAMMED: PaperJam, SaneStatus.NO_DOCS: FeederEmpty,
    SaneStatus.COVER_OPEN: CoverOpen, SaneStatus.IO_ERROR: ScannerUnplugged,
    SaneStatus.CANCELLED: ScanCancelled}
_TEXT_FAULT = (("Device busy", ScannerBusy), ("jammed", PaperJam), ("cover is open", CoverOpen),
               ("out of documents", FeederEmpty), ("Error during device I/O", ScannerUnplugged),
               ("Operation was cancelled", ScanCancelled), ("Invalid argument", NoScanner))


class ScanMode(StrEnum):
    COLOR = "color"
    GRAY = "gray"


@dataclass(frozen=True)
class ScanSettings:
    mode: ScanMode = ScanMode.COLOR
    dpi: int = 300
    width_mm: float = 210.0      # scan area from the top-left corner of the bed; the device clamps it
    height_mm: float = 297.0


@dataclass(frozen=True)
class ScannerDevice:
    id: str
    vendor: str
    model: str
    kind: str


@dataclass(frozen=True)
class ScannerStatus:
    name: str
    ready: bool
    device: ScannerDevice | None = None
    fault: ScannerFault | None = None


Progress = Callable[[float], None]     # fraction done, 0.0 … 1.0


class Scanner(Protocol):
    """What the kiosk needs from a scanner; implementations block, so call them off the GUI thread."""

    @property
    def name(self) -> str: ...

    def devices(self) -> list[ScannerDevice]:
        """Scanners present now (may be empty)."""
        ...

    def open(self, device_id: str | None = None) -> ScannerDevice:
        """Choose the device (the first one when None). Raises NoScanner, ScannerBusy."""
        ...

    def status(self) -> ScannerStatus:
        """The state now; a fault is reported, never raised."""
        ...

    def scan(self, settings: ScanSettings = ScanSettings(), on_progress: Progress | None = None,
             cancel: threading.Event | None = None) -> Raster:
        """One page. Raises a ScannerFault subclass (CoverOpen, PaperJam, ScannerUnplugged…)."""
        ...


def fault_from_sane(returncode: int, stderr: str) -> ScannerFault:
    """The fault for a failed scanimage run (LC_ALL=C messages, exit status = SANE status)."""
    detail = stderr.strip().splitlines()[-1] if stderr.strip() else f"exit status {returncode}"
    for text, cls in _TEXT_FAULT:
        if text in stderr:
            return cls(detail)
    return _STATUS_FAULT.get(returncode, ScannerFault)(detail)


_PROGRESS = re.compile(rb"Progress: ([0-9.]+)%")
# scanimage's own report that the device failed; what follows is only its clean-up.
_REPORTED = re.compile(rb"scanimage: sane_(?:start|read)[^:\n]*: ")
# How long scanimage may take to clean up after it reported a fault. Some backends deadlock in
# sane_cancel after a failed read (the SANE `test` backend does in about 1 run in 25); the fault is
# already known, so the visitor should not wait for the scan timeout.
AFTER_FAULT_S = 3.0


@dataclass
class SaneScanner:
    """Any SANE device through `scanimage`. `env` adds variables (e.g. SANE_CONFIG_DIR);
    `extra_options` are passed to every scan (device-specific, e.g. `--source`, or the test
    backend's `--read-return-value`)."""

    name: str = "sane"
    executable: str = "scanimage"
    env: Mapping[str, str] = field(default_factory=dict)
    timeout_s: float = 120.0
    extra_options: Sequence[str] = ()
    device: ScannerDevice | None = None
    _modes: dict[ScanMode, str] = field(default_factory=dict)

    def _env(self) -> dict[str, str]:
        return {**os.environ, **self.env, "LC_ALL": "C"}

    def _run(self, *args: str, timeout: float = 30.0) -> subprocess.CompletedProcess[str]:
        try:
            return subprocess.run([self.executable, *args], capture_output=True, text=True,
                                  env=self._env(), timeout=timeout, check=False)
        except FileNotFoundError as e:
            raise NoScanner(f"{self.executable} not installed") from e
        except subprocess.TimeoutExpired as e:
            raise ScanTimeout(f"{args[:2]} took over {timeout} s") from e

    def devices(self) -> list[ScannerDevice]:
        done = self._run("-f", "%d\t%v\t%m\t%t%n")
        if done.returncode != 0:
            raise fault_from_sane(done.returncode, done.stderr)
        found = []
        for line in done.stdout.splitlines():
            parts = line.split("\t")
            if len(parts) == 4:
                found.append(ScannerDevice(*parts))
        return found

    def open(self, device_id: str | None = None) -> ScannerDevice:
        listed = self.devices()
        chosen = next((d for d in listed if device_id in (None, d.id)), None)
        if chosen is None:
            raise NoScanner(f"device {device_id or 'any'} not found")
        done = self._run("-d", chosen.id, "-A")          # opens the device: busy shows here
        if done.returncode != 0:
            raise fault_from_sane(done.returncode, done.stderr)
        match = re.search(r"--mode ([^\s]+)", done.stdout)
        choices = match.group(1).split("|") if match else []
        self._modes = {
            ScanMode.COLOR: next((m for m in choices if m.lower().startswith("colo")), "Color"),
            ScanMode.GRAY: next((m for m in choices if m.lower().startswith("gr")), "Gray")}
        self.device = chosen
        log.info("scanner opened: %s (%s %s)", chosen.id, chosen.vendor, chosen.model)
        return chosen

    def status(self) -> ScannerStatus:
        try:
            listed = self.devices()
        except ScannerFault as fault:
            return ScannerStatus(self.name, False, self.device, fault)
        if self.device is not None and self.device.id not in {d.id for d in listed}:
            return ScannerStatus(self.name, False, self.device, NoScanner("device gone"))
        if not listed:
            return ScannerStatus(self.name, False, None, NoScanner("no device"))
        return ScannerStatus(self.name, True, self.device or listed[0])

    def scan(self, settings: ScanSettings = ScanSettings(), on_progress: Progress | None = None,
             cancel: threading.Event | None = None) -> Raster:
        device = self.device or self.open()
        args = [self.executable, "-d", device.id, "--format=pnm", "--progress",
                "--mode", self._modes.get(settings.mode, "Color"), "--resolution", str(settings.dpi),
                "-x", f"{settings.width_mm:g}", "-y", f"{settings.height_mm:g}", *self.extra_options]
        try:
            proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=self._env())
        except FileNotFoundError as e:
            raise NoScanner(f"{self.executable} not installed") from e
        try:
            out, err = _collect(proc, self.timeout_s, on_progress, cancel)
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            for stream in (proc.stdout, proc.stderr):
                if stream is not None:
                    stream.close()
        if proc.returncode != 0:
            raise fault_from_sane(proc.returncode, err.decode("utf-8", "replace"))
        return _pnm_to_raster(out, settings.dpi)


def _collect(proc: subprocess.Popen[bytes], timeout_s: float, on_progress: Progress | None,
             cancel: threading.Event | None) -> tuple[bytes, bytes]:
    """Read the image and the messages until scanimage exits. Ends on the process exit, not on EOF:
    a backend's helper process may keep the pipes open after scanimage is gone (the SANE test
    backend's reader does, after a simulated jam). Also ends AFTER_FAULT_S after scanimage reported
    a device fault, even if it has not exited (the caller kills it)."""
    assert proc.stdout is not None and proc.stderr is not None
    out, err = bytearray(), bytearray()
    streams = {proc.stdout.fileno(): out, proc.stderr.fileno(): err}
    deadline = time.monotonic() + timeout_s
    last = -1.0
    exited_at: float | None = None
    reported_at: float | None = None
    while streams:
        if cancel is not None and cancel.is_set():
            raise ScanCancelled("cancelled by the visitor")
        now = time.monotonic()
        if now > deadline:
            raise ScanTimeout(f"no end of scan after {timeout_s} s")
        if exited_at is None and proc.poll() is not None:
            exited_at = now
        ready, _, _ = select.select(list(streams), [], [], 0.05)
        if not ready and exited_at is not None and now - exited_at > 0.2:
            break                              # gone, and nothing more is coming
        if reported_at is not None and now - reported_at > AFTER_FAULT_S:
            log.warning("scanimage did not exit %.0f s after reporting a fault; stopped", AFTER_FAULT_S)
            break
        for fd in ready:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                del streams[fd]
                continue
            streams[fd].extend(chunk)
            if fd == proc.stderr.fileno() and on_progress is not None:
                found = _PROGRESS.findall(chunk)
                value = min(1.0, float(found[-1]) / 100) if found else last
                if value - last >= 0.01 or (value >= 1.0 > last):
                    last = value
                    on_progress(value)
            if fd == proc.stderr.fileno():
                if reported_at is None and _REPORTED.search(err):
                    reported_at = now
                del err[: max(0, len(err) - 8192)]    # keep the tail: the error message is there
    return bytes(out), bytes(err)


def _pnm_to_raster(data: bytes, dpi: int) -> Raster:
    if not data:
        raise ScannerFault("the scanner sent no image")
    import numpy as np
    from PIL import Image

    from kiosk.scan.imaging.raster import Raster

    with Image.open(io.BytesIO(data)) as opened:
        img = opened if opened.mode in ("RGB", "L") else opened.convert("RGB")
        return Raster(np.asarray(img, dtype=np.uint8).copy(), float(dpi))


@dataclass
class SimulatedScanner:
    """A scanner for demos, practice and tests that returns the fictitious sample pages.

    `place(sample_id, page)` is what the visitor put on the glass; otherwise pages cycle through the
    samples. `inject(fault_class)` makes it fail like a real one until `clear()`: NoScanner (absent),
    ScannerBusy (on open and scan), CoverOpen (at start), PaperJam and ScannerUnplugged (after
    `fail_at` of the page; unplugged then also hides the device until cleared)."""

    name: str = "simulated"
    _book: SampleBook | None = None
    scan_s: float = 0.0
    fail_at: float = 0.4
    sleep: Callable[[float], None] = time.sleep
    fault: type[ScannerFault] | None = None
    _placed: tuple[str, int] | None = None
    _unplugged: bool = False
    _cycle: int = 0
    _cache: dict[tuple[str, int, int, ScanMode], Raster] = field(default_factory=dict)

    DEVICE = ScannerDevice("sim:0", "PAN Kiosk", "simulated flatbed", "flatbed scanner")

    @property
    def book(self) -> SampleBook:
        if self._book is None:
            from kiosk.scan.imaging.samples import SampleBook

            self._book = SampleBook()
        return self._book

    def inject(self, fault: type[ScannerFault]) -> None:
        self.fault = fault

    def clear(self) -> None:
        self.fault = None
        self._unplugged = False

    def place(self, sample_id: str, page: int = 0) -> None:
        self._placed = (sample_id, page)

    def devices(self) -> list[ScannerDevice]:
        return [] if self.fault is NoScanner or self._unplugged else [self.DEVICE]

    def open(self, device_id: str | None = None) -> ScannerDevice:
        if not self.devices() or device_id not in (None, self.DEVICE.id):
            raise NoScanner("simulated: absent")
        if self.fault is ScannerBusy:
            raise ScannerBusy("simulated")
        return self.DEVICE

    def status(self) -> ScannerStatus:
        if not self.devices():
            return ScannerStatus(self.name, False, None, NoScanner("simulated"))
        if self.fault is not None:
            return ScannerStatus(self.name, False, self.DEVICE, self.fault("simulated"))
        return ScannerStatus(self.name, True, self.DEVICE)

    def scan(self, settings: ScanSettings = ScanSettings(), on_progress: Progress | None = None,
             cancel: threading.Event | None = None) -> Raster:
        self.open()
        if self.fault is CoverOpen or self.fault is FeederEmpty:
            raise self.fault("simulated")
        steps = 10
        for i in range(1, steps + 1):
            if cancel is not None and cancel.is_set():
                raise ScanCancelled("simulated")
            if self.fault is not None and i / steps > self.fail_at:
                if self.fault is ScannerUnplugged:
                    self._unplugged = True
                raise self.fault("simulated, mid-scan")
            if self.scan_s:
                self.sleep(self.scan_s / steps)
            if on_progress is not None:
                on_progress(i / steps)
        return self._page(settings)

    def _page(self, settings: ScanSettings) -> Raster:
        if self._placed is None:
            listed = [(s.id, p) for s in self.book.samples() for p in range(s.pages)]
            sample, page = listed[self._cycle % len(listed)]
            self._cycle += 1
        else:
            sample, page = self._placed
        key = (sample, page, settings.dpi, settings.mode)
        if key not in self._cache:
            while len(self._cache) >= 3:                 # a 300 dpi colour page is 26 MB
                del self._cache[next(iter(self._cache))]
            self._cache[key] = self.book.scan(sample, page, settings.dpi, settings.mode is ScanMode.COLOR)
        return self._cache[key]
