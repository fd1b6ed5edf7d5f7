"""The print step: build the receipt, render and print it off the GUI thread, tell the visitor.

When printing is impossible the receipt is shown on the screen (with its QR code) so the visitor can
photograph it. The receipt file lives in the session directory and goes with the wipe.

Signals (PrintController):
    started()               rendering and printing began
    finished(str)           printed; argument: the PDF path
    failed(object)          a PrinterFault or another exception; the PDF may exist for on-screen view
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QSize, Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QLabel, QScrollArea, QWidget

from kiosk.i18n import Translator
from kiosk.printing.printer import Printer, PrinterFault, PrintJob
from kiosk.receipts.model import ReceiptData
from kiosk.receipts.render import Layout, ReceiptRenderer
from kiosk.ui.overlays import Overlay
from kiosk.ui.tasks import Tasks
from kiosk.ui.widgets import button, label
from kiosk.visit.ui.pictograms import PRINTING_PICTOGRAM, Pictogram, titled_row

log = logging.getLogger(__name__)
JOB_TITLE = "PAN Kiosk receipt"      # CUPS keeps job titles: never anything of the visitor
DOCUMENT_TITLE = "PAN Kiosk document"


class PrintController(QObject):
    started = Signal()
    finished = Signal(str)
    failed = Signal(object)

    def __init__(self, tasks: Tasks, renderer: ReceiptRenderer, printer: Printer, layout: Layout) -> None:
        super().__init__()
        self.tasks, self.renderer, self.printer, self.layout = tasks, renderer, printer, layout
        self.pdf: Path | None = None
        self.job: PrintJob | None = None
        self.document = False         # True while the job is a visitor's document, not the receipt
        self._generation = 0          # results of an ended session are dropped

    def print_receipt(self, data: ReceiptData, directory: Path) -> None:
        path = directory / "receipt.pdf"
        self.document, self.job = False, None
        self._run(lambda: self._render_and_print(data, path))

    def print_document(self, path: Path) -> None:
        """A PDF of the session (an attestation downloaded from the site, an incident proof) through
        the same queue, following and retry as the receipt."""
        self.document, self.job, self.pdf = True, None, path
        self._run(lambda: self._print(path))

    def print_made(self, make: Callable[[], bytes], path: Path) -> None:
        """A PDF made off the GUI thread by `make` (the e-mail address slip), written to `path` in the
        session directory, then printed as a visitor's document (its job title says nothing of it)."""
        self.document, self.job = True, None

        def work() -> Path:
            path.write_bytes(make())
            self.pdf = path
            return self._print(path)

        self._run(work)

    def retry(self) -> None:
        if self.pdf is not None and self.pdf.exists():
            pdf = self.pdf
            self._run(lambda: self._print(pdf))

    def _render_and_print(self, data: ReceiptData, path: Path) -> Path:
        path.write_bytes(self.renderer.receipt(data, self.layout))
        self.pdf = path
        return self._print(path)

    def _print(self, path: Path) -> Path:
        """Submit once; a retry after a fault follows the job still queued (no duplicate receipt)."""
        if self.job is None:
            self.job = self.printer.submit(path, DOCUMENT_TITLE if self.document else JOB_TITLE)
        self.printer.follow(self.job)
        self.job = None
        return path

    def _run(self, work: Callable[[], Path]) -> None:
        generation = self._generation
        self.started.emit()

        def done(path: Path) -> None:
            if generation == self._generation:
                self.finished.emit(str(path))

        def error(exc: BaseException) -> None:
            if generation == self._generation:
                if not isinstance(exc, PrinterFault):
                    log.error("printing failed: %s", type(exc).__name__)
                self.failed.emit(exc)

        self.tasks.run(work, done, error)

    def wipe(self) -> None:
        """Wipe step: finish what runs, forget the receipt, purge the visitor's print jobs."""
        self._generation += 1
        self.tasks.wait(10000)
        self.pdf = self.job = None
        self.printer.purge()


class PrintOverlay(Overlay):
    """Printing status for the visitor. Signals: retry_requested(), closed()."""

    retry_requested = Signal()
    closed = Signal()
    # The receipt shown on the screen. The name hides QWidget.scroll(dx, dy), never called on an
    # overlay; kept because the printing tests read it (renaming it means renaming it there too).
    scroll: QScrollArea  # type: ignore[assignment]

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, "printing")
        self.title = label("title")
        self.pictogram = Pictogram()       # beside the title: a printer (issue 19 point 5)
        self.text = label()
        self.image = QLabel()
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self.image)
        self.scroll.hide()
        self.retry = button("primary", "print_retry")
        self.show_on_screen = button(name="print_show")
        self.close_button = button(name="print_close")
        self.retry.clicked.connect(self.retry_requested)
        self.close_button.clicked.connect(self.closed)
        self.show_on_screen.clicked.connect(self._on_show_clicked)
        self._layout.addLayout(titled_row(self.pictogram, self.title))
        for w in (self.text, self.scroll, self.retry, self.show_on_screen, self.close_button):
            self._layout.addWidget(w)
        self._layout.addStretch(1)
        self._pdf: Path | None = None

    def follow(self, printing: PrintController, tr: Callable[[], Translator]) -> None:
        """Show what `printing` does, in the visitor's language of the moment; Try again retries."""
        self.closed.connect(self.hide)
        self.retry_requested.connect(printing.retry)
        printing.started.connect(lambda: self.busy(tr(), printing.document))
        printing.finished.connect(lambda path: self.done(tr(), Path(path), printing.document))
        printing.failed.connect(lambda error: self.failed(tr(), error, printing.pdf, printing.document))

    def busy(self, tr: Translator, document: bool = False) -> None:
        title = tr.tr("Your document") if document else tr.tr("Your receipt")
        self._set(tr, title, tr.tr("Printing… Please wait."), retry=False, show=False)
        self.close_button.hide()

    def done(self, tr: Translator, pdf: Path, document: bool = False) -> None:
        self._pdf = pdf
        title = tr.tr("Your document is printed") if document else tr.tr("Your receipt is printed")
        self._set(tr, title, tr.tr("Take it from the printer."), retry=False, show=False)

    def failed(self, tr: Translator, error: BaseException, pdf: Path | None, document: bool = False) -> None:
        self._pdf = pdf
        if isinstance(error, PrinterFault):
            text = f"{tr.tr(error.message)}\n{tr.tr(error.action)}"
        elif document:
            text = tr.tr("The document could not be printed. Ask a mediator.")
        else:
            text = tr.tr("The receipt could not be printed. Ask a mediator.")
        self._set(tr, tr.tr("Printing did not work"), text, retry=pdf is not None, show=pdf is not None)
        if document:
            self.show_on_screen.setText(tr.tr("Show the document on the screen"))

    def _set(self, tr: Translator, title: str, text: str, retry: bool, show: bool) -> None:
        self.title.setText(title)
        self.pictogram.draw(PRINTING_PICTOGRAM, title)
        self.text.setText(text)
        self.retry.setText(tr.tr("Try again"))
        self.show_on_screen.setText(tr.tr("Show the receipt on the screen"))
        self.close_button.setText(tr.tr("Close"))
        self.retry.setVisible(retry)
        self.show_on_screen.setVisible(show)
        self.close_button.show()
        self.scroll.hide()
        if not self.isVisible():
            self.open()

    def _on_show_clicked(self) -> None:
        if self._pdf is None:
            return
        image = render_pdf_page(self._pdf, self.width() - 120)
        self.image.setPixmap(QPixmap.fromImage(image))
        self.scroll.show()
        self.show_on_screen.hide()

    def reset(self) -> None:
        self._pdf = None
        self.image.clear()
        self.scroll.hide()
        self.hide()


def render_pdf_page(pdf: Path, width: int) -> QImage:
    """First page of a PDF as an image `width` pixels wide (the receipt with its QR code)."""
    from PySide6.QtPdf import QPdfDocument  # 25 MB: loaded when a receipt is first shown

    document = QPdfDocument()
    document.load(str(pdf))
    size = document.pagePointSize(0)
    height = int(width * size.height() / max(size.width(), 1))
    image = document.render(0, QSize(width, height))
    document.close()
    return image
