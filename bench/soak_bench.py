"""Memory over a day (issue 8): many full visits in one kiosk process, as a terminal lives through a day.

    python bench/run.py --only soak [--visits 30]        (default: 200 visits, about half an hour)
    python bench/soak_bench.py [--visits 30] [--scanner simulated]

One child process (under dbus-run-session, offscreen) makes the allocator setting every kiosk start
gets (kiosk.health.memory.tune_allocator, first thing in kiosk.__main__.main), then builds the real
object graph (kiosk.app.build: practice site, simulated printer; pages from the sample documents, see
FreshPages). Each visit: attract → language → renewal → its checklist; scan the passport (a colour
card on the bed), the proof of address (colour A4, filed in grey) and a payslip (a text page, which
goes grey by itself) and make their files; print the receipt; open the practice site (the replica under
practice names), sign on and file the request, its three documents sent through the kiosk's picker;
download the confirmation; Finish (every wipe step). Samples are taken after the wipe, once the kiosk
has settled.

    soak_pss_mb_at_NNN              PSS (MB) of the whole process tree (kiosk + QtWebEngine processes)
                                    after visit NNN: 1, then every 10 visits
    soak_pss_anon_mb_at_NNN         its anonymous part (heap and buffers: what a leak or a kept buffer
                                    grows). The file part moves when processes outside the tree map
                                    the same libraries (other Qt programs of the same installation)
    soak_tree_mb_at_NNN             resident memory of the tree, each physical page counted once: PSS
                                    without the shares other programs take (needs root, see
                                    tree_resident_mb)
    soak_rss_mb_at_NNN              RSS (MB) of the main process
    soak_pss_growth_20_to_end       PSS after the last visit / after visit 20 - 1 (target: at most 0.10)
    soak_pss_anon_growth_20_to_end, soak_tree_growth_20_to_end   the same for the anonymous part and
                                    for the tree's pages counted once
    soak_rss_mb_after_20            main-process RSS after visit 20 (target: under 500 MB)
    soak_main_pss_mb_end, soak_children_pss_mb_end, soak_main_rss_anon_mb_end, soak_main_rss_file_mb_end
                                    where the memory of the last sample is
    soak_visit_s                    median duration of a visit
    soak_upload_retries             touches on the site's file field not taken the first time (a
                                    loaded machine: the touch landed before the field scrolled in)
    soak_visits                     visits played
    soak_allocator_pinned           1: glibc's mmap threshold pinned (the product);
                                    0: PAN_KIOSK_MALLOC=default (glibc's dynamic threshold)
    soak_scanner_cache              1: --scanner simulated (the kiosk's SimulatedScanner and its cache)
    soak_failed_at_visit            only when a visit failed (its traceback on stderr): the figures are
                                    those gathered before it

`PAN_KIOSK_MALLOC=default` (measurement only) runs the same visits without the allocator fix, for the
figures before/after: `PAN_KIOSK_MALLOC=default python bench/run.py --only soak`.
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
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

VISITS = 200
EVERY = 10
SCANS = (("passport", "passport", False), ("proof_of_address", "proof_of_address", True),
         ("payslips", "payslip", False))        # document id, sample placed on the glass, grey button
# The practice replica's request (kiosk.browser.replica, practice names): its three documents, each a file
# the visitor prepared (the replica checks a file's format and size, not what it shows).
UPLOADS = (("#passeport", "passport"), ("#titre_sejour", "payslips"),
           ("#justificatif_domicile", "proof_of_address"))
PASSWORD = "Mon-Mot-de-passe-2026"
PERSONAL = {"nom": "Benali", "prenoms": "Samira", "date_naissance": "12/04/1990", "pays_naissance": "Maroc",
            "nationalite": "marocaine", "voie": "12 rue de la Paix", "code_postal": "75002",
            "commune": "Paris", "telephone": "06 12 34 56 78"}
HEADING = "(document.querySelector('h1') || {innerText: ''}).innerText.trim()"


def process_tree(pid: int) -> list[int]:
    kids: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            kids.setdefault(ppid, []).append(int(entry.name))
    tree, todo = [], [pid]
    while todo:
        tree.append(todo.pop())
        todo += kids.get(tree[-1], [])
    return tree


def status_kb(pid: int, field: str, source: str = "smaps_rollup") -> int:
    try:
        for line in Path(f"/proc/{pid}/{source}").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_resident_mb(tree: list[int]) -> float | None:
    """Resident memory of the process tree with each physical page counted once: what its PSS would be
    if no process outside the tree mapped the same pages (on a shared machine, other Qt programs of the
    same installation map the same libraries and move the PSS of the tree by ±100 MB). Read from the
    page frames in /proc/<pid>/pagemap (visible to root only); None where they are hidden."""
    import numpy as np

    page = os.sysconf("SC_PAGE_SIZE")
    frames = []
    for pid in tree:
        try:
            with open(f"/proc/{pid}/smaps") as smaps, open(f"/proc/{pid}/pagemap", "rb") as pagemap:
                start = end = 0
                for line in smaps:
                    first = line.split(None, 1)[0]
                    if not first.endswith(":"):                 # a mapping: start-end perms ...
                        start, end = (int(x, 16) for x in first.split("-"))
                    elif first == "Rss:" and line.split()[1] != "0":
                        try:
                            entries = np.frombuffer(os.pread(pagemap.fileno(), (end - start) // page * 8,
                                                             start // page * 8), dtype=np.uint64)
                        except OSError:                         # [vsyscall]
                            continue
                        present = entries[(entries >> np.uint64(63)) == 1]
                        frames.append(present & np.uint64((1 << 55) - 1))
        except (OSError, ValueError):                           # the process has ended
            continue
    found = np.concatenate(frames) if frames else np.zeros(0, dtype=np.uint64)
    if not found.any():
        return None
    return float(len(np.unique(found)) * page / 2**20)


def run(visits: int = VISITS, scanner: str = "fresh") -> dict[str, float]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    if os.geteuid() == 0:
        env.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", str(visits), scanner]
    if not env.get("DBUS_SESSION_BUS_ADDRESS") and shutil.which("dbus-run-session"):
        cmd = ["dbus-run-session", "--", *cmd]
    out = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, check=False, cwd=ROOT, env=env,
                         timeout=60 + 30 * visits)      # stderr passes through: a line per sample
    if out.returncode != 0:
        raise RuntimeError(f"soak child failed with exit code {out.returncode}")
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


# --- child side ----------------------------------------------------------------------------------


class FreshPages:
    """The sample documents of the kiosk's simulated scanner, drawn anew for every scan: as with a real
    scanner (SANE), the page buffer belongs to the kiosk alone and nothing stays in the device. The
    kiosk's SimulatedScanner keeps its last three pages (75 MB at 300 dpi in colour), a cost of the demo
    device that a terminal does not have: `--scanner simulated` measures with it."""

    def __init__(self) -> None:
        from kiosk.scan.imaging.samples import SampleBook

        self.book, self.sample = SampleBook(), "passport"

    def place(self, sample_id: str, page: int = 0) -> None:
        self.sample = sample_id

    def scan(self, settings: Any, on_progress: Callable[[float], None] | None = None,
             cancel: object = None) -> Any:
        from kiosk.scan.scanner import ScanMode

        raster = self.book.scan(self.sample, 0, settings.dpi, settings.mode is ScanMode.COLOR)
        if on_progress is not None:
            on_progress(1.0)
        return raster


class Visitor:
    """Plays full visits on a kiosk built by kiosk.app.build, the way a visitor's touches would."""

    def __init__(self, kiosk: Any, app: Any) -> None:
        self.kiosk, self.app = kiosk, app
        self.c, self.window = kiosk.controller, kiosk.window
        self.scanning = kiosk.window.scanning
        self.step = kiosk.window.browser_step
        self.events: dict[str, list[Any]] = {"loaded": [], "pages": [], "ready": [], "download": [],
                                             "printed": [], "failed": []}
        self.scanning.pages_changed.connect(self.events["pages"].append)
        self.scanning.document_ready.connect(self.events["ready"].append)
        self.scanning.failed.connect(lambda d, e: self.events["failed"].append((d, e)))
        self.window.printing.finished.connect(self.events["printed"].append)
        self.window.printing.failed.connect(lambda e: self.events["failed"].append(("print", e)))
        self._wired = False
        self.pick: str | None = None
        self.retries = 0

    def wait(self, done: Callable[[], bool], what: str, timeout_s: float = 60.0) -> None:
        deadline = time.monotonic() + timeout_s
        while not done():
            if self.events["failed"]:
                raise RuntimeError(f"{what}: {self.events['failed'][0]!r}")
            if time.monotonic() > deadline:
                raise TimeoutError(what)
            self.app.processEvents()
            time.sleep(0.002)

    def wait_event(self, name: str, what: str) -> Any:
        self.wait(lambda: bool(self.events[name]), what)
        return self.events[name].pop(0)

    def settle(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self.app.processEvents()
            time.sleep(0.005)

    def visit(self, n: int) -> None:
        from kiosk.visit.session import EndReason

        self.to_checklist("ar" if n % 2 else "fr")
        for doc_id, sample, gray in SCANS:
            self.scan(doc_id, sample, gray)
        self.window.print_receipt()
        self.wait_event("printed", "receipt printed")
        self.site()
        self.c.end(EndReason.FINISHED)
        self.flush()

    def to_checklist(self, language: str) -> None:
        from kiosk.content.model import StepKind

        c, visit = self.c, self.kiosk.visit
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

    def scan(self, doc_id: str, sample: str, gray: bool) -> None:
        page = self.window.scan_page
        self.c.open_scan(doc_id)
        self.scanning.scanner.place(sample, 0)
        page.scan_button.click()
        self.wait_event("pages", f"{doc_id} scanned")
        (page.gray_button if gray else page.file_button).click()
        self.wait_event("ready", f"{doc_id} file made")
        page.back_button.click()

    # --- the practice site -----------------------------------------------------------------------
    def site(self) -> None:
        """The renewal request on the practice replica (practice names): sign-on with an account the
        replica holds (the sign-up's e-mail link is not played), the wizard, the three documents from
        the kiosk's picker, the filing, the confirmation PDF downloaded."""
        import datetime as dt
        import secrets

        self.c.open_site()
        browser = self.step.browser
        if not self._wired:
            browser.page_loaded.connect(lambda url, heading: self.events["loaded"].append(heading))
            browser.download_finished.connect(self.events["download"].append)
            self._wired = True
        self.wait_event("loaded", "home page")
        self.events["loaded"].clear()
        number = f"{secrets.randbelow(9 * 10 ** 9) + 10 ** 9}"
        self.kiosk.practice.official.add_account(number, f"soak.{number}@example.org", PASSWORD,
                                                 dt.date.today() + dt.timedelta(days=70))
        self.page("Étrangers en France")
        for selector, heading in (("#connexion_link", "Connexion"),
                                  ("#btn-se-connecter", "Vous avez déjà un compte")):
            self.js_click(selector, heading)
        self.fill({"login": number, "password": PASSWORD})
        self.js_click("#kc-login", "Mon compte")
        self.js_click("#tuile-titre-sejour", "Votre situation actuelle")
        self.js_click("#btn-je-commence", "Informations personnelles")
        for values, heading in ((PERSONAL, "Motif de la demande"),
                                ({"motif": "Salarié", "sanctions": True}, "Ressources"),
                                ({"ressources": "1400"}, "Justificatifs")):
            self.fill(values)
            self.js_click("#btn-poursuivre", heading)
        for selector, doc_id in UPLOADS:
            self.upload(selector, doc_id)
        self.fill({"code_ephoto": "AB12CD34EF56GH78IJ90KL"})
        self.js_click("#btn-poursuivre", "Récapitulatif")
        self.js_click("#btn-deposer", "Confirmation")
        browser.run_js("document.getElementById('telecharger-confirmation').click()")
        path = Path(self.wait_event("download", "confirmation downloaded"))
        if not path.is_file():
            raise RuntimeError("the download is not in the session directory")
        self.events["loaded"].clear()

    def ask(self, script: str) -> object:
        """A script's answer, or None when none comes (a page going to another host drops it)."""
        box: list[object] = []
        self.step.browser.run_js(script, box.append)
        try:
            self.wait(lambda: bool(box), "script answer", 2.0)
        except TimeoutError:
            return None
        return box[0]

    def page(self, heading: str) -> None:
        """Wait for the page (a load or the app's own route) that shows `heading`."""
        self.wait(lambda: self.ask(HEADING) == heading, f"page {heading!r}")

    def js_click(self, selector: str, heading: str) -> None:
        self.step.browser.run_js(f"document.querySelector('{selector}').click()")
        self.page(heading)

    def fill(self, values: dict[str, object]) -> None:
        self.ask("(() => { for (const [k, x] of Object.entries(" + json.dumps(values) + ")) {"
                 " const e = document.getElementById(k);"
                 " if (e.type === 'checkbox' || e.type === 'radio') e.checked = !!x; else e.value = x; }"
                 " return 1; })()")

    def upload(self, selector: str, doc_id: str, attempts: int = 4) -> None:
        """A touch on the file field (Chromium wants a user gesture), then the document in the
        kiosk's picker, as the visitor chooses it. On a loaded machine a touch can land before the
        page has scrolled the field into place: then the visitor touches again (counted in
        soak_upload_retries), up to `attempts` times."""
        for attempt in range(1, attempts + 1):
            try:
                self._upload_once(selector, doc_id)
                return
            except TimeoutError:
                if attempt == attempts:
                    raise
                self.retries += 1
                print(f"upload {doc_id}: touch {attempt} not taken, touching again", file=sys.stderr,
                      flush=True)

    def _upload_once(self, selector: str, doc_id: str) -> None:
        from PySide6.QtCore import QPoint, Qt, QTimer
        from PySide6.QtTest import QTest
        from PySide6.QtWidgets import QAbstractButton, QApplication, QDialog

        browser, box = self.step.browser, []
        rect = ("(() => { const e = document.querySelector('" + selector + "'); e.scrollIntoView("
                "{block: 'center'}); const r = e.getBoundingClientRect();"
                " return JSON.stringify([r.left + r.width / 2, r.top + r.height / 2]); })()")
        browser.run_js(rect, box.append)
        self.wait(lambda: bool(box), "field position")
        x, y = json.loads(str(box[0]))
        stop: list[bool] = []

        def answer() -> None:
            if stop:
                return
            picker = QApplication.activeModalWidget()
            button = picker.findChild(QAbstractButton, f"pick_{doc_id}") if picker is not None else None
            if button is None:
                QTimer.singleShot(20, answer)
            else:
                button.click()

        QTimer.singleShot(20, answer)
        QTest.mouseClick(browser.view.focusProxy(), Qt.MouseButton.LeftButton,
                         Qt.KeyboardModifier.NoModifier, QPoint(round(x), round(y)))
        state = (f"(document.getElementById('{selector[1:]}-etat') || {{innerText: ''}})"
                 ".innerText.startsWith('Fichier déposé')")           # the site's word: received

        def chosen() -> bool:
            got: list[object] = []
            browser.run_js(state, got.append)
            self.wait(lambda: bool(got), "file chosen?")
            return got[0] is True

        try:
            self.wait(chosen, f"{doc_id} chosen", 15)
        except TimeoutError:
            stop.append(True)                   # no picker answer left waiting for the next touch
            picker = QApplication.activeModalWidget()
            if isinstance(picker, QDialog):
                picker.reject()
            raise

    def flush(self) -> None:
        """What app.exec() does after the wipe: widgets handed to deleteLater() are deleted."""
        from PySide6.QtCore import QCoreApplication, QEvent

        self.app.processEvents()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)


def sample(figures: dict[str, float], n: int) -> None:
    """PSS of the tree (and its anonymous part: file pages mapped by processes outside the tree, such
    as other Qt programs of the same installation, move the file part), RSS of the main process."""
    tree = process_tree(os.getpid())
    pss = [status_kb(pid, "Pss") / 1024 for pid in tree]
    anon = sum(status_kb(pid, "Pss_Anon") for pid in tree) / 1024
    rss = {f: status_kb(os.getpid(), f, "status") / 1024 for f in ("VmRSS", "RssAnon", "RssFile")}
    figures[f"soak_pss_mb_at_{n:03d}"] = round(sum(pss), 1)
    resident = tree_resident_mb(tree)
    if resident is not None:
        figures[f"soak_tree_mb_at_{n:03d}"] = round(resident, 1)
    figures[f"soak_pss_anon_mb_at_{n:03d}"] = round(anon, 1)
    figures[f"soak_rss_mb_at_{n:03d}"] = round(rss["VmRSS"], 1)
    figures["soak_main_pss_mb_end"] = round(pss[0], 1)
    figures["soak_children_pss_mb_end"] = round(sum(pss[1:]), 1)
    figures["soak_main_rss_anon_mb_end"] = round(rss["RssAnon"], 1)
    figures["soak_main_rss_file_mb_end"] = round(rss["RssFile"], 1)
    print(f"visit {n}: PSS {sum(pss):.0f} MB (anonymous {anon:.0f}; main {pss[0]:.0f}, tree pages once "
          f"{resident or 0:.0f}, "
          f"{len(tree) - 1} child processes {sum(pss[1:]):.0f}), main RSS {rss['VmRSS']:.0f} MB "
          f"(anonymous {rss['RssAnon']:.0f})", file=sys.stderr, flush=True)


def _child(visits: int, scanner: str) -> dict[str, float]:
    import faulthandler

    faulthandler.enable()              # a crash after hours of visits says where it happened
    from kiosk.health.memory import tune_allocator

    pinned = tune_allocator()                       # as kiosk.__main__.main does, before anything else
    from kiosk import app as app_mod
    from kiosk import config as config_mod

    figures: dict[str, float] = {"soak_visits": float(visits), "soak_allocator_pinned": float(pinned),
                                 "soak_scanner_cache": float(scanner == "simulated")}
    durations: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        config = config_mod.parse(f'[browser]\nsite = "practice"\n[session]\nroot = "{tmp}/s"\n'
                                  f'[stats]\ndir = "{tmp}/state"\n[mediator]\njournal_dir = "{tmp}/j"\n'
                                  '[devices]\nscanner = "simulated"\nprinter = "simulated"\n'
                                  'speech = "simulated"\n', "soak.toml")
        app = app_mod.application()
        kiosk = app_mod.build(config, fullscreen=False)
        kiosk.window.resize(1080, 1920)
        kiosk.window.show()
        if scanner == "fresh":
            kiosk.window.scanning.scanner = FreshPages()
        visitor = Visitor(kiosk, app)
        for n in range(1, visits + 1):
            start = time.monotonic()
            try:
                visitor.visit(n)
            except Exception:  # noqa: BLE001 - the figures so far stay; the failure is one of them
                traceback.print_exc()
                figures["soak_failed_at_visit"] = float(n)
                break
            durations.append(time.monotonic() - start)
            if n == 1 or n % EVERY == 0 or n == visits:
                visitor.settle(2.0)          # the ended visitor's renderer process is gone
                sample(figures, n)
        kiosk.shutdown()
    last = max(k for k in figures if k.startswith("soak_pss_mb_at_"))
    if "soak_pss_mb_at_020" in figures:
        figures["soak_pss_growth_20_to_end"] = round(figures[last] / figures["soak_pss_mb_at_020"] - 1, 3)
        for part in ("pss_anon", "tree"):
            end = last.replace("_pss_", f"_{part}_")
            if end in figures and f"soak_{part}_mb_at_020" in figures:
                figures[f"soak_{part}_growth_20_to_end"] = round(
                    figures[end] / figures[f"soak_{part}_mb_at_020"] - 1, 3)
        figures["soak_rss_mb_after_20"] = figures["soak_rss_mb_at_020"]
    figures["soak_visit_s"] = round(statistics.median(durations), 2)
    figures["soak_upload_retries"] = float(visitor.retries)
    return figures


if __name__ == "__main__":
    if len(sys.argv) > 3 and sys.argv[1] == "--child":
        print(json.dumps(_child(int(sys.argv[2]), sys.argv[3])))
    else:
        import argparse

        parser = argparse.ArgumentParser()
        parser.add_argument("--visits", type=int, default=VISITS)
        parser.add_argument("--scanner", choices=("fresh", "simulated"), default="fresh",
                            help="fresh: a new page buffer per scan, as SANE gives (default); simulated: "
                                 "the kiosk's SimulatedScanner as configured, with its cache of 3 pages")
        options = parser.parse_args()
        print(json.dumps(run(options.visits, options.scanner), indent=1))
