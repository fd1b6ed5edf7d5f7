"""Every way out of the locked browser that a visitor or a page could try, and how it is refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from browser_helpers import click, element_center, js, js_json, load, render_widget, wait_dataset
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu

pytestmark = pytest.mark.real_stack

RECORD_KEYS = ("window.__keys = []; document.addEventListener('keydown', e => {"
               " if (['Control', 'Shift', 'Alt', 'Meta'].includes(e.key)) return; window.__keys.push("
               "(e.ctrlKey ? 'C-' : '') + (e.shiftKey ? 'S-' : '') + (e.altKey ? 'A-' : '') + e.key); "
               "document.body.dataset.keys = JSON.stringify(window.__keys); }, true); 1")


def inject(qtbot, browser, html: str) -> None:
    js(qtbot, browser, f"document.body.insertAdjacentHTML('beforeend', {json.dumps(html)}); 1")


def top_level_views() -> list[object]:
    from PySide6.QtWebEngineWidgets import QWebEngineView
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QWebEngineView) and w.isVisible()]


@pytest.fixture
def on_check_page(qtbot, make_browser, aux_site, session_dir):
    browser = make_browser(session_dir)
    load(qtbot, browser, aux_site.url + "check")
    refused: list[tuple[str, str]] = []
    browser.navigation_refused.connect(lambda url, reason: refused.append((url, reason)))
    return browser, refused


def test_typed_addresses_of_other_schemes_and_hosts_are_refused(qtbot, on_check_page) -> None:
    browser, refused = on_check_page
    start = browser.url()
    typed = ["file:///etc/passwd", "data:text/html,<h1>x</h1>", "javascript:document.title='x'",
             "view-source:" + start, "chrome://version", "devtools://devtools/bundled/inspector.html",
             "about:config", "ftp://example.org/", "https://www.example.com/", "http://example.org/"]
    for url in typed:
        assert browser.load(url) is False
    assert [reason for _, reason in refused] == ["scheme"] * 8 + ["host", "insecure"]
    qtbot.wait(200)
    assert browser.url() == start and js(qtbot, browser, "document.title") == "check"


def test_links_and_scripts_to_forbidden_places_go_nowhere(qtbot, on_check_page) -> None:
    browser, _ = on_check_page
    start = browser.url()
    inject(qtbot, browser, '<a id="file" href="file:///etc/passwd">f</a>'
                           '<a id="data" href="data:text/html,<h1>x</h1>">d</a>'
                           '<a id="out" href="https://www.example.com/">o</a>')
    with qtbot.waitSignal(browser.navigation_refused) as blocker:
        click(qtbot, browser, "#out")
    assert blocker.args == ["https://www.example.com/", "host"]
    click(qtbot, browser, "#file")      # Chromium itself never lets a web page open file: or data:
    click(qtbot, browser, "#data")
    js(qtbot, browser, "location.href = 'file:///etc/passwd'; 1")
    js(qtbot, browser, "location.href = 'data:text/html,x'; 1")
    with qtbot.waitSignal(browser.navigation_refused):
        js(qtbot, browser, "document.body.insertAdjacentHTML('beforeend',"
                           "'<iframe src=\"https://www.example.com/\"></iframe>'); 1")
    qtbot.wait(300)
    assert browser.url() == start and js(qtbot, browser, "document.title") == "check"


def test_popups_open_in_the_same_view_or_are_refused(qtbot, on_check_page, aux_site) -> None:
    browser, _ = on_check_page
    views = len(top_level_views())
    inject(qtbot, browser, f'<a id="blank" target="_blank" href="{aux_site.url}plant?v=0">b</a>'
                           '<a id="blank-out" target="_blank" href="https://www.example.com/">x</a>')
    with qtbot.waitSignal(browser.navigation_refused) as blocker:
        js(qtbot, browser, "window.open('https://www.example.com/popup'); 1")
    assert blocker.args == ["https://www.example.com/popup", "host"]
    with qtbot.waitSignal(browser.navigation_refused) as blocker:
        click(qtbot, browser, "#blank-out")
    assert blocker.args[1] == "host"
    with qtbot.waitSignal(browser.page_loaded) as loaded:
        click(qtbot, browser, "#blank")
    assert loaded.args[0] == aux_site.url + "plant?v=0"
    with qtbot.waitSignal(browser.navigation_refused) as blocker:
        js(qtbot, browser, "window.open(''); 1")
    assert blocker.args[1] == "popup"
    assert len(top_level_views()) == views


def test_popups_are_refused_when_the_terminal_says_so(qtbot, make_browser, aux_site) -> None:
    browser = make_browser(popups_in_same_view=False)
    load(qtbot, browser, aux_site.url + "check")
    with qtbot.waitSignal(browser.navigation_refused) as blocker:
        js(qtbot, browser, f"window.open('{aux_site.url}other'); 1")
    assert blocker.args == [aux_site.url + "other", "popup"]
    qtbot.wait(200)
    assert browser.url() == aux_site.url + "check"


def test_no_context_menu(qtbot, on_check_page) -> None:
    browser, _ = on_check_page
    js(qtbot, browser, "document.addEventListener('contextmenu', () => "
                       "{ document.body.dataset.menu = 'asked'; }); 1")
    QTest.mouseClick(render_widget(browser), Qt.MouseButton.RightButton, Qt.KeyboardModifier.NoModifier,
                     QPoint(200, 200))
    assert wait_dataset(qtbot, browser, "menu") == "asked"      # the right-click reached the page
    qtbot.wait(200)
    assert QApplication.activePopupWidget() is None
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QMenu) and w.isVisible()]


def test_browser_shortcuts_are_swallowed(qtbot, on_check_page) -> None:
    browser, refused = on_check_page
    js(qtbot, browser, RECORD_KEYS)
    target = render_widget(browser)
    ctrl, shift, alt = (Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier,
                        Qt.KeyboardModifier.AltModifier)
    for key in (Qt.Key.Key_O, Qt.Key.Key_S, Qt.Key.Key_P, Qt.Key.Key_N, Qt.Key.Key_T, Qt.Key.Key_L,
                Qt.Key.Key_U):
        QTest.keyClick(target, key, ctrl)
    QTest.keyClick(target, Qt.Key.Key_F12)
    QTest.keyClick(target, Qt.Key.Key_I, ctrl | shift)
    QTest.keyClick(target, Qt.Key.Key_F4, alt)
    QTest.keyClick(target, Qt.Key.Key_A)       # an ordinary key still reaches the page
    assert wait_dataset(qtbot, browser, "keys") == '["a"]'
    assert browser.guard.swallowed >= 10
    assert browser.url().endswith("/check") and browser.isVisible() and not refused


def test_dropping_an_address_does_not_navigate(qtbot, on_check_page, practice_site) -> None:
    """A real drag cannot be synthesised offscreen (Chromium answers drags asynchronously through the
    platform's drag manager): this proves the drag never reaches Chromium, whose own navigate-on-drop
    is off too."""
    from PySide6.QtWebEngineCore import QWebEngineSettings

    browser, _ = on_check_page
    start = browser.url()
    data = QMimeData()
    data.setUrls([QUrl(practice_site.start_url)])  # an allowed address: the policy would not stop it
    data.setText(practice_site.start_url)
    actions = Qt.DropAction.CopyAction | Qt.DropAction.LinkAction
    target = render_widget(browser)     # the widget that accepts drops (the view itself does not)
    for _ in range(2):
        before = browser.guard.swallowed
        enter = QDragEnterEvent(QPoint(300, 300), actions, data, Qt.MouseButton.LeftButton,
                                Qt.KeyboardModifier.NoModifier)
        enter.setAccepted(False)
        QApplication.sendEvent(target, enter)
        drop = QDropEvent(QPointF(300, 300), actions, data, Qt.MouseButton.LeftButton,
                          Qt.KeyboardModifier.NoModifier)
        drop.setAccepted(False)
        browser.guard.eventFilter(target, drop)
        assert browser.guard.swallowed - before == 2 and not enter.isAccepted() and not drop.isAccepted()
    settings = browser.profile.settings()
    assert not settings.testAttribute(QWebEngineSettings.WebAttribute.NavigateOnDropEnabled)
    qtbot.wait(300)
    assert browser.url() == start


def test_an_injected_file_input_goes_through_the_kiosk_picker(qtbot, on_check_page, session_dir) -> None:
    browser, _ = on_check_page
    scan = session_dir / "scan.pdf"
    scan.write_bytes(b"%PDF-1.4\n")
    asked: list[list[str]] = []
    offers = [["/etc/hostname"], [str(scan)]]
    browser.set_file_provider(lambda accept: (asked.append(accept), offers[len(asked) - 1])[1])
    inject(qtbot, browser, '<input type="file" id="inj" accept="image/png" style="width:300px;height:60px">')
    names = "[...document.getElementById('inj').files].map(f => f.name)"
    click(qtbot, browser, "#inj")
    qtbot.waitUntil(lambda: len(asked) == 1)
    qtbot.wait(100)
    assert js_json(qtbot, browser, names) == []         # outside the session directory: refused
    click(qtbot, browser, "#inj")
    qtbot.waitUntil(lambda: js_json(qtbot, browser, names) == ["scan.pdf"])
    assert asked == [["image/png"], ["image/png"]]


def test_downloads_land_only_in_the_session_directory(qtbot, on_check_page, aux_site,
                                                      session_dir: Path) -> None:
    browser, _ = on_check_page
    downloads = Path.home() / "Downloads"
    before = set(downloads.iterdir()) if downloads.exists() else set()
    with qtbot.waitSignal(browser.download_finished, timeout=10000) as blocker:
        js(qtbot, browser, f"location.href = '{aux_site.url}attachment?name=../../../etc/evil.pdf'; 1")
    path = Path(blocker.args[0])
    assert path.parent == session_dir and path.name == "evil.pdf"
    assert path.read_bytes().startswith(b"%PDF")
    with qtbot.waitSignal(browser.download_finished, timeout=10000) as blocker:
        js(qtbot, browser, f"location.href = '{aux_site.url}attachment?name=evil.pdf'; 1")
    assert Path(blocker.args[0]) == session_dir / "evil (2).pdf"
    assert (set(downloads.iterdir()) if downloads.exists() else set()) == before


def test_downloads_are_refused_without_a_session_directory(qtbot, make_browser, aux_site) -> None:
    browser = make_browser(None)
    load(qtbot, browser, aux_site.url + "check")
    with qtbot.waitSignal(browser.download_refused, timeout=10000) as blocker:
        js(qtbot, browser, f"location.href = '{aux_site.url}attachment?name=a.pdf'; 1")
    assert blocker.args == ["a.pdf"]


def test_page_cannot_close_the_window_or_go_full_screen(qtbot, on_check_page) -> None:
    browser, _ = on_check_page
    closes: list[bool] = []
    browser.page.windowCloseRequested.connect(lambda: closes.append(True))
    js(qtbot, browser, "window.close(); 1")
    qtbot.waitUntil(lambda: closes == [True])
    inject(qtbot, browser, '<button id="fs" style="width:200px;height:60px" onclick="'
                           "document.documentElement.requestFullscreen()"
                           ".then(() => document.body.dataset.fs = 'granted')"
                           ".catch(e => document.body.dataset.fs = 'refused')\">fs</button>")
    click(qtbot, browser, "#fs")
    assert wait_dataset(qtbot, browser, "fs") == "refused"
    assert js(qtbot, browser, "document.fullscreenElement === null")
    assert browser.isVisible() and not browser.window().isFullScreen()
    assert browser.url().endswith("/check")


def test_permissions_are_denied(qtbot, on_check_page) -> None:
    browser, _ = on_check_page
    js(qtbot, browser, "Notification.requestPermission().then(p => document.body.dataset.notif = p);"
                       "navigator.geolocation.getCurrentPosition(() => document.body.dataset.geo = 'yes',"
                       " e => document.body.dataset.geo = 'no:' + e.code); 1")
    assert wait_dataset(qtbot, browser, "notif") == "denied"
    assert wait_dataset(qtbot, browser, "geo") == "no:1"


def test_window_print_goes_to_the_kiosk(qtbot, on_check_page, session_dir: Path) -> None:
    browser, _ = on_check_page
    with qtbot.waitSignal(browser.print_requested):
        js(qtbot, browser, "window.print(); 1")
    target = session_dir / "page.pdf"
    with qtbot.waitSignal(browser.pdf_saved, timeout=10000) as blocker:
        browser.print_to_pdf(target)
    assert blocker.args == [str(target), True] and target.read_bytes().startswith(b"%PDF")


def test_view_source_and_inspector_actions_do_nothing(qtbot, on_check_page) -> None:
    from PySide6.QtWebEngineCore import QWebEnginePage

    browser, _ = on_check_page
    start = browser.url()
    for action in (QWebEnginePage.WebAction.ViewSource, QWebEnginePage.WebAction.InspectElement,
                   QWebEnginePage.WebAction.SavePage):
        browser.page.triggerAction(action)
    qtbot.wait(300)
    assert browser.url() == start and browser.page.devToolsPage() is None
    assert element_center(qtbot, browser, "h1")   # the page is still there and alive


def test_certificate_errors_cannot_be_overridden(qtbot, qapp, tmp_path) -> None:
    from browser_helpers import SelfSignedSite

    from kiosk.browser.policy import NavigationPolicy
    from kiosk.browser.ui import LockedBrowser

    site = SelfSignedSite(tmp_path).start()
    try:
        browser = LockedBrowser(NavigationPolicy([site.host_entry]))
        qtbot.addWidget(browser, before_close_func=lambda b: b.wipe())
        browser.setGeometry(0, 0, 800, 600)
        browser.show()
        browser.new_visitor(None)
        loaded: list[str] = []
        browser.page_loaded.connect(lambda url, heading: loaded.append(heading))
        url = f"https://{site.host_entry}/"
        with qtbot.waitSignal(browser.load_failed, timeout=10000) as blocker:
            assert browser.load(url)
        assert blocker.args[0] == url and "certificate" in blocker.args[1].lower()
        qtbot.wait(300)
        assert "Self-signed" not in loaded
        assert js(qtbot, browser, "document.body.innerText").find("Self-signed") < 0
    finally:
        site.stop()


def test_links_to_other_programs_start_nothing(qtbot, on_check_page) -> None:
    """mailto:, tel: and other external schemes would hand the address to a desktop program: the
    kiosk refuses them, and no program handler is ever asked (one is registered here to notice)."""
    from PySide6.QtCore import QObject, Slot
    from PySide6.QtGui import QDesktopServices

    opened: list[str] = []

    class Handler(QObject):
        @Slot(QUrl)
        def open(self, url: QUrl) -> None:
            opened.append(url.toString())

    handler = Handler()
    schemes = ("mailto", "tel", "sms", "intent", "market")
    for scheme in schemes:
        QDesktopServices.setUrlHandler(scheme, handler, "open")
    try:
        browser, refused = on_check_page
        start = browser.url()
        inject(qtbot, browser, '<a id="mail" href="mailto:prefecture@example.org">m</a>'
                               '<a id="tel" href="tel:0806001620">t</a>'
                               '<a id="sms" href="sms:0806001620">s</a>'
                               '<a id="intent" href="intent://scan/#Intent;scheme=zxing;end">i</a>')
        for link in ("#mail", "#tel", "#sms", "#intent"):
            click(qtbot, browser, link)
        js(qtbot, browser, "location.href = 'market://details?id=x'; 1")
        qtbot.wait(500)
        assert opened == []
        assert browser.url() == start and js(qtbot, browser, "document.title") == "check"
        # the clicked links are refused by the kiosk; a script without a touch is stopped by Chromium
        assert [url.split(":")[0] for url, _ in refused] == ["mailto", "tel", "sms", "intent"]
        assert {reason for _, reason in refused} == {"scheme"}
    finally:
        for scheme in schemes:
            QDesktopServices.unsetUrlHandler(scheme)
