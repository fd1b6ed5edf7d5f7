"""The visitor's mailbox beside the official site (issue 14, point 5).

"My e-mails" (the bar above the site) shows the mailbox in place of the site: first a choice of the
webmails the terminal allows (kiosk.browser.webmail, those whose address the policy lets load), then the
chosen one in a second view of the visitor's own private profile. The site's view is kept alive behind
it, untouched: "Back to the site" shows it again at the same page, its form as the visitor left it.

- A link of the official site in a message (the account-creation link) opens on the site, in the site's
  view (`site_link_opened`), not in the mailbox; a webmail's redirector link is unwrapped first
  (`link_target`). Pages outside the site's and the webmails' hosts are refused as everywhere.
- Downloads (attachments) go where every download of the profile goes: the session directory, through
  the site's browser (its profile's owner). `attachments` lists those that came from the mailbox, for
  the upload picker.
- `wipe()` deletes the mailbox's page and view before the site's browser deletes the profile.

Signals:
    MailBar: open_requested(), back_requested(), other_requested()
    MailboxChooser: chosen(str webmail_id)
    MailboxBrowser: site_link(str url)
    Mailbox: site_link_opened(str url)
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QStackedWidget, QVBoxLayout, QWidget

from kiosk.browser.policy import NavigationPolicy
from kiosk.browser.webmail import DEFAULT_WEBMAILS, Webmail
from kiosk.i18n import N_, Translator, isolate
from kiosk.ui.widgets import WrapButton, label, scroll_column
from kiosk.visit.ui.pictograms import MAILBOX_PICTOGRAM, Pictogram, titled_row

if TYPE_CHECKING:      # QtWebEngine is loaded with the first mailbox, not with the site step
    from PySide6.QtWebEngineCore import QWebEngineProfile

    from kiosk.browser.ui.mailbox_view import MailboxBrowser

MY_EMAILS = N_("My e-mails")
BACK_TO_SITE = N_("Back to the site")
OTHER_MAILBOX = N_("Another mailbox")
CHOOSE_TITLE = N_("Your e-mails")
CHOOSE_TEXT = N_("Choose your mailbox. It opens in this visit's private window and is closed at the end "
                 "of your visit. The page of the official site stays as it is.")
OPEN_HINT = N_("Your page of the official site is kept. Press “Back to the site” to continue it.")
ADDRESSES = N_("Addresses ending in {domains}")
FROM_EMAILS = N_("From your e-mails: {name}")
WIDE_BAR = 800          # px: the bar's buttons side by side from this width


def offered(policy: NavigationPolicy, webmails: Sequence[Webmail] = DEFAULT_WEBMAILS) -> tuple[Webmail, ...]:
    """The webmails the terminal allows: those whose first page is on the policy's webmail list."""
    return tuple(w for w in webmails if policy.area(w.start) == "webmail")


class MailBar(QWidget):
    """Above the site: "My e-mails" while the site shows; "Back to the site" and "Another mailbox"
    while the mailbox shows."""

    open_requested = Signal()
    back_requested = Signal()
    other_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("mail_bar")
        self.showing_mailbox = False
        self.open_button = WrapButton("primary", "mail_open")
        self.back_button = WrapButton("primary", "mail_back")
        self.other_button = WrapButton(name="mail_other")
        self.hint = label("muted")
        self.open_button.clicked.connect(self.open_requested)
        self.back_button.clicked.connect(self.back_requested)
        self.other_button.clicked.connect(self.other_requested)
        row = self._row = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        row.setContentsMargins(0, 0, 0, 0)
        for w in (self.open_button, self.back_button, self.other_button):
            row.addWidget(w)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(4)
        layout.addLayout(row)
        layout.addWidget(self.hint)
        self.show_site()

    def show_site(self) -> None:
        self.showing_mailbox = False
        self._visible()

    def show_mailbox(self, chooser: bool) -> None:
        self.showing_mailbox = True
        self._visible(chooser)

    def _visible(self, chooser: bool = False) -> None:
        self.open_button.setVisible(not self.showing_mailbox)
        self.back_button.setVisible(self.showing_mailbox)
        self.other_button.setVisible(self.showing_mailbox and not chooser)
        self.hint.setVisible(self.showing_mailbox)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt naming
        """Side by side when the column is wide (portrait), one under the other in the narrow guide
        column of a landscape screen, where long words (Tamil, Bengali) would not fit."""
        super().resizeEvent(event)
        wide = self.width() >= WIDE_BAR
        self._row.setDirection(QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom)

    def retranslate(self, tr: Translator) -> None:
        self.open_button.setText(tr.tr(MY_EMAILS))
        self.back_button.setText(tr.tr(BACK_TO_SITE))
        self.other_button.setText(tr.tr(OTHER_MAILBOX))
        self.hint.setText(tr.tr(OPEN_HINT))


class MailboxChooser(QWidget):
    """The webmails offered, one large button each (brand names, never translated), with the address
    endings each serves."""

    chosen = Signal(str)

    def __init__(self, webmails: Sequence[Webmail]) -> None:
        super().__init__()
        self.setObjectName("mail_chooser")
        self.webmails = tuple(webmails)
        area, column = scroll_column()
        column.setContentsMargins(32, 24, 32, 24)
        self.title, self.text = label("title"), label()
        self.pictogram = Pictogram()          # beside the title: an envelope (issue 19 point 5)
        column.addLayout(titled_row(self.pictogram, self.title))
        column.addWidget(self.text)
        self.domains: list[tuple[Webmail, WrapButton]] = []
        for webmail in self.webmails:
            choice = WrapButton(name=f"mail_{webmail.id}")
            choice.clicked.connect(lambda _=False, w=webmail.id: self.chosen.emit(w))
            column.addWidget(choice)
            self.domains.append((webmail, choice))
        column.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(area)

    def retranslate(self, tr: Translator) -> None:
        self.title.setText(tr.tr(CHOOSE_TITLE))
        self.pictogram.draw(MAILBOX_PICTOGRAM, self.title.text())
        self.text.setText(tr.tr(CHOOSE_TEXT))
        for webmail, choice in self.domains:
            endings = ", ".join("@" + d for d in webmail.domains)
            choice.setText(f"{isolate(webmail.name)}\n{tr.tr(ADDRESSES, domains=isolate(endings))}")


class Mailbox(QStackedWidget):
    """The chooser, then the chosen webmail in its own view of the visitor's profile."""

    site_link_opened = Signal(str)

    def __init__(self, policy: NavigationPolicy, webmails: Sequence[Webmail]) -> None:
        super().__init__()
        self.setObjectName("mailbox")
        self._policy = policy
        self.chooser = MailboxChooser(webmails)
        self.addWidget(self.chooser)
        self.browser: MailboxBrowser | None = None
        self.current: Webmail | None = None
        self.chooser.chosen.connect(self._on_chooser_chosen)
        self._profile: QWebEngineProfile | None = None
        self._download_dir: Path | None = None

    @property
    def choosing(self) -> bool:
        return self.currentWidget() is self.chooser

    @property
    def attachments(self) -> list[Path]:
        return list(self.browser.attachments) if self.browser is not None else []

    def prepare(self, profile: QWebEngineProfile | None, download_dir: Path | None) -> None:
        """The visitor's profile (the site browser's) and session directory, for when a webmail opens."""
        self._profile, self._download_dir = profile, download_dir

    def choose(self) -> None:
        self.setCurrentWidget(self.chooser)

    def open_webmail(self, webmail_id: str) -> None:
        webmail = next((w for w in self.chooser.webmails if w.id == webmail_id), None)
        if webmail is None or self._profile is None:
            return
        if self.browser is None:
            from kiosk.browser.ui.mailbox_view import MailboxBrowser

            self.browser = MailboxBrowser(self._policy)
            self.browser.site_link.connect(self.site_link_opened)
            self.addWidget(self.browser)
        if self.browser.view is None:
            self.browser.open_in(self._profile, self._download_dir)
        self.current = webmail
        self.setCurrentWidget(self.browser)
        self.browser.load(webmail.start)

    def _on_chooser_chosen(self, webmail_id: str) -> None:
        self.open_webmail(webmail_id)

    def wipe(self) -> None:
        """The mailbox's page and view go (before the profile they live in); the chooser shows again."""
        if self.browser is not None:
            self.browser.wipe()
        self.current = None
        self._profile = self._download_dir = None
        self.setCurrentWidget(self.chooser)

    def is_empty(self) -> bool:
        return (self.browser is None or self.browser.view is None) and self.current is None

    def retranslate(self, tr: Translator) -> None:
        self.chooser.retranslate(tr)


__all__ = ["FROM_EMAILS", "MailBar", "Mailbox", "MailboxChooser", "offered"]
