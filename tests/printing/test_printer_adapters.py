"""Simulated printer (demo, training) and the ESC/POS backend through python-escpos' Dummy printer."""

from __future__ import annotations

from pathlib import Path

import pytest
from escpos.printer import Dummy
from fakes import FakeClock
from PIL import Image

from kiosk.i18n import Translators
from kiosk.printing.cups import faults_from
from kiosk.printing.escpos import EscposPrinter
from kiosk.printing.printer import (
    FAULT_TEXT,
    FaultKind,
    JobState,
    PrinterFault,
    SimulatedPrinter,
    print_document,
)
from kiosk.receipts import FontBook, ReceiptRenderer
from kiosk.receipts.sample import SAMPLE_REFERENCE, sample_receipt


@pytest.fixture(scope="module")
def renderer() -> ReceiptRenderer:
    return ReceiptRenderer(FontBook(), Translators(None).get)


@pytest.fixture
def pdf(tmp_path: Path) -> Path:
    path = tmp_path / "doc.pdf"
    path.write_bytes(b"%PDF-1.4 visitor data\n")
    return path


def test_simulated_printer_prints_and_purges_its_copies(pdf: Path, tmp_path: Path) -> None:
    clock = FakeClock(0.0)
    printer = SimulatedPrinter(print_s=2.0, out_dir=tmp_path / "out", clock=clock, sleep=clock.sleep)
    states: list[JobState] = []
    print_document(printer, pdf, "receipt", on_state=states.append)
    assert states == [JobState.PROCESSING, JobState.COMPLETED] and clock.now == 2.0
    assert len(list((tmp_path / "out").iterdir())) == 1
    printer.purge()
    assert list((tmp_path / "out").iterdir()) == [] and printer.jobs == {}


@pytest.mark.parametrize("kind", list(FaultKind))
def test_simulated_faults_are_typed_and_retry_works(pdf: Path, kind: FaultKind) -> None:
    clock = FakeClock(0.0)
    printer = SimulatedPrinter(clock=clock, sleep=clock.sleep)
    printer.inject(kind)
    assert not printer.status().ready and printer.status().faults[0].kind is kind
    with pytest.raises(PrinterFault) as caught:
        job = printer.submit(pdf, "r")
        printer.follow(job)
    assert caught.value.kind is kind
    assert caught.value.message == FAULT_TEXT[kind][0] and caught.value.action
    printer.clear()
    assert print_document(printer, pdf, "r").id > 0


def test_fault_messages_are_translatable_msgids() -> None:
    french = Translators(None).get("fr")
    for message, action in FAULT_TEXT.values():
        assert french.tr(message) and french.tr(action)


def test_printer_state_reasons_to_faults() -> None:
    kinds = [f.kind for f in faults_from({"printer-state": (5,), "printer-is-accepting-jobs": (False,),
                                          "printer-state-reasons": ("media-empty-error", "media-jam",
                                                                    "toner-low-warning", "offline-report")})]
    assert kinds == [FaultKind.MEDIA_EMPTY, FaultKind.MEDIA_JAM, FaultKind.OFFLINE, FaultKind.REJECTING]
    assert [f.kind for f in faults_from({"printer-state": (5,)})] == [FaultKind.STOPPED]
    assert faults_from({"printer-state": (3,), "printer-state-reasons": ("none",)}) == []


def test_escpos_text_receipt_for_a_latin_script(renderer: ReceiptRenderer) -> None:
    device = Dummy()
    sheet = renderer.composer("ru").receipt(sample_receipt("ru"))
    EscposPrinter(device).print_sheet(sheet, renderer)
    out = device.output
    assert SAMPLE_REFERENCE.encode() in out
    assert "Продление вида на жительство".encode("cp866") in out       # Cyrillic code page
    assert b"Renouvellement du titre de s" in out
    assert b"\x1dV" in out                                              # cut


def test_escpos_arabic_part_goes_as_an_image_french_as_text(renderer: ReceiptRenderer) -> None:
    images: list[int] = []

    def rasterize(pdf: bytes) -> list[Image.Image]:
        images.append(len(pdf))
        return [Image.new("1", (576, 200), 1)]

    device = Dummy()
    sheet = renderer.composer("ar").receipt(sample_receipt("ar"))
    EscposPrinter(device, rasterizer=rasterize).print_sheet(sheet, renderer)
    assert len(images) == 1
    assert b"\x1dv0" in device.output                                   # raster image
    assert SAMPLE_REFERENCE.encode() in device.output
    assert b"Renouvellement du titre de s" in device.output


def test_escpos_prints_a_pdf_as_raster(renderer: ReceiptRenderer, tmp_path: Path) -> None:
    path = tmp_path / "r.pdf"
    path.write_bytes(renderer.receipt(sample_receipt("ta"), "80mm"))
    device = Dummy()
    printer = EscposPrinter(device)
    job = printer.submit(path, "receipt")
    assert printer.follow(job) is JobState.COMPLETED
    assert b"\x1dv0" in device.output and len(device.output) > 20_000
