"""A receipt queued on a stopped printer when the kiosk crashes must not print for the next visitor.

The kiosk runs in a child process against the private cupsd; the visitor notes a reference number and
prints the receipt while the queue is disabled, so the job waits in the spool; the child is killed
(SIGKILL: no wipe, no exception hook). The kiosk then starts again, as systemd restarts it, and its
start-up recovery must cancel and purge that job: no job left, no spool file holding the number, and
when the printer comes back only what is printed afterwards comes out.

This file is also the kiosk side: `python test_spool_after_crash.py CONFIG REFERENCE` builds the real
kiosk, prints the visitor's receipt, reports "queued <pid> <job id>" once the printer refused it,
and waits to be killed.
"""

from __future__ import annotations

import io
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from private_cupsd import PrivateCups
from reportlab.pdfgen.canvas import Canvas

from kiosk.printing.cups import CupsPrinter
from kiosk.printing.escpos import PRINTABLE_DOTS, rasterize
from kiosk.printing.ipp import IppClient
from kiosk.printing.printer import JobState

pytestmark = pytest.mark.real_stack
QUEUE = "PANFAULT"


@pytest.fixture
def stopped_queue(cups: PrivateCups) -> Iterator[str]:
    """PANFAULT, disabled (the printer is stopped); enabled, accepting and empty again afterwards."""
    cups.lp("cupsdisable", QUEUE)
    yield QUEUE
    cups.lp("cupsenable", QUEUE)
    cups.lp("cupsaccept", QUEUE)
    CupsPrinter(QUEUE, IppClient(server=str(cups.socket))).purge()


def test_start_up_recovery_purges_the_job_a_crashed_kiosk_left_in_the_spool(
        cups: PrivateCups, stopped_queue: str, tmp_path: Path, fixture_pack: Path, make_kiosk,  # noqa: ANN001
        monkeypatch: pytest.MonkeyPatch) -> None:
    reference = f"PANREF{secrets.token_hex(6).upper()}"
    printer = f'printer = "cups"\nprinter_queue = "{stopped_queue}"\n'
    extra = "[devices]\n" + printer
    config = tmp_path / "kiosk.toml"
    config.write_text(_config_text(tmp_path, fixture_pack) + printer)      # inside its [devices]
    since = time.time()

    pid, job_id = _crash_while_printing(cups, config, reference)

    assert f"{stopped_queue}-{job_id}" in cups.lp("lpstat", "-o", stopped_queue)
    assert _found_in(cups.spool, reference), "the queued receipt should hold the reference"
    assert _found_in(tmp_path / "sessions", reference), "the crashed session's receipt should be left"

    monkeypatch.setenv("CUPS_SERVER", str(cups.socket))
    kiosk = make_kiosk(extra)                                    # systemd starts the kiosk again

    assert cups.lp("lpstat", "-o", stopped_queue) == ""
    assert _found_in(cups.spool, reference) == []
    assert _found_in(cups.root, reference) == []                 # nor in history, cache or logs
    assert _found_in(tmp_path / "sessions", reference) == []     # prepare_root, as before
    assert not kiosk.visit.active

    cups.lp("cupsenable", stopped_queue)                         # the printer comes back
    sentinel = tmp_path / "sentinel.pdf"
    sentinel.write_bytes(_sentinel_pdf())
    after = CupsPrinter(stopped_queue, IppClient(server=str(cups.socket)))
    job = after.submit(sentinel, "pan-sentinel")
    assert after.follow(job, timeout_s=30) is JobState.COMPLETED  # jobs print in order: ours was first
    printed = [p for p in PrivateCups.output_dir().glob("*.pdf") if p.stat().st_mtime >= since - 1]
    try:
        assert [p for p in printed if p.name.endswith(f"job_{job_id}.pdf")] == []
        assert [p for p in printed if reference in _pdf_text(p)] == []
        assert len([p for p in printed if p.name.endswith(f"job_{job.id}.pdf")]) == 1
    finally:
        for p in printed:
            p.unlink()
    assert pid != os.getpid()


def test_escpos_rasterizes_a_receipt_without_a_temporary_file(monkeypatch: pytest.MonkeyPatch,
                                                               tmp_path: Path) -> None:
    """The ESC/POS adapter used to write the receipt into a folder of /tmp, left there by a crash."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "no-such-dir"))   # any temp file fails
    pages = rasterize(_sentinel_pdf(pages=2))
    assert [page.size[0] for page in pages] == [PRINTABLE_DOTS, PRINTABLE_DOTS]
    assert all(page.mode == "1" and page.getextrema()[0] == 0 for page in pages)    # text printed


def _crash_while_printing(cups: PrivateCups, config: Path, reference: str) -> tuple[int, int]:
    """Run the kiosk in a child, let it queue the receipt on the stopped printer, SIGKILL it."""
    support = str(Path(__file__).resolve().parents[1] / "support")       # for this file's imports
    path = os.pathsep.join(p for p in (support, os.environ.get("PYTHONPATH", "")) if p)
    env = {**cups.env, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": path}
    child = subprocess.Popen(["dbus-run-session", "--", sys.executable, __file__, str(config), reference],
                             env=env, text=True, stdout=subprocess.PIPE)
    try:
        assert child.stdout is not None
        line = child.stdout.readline().split()
        assert line[:1] == ["queued"], f"the kiosk did not queue the receipt: {line}"
        pid, job_id = int(line[1]), int(line[2])
        os.kill(pid, signal.SIGKILL)                             # the crash: no wipe, no hook
        child.wait(timeout=30)                                   # dbus-run-session follows its child
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(timeout=10)
    return pid, job_id


def _config_text(tmp_path: Path, pack: Path) -> str:
    """The configuration conftest's make_config builds, as a file for the child process."""
    return (f'[content]\npack = "{pack}"\n[session]\nroot = "{tmp_path / "sessions"}"\n'
            f'[stats]\ndir = "{tmp_path / "state"}"\n[mediator]\njournal_dir = "{tmp_path / "journal"}"\n'
            '[browser]\nsite = "none"\n[devices]\nscanner = "simulated"\nspeech = "simulated"\n')


def _found_in(root: Path, value: str) -> list[Path]:
    """Files under `root` holding `value`: as bytes, or as text of a PDF (receipts are compressed)."""
    needle = value.encode()
    hits = []
    for path in root.rglob("*"):
        if not path.is_file() or path.is_socket():
            continue
        data = path.read_bytes()
        if needle in data or (data.startswith(b"%PDF") and value in _pdf_text(path)):
            hits.append(path)
    return hits


def _pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=False).stdout


def _sentinel_pdf(pages: int = 1) -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out)
    for page in range(pages):
        canvas.drawString(72, 720, f"sentinel {page + 1}")
        canvas.showPage()
    canvas.save()
    return out.getvalue()


# --- the kiosk side ----------------------------------------------------------------------------------

def _kiosk(config_path: str, reference: str) -> int:
    from PySide6.QtCore import QEventLoop, QTimer

    from kiosk import app as app_mod
    from kiosk.config import parse
    from kiosk.content.model import StepKind

    qt = app_mod.application()
    kiosk = app_mod.build(parse(Path(config_path).read_text(), config_path), fullscreen=False)
    window, controller = kiosk.window, kiosk.controller
    window.show()
    controller.touch_start()
    controller.choose_language("fr")
    controller.choose_procedure("alpha")
    controller.next()
    controller.choose("one")
    controller.next()
    field = window.step_pages[StepKind.END].reference_field
    field.setText(reference)
    field.textEdited.emit(reference)                     # what typing does

    printing, loop, outcome = window.printing, QEventLoop(), []
    printing.failed.connect(lambda error: (outcome.append(error), loop.quit()))
    printing.finished.connect(lambda path: (outcome.append(path), loop.quit()))
    QTimer.singleShot(60000, loop.quit)
    window.print_receipt()
    loop.exec()
    job = printing.job
    if job is None:
        print(f"not queued: {outcome!r}", flush=True)
        return 1
    print(f"queued {os.getpid()} {job.id}", flush=True)
    return qt.exec()                                     # until the test kills it


if __name__ == "__main__":
    sys.exit(_kiosk(sys.argv[1], sys.argv[2]))
