"""The pages of the kiosk, one per screen and per step kind, and which one shows for the visit's
screen. The official site opens on the procedure the visitor is following, the first time it shows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import cast

from PySide6.QtWidgets import QStackedWidget

from kiosk.browser.policy import SiteGuide
from kiosk.browser.ui.step import BrowserStep
from kiosk.content.model import Pack, Procedure, StepKind
from kiosk.i18n import N_, Translator
from kiosk.scan.ui.page import ScanController, ScanPage
from kiosk.shell.ui.email_help import EmailHelpOffer
from kiosk.ui.page import Page
from kiosk.visit.session import EndReason
from kiosk.visit.ui.address_step import AddressPage
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
from kiosk.visit.visit import Screen, Visit

# Where the site opens for a procedure: the start address, and the guide that follows the visitor there
# (None: the procedure's own pages and glossary).
SiteStart = Callable[[Procedure], tuple[str, SiteGuide | None]]
BACK_TO_PROCEDURE = N_("I have finished: back to my procedure")     # the end of a side guide (open_guide)


class PageRouter:
    def __init__(self, visit: Visit, translators: Callable[[str], Translator], site_name: str,
                 today: Callable[[], dt.date], scanning: ScanController | None,
                 browser: BrowserStep | None, site_start: SiteStart | None, practice: bool,
                 demo: bool = False) -> None:
        pack: Pack = visit.pack
        self.visit = visit
        self.attract = AttractPage(translators, visit.languages, site_name, demo=demo,
                                   default=visit.default_language)
        self.language_page = LanguagePage({c: translators(c).language for c in visit.languages}, translators)
        self.procedure_page = ProcedurePage(pack)
        self.paper_page = PaperOnlyPage()
        self.scan_page = ScanPage(scanning) if scanning is not None else None
        self.info_page, self.question_page = InfoPage(pack), QuestionPage(pack)
        self.checklist_page = ChecklistPage(pack, can_scan=scanning is not None, documents=visit.documents)
        self.end_page, self.date_page = EndPage(pack), DatePage(pack, today)
        self.address_page = AddressPage(pack)        # the e-mail address guide's slip step
        self.step_pages: dict[StepKind, StepPage] = {
            StepKind.INFO: self.info_page, StepKind.QUESTION: self.question_page,
            StepKind.CHECKLIST: self.checklist_page, StepKind.END: self.end_page,
            StepKind.DATE: self.date_page, StepKind.ADDRESS: self.address_page}
        self.email_help = EmailHelpOffer()           # the site's sign-up pages offer the e-mail guide
        self.browser_step = browser if site_start is not None else None
        self._site_start = site_start
        for step_page in self.step_pages.values():
            step_page.site_label = (None if self.browser_step is None
                                    else OPEN_PRACTICE if practice else OPEN_SITE)
        self.stack = QStackedWidget()
        for page in self.pages():
            self.stack.addWidget(page)

    def connect(self, c: VisitController, print_receipt: Callable[[], None]) -> None:
        """Each page's intents go to the visit's controller (the end page's print to `print_receipt`)."""
        self.attract.touched.connect(c.touch_start)
        self.language_page.language_chosen.connect(c.choose_language)
        self.procedure_page.procedure_chosen.connect(c.choose_procedure)
        for page in self.step_pages.values():
            page.next_requested.connect(c.next)
            page.site_requested.connect(c.open_site)
        self.question_page.answer_chosen.connect(c.choose)
        self.date_page.outcome_chosen.connect(c.choose)
        self.end_page.finish_requested.connect(
            lambda: c.return_from_guide() if self.visit.in_side_guide else c.end(EndReason.FINISHED))
        self.address_page.address_changed.connect(c.set_email_address)
        self.end_page.reference_changed.connect(c.set_reference)
        self.end_page.print_requested.connect(print_receipt)
        self.checklist_page.scan_requested.connect(c.open_scan)
        if self.scan_page is not None:
            self.scan_page.done.connect(c.back)
        if self.browser_step is not None:
            self.browser_step.scan_requested.connect(c.open_scan)

    def pages(self) -> list[Page]:
        scan = [self.scan_page] if self.scan_page is not None else []
        site = [self.browser_step] if self.browser_step is not None else []
        return [self.attract, self.language_page, self.procedure_page, self.paper_page, *scan, *site,
                *self.step_pages.values()]

    def show(self, tr: Translator) -> Page:
        """Show the page of the visit's screen, translated."""
        page = self.page_for(self.visit.screen)
        page.retranslate(tr)
        if page is self.end_page and self.visit.in_side_guide:
            self.end_page.finish_button.setText(tr.tr(BACK_TO_PROCEDURE))
        self.stack.setCurrentWidget(page)
        return page

    def current_page(self) -> Page:
        """The page on screen."""
        return cast(Page, self.stack.currentWidget())     # the stack holds pages only (see __init__)

    def page_for(self, screen: Screen) -> Page:
        visit = self.visit
        if screen is Screen.STEP and visit.state is not None:
            page = self.step_pages[visit.state.step.kind]
            page.step, page.procedure = visit.state.step, visit.state.procedure
            page.answers = visit.state.answers                  # the costs of the visitor's answers
            if page is self.address_page:
                self.address_page.show_address(visit.email_address)
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
        step, session = self.browser_step, self.visit.sessions.current
        assert step is not None and self._site_start is not None and session is not None
        if not step.active or step.procedure is not procedure:
            url, guide = self._site_start(procedure)
            step.start_visit(procedure, session.directory, url, guide)
            self.email_help.follow(step)
        return step

    def reset(self) -> None:
        for page in self.pages():
            page.reset()
        self.email_help.reset()
