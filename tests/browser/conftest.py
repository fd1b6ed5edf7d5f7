"""Locked-browser tests: offscreen QtWebEngine, the replica of the official sites (under their real names,
and under practice names as in practice mode) and a helper site on 127.0.0.1."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if hasattr(os, "geteuid") and os.geteuid() == 0:
    os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")   # Chromium refuses root otherwise

import atexit
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from browser_helpers import AuxSite, LoopbackOfficialHosts  # noqa: E402

from kiosk.browser.policy import DEFAULT_ALLOWED_HOSTS, DEFAULT_RESOURCE_HOSTS, NavigationPolicy  # noqa: E402
from kiosk.browser.replica import PracticeSite  # noqa: E402
from kiosk.browser.replica.hosts import OFFICIAL_HOSTS  # noqa: E402
from kiosk.browser.replica.practice import LocalReplica  # noqa: E402
from kiosk.browser.webmail import DEFAULT_WEBMAIL_HOSTS, DEFAULT_WEBMAIL_RESOURCE_HOSTS  # noqa: E402

# The official host names (every host of the default allow-list too, so that no test reaches the internet
# through them) resolve to the replica's loopback port in this process's Chromium, which trusts a
# certificate authority made for this run: HOME and QTWEBENGINE_CHROMIUM_FLAGS, set before QtWebEngine
# starts (tests only; the product's certificate checks and allow-list are untouched).
OFFICIAL = LoopbackOfficialHosts((*OFFICIAL_HOSTS, *DEFAULT_ALLOWED_HOSTS, *DEFAULT_RESOURCE_HOSTS,
                                  "www.payfip.gouv.fr", *DEFAULT_WEBMAIL_HOSTS,
                                  *DEFAULT_WEBMAIL_RESOURCE_HOSTS)).install()
atexit.register(OFFICIAL.cleanup)


@pytest.fixture(scope="session")
def official_site() -> Iterator[PracticeSite]:
    """The replica of the official sites, over HTTPS on the port their names resolve to (one per run)."""
    site = PracticeSite(tls=OFFICIAL.server_context(), listen=OFFICIAL.take_socket()).start()
    try:
        yield site
    finally:
        site.stop()


@pytest.fixture(scope="session")
def practice_site() -> Iterator[LocalReplica]:
    """The replica as practice mode serves it: plain http on loopback under the practice names
    (kiosk.browser.replica.practice; one per run)."""
    site = LocalReplica()
    site.start()
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
def make_browser(qapp, qtbot, practice_site: LocalReplica,
                 aux_site: AuxSite) -> Iterator[Callable[..., object]]:
    from kiosk.browser.ui import LockedBrowser

    made: list[LockedBrowser] = []

    def make(download_dir: Path | None = None, **kwargs: object) -> LockedBrowser:
        policy = NavigationPolicy().with_hosts(*practice_site.host_entries, aux_site.host_entry)
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
