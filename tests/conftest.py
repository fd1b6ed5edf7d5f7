"""Shared test set-up: offscreen Qt, no sandbox as root, a fixture content pack, kiosk factories."""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if hasattr(os, "geteuid") and os.geteuid() == 0:
    os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")

import sys
from collections.abc import Iterator

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
sys.path.insert(0, str(Path(__file__).parent / "support"))

from private_cupsd import PrivateCups, available  # noqa: E402

CUPS_QUEUES = ("PANPDF", "PANFAULT")


@pytest.fixture(scope="session")
def cups() -> Iterator[PrivateCups]:
    """A private cupsd with cups-pdf queues, started once per run and killed at the end."""
    reason = available()
    if reason:
        pytest.fail(f"the real-stack printing tests need a private cupsd: {reason}")
    server = PrivateCups(CUPS_QUEUES).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def fixture_pack() -> Path:
    from kiosk.i18n.catalogs import compile_dir

    pack = FIXTURES / "pack"
    compile_dir(pack / "locale", "content")
    return pack


class FakeClock:
    """A monotonic clock that only moves when a test says so."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()
