"""The replica under the official host names (resolved to loopback in the tests' Chromium, with a
test-only certificate authority), through the kiosk's browser with its default allow-list and its
production certificate checks: no test host is added to the allow-list."""

from __future__ import annotations

import pytest

from kiosk.browser.policy import DEFAULT_ALLOWED_HOSTS, NavigationPolicy
from kiosk.browser.replica import BANNER
from kiosk.browser.replica.hosts import PORTAL_START

pytestmark = pytest.mark.real_stack


def test_the_portal_loads_under_its_real_name_with_a_valid_certificate(qapp, qtbot, official_site) -> None:
    from kiosk.browser.ui import LockedBrowser

    policy = NavigationPolicy()
    assert policy.entries == DEFAULT_ALLOWED_HOSTS
    browser = LockedBrowser(policy)
    browser.setGeometry(0, 0, 1080, 1400)
    browser.show()
    browser.new_visitor(None)
    qtbot.addWidget(browser, before_close_func=lambda b: b.wipe())
    failures: list[tuple[str, str]] = []
    browser.load_failed.connect(lambda url, error: failures.append((url, error)))
    with qtbot.waitSignal(browser.page_loaded, timeout=15000) as blocker:
        assert browser.load(PORTAL_START)
    assert failures == []
    assert blocker.args[0] == PORTAL_START
    assert blocker.args[1] == "Étrangers en France"
    box: list[object] = []
    browser.run_js("document.getElementById('entrainement').innerText", box.append)
    qtbot.waitUntil(lambda: bool(box))
    assert box == [BANNER]
