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

import cv2
import numpy as np
import numpy.typing as npt

from kiosk.scan.imaging.raster import Pixels, Raster

SSIM_DPI = 150.0


@dataclass(frozen=True)
class LegibilityFloor:
    min_dpi: float = 150.0
    min_ssim: float = 0.90

    def dpi_for(self, scan_dpi: float) -> float:
        """The lowest output resolution allowed for a page scanned at `scan_dpi`."""
        return min(self.min_dpi, scan_dpi)


def _f32(gray: Pixels) -> npt.NDArray[np.float32]:
    return gray.astype(np.float32)


def ssim(a: Pixels, b: Pixels) -> float:
    """Mean structural similarity of two grey images of the same size (Gaussian window σ = 1.5 as in
    Wang et al. 2004, truncated to 7×7 for speed), computed with separable OpenCV filters. The
    arithmetic works in place: a page at 150 dpi is 2 M pixels, and fresh temporaries for each step
    cost a quarter of the time."""
    if a.shape != b.shape:
        raise ValueError(f"ssim needs images of the same size, got {a.shape} and {b.shape}")
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    x, y = _f32(a), _f32(b)

    def blur(img: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        return np.asarray(cv2.GaussianBlur(img, (7, 7), 1.5), dtype=np.float32)

    mx, my = blur(x), blur(y)
    sxx, syy = blur(x * x), blur(y * y)
    sxy = blur(np.multiply(x, y, out=x))
    mxy = mx * my
    np.multiply(mx, mx, out=mx)                  # mx²
    np.multiply(my, my, out=my)                  # my²
    sxx -= mx                                    # σx²
    syy -= my                                    # σy²
    sxy -= mxy                                   # σxy
    mxy *= 2
    mxy += c1
    sxy *= 2
    sxy += c2
    num = np.multiply(mxy, sxy, out=mxy)         # (2 μxμy + c1)(2 σxy + c2)
    mx += my
    mx += c1
    sxx += syy
    sxx += c2
    den = np.multiply(mx, sxx, out=mx)           # (μx² + μy² + c1)(σx² + σy² + c2)
    return float(np.divide(num, den, out=num).mean(dtype=np.float64))


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
    paper = float(np.percentile(core, 90))
    ratio = float(np.count_nonzero(core < paper - contrast)) / core.size
    return BlankCheck(ratio < max_ink_ratio, ratio)
