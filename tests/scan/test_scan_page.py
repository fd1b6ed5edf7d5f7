"""The scan step through the real kiosk: checklist → scan page → pages → file → wipe; scanner faults
through the simulator; one visit through the real SANE `test` device; screenshots in three languages."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtWidgets import QApplication, QLabel, QPushButton
from screen_input import click, start_procedure

from kiosk.content.model import StepKind
from kiosk.scan.scanner import (
    CoverOpen,
    NoScanner,
    PaperJam,
    SaneScanner,
    ScannerBusy,
    ScannerFault,
    ScannerUnplugged,
)
from kiosk.scan.ui.page import PREVIEW_SIDE, ActionButton, ScanPage
from kiosk.ui.widgets import WrapButton
from kiosk.visit.documents import PreparedFile
from kiosk.visit.session import EndReason

SCREENS = Path(__file__).resolve().parents[2] / "build" / "screens" / "scan"
WAIT_MS = 30000


def open_scan_page(kiosk, qtbot, language: str = "fr", document: str = "passport") -> ScanPage:  # noqa: ANN001
    """Attract → language → procedure alpha → checklist → the document's Scan button."""
    w = kiosk.window
    start_procedure(kiosk, qtbot, language)
    kiosk.controller.next()
    kiosk.controller.choose("one")
    checklist = w.step_pages[StepKind.CHECKLIST]
    assert w.stack.currentWidget() is checklist
    click(qtbot, checklist.findChild(QPushButton, f"scan_{document}"))
    assert w.stack.currentWidget() is w.scan_page and w.scan_page.document.id == document
    return w.scan_page


def page_button(page: ScanPage, index: int, key: str) -> QPushButton:
    found = page.findChild(QPushButton, f"page_{index}_{key}")
    assert found is not None, f"page_{index}_{key}"
    return found


def scan(qtbot, page: ScanPage, button: QPushButton | None = None) -> None:  # noqa: ANN001
    with qtbot.waitSignal(page.controller.pages_changed, timeout=WAIT_MS):
        click(qtbot, button or page.scan_button)


def quick_simulator(kiosk):  # noqa: ANN001, ANN201
    scanner = kiosk.window.scanning.scanner
    scanner.scan_s = 0.0
    return scanner


def fr(kiosk, msgid: str) -> str:  # noqa: ANN001
    text = kiosk.translators.get("fr").tr(msgid)
    assert text != msgid, f"no French translation for {msgid!r}"
    return text


def test_scan_order_turn_rescan_delete_make_the_file_then_the_wipe(make_kiosk, qtbot) -> None:  # noqa: ANN001
    kiosk = make_kiosk()
    scanner = quick_simulator(kiosk)
    page = open_scan_page(kiosk, qtbot)
    c = page.controller
    assert not page.file_button.isVisible()                       # nothing to put in a file yet
    for sample in ("passport", "proof_of_address", "blank_back"):
        scanner.place(sample)
        scan(qtbot, page)
    doc = c.document("passport")
    passport, proof, blank = doc.pages
    assert [p.page.blank.blank for p in doc.pages] == [False, False, True]
    assert page.findChild(QLabel, "page_2_caption").text() == "Page 3\nCette page semble vide."
    preview = page.findChild(QLabel, "page_0_preview").pixmap()
    assert max(preview.width(), preview.height()) == PREVIEW_SIDE
    assert not page.findChild(QPushButton, "page_0_up").isVisible()      # the first cannot go earlier

    click(qtbot, page_button(page, 1, "up"))                      # order: proof, passport, blank
    assert doc.pages == [proof, passport, blank]
    # previews are made once per page, off the GUI thread: a refresh shows the same pixmap
    assert page.findChild(QLabel, "page_1_preview").pixmap().cacheKey() == passport.pixmap().cacheKey()

    click(qtbot, page_button(page, 2, "delete"))                  # the empty page goes
    assert doc.pages == [proof, passport]

    before = proof.page.raster.pixels
    with qtbot.waitSignal(c.pages_changed, timeout=WAIT_MS):
        click(qtbot, page_button(page, 0, "turn"))
        assert c.running == "turn" and not page.scan_button.isEnabled()   # not done on the GUI thread
    turned = doc.pages[0]
    assert turned is not proof and doc.pages[1] is passport
    assert np.array_equal(turned.page.raster.pixels, np.rot90(before, k=-1))   # a quarter clockwise
    assert turned.preview.width() > turned.preview.height()       # the preview was turned too

    scanner.place("payslip", 0)
    scan(qtbot, page, page_button(page, 1, "rescan"))             # a new page in place of the passport
    assert len(doc.pages) == 2 and doc.pages[0] is turned and doc.pages[1] is not passport
    assert doc.pages[1].page.raster.pixels.shape != passport.page.raster.pixels.shape

    with qtbot.waitSignal(c.document_ready, timeout=WAIT_MS):
        click(qtbot, page.file_button)
    file = doc.file
    session_dir = kiosk.sessions.current.directory
    assert file is not None and file.path.parent == session_dir and file.path.name == "passport.pdf"
    assert file.path.read_bytes().startswith(b"%PDF") and file.pages == 2
    assert file.path.stat().st_size == file.bytes <= page.document.max_mb * 1_000_000
    size = f"{round(file.bytes / 1e6, 1):.1f}".replace(".", ",")            # French decimal comma
    assert page.status.text() == f"Fichier prêt : 2 pages, {size} Mo (le site accepte jusqu'à 2 Mo)."
    session = kiosk.sessions.current
    assert session.documents.ready() == {"passport": PreparedFile(file.path, 2, file.bytes)}

    click(qtbot, page.back_button)
    assert kiosk.window.stack.currentWidget() is kiosk.window.step_pages[StepKind.CHECKLIST]
    kiosk.controller.end(EndReason.FINISHED)
    assert not file.path.exists() and not session_dir.exists()
    assert c.documents == {} and len(session.documents) == 0 and len(kiosk.visit.documents()) == 0
    assert page.is_empty()


@pytest.mark.parametrize("fault", [NoScanner, ScannerBusy, CoverOpen, PaperJam, ScannerUnplugged])
def test_a_fault_is_told_calmly_and_try_again_keeps_the_pages(make_kiosk, qtbot,  # noqa: ANN001
                                                             fault: type[ScannerFault]) -> None:
    kiosk = make_kiosk()
    scanner = quick_simulator(kiosk)
    page = open_scan_page(kiosk, qtbot)
    c = page.controller
    scanner.place("passport")
    scan(qtbot, page)
    first = c.document("passport").pages[0]
    progress: list[float] = []
    c.progress.connect(progress.append)

    scanner.inject(fault)
    with qtbot.waitSignal(c.failed, timeout=WAIT_MS) as failed:
        click(qtbot, page.scan_button)
    assert type(failed.args[1]) is fault
    assert page.status.text() == f"{fr(kiosk, fault.message)}\n{fr(kiosk, fault.action)}"
    assert page.retry_button.isVisible() and page.retry_button.text() == "Réessayer"
    assert c.document("passport").pages == [first]                # the page already scanned is kept
    assert page.findChild(QLabel, "page_0_preview").isVisible()
    if fault in (PaperJam, ScannerUnplugged):                     # it stopped in the middle of the page
        assert progress and 0 < max(progress) < 1

    with qtbot.waitSignal(c.failed, timeout=WAIT_MS):            # still there: fails the same way
        click(qtbot, page.retry_button)
    assert page.retry_button.isVisible()
    assert c.document("passport").pages == [first]

    scanner.clear()
    scan(qtbot, page, page.retry_button)
    assert len(c.document("passport").pages) == 2 and c.document("passport").pages[0] is first
    assert not page.retry_button.isVisible() and page.status.text() == ""


def test_rescan_fault_then_try_again_replaces_the_same_page(make_kiosk, qtbot) -> None:  # noqa: ANN001
    kiosk = make_kiosk()
    scanner = quick_simulator(kiosk)
    page = open_scan_page(kiosk, qtbot)
    c = page.controller
    for sample in ("passport", "proof_of_address"):
        scanner.place(sample)
        scan(qtbot, page)
    first, second = c.document("passport").pages
    scanner.inject(PaperJam)
    with qtbot.waitSignal(c.failed, timeout=WAIT_MS):
        click(qtbot, page_button(page, 0, "rescan"))
    scanner.clear()
    scanner.place("payslip")
    scan(qtbot, page, page.retry_button)
    pages = c.document("passport").pages
    assert len(pages) == 2 and pages[0] is not first and pages[1] is second


def test_language_switch_while_a_fault_is_shown(make_kiosk, qtbot) -> None:  # noqa: ANN001
    kiosk = make_kiosk()
    scanner = quick_simulator(kiosk)
    page = open_scan_page(kiosk, qtbot)
    scanner.inject(CoverOpen)
    with qtbot.waitSignal(page.controller.failed, timeout=WAIT_MS):
        click(qtbot, page.scan_button)
    click(qtbot, kiosk.window.top_bar.language_button)
    click(qtbot, kiosk.window.language_page.buttons["ar"])
    assert kiosk.window.stack.currentWidget() is page
    ar = kiosk.translators.get("ar")
    assert page.status.text() == f"{ar.tr(CoverOpen.message)}\n{ar.tr(CoverOpen.action)}"
    assert page.status.text() != f"{CoverOpen.message}\n{CoverOpen.action}"
    assert page.retry_button.isVisible() and page.retry_button.text() == ar.tr("Try again")


@pytest.mark.real_stack
def test_scan_to_file_with_the_real_sane_test_device(make_kiosk, qtbot, sane_config) -> None:  # noqa: ANN001
    kiosk = make_kiosk()
    picture = ("--test-picture", "Color pattern")
    sane = SaneScanner(env=sane_config, extra_options=picture)
    kiosk.window.scanning.scanner = sane  # scan.setup.scanner_for builds for "sane"
    page = open_scan_page(kiosk, qtbot)
    c = page.controller
    progress: list[float] = []
    c.progress.connect(progress.append)
    scan(qtbot, page)
    assert progress and progress[-1] == 1.0
    first = c.document("passport").pages[0]
    assert first.page.raster.is_color and first.page.raster.dpi == 300

    sane.extra_options = (*picture, "--read-return-value", "SANE_STATUS_JAMMED")
    with qtbot.waitSignal(c.failed, timeout=WAIT_MS) as failed:
        click(qtbot, page.scan_button)
    assert isinstance(failed.args[1], PaperJam)
    assert page.status.text() == f"{fr(kiosk, PaperJam.message)}\n{fr(kiosk, PaperJam.action)}"
    assert c.document("passport").pages == [first]
    sane.extra_options = picture
    scan(qtbot, page, page.retry_button)
    assert len(c.document("passport").pages) == 2

    with qtbot.waitSignal(c.document_ready, timeout=WAIT_MS):
        click(qtbot, page.file_button)
    file = c.document("passport").file
    assert file is not None and file.path.parent == kiosk.sessions.current.directory
    assert file.path.read_bytes().startswith(b"%PDF") and file.bytes <= 2_000_000 and file.pages == 2
    assert file.min_ssim >= 0.9 and file.dpi >= 150
    kiosk.controller.end(EndReason.FINISHED)
    assert not file.path.exists()


# --- screenshots --------------------------------------------------------------------------------

def clipped(root) -> list[str]:  # noqa: ANN001
    """Texts that do not fit their widget (as tests/ui/test_clipping.py checks the whole tour)."""
    problems = []
    for lbl in root.findChildren(QLabel):
        if not lbl.isVisible() or not lbl.text():
            continue
        rect = lbl.contentsRect()
        if lbl.wordWrap():
            if lbl.heightForWidth(rect.width()) > rect.height() + 2:
                problems.append(f"label {lbl.text()[:40]!r} is cut at the bottom")
            if max(lbl.fontMetrics().horizontalAdvance(w) for w in lbl.text().split()) > rect.width() + 2:
                problems.append(f"label {lbl.text()[:40]!r}: a word is cut at the side")
        elif max(lbl.fontMetrics().horizontalAdvance(t) for t in lbl.text().split("\n")) > rect.width() + 2:
            problems.append(f"label {lbl.text()[:40]!r} is cut at the side")
    for button in root.findChildren(QPushButton):
        if button.isVisible() and button.text() and not isinstance(button, WrapButton | ActionButton) \
                and button.fontMetrics().horizontalAdvance(button.text()) > button.width() - 8:
            problems.append(f"button {button.text()[:40]!r} is cut")
    return problems


def grab(kiosk, name: str) -> list[str]:  # noqa: ANN001
    for _ in range(4):                      # let the height-for-width layouts settle
        QApplication.processEvents()
    SCREENS.mkdir(parents=True, exist_ok=True)
    assert kiosk.window.grab().save(str(SCREENS / f"{name}.png"))
    return [f"{name}: {p}" for p in clipped(kiosk.window.scan_page)]


@pytest.mark.parametrize(("language", "larger"), [("fr", 0), ("ar", 0), ("ta", 0), ("ru", 0), ("ta", 2)])
def test_scan_page_screens(make_kiosk, qtbot, language: str, larger: int) -> None:  # noqa: ANN001
    from kiosk.paths import DEFAULT_PACK

    kiosk = make_kiosk(f'[languages]\noffered = ["fr", "{language}"]', pack=DEFAULT_PACK)
    for _ in range(larger):                                       # A+ pressed `larger` times
        kiosk.window.appearance.next_text_size()
    name = f"{language}-large" if larger else language
    scanner = quick_simulator(kiosk)
    w, c = kiosk.window, kiosk.controller
    click(qtbot, w.attract._start)
    c.choose_language(language)
    c.choose_procedure("renewal")
    while kiosk.visit.state.step.kind is not StepKind.CHECKLIST:
        step = kiosk.visit.state.step
        if step.kind is StepKind.DATE:
            c.choose(w.step_pages[StepKind.DATE].outcome())
        elif step.answers:
            c.choose(step.answers[0].id)
        else:
            c.next()
    c.open_scan(kiosk.visit.state.step.documents[0])
    page = w.scan_page
    problems = grab(kiosk, f"{name}-1-empty")
    for sample in ("passport", "blank_back", "proof_of_address"):
        scanner.place(sample)
        scan(qtbot, page)
    problems += grab(kiosk, f"{name}-2-three-pages")
    scanner.inject(PaperJam)
    with qtbot.waitSignal(page.controller.failed, timeout=WAIT_MS):
        click(qtbot, page.scan_button)
    problems += grab(kiosk, f"{name}-3-paper-jam")
    scanner.clear()
    click(qtbot, page_button(page, 1, "delete"))
    with qtbot.waitSignal(page.controller.document_ready, timeout=WAIT_MS):
        click(qtbot, page.file_button)
    problems += grab(kiosk, f"{name}-4-file-ready")
    assert not problems, "\n".join(problems)

    # the page preview sits at the start of its line: right in a right-to-left language
    preview = page.findChild(QLabel, "page_0_preview")
    turn = page_button(page, 0, "turn")
    x_preview = preview.mapTo(w, preview.rect().center()).x()
    x_turn = turn.mapTo(w, turn.rect().center()).x()
    assert (x_preview > x_turn) if kiosk.translators.get(language).rtl else (x_preview < x_turn)
    # how to place the page: the drawing beside the words, at the start of the line
    drawing = page.findChild(QLabel, "scan_placement")
    assert drawing.isVisible() and not drawing.pixmap().isNull()
    x_drawing = drawing.mapTo(w, drawing.rect().center()).x()
    x_how = page.how.mapTo(w, page.how.rect().center()).x()
    assert (x_drawing > x_how) if kiosk.translators.get(language).rtl else (x_drawing < x_how)
