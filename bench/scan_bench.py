"""Scan pipeline figures (issue 5): one A4 page at 300 dpi, as the simulated scanner returns it (the
fictitious proof of address in colour, the payslip in grey: skewed on the bed, sensor noise).

    scan_color_ms / scan_color_bytes   pipeline (deskew, crop, upright, blank check, fit 2 MB PDF)
    scan_gray_ms / scan_gray_bytes     the same for the grey text page
    scan_text_in_color_ms / _bytes     the payslip scanned in colour (the kiosk scans in colour):
                                       the page has no colour, so the pipeline goes grey early
    pillow_color_ms / _bytes           baseline: the raw colour page saved by Pillow alone, JPEG q75
    img2pdf_color_bytes                baseline: the raw colour page in a PDF by img2pdf, lossless
    scan_color_x_pillow                scan_color_ms / pillow_color_ms (target: at most 3)
    scan_*_cpu_ms, pillow_color_cpu_ms, scan_color_x_pillow_cpu
                                       the same in CPU time (every thread of the process): the work
                                       done, which a busy shared machine moves less than wall time
                                       (the pipeline uses both cores, Pillow one: the CPU ratio is
                                       the less flattering one)
    scan_color_process_ms / _file_ms   the two halves of scan_color_ms: the page (deskew, crop,
                                       upright, blank) and the file (whiten, fit, legibility check)
    scan_color_ssim / scan_gray_ssim   legibility of the pipeline output (floor 0.90, at 150 dpi)
    scan_color_dpi / scan_gray_dpi     resolution kept (floor 150)
    kiosk_malloc_scan_color_ms, kiosk_malloc_pillow_color_ms, kiosk_malloc_scan_color_x_pillow(_cpu)
                                       the colour page and its baseline again in a child process with
                                       the kiosk's allocator setting (kiosk.health.memory: every large
                                       buffer freshly mapped, as in the kiosk), where the figures above
                                       have glibc's default (freed buffers reused from the heap)
    kiosk_malloc_scan_color_peak_mb    there, the RSS the colour page's pipeline adds at its highest
                                       (its intermediates: what a scan costs above the kiosk's floor)

Times are the median of 5 runs after one warm-up, all in this process (targets: < 1000 ms colour,
< 3x the Pillow save; grey < 500 KB, colour < 2 MB). The pipeline works on both cores
(kiosk.scan.imaging.helper, .jpeg), the Pillow save on one: on a shared machine whose other work
keeps the cores busy (load above 2 on 2 cores) the wall ratio measures the load, not the pipeline
(126-187 ms for the same code at load 3 here, 78 ms with the cores to itself, at real-time
priority for a few seconds); read the CPU figures then, or run it on an otherwise idle machine.
"""

from __future__ import annotations

import io
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RUNS = 5


def _timed(fn: Callable[[], Any], runs: int = RUNS) -> tuple[float, Any, float]:
    """Median wall-clock ms, the last result, median CPU ms (all threads of this process)."""
    fn()
    times, cpu, result = [], [], None
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(times), result, statistics.median(cpu)


def run() -> dict[str, float]:
    figures = _figures()
    child = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--kiosk-malloc"], check=True,
                           capture_output=True, text=True, cwd=ROOT, timeout=600)
    return figures | json.loads(child.stdout)


def _kiosk_malloc() -> dict[str, float]:
    """The colour page and its Pillow baseline with the allocator setting the kiosk makes first."""
    from kiosk.health.memory import tune_allocator

    pinned = tune_allocator()
    figures = _figures(only_color=True)
    kept = ("scan_color_ms", "pillow_color_ms", "scan_color_x_pillow", "scan_color_x_pillow_cpu")
    return {"kiosk_malloc_pinned": float(pinned), **{f"kiosk_malloc_{k}": figures[k] for k in kept},
            **_peak_figures()}


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def _peak_figures() -> dict[str, float]:
    """What the colour page's pipeline (page and file) adds to the process's RSS at its highest, above
    what the process held before it (the scanned page included): its intermediates. Freed buffers go
    back to the system here (the kiosk's allocator setting), so the RSS before is the floor."""
    from kiosk.scan.imaging.pipeline import OutputSpec, ScanPipeline
    from kiosk.scan.imaging.samples import SampleBook

    color = SampleBook().scan("proof_of_address", 0, 300, color=True)
    pipeline = ScanPipeline()
    with tempfile.TemporaryDirectory(prefix="scan-bench-") as tmp:
        pipeline.build_document([pipeline.process_page(color).raster], OutputSpec(), Path(tmp), "warm")
        try:
            Path("/proc/self/clear_refs").write_text("5")     # resets VmHWM to the current RSS
        except OSError:
            return {}
        before = _status_kb("VmRSS")
        pipeline.build_document([pipeline.process_page(color).raster], OutputSpec(), Path(tmp), "b")
        return {"kiosk_malloc_scan_color_peak_mb": round((_status_kb("VmHWM") - before) / 1024, 1)}


def _figures(only_color: bool = False) -> dict[str, float]:
    import img2pdf
    from PIL import Image

    from kiosk.scan.imaging.pipeline import DocumentFile, OutputSpec, ScanPipeline
    from kiosk.scan.imaging.raster import Raster
    from kiosk.scan.imaging.samples import SampleBook

    book = SampleBook()
    color = book.scan("proof_of_address", 0, 300, color=True)
    pages = {"color": color} if only_color else {
        "color": color, "gray": book.scan("payslip", 0, 300, color=False),
        "text_in_color": book.scan("payslip", 0, 300, color=True)}
    pipeline = ScanPipeline()
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="scan-bench-") as tmp:
        out = Path(tmp)

        def through_pipeline(raw: Raster) -> DocumentFile:
            page = pipeline.process_page(raw)
            return pipeline.build_document([page.raster], OutputSpec(), out, "bench")

        for name, raw in pages.items():
            ms, doc, cpu_ms = _timed(lambda raw=raw: through_pipeline(raw))
            figures[f"scan_{name}_ms"] = round(ms, 1)
            figures[f"scan_{name}_cpu_ms"] = round(cpu_ms, 1)
            figures[f"scan_{name}_bytes"] = float(doc.bytes)
            figures[f"scan_{name}_ssim"] = round(doc.min_ssim, 4)
            figures[f"scan_{name}_dpi"] = float(doc.dpi)
        process_ms, page, _ = _timed(lambda: pipeline.process_page(color))
        file_ms, _doc, _ = _timed(lambda: pipeline.build_document([page.raster], OutputSpec(), out, "b"))
        figures["scan_color_process_ms"] = round(process_ms, 1)
        figures["scan_color_file_ms"] = round(file_ms, 1)

    def pillow_save() -> bytes:
        buf = io.BytesIO()
        Image.fromarray(color.pixels).save(buf, "JPEG", quality=75, dpi=(300, 300))
        return buf.getvalue()

    ms, data, cpu_ms = _timed(pillow_save)
    figures["pillow_color_ms"] = round(ms, 1)
    figures["pillow_color_cpu_ms"] = round(cpu_ms, 1)
    figures["pillow_color_bytes"] = float(len(data))
    figures["scan_color_x_pillow"] = round(figures["scan_color_ms"] / ms, 2)
    figures["scan_color_x_pillow_cpu"] = round(figures["scan_color_cpu_ms"] / cpu_ms, 2)
    png = io.BytesIO()
    Image.fromarray(color.pixels).save(png, "PNG", dpi=(300, 300))
    figures["img2pdf_color_bytes"] = float(len(img2pdf.convert(png.getvalue())))
    return figures


if __name__ == "__main__":
    print(json.dumps(_kiosk_malloc() if sys.argv[1:] == ["--kiosk-malloc"] else run(), indent=2))
