"""The wipe empties every selection buffer of the display server, proved from outside the kiosk.

A visitor types a number with the kiosk's keyboard, double-taps it (X11 puts a selection in PRIMARY,
what a middle click pastes) and copies it (CLIPBOARD). The kiosk runs under Xvfb in its own process;
another X client (`xclip`) reads the buffers before the wipe (the planted values are there) and after
it, while the kiosk still runs: a selection dies with the process that owns it, so reading after the
kiosk quit would prove nothing.

This file is also the kiosk side of the test: `python test_selection_wipe.py CONFIG` builds the real
kiosk and obeys one command per line on stdin (plant A B, wipe, quit), answering on stdout.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import traceback
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.real_stack

SELECTIONS = ("primary", "secondary", "clipboard")


@pytest.fixture
def xvfb() -> Iterator[str]:
    """A private Xvfb on a free display number (Xvfb picks it: -displayfd); its DISPLAY value."""
    for tool in ("Xvfb", "xclip", "dbus-run-session"):
        if shutil.which(tool) is None:
            pytest.fail(f"the selection test needs {tool} (scripts/setup.sh installs it)")
    read, write = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1080x1920x24",
                               "-nolisten", "tcp"], pass_fds=(write,),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as numbers:
        number = numbers.readline().strip()      # written once the server accepts clients
    try:
        assert number, "Xvfb did not start"
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)


class KioskProcess:
    """The real kiosk in a child process under `display`, driven line by line."""

    def __init__(self, config: Path, display: str) -> None:
        env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
        env.pop("WAYLAND_DISPLAY", None)
        self.process = subprocess.Popen(
            ["dbus-run-session", "--", sys.executable, __file__, str(config)], env=env, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def ask(self, command: str) -> str:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline().strip()
        assert answer, f"the kiosk process ended (exit code {self.process.wait(timeout=30)})"
        return answer

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                self.ask("quit")
                self.process.wait(timeout=30)
            except (AssertionError, OSError, subprocess.TimeoutExpired):
                self.process.kill()
                self.process.wait(timeout=10)


def read_selection(display: str, selection: str, target: str | None = None) -> tuple[int, str]:
    """What another X client gets from `selection` (exit code, text); 1 when nobody owns it."""
    command = ["xclip", "-o", "-selection", selection, *(("-t", target) if target else ())]
    out = subprocess.run(command, env={**os.environ, "DISPLAY": display}, capture_output=True,
                         text=True, timeout=20, check=False)
    return out.returncode, out.stdout


def test_wipe_clears_clipboard_and_primary_selection_for_other_clients(
        xvfb: str, tmp_path: Path, fixture_pack: Path) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text(f"""\
[content]
pack = "{fixture_pack}"
[session]
root = "{tmp_path / 'sessions'}"
[stats]
dir = "{tmp_path / 'state'}"
[mediator]
journal_dir = "{tmp_path / 'journal'}"
[browser]
site = "none"
[devices]
scanner = "simulated"
printer = "simulated"
speech = "simulated"
""")
    copied, selected = (f"{kind}{secrets.token_hex(8)}" for kind in ("clip", "prim"))
    kiosk = KioskProcess(config, xvfb)
    try:
        assert kiosk.ask(f"plant {copied} {selected}") == "planted"
        assert read_selection(xvfb, "clipboard") == (0, copied), "the visitor's copy should be readable"
        assert read_selection(xvfb, "primary") == (0, selected), "the visitor's selection should be readable"

        assert kiosk.ask("wipe") == "wiped ok"

        for selection in SELECTIONS:
            code, text = read_selection(xvfb, selection)
            assert copied not in text and selected not in text, selection
            assert code != 0, f"{selection} still has a value: {text!r}"
            code, targets = read_selection(xvfb, selection, "TARGETS")
            assert code != 0, f"{selection} is still owned (targets {targets!r})"
    finally:
        kiosk.stop()
    assert kiosk.process.returncode == 0


# --- the kiosk side ----------------------------------------------------------------------------------

def _kiosk(config_path: str) -> int:
    """Build the real kiosk under xcb and obey the test's commands until `quit`."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
    from PySide6.QtCore import QSocketNotifier
    from PySide6.QtTest import QTest

    from kiosk import app as app_mod
    from kiosk.config import parse

    qt = app_mod.application()
    kiosk = app_mod.build(parse(Path(config_path).read_text(), config_path), fullscreen=False)
    window = kiosk.window
    window.setGeometry(0, 0, 1080, 1920)
    window.show()
    window.activateWindow()                   # no window manager under Xvfb: the kiosk takes the focus
    assert QTest.qWaitForWindowActive(window)

    def on_line() -> None:
        words = sys.stdin.readline().split()
        if not words or words[0] == "quit":
            notifier.setEnabled(False)
            kiosk.shutdown()
            qt.quit()
            return
        try:
            answer = _plant(kiosk, *words[1:]) if words[0] == "plant" else _wipe(kiosk)
        except Exception as exc:  # noqa: BLE001 - told to the test, which fails with it
            traceback.print_exc()
            answer = f"error {type(exc).__name__}: {exc}"
        print(answer, flush=True)

    notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
    notifier.activated.connect(on_line)
    return qt.exec()


def _plant(kiosk, copied: str, selected: str) -> str:  # noqa: ANN001
    """As a visitor: reach the receipt's number field, type, double-tap, copy; type and double-tap
    another number (the clipboard keeps the first, the primary selection gets the second)."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QClipboard, QGuiApplication
    from screen_input import key, touch

    from kiosk.content.model import StepKind

    controller, window = kiosk.controller, kiosk.window
    controller.touch_start()
    controller.choose_language("fr")
    controller.choose_procedure("alpha")
    controller.next()
    controller.choose("one")
    controller.next()
    field = window.step_pages[StepKind.END].reference_field
    touch(field)
    _type_and_select(window, field, copied)
    key(window, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)         # copy
    _type_and_select(window, field, selected)                                # replaces the selection
    clipboard = QGuiApplication.clipboard()
    assert clipboard.text(QClipboard.Mode.Clipboard) == copied
    assert clipboard.text(QClipboard.Mode.Selection) == selected
    return "planted"


def _type_and_select(window, field, text: str) -> None:  # noqa: ANN001
    """Type with the kiosk's keyboard, then double-tap the word (X11: it becomes PRIMARY)."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    for char in text:
        window.keyboard.press(char)
    QTest.mouseDClick(window.windowHandle(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                      field.mapTo(window, field.rect().center()))
    assert field.selectedText() == text, (field.text(), field.hasFocus(), field.selectedText())


def _wipe(kiosk) -> str:  # noqa: ANN001
    from kiosk.visit.session import EndReason

    report = kiosk.controller.end(EndReason.FINISHED)
    return "wiped ok" if report.ok else f"wiped FAILED {','.join(report.failed)}"


if __name__ == "__main__":
    sys.exit(_kiosk(sys.argv[1]))
