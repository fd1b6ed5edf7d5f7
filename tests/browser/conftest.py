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
from kiosk.browser.setup import browser_mode, navigation_policy  # noqa: E402
from kiosk.browser.webmail import DEFAULT_WEBMAIL_HOSTS, DEFAULT_WEBMAIL_RESOURCE_HOSTS  # noqa: E402
from kiosk.content.model import Pack  # noqa: E402
from kiosk.i18n import Translators  # noqa: E402
from kiosk.receipts import FontBook, ReceiptRenderer, Site  # noqa: E402
from kiosk.ui.tasks import Tasks  # noqa: E402
from kiosk.ui.theme import DEFAULT  # noqa: E402
from kiosk.visit.documents import PreparedDocuments, PreparedFile  # noqa: E402

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


# --- the site step of a terminal on the official site (test_real_hosts, test_real_visits) ---------------

@pytest.fixture(scope="module")
def translators(pack: Pack) -> Translators:
    return Translators(Path(pack.path) / "locale")


@pytest.fixture
def official_policy(make_config) -> NavigationPolicy:
    """The kiosk's policy for a terminal on the official site: the default allow-list, nothing added."""
    config = make_config('[browser]\nsite = "official"')
    assert browser_mode(config) == "official"
    policy = navigation_policy(config, None)
    assert policy.entries == DEFAULT_ALLOWED_HOSTS == NavigationPolicy().entries
    return policy


@pytest.fixture
def make_official_step(qapp, qtbot, official_site, official_policy, pack,
              translators) -> Iterator[Callable[..., object]]:
    """A BrowserStep of a terminal on the official site (the default allow-list), the replica under
    the real host names behind it; `files`: prepared documents the picker offers. Each step records
    failures, refusals, downloads and the (address, heading) the guide was told (`reported`)."""
    from kiosk.browser.ui.step import BrowserStep

    made: list[BrowserStep] = []
    tasks = Tasks()

    def make(files: dict[str, Path] | None = None) -> BrowserStep:
        documents = PreparedDocuments()
        for doc_id, path in (files or {}).items():
            documents.put(doc_id, PreparedFile(path, 1, path.stat().st_size))
        step = BrowserStep(translators.get, pack, official_policy, lambda: documents, tasks=tasks,
                           render_incident=ReceiptRenderer(FontBook(), translators.get).incident,
                           site=Site("Préfecture de test", "1 rue de l'Essai", "PAN-T-01"))
        step.setStyleSheet(DEFAULT.stylesheet())
        step.setGeometry(0, 0, 1920, 1080)
        step.show()
        step.retranslate(translators.get("fr"))
        step.failures, step.refusals, step.downloads, step.reported = [], [], [], []
        step.browser.load_failed.connect(lambda url, error: step.failures.append((url, error)))
        step.browser.navigation_refused.connect(lambda url, why: step.refusals.append((url, why)))
        step.browser.download_finished.connect(step.downloads.append)
        for signal in (step.browser.page_loaded, step.browser.route_changed):   # what the guide is told
            signal.connect(lambda url, title: step.reported.append((url, title)))
        qtbot.addWidget(step, before_close_func=lambda s: s.reset())
        made.append(step)
        return step

    yield make
    for step in made:
        step.reset()
    tasks.wait(10000)
    qtbot.wait(1)
