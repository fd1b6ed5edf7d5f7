"""A pictogram beside a title, so that a screen's meaning does not rest on its text alone (issue 19
point 5): the pages of a visit (kiosk.visit.ui.pictograms says which page shows which) and the overlays.

`Pictogram` draws a drawing of the pack's pictograms/ folder or the kiosk's assets/pictograms
(kiosk.content.pack.pictogram_file) at 96 px, named for assistive technology with the title it
illustrates and skipped by read-aloud (the title beside it is read); one that cannot be drawn is logged
once and the title shows alone. `titled_row` puts it at the start of the title's line, in either
direction; drawings are never mirrored.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel

from kiosk.content.pack import PICTOGRAMS, pictogram_file
from kiosk.ui.widgets import svg_pixmap

log = logging.getLogger(__name__)

PAGE_PICTOGRAM_SIZE = 96        # px: beside a title, recognisable at arm's length
BUTTON_PICTOGRAM_SIZE = 64      # px: at the start of a button (a guide's, on the procedure picker)
# the overlays' (kiosk.ui.overlays; the printing overlay's is kiosk.visit.ui.pictograms.PRINTING_PICTOGRAM)
HELP_PICTOGRAM = "help"              # a visitor raising a hand: a mediator comes
FINISH_PICTOGRAM = "finish"          # a door and the way out
IDLE_PICTOGRAM = "hourglass"         # time is running out
_missing: set[str] = set()


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
