"""Start-up in two steps: the attract screen first (light imports), the kiosk built right after; a
touch during the build starts the visit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import shiboken6
from PySide6.QtCore import Qt

from kiosk.app import Kiosk
from kiosk.cli.run import kiosk_builder
from kiosk.visit.visit import Screen

REPO = Path(__file__).resolve().parents[2]
HEAVY = ("kiosk.app", "reportlab", "requests", "cv2", "numpy", "PIL", "img2pdf", "keyring",
         "PySide6.QtWebEngineCore", "kiosk.shell.ui.window")


def test_the_start_screen_imports_nothing_heavy() -> None:
    code = ("import sys; from kiosk.shell.ui import start_screen, qt_app; "
            f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=REPO).stdout.strip()
    assert out == "", f"imported before the first paint: {out}"


def test_a_touch_during_the_build_starts_the_visit(qapp, qtbot, make_config) -> None:  # noqa: ANN001
    from kiosk.shell.ui import start_screen
    built = []
    config = make_config()
    window = start_screen.start(config, fullscreen=False, build_kiosk=kiosk_builder(config, False),
                                ready=built.append)
    assert window.isVisible() and window.page._start.text()
    qtbot.mouseClick(window.page._start, Qt.MouseButton.LeftButton)     # before the kiosk exists
    assert not built
    qtbot.waitUntil(lambda: bool(built), timeout=20000)
    kiosk = built[0]
    try:
        qtbot.waitUntil(lambda: not shiboken6.isValid(window), timeout=5000)     # closed and deleted
        assert kiosk.window.isVisible() and kiosk.visit.screen is Screen.LANGUAGE
    finally:
        kiosk.shutdown()


def test_the_built_kiosk_loads_scanning_pdf_and_browser_only_when_used(tmp_path: Path) -> None:
    """What the idle kiosk does not need stays out of memory until a visitor uses it."""
    code = f"""
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from kiosk import app, config
app.application()
cfg = config.parse('[session]\\nroot = "{tmp_path}/s"\\n[stats]\\ndir = "{tmp_path}/st"\\n'
                   '[mediator]\\njournal_dir = "{tmp_path}/j"\\n[browser]\\nsite = "practice"', "t.toml")
kiosk = app.build(cfg, fullscreen=False)
kiosk.window.show()
late = ("cv2", "numpy", "img2pdf", "PySide6.QtWebEngineCore", "PySide6.QtWebEngineWidgets", "PySide6.QtPdf")
print(",".join(m for m in late if m in sys.modules))
kiosk.shutdown()
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=REPO).stdout.splitlines()
    assert out and out[-1] == "", f"loaded by an idle kiosk: {out}"


def test_a_kiosk_that_cannot_be_built_leaves_instead_of_hanging(qapp, qtbot, make_config,  # noqa: ANN001
                                                                  monkeypatch, caplog) -> None:
    from kiosk.shell.ui import start_screen
    def broken() -> Kiosk:
        raise OSError("disk gone")

    exits: list[int] = []
    monkeypatch.setattr(start_screen.QApplication, "exit", staticmethod(exits.append))
    window = start_screen.start(make_config(), fullscreen=False, build_kiosk=broken)
    qtbot.waitUntil(lambda: bool(exits), timeout=10000)
    assert exits == [1] and "could not be built" in caplog.text
    window.allow_close = True
    window.close()
