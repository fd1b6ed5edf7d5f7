"""A planted e-mail address, typed into the guide's address step on the kiosk's own keyboard path and
printed on the slip, is gone after the wipe: not in the session model, not on any page, not in the
session root, not in the printer's output queue, never in the logs."""

from __future__ import annotations

import logging
import secrets
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.paths import DEFAULT_PACK
from kiosk.visit.session import EndReason


def found_in(root: Path, value: str) -> list[Path]:
    hits = []
    for path in root.rglob("*") if root.exists() else ():
        if path.is_file() and not path.is_socket():
            data = path.read_bytes()
            text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                                  check=False).stdout if data.startswith(b"%PDF") else ""
            if value.encode() in data or value in text.replace(" ", ""):
                hits.append(path)
    return hits


def test_planted_address_is_printed_then_wiped_and_never_logged(
        make_kiosk, qtbot: QtBot, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:  # noqa: ANN001
    caplog.set_level(logging.DEBUG)
    planted = f"pan{secrets.token_hex(5)}@laposte.net"
    out = tmp_path / "printed"
    kiosk = make_kiosk(pack=DEFAULT_PACK)
    kiosk.window.printing.printer.out_dir = out                 # the simulated printer's paper
    c, page = kiosk.controller, kiosk.window.router.address_page
    c.touch_start()
    c.choose_language("ar")
    c.choose_procedure("email_address")
    c.next()
    c.choose("ready")
    assert kiosk.window.router.current_page() is page and not page.print_button.isEnabled()
    kiosk.window.activateWindow()
    page.address_field.setFocus()
    qtbot.waitUntil(kiosk.window.keyboard.isVisible, timeout=5000)     # the kiosk's keyboard, in Latin
    assert kiosk.window.keyboard.layout_name == "azerty"
    qtbot.keyClicks(page.address_field, planted)
    session = kiosk.visit.sessions.current
    assert session is not None and session.email_address == planted
    c.next()
    c.back()                                                    # the field shows the model's address
    assert page.address_field.text() == planted
    qtbot.mouseClick(page.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(found_in(out, planted)), timeout=20000)
    assert found_in(session.directory, planted) == [session.directory / "address-slip.pdf"]

    c.end(EndReason.FINISHED)

    assert kiosk.visit.sessions.current is None and session.email_address == ""
    assert page.address_field.text() == "" and page.is_empty()
    assert found_in(tmp_path / "sessions", planted) == []
    assert found_in(tmp_path / "state", planted) == [] and found_in(tmp_path / "journal", planted) == []
    assert planted not in caplog.text and planted.partition("@")[0] not in caplog.text
