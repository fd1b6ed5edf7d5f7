"""Shared test set-up: offscreen Qt, no sandbox as root, a fixture content pack, kiosk factories."""

from __future__ import annotations

import json
import os
import shutil
import tomllib
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if hasattr(os, "geteuid") and os.geteuid() == 0:
    os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")

import sys
from collections.abc import Callable, Iterator

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
sys.path.insert(0, str(Path(__file__).parent / "support"))

from fakes import FakeClock  # noqa: E402
from private_cupsd import PrivateCups, available  # noqa: E402

from kiosk import config as config_mod  # noqa: E402

# Fixtures of the fleet tests (signed packs, a loopback HTTPS server), used by sync, health and packaging.
pytest_plugins = ["fleet_fixtures"]

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

# Kiosk factory for UI tests: the real object graph from kiosk.app.build, with a fake clock.


@pytest.fixture
def make_config(tmp_path: Path, fixture_pack: Path) -> Callable[..., config_mod.Config]:
    def make(extra: str = "", pack: Path | None = None) -> config_mod.Config:
        data: dict[str, dict[str, object]] = {
            "content": {"pack": str(pack or fixture_pack)},
            "session": {"root": str(tmp_path / "sessions")},
            "stats": {"dir": str(tmp_path / "state")},
            "mediator": {"journal_dir": str(tmp_path / "journal")},
            "browser": {"site": "none"},        # tests of the browser step ask for "practice"
            "devices": {"scanner": "simulated", "printer": "simulated", "speech": "simulated",
                        "say_language_names": False},   # one touch chooses (tests/speech/test_voice_guide.py)
        }
        for section, values in tomllib.loads(extra).items():
            data.setdefault(section, {}).update(values)
        text = "\n".join(f"[{section}]\n" + "\n".join(f"{k} = {json.dumps(v)}" for k, v in values.items())
                         for section, values in data.items())
        return config_mod.parse(text, "test.toml")
    return make


@pytest.fixture
def make_kiosk(qapp, qtbot, make_config, clock) -> Iterator[Callable[..., object]]:
    from kiosk import app as app_mod
    built = []

    def make(extra: str = "", fullscreen: bool = False, pack: Path | None = None):
        app_mod.application()
        kiosk = app_mod.build(make_config(extra, pack), clock=clock, fullscreen=fullscreen)
        kiosk.window.resize(1080, 1920)
        kiosk.show() if fullscreen else kiosk.window.show()
        qtbot.addWidget(kiosk.window)
        built.append(kiosk)
        return kiosk

    yield make
    for kiosk in built:
        kiosk.shutdown()
