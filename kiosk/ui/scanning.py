"""Scanning a document for the official site: scan pages, check them, make one file that fits.

`ScanController` keeps the visitor's pages in memory and runs scanner and image pipeline on the task
pool; `ScanPage` shows one document at a time. Files are written only into the session directory; the
wipe forgets every page and file.

Signals (ScanController):
    busy(str)               what is running: "scan" or "file"
    progress(float)         scan progress 0..1 (from the scanner thread, relayed)
    pages_changed(str)      the pages of this document id changed
    document_ready(str)     the file of this document id was written
    failed(str, object)     document id, a ScannerFault or ImagingError (or another exception)
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QProgressBar, QVBoxLayout, QWidget

from kiosk.content.model import Document
from kiosk.devices.scanner import Scanner, ScannerFault, ScanSettings
from kiosk.i18n import Translator, isolate
from kiosk.imaging.errors import DocumentTooLarge, ImagingError, Remedy
from kiosk.imaging.pipeline import DocumentFile, OutputSpec, ProcessedPage, ScanPipeline
from kiosk.ui.pages.base import Page
from kiosk.ui.tasks import Tasks
from kiosk.ui.widgets import button, clear_layout, label, scroll_column

log = logging.getLogger(__name__)


@dataclass
class ScannedDocument:
    pages: list[ProcessedPage] = field(default_factory=list)
    file: DocumentFile | None = None
    gray: bool = False


class ScanController(QObject):
    busy = Signal(str)
    progress = Signal(float)
    pages_changed = Signal(str)
    document_ready = Signal(str)
    failed = Signal(str, object)

    def __init__(self, tasks: Tasks, scanner: Scanner, pipeline: ScanPipeline) -> None:
        super().__init__()
        self.tasks, self.scanner, self.pipeline = tasks, scanner, pipeline
        self.documents: dict[str, ScannedDocument] = {}
        self._generation = 0

    def document(self, doc_id: str) -> ScannedDocument:
        return self.documents.setdefault(doc_id, ScannedDocument())

    def scan_page(self, doc_id: str, replace: int | None = None) -> None:
        """Scan one page and add it (or put it in place of page `replace`)."""
        generation = self._generation
        self.busy.emit("scan")

        def work() -> ProcessedPage:
            raw = self.scanner.scan(ScanSettings(), on_progress=self.progress.emit)
            return self.pipeline.process_page(raw)

        def done(page: ProcessedPage) -> None:
            if generation != self._generation:
                return
            doc = self.document(doc_id)
            if replace is not None and 0 <= replace < len(doc.pages):
                doc.pages[replace] = page
            else:
                doc.pages.append(page)
            doc.file = None
            self.pages_changed.emit(doc_id)

        self.tasks.run(work, done, lambda exc: self._failed(generation, doc_id, exc))

    def remove_page(self, doc_id: str, index: int) -> None:
        doc = self.document(doc_id)
        del doc.pages[index]
        doc.file = None
        self.pages_changed.emit(doc_id)

    def move_page(self, doc_id: str, index: int, delta: int) -> None:
        doc = self.document(doc_id)
        target = index + delta
        if 0 <= target < len(doc.pages):
            doc.pages[index], doc.pages[target] = doc.pages[target], doc.pages[index]
            doc.file = None
            self.pages_changed.emit(doc_id)

    def make_file(self, document: Document, directory: Path, gray: bool = False) -> None:
        """One file for all pages, within the document's format and size limit."""
        generation = self._generation
        doc = self.document(document.id)
        doc.gray = gray
        pages = [p.raster for p in doc.pages]
        spec = OutputSpec.for_document(document.formats, document.max_mb, color=not gray)
        self.busy.emit("file")

        def done(file: DocumentFile) -> None:
            if generation == self._generation:
                doc.file = file
                self.document_ready.emit(document.id)

        self.tasks.run(lambda: self.pipeline.build_document(pages, spec, directory, document.id),
                       done, lambda exc: self._failed(generation, document.id, exc))

    def _failed(self, generation: int, doc_id: str, exc: BaseException) -> None:
        if generation != self._generation:
            return
        if not isinstance(exc, ScannerFault | ImagingError):     # expected faults are shown, not logged
            log.error("scan step failed: %s", type(exc).__name__)
        self.failed.emit(doc_id, exc)

    def ready_files(self) -> dict[str, DocumentFile]:
        return {k: d.file for k, d in self.documents.items() if d.file is not None}

    def wipe(self) -> None:
        """Wipe step: wait for running work, forget every page and file of the visitor."""
        self._generation += 1
        self.tasks.wait(15000)
        self.documents.clear()


def thumbnail(page: ProcessedPage, height: int = 220) -> QPixmap:
    pixels = np.ascontiguousarray(page.raster.pixels)
    h, w = pixels.shape[:2]
    fmt = QImage.Format.Format_RGB888 if pixels.ndim == 3 else QImage.Format.Format_Grayscale8
    image = QImage(pixels.data, w, h, pixels.strides[0], fmt)
    return QPixmap.fromImage(image.scaledToHeight(height, Qt.TransformationMode.SmoothTransformation))


class ScanPage(Page):
    """One document: how to place it, scan pages, check and order them, make the file.

    Signals: done() — back to the checklist."""

    done = Signal()

    def __init__(self, controller: ScanController) -> None:
        super().__init__()
        self.controller = controller
        self.document: Document | None = None
        self.directory: Path | None = None
        self._tr: Translator | None = None
        self.title, self.how, self.status = label("title"), label(), label()
        self.status.setObjectName("scan_status")
        self.bar = QProgressBar()
        self.bar.setRange(0, 100)
        self.bar.hide()
        self.scan_button = button("primary", "scan_page")
        self.file_button = button(name="scan_make_file")
        self.gray_button = button(name="scan_gray")
        self.back_button = button(name="scan_done")
        self.scan_button.clicked.connect(self._on_scan_clicked)
        self.file_button.clicked.connect(lambda: self._make_file(gray=False))
        self.gray_button.clicked.connect(lambda: self._make_file(gray=True))
        self.back_button.clicked.connect(self.done)
        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        area, column = scroll_column()
        for w in (self.title, self.how, self.scan_button, self.bar, self.grid_host, self.status,
                  self.file_button, self.gray_button):
            column.addWidget(w)
        column.addStretch(1)
        column.addWidget(self.back_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(area)
        c = controller
        c.progress.connect(lambda f: self.bar.setValue(int(f * 100)))
        c.busy.connect(self._on_controller_busy)
        c.pages_changed.connect(lambda _doc: self._refresh())
        c.document_ready.connect(lambda _doc: self._refresh())
        c.failed.connect(self._on_controller_failed)

    def open_document(self, document: Document, directory: Path) -> None:
        self.document, self.directory = document, directory
        self.status.clear()
        self._refresh()

    def retranslate(self, tr: Translator) -> None:
        self._tr = tr
        self._refresh()

    def _refresh(self) -> None:
        tr, doc = self._tr, self.document
        if tr is None or doc is None:
            return
        self.title.setText(tr.tr("Scan: {document}", document=isolate(tr.content(doc.name))))
        how = tr.tr("Open the cover. Put the page face down in the top left corner of the glass. "
                    "Close the cover, then press Scan a page.")
        self.how.setText(f"{tr.content(doc.pages)}\n\n{how}" if doc.pages else how)
        self.scan_button.setText(tr.tr("Scan a page"))
        self.file_button.setText(tr.tr("Make the file for the site"))
        self.gray_button.setText(tr.tr("Grey"))
        self.back_button.setText(tr.tr("Back to the list of documents"))
        self.bar.hide()
        self._set_enabled(True)
        scanned = self.controller.document(doc.id)
        self._fill_pages(tr, scanned)
        self.file_button.setEnabled(bool(scanned.pages))
        self.gray_button.hide()
        if scanned.file is not None:
            self.status.setText(tr.trn(
                "File ready: {n} page, {size} MB (the site accepts up to {limit} MB).",
                "File ready: {n} pages, {size} MB (the site accepts up to {limit} MB).",
                scanned.file.pages, size=f"{scanned.file.bytes / 1e6:.1f}", limit=f"{doc.max_mb:g}"))

    def _fill_pages(self, tr: Translator, scanned: ScannedDocument) -> None:
        clear_layout(self.grid)  # type: ignore[arg-type]
        for i, page in enumerate(scanned.pages):
            cell = QWidget()
            box = QVBoxLayout(cell)
            image = QLabel()
            image.setPixmap(thumbnail(page))
            image.setAlignment(Qt.AlignmentFlag.AlignCenter)
            caption = label("muted")
            text = tr.tr("Page {n}", n=i + 1)
            if page.blank.blank:
                text += "\n" + tr.tr("This page looks empty.")
            caption.setText(text)
            row = QHBoxLayout()
            for name, key, action in (("◀", "left", lambda _=False, i=i: self.controller.move_page(
                                          self.document.id, i, -1)),
                                      ("↻", "rescan", lambda _=False, i=i: self._rescan(i)),
                                      ("✕", "delete", lambda _=False, i=i: self.controller.remove_page(
                                          self.document.id, i)),
                                      ("▶", "right", lambda _=False, i=i: self.controller.move_page(
                                          self.document.id, i, 1))):
                b = button(name=f"page_{i}_{key}")
                b.setText(name)
                b.setAccessibleName({"left": tr.tr("Move earlier"), "rescan": tr.tr("Scan again"),
                                     "delete": tr.tr("Delete"), "right": tr.tr("Move later")}[key])
                b.clicked.connect(action)
                row.addWidget(b)
            box.addWidget(image)
            box.addWidget(caption)
            box.addLayout(row)
            self.grid.addWidget(cell, i // 2, i % 2)

    def _rescan(self, index: int) -> None:
        if self.document is not None:
            self.controller.scan_page(self.document.id, replace=index)

    def _on_scan_clicked(self) -> None:
        if self.document is not None:
            self.controller.scan_page(self.document.id)

    def _make_file(self, gray: bool) -> None:
        if self.document is not None and self.directory is not None:
            self.controller.make_file(self.document, self.directory, gray=gray)

    def _set_enabled(self, enabled: bool) -> None:
        for b in (self.scan_button, self.file_button, self.gray_button, self.back_button):
            b.setEnabled(enabled)

    def _on_controller_busy(self, what: str) -> None:
        if self._tr is None:
            return
        self._set_enabled(False)
        self.bar.setValue(0)
        self.bar.setVisible(what == "scan")
        self.status.setText(self._tr.tr("Scanning… Do not open the cover.") if what == "scan"
                            else self._tr.tr("Making the file…"))

    def _on_controller_failed(self, _doc_id: str, error: BaseException) -> None:
        tr = self._tr
        if tr is None:
            return
        self._refresh()
        message = getattr(error, "message", None)
        action = getattr(error, "action", None)
        if isinstance(error, DocumentTooLarge):
            remedies = {Remedy.GRAY: tr.tr("Press Grey to make it smaller in shades of grey."),
                        Remedy.SPLIT: tr.tr("Or delete a page and put it in another file."),
                        Remedy.MEDIATOR: tr.tr("Ask a mediator.")}
            action = "\n".join(remedies[r] for r in error.remedies)
            self.gray_button.setVisible(Remedy.GRAY in error.remedies)
            self.status.setText(f"{tr.tr(error.message)}\n{action}")
        elif isinstance(message, str) and isinstance(action, str):
            self.status.setText(f"{tr.tr(message)}\n{tr.tr(action)}")
        else:
            self.status.setText(tr.tr("Something went wrong. Your pages are kept. Try again, or ask a "
                                      "mediator."))
        if isinstance(error, ImagingError) and not isinstance(error, DocumentTooLarge):
            self.gray_button.hide()

    def reset(self) -> None:
        self.document = self.directory = None
        self.status.clear()
        self.title.clear()
        clear_layout(self.grid)  # type: ignore[arg-type]

    def is_empty(self) -> bool:
        return self.document is None and self.grid.count() == 0
