"""The mailbox's own browser: a second view in the visitor's private profile (kiosk.browser.ui.mailbox
makes it when the visitor first opens a webmail, so an idle kiosk does not load QtWebEngine for it)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl, Signal
from PySide6.QtWebEngineCore import QWebEngineDownloadRequest, QWebEnginePage, QWebEngineProfile
from PySide6.QtWidgets import QWidget

from kiosk.browser.policy import NavigationPolicy
from kiosk.browser.ui.page import LockedPage
from kiosk.browser.ui.widget import LockedBrowser
from kiosk.browser.webmail import link_target


class MailboxPage(LockedPage):
    """The mailbox's page: an address of the official site opens on the site (signal `site_link`)."""

    site_link = Signal(str)

    def acceptNavigationRequest(self, url: QUrl | str, kind: QWebEnginePage.NavigationType,  # noqa: N802
                                is_main_frame: bool) -> bool:
        address = link_target(url.toString() if isinstance(url, QUrl) else url)
        if is_main_frame and self._policy.area(address) == "site":
            self.site_link.emit(address)
            return False
        return super().acceptNavigationRequest(url, kind, is_main_frame)


class MailboxBrowser(LockedBrowser):
    """The locked browser of the mailbox: a second view in the visitor's profile."""

    page_class = MailboxPage
    site_link = Signal(str)

    def __init__(self, policy: NavigationPolicy, parent: QWidget | None = None) -> None:
        super().__init__(policy, parent)
        self.attachments: list[Path] = []

    def open_in(self, profile: QWebEngineProfile, download_dir: Path | None) -> None:
        self.new_visitor(download_dir, profile)
        page = self.page
        assert isinstance(page, MailboxPage)
        page.site_link.connect(self.site_link)
        # After the owner's handler (connected first) has accepted it into the session directory.
        profile.downloadRequested.connect(self._on_profile_download)

    def _on_profile_download(self, download: QWebEngineDownloadRequest) -> None:
        if self.page is not None and download.page() is self.page and \
                download.state() != QWebEngineDownloadRequest.DownloadState.DownloadCancelled:
            self.attachments.append(Path(download.downloadDirectory()) / download.downloadFileName())

    def wipe(self) -> None:
        profile = self.profile
        if profile is not None:
            try:
                profile.downloadRequested.disconnect(self._on_profile_download)
            except (RuntimeError, TypeError):
                pass
        self.attachments = []
        super().wipe()


__all__ = ["MailboxBrowser", "MailboxPage"]
