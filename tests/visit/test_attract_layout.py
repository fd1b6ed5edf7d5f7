"""The attract screen fits every screen shape a terminal has, in every language, at every text size.

With the 14 languages offered by default, one invitation per line overflowed a landscape 1280x720
screen: the list covered the start button and the welcome line was clipped. Here each of its texts must
get at least the height its wrapped text needs, and no two of them may overlap, whichever language the
rotation shows.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

from kiosk.i18n import Translators
from kiosk.i18n.languages import LANGUAGES
from kiosk.ui.theme import DEFAULT
from kiosk.visit.ui.attract import AttractPage, invitation_columns

SIZES = [(1080, 1920), (720, 1280), (1920, 1080), (1280, 720)]


Text = QLabel | QAbstractButton


def _texts(page: AttractPage) -> list[Text]:
    shown: list[Text] = [w for w in page.findChildren(QLabel) if w.isVisible() and w.text()]
    return [*shown, page._start]


def _overlaps(widgets: list[Text], page: QWidget) -> list[str]:
    rects = [(w, QRect(w.mapTo(page, w.rect().topLeft()), w.size())) for w in widgets]
    return [f"{a.text()!r} / {b.text()!r}" for i, (a, ra) in enumerate(rects) for b, rb in rects[i + 1:]
            if ra.intersects(rb)]


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_every_language_fits_without_overlap(qtbot, width: int, height: int) -> None:  # noqa: ANN001
    languages = tuple(LANGUAGES)
    assert len(languages) == 14
    page = AttractPage(Translators(None).get, languages, "Point d'accueil numérique", interval_ms=60_000,
                       demo=True)
    page.setStyleSheet(DEFAULT.stylesheet())
    qtbot.addWidget(page)
    page.resize(width, height)
    page.show()
    qtbot.waitExposed(page)
    for index in range(len(languages)):
        page._index = index
        page._show_language()
        page.layout().activate()
        widgets = _texts(page)
        clipped = [f"{w.text()!r}: {w.height()} < {w.heightForWidth(w.width())}"
                   for w in widgets if isinstance(w, QLabel) and w.height() < w.heightForWidth(w.width())]
        assert not clipped, f"{languages[index]} at {width}x{height}: clipped {clipped}"
        assert not _overlaps(widgets, page), f"{languages[index]} at {width}x{height}"
        outside = [w.text() for w in widgets
                   if not page.rect().contains(QRect(w.mapTo(page, w.rect().topLeft()), w.size()))]
        assert not outside, f"{languages[index]} at {width}x{height}: off screen {outside}"


def test_columns_follow_the_screen_shape() -> None:
    assert invitation_columns(3, 1080, 1920) == 1
    assert invitation_columns(14, 1080, 1920) == 2
    assert invitation_columns(14, 1280, 720) == 4
    assert invitation_columns(3, 1920, 1080) == 3
    assert invitation_columns(2, 1280, 720) == 2
    assert invitation_columns(0, 1280, 720) == 1
