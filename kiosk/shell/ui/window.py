"""The main window: a top bar, the page stack, a bottom bar, and the overlays. Nothing else.

Renders whatever the VisitController says the screen is; every button only calls the controller.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLayout,
    QLineEdit,
    QProgressBar,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from kiosk.browser.policy import SiteGuide
from kiosk.browser.ui.step import BrowserStep
from kiosk.content.model import Pack, Procedure, StepKind
from kiosk.i18n import Translator
from kiosk.mediator.ui.help_call import HelpCall
from kiosk.printing.ui import PrintController, PrintOverlay
from kiosk.receipts.model import ReceiptData
from kiosk.scan.ui.page import ScanController, ScanPage
from kiosk.shell import keyboards
from kiosk.shell.ui.keyboard import OnScreenKeyboard
from kiosk.speech.engines import Speech
from kiosk.speech.ui import ReadAloud
from kiosk.ui.overlays import (
    ConfirmFinishOverlay,
    HelpOverlay,
    IdleOverlay,
    OutOfServiceOverlay,
    Overlay,
)
from kiosk.ui.page import Page
from kiosk.ui.theme import Appearance
from kiosk.ui.widgets import WrapButton, button, direction, label
from kiosk.visit.session import EndReason
from kiosk.visit.ui.attract import AttractPage
from kiosk.visit.ui.controller import VisitController
from kiosk.visit.ui.date_step import DatePage
from kiosk.visit.ui.language import LanguagePage
from kiosk.visit.ui.paper import PaperOnlyPage
from kiosk.visit.ui.procedure import ProcedurePage
from kiosk.visit.ui.steps import (
    OPEN_PRACTICE,
    OPEN_SITE,
    ChecklistPage,
    EndPage,
    InfoPage,
    QuestionPage,
    StepPage,
)
from kiosk.visit.visit import Screen

# Where the site opens for a procedure: the start address, and the guide that follows the visitor there
# (None: the procedure's own pages and glossary).
SiteStart = Callable[[Procedure], tuple[str, SiteGuide | None]]


class MainWindow(QWidget):
    def __init__(self, controller: VisitController, pack: Pack, translators: Callable[[str], Translator],
                 site_name: str, about: str, fullscreen: bool,
                 today: Callable[[], dt.date] = dt.date.today,
                 printing: PrintController | None = None,
                 make_receipt: Callable[[], tuple[ReceiptData, Path]] | None = None,
                 scanning: ScanController | None = None, help_call: HelpCall | None = None,
                 speech: Speech | None = None, browser: BrowserStep | None = None,
                 site_start: SiteStart | None = None, practice: bool = False) -> None:
        self.fullscreen_mode = fullscreen
        super().__init__()
        self.setWindowTitle("PAN Kiosk")
        if fullscreen:
            self.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
        self.setObjectName("main_window")
        self.controller = controller
        self.translators = translators
        self.allow_close = not fullscreen
        self._about = about
        self.appearance = Appearance(self.setStyleSheet)   # the window's style covers its overlays
        visit = controller.visit
        self.attract = AttractPage(translators, visit.languages, site_name)
        self.language_page = LanguagePage({c: translators(c).language for c in visit.languages})
        self.procedure_page = ProcedurePage(pack)
        self.paper_page = PaperOnlyPage()
        self.scanning = scanning
        self.scan_page = ScanPage(scanning) if scanning is not None else None
        self.step_pages: dict[StepKind, StepPage] = {
            StepKind.INFO: InfoPage(pack), StepKind.QUESTION: QuestionPage(pack),
            StepKind.CHECKLIST: ChecklistPage(pack, can_scan=scanning is not None, documents=visit.documents),
            StepKind.END: EndPage(pack),
            StepKind.DATE: DatePage(pack, today)}
        self.browser_step = browser if site_start is not None else None
        self._site_start = site_start
        for step_page in self.step_pages.values():
            step_page.site_label = (None if self.browser_step is None
                                    else OPEN_PRACTICE if practice else OPEN_SITE)
        self.stack = QStackedWidget()
        for page in self.pages():
            self.stack.addWidget(page)
        self._build_bars(site_name)
        layout = QVBoxLayout(self)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)   # never outgrow the screen
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.top_bar)
        layout.addWidget(self.stack, 1)
        self.keyboard = OnScreenKeyboard()
        self.keyboard.hide()
        layout.addWidget(self.keyboard)
        layout.addWidget(self.bottom_bar)
        self.idle_overlay = IdleOverlay(self)
        self.confirm_overlay = ConfirmFinishOverlay(self)
        self.help_overlay = HelpOverlay(self)
        self.out_of_service = OutOfServiceOverlay(self)
        self.printing, self._make_receipt = printing, make_receipt
        self.help_call = help_call
        self.print_overlay = PrintOverlay(self)
        self.read_aloud = ReadAloud(self, speech) if speech is not None else None
        if self.read_aloud is not None:
            self._top_row.insertWidget(1, self.read_aloud.button)
            layout.insertWidget(1, self.read_aloud.no_voice_bar)
        self._connect()
        self.render()

    def pages(self) -> list[Page]:
        scan = [self.scan_page] if self.scan_page is not None else []
        site = [self.browser_step] if self.browser_step is not None else []
        return [self.attract, self.language_page, self.procedure_page, self.paper_page, *scan, *site,
                *self.step_pages.values()]

    def _build_bars(self, site_name: str) -> None:
        self.top_bar = QFrame()
        self.top_bar.setProperty("role", "bar")
        top = QHBoxLayout(self.top_bar)
        top.setContentsMargins(24, 12, 24, 12)
        self.site_label = label("muted")
        self.site_label.setText(site_name)
        self.site_label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.site_label.setMinimumWidth(1)
        self.progress_label = label("muted", wrap=False)
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.language_button = button(name="nav_language")
        self.text_size_button = button(name="nav_text_size")
        self.contrast_button = button(name="nav_contrast")
        self.french_button = button(name="nav_french")
        self.french_button.setCheckable(True)
        for b in (self.language_button, self.text_size_button, self.contrast_button, self.french_button):
            b.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        rows = QVBoxLayout()
        first = self._top_row = QHBoxLayout()
        first.addWidget(self.site_label, 1)
        for b in (self.text_size_button, self.contrast_button, self.french_button, self.language_button):
            first.addWidget(b)
        second = QHBoxLayout()
        second.addWidget(self.progress_label)
        second.addWidget(self.progress, 1)
        rows.addLayout(first)
        rows.addLayout(second)
        top.addLayout(rows)
        self.bottom_bar = QFrame()
        self.bottom_bar.setProperty("role", "bar")
        bottom = QHBoxLayout(self.bottom_bar)
        bottom.setContentsMargins(24, 12, 24, 12)
        bottom.setSpacing(16)
        self.back_button = button(name="nav_back")
        self.help_button = WrapButton(name="nav_help")         # "Help is on the way" in long languages
        self.finish_button = WrapButton("danger", name="nav_finish")
        for b in (self.back_button, self.help_button, self.finish_button):
            bottom.addWidget(b)

    def _connect(self) -> None:
        c = self.controller
        self.attract.touched.connect(c.touch_start)
        self.language_page.language_chosen.connect(c.choose_language)
        self.procedure_page.procedure_chosen.connect(c.choose_procedure)
        for page in self.step_pages.values():
            page.next_requested.connect(c.next)
            page.site_requested.connect(c.open_site)
        self.step_pages[StepKind.QUESTION].answer_chosen.connect(c.choose)  # type: ignore[attr-defined]
        self.step_pages[StepKind.DATE].outcome_chosen.connect(c.choose)  # type: ignore[attr-defined]
        self.step_pages[StepKind.END].finish_requested.connect(self._on_end_finish_requested)  # type: ignore[attr-defined]
        self.step_pages[StepKind.END].reference_edited.connect(c.set_reference)  # type: ignore[attr-defined]
        QApplication.instance().focusChanged.connect(self._on_app_focus_changed)
        self.back_button.clicked.connect(c.back)
        self.help_button.clicked.connect(self._on_help_clicked)
        self.finish_button.clicked.connect(self._on_finish_clicked)
        self.language_button.clicked.connect(c.open_language_picker)
        self.text_size_button.clicked.connect(self.appearance.next_text_size)
        self.contrast_button.clicked.connect(self.appearance.toggle_contrast)
        self.french_button.toggled.connect(self._on_french_toggled)
        self.confirm_overlay.confirmed.connect(self._on_confirm_confirmed)
        self.confirm_overlay.cancelled.connect(self.confirm_overlay.hide)
        self.help_overlay.closed.connect(self.help_overlay.hide)
        if self.help_call is not None:
            self.help_overlay.call_requested.connect(self._on_help_call_requested)
            self.help_call.changed.connect(self._on_help_call_changed)
        self.idle_overlay.more_time_requested.connect(c.more_time)
        checklist = self.step_pages[StepKind.CHECKLIST]
        checklist.scan_requested.connect(c.open_scan)  # type: ignore[attr-defined]
        if self.scan_page is not None:
            self.scan_page.done.connect(c.back)
        self._connect_browser()
        end_page = self.step_pages[StepKind.END]
        end_page.print_requested.connect(self._on_end_print_requested)  # type: ignore[attr-defined]
        self.print_overlay.closed.connect(self.print_overlay.hide)
        if self.printing is not None:
            self.print_overlay.retry_requested.connect(self.printing.retry)
            p = self.printing
            p.started.connect(lambda: self.print_overlay.busy(self.tr, p.document))
            p.finished.connect(lambda path: self.print_overlay.done(self.tr, Path(path), p.document))
            p.failed.connect(lambda error: self.print_overlay.failed(self.tr, error, p.pdf, p.document))
        c.changed.connect(self.render)
        c.idle_warning.connect(self._on_controller_idle_warning)
        c.idle_cleared.connect(self.idle_overlay.hide)
        c.session_ended.connect(self._on_controller_session_ended)

    def _connect_browser(self) -> None:
        b = self.browser_step
        if b is None:
            return
        b.scan_requested.connect(self.controller.open_scan)
        b.typing_changed.connect(self._on_browser_typing_changed)
        if self.printing is not None:
            printing = self.printing
            b.print_requested.connect(lambda path: printing.print_document(Path(path)))

    # --- rendering -------------------------------------------------------------------------------
    @property
    def tr(self) -> Translator:
        return self.translators(self.controller.visit.language).with_source(self.french_button.isChecked())

    def _on_french_toggled(self, _checked: bool) -> None:
        self.render()

    def render(self) -> None:
        visit, tr = self.controller.visit, self.tr
        app = QApplication.instance()
        wanted = direction(tr.rtl)
        if app is not None and app.layoutDirection() != wanted:
            app.setLayoutDirection(wanted)
        self.setLayoutDirection(wanted)
        page = self._page_for(visit.screen)
        page.retranslate(tr)
        self.stack.setCurrentWidget(page)
        self._render_bars(tr)
        if visit.screen is Screen.OUT_OF_SERVICE:
            self.out_of_service.retranslate(tr)
            self.out_of_service.open()
        else:
            self.out_of_service.hide()

    def _page_for(self, screen: Screen) -> Page:
        visit = self.controller.visit
        if screen is Screen.STEP and visit.state is not None:
            page = self.step_pages[visit.state.step.kind]
            page.step, page.procedure = visit.state.step, visit.state.procedure
            return page
        if screen is Screen.SCAN and self.scan_page is not None and visit.scanning is not None:
            session = visit.sessions.current
            assert session is not None
            if self.scan_page.document is None or self.scan_page.document.id != visit.scanning:
                self.scan_page.open_document(visit.pack.documents[visit.scanning], session.directory)
            return self.scan_page
        if screen is Screen.SITE and self.browser_step is not None and visit.state is not None:
            return self._site_page(visit.state.procedure)
        return {Screen.LANGUAGE: self.language_page, Screen.PROCEDURE: self.procedure_page,
                Screen.PAPER_ONLY: self.paper_page}.get(screen, self.attract)

    def _site_page(self, procedure: Procedure) -> BrowserStep:
        """The browser step, opened on this procedure's site the first time (it then keeps the
        visitor's pages, log-in and all, until the wipe or another procedure)."""
        step, session = self.browser_step, self.controller.visit.sessions.current
        assert step is not None and self._site_start is not None and session is not None
        if not step.active or step.procedure is not procedure:
            url, guide = self._site_start(procedure)
            step.start_visit(procedure, session.directory, url, guide)
        return step

    def _render_bars(self, tr: Translator) -> None:
        visit = self.controller.visit
        visitor_screen = visit.screen not in (Screen.ATTRACT, Screen.OUT_OF_SERVICE)
        self.top_bar.setVisible(visitor_screen)
        self.bottom_bar.setVisible(visitor_screen)
        self.back_button.setText(tr.tr("Back"))
        arrow = QStyle.StandardPixmap.SP_ArrowRight if tr.rtl else QStyle.StandardPixmap.SP_ArrowLeft
        self.back_button.setIcon(self.style().standardIcon(arrow))
        self.back_button.setEnabled(visit.can_go_back)
        self.help_button.setText(self.help_call.button_text(tr) if self.help_call is not None
                                 else tr.tr("Help"))
        self.finish_button.setText(tr.tr("Finish"))
        self.language_button.setText(tr.tr("Language"))
        if self.read_aloud is not None:
            self.read_aloud.retranslate(tr)
        self.text_size_button.setText("\u2066A+\u2069")
        self.text_size_button.setAccessibleName(tr.tr("Larger text"))
        self.contrast_button.setText("◐")
        self.contrast_button.setAccessibleName(tr.tr("High contrast"))
        self.french_button.setText("FR")
        self.french_button.setAccessibleName(tr.tr("Show the French text too"))
        self.french_button.setVisible(visit.language != "fr")
        self.language_button.setVisible(visit.screen is not Screen.LANGUAGE)
        state = visit.state if visit.screen is Screen.STEP else None
        self.progress.setVisible(state is not None)
        self.progress_label.setVisible(state is not None)
        if state is not None:
            self.progress.setRange(0, state.total)
            self.progress.setValue(state.position)
            self.progress_label.setText(tr.tr("Step {current} of {total}", current=state.position,
                                              total=state.total))
        for overlay in (self.confirm_overlay, self.help_overlay):
            if overlay.isVisible():
                self._retranslate_overlays(tr)

    def _retranslate_overlays(self, tr: Translator) -> None:
        self.confirm_overlay.retranslate(tr)
        self.help_overlay.retranslate(tr, self._about)
        if self.help_call is not None:
            self.help_overlay.show_call(self.help_call.available, self.help_call.status_text(tr))

    # --- slots -----------------------------------------------------------------------------------
    def _on_app_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        """Show the keyboard while a text field has the focus, and keep that field in view."""
        typing = (isinstance(new, QLineEdit) and new.window() is self) or self._browser_typing(new)
        if typing and not self.keyboard.isVisible():
            self.keyboard.set_language(self.controller.visit.language)
        self.keyboard.setVisible(typing or (new is not None and self.keyboard.isAncestorOf(new)))
        if typing:
            QTimer.singleShot(0, lambda field=new: self._scroll_into_view(field))

    def _browser_typing(self, focus: QWidget | None) -> bool:
        b = self.browser_step
        return b is not None and b.typing and focus is not None and b.isAncestorOf(focus)

    def _on_browser_typing_changed(self, typing: bool) -> None:
        """A text field of the site got (or lost) the focus: the kiosk's keyboard types into it, in
        Latin letters first (the official site wants names and addresses as on the passport); the
        visitor's own script stays one key away. Chromium scrolls the field into view when the view
        shrinks above the keyboard (tests/ui/test_site_step.py checks it)."""
        if typing and not self.keyboard.isVisible():
            self.keyboard.set_language(self.controller.visit.language)
            self.keyboard.show_layout(keyboards.LATIN)
        self.keyboard.setVisible(typing)

    def _scroll_into_view(self, field: QWidget) -> None:
        parent = field.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        if parent is not None:
            parent.ensureWidgetVisible(field, 16, 16)

    def _on_end_print_requested(self) -> None:
        if self.printing is None or self._make_receipt is None:
            return
        data, directory = self._make_receipt()
        self.printing.print_receipt(data, directory)

    def _on_help_clicked(self) -> None:
        self._retranslate_overlays(self.tr)
        self.help_overlay.open()

    def _on_help_call_requested(self) -> None:
        if self.help_call is None:
            return
        visit = self.controller.visit
        step = None
        if visit.state is not None and visit.screen in (Screen.STEP, Screen.SITE, Screen.SCAN):
            where = {Screen.SITE: "site:", Screen.SCAN: "scan:"}.get(visit.screen, "")
            step = where + visit.state.step.id      # "site:docs": on the official site, from step docs
        self.help_call.call(step, visit.language)

    def _on_help_call_changed(self) -> None:
        tr = self.tr
        self._render_bars(tr)
        self._retranslate_overlays(tr)

    def _on_finish_clicked(self) -> None:
        self._retranslate_overlays(self.tr)
        self.confirm_overlay.open()

    def _on_end_finish_requested(self) -> None:
        self.controller.end(EndReason.FINISHED)

    def _on_confirm_confirmed(self) -> None:
        self.confirm_overlay.hide()
        self.controller.end(EndReason.FINISHED)

    def _on_controller_idle_warning(self, seconds: int, can_extend: bool) -> None:
        self.idle_overlay.update_view(self.tr, seconds, can_extend)
        if not self.idle_overlay.isVisible():
            self.idle_overlay.open()

    def _on_controller_session_ended(self, _report: object) -> None:
        for overlay in (self.idle_overlay, self.confirm_overlay, self.help_overlay):
            overlay.hide()
        self.print_overlay.reset()

    def reset_pages(self) -> None:
        """Wipe step: every page forgets the visitor, and the display goes back to its defaults."""
        self.french_button.setChecked(False)
        self.appearance.reset()
        self.keyboard.hide()
        for page in self.pages():
            page.reset()

    # --- kiosk behaviour -------------------------------------------------------------------------
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.keyboard.set_compact(self.width() > self.height())
        for overlay in self.findChildren(Overlay):
            overlay.setGeometry(self.rect())

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.allow_close:
            event.accept()
        else:
            event.ignore()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if getattr(self, "fullscreen_mode", False) and not self.isFullScreen() and self.isVisible():
            self.showFullScreen()
