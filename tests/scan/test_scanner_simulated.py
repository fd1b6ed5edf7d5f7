"""The simulated scanner: fictitious sample pages and every fault, injected on demand."""

from __future__ import annotations

import threading

import pytest

from kiosk.scan.imaging.raster import Raster
from kiosk.scan.scanner import (
    FAULTS,
    CoverOpen,
    NoScanner,
    PaperJam,
    ScanCancelled,
    ScanMode,
    Scanner,
    ScannerBusy,
    ScannerFault,
    ScannerUnplugged,
    ScanSettings,
    SimulatedScanner,
)

LOW = ScanSettings(dpi=75)


@pytest.fixture
def scanner() -> SimulatedScanner:
    return SimulatedScanner()


def test_it_is_a_scanner(scanner: SimulatedScanner) -> None:
    as_protocol: Scanner = scanner
    assert as_protocol.open().id == "sim:0" and as_protocol.status().ready


def test_returns_the_placed_sample_at_the_asked_resolution_and_mode(scanner: SimulatedScanner) -> None:
    scanner.place("passport")
    colour = scanner.scan(ScanSettings(ScanMode.COLOR, 100))
    grey = scanner.scan(ScanSettings(ScanMode.GRAY, 100))
    assert colour.is_color and not grey.is_color and colour.dpi == 100
    assert colour.size_mm == pytest.approx(scanner.book.bed_mm, abs=0.5)


def test_without_placing_it_cycles_through_the_samples(scanner: SimulatedScanner) -> None:
    pages = [scanner.scan(LOW) for _ in range(2)]
    assert pages[0] is not pages[1]
    assert {s.id for s in scanner.book.samples()} >= {"passport", "proof_of_address", "payslip"}


@pytest.mark.parametrize("fault", [CoverOpen, ScannerBusy, NoScanner])
def test_faults_at_the_start_of_a_scan(scanner: SimulatedScanner, fault: type[ScannerFault]) -> None:
    scanner.inject(fault)
    progress: list[float] = []
    with pytest.raises(fault):
        scanner.scan(LOW, on_progress=progress.append)
    assert progress == []
    assert not scanner.status().ready
    scanner.clear()
    assert isinstance(scanner.scan(LOW), Raster)


def test_jam_mid_scan_keeps_the_pages_already_scanned(scanner: SimulatedScanner) -> None:
    kept = [scanner.scan(LOW), scanner.scan(LOW)]
    scanner.inject(PaperJam)
    progress: list[float] = []
    with pytest.raises(PaperJam) as err:
        scanner.scan(LOW, on_progress=progress.append)
    assert err.value.needs_mediator and 0 < progress[-1] < 1
    assert len(kept) == 2
    scanner.clear()
    kept.append(scanner.scan(LOW))
    assert len(kept) == 3


def test_unplugged_mid_scan_hides_the_scanner_until_it_is_back(scanner: SimulatedScanner) -> None:
    scanner.inject(ScannerUnplugged)
    progress: list[float] = []
    with pytest.raises(ScannerUnplugged):
        scanner.scan(LOW, on_progress=progress.append)
    assert progress and progress[-1] <= scanner.fail_at
    scanner.fault = None                     # the fault is over, but the cable is still out
    assert scanner.devices() == []
    with pytest.raises(NoScanner):
        scanner.scan(LOW)
    status = scanner.status()
    assert not status.ready and isinstance(status.fault, NoScanner)
    scanner.clear()                          # plugged back
    assert scanner.status().ready


def test_cancel(scanner: SimulatedScanner) -> None:
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(ScanCancelled):
        scanner.scan(LOW, cancel=cancel)


def test_scan_time_goes_through_the_injected_sleep() -> None:
    slept: list[float] = []
    scanner = SimulatedScanner(scan_s=2.0, sleep=slept.append)
    scanner.scan(LOW)
    assert sum(slept) == pytest.approx(2.0)


def test_every_fault_has_its_own_message_and_action() -> None:
    messages = {cls.message for cls in FAULTS.values()}
    actions = {cls.action for cls in FAULTS.values()}
    assert len(messages) == len(FAULTS) and all(messages) and all(actions)
    assert {"missing", "busy", "unplugged", "cover-open", "jam"} <= set(FAULTS)
    fault = PaperJam("detail for the mediator")
    assert fault.detail == "detail for the mediator" and "jam" in str(fault)
