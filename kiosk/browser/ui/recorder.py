"""`pan-kiosk site record` on screen: the kiosk's locked browser (its off-the-record profile, its allow-list)
in a visible window, a person walking the real site, and `SiteRecorder` keeping each page's route,
heading and labels (kiosk.browser.recorder) — never what is typed into the fields."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWebEngineCore import QWebEngineScript
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from kiosk.browser.policy import NavigationPolicy
from kiosk.browser.recorder import SNAPSHOT_JS, VALUES_JS, Recording
from kiosk.browser.ui.widget import APP_WORLD, LockedBrowser
from kiosk.i18n import N_, Translator
from kiosk.ui.widgets import button, label

RECORDING = N_("Pages recorded: {count}")
NOTHING_TYPED = N_("Walk through the site. Nothing typed into its fields is recorded.")
SAVE = N_("Save the recording and close")


def values_watcher() -> QWebEngineScript:
    """Keeps, in the kiosk's own JavaScript world, what the fields held before a click or a key took the
    page elsewhere, so that the recording can leave it out (VALUES_JS)."""
    script = QWebEngineScript()
    script.setName("pan-kiosk-recorder-values")
    script.setSourceCode(VALUES_JS)
    script.setWorldId(APP_WORLD)
    script.setInjectionPoint(QWebEngineScript.InjectionPoint.DocumentReady)
    script.setRunsOnSubFrames(False)
    return script


class SiteRecorder(QObject):
    """Records the pages `browser` shows into `recording`: at every load and route change (the SPA route
    watcher's route_changed) and every `interval_ms` while a page stays (a message that appears, a
    dialog), so what a page shows after a click is kept too. A single-page app may show its new address
    over the old page while it loads the new one: such a moment is recorded as a page the site map does
    not name, which `site check` lists apart and never counts as a difference.

    Signals:
        recorded(int count): a snapshot was kept; `count` pages so far.
    """

    recorded = Signal(int)

    def __init__(self, browser: LockedBrowser, recording: Recording, interval_ms: int = 700,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.browser, self.recording = browser, recording
        self.snapshots = 0
        self._failed = ""          # a page that did not load: Chromium's error page is no page of the site
        browser.load_failed.connect(self._on_load_failed)
        browser.page_loaded.connect(lambda _url, _heading: self.snapshot())
        browser.route_changed.connect(lambda _url, _heading: self.snapshot())
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.snapshot)

    def start(self, url: str) -> None:
        """A fresh profile (nothing in the download directory: downloads are refused) and `url` loaded."""
        self.browser.new_visitor(None)
        page = self.browser.page
        if page is not None:
            page.scripts().insert(values_watcher())
        self.browser.load(url)
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self.browser.wipe()

    def _on_load_failed(self, url: str, _error: str) -> None:
        self._failed = url

    def snapshot(self) -> None:
        url = self.browser.url()
        if url == self._failed or self.browser.policy.area(url) != "site":
            return                  # an error page, or a page of a webmail: someone's mailbox, never kept
        self._failed = ""
        self.browser.run_js(SNAPSHOT_JS, lambda result: self._keep(url, result))

    def _keep(self, url: str, result: object) -> None:
        if url != self.browser.url() or url == self._failed or not isinstance(result, str):
            return                      # the page went elsewhere meanwhile: the next snapshot tells
        try:
            data = json.loads(result)
        except ValueError:
            return
        if isinstance(data, dict) and self.recording.add(url, data) is not None:
            self.snapshots += 1
            self.recorded.emit(len(self.recording.pages))


class RecorderWindow(QWidget):
    """The browser with a bar above it: how many pages are recorded, and "Save and close", which writes
    the draft site map to `out` and closes the window.

    Signals:
        saved(str path): the draft site map was written (the window then closes).
        closed(): the window closed, saved or not.
    """

    saved = Signal(str)
    closed = Signal()

    def __init__(self, browser: LockedBrowser, recording: Recording, out: Path, tr: Translator) -> None:
        super().__init__()
        self.tr_ = tr
        self.out = out
        self.browser = browser
        self.recorder = SiteRecorder(browser, recording, parent=self)
        self.count = label()
        self.count.setObjectName("recorder_count")
        self.hint = label()
        self.hint.setText(tr.tr(NOTHING_TYPED))
        self.save_button = button("primary", "recorder_save")
        self.save_button.setText(tr.tr(SAVE))
        self.save_button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.save_button.clicked.connect(self.save)
        bar = QHBoxLayout()
        texts = QVBoxLayout()
        texts.addWidget(self.count)
        texts.addWidget(self.hint)
        bar.addLayout(texts, 1)
        bar.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(browser, 1)
        self.recorder.recorded.connect(self._show_count)
        self._show_count(0)

    def _show_count(self, count: int) -> None:
        self.count.setText(self.tr_.tr(RECORDING, count=count))

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt naming
        """Closed without "Save": nothing is written (the recorder stops, its profile goes)."""
        self.recorder.stop()
        self.recorder.recording.forget_values()
        super().closeEvent(event)
        self.closed.emit()

    def save(self) -> None:
        self.out.write_text(self.recorder.recording.to_toml(), encoding="utf-8")
        self.saved.emit(str(self.out))
        self.close()


__all__ = ["RecorderWindow", "SiteRecorder", "values_watcher"]


def record_walk(policy: NavigationPolicy, recording: Recording, start: str, out: Path,
                tr: Translator) -> tuple[str, int] | None:
    """`pan-kiosk site record`: the recorder's window on `start` until it is closed; (the file saved,
    pages recorded), or None when it was closed without saving. A loop of its own, not qapp.exec():
    quitting the application would end QtWebEngine for the whole process."""
    from PySide6.QtCore import QEventLoop

    from kiosk.browser.ui.widget import LockedBrowser
    from kiosk.shell.ui.qt_app import application

    application()
    window = RecorderWindow(LockedBrowser(policy), recording, out, tr)
    saved: list[str] = []
    window.saved.connect(saved.append)
    loop = QEventLoop()
    window.closed.connect(loop.quit)
    window.resize(1280, 1000)
    window.show()
    window.recorder.start(start)
    loop.exec()
    return (saved[0], len(recording.pages)) if saved else None
