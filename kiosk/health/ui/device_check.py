"""The mediator's device panel: printer and scanner state, a test print and a test scan.

Every device call blocks (CUPS, scanimage), so all of them go through the task pool; results come back
as plain text in the mediator's language. The test print uses the fictitious sample receipt and the
test scan a small low-resolution area: nothing of any visitor is involved, and the test files are
deleted as soon as the job is done.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable
from pathlib import Path

from kiosk.i18n import Translator
from kiosk.printing.printer import Printer, PrinterFault, PrinterStatus, print_document
from kiosk.receipts.render import Layout, ReceiptRenderer
from kiosk.receipts.sample import sample_receipt
from kiosk.scan.scanner import Scanner, ScannerFault, ScannerStatus, ScanSettings
from kiosk.ui.tasks import Tasks

log = logging.getLogger(__name__)

Report = Callable[[str], None]


class DeviceCheck:
    def __init__(self, tasks: Tasks, printer: Printer, scanner: Scanner, renderer: ReceiptRenderer,
                 layout: Layout) -> None:
        self.tasks, self.printer, self.scanner = tasks, printer, scanner
        self.renderer, self.layout = renderer, layout

    def status(self, tr: Translator, report: Report) -> None:
        """One line per device, e.g. "Printer (pdf): ready" / "Scanner: No scanner was found."."""
        def work() -> tuple[PrinterStatus, ScannerStatus]:
            return self.printer.status(), self.scanner.status()

        def done(result: tuple[PrinterStatus, ScannerStatus]) -> None:
            printer, scanner = result
            report("\n".join((printer_line(tr, printer), scanner_line(tr, scanner))))

        self.tasks.run(work, done, lambda exc: report(_unexpected(tr, exc)))

    def test_print(self, tr: Translator, report: Report) -> None:
        def work() -> None:
            with tempfile.TemporaryDirectory(prefix="pan-test-print-") as tmp:
                pdf = Path(tmp) / "test.pdf"
                pdf.write_bytes(self.renderer.receipt(sample_receipt("fr"), self.layout))
                print_document(self.printer, pdf, "PAN Kiosk test page", timeout_s=60)

        def error(exc: BaseException) -> None:
            if isinstance(exc, PrinterFault):
                report(tr.tr("Test print failed: {problem}", problem=tr.tr(exc.message)))
            else:
                report(_unexpected(tr, exc))

        report(tr.tr("Printing a test page…"))
        self.tasks.run(work, lambda _r: report(tr.tr("Test page printed.")), error)

    def test_scan(self, tr: Translator, report: Report) -> None:
        def work() -> tuple[int, int]:
            raw = self.scanner.scan(ScanSettings(dpi=75, width_mm=100, height_mm=100))
            return raw.width, raw.height

        def done(size: tuple[int, int]) -> None:
            report(tr.tr("Test scan done: {width} × {height} pixels.", width=size[0], height=size[1]))

        def error(exc: BaseException) -> None:
            if isinstance(exc, ScannerFault):
                report(tr.tr("Test scan failed: {problem}", problem=tr.tr(exc.message)))
            else:
                report(_unexpected(tr, exc))

        report(tr.tr("Scanning a test area…"))
        self.tasks.run(work, done, error)


def printer_line(tr: Translator, status: PrinterStatus) -> str:
    state = (tr.tr("ready") if status.ready
             else "; ".join(tr.tr(f.message) for f in status.faults) or tr.tr("not ready"))
    return tr.tr("Printer ({name}): {state}", name=status.name, state=state)


def scanner_line(tr: Translator, status: ScannerStatus) -> str:
    name = status.device.model if status.device is not None else status.name
    state = (tr.tr("ready") if status.ready
             else tr.tr(status.fault.message) if status.fault is not None else tr.tr("not ready"))
    return tr.tr("Scanner ({name}): {state}", name=name, state=state)


def _unexpected(tr: Translator, exc: BaseException) -> str:
    log.error("device check failed: %s", type(exc).__name__, exc_info=exc)
    return tr.tr("The check could not run. See the terminal's log.")
