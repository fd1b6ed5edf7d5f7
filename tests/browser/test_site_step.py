"""The browser step inside the visitor's flow (real QtWebEngine, practice mode: the replica on loopback):
a guide step opens the site, the kiosk's keyboard types into the page (the sign-on host's form), a
missing document is scanned from the site and the visitor comes back to the same page, Back returns to the
guide, and the wipe forgets the pages, the profile and what the replica remembered of the visitor."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_helpers import disk_roots, grep_disk, js  # noqa: E402
from PySide6.QtWidgets import QApplication
from screen_input import click, start_procedure  # noqa: E402
from step_helpers import open_sign_on, remembered, touch  # noqa: E402

from kiosk.content.model import StepKind  # noqa: E402
from kiosk.shell import keyboards  # noqa: E402
from kiosk.visit.session import EndReason  # noqa: E402
from kiosk.visit.visit import Screen  # noqa: E402

pytestmark = pytest.mark.real_stack
PLANTED = "Zqxvqplantedw"
SCREENS = Path(__file__).resolve().parents[2] / "build" / "screens" / "site"


def to_checklist(kiosk, qtbot, language: str) -> None:  # noqa: ANN001
    w = kiosk.window
    start_procedure(kiosk, qtbot, language)
    kiosk.controller.next()
    assert not w.step_pages[StepKind.QUESTION].site_button.isVisible()     # orientation: no site yet
    kiosk.controller.choose("one")
    assert w.stack.currentWidget() is w.step_pages[StepKind.CHECKLIST]


def keyboard_in_the_page(qtbot, w, step, practice) -> str:  # noqa: ANN001
    """The kiosk's keyboard types into a field of the page (a password field too: Chromium keeps input
    methods off there), and never covers the field. Returns the page's address."""
    browser = step.browser
    here = open_sign_on(qtbot, browser, practice)
    touch(qtbot, step, "#login")
    qtbot.waitUntil(w.keyboard.isVisible, timeout=5000)
    assert w.keyboard.layout_name == keyboards.LATIN                       # the site wants Latin letters
    for key in PLANTED.lower():
        w.keyboard.press(key)
    qtbot.waitUntil(lambda: js(qtbot, browser, "document.getElementById('login').value") == PLANTED.lower())
    # A field low on the page is scrolled into view above the keyboard, never covered by it.
    touch(qtbot, step, "h1")                       # off a text field: the keyboard goes
    qtbot.waitUntil(lambda: not w.keyboard.isVisible(), timeout=5000)
    low = "document.getElementById('password')"
    js(qtbot, browser, "document.body.style.padding = '1500px 0'; 1")      # a long page, as many are
    js(qtbot, browser, f"{low}.scrollIntoView({{block: 'end'}}); 1")           # the field at the bottom
    touch(qtbot, step, "#password")
    qtbot.waitUntil(w.keyboard.isVisible, timeout=5000)
    in_view = (f"(() => {{ const r = {low}.getBoundingClientRect();"
               " return r.top >= 0 && r.bottom <= window.innerHeight; })()")
    qtbot.waitUntil(lambda: js(qtbot, browser, in_view), timeout=5000)
    assert browser.view.mapTo(w, browser.view.rect().bottomLeft()).y() <= w.keyboard.y()
    touch(qtbot, step, "#login")
    return here


def test_the_site_opens_from_the_guide_and_the_visitor_comes_back(make_kiosk, qtbot, tmp_path) -> None:  # noqa: ANN001
    marker = tmp_path / "marker"
    marker.write_text("")
    kiosk = make_kiosk('[browser]\nsite = "practice"')
    w, practice = kiosk.window, kiosk.practice
    assert practice is not None and w.browser_step is not None
    step, browser = w.browser_step, w.browser_step.browser
    to_checklist(kiosk, qtbot, "ar")
    checklist = w.step_pages[StepKind.CHECKLIST]
    assert checklist.site_button.text() == kiosk.translators.get("ar").tr("Open the practice site")
    with qtbot.waitSignal(browser.page_loaded, timeout=20000):
        click(qtbot, checklist.site_button)
    assert kiosk.visit.screen is Screen.SITE and w.stack.currentWidget() is step
    assert browser.url() == practice.start_url and w.bottom_bar.back_button.isEnabled()     # the replica

    here = keyboard_in_the_page(qtbot, w, step, practice)
    assert remembered(practice) > 0                        # the sign-on form the visitor opened
    js(qtbot, browser, f"document.cookie = 'visitor={PLANTED}; max-age=86400';"
                       f" localStorage.setItem('visitor', '{PLANTED}'); 1")
    view = browser.view

    # A document missing from the site's upload: scanned, then back to the very same page.
    step.scan_requested.emit("passport")
    assert kiosk.visit.screen is Screen.SCAN and w.stack.currentWidget() is w.scan_page
    assert not w.keyboard.isVisible()
    click(qtbot, w.bottom_bar.back_button)
    assert kiosk.visit.screen is Screen.SITE and browser.view is view
    assert browser.url() == here
    assert js(qtbot, browser, "document.getElementById('login').value") == PLANTED.lower()

    # A page the site prints (window.print) goes of the site (window.print) through the kiosk's own printing.
    with qtbot.waitSignal(w.printing.finished, timeout=20000):
        browser.run_js("window.print()")
    assert w.printing.document

    click(qtbot, w.bottom_bar.back_button)
    assert kiosk.visit.screen is Screen.STEP and w.stack.currentWidget() is checklist
    click(qtbot, checklist.site_button)                  # the site is kept between the guide and it
    assert browser.view is view and browser.url() == here

    kiosk.controller.end(EndReason.FINISHED)
    QApplication.processEvents()
    assert step.is_empty() and browser.profile is None and remembered(practice) == 0
    assert kiosk.visit.screen is Screen.ATTRACT and not w.keyboard.isVisible()
    report = kiosk.controller.last_report
    assert report is not None and report.ok and not report.failed
    for value in (PLANTED, PLANTED.lower()):      # typed into the page; in its cookie and storage
        assert grep_disk(value, disk_roots(tmp_path), since=marker) == []
    # the next visitor's site knows nothing of the previous one
    to_checklist(kiosk, qtbot, "fr")
    with qtbot.waitSignal(browser.page_loaded, timeout=20000):
        click(qtbot, checklist.site_button)
    assert browser.view is not view and browser.url() == practice.start_url
    assert js(qtbot, browser, "document.cookie + '|' + (localStorage.getItem('visitor') || '')") == "|"


def test_no_browser_means_no_site_button(make_kiosk, qtbot) -> None:  # noqa: ANN001
    kiosk = make_kiosk()                                  # the UI tests' default: [browser] site = "none"
    to_checklist(kiosk, qtbot, "fr")
    assert kiosk.window.browser_step is None and kiosk.practice is None
    assert not kiosk.window.step_pages[StepKind.CHECKLIST].site_button.isVisible()


def test_site_not_working_prints_a_proof_and_counts_a_site_failure(make_kiosk, qtbot, tmp_path) -> None:  # noqa: ANN001
    kiosk = make_kiosk('[browser]\nsite = "practice"')
    w = kiosk.window
    step = w.browser_step
    to_checklist(kiosk, qtbot, "fr")
    with qtbot.waitSignal(step.browser.page_loaded, timeout=20000):
        click(qtbot, w.step_pages[StepKind.CHECKLIST].site_button)
    click(qtbot, w.read_aloud.button)                               # read-aloud reads the guide
    said = " ".join(s.text for s in w.read_aloud.speech.said)
    fr = kiosk.translators.get("fr")
    assert step.guide.title.text() in said and fr.tr("Practice — nothing is sent") in said   # the replica
    click(qtbot, step.guide.incident_button)
    assert step.incident.isVisible()
    with qtbot.waitSignal(w.printing.finished, timeout=20000) as printed:
        click(qtbot, step.incident.without_shot)
    proof = Path(printed.args[0])
    assert proof.parent == kiosk.sessions.current.directory and w.printing.document
    assert w.print_overlay.isVisible()                              # the visitor sees it print
    kiosk.controller.end(EndReason.FINISHED)
    assert not proof.exists()                                       # the proof went with the wipe
    counters = (tmp_path / "state" / "counters.csv").read_text()
    assert ",site_failure," in counters, counters
