"""Read-aloud tests: a real espeak-ng whose sound goes to a file sink (no audio device needed)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.speech.engines import EspeakSpeech


@pytest.fixture(scope="session")
def ui_catalogs() -> None:
    """Compiled UI catalogs (.mo files are build outputs, not in git)."""
    from kiosk.i18n import LOCALE_DIR, catalogs

    catalogs.compile_dir(LOCALE_DIR, "kiosk")


@pytest.fixture
def sink(tmp_path: Path) -> Path:
    path = tmp_path / "sink"
    path.mkdir()
    return path


@pytest.fixture
def espeak(tmp_path: Path, sink: Path) -> Iterator[EspeakSpeech]:
    if shutil.which("espeak-ng") is None:
        pytest.fail("the read-aloud tests need espeak-ng (apt-get install espeak-ng)")
    speech = EspeakSpeech(tmp_path / "run", player=["cp", "-t", str(sink)])
    try:
        yield speech
    finally:
        speech.close()
