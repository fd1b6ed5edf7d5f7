"""Benchmarks: prints one JSON object of named figures, each beside its baseline from the same run.

    python bench/run.py [--only core,scan,...] [--visits N]

Core figures (issue 2): startup_ms vs bare_qt_startup_ms (launch to first paint of the attract screen,
median of 5 fresh processes each; the kiosk paints its attract screen first and builds the rest after,
kiosk.shell.ui.start_screen), ready_ms (the whole kiosk built and painted: touches work), wipe_ms,
transition_p95_ms, rss_mb. Other capabilities add theirs in
bench/<name>_bench.py modules exposing run() -> dict. `--visits N` shortens the soak (memory over a
day, bench/soak_bench.py: 200 visits, about half an hour) for a check: `--only soak --visits 30`.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _probe(kind: str) -> dict[str, float]:
    launch = time.time_ns()
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "startup_probe.py"), kind, str(launch)],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def startup(runs: int = 5) -> dict[str, float]:
    bare = [_probe("bare") for _ in range(runs)]
    kiosk = [_probe("kiosk") for _ in range(runs)]
    startup_ms = statistics.median(r["paint_ms"] for r in kiosk)
    bare_ms = statistics.median(r["paint_ms"] for r in bare)
    return {"startup_ms": round(startup_ms, 1), "bare_qt_startup_ms": round(bare_ms, 1),
            "startup_ratio": round(startup_ms / bare_ms, 2),
            # the whole kiosk built and its own attract screen painted (touches work from then on)
            "ready_ms": round(statistics.median(r["ready_ms"] for r in kiosk), 1),
            "rss_mb": round(statistics.median(r["rss_mb"] for r in kiosk), 1),
            "bare_qt_rss_mb": round(statistics.median(r["rss_mb"] for r in bare), 1)}


def session_figures(sessions: int = 30) -> dict[str, float]:
    from PySide6.QtWidgets import QApplication

    from kiosk import app as app_mod
    from kiosk import config
    from kiosk.content.model import StepKind
    from kiosk.visit.session import EndReason

    app_mod.application()
    with tempfile.TemporaryDirectory() as tmp:
        cfg = config.parse(f'[session]\nroot = "{tmp}/s"\n[stats]\ndir = "{tmp}/state"\n'
                           '[devices]\nscanner = "simulated"\nprinter = "simulated"\nspeech = "simulated"\n',
                           "bench")
        kiosk = app_mod.build(cfg, fullscreen=False)
        kiosk.window.resize(1080, 1920)
        kiosk.window.show()
        c = kiosk.controller
        transitions, wipes = [], []
        procedures = list(kiosk.pack.procedures)

        def timed(action) -> float:  # noqa: ANN001
            t0 = time.perf_counter()
            action()
            QApplication.processEvents()
            kiosk.window.repaint()
            return (time.perf_counter() - t0) * 1000

        for n in range(sessions):
            transitions.append(timed(c.touch_start))
            lang = cfg.languages.offered[n % len(cfg.languages.offered)]
            transitions.append(timed(lambda lang=lang: c.choose_language(lang)))
            proc = procedures[n % len(procedures)]
            transitions.append(timed(lambda proc=proc: c.choose_procedure(proc)))
            while not c.visit.state.finished:
                step = c.visit.state.step
                if step.kind is StepKind.QUESTION:
                    answer = step.answers[n % len(step.answers)].id
                    transitions.append(timed(lambda a=answer: c.choose(a)))
                elif step.kind is StepKind.DATE:          # the date the page proposes (today + a year)
                    outcome = kiosk.window.step_pages[StepKind.DATE].outcome()  # type: ignore[attr-defined]
                    transitions.append(timed(lambda o=outcome: c.choose(o)))
                else:
                    transitions.append(timed(c.next))
            (c.visit.sessions.current.directory / "scan.pdf").write_bytes(os.urandom(2_000_000))
            wipes.append(timed(lambda: c.end(EndReason.FINISHED)))
        kiosk.shutdown()
    transitions.sort()
    return {"wipe_ms": round(statistics.median(wipes), 1), "wipe_max_ms": round(max(wipes), 1),
            "transition_p95_ms": round(transitions[int(len(transitions) * 0.95) - 1], 1),
            "transition_median_ms": round(statistics.median(transitions), 1),
            "transitions_measured": len(transitions)}


CORE = {"startup": startup, "session": session_figures}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", default="", help="comma-separated: startup,session,<name> of *_bench.py")
    parser.add_argument("--visits", type=int, default=None, help="soak: visits to play (default 200)")
    args = parser.parse_args()
    only = {s for s in args.only.split(",") if s}
    figures: dict[str, float] = {}
    for name, func in CORE.items():
        if not only or name in only:
            try:
                figures.update(func())
            except Exception as exc:  # noqa: BLE001 - one broken bench must not hide the others
                figures[f"{name}_error"] = repr(exc)  # type: ignore[assignment]
    for module in sorted((ROOT / "bench").glob("*_bench.py")):
        name = module.stem.removesuffix("_bench")
        if only and name not in only:
            continue
        options = {"visits": args.visits} if name == "soak" and args.visits else {}
        try:
            figures.update(importlib.import_module(f"bench.{module.stem}").run(**options))
        except Exception as exc:  # noqa: BLE001 - one broken bench must not hide the others
            figures[f"{name}_error"] = repr(exc)  # type: ignore[assignment]
    print(json.dumps(figures, indent=1, sort_keys=True))


if __name__ == "__main__":
    main()
