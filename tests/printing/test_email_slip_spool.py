"""The e-mail address slip through the real print spooler (private cupsd): a slip queued on a stopped
printer holds the visitor's address in the spool until the wipe, which purges it; afterwards the address
is nowhere under the spooler's tree, nor in the session root, nor in the logs."""

from __future__ import annotations

import logging
import secrets
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from private_cupsd import PrivateCups

from kiosk.paths import DEFAULT_PACK
from kiosk.printing.cups import CupsPrinter
from kiosk.printing.ipp import IppClient
from kiosk.visit.session import EndReason

pytestmark = pytest.mark.real_stack
QUEUE = "PANFAULT"


@pytest.fixture
def stopped_queue(cups: PrivateCups) -> Iterator[str]:
    cups.lp("cupsdisable", QUEUE)
    yield QUEUE
    cups.lp("cupsenable", QUEUE)
    cups.lp("cupsaccept", QUEUE)
    CupsPrinter(QUEUE, IppClient(server=str(cups.socket))).purge()


def found_in(root: Path, value: str) -> list[Path]:
    hits = []
    for path in root.rglob("*") if root.exists() else ():
        if not path.is_file() or path.is_socket():
            continue
        try:
            data = path.read_bytes()
        except PermissionError:
            continue
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                              check=False).stdout if data.startswith(b"%PDF") else ""
        if value.encode() in data or value in text.replace(" ", ""):
            hits.append(path)
    return hits


def test_a_queued_slip_is_purged_from_the_spool_at_the_wipe(
        cups: PrivateCups, stopped_queue: str, make_kiosk, qtbot, tmp_path: Path,  # noqa: ANN001
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    planted = f"slip{secrets.token_hex(5)}@gmail.com"
    monkeypatch.setenv("CUPS_SERVER", str(cups.socket))
    kiosk = make_kiosk(f'[devices]\nprinter = "cups"\nprinter_queue = "{stopped_queue}"', pack=DEFAULT_PACK)
    c, page = kiosk.controller, kiosk.window.router.address_page
    c.touch_start()
    c.choose_language("fr")
    c.choose_procedure("email_address")
    c.next()
    c.choose("ready")
    page.address_field.setText(planted)
    page.print_button.click()
    qtbot.waitUntil(lambda: bool(found_in(cups.spool, planted)), timeout=20000)
    assert QUEUE in cups.lp("lpstat", "-o", stopped_queue)
    assert planted not in cups.lp("lpstat", "-l", "-o", stopped_queue)    # nor in the job's title

    c.end(EndReason.FINISHED)

    assert kiosk.controller.last_report is not None and kiosk.controller.last_report.ok
    assert cups.lp("lpstat", "-o", stopped_queue) == ""
    assert found_in(cups.root, planted) == []                      # spool, history, cache, logs
    assert found_in(tmp_path / "sessions", planted) == []
    assert planted not in caplog.text
