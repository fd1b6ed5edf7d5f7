"""The print step in the visitor flow: simulated printer faults, on-screen receipt, and real CUPS."""

from __future__ import annotations

import subprocess
import time

import pytest
from PySide6.QtCore import Qt

from kiosk.content.model import StepKind
from kiosk.printing.printer import FaultKind
from kiosk.visit.session import EndReason

PLANTED = "PANREF7731X"


def reach_end(kiosk, qtbot, language: str = "fr") -> None:  # noqa: ANN001
    w = kiosk.window
    qtbot.mouseClick(w.attract._start, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(w.language_page.buttons[language], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(w.procedure_page.buttons["alpha"], Qt.MouseButton.LeftButton)
    kiosk.controller.next()
    kiosk.controller.choose("one")
    kiosk.controller.next()
    assert kiosk.visit.state.step.kind is StepKind.END
    field = w.step_pages[StepKind.END].reference_field
    field.setText(PLANTED)
    field.textEdited.emit(PLANTED)


def test_fault_then_retry_then_on_screen_receipt(make_kiosk, qtbot) -> None:  # noqa: ANN001
    kiosk = make_kiosk()
    printer = kiosk.window.printing.printer
    printer.print_s = 0.0
    printer.inject(FaultKind.MEDIA_EMPTY)
    reach_end(kiosk, qtbot, "ar")
    overlay = kiosk.window.print_overlay
    qtbot.mouseClick(kiosk.window.step_pages[StepKind.END].print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(overlay.retry.isVisible, timeout=20000)
    assert overlay.text.text().startswith("نفد الورق من الطابعة.")           # translated, with what to do
    pdf = kiosk.sessions.current.directory / "receipt.pdf"
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")
    qtbot.mouseClick(overlay.show_on_screen, Qt.MouseButton.LeftButton)
    assert overlay.scroll.isVisible() and not overlay.image.pixmap().isNull()
    printer.clear()
    qtbot.mouseClick(overlay.retry, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not overlay.retry.isVisible() and overlay.close_button.isVisible(),
                    timeout=20000)
    assert len(printer.jobs) == 1
    kiosk.controller.end(EndReason.FINISHED)
    assert not pdf.exists() and printer.jobs == {} and not overlay.isVisible()


@pytest.mark.real_stack
def test_visitor_receipt_printed_through_real_cups(make_kiosk, qtbot, cups, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("CUPS_SERVER", str(cups.socket))
    kiosk = make_kiosk('[devices]\nprinter = "cups"\nprinter_queue = "PANPDF"')
    since = time.time()
    reach_end(kiosk, qtbot)
    overlay = kiosk.window.print_overlay
    qtbot.mouseClick(kiosk.window.step_pages[StepKind.END].print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(overlay.close_button.isVisible, timeout=30000)
    assert overlay.title.text() == "Votre reçu est imprimé", overlay.text.text()
    job = kiosk.window.printing.printer.submitted[-1]
    printed = cups.find_output(job.id, since)
    text = subprocess.run(["pdftotext", str(printed), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert PLANTED in text                       # the number the visitor noted is on the paper
    printed.unlink()
    kiosk.controller.end(EndReason.FINISHED)
    leftovers = subprocess.run(["grep", "-rl", PLANTED, str(cups.root)], capture_output=True, text=True,
                               check=False)
    assert leftovers.stdout == ""                # nothing of the visitor in the spool or history


@pytest.mark.real_stack
def test_a_downloaded_attestation_prints_through_the_same_queue(make_kiosk, qtbot, cups, monkeypatch) -> None:  # noqa: ANN001
    from reportlab.pdfgen import canvas
    monkeypatch.setenv("CUPS_SERVER", str(cups.socket))
    kiosk = make_kiosk('[devices]\nprinter = "cups"\nprinter_queue = "PANPDF"')
    reach_end(kiosk, qtbot)
    attestation = kiosk.sessions.current.directory / "downloads" / "attestation-depot.pdf"
    attestation.parent.mkdir()
    pdf = canvas.Canvas(str(attestation))
    pdf.drawString(72, 720, "Attestation de depot ATTEST-PLANT-5521")
    pdf.save()
    since = time.time()
    kiosk.window.printing.print_document(attestation)
    overlay = kiosk.window.print_overlay
    qtbot.waitUntil(overlay.close_button.isVisible, timeout=30000)
    assert overlay.title.text() == "Votre document est imprimé", overlay.text.text()
    job = kiosk.window.printing.printer.submitted[-1]
    assert job.title == "PAN Kiosk document"            # never the file's name
    printed = cups.find_output(job.id, since)
    text = subprocess.run(["pdftotext", str(printed), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "ATTEST-PLANT-5521" in text
    printed.unlink()
    kiosk.controller.end(EndReason.FINISHED)
    assert not attestation.exists()
    leftovers = subprocess.run(["grep", "-rl", "ATTEST-PLANT-5521", str(cups.root)], capture_output=True,
                               text=True, check=False)
    assert leftovers.stdout == ""
