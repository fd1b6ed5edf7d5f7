"""Shared test set-up: offscreen Qt, no sandbox as root, a fixture content pack, kiosk factories."""

from __future__ import annotations

import os
import shutil
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


# --- SANE: a private configuration that enables only the `test` backend (nothing under /etc changes)
SYSTEM_TEST_CONF = Path("/etc/sane.d/test.conf")


@pytest.fixture(scope="session")
def sane_config(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """Environment for scanimage: SANE_CONFIG_DIR with dll.conf = `test` and the stock test.conf."""
    if shutil.which("scanimage") is None or not SYSTEM_TEST_CONF.is_file():
        pytest.fail("the real-stack scanner tests need sane-utils (scanimage) and /etc/sane.d/test.conf")
    folder = tmp_path_factory.mktemp("sane.d")
    (folder / "dll.conf").write_text("test\n")
    shutil.copyfile(SYSTEM_TEST_CONF, folder / "test.conf")
    yield {"SANE_CONFIG_DIR": str(folder)}


@pytest.fixture(scope="session")
def no_sane_backend(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A SANE configuration with no backend at all: the kiosk sees no scanner."""
    folder = tmp_path_factory.mktemp("sane-empty.d")
    (folder / "dll.conf").write_text("")
    return {"SANE_CONFIG_DIR": str(folder)}
