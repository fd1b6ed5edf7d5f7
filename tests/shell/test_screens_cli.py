"""`pan-kiosk screens` and `pan-kiosk demo` render real, non-empty PNGs of every screen."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage


def distinct_colours(path: Path) -> int:
    image = QImage(str(path))
    step = max(1, image.width() // 40)
    return len({image.pixel(x, y) for x in range(0, image.width(), step)
                for y in range(0, image.height(), step)})


def run(args: list[str], tmp_path: Path, fixture_pack: Path) -> subprocess.CompletedProcess[str]:
    config = tmp_path / "kiosk.toml"
    config.write_text(f'[content]\npack = "{fixture_pack}"\n[session]\nroot = "{tmp_path}/s"\n'
                      f'[stats]\ndir = "{tmp_path}/state"\n')
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", "kiosk", *args, "--config", str(config)],
                          capture_output=True, text=True, env=env, check=False, timeout=120)


def test_screens_in_french_and_arabic(tmp_path: Path, fixture_pack: Path) -> None:
    out = tmp_path / "screens"
    result = run(["screens", "--langs", "fr,ar", "--out", str(out)], tmp_path, fixture_pack)
    assert result.returncode == 0, result.stderr
    for lang in ("fr", "ar"):
        names = sorted(p.name for p in (out / lang).glob("*.png"))
        assert "02-procedures.png" in names and "22-idle-warning.png" in names
        assert any("-question-" in n for n in names) and any("-end-" in n for n in names)
        for png in (out / lang).glob("*.png"):
            assert distinct_colours(png) >= 3, png      # something was drawn


def test_demo_writes_a_png_per_screen_and_says_where(tmp_path: Path, fixture_pack: Path) -> None:
    out = tmp_path / "demo"
    result = run(["demo", "--out", str(out)], tmp_path, fixture_pack)
    assert result.returncode == 0, result.stderr
    assert str(out) in result.stdout and len(list(out.rglob("*.png"))) >= 8
    assert list((tmp_path / "s").iterdir()) == []       # the demo visitor was wiped too
