"""`pan-kiosk screens --langs ar,fa` on the default configuration (which offers fr, en, ar) used to end in
"ValueError: language 'fa' is not offered" and Qt's "Signal source has been deleted": a language of
the registry is now added to the kiosk built for the screenshots; an unknown one is refused while the
arguments are parsed (tests/cli/test_cli_bad_arguments.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def test_screens_in_a_language_the_configuration_does_not_offer(tmp_path: Path) -> None:
    out = tmp_path / "screens"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)}
    result = subprocess.run([sys.executable, "-m", "kiosk", "screens", "--langs", "ar,fa", "--out", str(out)],
                            capture_output=True, text=True, env=env, cwd=tmp_path, check=False, timeout=120)
    everything = result.stdout + result.stderr
    assert result.returncode == 0, everything
    assert "Traceback" not in everything and "Signal source has been deleted" not in everything
    for lang in ("ar", "fa"):
        names = {p.name for p in (out / lang).glob("*.png")}
        assert {"02-procedures.png", "03-language.png"} <= names, (lang, sorted(names))
