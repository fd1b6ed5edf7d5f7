"""The visitor's scanned pages and the work on them, off the GUI thread (the scan page's model).

`ScanController` keeps the pages of each document in memory and runs scanner, image pipeline, page
turns and previews on the task pool, one job at a time. Files are written only into the session
directory; the wipe forgets every page and file.

Signals (ScanController):
    busy(str)               what started: "scan", "turn" or "file"
    progress(float)         scan progress 0..1 (emitted on the scanner thread: connect a QObject slot)
    pages_changed(str)      the pages of this document id changed
    document_ready(str)     the file of this document id was written
    failed(str, object)     document id, a ScannerFault or ImagingError (or another exception)
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage, QPixmap

from kiosk.content.model import Document
from kiosk.scan.imaging.errors import ImagingError
from kiosk.scan.scanner import Scanner, ScannerFault, ScanSettings
from kiosk.ui.tasks import Tasks

if TYPE_CHECKING:
    from kiosk.scan.imaging.pipeline import DocumentFile, ProcessedPage, ScanPipeline
    from kiosk.scan.imaging.raster import Raster

log = logging.getLogger(__name__)

PREVIEW_SIDE = 340           # px, longest side of a page preview on the scan page


def preview_image(raster: Raster) -> QImage:
    """A QImage that owns its pixels (safe to build on a worker thread, unlike a QPixmap)."""
    import numpy as np

    pixels = np.ascontiguousarray(raster.pixels)
    fmt = QImage.Format.Format_RGB888 if raster.is_color else QImage.Format.Format_Grayscale8
    return QImage(pixels.data, raster.width, raster.height, pixels.strides[0], fmt).copy()


@dataclass(eq=False)
class ScannedPage:
    """A processed page and its preview. `make` runs on a worker thread; `pixmap` on the GUI thread,
    once per page (a turned or rescanned page is a new ScannedPage)."""

    page: ProcessedPage
    preview: QImage
    _pixmap: QPixmap | None = field(default=None, repr=False)

    @classmethod
    def make(cls, page: ProcessedPage, side: int = PREVIEW_SIDE) -> ScannedPage:
        return cls(page, preview_image(page.raster.thumbnail(side)))

    def pixmap(self) -> QPixmap:
        if self._pixmap is None:
            self._pixmap = QPixmap.fromImage(self.preview)
        return self._pixmap

    def turned(self, quarter_turns: int) -> ScannedPage:
        """This page turned by quarter turns counter-clockwise (-1: a quarter clockwise); worker thread."""
        from kiosk.scan.imaging import geometry

        p = self.page
        return ScannedPage.make(dataclasses.replace(
            p, raster=geometry.turn(p.raster, quarter_turns),
            quarter_turns=(p.quarter_turns + quarter_turns) % 4))


@dataclass
class ScannedDocument:
    pages: list[ScannedPage] = field(default_factory=list)
    file: DocumentFile | None = None
    gray: bool = False

    def index(self, page: ScannedPage) -> int | None:
        return next((i for i, p in enumerate(self.pages) if p is page), None)


class ScanController(QObject):
    busy = Signal(str)
    progress = Signal(float)
    pages_changed = Signal(str)
    document_ready = Signal(str)
    failed = Signal(str, object)

    def __init__(self, tasks: Tasks, scanner: Scanner, pipeline: ScanPipeline | None = None) -> None:
        super().__init__()
        self.tasks, self.scanner, self._pipeline = tasks, scanner, pipeline
        self.documents: dict[str, ScannedDocument] = {}
        self.running: str | None = None         # the job under way ("scan", "turn", "file"), one at a time
        self._generation = 0

    @property
    def pipeline(self) -> ScanPipeline:
        """The image pipeline, made on first use (OpenCV and NumPy, about 45 MB, load with the first
        scan, not with the kiosk; on the worker thread, off the GUI)."""
        if self._pipeline is None:
            from kiosk.scan.imaging.pipeline import ScanPipeline

            self._pipeline = ScanPipeline()
        return self._pipeline

    def document(self, doc_id: str) -> ScannedDocument:
        return self.documents.setdefault(doc_id, ScannedDocument())

    def _start(self, what: str, doc_id: str, work: Callable[[], object],
               done: Callable[[object], None]) -> bool:
        if self.running is not None:
            return False
        generation = self._generation
        self.running = what

        def finished(result: object) -> None:
            if generation == self._generation:
                self.running = None
                done(result)

        def failed(exc: BaseException) -> None:
            if generation != self._generation:
                return
            self.running = None
            if not isinstance(exc, ScannerFault | ImagingError):    # expected faults are shown, not logged
                log.error("scan step failed (%s): %s", what, type(exc).__name__)
            self.failed.emit(doc_id, exc)

        self.busy.emit(what)
        self.tasks.run(work, finished, failed)
        return True

    def scan_page(self, doc_id: str, replace: int | None = None) -> bool:
        """Scan one page and add it (or put it in place of page `replace`). False when busy."""
        doc = self.document(doc_id)
        target = doc.pages[replace] if replace is not None and 0 <= replace < len(doc.pages) else None

        def work() -> ScannedPage:
            raw = self.scanner.scan(ScanSettings(), on_progress=self.progress.emit)
            return ScannedPage.make(self.pipeline.process_page(raw))

        def done(page: object) -> None:
            assert isinstance(page, ScannedPage)
            at = doc.index(target) if target is not None else None
            if at is None:
                doc.pages.append(page)
            else:
                doc.pages[at] = page
            self._changed(doc_id)

        return self._start("scan", doc_id, work, done)

    def turn_page(self, doc_id: str, index: int, quarter_turns: int = -1) -> bool:
        """Turn page `index` a quarter clockwise (or by `quarter_turns` counter-clockwise), off the
        GUI thread (a 300 dpi page is 25 MB of pixels). False when busy."""
        doc = self.document(doc_id)
        target = doc.pages[index]

        def done(page: object) -> None:
            assert isinstance(page, ScannedPage)
            at = doc.index(target)
            if at is not None:
                doc.pages[at] = page
                self._changed(doc_id)

        return self._start("turn", doc_id, lambda: target.turned(quarter_turns), done)

    def remove_page(self, doc_id: str, index: int) -> None:
        doc = self.document(doc_id)
        if self.running is None and 0 <= index < len(doc.pages):
            del doc.pages[index]
            self._changed(doc_id)

    def move_page(self, doc_id: str, index: int, delta: int) -> None:
        doc = self.document(doc_id)
        target = index + delta
        if self.running is None and 0 <= index < len(doc.pages) and 0 <= target < len(doc.pages):
            doc.pages[index], doc.pages[target] = doc.pages[target], doc.pages[index]
            self._changed(doc_id)

    def _changed(self, doc_id: str) -> None:
        self.document(doc_id).file = None
        self.pages_changed.emit(doc_id)

    def make_file(self, document: Document, directory: Path, gray: bool = False) -> bool:
        """One file for all pages, within the document's format and size limit. False when busy."""
        doc = self.document(document.id)
        pages = [p.page.raster for p in doc.pages]
        from kiosk.scan.imaging.pipeline import DocumentFile, OutputSpec

        spec = OutputSpec.for_document(document.formats, document.max_mb, color=not gray)

        def done(file: object) -> None:
            assert isinstance(file, DocumentFile)
            doc.gray, doc.file = gray, file
            self.document_ready.emit(document.id)

        return self._start("file", document.id,
                           lambda: self.pipeline.build_document(pages, spec, directory, document.id), done)

    def wipe(self) -> None:
        """Wipe step: wait for running work, forget every page and file of the visitor."""
        self._generation += 1
        self.tasks.wait(15000)
        self.running = None
        self.documents.clear()
