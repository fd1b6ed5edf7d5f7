"""Visitor sessions: a private directory, a language, a procedure, and one wipe routine.

`SessionManager.end()` is the only way a session ends (Finish, idle timeout, crash recovery). It runs
every registered wipe step (directory, clipboard, pages, print queue, browser profile, speech…), each
guarded, and returns a `WipeReport`; the UI shows the attract screen again only when the report says
the wipe succeeded. What survives is one anonymous record for the counters.

A crash skips the wipe. At start-up, `prepare_root` removes the session directories a previous run left
and `recover` runs the wipe steps registered `at_start`, those whose data outlives the process (the print
spooler keeps a queued receipt, and prints it when the printer comes back).
"""

from __future__ import annotations

import logging
import os
import secrets
import shutil
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from kiosk.visit.documents import PreparedDocuments
from kiosk.visit.outcome import Outcome

log = logging.getLogger(__name__)


class EndReason(StrEnum):
    FINISHED = "finished"       # the visitor pressed Finish
    IDLE = "idle"               # idle timeout
    RECOVERY = "recovery"       # crash or leftover from a previous run
    MEDIATOR = "mediator"       # a mediator ended it


@dataclass
class Session:
    id: str
    directory: Path
    started: float
    language: str
    procedure: str | None = None
    outcome: Outcome = Outcome.ABANDONED
    references: list[str] = field(default_factory=list)   # typed by the visitor for the receipt
    documents: PreparedDocuments = field(default_factory=PreparedDocuments)
    email_address: str = ""     # typed by the visitor for the address slip (memory only, never logged)

    def reached(self, outcome: Outcome) -> None:
        """Record how far the visit went; a lesser outcome never replaces a greater one
        (e.g. reaching the guide's end after the documents were made stays DOCUMENTS_PREPARED)."""
        self.outcome = self.outcome.furthest(outcome)

    def forget(self) -> None:
        """What the visitor typed or prepared, dropped from memory (the files go with the directory)."""
        self.references.clear()
        self.documents.clear()
        self.email_address = ""


@dataclass(frozen=True)
class WipeReport:
    ok: bool
    reason: EndReason
    failed: tuple[str, ...]
    duration_ms: float


@dataclass(frozen=True)
class SessionRecord:
    """What survives a session: nothing that identifies the visitor."""
    procedure: str | None
    language: str
    duration_s: float
    outcome: Outcome
    reason: EndReason
    wipe_ok: bool = True        # every wipe step succeeded (a failure puts the terminal out of service)


WipeStep = Callable[[], None]


@dataclass
class SessionManager:
    root: Path
    clock: Callable[[], float] = time.monotonic
    on_record: Callable[[SessionRecord], None] = lambda record: None
    _steps: list[tuple[str, WipeStep]] = field(default_factory=list)
    _start_steps: list[tuple[str, WipeStep]] = field(default_factory=list)
    current: Session | None = None

    def add_wipe_step(self, name: str, step: WipeStep, *, at_start: bool = False) -> None:
        """Register something to erase at every session end; steps run in registration order.
        `at_start`: the step also runs at start-up (`recover`), because what it erases lives outside
        this process and survives a crash that skipped the wipe (a job waiting in the print spooler)."""
        self._steps.append((name, step))
        if at_start:
            self._start_steps.append((name, step))

    def recover(self) -> WipeReport:
        """Start-up crash recovery, with `prepare_root` (session directories): run the steps registered
        `at_start`, so that a previous run that died mid-visit leaves nothing of its visitor."""
        t0 = time.perf_counter()
        failed = []
        for name, step in self._start_steps:
            try:
                step()
            except Exception:
                log.exception("start-up recovery: wipe step %s failed", name)
                failed.append(name)
        report = WipeReport(ok=not failed, reason=EndReason.RECOVERY, failed=tuple(failed),
                            duration_ms=(time.perf_counter() - t0) * 1000)
        log.info("start-up recovery: %s in %.1f ms", "ok" if report.ok else f"FAILED {report.failed}",
                 report.duration_ms)
        return report

    def prepare_root(self) -> None:
        """Create the root (0700) and remove any session left by a crash (crash recovery)."""
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(self.root, 0o700)
        for leftover in self.root.iterdir():
            log.warning("removing a session directory left by a previous run")
            _remove(leftover)

    def begin(self, language: str) -> Session:
        if self.current is not None:
            raise RuntimeError("a session is already running")
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        sid = secrets.token_hex(8)
        directory = self.root / sid
        directory.mkdir(mode=0o700)
        self.current = Session(id=sid, directory=directory, started=self.clock(), language=language)
        log.info("session started")
        return self.current

    def end(self, reason: EndReason) -> WipeReport:
        """Run every wipe step; the session is over even if a step failed (the report says so)."""
        t0 = time.perf_counter()
        session, failed = self.current, []
        for name, step in self._steps:
            try:
                step()
            except Exception:
                log.exception("wipe step %s failed", name)
                failed.append(name)
        if session is not None:
            session.forget()
            try:
                _remove(session.directory)
            except OSError:
                log.exception("wipe step directory failed")
                failed.append("directory")
            if session.directory.exists():
                failed.append("directory")
            self.on_record(SessionRecord(session.procedure, session.language,
                                         self.clock() - session.started, session.outcome, reason,
                                         wipe_ok=not failed))
        self.current = None
        report = WipeReport(ok=not failed, reason=reason, failed=tuple(dict.fromkeys(failed)),
                            duration_ms=(time.perf_counter() - t0) * 1000)
        log.info("session ended (%s): wipe %s in %.1f ms", reason.value,
                 "ok" if report.ok else f"FAILED {report.failed}", report.duration_ms)
        return report


def _remove(path: Path) -> None:
    if not path.exists() and not path.is_symlink():
        return
    if path.is_dir() and not path.is_symlink():
        def force(func: Callable[[str], object], p: str, _exc: object) -> None:
            os.chmod(p, stat.S_IRWXU)
            func(p)
        shutil.rmtree(path, onerror=force)
    else:
        path.unlink()
