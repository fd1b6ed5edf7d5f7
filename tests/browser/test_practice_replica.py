"""Practice mode on a terminal: the replica the browser tests walk, served on loopback under practice
names (kiosk.browser.replica.practice), with the site map's guide and the practice badge; the official
mode never allows a practice name nor the practice port."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from browser_helpers import js
from pytestqt.exceptions import TimeoutError as WaitTimeout
from screen_input import start_procedure

from kiosk.browser.policy import DEFAULT_ALLOWED_HOSTS, RefusalReason
from kiosk.browser.replica.hosts import PORTAL, SSO
from kiosk.browser.replica.practice import PRACTICE_DOMAIN, LocalReplica, practice_name
from kiosk.browser.setup import navigation_policy
from kiosk.paths import DEFAULT_PACK
from kiosk.visit.visit import Screen

SHOTS = Path("/work/shots/practice")
HEADING = "(document.querySelector('h1') || {innerText: ''}).innerText.trim()"


@pytest.fixture
def replica():
    site = LocalReplica()
    site.start()
    yield site
    site.stop()


def test_practice_names_are_allowed_in_practice_mode_only(make_config, replica: LocalReplica) -> None:
    portal = f"http://{practice_name(PORTAL)}:{replica.port}/usagers/#/"
    sso = f"http://{practice_name(SSO)}:{replica.port}/auth/realms/anef-usagers/protocol/openid-connect/auth"
    assert replica.start_url == portal

    practice = navigation_policy(make_config('[browser]\nsite = "practice"'), replica)
    assert practice.check(portal) is None and practice.check(sso) is None
    assert practice.check(f"http://{practice_name(SSO)}:{replica.port + 1}/").reason is RefusalReason.HOST
    assert practice.check(f"http://{PRACTICE_DOMAIN}.example.org:{replica.port}/").reason is \
        RefusalReason.INSECURE                       # http stays loopback-only: a look-alike name is not
    for loopback in ("127.0.0.1", "localhost"):      # the replica's port, but no practice name
        assert practice.check(f"http://{loopback}:{replica.port}/").reason is RefusalReason.HOST
    assert replica.host_entries == (f"*.{PRACTICE_DOMAIN}:{replica.port}",)

    # Official mode: the default allow-list, no practice name, no practice port, even when a
    # configuration asks for them.
    for extra in ("", f'extra_hosts = ["*.{PRACTICE_DOMAIN}:{replica.port}", "{practice_name(PORTAL)}"]'):
        config = make_config(f'[browser]\nsite = "official"\n{extra}')
        official = navigation_policy(config, None)
        assert official.entries == DEFAULT_ALLOWED_HOSTS
        for url in (portal, sso, f"http://127.0.0.1:{replica.port}/", f"https://{practice_name(PORTAL)}/usagers/"):
            refusal = official.check(url)
            assert refusal is not None and refusal.reason is RefusalReason.HOST, url
    config = make_config(f'[browser]\nsite = "official"\nallowed_hosts = ["{PORTAL}", "*.{PRACTICE_DOMAIN}"]')
    assert navigation_policy(config, None).entries == (PORTAL,)


def test_the_replica_answers_under_practice_names_and_links_to_them(replica: LocalReplica) -> None:
    import http.client

    def get(host: str, path: str) -> tuple[int, dict[str, str], str]:
        connection = http.client.HTTPConnection("127.0.0.1", replica.port, timeout=10)
        connection.request("GET", path, headers={"Host": f"{host}:{replica.port}"})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()

    status, _, html = get(practice_name(PORTAL), "/usagers/")
    assert status == 200 and f'"sso_auth": "http://{practice_name(SSO)}:{replica.port}/auth/realms/' in html
    status, headers, _ = get(practice_name(PORTAL), "/particuliers/")       # the old prefix
    assert status == 301 and headers["Location"] == "/usagers/"
    status, _, html = get(practice_name("www.example.org"), "/")
    assert status == 404 and "Site non reproduit" in html
    for loopback in ("127.0.0.1", "localhost"):         # the loopback address itself: no other practice site
        status, _, html = get(loopback, "/")
        assert status == 404 and "Site non reproduit" in html


def wait_heading(qtbot, step, heading: str, host: str, step_id: str | None) -> None:
    def ready() -> bool:
        box: list[object] = []
        step.browser.run_js(HEADING, box.append)
        qtbot.waitUntil(lambda: bool(box), timeout=2000)
        position = step.guide.position
        on = position.page.step_id if position is not None and position.page is not None else None
        return box[0] == heading and f"://{host}:" in step.browser.url() and on == step_id
    try:
        qtbot.waitUntil(ready, timeout=15000)
    except WaitTimeout:
        raise AssertionError(f"wanted {heading!r} on {host} ({step_id}); at {step.browser.url()}") from None


@pytest.mark.real_stack
@pytest.mark.parametrize("language", ["fr", "ar"])
def test_practice_mode_opens_the_replica_with_the_site_maps_guide(make_kiosk, qtbot, language: str) -> None:
    kiosk = make_kiosk('[browser]\nsite = "practice"', pack=DEFAULT_PACK)
    practice, w = kiosk.practice, kiosk.window
    assert isinstance(practice, LocalReplica)
    step = w.browser_step
    start_procedure(kiosk, qtbot, language, "renewal")
    if kiosk.visit.screen is not Screen.STEP:
        kiosk.controller.next()                        # the guide's first step
    assert kiosk.visit.screen is Screen.STEP
    with qtbot.waitSignal(step.browser.page_loaded, timeout=20000):
        kiosk.controller.open_site()
    assert step.browser.url() == practice.start_url
    wait_heading(qtbot, step, "Étrangers en France", practice_name(PORTAL), "home")
    assert step.guide.practice_badge.isVisibleTo(step) and not step.guide.off_card.isVisibleTo(step)
    tr = kiosk.translators.get(language)
    home = next(p for p in kiosk.visit.pack.site.pages if p.id == "home")
    assert step.guide.title.text() == tr.content(home.title)
    if SHOTS.is_dir() and os.environ.get("PAN_SHOTS"):
        qtbot.wait(300)
        w.grab().save(str(SHOTS / f"practice-home-{language}.png"))
    js(qtbot, step.browser, "document.getElementById('connexion_link').click(); 1")
    wait_heading(qtbot, step, "Connexion", practice_name(PORTAL), "login_landing")
    js(qtbot, step.browser, "document.getElementById('btn-se-connecter').click(); 1")
    wait_heading(qtbot, step, "Vous avez déjà un compte", practice_name(SSO), "sso_login")   # its own host
    assert step.guide.practice_badge.isVisibleTo(step) and not step.guide.off_card.isVisibleTo(step)
    assert step.browser.blocked_requests.total == 0
    if SHOTS.is_dir() and os.environ.get("PAN_SHOTS"):
        qtbot.wait(300)
        w.grab().save(str(SHOTS / f"practice-sso-{language}.png"))
