"""A private cupsd with cups-pdf queues for the whole test session (killed at the end)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from private_cupsd import PrivateCups, available  # noqa: E402

QUEUES = ("PANPDF", "PANFAULT")


@pytest.fixture(scope="session")
def cups() -> Iterator[PrivateCups]:
    reason = available()
    if reason:
        pytest.skip(reason)
    server = PrivateCups(QUEUES).start()
    try:
        yield server
    finally:
        server.stop()
