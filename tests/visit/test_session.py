"""Session lifecycle: private directory, one wipe routine, crash recovery, anonymous record only."""

from __future__ import annotations

from pathlib import Path

from kiosk.visit.idle import Idle, IdleMonitor
from kiosk.visit.session import EndReason, SessionManager, SessionRecord


def test_directory_is_private_and_wiped(tmp_path: Path) -> None:
    records: list[SessionRecord] = []
    calls: list[str] = []
    manager = SessionManager(tmp_path / "root", on_record=records.append)
    manager.add_wipe_step("first", lambda: calls.append("first"))
    manager.add_wipe_step("second", lambda: calls.append("second"))
    session = manager.begin("ar")
    assert session.directory.stat().st_mode & 0o777 == 0o700
    nested = session.directory / "a" / "b"
    nested.mkdir(parents=True)
    (nested / "scan.pdf").write_text("visitor-secret-1234")
    nested.chmod(0o500)            # even a read-only directory goes
    report = manager.end(EndReason.IDLE)
    assert report.ok and calls == ["first", "second"] and not session.directory.exists()
    assert records[0].language == "ar" and records[0].reason is EndReason.IDLE
    assert "visitor-secret" not in repr(records[0])


def test_a_failing_step_is_reported_and_the_others_still_run(tmp_path: Path) -> None:
    manager = SessionManager(tmp_path)
    ran = []

    def fail() -> None:
        raise RuntimeError("boom")

    manager.add_wipe_step("bad", fail)
    manager.add_wipe_step("good", lambda: ran.append(1))
    session = manager.begin("fr")
    report = manager.end(EndReason.FINISHED)
    assert not report.ok and report.failed == ("bad",) and ran == [1]
    assert not session.directory.exists() and manager.current is None


def test_crash_recovery_removes_leftovers(tmp_path: Path) -> None:
    leftover = tmp_path / "deadbeef"
    leftover.mkdir()
    (leftover / "passport.pdf").write_text("x")
    SessionManager(tmp_path).prepare_root()
    assert list(tmp_path.iterdir()) == []
    assert tmp_path.stat().st_mode & 0o777 == 0o700


def test_idle_policy() -> None:
    idle = IdleMonitor(timeout_s=60, warning_s=20, extension_s=30, max_extensions=10)
    idle.reset(0)
    assert idle.state(59) is Idle.ACTIVE and idle.state(60) is Idle.WARNING
    assert idle.seconds_left(60.5) == 20 and idle.state(80) is Idle.EXPIRED
    idle.touch(70)                                  # input during the warning does not cancel it
    assert idle.state(70) is Idle.WARNING
    assert idle.extend(70) and idle.state(129) is Idle.ACTIVE
    for _ in range(9):
        assert idle.extend(129)
    assert not idle.can_extend and not idle.extend(129)
