"""The browser step of the visitor's flow: the official site in the locked browser, beside the guide.

One self-contained page: the guide follows the page shown (`SiteGuide`), refusals and detours are
explained, uploads go through the kiosk's picker of this session's documents, downloads are listed,
shown by the kiosk and printable, a failing site gets a calm recovery screen, and "The site is not
working" makes a bilingual incident proof in the session directory. The page's JavaScript dialogs are
answered by the page at once and shown over the site in the kiosk's own overlay (`page_dialog`).

Signals:
    scan_requested(str doc_id)  the visitor chose to scan a missing document from the upload picker;
                                the page stays as it is for when they come back
    print_requested(str path)   a PDF of the session to print: a downloaded document, the page the site
                                asked to print (window.print()), or an incident proof
    incident_requested()        the visitor confirmed "The site is not working" (the proof follows
                                as print_requested)
    typing_changed(bool)        a text field of the page gained or lost the focus (show the keyboard)
    filed()                     a loaded page the guide knows as the site's filing confirmation
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QChildEvent, QEvent, QIODevice, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QPixmap, QResizeEvent
from PySide6.QtWidgets import QApplication, QBoxLayout, QStackedWidget, QWidget

from kiosk.browser.policy import GuideFollower, NavigationPolicy, Position, RefusalReason, SiteGuide, accepts
from kiosk.browser.ui.dialogs import DialogKind, PageDialogOverlay
from kiosk.browser.ui.guide_panel import PRACTICE, GuidePanel, page_text
from kiosk.browser.ui.mailbox import FROM_EMAILS, MailBar, Mailbox, offered
from kiosk.browser.ui.panels import DocumentViewer, Failure, FilePicker, IncidentOverlay, ProblemScreen
from kiosk.content.model import Pack, Procedure
from kiosk.i18n import N_, Translator, isolate
from kiosk.receipts.incident import incident_data, save_incident_proof
from kiosk.receipts.model import Bilingual, IncidentData, Site
from kiosk.ui.page import Page
from kiosk.ui.tasks import Tasks
from kiosk.ui.widgets import direction
from kiosk.visit.documents import PreparedDocuments

if TYPE_CHECKING:
    from kiosk.browser.ui.widget import LockedBrowser

log = logging.getLogger(__name__)

DocumentsProvider = Callable[[], PreparedDocuments]   # the current visitor's prepared documents
ERROR_JS = """(() => {
  for (const s of ['[role=alert]', '.fr-alert--error', '.alert-danger', '.errors', '.error', 'h1']) {
    const e = document.querySelector(s);
    if (e && e.innerText.trim()) return e.innerText.trim().slice(0, 600);
  }
  return '';
})()"""
OUTSIDE = N_("A page outside the procedure")
SITE = N_("The official site")
SCREENSHOT_WIDTH = 1280
WATCHED_EVENTS = (QEvent.Type.InputMethodQuery, QEvent.Type.FocusIn, QEvent.Type.FocusOut,
                  QEvent.Type.MouseButtonRelease, QEvent.Type.TouchEnd)


class _TypingWatch(QObject):
    """Tells when a text field of the page has the focus: Chromium enables input methods on its
    render widget exactly then (and asks the input method about it, which is what this watches), except
    in a password field, where input methods stay off and the hints say ImhHiddenText."""

    def __init__(self, changed: Callable[[bool], None]) -> None:
        super().__init__()
        self._changed = changed
        self.typing = False
        self._view: QWidget | None = None

    def watch(self, view: QWidget | None) -> None:
        self._view = view
        if view is not None:
            view.installEventFilter(self)
            for child in view.findChildren(QWidget):
                child.installEventFilter(self)
        self._check()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt naming
        kind = event.type()
        if kind == QEvent.Type.ChildAdded and isinstance(event, QChildEvent) and event.child().isWidgetType():
            event.child().installEventFilter(self)
        elif kind in WATCHED_EVENTS:
            QTimer.singleShot(0, self._check)
        return False

    def _check(self) -> None:
        focus = QApplication.focusWidget()
        view = self._view
        typing = (view is not None and focus is not None and view.isAncestorOf(focus)
                  and (focus.testAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled)
                       or bool(focus.inputMethodHints() & Qt.InputMethodHint.ImhHiddenText)))
        if typing != self.typing:
            self.typing = typing
            self._changed(typing)


class BrowserStep(Page):
    scan_requested = Signal(str)
    print_requested = Signal(str)
    incident_requested = Signal()
    typing_changed = Signal(bool)
    filed = Signal()

    def __init__(self, translators: Callable[[str], Translator], pack: Pack, policy: NavigationPolicy,
                 documents: DocumentsProvider, *, tasks: Tasks,
                 render_incident: Callable[[IncidentData], bytes], site: Site,
                 clock: Callable[[], dt.datetime] = dt.datetime.now, hang_timeout_ms: int = 15000,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("browser_step")
        self._translators, self.pack, self._documents = translators, pack, documents
        self._tasks, self._render_incident, self._site, self._clock = tasks, render_incident, site, clock
        self._tr: Translator | None = None
        self.procedure: Procedure | None = None
        self.session_dir: Path | None = None
        self.follower: GuideFollower | None = None
        self.failed_url = ""
        self._filed_url = ""
        self._generation = 0               # results of an ended visit are dropped
        self._shot: QPixmap | None = None
        self._pending_print: Path | None = None
        self._policy, self._hang_timeout_ms = policy, hang_timeout_ms
        self._browser: LockedBrowser | None = None      # made when the site is first opened (below)
        self.guide = GuidePanel()
        self.problem = ProblemScreen()
        self.site_stack = QStackedWidget()
        self.site_stack.addWidget(self.problem)
        # The visitor's mailbox (kiosk.browser.ui.mailbox): a second view in the stack, the site's kept.
        self.mailbox = Mailbox(policy, offered(policy))
        self.mail_bar = MailBar()
        self.mail_bar.setVisible(bool(self.mailbox.chooser.webmails))
        self.site_stack.addWidget(self.mailbox)
        guide_column = self.guide.layout()
        assert isinstance(guide_column, QBoxLayout)
        guide_column.insertWidget(0, self.mail_bar)       # at the top of the guide, beside the site
        self._box = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self._box.setContentsMargins(0, 0, 0, 0)
        self._box.setSpacing(0)
        self._box.addWidget(self.guide)
        self._box.addWidget(self.site_stack, 1)
        self.page_dialog = PageDialogOverlay(self, self.site_stack)   # made before the overlays below:
        self._picker: FilePicker | None = None                         # it stays under them
        self.viewer = DocumentViewer(self)
        self.incident = IncidentOverlay(self)
        self._typing = _TypingWatch(self.typing_changed.emit)
        self._connect()

    @property
    def browser(self) -> LockedBrowser:
        """The locked browser, made on first use: QtWebEngine (about 180 ms to import and 40 MB) is
        loaded when a visitor first opens the site, not when the kiosk starts."""
        if self._browser is None:
            from kiosk.browser.ui.widget import LockedBrowser

            self._browser = LockedBrowser(self._policy, hang_timeout_ms=self._hang_timeout_ms)
            self.site_stack.insertWidget(0, self._browser)
            self.site_stack.setCurrentWidget(self._browser)
            self._connect_browser(self._browser)
        return self._browser

    def _connect_browser(self, b: LockedBrowser) -> None:
        g = self.guide
        b.url_changed.connect(self._on_browser_url_changed)
        b.page_loaded.connect(self._on_browser_page_loaded)
        b.route_changed.connect(self._locate)
        b.navigation_refused.connect(self._on_browser_navigation_refused)
        b.download_finished.connect(lambda path: g.add_download(Path(path)))
        b.print_requested.connect(self._on_browser_print_requested)
        b.pdf_saved.connect(self._on_browser_pdf_saved)
        b.renderer_crashed.connect(lambda: self._show_problem(Failure.CRASH, ""))
        b.load_failed.connect(self._on_browser_load_failed)
        b.dialog_answered.connect(self._on_browser_dialog_answered)
        b.dialogs_suppressed.connect(lambda: self.page_dialog.show_keeps_asking(self.translator))

    def _connect(self) -> None:
        g = self.guide
        g.back_requested.connect(self.back_to_path)
        g.incident_requested.connect(self._on_incident_clicked)
        g.show_requested.connect(lambda path: self.viewer.show_file(self.translator, Path(path)))
        g.print_requested.connect(self.print_requested)
        self.problem.reload_requested.connect(self.reload)
        self.problem.incident_requested.connect(self._on_incident_clicked)
        self.viewer.print_requested.connect(self._on_viewer_print_requested)
        self.viewer.closed.connect(self.viewer.reset)
        self.incident.consent_given.connect(self._on_incident_consent_given)
        self.incident.cancelled.connect(self._on_incident_cancelled)
        self.page_dialog.closed.connect(self.page_dialog.reset)
        self.page_dialog.yes_requested.connect(self._on_page_dialog_yes_requested)
        self.mail_bar.open_requested.connect(self.show_mailbox)
        self.mail_bar.back_requested.connect(self.show_site)
        self.mail_bar.other_requested.connect(self._on_mail_bar_other_requested)
        self.mailbox.site_link_opened.connect(self._on_mailbox_site_link_opened)
        self.mailbox.currentChanged.connect(lambda _i: self.mail_bar.show_mailbox(self.mailbox.choosing)
                                            if self.mail_bar.showing_mailbox else None)

    # --- visit lifecycle -------------------------------------------------------------------------

    @property
    def active(self) -> bool:
        return self.follower is not None

    @property
    def typing(self) -> bool:
        """A text field of the page has the focus (the kiosk's keyboard should show)."""
        return self._typing.typing

    @property
    def translator(self) -> Translator:
        return self._tr if self._tr is not None else self._translators("fr")

    def start_visit(self, procedure: Procedure | None, session_dir: Path, start_url: str,
                    guide: SiteGuide | None = None) -> None:
        """A fresh off-the-record profile for this visitor, downloads into `session_dir`, and the site
        opened at `start_url`. Without `guide`, the procedure's pages and glossary guide the visitor."""
        if guide is None:
            if procedure is None:
                raise ValueError("a procedure or a guide is needed")
            guide = SiteGuide.for_procedure(procedure, self.pack.site)
        self.reset()
        self.procedure, self.session_dir = procedure, session_dir
        self.follower = GuideFollower(guide, start_url)
        self.guide.set_practice(guide.practice)
        self.browser.new_visitor(session_dir)
        self.browser.set_file_provider(self._pick_files)
        self.mailbox.prepare(self.browser.profile, session_dir)
        self._typing.watch(self.browser.view)
        self.browser.load(start_url)

    def retranslate(self, tr: Translator) -> None:
        self._tr = tr
        self.setLayoutDirection(direction(tr.rtl))
        self.guide.retranslate(tr)
        self.problem.retranslate(tr)
        self.mail_bar.retranslate(tr)
        self.mailbox.retranslate(tr)
        if self.viewer.isVisible():
            self.viewer.retranslate(tr)
        if self.incident.isVisible():
            self.incident.retranslate(tr)
        if self.page_dialog.isVisible():
            self.page_dialog.retranslate(tr)

    def reset(self) -> None:
        """Wipe step: the visitor's profile (cookies, storage, cache, history) is destroyed and every
        trace on screen forgotten. Files in the session directory go with it (SessionManager)."""
        self._generation += 1
        self._filed_url = ""
        self._typing.watch(None)
        if self._picker is not None:
            self._picker.reject()        # the end of the visit came while it was open (idle timeout)
        self.page_dialog.reset()
        self.mailbox.wipe()                # its page lives in the profile the browser's wipe deletes
        self.mail_bar.show_site()
        if self._browser is not None:
            self._browser.wipe()
        self.procedure = self.session_dir = self.follower = None
        self.failed_url = ""
        self._shot = self._pending_print = None
        self.guide.clear()
        self.problem.clear()
        if self._browser is not None:
            self.site_stack.setCurrentWidget(self._browser)
        self.viewer.reset()
        self.incident.reset()

    def is_empty(self) -> bool:
        no_view = self._browser is None or self._browser.view is None
        return (no_view and self.follower is None and self.guide.is_empty()
                and self.viewer.path is None and self._shot is None and not self.page_dialog.entries
                and self._picker is None and self.mailbox.is_empty())

    # --- navigation ------------------------------------------------------------------------------

    def back_to_path(self) -> None:
        """Back to the last page of the procedure (or the start page)."""
        if self.follower is not None:
            self.browser.load(self.follower.return_url)

    def show_mailbox(self) -> None:
        """The visitor's mailbox in place of the site (whose page stays as it is, behind)."""
        if self.mailbox.browser is not None and self.mailbox.current is not None:
            self.mailbox.setCurrentWidget(self.mailbox.browser)
        self.site_stack.setCurrentWidget(self.mailbox)
        self.mail_bar.show_mailbox(self.mailbox.choosing)

    def show_site(self) -> None:
        """Back to the site's view, at the page the visitor left (never reloaded)."""
        self.mail_bar.show_site()
        shown = self.problem if self.failed_url else self.browser
        self.site_stack.setCurrentWidget(shown)

    def _on_mail_bar_other_requested(self) -> None:
        self.mailbox.choose()
        self.mail_bar.show_mailbox(True)

    def _on_mailbox_site_link_opened(self, url: str) -> None:
        """A link of the official site in a message: the site's view opens it (the mailbox is kept)."""
        self.show_site()
        self.browser.load(url)

    def reload(self) -> None:
        self.mail_bar.show_site()
        self.site_stack.setCurrentWidget(self.browser)
        url = self.failed_url or self.browser.url() or (self.follower.return_url if self.follower else "")
        self.failed_url = ""
        if url:
            self.browser.load(url)

    def _locate(self, url: str, heading: str) -> None:
        if self.follower is not None:
            position = self.follower.page_loaded(url, heading)
            self.guide.set_position(position)
            if position.page is not None and position.page.confirms_filing and heading \
                    and self._filed_url != url:
                self._filed_url = url        # once per page: its load and its route watcher both report it
                self.filed.emit()            # the site's own page says the request is filed

    def _on_browser_url_changed(self, url: str) -> None:
        self._locate(url, "")

    def _on_browser_page_loaded(self, url: str, heading: str) -> None:
        self.guide.set_refusal(None)
        self._locate(url, heading)

    def _on_browser_navigation_refused(self, _url: str, reason: str) -> None:
        self.guide.set_refusal(RefusalReason(reason))

    def _on_browser_load_failed(self, url: str, error: str) -> None:
        self.failed_url = url
        self._show_problem(Failure.LOAD, error)

    def _show_problem(self, failure: Failure, detail: str) -> None:
        self.problem.show_failure(failure, detail)
        self.problem.retranslate(self.translator)
        if self.site_stack.currentWidget() is not self.mailbox:   # shown at "Back to the site" (show_site)
            self.site_stack.setCurrentWidget(self.problem)

    # --- files and printing ----------------------------------------------------------------------

    def _pick_files(self, accept: list[str]) -> list[str]:
        """Chromium's file chooser: the kiosk's picker (modal: Chromium waits for its answer)."""
        tr, documents = self.translator, self._documents()
        ready = {doc: (tr.content(self.pack.documents[doc].name) if doc in self.pack.documents
                       else file.path.name, file.path)
                 for doc, file in documents.ready().items() if accepts(file.path, accept)}
        attachments = set(self.mailbox.attachments)         # beside the scans: what came from the mailbox
        for n, path in enumerate(self.guide.downloads, 1):
            if path in attachments and path.is_file() and accepts(path, accept):
                ready[f"mail-{n}"] = (tr.tr(FROM_EMAILS, name=isolate(path.name)), path)
        picker = self._picker = FilePicker(self, tr, ready, self._missing(tr, documents))
        try:
            chosen = picker.choose()
        finally:
            self._picker = None
        if picker.scan is not None:
            doc = picker.scan
            QTimer.singleShot(0, lambda: self.scan_requested.emit(doc))   # after Chromium got its answer
        picker.deleteLater()
        return chosen

    def _missing(self, tr: Translator, documents: PreparedDocuments) -> list[tuple[str, str]]:
        if self.procedure is None:
            return []
        return [(doc, tr.content(self.pack.documents[doc].name)) for doc in documents.missing(self.procedure)
                if doc in self.pack.documents]

    def _on_browser_print_requested(self) -> None:
        if self.session_dir is None or self._pending_print is not None:
            return
        self._pending_print = _unique(self.session_dir, "printed-page", ".pdf")
        self.browser.print_to_pdf(self._pending_print)

    def _on_browser_pdf_saved(self, path: str, ok: bool) -> None:
        pending, self._pending_print = self._pending_print, None
        if pending is not None and Path(path) == pending:
            if ok:
                self.print_requested.emit(path)
            else:
                log.warning("the page could not be saved for printing")

    # --- the page's dialogs (kiosk.browser.ui.dialogs) -------------------------------------------

    def _on_browser_dialog_answered(self, kind: str, message: str, accepted: bool) -> None:
        if kind == DialogKind.CONFIRM and accepted:
            return                # the visitor's own "Answer yes": nothing more to show
        self.page_dialog.add(self.translator, DialogKind(kind), message)

    def _on_page_dialog_yes_requested(self, message: str) -> None:
        self.browser.answer_yes_next_time(message)
        self.page_dialog.forget(message)

    def _on_viewer_print_requested(self, path: str) -> None:
        self.viewer.reset()
        self.print_requested.emit(path)

    # --- incident proof --------------------------------------------------------------------------

    def _on_incident_clicked(self) -> None:
        shown = self.site_stack.currentWidget()                 # the view or the problem screen
        self._shot = shown.grab() if shown is not None else QPixmap()   # before the overlay covers it
        self.incident.ask(self.translator, self._shot)

    def _on_incident_cancelled(self) -> None:
        self._shot = None
        self.incident.reset()

    def _on_incident_consent_given(self, with_screenshot: bool) -> None:
        shot, self._shot = self._shot, None
        png = _png(shot) if with_screenshot and shot is not None else None
        self.incident_requested.emit()
        self.incident.busy(self.translator)
        generation = self._generation
        if self.site_stack.currentWidget() is self.problem:
            self._make_proof(generation, png, self.failed_url or self.browser.url(), self.problem.detail_text)
            return
        url = self.browser.url()
        answered: list[bool] = []

        def with_error(text: object) -> None:
            if not answered:
                answered.append(True)
                self._make_proof(generation, png, url, str(text or ""))

        self.browser.run_js(ERROR_JS, with_error)
        QTimer.singleShot(1500, lambda: with_error(""))         # a hung page does not block the proof

    def _make_proof(self, generation: int, png: bytes | None, url: str, error: str) -> None:
        directory = self.session_dir
        if generation != self._generation or directory is None:
            return
        data = self._incident_data(url, error, png)
        render = self._render_incident

        def done(path: Path) -> None:
            if generation == self._generation:
                self.incident.reset()
                self.print_requested.emit(str(path))

        def failed(exc: BaseException) -> None:
            if generation == self._generation:
                log.error("incident proof failed: %s", type(exc).__name__)
                self.incident.failed(self.translator)

        self._tasks.run(lambda: save_incident_proof(render, data, directory), done, failed)

    def _incident_data(self, url: str, error: str, png: bytes | None) -> IncidentData:
        tr, fr = self._translators(self.translator.code), self._translators("fr")
        if self.procedure is not None:
            procedure = Bilingual(tr.content(self.procedure.title), fr.content(self.procedure.title))
        else:
            procedure = Bilingual(tr.tr(PRACTICE), fr.tr(PRACTICE))
        return incident_data(
            site=self._site, language=tr.code, when=self._clock(), procedure=procedure,
            step=self._step_names(tr, fr, self.guide.position), address=url, error_text=error,
            content_version=f"{self.pack.version} ({self.pack.short_hash})", screenshot_png=png)

    @staticmethod
    def _step_names(tr: Translator, fr: Translator, position: Position | None) -> Bilingual:
        page = position.page if position is not None else None
        if page is not None:
            return Bilingual(page_text(tr, page, page.title), page_text(fr, page, page.title))
        msgid = OUTSIDE if position is not None and not position.on_path else SITE
        return Bilingual(tr.tr(msgid), fr.tr(msgid))

    # --- layout ----------------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt naming
        super().resizeEvent(event)
        window = self.window().size()
        landscape = window.width() >= window.height()
        size = self.size()
        if landscape:
            self._box.setDirection(QBoxLayout.Direction.LeftToRight)   # mirrored in right-to-left
            self.guide.setMaximumHeight(16777215)
            self.guide.setFixedWidth(max(420, min(640, size.width() * 3 // 10)))
        else:
            self._box.setDirection(QBoxLayout.Direction.TopToBottom)
            self.guide.setMinimumWidth(0)
            self.guide.setMaximumWidth(16777215)
            self.guide.setMaximumHeight(max(360, size.height() * 38 // 100))
        for overlay in (self.viewer, self.incident):
            overlay.setGeometry(self.rect())


def _png(pixmap: QPixmap) -> bytes:
    if pixmap.width() > SCREENSHOT_WIDTH:
        pixmap = pixmap.scaledToWidth(SCREENSHOT_WIDTH, Qt.TransformationMode.SmoothTransformation)
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # A screenshot is opaque: without the alpha channel the proof embeds one image, not image + mask.
    image = pixmap.toImage().convertToFormat(QImage.Format.Format_RGB888)
    # PySide6 takes the format as a str: its stubs say bytes, which it refuses at run time.
    image.save(buffer, "PNG")  # type: ignore[call-overload]
    return bytes(buffer.data().data())


def _unique(directory: Path, stem: str, suffix: str) -> Path:
    n = 1
    while (directory / f"{stem}-{n}{suffix}").exists():
        n += 1
    return directory / f"{stem}-{n}{suffix}"
