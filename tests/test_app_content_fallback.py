"""At start-up, a configured content pack that cannot be used gives way to the shipped one (logged):
a wrong value type in a TOML file and a corrupt compiled catalog used to end start-up with a
traceback, or to pass and then end the visit of whoever chose that language."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from kiosk import config
from kiosk.app import load_content
from kiosk.paths import DEFAULT_PACK


def pack_copy(tmp_path: Path) -> Path:
    root = tmp_path / "pack"
    shutil.copytree(DEFAULT_PACK, root)
    return root


def configured(root: Path) -> config.Config:
    return config.parse(f"[content]\npack = {json.dumps(str(root))}\n", "kiosk.toml")


def test_a_good_configured_pack_is_used(tmp_path: Path) -> None:
    root = pack_copy(tmp_path)
    assert load_content(configured(root)).path == str(root)


@pytest.mark.parametrize("breakage", ["formats", "catalog"])
def test_a_broken_configured_pack_falls_back_to_the_shipped_one(tmp_path: Path, breakage: str,
                                                                 caplog: pytest.LogCaptureFixture) -> None:
    root = pack_copy(tmp_path)
    if breakage == "formats":
        documents = root / "documents.toml"
        text = re.sub(r"(?m)^formats = .*$", "formats = 5", documents.read_text(encoding="utf-8"), count=1)
        documents.write_text(text, encoding="utf-8")
        expected = "formats must be a list"
    else:
        catalog = root / "locale/en/LC_MESSAGES/content.mo"
        catalog.parent.mkdir(parents=True, exist_ok=True)
        catalog.write_bytes(b"\xde\x12\x04\x95" + b"\0" * 8)        # the magic, then nothing usable
        expected = "content.mo: is not a compiled catalog gettext can use"
    pack = load_content(configured(root))
    assert pack.path == str(DEFAULT_PACK)
    assert expected in caplog.text and "using the shipped pack" in caplog.text
