"""From scanned pages to the one file the portal accepts.

    pipeline = ScanPipeline()
    page = pipeline.process_page(raster)               # crop, deskew, upright, blank check
    doc = pipeline.build_document([page.raster, ...], OutputSpec.for_document(("pdf",), 2.0),
                                  session.directory, "passeport")

Everything here is plain CPU work with no Qt: the UI runs it on its worker thread. OpenCV releases the
GIL in its loops, so the GUI thread stays responsive; it may use both cores.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import img2pdf
import numpy as np

from kiosk.scan.imaging import geometry, helper
from kiosk.scan.imaging.compress import OutputFormat, fit_pages, has_color, to_gray, whiten
from kiosk.scan.imaging.errors import NoPages, UnsupportedFormat
from kiosk.scan.imaging.quality import BlankCheck, LegibilityFloor, check_blank
from kiosk.scan.imaging.raster import Raster

log = logging.getLogger(__name__)

MIN_DESKEW_DEG = 0.2         # a smaller skew is left as it is (and reported as 0)
PDF_OVERHEAD = 1500          # bytes for the PDF structure, plus per page below
PDF_PAGE_OVERHEAD = 400


@dataclass(frozen=True)
class OutputSpec:
    """What the portal accepts for one document (from the content pack's Document)."""

    format: OutputFormat = OutputFormat.PDF
    max_bytes: int = 2_000_000
    color: bool = True           # False: shades of grey (smaller), what DocumentTooLarge suggests

    @classmethod
    def for_document(cls, formats: Sequence[str], max_mb: float, color: bool = True) -> OutputSpec:
        """PDF when the portal takes it (one file for any number of pages), else the first format."""
        names = [f.lower().replace("jpeg", "jpg") for f in formats] or ["pdf"]
        fmt = OutputFormat.PDF if "pdf" in names else OutputFormat(names[0])
        return cls(fmt, int(max_mb * 1_000_000), color)


@dataclass(frozen=True)
class ProcessedPage:
    raster: Raster
    skew_deg: float              # the skew found and corrected
    quarter_turns: int           # counter-clockwise quarter turns applied to make it upright
    cropped: bool
    blank: BlankCheck
    ms: float


@dataclass(frozen=True)
class DocumentFile:
    path: Path
    bytes: int
    pages: int
    format: OutputFormat
    dpi: float                   # lowest page resolution in the file
    min_ssim: float              # lowest similarity to the clean page (legibility floor check)
    color: bool
    ms: float


def safe_filename(label: str, ext: str, max_len: int = 60) -> str:
    """An ASCII name without spaces the portal accepts: 'Titre de séjour' -> 'titre-de-sejour.pdf'."""
    ascii_ = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode("ascii")
    stem = re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")[:max_len].strip("-")
    return f"{stem or 'document'}.{ext}"


@dataclass
class ScanPipeline:
    """The processing of one kiosk; stateless between calls, so one instance serves every visitor."""

    floor: LegibilityFloor = field(default_factory=LegibilityFloor)

    def process_page(self, raw: Raster, auto_crop: bool = True, auto_rotate: bool = True) -> ProcessedPage:
        """Deskew (text lines, ±15°), crop to the paper, turn upright, check for a blank page. A page
        without colour comes back grey (the file made of it would be grey anyway)."""
        start = time.perf_counter()
        # The analysis works on one small grey copy that follows every change made to the page.
        small = Raster(geometry.analysis_gray(raw), min(raw.dpi, geometry.ANALYSIS_DPI))
        skew = geometry.estimate_skew(small)
        if abs(skew) < MIN_DESKEW_DEG:        # under 0.8 mm across an A4 page: not worth resampling it
            skew = 0.0
        # Grey before any full-size work: a third of the pixels to turn, whiten, keep and compress.
        page = to_gray(raw) if raw.is_color and not has_color(raw) else raw
        # The paper's box on the helper thread while the small copy turns on this one, then the one
        # full-size resampling, straight into the box (no turned copy to crop afterwards), there while
        # the small copy is read here: the two cores each take a side (kiosk.scan.imaging.helper).
        box, small = helper.both(partial(geometry.paper_box, page, -skew) if auto_crop else _no_box,
                                 partial(geometry.rotate, small, -skew))
        turned = helper.start(partial(geometry.rotate_crop, page, -skew, box))
        if box is not None:
            small = geometry.crop(small, box.scaled(small.dpi / page.dpi, small.width, small.height))
        turns = geometry.detect_orientation(small).quarter_turns if auto_rotate else 0
        small = geometry.turn(small, turns)
        blank = check_blank(small)
        page = geometry.turn(turned.result(), turns)
        ms = (time.perf_counter() - start) * 1000
        log.info("page processed: skew %.2f°, %d quarter turn(s), crop %s, blank %s, %.0f ms",
                 skew, turns, box is not None, blank.blank, ms)
        return ProcessedPage(page, skew, turns, box is not None, blank, ms)

    def build_document(self, pages: Sequence[Raster], spec: OutputSpec, out_dir: Path,
                       label: str) -> DocumentFile:
        """Write one file (all pages) into `out_dir`, replacing an earlier version of it.

        Raises NoPages, UnsupportedFormat, or DocumentTooLarge (with the remedies to offer)."""
        if not pages:
            raise NoPages("no page")
        if spec.format not in OutputFormat:
            raise UnsupportedFormat(str(spec.format))
        start = time.perf_counter()
        prepared = [whiten(p) for p in pages]
        color = spec.color and any(has_color(p) for p in prepared)
        if not color:
            prepared = [to_gray(p) for p in prepared]
        if spec.format is OutputFormat.PDF:
            budget = spec.max_bytes - PDF_OVERHEAD - PDF_PAGE_OVERHEAD * len(prepared)
            encoded = fit_pages(prepared, spec.format, budget, self.floor, color)
            data = _pdf([e.data for e in encoded])
        else:
            sheet = _stack(prepared) if len(prepared) > 1 else prepared[0]
            encoded = fit_pages([sheet], spec.format, spec.max_bytes - 64, self.floor, color)
            data = encoded[0].data
        path = out_dir / safe_filename(label, spec.format.value)
        _write_atomic(path, data)
        ms = (time.perf_counter() - start) * 1000
        doc = DocumentFile(path, len(data), len(pages), spec.format, min(e.dpi for e in encoded),
                           min(e.ssim for e in encoded), color, ms)
        log.info("document written: %d page(s), %s, %d bytes, %.0f dpi, SSIM %.3f, %.0f ms",
                 doc.pages, doc.format.value, doc.bytes, doc.dpi, doc.min_ssim, ms)
        return doc


def _no_box() -> geometry.PaperBox | None:
    return None


def _pdf(jpegs: list[bytes]) -> bytes:
    """Embed the JPEG streams as they are (DCTDecode, no re-encoding); page size from their dpi.
    img2pdf writes no encryption and no metadata beyond the producer."""
    out = img2pdf.convert(jpegs, producer="PAN Kiosk", creator="PAN Kiosk", nodate=True)
    if not isinstance(out, bytes):
        raise TypeError("img2pdf returned no bytes")
    return out


def _stack(pages: list[Raster]) -> Raster:
    """Pages one under the other (recto above verso) for a single-image format."""
    dpi = min(p.dpi for p in pages)
    pages = [p.resized_to_dpi(dpi) for p in pages]
    color = any(p.is_color for p in pages)
    width = max(p.width for p in pages)
    rows = []
    for p in pages:
        pix = p.pixels if not color or p.is_color else np.repeat(p.pixels[:, :, None], 3, axis=2)
        pad = width - p.width
        if pad:
            pix = np.pad(pix, ((0, 0), (0, pad)) + (((0, 0),) if color else ()), constant_values=255)
        rows.append(pix)
    return Raster(np.ascontiguousarray(np.concatenate(rows, axis=0)), dpi)


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".part-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
