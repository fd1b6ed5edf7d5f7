"""Locked-browser tests: offscreen QtWebEngine, the practice site and a helper site on 127.0.0.1."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if hasattr(os, "geteuid") and os.geteuid() == 0:
    os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")   # Chromium refuses root otherwise

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from browser_helpers import AuxSite  # noqa: E402

from kiosk.browser.policy import NavigationPolicy  # noqa: E402
from kiosk.browser.replica import PracticeSite  # noqa: E402


@pytest.fixture(scope="session")
def practice_site() -> Iterator[PracticeSite]:
    site = PracticeSite().start()
    try:
        yield site
    finally:
        site.stop()


@pytest.fixture(scope="session")
def aux_site() -> Iterator[AuxSite]:
    """Pages the tests need that the product must not ship (planting values, odd downloads)."""
    site = AuxSite().start()
    try:
        yield site
    finally:
        site.stop()


@pytest.fixture
def session_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "session"
    directory.mkdir(mode=0o700)
    return directory


@pytest.fixture
def make_browser(qapp, qtbot, practice_site: PracticeSite,
                 aux_site: AuxSite) -> Iterator[Callable[..., object]]:
    from kiosk.browser.ui import LockedBrowser

    made: list[LockedBrowser] = []

    def make(download_dir: Path | None = None, **kwargs: object) -> LockedBrowser:
        policy = NavigationPolicy().with_hosts(practice_site.host_entry, aux_site.host_entry)
        browser = LockedBrowser(policy, **kwargs)  # type: ignore[arg-type]
        browser.setGeometry(0, 0, 1080, 1400)
        browser.show()
        browser.new_visitor(download_dir)
        qtbot.addWidget(browser, before_close_func=lambda b: b.wipe())
        made.append(browser)
        return browser

    yield make
    for browser in made:
        browser.wipe()
    qtbot.wait(1)   # let the deferred deletions of pages and profiles run
