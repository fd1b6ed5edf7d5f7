"""The main window: a top bar, the page stack, the keyboard, a bottom bar, and the overlays. Nothing else.

Renders whatever the VisitController says the screen is; every button only calls the controller.
The pages and which one shows are the router's (router.py), the bars render themselves (bars.py), the
keyboard follows the focus on its own (keyboard_dock.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QLocale
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QApplication, QLayout, QVBoxLayout, QWidget

from kiosk.browser.ui.step import BrowserStep
from kiosk.content.model import Pack
from kiosk.i18n import Translator
from kiosk.mediator.ui.help_call import HelpCall
from kiosk.printing.ui import PrintController, PrintOverlay
from kiosk.receipts.model import ReceiptData
from kiosk.scan.ui.page import ScanController
from kiosk.shell.ui.activity import ActivityWatch, set_locale
from kiosk.shell.ui.bars import BottomBar, TopBar
from kiosk.shell.ui.email_help import EMAIL_GUIDE, OFFER
from kiosk.shell.ui.focus import ScreenFocus
from kiosk.shell.ui.keyboard_dock import KeyboardDock
from kiosk.shell.ui.router import PageRouter, SiteStart
from kiosk.speech.engines import Speech
from kiosk.speech.ui import ReadAloud
from kiosk.ui.accessibility import announce
from kiosk.ui.kiosk_window import KioskWindow
from kiosk.ui.overlays import ConfirmFinishOverlay, HelpOverlay, IdleOverlay, OutOfServiceOverlay, Overlay
from kiosk.ui.page import Page
from kiosk.ui.theme import Appearance
from kiosk.ui.widgets import direction
from kiosk.visit.session import EndReason
from kiosk.visit.ui.controller import VisitController
from kiosk.visit.visit import Screen


class MainWindow(KioskWindow):
    def __init__(self, controller: VisitController, pack: Pack, translators: Callable[[str], Translator],
                 site_name: str, about: str, fullscreen: bool,
                 today: Callable[[], dt.date] = dt.date.today,
                 printing: PrintController | None = None,
                 make_receipt: Callable[[], tuple[ReceiptData, Path]] | None = None,
                 scanning: ScanController | None = None, help_call: HelpCall | None = None,
                 speech: Speech | None = None, browser: BrowserStep | None = None,
                 site_start: SiteStart | None = None, practice: bool = False, demo: bool = False) -> None:
        super().__init__(fullscreen)
        self.controller, self.translators, self.pack = controller, translators, pack
        self.about = about
        self.appearance = Appearance(self.setStyleSheet)   # the window's style covers its overlays
        self.scanning, self.printing, self.help_call = scanning, printing, help_call
        self._make_receipt = make_receipt
        self.router = r = PageRouter(controller.visit, translators, site_name, today, scanning, browser,
                                     site_start, practice, demo)
        self.attract, self.language_page, self.procedure_page = r.attract, r.language_page, r.procedure_page
        self.paper_page, self.scan_page, self.step_pages = r.paper_page, r.scan_page, r.step_pages
        self.browser_step, self.stack = r.browser_step, r.stack
        self.top_bar, self.bottom_bar = TopBar(site_name), BottomBar()
        self.keyboard_dock = KeyboardDock(self, lambda: controller.visit.language, self.browser_step)
        self.keyboard = self.keyboard_dock.keyboard
        layout = QVBoxLayout(self)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)   # never outgrow the screen
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        for widget, stretch in ((self.top_bar, 0), (self.stack, 1), (self.keyboard, 0), (self.bottom_bar, 0)):
            layout.addWidget(widget, stretch)
        self.idle_overlay = IdleOverlay(self)
        self.confirm_overlay = ConfirmFinishOverlay(self)
        self.help_overlay = HelpOverlay(self)
        self.out_of_service = OutOfServiceOverlay(self)
        self.print_overlay = PrintOverlay(self)
        self.read_aloud = ReadAloud(self, speech, controller.changed, self) if speech is not None else None
        if self.read_aloud is not None:
            self.top_bar.add_tool(self.read_aloud.button)
            layout.insertWidget(1, self.read_aloud.no_voice_bar)
        self.screen_focus = ScreenFocus(self.overlays)
        self._connect()
        self.update_view()

    def pages(self) -> list[Page]:
        return self.router.pages()

    def _connect(self) -> None:
        c, top, bottom = self.controller, self.top_bar, self.bottom_bar
        self.router.connect(c, print_receipt=self.print_receipt)
        bottom.back_button.clicked.connect(c.back)
        bottom.help_button.clicked.connect(self.open_help)
        bottom.finish_button.clicked.connect(self.open_finish_confirmation)
        bottom.email_button.clicked.connect(lambda: c.open_guide(EMAIL_GUIDE))
        self.router.email_help.changed.connect(lambda: self._render_bars(self.translator))
        top.language_button.clicked.connect(c.open_language_picker)
        top.text_size_button.clicked.connect(self.appearance.next_text_size)
        top.contrast_button.clicked.connect(self.appearance.toggle_contrast)
        top.french_button.toggled.connect(lambda _checked: self.update_view())
        self.confirm_overlay.confirmed.connect(self._on_confirm_confirmed)
        self.confirm_overlay.cancelled.connect(self.confirm_overlay.hide)
        self.help_overlay.closed.connect(self.help_overlay.hide)
        if self.help_call is not None:
            self.help_overlay.call_requested.connect(self._on_help_call_requested)
            self.help_call.changed.connect(self._on_help_call_changed)
        self.idle_overlay.more_time_requested.connect(c.more_time)
        if self.printing is not None:
            self.print_overlay.follow(self.printing, lambda: self.translator)
            self.printing.finished.connect(self._on_printing_ended)
            self.printing.failed.connect(self._on_printing_ended)
        c.changed.connect(self.update_view)
        c.idle_warning.connect(self._on_controller_idle_warning)
        c.idle_cleared.connect(self.idle_overlay.hide)
        c.session_ended.connect(self._on_controller_session_ended)
        self.activity = ActivityWatch(self, self.keyboard.key_pressed, c.user_input)   # AT actions too

    # --- rendering -------------------------------------------------------------------------------
    @property
    def translator(self) -> Translator:
        return self.translators(self.controller.visit.language).with_source(self.french_shown())

    def french_shown(self) -> bool:
        return self.top_bar.french_button.isChecked()

    def show_french(self, shown: bool) -> None:
        self.top_bar.french_button.setChecked(shown)

    def update_view(self) -> None:
        visit, tr = self.controller.visit, self.translator
        app = QApplication.instance()
        wanted = direction(tr.rtl)
        if isinstance(app, QApplication) and app.layoutDirection() != wanted:
            app.setLayoutDirection(wanted)
        self.setLayoutDirection(wanted)
        set_locale(self, QLocale(tr.language.locale))
        self.keyboard.retranslate(tr)
        page = self.router.show(tr)
        self._render_bars(tr)
        if visit.screen is Screen.OUT_OF_SERVICE:
            self.out_of_service.retranslate(tr)
            self.out_of_service.open()
        else:
            self.out_of_service.hide()
        state = visit.state if visit.screen is Screen.STEP else None
        screen = (visit.screen, state.step.id if state is not None else None)
        self.screen_focus.shown(page, screen, lambda title: title if state is None else tr.tr(
            "Step {current} of {total}: {title}", current=state.position, total=state.total, title=title))

    def _render_bars(self, tr: Translator) -> None:
        visit = self.controller.visit
        visitor_screen = visit.screen not in (Screen.ATTRACT, Screen.OUT_OF_SERVICE)
        self.top_bar.setVisible(visitor_screen)
        self.bottom_bar.setVisible(visitor_screen)
        self.top_bar.update_view(tr, visit)
        self.bottom_bar.update_view(tr, visit.can_go_back, self.help_call.button_text(tr)
                                    if self.help_call is not None else tr.tr("Help"))
        email_help = (visit.screen is Screen.SITE and self.router.email_help.offered
                      and EMAIL_GUIDE in self.pack.procedures)
        self.bottom_bar.show_email_help(tr.tr(OFFER) if email_help else None)
        if self.read_aloud is not None:
            self.read_aloud.retranslate(tr)
        if self.confirm_overlay.isVisible() or self.help_overlay.isVisible():
            self._retranslate_overlays(tr)

    def _retranslate_overlays(self, tr: Translator) -> None:
        self.confirm_overlay.retranslate(tr)
        self.help_overlay.retranslate(tr, self.about)
        if self.help_call is not None:
            self.help_overlay.show_call(self.help_call.available, self.help_call.status_text(tr))

    # --- what the visitor, a mediator or the screens tour can ask for ----------------------------
    def open_help(self) -> None:
        self._retranslate_overlays(self.translator)
        self.help_overlay.open()

    def open_finish_confirmation(self) -> None:
        self._retranslate_overlays(self.translator)
        self.confirm_overlay.open()

    def print_receipt(self) -> None:
        """The visit's receipt, made now and printed (the end page's button, a mediator's reprint)."""
        if self.printing is None or self._make_receipt is None:
            return
        data, directory = self._make_receipt()
        self.printing.print_receipt(data, directory)

    def long_press_targets(self) -> tuple[QWidget, ...]:
        """Where a mediator's long press opens the PIN pad: the terminal's name, on every screen."""
        return self.top_bar.site_label, self.attract.site_label

    # --- read-aloud's view of the screen (kiosk.speech.ui.ReadAloudHost) -------------------------
    def overlays(self) -> list[Overlay]:
        return self.findChildren(Overlay)

    def current_page(self) -> Page:
        return self.router.current_page()

    def visit_active(self) -> bool:
        return self.controller.visit.active

    def visit_language(self) -> str:
        return self.controller.visit.language

    # --- slots -----------------------------------------------------------------------------------
    def _on_help_call_requested(self) -> None:
        if self.help_call is not None:
            visit = self.controller.visit
            self.help_call.call(visit.where(), visit.language)

    def _on_help_call_changed(self) -> None:
        tr = self.translator
        self._render_bars(tr)
        self._retranslate_overlays(tr)

    def _on_printing_ended(self, _result: object) -> None:
        """The printing overlay changed its message without opening again: say the new one."""
        overlay = self.print_overlay
        if overlay.isVisible():
            announce(overlay, " ".join([overlay.accessible_title(), " ".join(overlay.text.text().split())]))

    def _on_confirm_confirmed(self) -> None:
        self.confirm_overlay.hide()
        self.controller.end(EndReason.FINISHED)

    def _on_controller_idle_warning(self, seconds: int, can_extend: bool) -> None:
        self.idle_overlay.update_view(self.translator, seconds, can_extend)
        if not self.idle_overlay.isVisible():
            self.idle_overlay.open()                 # an alert: announced (kiosk.ui.overlays)
            if self.read_aloud is not None:          # and said by the kiosk's voice, read-aloud on or off
                self.read_aloud.alert(lambda tr: IdleOverlay.sentences(tr, seconds, can_extend))

    def _on_controller_session_ended(self, _report: object) -> None:
        for overlay in (self.idle_overlay, self.confirm_overlay, self.help_overlay):
            overlay.hide()
        self.print_overlay.reset()

    def reset_pages(self) -> None:
        """Wipe step: every page forgets the visitor, and the display goes back to its defaults."""
        self.show_french(False)
        self.appearance.reset()
        self.keyboard.hide()
        self.router.reset()

    # --- kiosk behaviour -------------------------------------------------------------------------
    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt naming
        super().resizeEvent(event)
        self.keyboard.set_compact(self.width() > self.height())
        for overlay in self.findChildren(Overlay):
            overlay.setGeometry(self.rect())
