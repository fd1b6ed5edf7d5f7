"""Printing through a real (private) cupsd and cups-pdf: completion, faults, purge."""

from __future__ import annotations

import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from private_cupsd import PrivateCups
from reportlab.pdfgen.canvas import Canvas

from kiosk.i18n import Translators
from kiosk.printing.cups import CupsPrinter
from kiosk.printing.ipp import IppClient
from kiosk.printing.printer import FaultKind, JobState, PrinterFault, print_document
from kiosk.receipts import FontBook, ReceiptRenderer
from kiosk.receipts.sample import SAMPLE_REFERENCE, sample_receipt

pytestmark = pytest.mark.real_stack


def printer(cups: PrivateCups, queue: str = "PANPDF") -> CupsPrinter:
    return CupsPrinter(queue, IppClient(server=str(cups.socket)))


@pytest.fixture
def fault_queue(cups: PrivateCups) -> Iterator[str]:
    """PANFAULT, put back to enabled and accepting after each test."""
    yield "PANFAULT"
    cups.lp("cupsenable", "PANFAULT")
    cups.lp("cupsaccept", "PANFAULT")
    printer(cups, "PANFAULT").purge()


def test_receipt_prints_through_cups_pdf_and_the_printed_pdf_has_the_receipt(
        cups: PrivateCups, tmp_path: Path) -> None:
    pdf = tmp_path / "receipt.pdf"
    pdf.write_bytes(ReceiptRenderer(FontBook(), Translators(None).get).receipt(sample_receipt("ar")))
    states: list[JobState] = []
    since = time.time()
    job = print_document(printer(cups), pdf, f"pan-test-{uuid.uuid4().hex[:8]}", 30, states.append)
    assert states[-1] is JobState.COMPLETED
    out = cups.find_output(job.id, since)
    try:
        text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                              check=True).stdout
    finally:
        out.unlink()
    # cups-pdf re-distills the page through PostScript: ASCII text survives, the rest is drawn
    # but loses its text layer (the receipt's own PDF is checked script by script elsewhere).
    assert SAMPLE_REFERENCE in text
    assert "0 806 001 620" in text


def test_status_of_a_ready_queue(cups: PrivateCups) -> None:
    status = printer(cups).status()
    assert status.ready and status.faults == ()


def test_missing_queue_is_a_typed_fault(cups: PrivateCups, tmp_path: Path) -> None:
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    missing = printer(cups, "NO_SUCH_QUEUE")
    assert [f.kind for f in missing.status().faults] == [FaultKind.MISSING]
    with pytest.raises(PrinterFault) as caught:
        missing.submit(pdf, "x")
    assert caught.value.kind is FaultKind.MISSING and caught.value.needs_mediator


def test_unreachable_scheduler(tmp_path: Path) -> None:
    gone = CupsPrinter("PANPDF", IppClient(server=str(tmp_path / "no.sock")))
    assert [f.kind for f in gone.status().faults] == [FaultKind.UNREACHABLE]


def test_rejecting_queue(cups: PrivateCups, fault_queue: str, tmp_path: Path) -> None:
    cups.lp("cupsreject", fault_queue)
    p = printer(cups, fault_queue)
    assert FaultKind.REJECTING in [f.kind for f in p.status().faults]
    pdf = tmp_path / "x.pdf"
    _plant(pdf, "nothing")
    with pytest.raises(PrinterFault) as caught:
        p.submit(pdf, "x")
    assert caught.value.kind is FaultKind.REJECTING


def test_stopped_queue_is_told_then_retry_completes(cups: PrivateCups, fault_queue: str,
                                                    tmp_path: Path) -> None:
    cups.lp("cupsdisable", fault_queue)
    p = printer(cups, fault_queue)
    assert [f.kind for f in p.status().faults] == [FaultKind.STOPPED]
    pdf = tmp_path / "x.pdf"
    _plant(pdf, "retry")
    title = f"pan-retry-{uuid.uuid4().hex[:8]}"
    job = p.submit(pdf, title)
    with pytest.raises(PrinterFault) as caught:
        p.follow(job, timeout_s=10)
    assert caught.value.kind is FaultKind.STOPPED
    cups.lp("cupsenable", fault_queue)           # the mediator restarts the printer
    assert p.follow(job, timeout_s=30) is JobState.COMPLETED
    for out in PrivateCups.output_dir().glob(f"{title}*"):
        out.unlink()


def test_purge_leaves_nothing_of_the_visitor_in_spool_or_history(
        cups: PrivateCups, fault_queue: str, tmp_path: Path) -> None:
    planted = f"PLANTED-{uuid.uuid4().hex}"
    pdf = tmp_path / "visitor.pdf"
    _plant(pdf, planted)
    done, held = printer(cups), printer(cups, fault_queue)
    print_document(done, pdf, planted, 30)             # printed: in the job history
    cups.lp("cupsdisable", fault_queue)
    waiting = held.submit(pdf, planted)                # queued: files in the spool
    client = IppClient(server=str(cups.socket))
    assert _found_in(cups.root, planted), "the planted value should be in the spool before purge"
    assert client.job_attributes(waiting.id, ["job-name"])["job-name"] == (planted,)

    done.purge()
    held.purge()

    assert _found_in(cups.root, planted) == []
    for queue in ("PANPDF", fault_queue):
        for job_id in client.jobs(queue, "all", mine=False):
            assert planted not in client.job_attributes(job_id, ["job-name"]).get("job-name", ())
    for out in PrivateCups.output_dir().glob(f"{planted}*"):
        out.unlink()                                   # the "paper" cups-pdf produced


def _plant(path: Path, value: str) -> None:
    canvas = Canvas(str(path), pageCompression=0)
    canvas.drawString(72, 720, value)
    canvas.save()


def _found_in(root: Path, value: str) -> list[Path]:
    needle = value.encode()
    return [p for p in root.rglob("*") if p.is_file() and not p.is_socket() and needle in p.read_bytes()]
