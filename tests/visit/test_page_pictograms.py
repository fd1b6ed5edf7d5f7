"""Every guide page has its pictogram beside its title (issue 19 point 5: for visitors who cannot read,
meaning does not rest on text alone): every step of every shipped guide, shown by the kiosk's own page
for its kind, draws a pictogram (the step's own, else its kind's) at the start of the title's line in
both directions, named for assistive technology with the title; so do the procedure picker and the
paper-only page. Every step kind has its pictogram, so a new kind cannot come without one. Every page
of a visit the router knows (language, picker, paper, scan, official site, each step kind) shows one,
so a new visit page without a pictogram fails; so do the official site's guide beside every page of the
site map and off the procedure's path, the printing overlay in each of its states, and the overlays a
visit opens over any page: help, finish confirmation, idle warning; and beside the official site, its
failure screen, the "site is not working" overlay, the site's messages, a downloaded document, the
mailbox chooser and the upload picker."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtWidgets import QLabel, QWidget

from kiosk.browser.policy import GuidePage, Position
from kiosk.browser.ui.dialogs import DialogKind
from kiosk.browser.ui.panels import Failure, FilePicker
from kiosk.browser.ui.step import BrowserStep
from kiosk.content.model import StepKind
from kiosk.content.pack import load_pack, pictogram_file
from kiosk.i18n import Translators
from kiosk.paths import DEFAULT_PACK
from kiosk.printing.printer import FaultKind, PrinterFault
from kiosk.scan.ui.page import ScanPage
from kiosk.ui.page import Page
from kiosk.ui.pictogram import FINISH_PICTOGRAM, HELP_PICTOGRAM, IDLE_PICTOGRAM
from kiosk.ui.widgets import svg_pixmap
from kiosk.visit.ui.language import LanguagePage
from kiosk.visit.ui.paper import PaperOnlyPage
from kiosk.visit.ui.pictograms import (
    BUTTON_PICTOGRAM_SIZE,
    DOCUMENT_PICTOGRAM,
    FILE_PICKER_PICTOGRAM,
    KIND_PICTOGRAMS,
    LANGUAGE_PICTOGRAM,
    MAILBOX_PICTOGRAM,
    PAPER_ONLY_PICTOGRAM,
    PRINTING_PICTOGRAM,
    PROCEDURES_PICTOGRAM,
    SCAN_PICTOGRAM,
    SITE_DOWN_PICTOGRAM,
    SITE_PICTOGRAM,
    Pictogram,
    step_pictogram,
)
from kiosk.visit.ui.procedure import ProcedurePage
from kiosk.visit.ui.steps import StepPage

PACK = load_pack(DEFAULT_PACK)
TRANSLATORS = Translators(DEFAULT_PACK / "locale")
RTL, LTR = Qt.LayoutDirection.RightToLeft, Qt.LayoutDirection.LeftToRight
SITE = '[browser]\nsite = "practice"'          # the router then has the official site's page
# the pictogram of each kind of visit page (a step page's: its step's, checked above)
PAGE_PICTOGRAMS: dict[type, str] = {LanguagePage: LANGUAGE_PICTOGRAM, ProcedurePage: PROCEDURES_PICTOGRAM,
                                    PaperOnlyPage: PAPER_ONLY_PICTOGRAM, ScanPage: SCAN_PICTOGRAM,
                                    BrowserStep: SITE_PICTOGRAM}


def drawn_beside_title(page: Page | QWidget, rtl: bool, title: QLabel | None = None) -> Pictogram:
    """The page's pictogram: shown, drawn, named with the title (its heading, unless given) and at the
    start of its line."""
    title = title or page.heading()
    assert title is not None and title.text()
    pictograms = [p for p in page.findChildren(Pictogram) if p.parentWidget() is title.parentWidget()]
    assert pictograms, f"{type(page).__name__} {title.text()!r}: a page with a title and no pictogram"
    [pictogram] = pictograms
    assert pictogram.isVisibleTo(page), f"{type(page).__name__} {title.text()!r}: no pictogram shown"
    pixmap = pictogram.pixmap()
    assert not pixmap.isNull() and pixmap.width() >= 96, f"{title.text()!r}: the pictogram is not drawn"
    assert pictogram.accessibleName() == title.text()
    assert pictogram.property("skip_reading")        # read-aloud reads the title beside it, once
    picture, heading = pictogram.geometry(), title.geometry()
    assert abs(picture.center().y() - heading.center().y()) < max(picture.height(), heading.height())
    assert (picture.left() > heading.left()) if rtl else (picture.right() < heading.left()), \
        f"{type(page).__name__} {title.text()!r}: the pictogram is not at the start of the title's line"
    assert shown_as_drawn(pictogram), f"{title.text()!r}: the pictogram is mirrored or moved"
    return pictogram


def shown_as_drawn(pictogram: Pictogram) -> bool:
    """What the screen shows is the SVG file drawn as is, on the page's background (never mirrored)."""
    shown = pictogram.grab().toImage().convertToFormat(QImage.Format.Format_ARGB32)
    path = pictogram_file(pictogram.name, DEFAULT_PACK)
    drawing = svg_pixmap(path, pictogram.width(), shown.devicePixelRatio()) if path else None
    if drawing is None:
        return False
    expected = QImage(shown.size(), QImage.Format.Format_ARGB32)
    expected.setDevicePixelRatio(shown.devicePixelRatio())
    expected.fill(shown.pixelColor(0, 0))            # the tile's rounded corner shows the background
    painter = QPainter(expected)
    painter.drawPixmap(0, 0, drawing)
    painter.end()
    mirrored = expected.flipped(Qt.Orientation.Horizontal)
    return shown == expected and shown != mirrored


def test_every_step_kind_has_its_pictogram() -> None:
    assert {kind.value for kind in StepKind} <= set(KIND_PICTOGRAMS)


@pytest.mark.parametrize("code", ["fr", "ar"])
def test_every_step_of_every_guide_shows_its_pictogram(make_kiosk, qtbot, code: str) -> None:  # noqa: ANN001
    kiosk = make_kiosk(pack=DEFAULT_PACK)
    router, tr = kiosk.window.router, TRANSLATORS.get(code)
    rtl = code == "ar"
    seen: set[str] = set()
    for procedure in PACK.procedures.values():
        for step in procedure.steps.values():
            page = router.step_pages[step.kind]
            page.setLayoutDirection(RTL if rtl else LTR)
            page.step, page.procedure = step, procedure
            page.retranslate(tr)
            router.stack.setCurrentWidget(page)
            qtbot.waitUntil(lambda p=page: p.findChildren(Pictogram)[0].isVisible())
            pictogram = drawn_beside_title(page, rtl)
            assert pictogram.name == step_pictogram(step)
            assert pictogram.name == (step.pictogram or KIND_PICTOGRAMS[step.kind.value])
            seen.add(step.kind.value)
    assert seen >= {"info", "question", "checklist", "date", "end"}


@pytest.mark.parametrize("code", ["fr", "ar"])
def test_the_procedure_picker_and_the_paper_page_have_theirs(make_kiosk, qtbot, code: str) -> None:  # noqa: ANN001
    kiosk = make_kiosk(pack=DEFAULT_PACK)
    router, tr = kiosk.window.router, TRANSLATORS.get(code)
    pages = ((router.procedure_page, PROCEDURES_PICTOGRAM), (router.paper_page, PAPER_ONLY_PICTOGRAM))
    for page, name in pages:
        page.setLayoutDirection(RTL if code == "ar" else LTR)
        page.retranslate(tr)
        router.stack.setCurrentWidget(page)
        qtbot.waitUntil(lambda p=page: p.findChildren(Pictogram)[0].isVisible())
        assert drawn_beside_title(page, code == "ar").name == name


def test_a_drawing_that_cannot_be_read_leaves_the_title_alone(qtbot, tmp_path, caplog) -> None:  # noqa: ANN001
    (tmp_path / "broken.svg").write_text("<svg")
    pictogram = Pictogram(folder=tmp_path)
    qtbot.addWidget(pictogram)
    assert not pictogram.draw("broken", "Title") and pictogram.pixmap().isNull() and pictogram.isHidden()
    assert not pictogram.draw("broken", "Title")
    ours = [r for r in caplog.records if r.name.startswith("kiosk.")]     # not Qt's own message
    assert sum("broken" in r.message for r in ours) == 1          # logged once


def test_a_guide_that_names_its_pictogram_has_it_on_its_button(qtbot) -> None:  # noqa: ANN001
    first, *others = PACK.procedures.values()
    pack = dataclasses.replace(PACK, procedures={first.id: dataclasses.replace(first, pictogram="card"),
                                                 **{p.id: p for p in others}})
    page = ProcedurePage(pack)
    qtbot.addWidget(page)
    page.retranslate(TRANSLATORS.get("fr"))
    mark = page.buttons[first.id].mark
    assert mark is not None and not mark.pixmap().isNull()
    assert mark.width() == BUTTON_PICTOGRAM_SIZE
    assert all(page.buttons[p.id].mark is None for p in others if not p.pictogram)


@pytest.mark.parametrize("code", ["fr", "ar"])
def test_every_page_of_a_visit_has_its_pictogram(make_kiosk, qtbot, tmp_path, code: str) -> None:  # noqa: ANN001
    """Every page the router shows during a visit (all but the attract screen, before it), with what it
    shows in a visit: a page without a pictogram beside its title fails here, whatever its kind."""
    kiosk = make_kiosk(SITE, pack=DEFAULT_PACK)
    router, tr, rtl = kiosk.window.router, TRANSLATORS.get(code), code == "ar"
    assert router.scan_page is not None and router.browser_step is not None
    first_steps = {}
    for procedure in PACK.procedures.values():
        for step in procedure.steps.values():
            first_steps.setdefault(step.kind, (step, procedure))
    pages = [page for page in router.pages() if page is not router.attract]
    assert {type(page) for page in pages} >= set(PAGE_PICTOGRAMS)
    for page in pages:
        expected = PAGE_PICTOGRAMS.get(type(page), "")
        if isinstance(page, StepPage):
            [kind] = [k for k, p in router.step_pages.items() if p is page]
            page.step, page.procedure = first_steps[kind]
            expected = step_pictogram(page.step)
        elif isinstance(page, ScanPage):
            page.open_document(PACK.documents["passport"], tmp_path)
        page.setLayoutDirection(RTL if rtl else LTR)
        page.retranslate(tr)
        router.stack.setCurrentWidget(page)
        qtbot.waitUntil(page.isVisible)
        qtbot.wait(20)
        pictogram = drawn_beside_title(page, rtl)
        assert pictogram.name == expected, f"{type(page).__name__}: {pictogram.name!r}"
    kiosk.window.router.scan_page.reset()
    assert not kiosk.window.router.scan_page.pictogram.accessibleName()   # no document named after the wipe


@pytest.mark.parametrize("code", ["fr", "ar"])
def test_the_official_site_guide_shows_the_website_beside_every_page(make_kiosk, qtbot, code: str) -> None:  # noqa: ANN001
    kiosk = make_kiosk(SITE, pack=DEFAULT_PACK)
    step, tr, rtl = kiosk.window.router.browser_step, TRANSLATORS.get(code), code == "ar"
    assert step is not None
    step.retranslate(tr)
    kiosk.window.router.stack.setCurrentWidget(step)
    qtbot.waitUntil(step.isVisible)
    qtbot.wait(20)
    assert PACK.site is not None and PACK.site.pages
    positions = [Position("https://x.test/", None, True, "x.test"),           # on the path, no guide page
                 Position("https://x.test/", None, False, "x.test"),          # off the procedure's path
                 *(Position("https://x.test/", GuidePage(p.id, p.title, p.text, p.glossary), True, "x.test")
                   for p in PACK.site.pages)]
    for position in positions:
        step.guide.set_position(position)
        qtbot.wait(0)
        assert drawn_beside_title(step, rtl).name == SITE_PICTOGRAM
        assert step.guide.pictogram.accessibleName() == step.guide.title.text()


@pytest.mark.parametrize("code", ["fr", "ar"])
def test_the_printing_overlay_shows_a_printer_in_each_state(make_kiosk, qtbot, tmp_path, code: str) -> None:  # noqa: ANN001
    kiosk = make_kiosk()
    overlay, tr, rtl = kiosk.window.print_overlay, TRANSLATORS.get(code), code == "ar"
    kiosk.window.setLayoutDirection(RTL if rtl else LTR)
    pdf = tmp_path / "receipt.pdf"
    states = [lambda: overlay.busy(tr), lambda: overlay.done(tr, pdf, document=True),
              lambda: overlay.failed(tr, PrinterFault(FaultKind.MEDIA_EMPTY), pdf)]
    for state in states:
        state()
        qtbot.waitUntil(overlay.isVisible)
        assert drawn_beside_title(overlay, rtl).name == PRINTING_PICTOGRAM


@pytest.mark.parametrize("code", ["fr", "ar"])
def test_help_finish_and_idle_overlays_have_theirs(make_kiosk, qtbot, code: str) -> None:  # noqa: ANN001
    kiosk = make_kiosk()
    w, tr, rtl = kiosk.window, TRANSLATORS.get(code), code == "ar"
    w.setLayoutDirection(RTL if rtl else LTR)
    w.help_overlay.retranslate(tr, "")
    w.confirm_overlay.retranslate(tr)
    w.idle_overlay.update_view(tr, 30, can_extend=True)
    for overlay, name in ((w.help_overlay, HELP_PICTOGRAM), (w.confirm_overlay, FINISH_PICTOGRAM),
                          (w.idle_overlay, IDLE_PICTOGRAM)):
        overlay.open()
        qtbot.waitUntil(overlay.isVisible)
        qtbot.wait(20)
        assert drawn_beside_title(overlay, rtl).name == name
        overlay.hide()


@pytest.mark.parametrize("code", ["fr", "ar"])
def test_the_official_site_panels_and_overlays_have_theirs(make_kiosk, qtbot, tmp_path, code: str) -> None:  # noqa: ANN001
    kiosk = make_kiosk(SITE, pack=DEFAULT_PACK)
    step, tr, rtl = kiosk.window.router.browser_step, TRANSLATORS.get(code), code == "ar"
    assert step is not None
    step.retranslate(tr)
    kiosk.window.router.stack.setCurrentWidget(step)
    qtbot.waitUntil(step.isVisible)

    def check(widget: QWidget, title: QLabel, name: str) -> None:
        qtbot.waitUntil(widget.isVisible)
        qtbot.wait(20)
        assert drawn_beside_title(widget, rtl, title).name == name

    step.problem.show_failure(Failure.LOAD)
    step.problem.retranslate(tr)
    step.site_stack.setCurrentWidget(step.problem)
    check(step.problem, step.problem.title, SITE_DOWN_PICTOGRAM)
    step.incident.ask(tr, QPixmap())
    check(step.incident, step.incident.title, SITE_DOWN_PICTOGRAM)
    step.incident.reset()
    step.page_dialog.add(tr, DialogKind.ALERT, "Votre session va expirer.")
    check(step.page_dialog, step.page_dialog.title, SITE_PICTOGRAM)
    step.page_dialog.reset()
    shown = tmp_path / "recepisse.png"
    image = QImage(200, 280, QImage.Format.Format_ARGB32)
    image.fill(0xFFFFFFFF)
    assert image.save(str(shown))
    step.viewer.show_file(tr, shown)
    check(step.viewer, step.viewer.title, DOCUMENT_PICTOGRAM)
    step.viewer.reset()
    assert not step.viewer.pictogram.accessibleName()       # the visitor's file's name is forgotten
    step.mailbox.setCurrentWidget(step.mailbox.chooser)
    step.site_stack.setCurrentWidget(step.mailbox)
    check(step.mailbox.chooser, step.mailbox.chooser.title, MAILBOX_PICTOGRAM)
    picker = FilePicker(step, tr, {}, [("passport", "Passeport")])
    picker.resize(1080, 1920)
    picker.show()
    [title] = [w for w in picker.findChildren(QLabel) if w.property("role") == "title"]
    check(picker, title, FILE_PICKER_PICTOGRAM)
    picker.reject()


def test_a_mirrored_drawing_is_caught(qtbot) -> None:  # noqa: ANN001
    """The check above sees a pictogram shown mirrored (as an icon of a right-to-left style would be)."""
    pictogram = Pictogram()
    qtbot.addWidget(pictogram)
    assert pictogram.draw(SCAN_PICTOGRAM, "Scan")
    pictogram.show()
    assert shown_as_drawn(pictogram)
    mirrored = QPixmap.fromImage(pictogram.pixmap().toImage().flipped(Qt.Orientation.Horizontal))
    pictogram.setPixmap(mirrored)
    assert not shown_as_drawn(pictogram)
