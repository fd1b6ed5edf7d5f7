"""Receipt figures (issue 6): render time per script (A4, 80 mm) and print submission to completed.

    receipt_a4_ms             max over the scripts of the median A4 render (target < 300 ms)
    receipt_a4_ms_<lang>      median per language (fr ar fa ps ta bn zh ru)
    receipt_80mm_ms           max over the scripts of the median 80 mm render
    receipt_fonts_cold_ms     first render in a fresh FontBook (font files parsed), fr + zh
    print_completed_ms        median, submission to job completed through cups-pdf (target < 2 s),
                              in a private cupsd started here (bench/private_cupsd.py; needs root,
                              absent otherwise)
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LANGS = ("fr", "ar", "fa", "ps", "ta", "bn", "zh", "ru")


def _median_ms(fn: object, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def render_figures(runs: int = 5) -> dict[str, float]:
    from kiosk.i18n import Translators
    from kiosk.receipts import FontBook, ReceiptRenderer
    from kiosk.receipts.sample import sample_receipt

    translators = Translators(None)
    t0 = time.perf_counter()
    cold = ReceiptRenderer(FontBook(), translators.get)
    cold.receipt(sample_receipt("fr"))
    cold.receipt(sample_receipt("zh"))
    figures = {"receipt_fonts_cold_ms": round((time.perf_counter() - t0) * 1000, 1)}
    renderer = ReceiptRenderer(FontBook(), translators.get)
    a4, roll = {}, {}
    for lang in LANGS:
        data = sample_receipt(lang)
        renderer.receipt(data)                 # fonts of this script loaded once per process
        a4[lang] = _median_ms(lambda d=data: renderer.receipt(d, "a4"), runs)
        roll[lang] = _median_ms(lambda d=data: renderer.receipt(d, "80mm"), runs)
        figures[f"receipt_a4_ms_{lang}"] = round(a4[lang], 1)
    figures["receipt_a4_ms"] = round(max(a4.values()), 1)
    figures["receipt_80mm_ms"] = round(max(roll.values()), 1)
    return figures


def print_figures(runs: int = 5) -> dict[str, float]:
    from bench.private_cupsd import PrivateCups, available
    from kiosk.i18n import Translators
    from kiosk.printing.cups import CupsPrinter
    from kiosk.printing.ipp import IppClient
    from kiosk.printing.printer import print_document
    from kiosk.receipts import FontBook, ReceiptRenderer
    from kiosk.receipts.sample import sample_receipt

    if available() is not None:
        return {}
    cups = PrivateCups(("PANBENCH",)).start()
    try:
        printer = CupsPrinter("PANBENCH", IppClient(server=str(cups.socket)), poll_s=0.02)
        with tempfile.TemporaryDirectory() as tmp:
            pdf = Path(tmp) / "receipt.pdf"
            pdf.write_bytes(ReceiptRenderer(FontBook(), Translators(None).get).receipt(sample_receipt("ar")))
            times = []
            for i in range(runs):
                t0 = time.perf_counter()
                print_document(printer, pdf, f"pan-bench-{i}", 30)
                times.append((time.perf_counter() - t0) * 1000)
        printer.purge()
        for out in PrivateCups.output_dir().glob("pan-bench-*"):
            out.unlink()
        return {"print_completed_ms": round(statistics.median(times), 1)}
    finally:
        cups.stop()


def run() -> dict[str, float]:
    return {**render_figures(), **print_figures()}


if __name__ == "__main__":
    import json
    print(json.dumps(run(), indent=1))
