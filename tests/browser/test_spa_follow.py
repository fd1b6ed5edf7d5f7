"""The guide follows a single-page app: route changes without a load (hashchange, pushState with a DOM
swap, a DOM swap alone) reach the kiosk as route_changed(url, heading), read from the page itself."""

from __future__ import annotations

import pytest
from browser_helpers import js

pytestmark = pytest.mark.real_stack


def test_route_and_heading_changes_without_a_load_are_reported(qtbot, make_browser, aux_site) -> None:  # noqa: ANN001
    browser = make_browser()
    loads: list[tuple[str, str]] = []
    routes: list[tuple[str, str]] = []
    browser.page_loaded.connect(lambda url, heading: loads.append((url, heading)))
    browser.route_changed.connect(lambda url, heading: routes.append((url, heading)))
    with qtbot.waitSignal(browser.page_loaded, timeout=10000):
        browser.load(aux_site.url + "spa")
    qtbot.waitUntil(lambda: ("Accueil" in [h for _u, h in routes]), timeout=5000)   # the watcher runs
    loaded = len(loads)

    js(qtbot, browser, "location.hash = '#/mon-compte'; 1")
    qtbot.waitUntil(lambda: routes[-1] == (aux_site.url + "spa#/mon-compte", "Mon espace personnel"),
                    timeout=3000)
    heading = "document.getElementById('h').textContent"          # the DOM is shared by both worlds
    js(qtbot, browser, f"history.pushState({{}}, '', '/spa/etape-2'); {heading} = "
                       "'Je joins mes documents justificatifs'; 1")
    want = (aux_site.url + "spa/etape-2", "Je joins mes documents justificatifs")
    qtbot.waitUntil(lambda: routes[-1] == want, timeout=3000)
    js(qtbot, browser, f"{heading} = 'Récapitulatif'; 1")          # a wizard's next step, same address
    qtbot.waitUntil(lambda: routes[-1][1] == "Récapitulatif", timeout=3000)
    assert len(loads) == loaded                                      # none of these was a page load
