"""Mediator tests: a journal in tmp_path, loopback HTTP servers (webhook, homeserver)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fakes import FakeClock
from mediator_helpers import LoopbackServer, free_port

from kiosk.mediator.journal import Journal


@pytest.fixture
def journal_dir(tmp_path: Path) -> Path:
    return tmp_path / "journal"


@pytest.fixture
def make_journal(journal_dir: Path) -> Callable[..., Journal]:
    def make(**kwargs: Any) -> Journal:
        return Journal(journal_dir, "pref-69-01", wall_clock=FakeClock(1_790_000_000.0, tick=1.0), **kwargs)
    return make


@pytest.fixture
def loopback() -> Iterator[Callable[..., LoopbackServer]]:
    servers: list[LoopbackServer] = []

    def make(port: int | None = None, **kwargs: Any) -> LoopbackServer:
        server = LoopbackServer(port or free_port(), **kwargs)
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()
