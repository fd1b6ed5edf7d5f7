"""A renderer that crashes or hangs is reported and the page comes back; the visitor's session stays."""

from __future__ import annotations

import os
import signal

import pytest
from browser_helpers import js, load
from step_helpers import shop

pytestmark = pytest.mark.real_stack


def test_a_killed_renderer_is_reported_and_the_page_reloads(qtbot, make_browser, practice_site,
                                                            session_dir) -> None:
    browser = make_browser(session_dir)
    load(qtbot, browser, shop(practice_site, "/achat/choix"))
    pid = browser.page.renderProcessPid()
    assert pid > 0
    with qtbot.waitSignals([browser.renderer_crashed, browser.page_loaded], timeout=15000):
        os.kill(pid, signal.SIGKILL)
    assert browser.url() == shop(practice_site, "/achat/choix")
    assert browser.page.renderProcessPid() not in (0, pid)
    assert js(qtbot, browser, "document.querySelector('h1').innerText") == "Choix du timbre"
    assert session_dir.is_dir()


def test_a_hung_renderer_is_killed_and_the_page_reloads(qtbot, make_browser, practice_site) -> None:
    browser = make_browser(hang_timeout_ms=700)
    load(qtbot, browser, practice_site.start_url)
    pid = browser.page.renderProcessPid()
    with qtbot.waitSignals([browser.renderer_crashed, browser.page_loaded], timeout=15000):
        browser.run_js("for (;;) {}")
    assert browser.page.renderProcessPid() not in (0, pid)
    assert browser.url() == practice_site.start_url
