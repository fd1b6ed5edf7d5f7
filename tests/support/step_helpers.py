"""Helpers of the browser-step tests: starting a visit on the practice replica (practice names, the site
map's guide), page navigation, real clicks, label texts, PDF text."""

from __future__ import annotations

import json
import socket
import subprocess
import unicodedata
from pathlib import Path

from browser_helpers import click, js, wait_dataset
from PySide6.QtWidgets import QApplication, QLabel

from kiosk.browser.replica.hosts import PORTAL, SSO, STAMPS
from kiosk.browser.replica.practice import LocalReplica, practice_guide


def shop(practice_site: LocalReplica, path: str = "/") -> str:
    """An address of the stamp shop on the practice replica (server-rendered pages, a form with its
    checks, a download)."""
    return practice_site.official.base(STAMPS) + path


def start(qtbot, step, pack, practice_site: LocalReplica, session_dir: Path, url: str = "") -> str:
    """The renewal visit opened on the practice replica at `url` (the portal's home by default), with the
    guide practice mode gives (the site map's, on the practice names); returns the page's title."""
    procedure = pack.procedures["renewal"]
    with qtbot.waitSignal(step.browser.page_loaded, timeout=15000) as blocker:
        step.start_visit(procedure, session_dir, url or practice_site.start_url,
                         guide=practice_guide(practice_site, procedure, pack.site))
    return str(blocker.args[1])


def open_sign_on(qtbot, browser, practice_site: LocalReplica) -> str:
    """The sign-on host's login form on the practice replica (a text field, a password field), reached
    as a visitor does: the portal's login landing, then its button. Returns the form's address."""
    browser.load(f"{practice_site.official.base(PORTAL)}/usagers/#/espace-personnel/connexion-inscription")
    qtbot.waitUntil(lambda: "connexion-inscription" in browser.url() and
                    js(qtbot, browser, "!!document.getElementById('btn-se-connecter')"), timeout=15000)
    with qtbot.waitSignal(browser.page_loaded, timeout=15000) as blocker:
        browser.run_js("document.getElementById('btn-se-connecter').click()")
    assert blocker.args[1] == "Vous avez déjà un compte"
    assert browser.url().startswith(practice_site.official.base(SSO) + "/")
    return str(browser.url())


def remembered(practice_site: LocalReplica) -> int:
    """How many things the replica remembers (accounts, sign-on forms, sessions, baskets…)."""
    store = practice_site.official.store
    with store.lock:
        return sum(len(table) for table in vars(store).values() if isinstance(table, dict))


def navigate(qtbot, step, script: str) -> str:
    with qtbot.waitSignal(step.browser.page_loaded, timeout=10000) as blocker:
        step.browser.run_js(script)
    return str(blocker.args[1])


def submit(qtbot, step, values: dict[str, object], button: str) -> str:
    """Fill the fields (by id) and press the button `button` (an id); returns the next page's heading."""
    return navigate(qtbot, step, "(() => { const v = " + json.dumps(values) + ";"
                    "for (const [k, x] of Object.entries(v)) { const e = document.getElementById(k);"
                    " if (e.type === 'checkbox' || e.type === 'radio') e.checked = !!x; else e.value = x; }"
                    f"document.getElementById({json.dumps(button)}).click(); }})()")


def touch(qtbot, step, selector: str) -> None:
    """A real click once the page has painted two frames (a click right after the load was lost in
    about one run of twenty on a busy machine)."""
    js(qtbot, step.browser, "delete document.body.dataset.painted; requestAnimationFrame(() => "
                            "requestAnimationFrame(() => { document.body.dataset.painted = 'yes'; })); 1")
    wait_dataset(qtbot, step.browser, "painted")
    click(qtbot, step.browser, selector)


def texts(widget) -> list[str]:
    """Texts of the labels shown in `widget` (new labels are shown by their layout a moment later)."""
    QApplication.processEvents()
    return [w.text() for w in widget.findChildren(QLabel) if w.isVisibleTo(widget) and w.text()]


def pdftotext(path: Path) -> str:
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return unicodedata.normalize("NFKC", out)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
