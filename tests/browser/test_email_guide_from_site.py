"""From the site's account-creation page to the e-mail address guide and back (real QtWebEngine, the
practice site): the bottom bar offers the guide only on the sign-up and log-in pages, the guide opens
over the procedure, and Back, its end or "Open the site" return to the same page with the visitor's
form as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_helpers import js
from screen_input import click

from kiosk.paths import DEFAULT_PACK
from kiosk.shell.ui.email_help import EMAIL_GUIDE
from kiosk.visit.session import EndReason
from kiosk.visit.visit import Screen

pytestmark = pytest.mark.real_stack
SHOTS = Path("/work/shots/noaddress")


def sign_up_url(practice) -> str:  # noqa: ANN001
    """The account page of the practice replica: the portal's log-in/sign-up route (site map page
    login_landing)."""
    return practice.start_url + "espace-personnel/connexion-inscription"


def test_the_sign_up_page_offers_the_email_guide_and_the_visitor_comes_back(make_kiosk, qtbot) -> None:  # noqa: ANN001
    kiosk = make_kiosk('[browser]\nsite = "practice"', pack=DEFAULT_PACK)
    w, c, practice = kiosk.window, kiosk.controller, kiosk.practice
    assert practice is not None and w.browser_step is not None
    browser = w.browser_step.browser
    offer = w.bottom_bar.email_button
    c.touch_start()
    c.choose_language("ar")
    c.choose_procedure("renewal")
    with qtbot.waitSignal(browser.page_loaded, timeout=20000):
        c.open_site()
    assert kiosk.visit.screen is Screen.SITE and not offer.isVisible()        # the home page: no offer

    signup = sign_up_url(practice)
    browser.load(signup)                                      # a route of the single-page app
    qtbot.waitUntil(offer.isVisible, timeout=10000)
    assert offer.text() == kiosk.translators.get("ar").tr("No e-mail address, or lost password?")
    js(qtbot, browser, "window.__kept = 'Benali'; 1")          # what the visitor had on the page
    view = browser.view
    if SHOTS.is_dir():
        w.grab().save(str(SHOTS / "ar-05-site-signup-offer.png"))

    click(qtbot, offer)
    assert kiosk.visit.screen is Screen.STEP and kiosk.visit.in_side_guide
    assert kiosk.visit.state is not None and kiosk.visit.state.procedure.id == EMAIL_GUIDE
    assert not offer.isVisible()
    click(qtbot, w.bottom_bar.back_button)                   # Back from the guide's first step
    assert kiosk.visit.screen is Screen.SITE and kiosk.visit.state.procedure.id == "renewal"
    assert browser.view is view and browser.url() == signup
    assert js(qtbot, browser, "window.__kept") == "Benali"
    assert offer.isVisible()

    click(qtbot, offer)                                      # again, to its end
    c.next()
    c.choose("ready")
    c.next()
    c.next()
    end = w.router.end_page
    assert w.stack.currentWidget() is end
    assert end.finish_button.text() == kiosk.translators.get("ar").tr("I have finished: back to my procedure")
    click(qtbot, end.finish_button)                          # not a wipe: back to the same page
    assert kiosk.visit.active and kiosk.visit.screen is Screen.SITE and browser.view is view
    assert js(qtbot, browser, "window.__kept") == "Benali"

    browser.load(practice.start_url)
    qtbot.waitUntil(lambda: not offer.isVisible(), timeout=10000)   # off the sign-up pages: gone
    c.end(EndReason.FINISHED)
    assert not offer.isVisible() and w.router.email_help.page_id == ""
