"""Drive a kiosk through every screen and save a PNG of each: for reviewers, translators and the demo.

Walks attract, language, procedure, every step of the first branch of each procedure (or of all
procedures), help, finish confirmation and idle warning, in the given languages.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from kiosk.browser.ui.step import BrowserStep
from kiosk.content.model import Pack, Step, StepKind
from kiosk.printing.printer import FaultKind, PrinterFault
from kiosk.shell.ui.window import MainWindow
from kiosk.visit.session import EndReason
from kiosk.visit.ui.controller import VisitController

log = logging.getLogger(__name__)


class Touring(Protocol):
    """What the tour needs of a built kiosk (kiosk.app.Kiosk)."""

    @property
    def controller(self) -> VisitController: ...
    @property
    def window(self) -> MainWindow: ...
    @property
    def pack(self) -> Pack: ...


def _settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def _wait_for_page(browser_step: BrowserStep, timeout_ms: int = 15000) -> None:
    """Spin the event loop until the site's page has loaded (or failed), at most `timeout_ms`."""
    loop = QEventLoop()
    done = browser_step.browser.page_loaded, browser_step.browser.load_failed
    for signal in done:
        signal.connect(loop.quit)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    for signal in done:
        signal.disconnect(loop.quit)
    QTimer.singleShot(300, loop.quit)           # a few frames painted
    loop.exec()


def _current_step(controller: VisitController) -> Step:
    state = controller.visit.state
    assert state is not None                    # a procedure is chosen until its end step
    return state.step


def tour(kiosk: Touring, language: str, procedures: list[str] | None = None) -> Iterator[str]:
    """Yield a name for each screen as it is shown; the caller grabs it."""
    c, w = kiosk.controller, kiosk.window
    ids = procedures or list(kiosk.pack.procedures)
    for n, pid in enumerate(ids):
        c.touch_start()
        if n == 0:
            yield "01-attract-done"
        c.choose_language(language)
        if n == 0:
            yield "02-procedures"
        c.choose_procedure(pid)
        step_no = 0
        while True:
            step = _current_step(c)
            step_no += 1
            yield f"10-{pid}-{step_no:02d}-{step.kind.value}-{step.id}"
            if step.kind is StepKind.QUESTION:
                c.choose(step.answers[0].id)
            elif step.kind is StepKind.DATE:
                c.choose(w.router.date_page.outcome())
            elif step.kind is StepKind.END:
                if n == 0:
                    w.router.end_page.reference_field.setFocus()
                    yield f"11-{pid}-keyboard"
                    w.router.end_page.reference_field.clearFocus()
                    if w.browser_step is not None:          # the site (practice copy in the demo)
                        c.open_site()
                        _wait_for_page(w.browser_step)
                        yield f"12-{pid}-site"
                        c.back()
                break
            else:
                c.next()
        if n == 0:
            w.open_help()
            yield "20-help"
            w.help_overlay.hide()
            w.open_finish_confirmation()
            yield "21-confirm-finish"
            w.confirm_overlay.hide()
            c.idle_warning.emit(25, True)
            yield "22-idle-warning"
            c.idle_cleared.emit()
            w.print_overlay.failed(w.translator, PrinterFault(FaultKind.MEDIA_JAM), None)
            yield "23-print-fault"
            w.print_overlay.hide()
            c.idle_cleared.emit()
            c.open_language_picker()
            yield "03-language"
            c.back()
        c.end(EndReason.FINISHED)


def render(kiosk: Touring, languages: list[str], out: Path, all_procedures: bool = False) -> list[Path]:
    """Save every screen in every language to out/<lang>/NN-name.png; return the files."""
    files: list[Path] = []
    for lang in languages:
        folder = out / lang
        folder.mkdir(parents=True, exist_ok=True)
        kiosk.controller.visit.language = lang
        _settle()
        kiosk.window.update_view()
        _settle()
        kiosk.window.grab().save(str(folder / "00-attract.png"))
        procedures = None if all_procedures else list(kiosk.pack.procedures)[:1]
        for name in tour(kiosk, lang, procedures):
            _settle()
            path = folder / f"{name}.png"
            kiosk.window.grab().save(str(path))
            files.append(path)
    return files
