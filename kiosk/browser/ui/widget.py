"""LockedBrowser: the official site in a locked view, one off-the-record profile per visitor."""

from __future__ import annotations

import json
import logging
import os
import signal
import time
from collections.abc import Callable
from pathlib import Path

import shiboken6
from PySide6.QtCore import QObject, QTimer, QUrl, Signal
from PySide6.QtGui import QContextMenuEvent, QPixmap
from PySide6.QtWebEngineCore import (
    QWebEngineDownloadRequest,
    QWebEngineLoadingInfo,
    QWebEnginePage,
    QWebEngineProfile,
    QWebEngineScript,
)
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.browser.gate import install as install_gate
from kiosk.browser.policy import NavigationPolicy, address_for_report, devtools_exposed, safe_download_name
from kiosk.browser.ui.guard import InputGuard
from kiosk.browser.ui.interceptor import RequestFilter
from kiosk.browser.ui.page import NO_WEBRTC_JS, ROUTE_WATCH_JS, FileProvider, LockedPage, new_profile

log = logging.getLogger(__name__)

APP_WORLD = QWebEngineScript.ScriptWorldId.ApplicationWorld.value
MAIN_WORLD = QWebEngineScript.ScriptWorldId.MainWorld.value
# The page's heading as the guide reads it: its first <h1> and, on a page with tabs, the selected tab's
# label on the next line (the portal shows some procedures as a tab of the personal space, DSFR tabs:
# role=tab, aria-selected; site.toml naturalisation_tab)
HEADING_JS = """(() => {
  const h = document.querySelector('h1');
  const t = document.querySelector('[role=tab][aria-selected=true]');
  return [h ? h.innerText.trim() : '', t ? t.innerText.trim() : ''].filter(Boolean).join('\\n');
})()"""
ROUTE_JS = f"JSON.stringify([location.href, {HEADING_JS}])"    # address and heading, read together
Status = QWebEngineLoadingInfo.LoadStatus
WindowType = QWebEnginePage.WebWindowType


def route_watcher() -> QWebEngineScript:
    """The watcher of a single-page app's route and heading, in the kiosk's isolated world."""
    script = QWebEngineScript()
    script.setName("pan-kiosk-route-watch")
    script.setSourceCode(ROUTE_WATCH_JS)
    script.setWorldId(APP_WORLD)
    script.setInjectionPoint(QWebEngineScript.InjectionPoint.DocumentReady)
    script.setRunsOnSubFrames(False)
    return script


def no_webrtc() -> QWebEngineScript:
    """WebRTC removed from the page's own world (and its frames) before any of its scripts runs."""
    script = QWebEngineScript()
    script.setName("pan-kiosk-no-webrtc")
    script.setSourceCode(NO_WEBRTC_JS)
    script.setWorldId(MAIN_WORLD)
    script.setInjectionPoint(QWebEngineScript.InjectionPoint.DocumentCreation)
    script.setRunsOnSubFrames(True)
    return script


class _View(QWebEngineView):
    """No context menu, no new windows."""

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 - Qt naming
        event.accept()

    # Qt's stubs want a view returned; Qt itself takes None (nullptr) as "no window".
    def createWindow(self, _type: WindowType) -> QWebEngineView | None:  # type: ignore[override]  # noqa: N802
        return None


class LockedBrowser(QWidget):
    """The locked browser view of the visitor's flow.

    Call `new_visitor(download_dir)` when a visitor's session starts and `wipe()` when it ends: each
    visitor gets a fresh off-the-record profile, destroyed (with its cookies, storage and cache) at
    the wipe. Uploads go through `set_file_provider`; downloads land in `download_dir` only.

    Signals:
        url_changed(str url): the address shown changed.
        page_loaded(str url, str heading): a page finished loading; heading is its first <h1> text.
        route_changed(str url, str heading): the address or the heading changed without a load (a
            single-page app's route: hashchange, pushState and a DOM swap).
        navigation_refused(str url, str reason): a navigation or popup was refused; reason is a
            kiosk.browser.policy.RefusalReason value (explain it with REFUSAL_MESSAGES).
        popup_redirected(str url): a popup to an allowed address was opened in this view instead.
        download_finished(str path): a download was saved (in the session directory).
        download_refused(str name): a download was refused (no session directory, or a page save).
        print_requested(): the page called window.print(); the kiosk's own print flow takes over.
        pdf_saved(str path, bool ok): print_to_pdf() finished.
        renderer_crashed(): the page's renderer died or hung; the page is being reloaded.
        load_failed(str url, str error): a page failed to load (network, server, certificate).
        dialog_answered(str kind, str message, bool accepted): the page opened a JavaScript dialog and
            was answered at once (kiosk.browser.ui.dialogs); show `message` inside the kiosk.
        dialogs_suppressed(): the page keeps opening dialogs: they are dropped from now on.
    """

    url_changed = Signal(str)
    page_loaded = Signal(str, str)
    route_changed = Signal(str, str)
    navigation_refused = Signal(str, str)
    popup_redirected = Signal(str)
    download_finished = Signal(str)
    download_refused = Signal(str)
    print_requested = Signal()
    pdf_saved = Signal(str, bool)
    renderer_crashed = Signal()
    load_failed = Signal(str, str)
    dialog_answered = Signal(str, str, bool)
    dialogs_suppressed = Signal()
    page_class: type[LockedPage] = LockedPage     # a second view's own rules (kiosk.browser.ui.mailbox)

    def __init__(self, policy: NavigationPolicy, parent: QWidget | None = None, *,
                 popups_in_same_view: bool = True, hang_timeout_ms: int = 15000,
                 accept_language: str = "fr-FR,fr;q=0.9",
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(parent)
        if devtools_exposed():
            log.error("QTWEBENGINE remote debugging is enabled in the environment: devtools are exposed")
        self.policy = policy
        self._gate_pass = install_gate().admit(policy)   # every connection: kiosk.browser.gate
        self._popups_in_same_view = popups_in_same_view
        self._accept_language = accept_language
        self._clock = clock                      # paces the page's dialogs (DialogLimiter)
        self._file_provider: FileProvider = lambda _accept: []
        self._download_dir: Path | None = None
        self._shared_profile = False              # new_visitor(profile=…): another browser owns the profile
        self._profile: QWebEngineProfile | None = None
        self._page: LockedPage | None = None
        self.guard = InputGuard(self)
        self.view: QWebEngineView | None = None      # one view per visitor, created by new_visitor()
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._hang_timeout_ms = hang_timeout_ms
        self._probe_pending = False
        self._watchdog = QTimer(self)
        self._watchdog.setInterval(max(hang_timeout_ms, 100))
        self._watchdog.timeout.connect(self._on_watchdog_timeout)

    # --- visitor lifecycle --------------------------------------------------------------------------

    @property
    def profile(self) -> QWebEngineProfile | None:
        return self._profile

    @property
    def page(self) -> LockedPage | None:
        return self._page

    def new_visitor(self, download_dir: Path | None = None, profile: QWebEngineProfile | None = None) -> None:
        """Destroy the previous visitor's profile and start a fresh off-the-record one. With `profile`, a
        second view in another browser's profile (the visitor's mailbox): that browser owns it (filter,
        downloads, deletion) and this one must be wiped before it."""
        self.wipe()
        self._download_dir = download_dir
        self._shared_profile = profile is not None
        if profile is None:
            profile = new_profile(self, self._accept_language)
            self._request_filter = RequestFilter(self.policy)   # held here: neither Qt nor a parent keeps it
            profile.setUrlRequestInterceptor(self._request_filter)   # sub-requests follow the allow-list too
            self.blocked_requests = self._request_filter.blocked   # this visitor's refused requests, per host
            profile.downloadRequested.connect(self._on_profile_download_requested)
        page = self.page_class(profile, self.policy, self._popups_in_same_view, self._provide_files, profile,
                               clock=self._clock)
        page.dialog_answered.connect(self.dialog_answered)
        page.dialogs_suppressed.connect(self.dialogs_suppressed)
        page.navigation_refused.connect(self.navigation_refused)
        page.popup_redirected.connect(self.popup_redirected)
        page.print_requested.connect(self.print_requested)
        page.pdfPrintingFinished.connect(self.pdf_saved)
        page.certificate_refused.connect(self.load_failed)
        page.urlChanged.connect(lambda url: self.url_changed.emit(url.toString()))
        page.loadingChanged.connect(self._on_page_loading_changed)
        page.route_changed.connect(self._on_page_route_changed)
        page.scripts().insert(route_watcher())
        page.scripts().insert(no_webrtc())
        page.renderProcessTerminated.connect(self._on_page_render_process_terminated)
        self._profile, self._page = profile, page
        view = _View(self)
        view.setAcceptDrops(False)
        view.installEventFilter(self.guard)
        view.setPage(page)
        self._layout.addWidget(view)
        self.view = view
        self._probe_pending = False
        self._watchdog.start()

    def wipe(self) -> None:
        """End of session: the profile and everything it held in memory are destroyed."""
        self._watchdog.stop()
        page, profile, view = self._page, self._profile, self.view
        self._page = self._profile = self.view = None
        self._download_dir = None
        if view is not None:
            # The view goes too: a page-less QWebEngineView makes itself a default-profile page
            # as soon as it is shown or hidden.
            # before deleting the profile (or Qt warns it is still in use); Qt takes None (nullptr)
            # to detach the page, the stubs do not say so
            view.setPage(None)  # type: ignore[arg-type]
            self._layout.removeWidget(view)
            shiboken6.delete(view)
        # Deleted now, page first: the wipe is over when this returns (do not call it from a slot
        # connected to this browser's own signals: they are emitted by what is being deleted).
        if self._shared_profile:
            profile = None                          # another browser's: it deletes it
        for obj in (page, profile):
            if obj is not None:
                obj.blockSignals(True)
                shiboken6.delete(obj)

    def set_file_provider(self, provider: FileProvider) -> None:
        """`provider(accept_types) -> [paths]` replaces the file chooser (e.g. the kiosk's picker of
        the session's scanned documents). Only files inside the download directory are passed on."""
        self._file_provider = provider

    # --- navigation ---------------------------------------------------------------------------------

    def load(self, url: str) -> bool:
        """Open an address typed by the kiosk; refused ones (view-source:, javascript:…) never reach
        Chromium, which would otherwise unwrap or run them. Returns whether the load started."""
        if self._page is None:
            raise RuntimeError("no visitor profile: call new_visitor() first")
        refusal = self.policy.check(url)
        if refusal is not None:
            self.navigation_refused.emit(url, refusal.reason.value)
            return False
        self._page.setUrl(QUrl(url))
        return True

    def url(self) -> str:
        return self._page.url().toString() if self._page is not None else ""

    def answer_yes_next_time(self, message: str) -> None:
        """The visitor chose "yes" for the page's confirm question `message`: the next time the page
        asks it (within a couple of minutes), the kiosk answers yes."""
        if self._page is not None:
            self._page.approve(message)

    def address_for_report(self) -> str:
        """The current address without query string (for an incident report)."""
        return address_for_report(self.url())

    def run_js(self, script: str, callback: Callable[[object], None] | None = None,
               world: int = APP_WORLD) -> None:
        """Run a script, by default in the kiosk's own JavaScript world (the page's scripts do not see
        its variables; the DOM and storage are shared). JS arrays come back as '': JSON.stringify."""
        if self._page is not None:
            if callback is None:
                self._page.runJavaScript(script, world)
            else:
                self._page.runJavaScript(script, world, callback)

    def print_to_pdf(self, path: Path) -> None:
        """Render the current page to a PDF file (for the kiosk's print flow); pdf_saved tells the end."""
        if self._page is not None:
            self._page.printToPdf(str(path))

    def screenshot(self) -> QPixmap:
        """What the visitor sees (for an incident report, with the visitor's consent)."""
        return self.view.grab() if self.view is not None else QPixmap()

    # --- slots --------------------------------------------------------------------------------------

    def _provide_files(self, accept: list[str]) -> list[str]:
        if self._download_dir is None:
            return []
        root = self._download_dir.resolve()
        chosen = []
        for path in self._file_provider(accept):
            real = Path(path).resolve()
            if real.is_file() and real.is_relative_to(root):
                chosen.append(str(real))
            else:
                log.warning("file provider offered a file outside the session directory: refused")
        return chosen

    def _on_page_route_changed(self) -> None:
        self.run_js(ROUTE_JS, self._emit_route)

    def _emit_route(self, result: object) -> None:
        """The address as the page has it when its heading is read: the view's url() can still be the
        one before a pushState (seen: the new heading reported with the previous route)."""
        try:
            href, heading = json.loads(str(result))
        except (ValueError, TypeError):
            href, heading = "", ""
        if isinstance(href, str) and href:
            self.route_changed.emit(href, str(heading or ""))
        else:
            self.route_changed.emit(self.url(), "")

    def _on_page_loading_changed(self, info: QWebEngineLoadingInfo) -> None:
        self._probe_pending = False     # the renderer is alive (and a navigation may drop a probe)
        url = info.url().toString()
        if info.status() == Status.LoadSucceededStatus:
            self.run_js(HEADING_JS, lambda heading: self.page_loaded.emit(url, str(heading or "")))
        elif info.status() == Status.LoadFailedStatus and self.policy.check(url) is None:
            self.load_failed.emit(url, info.errorString())

    def _on_profile_download_requested(self, download: QWebEngineDownloadRequest) -> None:
        name = safe_download_name(download.downloadFileName())
        if self._download_dir is None or download.isSavePageDownload() or \
                self.policy.check(download.url().toString()) is not None:
            log.info("download refused")
            download.cancel()
            self.download_refused.emit(name)
            return
        target = _unique(self._download_dir, name)
        download.setDownloadDirectory(str(self._download_dir))
        download.setDownloadFileName(target.name)
        download.isFinishedChanged.connect(lambda: self._on_download_finished(download, target))
        download.accept()

    def _on_download_finished(self, download: QWebEngineDownloadRequest, target: Path) -> None:
        if download.state() == QWebEngineDownloadRequest.DownloadState.DownloadCompleted:
            self.download_finished.emit(str(target))
        else:
            log.warning("download did not complete: %s", download.interruptReasonString())
            target.unlink(missing_ok=True)

    def _on_page_render_process_terminated(self, status: QWebEnginePage.RenderProcessTerminationStatus,
                                           _code: int) -> None:
        log.warning("renderer terminated (%s): reloading", status.name)
        self.renderer_crashed.emit()
        page = self._page
        if page is not None:
            url = page.url()
            QTimer.singleShot(0, lambda: page.setUrl(url) if page is self._page else None)

    def _on_watchdog_timeout(self) -> None:
        """A renderer that has not answered a trivial script for a whole period is hung: kill it."""
        page = self._page
        if page is None:
            return
        if self._probe_pending:
            pid = page.renderProcessPid()
            if pid > 0:
                log.warning("renderer did not answer for %d ms: killing it", self._hang_timeout_ms)
                self._probe_pending = False
                os.kill(pid, signal.SIGKILL)
            return
        self._probe_pending = True
        page.runJavaScript("1", APP_WORLD, lambda _r: self._on_probe_answered(page))

    def _on_probe_answered(self, page: QObject) -> None:
        if page is self._page:
            self._probe_pending = False


def _unique(directory: Path, name: str) -> Path:
    target = directory / name
    stem, suffix = target.stem, target.suffix
    n = 2
    while target.exists():
        target = directory / f"{stem} ({n}){suffix}"
        n += 1
    return target
