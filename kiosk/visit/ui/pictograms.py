"""The pictogram beside each guide page's title, so that a page's meaning does not rest on its text alone.

A step of a guide shows the pictogram its guide names for it (`pictogram = "<name>"` in the step's
table), else the one of its kind, which says what the visitor does there: information (info), a
question to answer (question), documents to prepare (checklist), a date to set (calendar), the end
(done), an e-mail address (email). The procedure picker shows `guides`, the paper-only page `pen`,
the language page `language`, the scan page `scanner`, the official site's guide panel `website`, the
printing overlay `printer`.
Drawings come from the pack's pictograms/ folder or the kiosk's assets/pictograms
(kiosk.content.pack.pictogram_file); one that cannot be drawn is logged once and the title shows alone.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel

from kiosk.content.model import Step
from kiosk.content.pack import PICTOGRAMS, pictogram_file
from kiosk.ui.widgets import svg_pixmap

log = logging.getLogger(__name__)

PAGE_PICTOGRAM_SIZE = 96        # px: beside a title, recognisable at arm's length
BUTTON_PICTOGRAM_SIZE = 64      # px: at the start of a button (a guide's, on the procedure picker)
KIND_PICTOGRAMS = {"info": "info", "question": "question", "checklist": "checklist", "date": "calendar",
                   "end": "done", "address": "email"}
PROCEDURES_PICTOGRAM = "guides"
PAPER_ONLY_PICTOGRAM = "pen"
LANGUAGE_PICTOGRAM = "language"
SCAN_PICTOGRAM = "scanner"
SITE_PICTOGRAM = "website"
PRINTING_PICTOGRAM = "printer"
_missing: set[str] = set()


def step_pictogram(step: Step) -> str:
    """The pictogram a step shows: its own, else its kind's."""
    return step.pictogram or KIND_PICTOGRAMS.get(step.kind.value, "info")


class Pictogram(QLabel):
    """A page's pictogram. `draw(name, description)` shows it, named for assistive technology with
    `description` (the title it illustrates), or hides it when the drawing cannot be read."""

    def __init__(self, pack_root: Path | None = None, folder: Path = PICTOGRAMS,
                 size: int = PAGE_PICTOGRAM_SIZE) -> None:
        super().__init__()
        self.setObjectName("page_pictogram")
        self.setProperty("skip_reading", True)        # the title beside it is what is read aloud
        self.setFixedSize(size, size)
        self._pack_root, self._folder, self._size = pack_root, folder, size
        self._pixmaps: dict[tuple[str, int, float], QPixmap | None] = {}
        self.name = ""

    def _pixmap(self, name: str, size: int, ratio: float) -> QPixmap | None:
        if (name, size, ratio) not in self._pixmaps:
            path = pictogram_file(name, self._pack_root or Path("/nonexistent"), self._folder)
            self._pixmaps[(name, size, ratio)] = svg_pixmap(path, size, ratio) if path else None
        pixmap = self._pixmaps[(name, size, ratio)]
        if pixmap is None and name not in _missing:
            _missing.add(name)
            log.warning("pictogram %r cannot be drawn (no readable %s.svg): the page shows its text alone",
                        name, name)
        return pixmap

    def draw_into(self, target: QLabel, name: str, size: int) -> None:
        """Draw pictogram `name` into another label (a button's), sharp on a screen of up to 2x pixels."""
        pixmap = self._pixmap(name, size, 2.0)
        if pixmap is not None:
            target.setPixmap(pixmap)
            target.setFixedSize(size, size)

    def draw(self, name: str, description: str) -> bool:
        pixmap = self._pixmap(name, self._size, self.devicePixelRatioF())
        if pixmap is None:
            self.name = ""
            self.clear()
            self.hide()
            return False
        self.name = name
        self.setPixmap(pixmap)
        self.setAccessibleName(description)
        self.show()
        return True


    def forget(self) -> None:
        """Nothing of a visitor kept: no drawing, no name (the title it described may name a document)."""
        self.name = ""
        self.clear()
        self.setAccessibleName("")


def titled_row(pictogram: Pictogram, title: QLabel) -> QHBoxLayout:
    """The pictogram, then the title (at the start of the line in either direction; never mirrored)."""
    row = QHBoxLayout()
    row.setSpacing(20)
    row.addWidget(pictogram, 0, Qt.AlignmentFlag.AlignVCenter)
    row.addWidget(title, 1)
    return row
