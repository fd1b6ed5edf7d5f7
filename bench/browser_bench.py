"""Locked-browser figures (issue 9), measured in child processes (each has its own QApplication).

    browser_wipe_ms              median: wipe() + new_visitor() + first page loaded (practice replica)
    browser_wipe_only_ms         median: wipe() alone (page, view and profile deleted)
    first_page_ms_first_visitor  new_visitor() + first page loaded, first visitor of the process
    first_page_ms_next_visitor   median of the same for the next visitors
    mem_mb_after_5               PSS (MB) of the process tree after 5 visitors, last page shown
    mem_mb_after_50              the same after 50 visitors (target: within 10 % of mem_mb_after_5)
    kiosk_site_wipe_ms           median, whole kiosk: the visitor leaves from the site (Finish): every
                                 wipe step, the browser profile among them, until the attract screen
    kiosk_mem_mb_after_5/_50     PSS of the whole kiosk's process tree after 5 / 50 visits through the site
    browser_cold_start_ms        baseline: a fresh process started, to its first page loaded (median of 3),
                                 what a "kill the browser, delete its profile, restart it" reset costs

Each visitor loads the stamp shop's home page and its choice page of the practice replica (the replica
under practice names, as practice mode serves it) and submits the choice form (three loads). The window is
1080 × 1920 offscreen. Run: python bench/browser_bench.py
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SESSIONS = 50


def _children(pid: int) -> list[int]:
    kids: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        kids.setdefault(ppid, []).append(int(entry.name))
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo += kids.get(current, [])
    return tree


def pss_mb(pid: int) -> float:
    """PSS of a process and all its descendants, in MB (shared pages counted once overall)."""
    total_kb = 0
    for member in _children(pid):
        try:
            for line in Path(f"/proc/{member}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total_kb += int(line.split()[1])
        except OSError:
            continue
    return total_kb / 1024


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    if os.geteuid() == 0:
        env.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
    return env


def _run_child(*args: str) -> dict[str, float]:
    cmd = [sys.executable, str(Path(__file__).resolve()), *args]
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS") and shutil.which("dbus-run-session"):
        cmd = ["dbus-run-session", "--", *cmd]     # no dbus-daemon left behind by Qt
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=ROOT, env=_env(),
                         timeout=600)
    return json.loads(out.stdout.strip().splitlines()[-1])


def run() -> dict[str, float]:
    figures = _run_child("--sessions", str(SESSIONS))
    cold = [_run_child("--cold", str(time.time_ns()))["cold_ms"] for _ in range(3)]
    figures["browser_cold_start_ms"] = round(statistics.median(cold), 1)
    figures["browser_wipe_ratio_to_cold_start"] = round(
        figures["browser_wipe_ms"] / figures["browser_cold_start_ms"], 2)
    figures["mem_growth_5_to_50"] = round(figures["mem_mb_after_50"] / figures["mem_mb_after_5"] - 1, 3)
    figures |= _run_child("--kiosk", str(SESSIONS))
    figures["kiosk_mem_growth_5_to_50"] = round(
        figures["kiosk_mem_mb_after_50"] / figures["kiosk_mem_mb_after_5"] - 1, 3)
    return figures


def _to_checklist(kiosk: object, language: str) -> None:
    """Attract → language → renewal → its first document checklist (first answer everywhere)."""
    from kiosk.content.model import StepKind

    c, visit = kiosk.controller, kiosk.visit  # type: ignore[attr-defined]
    c.touch_start()
    c.choose_language(language)
    c.choose_procedure("renewal")
    while visit.state is not None and visit.state.step.kind is not StepKind.CHECKLIST:
        step = visit.state.step
        if step.kind is StepKind.QUESTION:
            c.choose(step.answers[0].id)
        elif step.kind is StepKind.DATE:
            c.choose(step.outcomes[0][0])
        else:
            c.next()


def _kiosk_visits(count: int) -> dict[str, float]:
    """The real object graph (kiosk.app.build, practice mode): attract → language → procedure →
    checklist → the site (home, account page) → Finish, `count` times."""
    from PySide6.QtCore import QCoreApplication, QEvent

    from kiosk import app as app_mod
    from kiosk import config as config_mod
    from kiosk.browser.replica.hosts import STAMPS
    from kiosk.visit.session import EndReason

    figures: dict[str, float] = {}
    wipes = []
    with tempfile.TemporaryDirectory() as tmp:
        config = config_mod.parse(f'[browser]\nsite = "practice"\n[session]\nroot = "{tmp}/s"\n'
                                  f'[stats]\ndir = "{tmp}/state"\n[mediator]\njournal_dir = "{tmp}/j"\n'
                                  '[devices]\nscanner = "simulated"\nprinter = "simulated"\n'
                                  'speech = "simulated"',
                                  "bench.toml")
        app = app_mod.application()
        kiosk = app_mod.build(config, fullscreen=False)
        kiosk.window.resize(1080, 1920)
        kiosk.window.show()
        browser, c = kiosk.window.browser_step, kiosk.controller
        assert browser is not None and kiosk.practice is not None
        loaded: list[str] = []
        browser.browser.page_loaded.connect(lambda url, _h: loaded.append(url))

        def wait_load() -> None:
            deadline = time.monotonic() + 30
            while not loaded:
                app.processEvents()
                if time.monotonic() > deadline:
                    raise TimeoutError("page did not load")
                time.sleep(0.0005)
            loaded.clear()

        for n in range(count):
            _to_checklist(kiosk, "ar" if n % 2 else "fr")
            c.open_site()
            wait_load()
            browser.browser.load(kiosk.practice.official.base(STAMPS) + "/achat/choix")
            wait_load()
            t0 = time.perf_counter()
            c.end(EndReason.FINISHED)
            app.processEvents()
            # what app.exec() does after the wipe: widgets handed to deleteLater() are deleted (a
            # bench driven by processEvents() alone never deletes them and shows a false leak)
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
            wipes.append((time.perf_counter() - t0) * 1000)
            if n + 1 in (5, count):
                end = time.monotonic() + 0.5
                while time.monotonic() < end:
                    app.processEvents()
                    time.sleep(0.005)
                figures[f"kiosk_mem_mb_after_{n + 1}"] = round(pss_mb(os.getpid()), 1)
        kiosk.shutdown()
    figures["kiosk_site_wipe_ms"] = round(statistics.median(wipes), 1)
    return figures


# --- child side ----------------------------------------------------------------------------------


class _Child:
    def __init__(self) -> None:
        from PySide6.QtWidgets import QApplication

        from kiosk.browser.policy import NavigationPolicy
        from kiosk.browser.replica.hosts import STAMPS
        from kiosk.browser.replica.practice import LocalReplica
        from kiosk.browser.ui import LockedBrowser

        self.app = QApplication.instance() or QApplication([])
        self.site = LocalReplica()
        self.site.start()
        self.home = self.site.official.base(STAMPS) + "/"          # server-rendered pages, no script
        self.browser = LockedBrowser(NavigationPolicy().with_hosts(*self.site.host_entries))
        self.browser.setGeometry(0, 0, 1080, 1920)
        self.browser.show()
        self.loaded = False
        self.browser.page_loaded.connect(self._on_loaded)

    def _on_loaded(self, _url: str, _heading: str) -> None:
        self.loaded = True

    def wait_loaded(self, timeout_s: float = 30.0) -> None:
        deadline = time.monotonic() + timeout_s
        while not self.loaded:
            self.app.processEvents()
            if time.monotonic() > deadline:
                raise TimeoutError("page did not load")
            time.sleep(0.0005)
        self.loaded = False

    def load(self, url: str) -> None:
        self.loaded = False
        self.browser.load(url)
        self.wait_loaded()

    def settle(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self.app.processEvents()
            time.sleep(0.005)

    def visit(self) -> None:
        """The rest of a visitor's short session: the stamp shop's choice page, the form submitted."""
        self.load(self.home + "achat/choix")
        self.loaded = False
        self.browser.run_js("document.getElementById('timbre-0').checked = true;"
                            "document.getElementById('ajouter-panier').click();")
        self.wait_loaded()

    def guide_follow(self, times: int = 30) -> dict[str, float]:
        """guide_follow_ms: from a single-page app's route change (hash + heading swapped in the DOM, no
        load) to the kiosk's route_changed with the new heading, what the site guide follows."""
        seen: list[str] = []
        self.browser.route_changed.connect(lambda _url, heading: seen.append(heading))
        self.load(self.home)
        delays = []
        for n in range(times):
            heading = f"Etape {n}"
            t0 = time.perf_counter()
            self.browser.run_js(f"location.hash = '#/etape-{n}'; "
                                f"(document.querySelector('h1') || document.body).textContent = '{heading}';")
            deadline = time.monotonic() + 5
            while heading not in seen:
                self.app.processEvents()
                if time.monotonic() > deadline:
                    raise TimeoutError("the route change was not reported")
                time.sleep(0.0005)
            delays.append((time.perf_counter() - t0) * 1000)
        delays.sort()
        return {"guide_follow_ms": round(statistics.median(delays), 1),
                "guide_follow_p95_ms": round(delays[int(len(delays) * 0.95) - 1], 1)}

    def sessions(self, count: int) -> dict[str, float]:
        wipe_only, wipe_total, first_pages, figures = [], [], [], {}
        with tempfile.TemporaryDirectory() as tmp:
            for n in range(count):
                directory = Path(tmp) / f"s{n}"
                directory.mkdir()
                t0 = time.perf_counter()
                self.browser.wipe()
                t1 = time.perf_counter()
                self.browser.new_visitor(directory)
                self.load(self.home)
                t2 = time.perf_counter()
                if n == 0:
                    figures["first_page_ms_first_visitor"] = round((t2 - t1) * 1000, 1)
                else:
                    wipe_only.append((t1 - t0) * 1000)
                    wipe_total.append((t2 - t0) * 1000)
                    first_pages.append((t2 - t1) * 1000)
                self.visit()
                if n + 1 in (5, count):
                    self.settle(0.5)
                    figures[f"mem_mb_after_{n + 1}"] = round(pss_mb(os.getpid()), 1)
                self.site.forget()
        self.browser.wipe()
        figures["first_page_ms_next_visitor"] = round(statistics.median(first_pages), 1)
        figures["browser_wipe_ms"] = round(statistics.median(wipe_total), 1)
        figures["browser_wipe_only_ms"] = round(statistics.median(wipe_only), 2)
        return figures


def _child_main(argv: list[str]) -> dict[str, float]:
    if argv[0] == "--kiosk":
        return _kiosk_visits(int(argv[1]))
    if argv[0] == "--cold":
        launched_ns = int(argv[1])
        child = _Child()
        child.browser.new_visitor(None)
        child.load(child.home)
        result = {"cold_ms": (time.time_ns() - launched_ns) / 1e6}
    else:
        child = _Child()
        result = child.sessions(int(argv[1]))
        child.browser.new_visitor(None)
        result |= child.guide_follow()
    child.browser.wipe()
    child.site.stop()
    return result


if __name__ == "__main__":
    if len(sys.argv) > 1:
        print(json.dumps(_child_main(sys.argv[1:])))
    else:
        print(json.dumps(run(), indent=1))
