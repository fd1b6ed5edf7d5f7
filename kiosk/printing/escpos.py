"""80 mm ESC/POS receipt printers through python-escpos (MIT): USB, serial or network devices.

ESC/POS printers have code pages for Latin and Cyrillic only, so:
- `EscposPrinter.submit(pdf)` (the `Printer` protocol) prints the 80 mm PDF as a raster image: every
  script comes out exactly as on the PDF (pdftoppm at the printer's 203 dpi);
- `EscposPrinter.print_sheet(sheet, renderer)` prints text: French as text, the visitor's part as text
  when the printer's code pages can hold it (Latin, Cyrillic), else that part as an image; and the
  QR code natively. Text mode is faster and sharper on cheap printers.

There is no queue: a job is printed while `submit` runs, `follow` only reports it completed.
"""

from __future__ import annotations

import itertools
import logging
import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal, Protocol

from PIL import Image

from kiosk.printing.printer import FaultKind, JobState, PrinterFault, PrinterStatus, PrintJob, StateCallback
from kiosk.receipts.compose import Row, Sheet
from kiosk.receipts.fonts import Script, script_of

log = logging.getLogger(__name__)

DPI = 203                       # 8 dots per mm, the usual thermal head
PRINTABLE_DOTS = 576            # 72 mm
MARGIN_DOTS = 32                # the 80 mm layout's 4 mm margins
TEXT_SCRIPTS = frozenset({Script.LATIN})      # Latin, Cyrillic, Greek: in ESC/POS code pages


def rasterize(pdf: bytes, dpi: int = DPI) -> list[Image.Image]:
    """Pages of a PDF as 1-bit images cropped to the printable width (poppler's pdftoppm).

    The receipt goes through pipes, never a file: a temporary file in /tmp would keep the visitor's
    receipt on disk if the kiosk died while printing (crash recovery only cleans the session root)."""
    out = subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-"], input=pdf,
                         check=True, capture_output=True, timeout=60).stdout
    pages = []
    for page in _graymaps(out):
        box = (MARGIN_DOTS, 0, min(page.width - MARGIN_DOTS, MARGIN_DOTS + PRINTABLE_DOTS), page.height)
        pages.append(page.crop(box).convert("1"))
    return pages


_PGM_HEADER = re.compile(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s")


def _graymaps(data: bytes) -> list[Image.Image]:
    """The pages pdftoppm writes one after the other on its output (binary PGM, 8 bits)."""
    pages, pos = [], 0
    while pos < len(data):
        header = _PGM_HEADER.match(data, pos)
        width, height = (int(header[1]), int(header[2])) if header else (0, 0)
        start = header.end() if header else pos
        if header is None or int(header[3]) > 255 or len(data) < start + width * height:
            raise subprocess.SubprocessError("pdftoppm did not write whole 8-bit graymaps")
        pages.append(Image.frombytes("L", (width, height), data[start:start + width * height]))
        pos = start + width * height
    return pages


def text_printable(text: str) -> bool:
    return all(script_of(c) in TEXT_SCRIPTS or script_of(c) is None for c in text)


class SheetRenderer(Protocol):
    """What print_sheet needs to draw the visitor's part as an image (ReceiptRenderer fits)."""

    def render(self, sheet: Sheet, layout: Literal["a4", "80mm"]) -> bytes: ...


@dataclass
class EscposPrinter:
    """`device` is a python-escpos printer (escpos.printer.Usb/Serial/Network, or Dummy in tests)."""

    device: Any
    name: str = "escpos"
    rasterizer: Callable[[bytes], list[Image.Image]] = rasterize
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    done: dict[int, JobState] = field(default_factory=dict)

    def status(self) -> PrinterStatus:
        try:
            paper = self.device.paper_status()
        except Exception as exc:  # noqa: BLE001 - python-escpos raises many kinds; none is fatal here
            log.debug("printer cannot report paper status: %s", exc)
            return PrinterStatus(self.name, True, (), "status not reported")
        if paper == 0:
            return PrinterStatus(self.name, False, (PrinterFault(FaultKind.MEDIA_EMPTY, "paper_status 0"),))
        return PrinterStatus(self.name, True, (), "paper low" if paper == 1 else "")

    def submit(self, document: Path, title: str) -> PrintJob:
        try:
            pages = self.rasterizer(document.read_bytes())
        except (OSError, subprocess.SubprocessError) as exc:
            raise PrinterFault(FaultKind.JOB_FAILED, f"rasterize: {exc.__class__.__name__}") from exc
        job = PrintJob(next(self._ids), self.name, title)
        self._send(lambda: [self.device.image(page, center=False) for page in pages])
        self.done[job.id] = JobState.COMPLETED
        return job

    def print_sheet(self, sheet: Sheet, renderer: SheetRenderer) -> None:
        """Text-mode receipt (see the module docstring)."""
        def body() -> None:
            d = self.device
            d.set(align="center", bold=True)
            d.textln(sheet.site.name)
            d.set(align="center", bold=False)
            if sheet.site.address:
                d.textln(sheet.site.address)
            if sheet.bilingual:
                visitor_text = [r.visitor for r in sheet.rows + sheet.footer]
                if all(text_printable(t) for t in visitor_text):
                    self._rows(sheet.rows + sheet.footer, "visitor")
                else:
                    visitor_only = replace(sheet, bilingual=False, qr_url=None, image_png=None,
                                           rows=[Row(r.kind, r.visitor, r.visitor) for r in sheet.rows],
                                           footer=[Row(r.kind, r.visitor, r.visitor) for r in sheet.footer])
                    for page in self.rasterizer(renderer.render(visitor_only, "80mm")):
                        d.image(page, center=False)
                d.set(align="center")
                d.textln("- " * 21)
            self._rows(sheet.rows + sheet.footer, "french")
            if sheet.qr_url:
                d.set(align="center")
                d.qr(sheet.qr_url, size=5, native=False)
        self._send(body)

    def _rows(self, rows: list[Row], side: str) -> None:
        for row in rows:
            text = getattr(row, side)
            self.device.set(align="center" if row.kind == "title" else "left",
                            bold=row.kind in ("title", "heading"),
                            double_height=row.kind == "title")
            if row.kind == "heading":
                self.device.ln()
            self.device.textln(text)

    def _send(self, body: Callable[[], object]) -> None:
        try:
            body()
            self.device.cut()
        except OSError as exc:
            raise PrinterFault(FaultKind.OFFLINE, exc.__class__.__name__) from exc
        except Exception as exc:  # noqa: BLE001 - device errors of python-escpos have no common base
            raise PrinterFault(FaultKind.JOB_FAILED, exc.__class__.__name__) from exc

    def follow(self, job: PrintJob, timeout_s: float = 60.0,
               on_state: StateCallback | None = None) -> JobState:
        state = self.done.get(job.id)
        if state is None:
            raise PrinterFault(FaultKind.JOB_FAILED, "unknown job")
        if on_state is not None:
            on_state(state)
        return state

    def cancel(self, job: PrintJob) -> None:
        self.done.pop(job.id, None)

    def purge(self) -> None:
        """Nothing is queued on an ESC/POS printer; only our own job list is forgotten."""
        self.done.clear()
