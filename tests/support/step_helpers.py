"""Helpers of the browser-step tests: starting a visit on the practice site, page navigation, real
clicks, label texts, PDF text."""

from __future__ import annotations

import json
import socket
import subprocess
import unicodedata
from pathlib import Path

from browser_helpers import click, js, wait_dataset
from PySide6.QtWidgets import QApplication, QLabel

from kiosk.browser.replica.guide import practice_guide

ACCOUNT = {"nom": "Benali", "prenoms": "Samira", "courriel": "samira@example.org",
           "courriel2": "samira@example.org", "telephone": "06 12 34 56 78",
           "mot_de_passe": "un-mot-de-passe-long", "mot_de_passe2": "un-mot-de-passe-long", "cgu": True}


def start(qtbot, step, pack, practice_site, session_dir: Path, path: str = "") -> str:
    with qtbot.waitSignal(step.browser.page_loaded, timeout=15000) as blocker:
        step.start_visit(pack.procedures["renewal"], session_dir, practice_site.url + path,
                         guide=practice_guide(practice_site))
    return str(blocker.args[1])


def navigate(qtbot, step, script: str) -> str:
    with qtbot.waitSignal(step.browser.page_loaded, timeout=10000) as blocker:
        step.browser.run_js(script)
    return str(blocker.args[1])


def submit(qtbot, step, values: dict[str, object]) -> str:
    return navigate(qtbot, step, "(() => { const v = " + json.dumps(values) + ";"
                    "for (const [k, x] of Object.entries(v)) { const e = document.getElementById(k);"
                    " if (e.type === 'checkbox') e.checked = !!x; else e.value = x; }"
                    "document.getElementById('valider').click(); })()")


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
