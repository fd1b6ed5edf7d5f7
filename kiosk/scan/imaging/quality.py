"""Measures of a page: is it blank, and is a compressed copy still legible.

The legibility floor (`LegibilityFloor`) has two parts, both measured, never guessed:

* **effective resolution ≥ 150 dpi** (or the scan's own resolution when it was lower): 150 dpi keeps
  8-point print readable on screen and by OCR, and is what the administration's own scan guidance
  takes as the minimum for text;
* **SSIM ≥ 0.90 on the luminance at 150 dpi** between the compressed page (decoded) and the clean
  page before compression. Comparing at a fixed 150 dpi makes pages of any output resolution
  comparable and weighs what a reader sees at 100 % zoom; JPEG ringing around letters and blocking in
  flat areas lower it, a plain downscale to 150–200 dpi hardly does.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import cv2
import numpy as np
import numpy.typing as npt

from kiosk.scan.imaging import helper
from kiosk.scan.imaging.raster import Pixels, Raster, percentile_u8

SSIM_DPI = 150.0


@dataclass(frozen=True)
class LegibilityFloor:
    min_dpi: float = 150.0
    min_ssim: float = 0.90

    def dpi_for(self, scan_dpi: float) -> float:
        """The lowest output resolution allowed for a page scanned at `scan_dpi`."""
        return min(self.min_dpi, scan_dpi)


SSIM_ROWS = 64           # rows of the SSIM map worked out at a time: their buffers stay in the CPU cache
_WINDOW = 3              # rows of context a 7×7 window needs on each side


def ssim(a: Pixels, b: Pixels) -> float:
    """Mean structural similarity of two grey images of the same size (Gaussian window σ = 1.5 as in
    Wang et al. 2004, truncated to 7×7 for speed), computed with separable OpenCV filters.

    The map is worked out in bands of `SSIM_ROWS` rows (each with the 3 rows of context its windows
    need; at the image's own edges the filter's border is the image's, as for the whole map), in eight
    buffers reused from band to band: a page at 150 dpi is 2 M pixels, and whole-page float temporaries
    (9 MB each) leave the cache at every step and cost a fresh mapping each. σx² + σy² comes from one
    filter of x² + y² (the filter is linear), so four filters per band instead of five. The two halves
    of the bands are worked out side by side (kiosk.scan.imaging.helper): the same map, summed in two."""
    if a.shape != b.shape:
        raise ValueError(f"ssim needs images of the same size, got {a.shape} and {b.shape}")
    height, width = a.shape[:2]
    bands = range(0, height, SSIM_ROWS)
    if len(bands) < 4:
        return float(_rows_sum(a, b, 0, height) / (height * width))
    # the upper half of the bands on the helper thread, the lower half here
    half = bands[len(bands) // 2]
    upper, lower = helper.both(partial(_rows_sum, a, b, 0, half), partial(_rows_sum, a, b, half, height))
    return float((upper + lower) / (height * width))


def _rows_sum(a: Pixels, b: Pixels, first: int, end: int) -> float:
    """Sum of the SSIM map over rows first..end (a multiple of SSIM_ROWS, or the last row), band by
    band, in eight buffers of its own."""
    height, width = a.shape[:2]
    rows = min(height, SSIM_ROWS + 2 * _WINDOW)
    buffers = [np.empty((rows, width), dtype=np.float32) for _ in range(8)]
    total = 0.0
    for top in range(first, end, SSIM_ROWS):
        bottom = min(end, top + SSIM_ROWS)
        lo, hi = max(0, top - _WINDOW), min(height, bottom + _WINDOW)
        total += _band_sum(a[lo:hi], b[lo:hi], top - lo, bottom - lo, [buf[:hi - lo] for buf in buffers])
    return total


def _band_sum(a: Pixels, b: Pixels, first: int, end: int, buffers: list[npt.NDArray[np.float32]]) -> float:
    """Sum of the SSIM map over rows first..end of a band (the rows around them are context)."""
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    x, y, q, p, mx, my, sq, sp = buffers
    np.copyto(x, a, casting="unsafe")
    np.copyto(y, b, casting="unsafe")
    np.multiply(x, x, out=q)
    np.multiply(y, y, out=p)
    q += p                                       # x² + y²
    np.multiply(x, y, out=p)                     # xy
    for src, dst in ((x, mx), (y, my), (q, sq), (p, sp)):
        cv2.GaussianBlur(src, (7, 7), 1.5, dst=dst)
    mx, my, sq, sp, num, den = mx[first:end], my[first:end], sq[first:end], sp[first:end], \
        x[first:end], y[first:end]
    np.multiply(mx, my, out=num)                 # μxμy
    np.multiply(mx, mx, out=den)
    np.multiply(my, my, out=my)
    den += my                                    # μx² + μy²
    sq -= den                                    # σx² + σy²
    sp -= num                                    # σxy
    num *= 2
    num += c1
    sp *= 2
    sp += c2
    num *= sp                                    # (2 μxμy + c1)(2 σxy + c2)
    den += c1
    sq += c2
    den *= sq                                    # (μx² + μy² + c1)(σx² + σy² + c2)
    num /= den
    return float(num.sum(dtype=np.float64))


def luma_at(raster: Raster, dpi: float = SSIM_DPI, size: tuple[int, int] | None = None) -> Pixels:
    """Grey copy at `dpi` (or exactly `size` = (width, height)), area-averaged."""
    gray = raster.gray()
    if size is None:
        return Raster(gray, raster.dpi).resized_to_dpi(min(dpi, raster.dpi)).pixels
    if (gray.shape[1], gray.shape[0]) == size:
        return gray
    method = cv2.INTER_AREA if size[0] < gray.shape[1] else cv2.INTER_CUBIC
    return np.asarray(cv2.resize(gray, size, interpolation=method), dtype=np.uint8)


@dataclass(frozen=True)
class BlankCheck:
    blank: bool
    ink_ratio: float         # share of the page (75 dpi, margins ignored) clearly darker than the paper


def check_blank(raster: Raster, max_ink_ratio: float = 0.0004, contrast: int = 60,
                margin: float = 0.05) -> BlankCheck:
    """A page is blank when almost nothing on it is much darker than its paper. Faint show-through
    from the other side and sensor noise stay under `contrast`; a single short line of text does not
    (it covers about 0.1 % of an A4 page)."""
    gray = luma_at(raster, 75.0)
    h, w = gray.shape
    core = gray[int(h * margin):h - int(h * margin), int(w * margin):w - int(w * margin)]
    if core.size == 0:
        return BlankCheck(True, 0.0)
    paper = percentile_u8(core, 90)
    ratio = float(np.count_nonzero(core < paper - contrast)) / core.size
    return BlankCheck(ratio < max_ink_ratio, ratio)

