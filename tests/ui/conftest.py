"""Kiosk factory for UI tests: the real object graph from kiosk.app.build, with a fake clock."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kiosk import config as config_mod


@pytest.fixture
def make_config(tmp_path: Path, fixture_pack: Path) -> Callable[..., config_mod.Config]:
    def make(extra: str = "", pack: Path | None = None) -> config_mod.Config:
        data: dict[str, dict[str, object]] = {
            "content": {"pack": str(pack or fixture_pack)},
            "session": {"root": str(tmp_path / "sessions")},
            "stats": {"dir": str(tmp_path / "state")},
            "mediator": {"journal_dir": str(tmp_path / "journal")},
            "browser": {"site": "none"},        # tests of the browser step ask for "practice"
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
