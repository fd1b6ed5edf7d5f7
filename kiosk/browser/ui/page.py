"""The locked QWebEnginePage and the per-visitor off-the-record profile it lives in.

Every navigation (typed, link, form, script, popup) is checked by the `NavigationPolicy`; refusals
are reported, never shown as a Chromium page. Permissions, full-screen, protocol handlers, file-system
access, certificate overrides, HTTP passwords and client certificates are refused here, whatever the
page asks. The page's JavaScript dialogs are answered at once, never in a native box
(kiosk.browser.ui.dialogs).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QUrl, Signal
from PySide6.QtWebEngineCore import (
    QWebEngineCertificateError,
    QWebEngineFullScreenRequest,
    QWebEngineNewWindowRequest,
    QWebEnginePage,
    QWebEnginePermission,
    QWebEngineProfile,
    QWebEngineSettings,
)

from kiosk.browser.policy import NavigationPolicy, RefusalReason
from kiosk.browser.ui.dialogs import DialogKind, DialogLimiter, Verdict

log = logging.getLogger(__name__)

FileProvider = Callable[[list[str]], list[str]]
# What QtWebEngine passes to javaScriptConfirm for a page's beforeunload (its own translated text).
LEAVE_QUESTION = "Are you sure you want to leave this page? Changes that you made may not be saved."
APPROVAL_S = 120.0          # how long the visitor's "Answer yes" to a confirm question holds

WA = QWebEngineSettings.WebAttribute
WindowType = QWebEnginePage.WebWindowType
SETTINGS = {
    WA.NavigateOnDropEnabled: False, WA.FullScreenSupportEnabled: False, WA.PdfViewerEnabled: False,
    WA.PluginsEnabled: False, WA.ScreenCaptureEnabled: False, WA.JavascriptCanAccessClipboard: False,
    WA.JavascriptCanPaste: False, WA.LocalContentCanAccessFileUrls: False,
    WA.LocalContentCanAccessRemoteUrls: False, WA.AllowRunningInsecureContent: False,
    WA.AllowGeolocationOnInsecureOrigins: False, WA.AllowWindowActivationFromJavaScript: False,
    WA.WebRTCPublicInterfacesOnly: True, WA.HyperlinkAuditingEnabled: False, WA.ErrorPageEnabled: True,
    WA.JavascriptCanOpenWindows: True,   # so that window.open reaches newWindowRequested and is reported
}

REFUSED_ACTIONS = {
    QWebEnginePage.WebAction.ViewSource, QWebEnginePage.WebAction.InspectElement,
    QWebEnginePage.WebAction.SavePage, QWebEnginePage.WebAction.OpenLinkInNewWindow,
    QWebEnginePage.WebAction.OpenLinkInNewTab, QWebEnginePage.WebAction.OpenLinkInNewBackgroundTab,
}


def new_profile(parent: QObject, accept_language: str = "fr-FR,fr;q=0.9") -> QWebEngineProfile:
    """A fresh off-the-record profile: cookies, storage and cache live in memory only."""
    profile = QWebEngineProfile(parent)   # no storage name: off the record
    if not profile.isOffTheRecord():
        raise RuntimeError("the browser profile is not off the record")
    profile.setHttpCacheType(QWebEngineProfile.HttpCacheType.MemoryHttpCache)
    profile.setPersistentCookiesPolicy(QWebEngineProfile.PersistentCookiesPolicy.NoPersistentCookies)
    profile.setPersistentPermissionsPolicy(QWebEngineProfile.PersistentPermissionsPolicy.AskEveryTime)
    profile.setSpellCheckEnabled(False)
    profile.setPushServiceEnabled(False)
    profile.setHttpAcceptLanguage(accept_language)
    settings = profile.settings()
    for attribute, on in SETTINGS.items():
        settings.setAttribute(attribute, on)
    return profile


# A single-page app (the ANEF portal) changes its route and its heading without loading a page: a watcher
# in the kiosk's isolated world reports every change of address or main heading (hashchange, pushState
# followed by a DOM swap, a DOM swap alone) as this console line, which javaScriptConsoleMessage turns
# into route_changed. A page that prints the same line only makes the kiosk read the address and the
# heading again: what moves the guide is still the page's real route and heading.
ROUTE_MARK = "\u2063pan-kiosk:route"
ROUTE_WATCH_JS = """(() => {
  let last = null;
  const report = () => {
    const h = document.querySelector('h1');
    const t = document.querySelector('[role=tab][aria-selected=true]');
    const key = [location.href, h ? h.innerText.trim() : '', t ? t.innerText.trim() : '']
      .join('\\n');
    if (key !== last) { last = key; console.debug('\u2063pan-kiosk:route'); }
  };
  new MutationObserver(report).observe(document.documentElement,
                                       {subtree: true, childList: true, characterData: true,
                                        attributes: true, attributeFilter: ['aria-selected']});
  addEventListener('hashchange', report);
  addEventListener('popstate', report);
  report();
})();"""


# WebRTC sends its own UDP packets (STUN, TURN) that no request interceptor sees: a page could reach any
# host with them. The official sites do not use it, so the page's world never gets it.
NO_WEBRTC_JS = """(() => {
  for (const name of ['RTCPeerConnection', 'webkitRTCPeerConnection', 'RTCDataChannel',
                      'RTCIceCandidate', 'RTCSessionDescription', 'RTCRtpSender', 'RTCRtpReceiver']) {
    try { Object.defineProperty(window, name, {value: undefined, writable: false, configurable: false}); }
    catch (e) {}
  }
})();"""


class LockedPage(QWebEnginePage):
    """A page that refuses what the kiosk forbids.

    Signals:
        navigation_refused(str url, str reason): a navigation or popup was refused (RefusalReason value).
        popup_redirected(str url): a popup to an allowed address was opened in this page instead.
        print_requested(): the page called window.print() (main frame or a sub-frame).
        certificate_refused(str url, str description): a certificate error was not overridden.
        dialog_answered(str kind, str message, bool accepted): the page opened a JavaScript dialog
            (kind: a DialogKind value) and got its answer at once: alert read, confirm "no" unless
            approve()d, prompt declined. Not emitted for the dialogs DialogLimiter drops.
        dialogs_suppressed(): the page keeps opening dialogs; from now on they are dropped.
    """

    navigation_refused = Signal(str, str)
    popup_redirected = Signal(str)
    print_requested = Signal()
    certificate_refused = Signal(str, str)
    dialog_answered = Signal(str, str, bool)
    dialogs_suppressed = Signal()
    route_changed = Signal()

    def __init__(self, profile: QWebEngineProfile, policy: NavigationPolicy, popups_in_same_view: bool,
                 files: Callable[[list[str]], list[str]], parent: QObject | None = None, *,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(profile, parent)
        self._clock = clock
        self._dialogs = DialogLimiter(clock)
        self._approvals: dict[str, float] = {}      # confirm question -> until when "yes" holds
        self._policy = policy
        self._popups_in_same_view = popups_in_same_view
        self._files = files
        self.fullScreenRequested.connect(self._on_page_full_screen_requested)
        self.newWindowRequested.connect(self._on_page_new_window_requested)
        self.permissionRequested.connect(self._on_page_permission_requested)
        self.certificateError.connect(self._on_page_certificate_error)
        self.windowCloseRequested.connect(lambda: log.info("page asked to close the window: ignored"))
        self.printRequested.connect(self.print_requested)
        self.printRequestedByFrame.connect(lambda _frame: self.print_requested.emit())
        self.fileSystemAccessRequested.connect(lambda request: request.reject())
        self.registerProtocolHandlerRequested.connect(lambda request: request.reject())
        self.desktopMediaRequested.connect(lambda request: request.cancel())
        self.webAuthUxRequested.connect(lambda request: request.cancel())
        # A password box or a certificate choice would be a native window: none is ever given (an
        # authenticator left empty is a refusal).
        self.authenticationRequired.connect(lambda _url, _auth: log.info("HTTP password asked: refused"))
        self.proxyAuthenticationRequired.connect(lambda *_: log.info("proxy password asked: refused"))
        self.selectClientCertificate.connect(lambda selection: selection.selectNone())

    # --- navigation ---------------------------------------------------------------------------------

    def acceptNavigationRequest(self, url: QUrl | str, kind: QWebEnginePage.NavigationType,  # noqa: N802
                                is_main_frame: bool) -> bool:
        address = url.toString() if isinstance(url, QUrl) else url     # Qt passes a QUrl
        refusal = self._policy.check(address)
        if refusal is None:
            return True
        log.info("navigation refused (%s, %s frame)", refusal.reason.value,
                 "main" if is_main_frame else "sub")
        self.navigation_refused.emit(address, refusal.reason.value)
        return False

    # Qt's stubs want a page returned; Qt itself takes None (nullptr) as "no window".
    def createWindow(self, _type: WindowType) -> QWebEnginePage | None:  # type: ignore[override]  # noqa: N802
        return None   # never a new window; newWindowRequested already decided what happens

    def _on_page_new_window_requested(self, request: QWebEngineNewWindowRequest) -> None:
        address = request.requestedUrl().toString()
        refusal = self._policy.check(address)
        if refusal is not None:
            self.navigation_refused.emit(address, refusal.reason.value)
        elif not self._popups_in_same_view or address in ("", "about:blank"):
            self.navigation_refused.emit(address, RefusalReason.POPUP.value)
        else:
            self.popup_redirected.emit(address)
            self.setUrl(request.requestedUrl())

    # --- files, actions, requests -----------------------------------------------------------------

    def chooseFiles(self, mode: QWebEnginePage.FileSelectionMode, _old: Sequence[str],  # noqa: N802
                    accepted: Sequence[str]) -> list[str]:
        chosen = [str(Path(p)) for p in self._files(list(accepted))]
        if mode != QWebEnginePage.FileSelectionMode.FileSelectOpenMultiple:
            chosen = chosen[:1]
        return chosen

    def triggerAction(self, action: QWebEnginePage.WebAction, checked: bool = False) -> None:  # noqa: N802
        if action in REFUSED_ACTIONS:
            log.info("page action refused: %s", action.name)
            return
        super().triggerAction(action, checked)

    def javaScriptConsoleMessage(self, _level: object, message: str, *_args: object) -> None:  # noqa: N802
        """Page console lines may carry what the visitor typed: never logged. The kiosk's own route
        watcher (ROUTE_WATCH_JS) says here that the route or the heading changed without a load."""
        if message == ROUTE_MARK:
            self.route_changed.emit()

    # --- the page's dialogs: answered at once, no native box, no nested event loop -----------------

    def javaScriptAlert(self, _origin: QUrl | str, message: str) -> None:  # noqa: N802
        self._answer(DialogKind.ALERT, message, True)

    def javaScriptConfirm(self, _origin: QUrl | str, message: str) -> bool:  # noqa: N802
        if message == QCoreApplication.translate("QWebEnginePage", LEAVE_QUESTION):
            return True    # beforeunload: the kiosk's own buttons and the visitor's links always leave
        return self._answer(DialogKind.CONFIRM, message, self._clock() < self._approvals.get(message, 0.0))

    def javaScriptPrompt(self, _origin: QUrl | str, message: str,  # noqa: N802
                         _default: str) -> tuple[bool, str]:
        self._answer(DialogKind.PROMPT, message, False)
        return False, ""

    def approve(self, message: str) -> None:
        """The visitor chose "yes" for this confirm question: asked again within APPROVAL_S, it is
        answered yes (once)."""
        self._approvals[message] = self._clock() + APPROVAL_S

    def _answer(self, kind: DialogKind, message: str, accepted: bool) -> bool:
        verdict = self._dialogs.check()
        if verdict is not Verdict.SHOW:
            if verdict is Verdict.SUPPRESS:
                log.info("the page keeps opening dialogs: dropped from now on")
                self.dialogs_suppressed.emit()
            return False                       # dropped: a page in a loop never gets a "yes"
        if kind is DialogKind.CONFIRM:
            self._approvals.pop(message, None)     # a "yes" holds once; an expired one is forgotten
        self.dialog_answered.emit(kind.value, message, accepted)
        return accepted

    def _on_page_full_screen_requested(self, request: QWebEngineFullScreenRequest) -> None:
        request.reject()

    def _on_page_permission_requested(self, permission: QWebEnginePermission) -> None:
        log.info("permission refused: %s", permission.permissionType().name)
        permission.deny()

    def _on_page_certificate_error(self, error: QWebEngineCertificateError) -> None:
        self.certificate_refused.emit(error.url().toString(), error.description())
        error.rejectCertificate()
