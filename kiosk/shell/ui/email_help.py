"""The way from the site's sign-up and log-in pages to the e-mail address guide.

While the visitor is on one of those pages of the official site (or of the practice replica), the bottom
bar offers "No e-mail address, or lost password?": it opens the content pack's guide `email_address`
over the visitor's procedure (Visit.open_guide); its end, Back from its first step or "Open the official
site" return to the same page of the site, form intact (the browser step keeps its page while the
visitor reads the guide).

The pages are named by their ids in the content pack's site map (site.toml), which practice mode's guide
uses too (kiosk.browser.replica.practice); tests/visit/test_email_guide.py checks that each id still
exists.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from kiosk.browser.ui.step import BrowserStep
from kiosk.i18n import N_

EMAIL_GUIDE = "email_address"
SITE_PAGES = frozenset({"login_landing", "sso_login", "sso_password", "signup_email", "signup_password"})
OFFER = N_("No e-mail address, or lost password?")


class EmailHelpOffer(QObject):
    """Follows the browser step's page. Signal: changed() — whether the offer stands may have changed."""

    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._step: BrowserStep | None = None
        self.page_id = ""

    def follow(self, step: BrowserStep) -> None:
        """Watch the step's browser (made when the site first opens); once."""
        if self._step is step:
            return
        self._step = step
        browser = step.browser
        for signal in (browser.url_changed, browser.page_loaded, browser.route_changed):
            signal.connect(self._on_page)        # after the step's own slots: its guide has moved

    def _on_page(self, *_args: object) -> None:
        position = self._step.guide.position if self._step is not None else None
        page_id = position.page.step_id if position is not None and position.page is not None else ""
        if page_id != self.page_id:
            self.page_id = page_id
            self.changed.emit()

    @property
    def offered(self) -> bool:
        """The visitor is on a page where an e-mail address is asked for or sent to."""
        return self.page_id in SITE_PAGES

    def reset(self) -> None:
        self.page_id = ""
