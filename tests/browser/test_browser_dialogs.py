"""The page's JavaScript dialogs (alert, confirm, prompt, beforeunload) and the other windows QtWebEngine
could open over the kiosk (colour chooser, password box, select list, the kiosk's own file picker):
answered at once and shown in the kiosk's overlay, rate-limited, never in front of Back, Help and
Finish; and the end of the visit is safe whatever the page is doing (real QtWebEngine, offscreen)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from browser_helpers import click as click_in_page
from browser_helpers import js, load, wait_dataset
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from screen_input import click, start_procedure
from step_helpers import texts

from kiosk.browser.policy import NavigationPolicy
from kiosk.browser.ui.dialogs import (
    ANSWER_YES,
    EXPLANATIONS,
    KEEPS_ASKING,
    KEEPS_ASKING_TEXT,
    TITLES,
    DialogKind,
    DialogLimiter,
    Verdict,
)
from kiosk.browser.ui.panels import FilePicker
from kiosk.content.model import StepKind
from kiosk.visit.session import EndReason
from kiosk.visit.visit import Screen

pytestmark = pytest.mark.real_stack

MAIN_WORLD = 0          # the page's own JavaScript world: where its dialogs come from
SUPPORT = Path(__file__).resolve().parents[1] / "support"
PRACTICE = '[browser]\nsite = "practice"'


def page_js(qtbot, browser, script: str, timeout: int = 5000) -> object:  # noqa: ANN001
    """Run `script` as the page's own code would (main world) and return its result."""
    box: list[object] = []
    browser.run_js(script, box.append, MAIN_WORLD)
    qtbot.waitUntil(lambda: bool(box), timeout=timeout)
    return box[0]


def dialogs_on_screen() -> list[QDialog]:
    """Dialog windows shown over the kiosk, except the kiosk's own file picker."""
    return [w for w in QApplication.topLevelWidgets()
            if isinstance(w, QDialog) and w.isVisible() and not isinstance(w, FilePicker)
            and not w.testAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)]


@pytest.fixture
def native() -> Iterator[list[str]]:
    """The class names of the dialog windows put on screen during the test. Each is closed at once, as a
    visitor would close it, so that the nested event loop of a native box ends and the test fails
    cleanly instead of waiting forever. Ask for it before the kiosk or browser: it stops last."""
    seen: list[str] = []

    def look() -> None:
        for dialog in dialogs_on_screen():
            seen.append(dialog.metaObject().className())
            dialog.reject()

    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(look)
    timer.start()
    yield seen
    timer.stop()


def open_site(kiosk, qtbot, language: str):  # noqa: ANN001, ANN201
    """Attract screen → procedure → checklist → "Open the practice site"; returns the browser step."""
    w = kiosk.window
    start_procedure(kiosk, qtbot, language)
    kiosk.controller.next()
    kiosk.controller.choose("one")
    step = w.browser_step
    with qtbot.waitSignal(step.browser.page_loaded, timeout=20000):
        click(qtbot, w.step_pages[StepKind.CHECKLIST].site_button)
    return step


# --- the rule ----------------------------------------------------------------------------------------

def test_the_limiter_drops_a_flood_and_lets_a_quiet_page_speak_again(clock) -> None:  # noqa: ANN001
    limiter = DialogLimiter(clock, limit=3, window_s=10)
    assert [limiter.check() for _ in range(3)] == [Verdict.SHOW] * 3
    assert limiter.check() is Verdict.SUPPRESS          # told once
    clock.advance(9)
    assert limiter.check() is Verdict.DROP              # a loop stays dropped for as long as it runs
    clock.advance(9)
    assert limiter.check() is Verdict.DROP
    clock.advance(10)                                   # quiet for the whole window
    assert limiter.check() is Verdict.SHOW and not limiter.suppressing
    clock.advance(4)
    assert [limiter.check() for _ in range(2)] == [Verdict.SHOW, Verdict.SHOW]
    clock.advance(7)                                    # the first of the three has left the window
    assert limiter.check() is Verdict.SHOW


# --- the locked browser ------------------------------------------------------------------------------

def test_alert_confirm_and_prompt_are_answered_at_once_without_a_native_box(qtbot, native, make_browser,
                                                                            aux_site) -> None:
    browser = make_browser()
    load(qtbot, browser, aux_site.url + "check")
    answered: list[tuple[str, str, bool]] = []
    browser.dialog_answered.connect(lambda *args: answered.append(tuple(args)))
    result = page_js(qtbot, browser, "(() => { alert('Votre session va expirer.');"
                                     " const c = confirm('Voulez-vous supprimer ce justificatif ?');"
                                     " const p = prompt('Votre nom ?', 'Benali');"
                                     " return JSON.stringify([c, p]); })()")
    assert json.loads(str(result)) == [False, None]     # confirm: "no"; prompt: declined
    assert answered == [("alert", "Votre session va expirer.", True),
                        ("confirm", "Voulez-vous supprimer ce justificatif ?", False),
                        ("prompt", "Votre nom ?", False)]
    assert native == []


def test_answer_yes_holds_for_the_next_time_the_page_asks_that_question(qtbot, native, make_browser,
                                                                         aux_site) -> None:
    browser = make_browser()
    load(qtbot, browser, aux_site.url + "check")
    question = "Confirmez-vous l'envoi de votre demande ?"
    ask = f"confirm({json.dumps(question)})"
    assert page_js(qtbot, browser, ask) is False
    browser.answer_yes_next_time(question)
    assert page_js(qtbot, browser, "confirm('Une autre question ?')") is False    # that question only
    assert page_js(qtbot, browser, f"JSON.stringify([{ask}, {ask}])") == "[true,false]"   # once
    assert native == []


def test_a_page_that_asks_before_leaving_does_not_hold_the_kiosk(qtbot, native, make_browser,
                                                                 aux_site) -> None:
    """beforeunload: Chromium asks "leave this page?" once the visitor touched the page. The kiosk's own
    navigations (Back to the expected page, Reload) and the visitor's links always leave."""
    browser = make_browser()
    load(qtbot, browser, aux_site.url + "check")
    page_js(qtbot, browser, "window.addEventListener('beforeunload', e => {"
                            " e.preventDefault(); e.returnValue = ''; }); 1")
    page_js(qtbot, browser, "document.body.insertAdjacentHTML('beforeend', '<input id=\"f\""
                            " style=\"width:300px;height:60px\">'); 1")
    click_in_page(qtbot, browser, "#f")                 # a touch: the page may now ask before leaving
    page_js(qtbot, browser, "document.getElementById('f').value = 'typed'; 1")
    assert load(qtbot, browser, aux_site.url + "other", timeout=8000) == "Check"
    assert browser.url() == aux_site.url + "other" and native == []


def test_the_colour_chooser_never_opens_over_the_kiosk(qtbot, native, make_browser, aux_site) -> None:
    browser = make_browser()
    load(qtbot, browser, aux_site.url + "check")
    page_js(qtbot, browser, "document.body.insertAdjacentHTML('beforeend', '<input type=\"color\" id=\"c\""
                            " value=\"#336699\" style=\"width:300px;height:60px\">');"
                            " document.getElementById('c').addEventListener('change',"
                            " () => { document.body.dataset.changed = 'yes'; }); 1")
    before = browser.guard.swallowed
    click_in_page(qtbot, browser, "#c")
    qtbot.wait(500)
    assert native == []
    assert browser.guard.swallowed == before + 1        # Chromium asked: refused
    assert js(qtbot, browser, "document.getElementById('c').value") == "#336699"
    click_in_page(qtbot, browser, "#c")                 # the page is still usable: asked again, refused
    qtbot.waitUntil(lambda: browser.guard.swallowed > before + 1, timeout=5000)
    browser.wipe()
    qtbot.wait(200)
    assert native == []


def test_a_select_list_open_at_the_wipe_goes_with_the_page(qtbot, native, make_browser, aux_site) -> None:
    """Chromium draws <select> lists itself in a popup (the site's forms need them): not a dialog, and
    it does not outlive the visitor's page."""
    browser = make_browser()
    load(qtbot, browser, aux_site.url + "check")
    page_js(qtbot, browser, "document.body.insertAdjacentHTML('beforeend', '<select id=\"s\""
                            " style=\"width:300px;height:60px\"><option>Maroc</option>"
                            "<option>Tunisie</option></select>'); 1")

    def popups() -> list[QWidget]:
        return [w for w in QApplication.topLevelWidgets()
                if w.isVisible() and w.windowType() == Qt.WindowType.Popup]

    click_in_page(qtbot, browser, "#s")
    qtbot.waitUntil(lambda: bool(popups()), timeout=5000)
    browser.wipe()
    qtbot.waitUntil(lambda: not popups(), timeout=5000)
    assert native == [] and browser.view is None


class _PasswordSite:
    """Plain HTTP on 127.0.0.1 that answers every page with 401 and a Basic challenge."""

    def __init__(self) -> None:
        self.authorizations: list[str] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                if self.headers.get("Authorization"):
                    site.authorizations.append(self.headers["Authorization"])
                body = b"<h1>Refused</h1>"
                self.send_response(401)
                self.send_header("WWW-Authenticate", 'Basic realm="intranet"')
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def host_entry(self) -> str:
        return f"127.0.0.1:{self.server.server_address[1]}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_a_password_request_is_refused_without_a_box(qtbot, native, qapp) -> None:  # noqa: ANN001
    """HTTP authentication: no password box; Chromium gives up and the kiosk shows its recovery screen."""
    from kiosk.browser.ui import LockedBrowser

    site = _PasswordSite()
    try:
        browser = LockedBrowser(NavigationPolicy([site.host_entry]))
        qtbot.addWidget(browser, before_close_func=lambda b: b.wipe())
        browser.setGeometry(0, 0, 800, 600)
        browser.show()
        browser.new_visitor(None)
        url = f"http://{site.host_entry}/"
        with qtbot.waitSignal(browser.load_failed, timeout=15000) as failed:      # the recovery screen
            browser.load(url)
        assert failed.args[0] == url
        # Nothing of the visitor's is sent: Qt answers an authenticator left unfilled with an empty name
        # and password (":", its cancel path is unreachable once it has set the realm) until Chromium
        # gives up (ERR_TOO_MANY_RETRIES).
        assert native == [] and set(site.authorizations) <= {"Basic Og=="}
    finally:
        site.stop()


# --- the kiosk: overlay, read-aloud, Back/Help/Finish, the end of the visit -------------------------

def test_the_sites_message_is_shown_and_read_inside_the_kiosk_over_the_site_only(qtbot, native,
                                                                                  make_kiosk) -> None:
    kiosk = make_kiosk(PRACTICE)
    w = kiosk.window
    step = open_site(kiosk, qtbot, "ar")
    ar = kiosk.translators.get("ar")
    click(qtbot, w.read_aloud.button)                   # read-aloud on for the rest of the visit
    said = w.read_aloud.speech.said
    before = len(said)
    message = "Votre session va expirer dans 5 minutes, Samira."
    page_js(qtbot, step.browser, f"alert({json.dumps(message)}); 1")
    overlay = step.page_dialog
    qtbot.waitUntil(overlay.isVisible, timeout=5000)
    shown = texts(overlay)
    explanation = ar.tr(EXPLANATIONS[DialogKind.ALERT])
    assert explanation != EXPLANATIONS[DialogKind.ALERT]                 # really translated
    assert ar.tr(TITLES[DialogKind.ALERT]) in shown and explanation in shown
    assert any(message in text for text in shown)                       # the site's own words
    assert overlay.layoutDirection() == Qt.LayoutDirection.RightToLeft
    # over the site only: the guide beside it and the kiosk's bars stay in reach
    assert overlay.geometry() == step.site_stack.geometry()
    assert not overlay.geometry().intersects(step.guide.geometry())
    assert step.guide.incident_button.isVisible() and w.bottom_bar.finish_button.isVisible()
    # read aloud: the kiosk's explanation; the site's words (they can name the visitor) only in a headset
    qtbot.waitUntil(lambda: len(said) > before, timeout=5000)
    assert said[-1].language == "ar" and explanation in said[-1].text and "Samira" not in said[-1].text
    click(qtbot, overlay.close_button)
    assert not overlay.isVisible() and overlay.entries == []
    assert native == []


def test_a_confirm_question_can_be_answered_yes_through_the_kiosk(qtbot, native, make_kiosk) -> None:
    kiosk = make_kiosk(PRACTICE)
    step = open_site(kiosk, qtbot, "fr")
    fr = kiosk.translators.get("fr")
    question = "Voulez-vous vraiment supprimer ce document ?"
    page_js(qtbot, step.browser, "window.__answers = []; window.ask = () => {"
                                 f" window.__answers.push(confirm({json.dumps(question)}));"
                                 " document.body.dataset.answers = JSON.stringify(window.__answers); };"
                                 " ask(); 1")
    overlay = step.page_dialog
    qtbot.waitUntil(overlay.isVisible, timeout=5000)
    assert fr.tr(TITLES[DialogKind.CONFIRM]) in texts(overlay)
    assert fr.tr(EXPLANATIONS[DialogKind.CONFIRM]) in texts(overlay)
    yes = overlay.findChild(QWidget, "page_dialog_yes")
    assert yes.text() == fr.tr(ANSWER_YES)
    click(qtbot, yes)
    assert not overlay.isVisible()
    page_js(qtbot, step.browser, "ask(); 1")            # the visitor does it again on the site
    assert wait_dataset(qtbot, step.browser, "answers") == "[false,true]"
    qtbot.wait(100)
    assert not overlay.isVisible() and native == []


def test_a_page_looping_alert_is_rate_limited_and_back_help_finish_still_work(qtbot, native,
                                                                               make_kiosk) -> None:
    kiosk = make_kiosk(PRACTICE)
    w = kiosk.window
    step = open_site(kiosk, qtbot, "fr")
    fr = kiosk.translators.get("fr")
    suppressed: list[bool] = []
    step.browser.dialogs_suppressed.connect(lambda: suppressed.append(True))
    page_js(qtbot, step.browser, "window.__n = 0; window.__loop = setInterval(() => {"
                                 " window.__n++; alert('Message ' + window.__n);"
                                 " if (window.__n >= 3000) clearInterval(window.__loop); }, 4); 1")
    qtbot.waitUntil(lambda: suppressed == [True], timeout=10000)
    overlay = step.page_dialog
    assert overlay.isVisible()
    assert [message for _kind, message in overlay.entries] == ["Message 1", "Message 2", "Message 3"]
    assert fr.tr(KEEPS_ASKING) in texts(overlay) and fr.tr(KEEPS_ASKING_TEXT) in texts(overlay)
    # the kiosk's own controls, while the page keeps calling alert()
    assert QApplication.activeModalWidget() is None
    count = "window.__n"
    looped = float(str(page_js(qtbot, step.browser, count)))
    click(qtbot, w.bottom_bar.help_button)
    assert w.help_overlay.isVisible()
    click(qtbot, w.help_overlay.findChild(QWidget, "help_close"))
    click(qtbot, w.bottom_bar.finish_button)
    assert w.confirm_overlay.isVisible()
    click(qtbot, w.confirm_overlay.findChild(QWidget, "finish_no"))
    click(qtbot, step.guide.incident_button)            # the guide beside the site, too
    assert step.incident.isVisible()
    click(qtbot, step.incident.cancel)
    qtbot.wait(200)
    assert looped < float(str(page_js(qtbot, step.browser, count))) < 3000   # the page kept looping
    click(qtbot, w.bottom_bar.back_button)
    assert kiosk.visit.screen is Screen.STEP
    page_js(qtbot, step.browser, "clearInterval(window.__loop); 1")
    assert suppressed == [True] and len(overlay.entries) == 3 and native == []


def test_the_end_of_the_visit_while_the_file_picker_is_open_closes_it(qtbot, native, make_kiosk) -> None:
    """The kiosk's file picker is modal (Chromium waits for its answer): the idle timeout can end the
    visit under it. The picker, which shows the visitor's documents, must go with the visit."""
    kiosk = make_kiosk(PRACTICE)
    step = open_site(kiosk, qtbot, "fr")
    page_js(qtbot, step.browser, "document.body.insertAdjacentHTML('afterbegin', '<input type=\"file\""
                                 " id=\"up\" style=\"width:300px;height:60px\">'); 1")
    left_open: list[bool] = []
    reports: list[object] = []

    def pickers() -> list[FilePicker]:
        return [p for p in QApplication.topLevelWidgets() if isinstance(p, FilePicker) and p.isVisible()]

    def look_after() -> None:           # runs inside the picker's event loop if it is still open
        for picker in pickers():
            left_open.append(True)
            picker.reject()

    def end_when_open() -> None:
        if not pickers():
            QTimer.singleShot(50, end_when_open)
            return
        reports.append(kiosk.controller.end(EndReason.IDLE))      # as the idle timer would
        QTimer.singleShot(300, look_after)

    QTimer.singleShot(50, end_when_open)
    click_in_page(qtbot, step.browser, "#up")
    qtbot.waitUntil(lambda: bool(reports), timeout=10000)
    qtbot.wait(400)
    assert left_open == [] and not pickers()
    report = reports[0]
    assert report.ok and kiosk.visit.screen is Screen.ATTRACT     # type: ignore[attr-defined]
    assert step.is_empty() and native == []


IDLE_DURING_ALERTS = r"""
import json, os, sys
from pathlib import Path
sys.path.insert(0, sys.argv[2])
from fakes import FakeClock
from PySide6.QtCore import QTimer
from kiosk import app as app_mod, config as config_mod
from kiosk.content.model import StepKind

app = app_mod.application()
clock = FakeClock()
kiosk = app_mod.build(config_mod.parse(Path(sys.argv[1]).read_text(), "test.toml"), clock=clock,
                      fullscreen=False)
kiosk.window.resize(1080, 1920)
kiosk.window.show()
c, w = kiosk.controller, kiosk.window
step = w.browser_step
c.touch_start(); c.choose_language("fr"); c.choose_procedure("alpha"); c.next(); c.choose("one")
result = {}
QTimer.singleShot(60000, lambda: os._exit(3))

def idle_timeout():                 # the idle policy's own path: warning, then the end of the visit
    result["looping"] = step.browser.page.title() == "looping"
    clock.advance(c.idle.timeout_s + 1); c.tick()
    clock.advance(c.idle.warning_s + 1); c.tick()
    report = c.last_report
    result.update(reason=report.reason.value if report else None, ok=bool(report and report.ok),
                  screen=kiosk.visit.screen.value, empty=step.is_empty())
    QTimer.singleShot(1000, finish)

def finish():
    print("RESULT " + json.dumps(result), flush=True)
    kiosk.shutdown()
    app.quit()

def loaded(url, heading):
    step.browser.page_loaded.disconnect(loaded)
    step.browser.run_js("setTimeout(() => { document.title = 'looping';"
                        " for (;;) alert('Votre session va expirer.'); }, 0); 1", None, 0)
    QTimer.singleShot(1500, idle_timeout)

step.browser.page_loaded.connect(loaded)
w.step_pages[StepKind.CHECKLIST].site_button.click()
app.exec()
print("SURVIVED", flush=True)
"""


def test_the_idle_timeout_during_an_alert_loop_ends_the_visit_and_the_kiosk_survives(
        tmp_path, fixture_pack) -> None:  # noqa: ANN001
    """The issue's crash: one unanswered alert, then the idle timeout, aborted the process ('free():
    invalid size', exit 134). Run in its own process so that a crash fails this test alone."""
    config = tmp_path / "kiosk.toml"
    config.write_text(f'[content]\npack = "{fixture_pack}"\n[session]\nroot = "{tmp_path}/sessions"\n'
                      f'[stats]\ndir = "{tmp_path}/state"\n[mediator]\njournal_dir = "{tmp_path}/journal"\n'
                      '[browser]\nsite = "practice"\n')
    script = tmp_path / "idle_during_alerts.py"
    script.write_text(IDLE_DURING_ALERTS)
    done = subprocess.run([sys.executable, str(script), str(config), str(SUPPORT)], capture_output=True,
                          text=True, timeout=120, env={**os.environ, "PYTHONFAULTHANDLER": "1"},
                          check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    line = next(x for x in done.stdout.splitlines() if x.startswith("RESULT "))
    result = json.loads(line.removeprefix("RESULT "))
    assert result["reason"] == "idle" and result["ok"] and result["empty"]
    assert result["screen"] == "attract" and result["looping"]
    assert "SURVIVED" in done.stdout
