"""Scanning a document for the official site: scan pages, check them, make one file that fits.

`ScanPage` shows one document at a time: how to place it, its pages (preview, turn, scan again,
order, delete), then the file. Its model is `ScanController` (kiosk.scan.ui.controller), which runs
all the slow work off the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from babel.numbers import format_decimal
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from kiosk.content.model import Document
from kiosk.i18n import Translator, isolate
from kiosk.paths import ASSETS
from kiosk.scan.imaging.errors import DocumentTooLarge, NoPages, Remedy, UnsupportedFormat
from kiosk.scan.ui.controller import PREVIEW_SIDE, ScanController, ScannedDocument, ScannedPage
from kiosk.ui.page import Page
from kiosk.ui.widgets import WrapButton, clear_layout, label, scroll_column, svg_pixmap
from kiosk.visit.ui.pictograms import SCAN_PICTOGRAM, Pictogram, titled_row

__all__ = ["PREVIEW_SIDE", "ActionButton", "ScanController", "ScanPage"]     # ScanController: for app.py


class ActionButton(WrapButton):
    """A touch button for one page: a symbol at the start of the line, then its word."""

    def __init__(self, name: str, symbol: str, text: str) -> None:
        super().__init__(name=name, symbol=symbol)
        self.setText(text)


# Faults a second try cannot fix by itself: the visitor must change the pages or the choice first.
_NOT_RETRIED = (DocumentTooLarge, NoPages, UnsupportedFormat)
PLACEMENT = ASSETS / "ui" / "place_document.svg"   # drawn as is: the glass's corner is not mirrored
PLACEMENT_SIZE = 260


def _placement_row(how: QLabel, ratio: float) -> tuple[QLabel, QHBoxLayout]:
    """How to place the page: a drawing beside the words."""
    placement = QLabel()
    placement.setObjectName("scan_placement")
    drawing = svg_pixmap(PLACEMENT, PLACEMENT_SIZE, ratio)
    if drawing is not None:
        placement.setPixmap(drawing)
    placement.setAlignment(Qt.AlignmentFlag.AlignTop)
    row = QHBoxLayout()
    row.setSpacing(16)
    row.addWidget(placement)
    row.addWidget(how, 1)
    return placement, row


class ScanPage(Page):
    """One document: how to place it, scan pages, check, turn and order them, make the file.

    Signals: done() — back to the checklist."""

    done = Signal()

    def __init__(self, controller: ScanController) -> None:
        super().__init__()
        self.controller = controller
        self.document: Document | None = None
        self.directory: Path | None = None
        self._tr: Translator | None = None
        self._error: BaseException | None = None
        self._last: Callable[[], object] | None = None       # what Try again repeats
        self.title, self.how, self.status = label("title"), label(), label()
        self.pictogram = Pictogram()                 # beside the title: a scanner (issue 19 point 5)
        self.placement, how_row = _placement_row(self.how, self.devicePixelRatioF())
        self.status.setObjectName("scan_status")
        self.bar = QProgressBar()
        self.bar.setRange(0, 100)
        self.bar.setTextVisible(False)
        self.bar.hide()
        # labels wrap: "Make the file for the site" is one long line in Tamil at the largest text size
        self.scan_button = WrapButton("primary", "scan_page")
        self.retry_button = WrapButton("primary", "scan_retry")
        self.file_button = WrapButton(name="scan_make_file")
        self.gray_button = WrapButton(name="scan_gray")
        self.back_button = WrapButton(name="scan_done")
        self.scan_button.clicked.connect(lambda: self._do(self._scan))
        self.retry_button.clicked.connect(self._on_retry_clicked)
        self.file_button.clicked.connect(lambda: self._do(lambda: self._make_file(gray=False)))
        self.gray_button.clicked.connect(lambda: self._do(lambda: self._make_file(gray=True)))
        self.back_button.clicked.connect(self.done)
        self.pages_host = QWidget()
        self.pages_box = QVBoxLayout(self.pages_host)
        self.pages_box.setContentsMargins(0, 0, 0, 0)
        self.pages_box.setSpacing(16)
        area, column = scroll_column()
        self.area = area
        column.addLayout(titled_row(self.pictogram, self.title))
        column.addLayout(how_row)
        for w in (self.scan_button, self.bar, self.pages_host, self.status,
                  self.retry_button, self.gray_button, self.file_button):
            column.addWidget(w)
        column.addStretch(1)
        column.addWidget(self.back_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(area)
        c = controller
        c.progress.connect(self._on_controller_progress)      # a slot of this widget: queued to the GUI
        c.busy.connect(self._on_controller_busy)
        c.pages_changed.connect(self._on_controller_changed)
        c.document_ready.connect(self._on_controller_changed)
        c.failed.connect(self._on_controller_failed)

    def open_document(self, document: Document, directory: Path) -> None:
        self.document, self.directory = document, directory
        self._error = self._last = None
        self._refresh()

    def retranslate(self, tr: Translator) -> None:
        self._tr = tr
        self._refresh()

    # --- actions ---------------------------------------------------------------------------------
    def _do(self, action: Callable[[], object]) -> None:
        self._last = action
        action()

    def _scan(self, replace: int | None = None) -> None:
        if self.document is not None:
            self.controller.scan_page(self.document.id, replace=replace)

    def _make_file(self, gray: bool) -> None:
        if self.document is not None and self.directory is not None:
            self.controller.make_file(self.document, self.directory, gray=gray)

    def _on_retry_clicked(self) -> None:
        if self._last is not None:
            self._last()

    def _page_action(self, key: str, index: int) -> None:
        if self.document is None:
            return
        doc_id, c = self.document.id, self.controller
        if key == "rescan":
            self._do(lambda: self._scan(replace=index))
        elif key == "turn":
            self._do(lambda: c.turn_page(doc_id, index))
        elif key == "delete":
            c.remove_page(doc_id, index)
        else:
            c.move_page(doc_id, index, -1 if key == "up" else 1)

    # --- controller ------------------------------------------------------------------------------
    def _on_controller_progress(self, fraction: float) -> None:
        self.bar.setValue(int(fraction * 100))

    def _on_controller_busy(self, _what: str) -> None:
        self._error = None
        self.bar.setValue(0)
        self._refresh()

    def _on_controller_changed(self, _doc_id: str) -> None:
        self._error = None
        before = self.pages_box.count()
        self._refresh()
        added = self.pages_box.count() > before
        if added:                                  # show the page just scanned
            item = self.pages_box.itemAt(self.pages_box.count() - 1)
            page = item.widget() if item is not None else None
            if page is not None:
                self._reveal(page)
        elif self.status.text():                   # the file is ready
            self._reveal(self.status, self.file_button)

    def _on_controller_failed(self, _doc_id: str, error: BaseException) -> None:
        self._error = error
        self._refresh()
        self._reveal(self.status, self.retry_button, self.gray_button)

    def _reveal(self, *widgets: QWidget) -> None:
        """Scroll so that what just changed is on screen, once the new layout is in place."""
        def scroll() -> None:
            for w in reversed(widgets):
                if w.isVisible():
                    self.area.ensureWidgetVisible(w, 0, 24)
        QTimer.singleShot(0, self, scroll)

    # --- showing ---------------------------------------------------------------------------------
    def _refresh(self) -> None:
        tr, doc = self._tr, self.document
        if tr is None or doc is None:
            return
        self.title.setText(tr.tr("Scan: {document}", document=isolate(tr.content(doc.name))))
        self.pictogram.draw(SCAN_PICTOGRAM, self.title.text())
        how = tr.tr("Open the cover. Put the page face down in the top left corner of the glass. "
                    "Close the cover, then press Scan a page.")
        self.how.setText(f"{tr.content(doc.pages)}\n\n{how}" if doc.pages else how)
        self.scan_button.setText(tr.tr("Scan a page"))
        self.retry_button.setText(tr.tr("Try again"))
        self.file_button.setText(tr.tr("Make the file for the site"))
        self.gray_button.setText(tr.tr("Grey"))
        self.back_button.setText(tr.tr("Back to the list of documents"))
        scanned = self.controller.document(doc.id)
        running = self.controller.running
        self._fill_pages(tr, scanned, enabled=running is None)
        for b in (self.scan_button, self.retry_button, self.file_button, self.gray_button, self.back_button):
            b.setEnabled(running is None)
        self.file_button.setVisible(bool(scanned.pages))
        self.bar.setVisible(running == "scan")
        error = self._error if running is None else None
        self.retry_button.setVisible(error is not None and not isinstance(error, _NOT_RETRIED)
                                     and self._last is not None)
        self.gray_button.setVisible(isinstance(error, DocumentTooLarge) and Remedy.GRAY in error.remedies)
        self.status.setText(self._status_text(tr, doc, scanned, running, error))
        self.status.setVisible(bool(self.status.text()))

    def _status_text(self, tr: Translator, doc: Document, scanned: ScannedDocument, running: str | None,
                     error: BaseException | None) -> str:
        if running == "scan":
            return tr.tr("Scanning… Do not open the cover.")
        if running == "file":
            return tr.tr("Making the file…")
        if isinstance(error, DocumentTooLarge):
            remedies = {Remedy.GRAY: tr.tr("Press Grey to make it smaller in shades of grey."),
                        Remedy.SPLIT: tr.tr("Or delete a page and put it in another file."),
                        Remedy.MEDIATOR: tr.tr("Ask a mediator.")}
            return "\n".join([tr.tr(error.message), *(remedies[r] for r in error.remedies)])
        if error is not None:
            message, action = getattr(error, "message", None), getattr(error, "action", None)
            if isinstance(message, str) and isinstance(action, str):
                return f"{tr.tr(message)}\n{tr.tr(action)}"
            return tr.tr("Something went wrong. Your pages are kept. Try again, or ask a mediator.")
        if scanned.file is not None and running is None:
            locale = tr.language.locale
            size = format_decimal(round(scanned.file.bytes / 1e6, 1), format="0.0", locale=locale)
            limit = format_decimal(doc.max_mb, locale=locale)
            return tr.trn("File ready: {n} page, {size} MB (the site accepts up to {limit} MB).",
                          "File ready: {n} pages, {size} MB (the site accepts up to {limit} MB).",
                          scanned.file.pages, size=size, limit=limit)
        return ""

    def _fill_pages(self, tr: Translator, scanned: ScannedDocument, enabled: bool) -> None:
        clear_layout(self.pages_box)
        for i, page in enumerate(scanned.pages):
            card = self._page_card(tr, i, page, len(scanned.pages), enabled)
            self.pages_box.addWidget(card)
            if self.pages_host.isVisible():
                card.show()                        # now, not at the next turn of the event loop

    def _page_card(self, tr: Translator, i: int, page: ScannedPage, count: int, enabled: bool) -> QFrame:
        """A page: its preview at the start of the line, its number and what can be done with it."""
        card = QFrame()
        card.setProperty("role", "card")
        card.setObjectName(f"page_{i}")
        row = QHBoxLayout(card)
        row.setContentsMargins(16, 16, 16, 16)
        row.setSpacing(16)
        image = QLabel()
        image.setObjectName(f"page_{i}_preview")
        image.setPixmap(page.pixmap())
        image.setFixedWidth(PREVIEW_SIDE)
        image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        image.setAccessibleName(tr.tr("Page {n}", n=i + 1))
        side = QVBoxLayout()
        side.setSpacing(10)
        caption = label()
        caption.setObjectName(f"page_{i}_caption")
        text = tr.tr("Page {n}", n=i + 1)
        if page.page.blank.blank:
            text += "\n" + tr.tr("This page looks empty.")
        caption.setText(text)
        side.addWidget(caption)
        actions = [("turn", "↻", tr.tr("Turn"), True), ("rescan", "⎙", tr.tr("Scan again"), True),
                   ("up", "▲", tr.tr("Move earlier"), i > 0),
                   ("down", "▼", tr.tr("Move later"), i < count - 1),
                   ("delete", "✕", tr.tr("Delete"), True)]
        # one action a line: a long word in a long language at the largest text size still fits
        for key, symbol, text, possible in actions:
            b = ActionButton(f"page_{i}_{key}", symbol, text)
            b.setEnabled(enabled)
            if not possible:
                b.hide()
            b.clicked.connect(lambda _=False, key=key, i=i: self._page_action(key, i))
            side.addWidget(b)
        side.addStretch(1)
        row.addWidget(image, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(side, 1)
        return card

    def reset(self) -> None:
        self.document = self.directory = None
        self._error = self._last = None
        self.status.clear()
        self.title.clear()
        self.pictogram.forget()
        self.how.clear()
        self.retry_button.hide()
        self.gray_button.hide()
        self.bar.hide()
        clear_layout(self.pages_box)

    def is_empty(self) -> bool:
        return self.document is None and self.pages_box.count() == 0
