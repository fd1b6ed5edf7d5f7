"""Pictograms on the checklist cards: one per document, touch-sized, named for screen readers with the
document's translated name, moved to the start of the line in right-to-left languages but never
mirrored, and a missing or unreadable drawing leaves the card usable (logged once, no picture)."""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLabel, QPushButton

from kiosk.content.model import Pack
from kiosk.content.pack import PICTOGRAMS, load_pack
from kiosk.i18n import Translator
from kiosk.i18n.languages import LANGUAGES
from kiosk.paths import DEFAULT_PACK
from kiosk.ui.widgets import svg_pixmap
from kiosk.visit.documents import PreparedDocuments, PreparedFile
from kiosk.visit.ui.steps import PICTOGRAM_SIZE, ChecklistPage

PACK = load_pack(DEFAULT_PACK)
STEP = PACK.procedures["renewal"].steps["docs_salarie"]


def translator(code: str) -> Translator:
    return Translator(LANGUAGES[code], content_dir=DEFAULT_PACK / "locale")


def shown_page(qtbot, pack: Pack = PACK, rtl: bool = False, **kwargs) -> ChecklistPage:  # noqa: ANN001
    page = ChecklistPage(pack, can_scan=True, **kwargs)
    qtbot.addWidget(page)
    page.setLayoutDirection(Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight)
    page.resize(1080, 1600)
    page.show()
    qtbot.waitExposed(page)
    return page


def show_step(qtbot, page: ChecklistPage, tr: Translator) -> None:  # noqa: ANN001
    """Render the step and let Qt show the new cards (a layout shows added widgets on the next loop)."""
    if page.step is STEP:
        page.retranslate(tr)
    else:
        page.show_step(STEP, tr)
    qtbot.waitUntil(lambda: page.findChild(QPushButton, f"scan_{STEP.documents[-1]}").isVisible())


def picture(page: ChecklistPage, doc_id: str) -> QLabel | None:
    return page.findChild(QLabel, f"pictogram_{doc_id}")


def as_image(label: QLabel) -> QImage:
    return label.pixmap().toImage().convertToFormat(QImage.Format.Format_ARGB32)


@pytest.mark.parametrize("code", ["fr", "ar", "ru"])
def test_every_card_shows_its_pictogram_named_with_the_translated_name(qtbot, code: str) -> None:  # noqa: ANN001
    tr = translator(code)
    page = shown_page(qtbot, rtl=tr.rtl)
    show_step(qtbot, page, tr)
    for doc_id in STEP.documents:
        doc = PACK.documents[doc_id]
        label = picture(page, doc_id)
        assert label is not None and label.isVisible(), doc_id
        assert label.pixmap().deviceIndependentSize().toSize().width() == PICTOGRAM_SIZE
        assert 72 <= label.width() <= 96 and label.height() == label.width()
        assert label.accessibleName() == tr.content(doc.name)
    if code != "fr":      # really translated, not the French msgid passed through
        assert picture(page, "passport").accessibleName() != PACK.documents["passport"].name


def test_right_to_left_moves_the_pictogram_to_the_start_without_mirroring_it(qtbot) -> None:  # noqa: ANN001
    images, pixmaps, sides = {}, {}, {}
    for rtl in (False, True):
        page = shown_page(qtbot, rtl=rtl)
        show_step(qtbot, page, translator("ar" if rtl else "fr"))
        label = picture(page, "residence_permit")          # "card": photo on the left, lines on the right
        card = label.parentWidget()
        name = next(w for w in card.findChildren(QLabel) if w.property("role") == "title")
        left_of_name = label.mapTo(card, QPoint(0, 0)).x() < name.mapTo(card, QPoint(0, 0)).x()
        sides[rtl] = left_of_name
        images[rtl] = label.grab().toImage().convertToFormat(QImage.Format.Format_ARGB32)
        pixmaps[rtl] = as_image(label)
    assert sides == {False: True, True: False}
    drawn = svg_pixmap(PICTOGRAMS / "card.svg", PICTOGRAM_SIZE).toImage().convertToFormat(
        QImage.Format.Format_ARGB32)
    assert pixmaps[True] == pixmaps[False] == drawn
    assert images[True] == images[False]                                  # what is on screen, too
    assert images[True] != images[False].flipped(Qt.Orientation.Horizontal)   # the drawing is not symmetric


def _pack_with_pictogram(tmp_path: Path, name: str) -> Pack:
    doc = dataclasses.replace(PACK.documents["passport"], pictogram=name)
    documents = {**PACK.documents, "passport": doc}
    return dataclasses.replace(PACK, path=str(tmp_path / "pack"), documents=documents)


def _warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records
            if r.name == "kiosk.visit.ui.steps" and r.levelno == logging.WARNING]


def test_the_folder_given_to_the_page_is_where_it_looks(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    page = shown_page(qtbot, pictograms=tmp_path / "empty")
    show_step(qtbot, page, translator("fr"))
    assert all(picture(page, doc_id) is None for doc_id in STEP.documents)


def test_a_missing_drawing_is_logged_once_and_the_card_stays_usable(
        qtbot, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:  # noqa: ANN001
    pack = _pack_with_pictogram(tmp_path, "no_such_drawing")
    page = shown_page(qtbot, pack=pack)
    with caplog.at_level(logging.WARNING):
        show_step(qtbot, page, translator("fr"))
        show_step(qtbot, page, translator("ar"))
        show_step(qtbot, page, translator("fr"))
    assert picture(page, "passport") is None
    assert page.findChild(QPushButton, "scan_passport").isVisible()
    titles = [w.text() for w in page.findChildren(QLabel) if w.property("role") == "title" and w.isVisible()]
    assert "Passeport" in titles
    [message] = _warnings(caplog)
    assert "no_such_drawing" in message and "passport" in message


def test_an_unreadable_drawing_shows_no_picture(qtbot, tmp_path: Path,
                                                caplog: pytest.LogCaptureFixture) -> None:  # noqa: ANN001
    (tmp_path / "pack" / "pictograms").mkdir(parents=True)
    (tmp_path / "pack" / "pictograms" / "broken.svg").write_text("<svg this is not xml", encoding="utf-8")
    page = shown_page(qtbot, pack=_pack_with_pictogram(tmp_path, "broken"))
    with caplog.at_level(logging.WARNING):
        show_step(qtbot, page, translator("fr"))
        show_step(qtbot, page, translator("ar"))
    assert picture(page, "passport") is None and picture(page, "residence_permit") is not None
    assert page.findChild(QPushButton, "scan_passport").isVisible()
    [message] = _warnings(caplog)
    assert "broken" in message


def test_a_pack_can_bring_its_own_drawing(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    (tmp_path / "pack" / "pictograms").mkdir(parents=True)
    (tmp_path / "pack" / "pictograms" / "own.svg").write_bytes((PICTOGRAMS / "card.svg").read_bytes())
    page = shown_page(qtbot, pack=_pack_with_pictogram(tmp_path, "own"))
    show_step(qtbot, page, translator("fr"))
    assert as_image(picture(page, "passport")) == as_image(picture(page, "residence_permit"))


@pytest.mark.parametrize("code", ["fr", "ar"])
def test_no_card_line_ends_with_a_space(qtbot, code: str) -> None:  # noqa: ANN001
    """A space at the end of a right-to-left line pushed its first letter past the label's edge."""
    page = shown_page(qtbot, rtl=code == "ar")
    show_step(qtbot, page, translator(code))
    texts = [w.text() for w in page.findChildren(QLabel) if w.text()]
    assert any("\n•" in t for t in texts)            # the "also accepted" lists are there
    assert [line for t in texts for line in t.split("\n") if line != line.rstrip()] == []


def test_cards_are_kept_for_the_next_visitor_without_anything_of_this_one(qtbot) -> None:  # noqa: ANN001
    """A checklist's cards are made once and filled at each render; the wipe leaves in them nothing
    about the visitor's files, and the next render builds no new card."""
    documents = PreparedDocuments()
    page = shown_page(qtbot, documents=lambda: documents)
    doc_id = STEP.documents[0]
    documents.put(doc_id, PreparedFile(Path("scan.pdf"), 7, 1_250_000))
    show_step(qtbot, page, translator("fr"))
    scan = page.findChild(QPushButton, f"scan_{doc_id}")
    texts = [w.text() for w in page.findChildren(QLabel) if w.isVisible()]
    assert any("7" in t and "1.2" in t for t in texts), texts
    page.reset()
    assert page.is_empty()
    assert not any("7 pages" in w.text() or "1.2" in w.text() for w in page.findChildren(QLabel)), \
        "the previous visitor's file is still described"
    documents.clear()
    show_step(qtbot, page, translator("ar"))
    assert page.findChild(QPushButton, f"scan_{doc_id}") is scan                 # the same card
    assert scan.text() == translator("ar").tr("Scan this document")
