"""Start-up crash recovery: the wipe steps whose data outlives the process run again at start-up.

The end-to-end proof with a real spooler is tests/printing/test_spool_after_crash.py."""

from __future__ import annotations

import logging
import resource
from pathlib import Path

from kiosk.visit.session import EndReason, SessionManager


def test_recover_runs_only_the_steps_registered_at_start(tmp_path: Path) -> None:
    ran: list[str] = []
    manager = SessionManager(tmp_path)
    manager.add_wipe_step("pages", lambda: ran.append("pages"))
    manager.add_wipe_step("print queue", lambda: ran.append("print queue"), at_start=True)
    report = manager.recover()
    assert report.ok and report.reason is EndReason.RECOVERY and ran == ["print queue"]
    manager.begin("fr")
    assert manager.end(EndReason.FINISHED).ok and ran == ["print queue", "pages", "print queue"]


def test_a_failing_start_up_step_is_reported_and_the_others_still_run(tmp_path: Path) -> None:
    ran: list[str] = []

    def fail() -> None:
        raise OSError("spooler unreachable")

    manager = SessionManager(tmp_path)
    manager.add_wipe_step("print queue", fail, at_start=True)
    manager.add_wipe_step("other", lambda: ran.append("other"), at_start=True)
    report = manager.recover()
    assert not report.ok and report.failed == ("print queue",) and ran == ["other"]


def test_the_kiosk_recovers_at_start_up_and_a_crash_writes_no_core_file(make_kiosk, caplog) -> None:  # noqa: ANN001
    caplog.set_level(logging.INFO, logger="kiosk.visit.session")
    make_kiosk()
    assert "start-up recovery: ok" in caplog.text
    assert resource.getrlimit(resource.RLIMIT_CORE)[0] == 0     # the visitor's memory never on disk
