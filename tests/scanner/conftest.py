"""A private SANE configuration that enables only the `test` backend (nothing under /etc changes)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

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
