"""What the browser step shows besides the site: the recovery screen, the document viewer, the incident
consent and the kiosk's file picker.

Signals:
    ProblemScreen: reload_requested(), incident_requested()
    DocumentViewer: print_requested(str path), closed()
    IncidentOverlay: consent_given(bool with_screenshot), cancelled()
    FilePicker (a modal dialog): scan_requested(str doc_id) after it closed for a scan
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QDialog, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.i18n import N_, Translator, isolate
from kiosk.ui.overlays import Overlay
from kiosk.ui.widgets import WrapButton, button, clear_layout, label, scroll_column
from kiosk.visit.ui.pictograms import (
    DOCUMENT_PICTOGRAM,
    FILE_PICKER_PICTOGRAM,
    SITE_DOWN_PICTOGRAM,
    Pictogram,
    titled_row,
)

MAX_VIEWER_PAGES = 20


class Failure(StrEnum):
    LOAD = "load"          # the page did not load (network, server, certificate)
    CRASH = "crash"        # the renderer died or hung; the kiosk reloads the page


FAILURE_TEXTS = {
    Failure.LOAD: (N_("The page did not open"),
                   N_("The site did not answer. This happens when it is busy or being repaired. "
                      "Your documents are kept.")),
    Failure.CRASH: (N_("The page stopped working"),
                    N_("The kiosk is opening it again. Your documents are kept.")),
}
RELOAD = N_("Reload the page")
SITE_DOWN = N_("The site is not working")


class ProblemScreen(QWidget):
    """A calm screen in place of the site when a page failed or the renderer crashed."""

    reload_requested = Signal()
    incident_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("browser_problem")
        self.failure: Failure | None = None
        self.detail_text = ""
        self.title, self.text, self.detail = label("title"), label(), label("muted")
        self.pictogram = Pictogram()          # beside the title: the site with a warning (issue 19 point 5)
        self.reload = button("primary", "browser_reload")
        self.site_down = WrapButton(name="browser_problem_site_down")
        self.reload.clicked.connect(self.reload_requested)
        self.site_down.clicked.connect(self.incident_requested)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 48, 48, 48)
        layout.setSpacing(24)
        layout.addStretch(1)
        layout.addLayout(titled_row(self.pictogram, self.title))
        for w in (self.text, self.detail, self.reload, self.site_down):
            layout.addWidget(w)
        layout.addStretch(2)

    def show_failure(self, failure: Failure, detail: str = "") -> None:
        self.failure, self.detail_text = failure, detail

    def clear(self) -> None:
        self.failure, self.detail_text = None, ""

    def retranslate(self, tr: Translator) -> None:
        if self.failure is None:
            return
        title, text = FAILURE_TEXTS[self.failure]
        self.title.setText(tr.tr(title))
        self.pictogram.draw(SITE_DOWN_PICTOGRAM, self.title.text())
        self.text.setText(tr.tr(text))
        self.detail.setText(tr.lead + isolate(self.detail_text) if self.detail_text else "")
        self.detail.setVisible(bool(self.detail_text))
        self.reload.setText(tr.tr(RELOAD))
        self.site_down.setText(tr.tr(SITE_DOWN))


def render_pages(path: Path, width: int, limit: int = MAX_VIEWER_PAGES) -> list[QImage]:
    """The pages of a PDF (or an image file) as images `width` pixels wide."""
    if path.suffix.lower() != ".pdf":
        image = QImage(str(path))
        smooth = Qt.TransformationMode.SmoothTransformation
        return [] if image.isNull() else [image.scaledToWidth(width, smooth)]
    from PySide6.QtPdf import QPdfDocument  # 25 MB: loaded when a PDF is first shown

    document = QPdfDocument()
    document.load(str(path))
    pages = []
    for index in range(min(document.pageCount(), limit)):
        size = document.pagePointSize(index)
        height = int(width * size.height() / max(size.width(), 1))
        pages.append(document.render(index, QSize(width, height)))
    document.close()
    return pages


class DocumentViewer(Overlay):
    """A document downloaded from the site, shown by the kiosk (no Chromium viewer, no download bar)."""

    print_requested = Signal(str)
    closed = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, "document_viewer")
        self._layout.setContentsMargins(32, 32, 32, 32)
        self.path: Path | None = None
        self.title = label("title")
        self.pictogram = Pictogram()          # beside the file's name: a document (issue 19 point 5)
        self.area, self._pages = scroll_column()
        self.print_button = button("primary", "viewer_print")
        self.close_button = button(name="viewer_close")
        self.print_button.clicked.connect(self._on_print_clicked)
        self.close_button.clicked.connect(self.closed)
        row = QHBoxLayout()
        row.addWidget(self.close_button)
        row.addWidget(self.print_button)
        self._layout.addLayout(titled_row(self.pictogram, self.title))
        self._layout.addWidget(self.area, 1)
        self._layout.addLayout(row)

    def show_file(self, tr: Translator, path: Path) -> None:
        self.path = path
        self.open()
        self.retranslate(tr)
        clear_layout(self._pages)
        width = max(min(self.width() - 160, 1000), 200)     # a whole page width in view, readable
        for image in render_pages(path, width):
            page = QLabel()
            page.setObjectName("viewer_page")
            page.setStyleSheet("border: 2px solid #4a4f57;")
            page.setAlignment(Qt.AlignmentFlag.AlignCenter)
            page.setPixmap(QPixmap.fromImage(image))
            self._pages.addWidget(page)
        self._pages.addStretch(1)

    def retranslate(self, tr: Translator) -> None:
        self.title.setText(tr.lead + isolate(self.path.name) if self.path is not None else "")
        if self.path is not None:
            self.pictogram.draw(DOCUMENT_PICTOGRAM, self.title.text())
        else:
            self.pictogram.forget()
        self.print_button.setText(tr.tr(N_("Print")))
        self.print_button.setVisible(self.path is not None and self.path.suffix.lower() == ".pdf")
        self.close_button.setText(tr.tr("Close"))

    def _on_print_clicked(self) -> None:
        if self.path is not None:
            self.print_requested.emit(str(self.path))

    def reset(self) -> None:
        self.path = None
        self.pictogram.forget()             # its name was the visitor's file's
        clear_layout(self._pages)
        self.hide()


class IncidentOverlay(Overlay):
    """Asks the visitor whether the proof may include a picture of the screen, then shows progress."""

    consent_given = Signal(bool)
    cancelled = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, "incident")
        self._layout.setContentsMargins(48, 48, 48, 48)
        self.title, self.text, self.question = label("title"), label(), label()
        self.pictogram = Pictogram()          # beside the title: the site with a warning (issue 19 point 5)
        self.preview = QLabel()
        self.preview.setObjectName("incident_preview")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.with_shot = WrapButton("primary", "incident_with_screenshot")
        self.without_shot = WrapButton(name="incident_without_screenshot")
        self.cancel = button(name="incident_cancel")
        self.with_shot.clicked.connect(lambda: self.consent_given.emit(True))
        self.without_shot.clicked.connect(lambda: self.consent_given.emit(False))
        self.cancel.clicked.connect(self.cancelled)
        self.preview.setStyleSheet("border: 2px solid #4a4f57;")
        area, column = scroll_column()
        column.addLayout(titled_row(self.pictogram, self.title))
        for w in (self.text, self.preview):
            column.addWidget(w)
        column.addStretch(1)
        self._layout.addWidget(area, 1)
        for control in (self.question, self.with_shot, self.without_shot, self.cancel):   # always in view
            self._layout.addWidget(control)
        self.state = "closed"

    def ask(self, tr: Translator, screenshot: QPixmap) -> None:
        self.state = "asking"
        self.open()
        box = QSize(max(min(self.width() - 160, 900), 200), max(self.height() // 3, 160))
        self.preview.setPixmap(screenshot.scaled(box, Qt.AspectRatioMode.KeepAspectRatio,
                                                 Qt.TransformationMode.SmoothTransformation)
                               if not screenshot.isNull() else QPixmap())
        self.retranslate(tr)

    def busy(self, tr: Translator) -> None:
        self.state = "busy"
        self.retranslate(tr)

    def failed(self, tr: Translator) -> None:
        self.state = "failed"
        self.retranslate(tr)

    def retranslate(self, tr: Translator) -> None:
        asking = self.state == "asking"
        self.title.setText(tr.tr(SITE_DOWN))
        self.pictogram.draw(SITE_DOWN_PICTOGRAM, self.title.text())
        self.text.setText({
            "asking": tr.tr("The kiosk can print a proof that the site did not work: the date, the page "
                            "and the message of the site. Keep it: it shows that you tried to do the "
                            "procedure online."),
            "busy": tr.tr("Preparing the proof… Please wait."),
            "failed": tr.tr("The proof could not be made. Ask a mediator."),
        }.get(self.state, ""))
        self.question.setText(tr.tr("Add this picture of the screen to the proof? It can show what you "
                                    "typed on the page."))
        self.with_shot.setText(tr.tr("Yes, add the picture"))
        self.without_shot.setText(tr.tr("No, without the picture"))
        self.cancel.setText(tr.tr("Close") if self.state == "failed" else tr.tr("Cancel"))
        for w in (self.preview, self.question, self.with_shot, self.without_shot):
            w.setVisible(asking)
        self.cancel.setVisible(self.state != "busy")

    def reset(self) -> None:
        self.state = "closed"
        self.preview.clear()
        self.hide()


class FilePicker(QDialog):
    """The kiosk's file chooser: this session's prepared documents, and the missing ones to scan.

    Modal (Chromium waits for the answer): `choose()` returns the chosen paths; after it, `scan` holds
    the id of a document the visitor asked to scan instead (the page stays as it is)."""

    def __init__(self, parent: QWidget, tr: Translator, ready: Mapping[str, tuple[str, Path]],
                 missing: Sequence[tuple[str, str]], thumbnail_width: int = 160) -> None:
        super().__init__(parent, Qt.WindowType.FramelessWindowHint | Qt.WindowType.Dialog)
        self.setObjectName("file_picker")
        self.setModal(True)
        self.setLayoutDirection(parent.layoutDirection())
        self._host = parent
        self.chosen: list[str] = []
        self.scan: str | None = None
        area, column = scroll_column()
        title = label("title")
        title.setText(tr.tr("Choose the document to send"))
        self.pictogram = Pictogram()          # beside the title: the prepared documents (issue 19 point 5)
        self.pictogram.draw(FILE_PICKER_PICTOGRAM, title.text())
        column.addLayout(titled_row(self.pictogram, title))
        if not ready:
            none = label()
            none.setText(tr.tr("You have not prepared any document yet."))
            column.addWidget(none)
        grid = QGridLayout()
        for row, (doc_id, (name, path)) in enumerate(ready.items()):
            thumb = QLabel()
            pages = render_pages(path, thumbnail_width, limit=1)
            if pages:
                thumb.setPixmap(QPixmap.fromImage(pages[0]))
            text = label()
            text.setText(name)
            send = WrapButton("primary", f"pick_{doc_id}")
            send.setText(tr.tr("Send this document"))
            send.clicked.connect(lambda _=False, p=str(path): self._pick(p))
            grid.addWidget(thumb, row, 0)
            grid.addWidget(text, row, 1)
            grid.addWidget(send, row, 2)
        column.addLayout(grid)
        for doc_id, name in missing:
            text = label()
            text.setText(tr.tr("Not scanned yet: {document}", document=isolate(name)))
            scan = WrapButton(name=f"scan_{doc_id}")
            scan.setText(tr.tr("Scan it now"))
            scan.clicked.connect(lambda _=False, d=doc_id: self._scan(d))
            column.addWidget(text)
            column.addWidget(scan)
        column.addStretch(1)
        cancel = button(name="picker_cancel")
        cancel.setText(tr.tr("Cancel"))
        cancel.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 32, 32, 32)
        layout.addWidget(area, 1)
        layout.addWidget(cancel)

    def choose(self) -> list[str]:
        window = self._host.window()
        self.setGeometry(window.geometry())
        self.exec()
        return self.chosen

    def _pick(self, path: str) -> None:
        self.chosen = [path]
        self.accept()

    def _scan(self, doc_id: str) -> None:
        self.scan = doc_id
        self.reject()
