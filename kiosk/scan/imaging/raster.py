"""A scanned or processed page: pixels plus the resolution they were taken at."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

Pixels = npt.NDArray[np.uint8]
MM_PER_INCH = 25.4


@dataclass(frozen=True, eq=False)
class Raster:
    """`pixels` is H×W (grey) or H×W×3 (RGB, not BGR), uint8; `dpi` is pixels per inch on paper."""

    pixels: Pixels
    dpi: float

    def __post_init__(self) -> None:
        if self.pixels.dtype != np.uint8 or self.pixels.ndim not in (2, 3):
            raise ValueError(f"expected uint8 H×W or H×W×3 pixels, got {self.pixels.dtype} "
                             f"{self.pixels.shape}")
        if self.pixels.ndim == 3 and self.pixels.shape[2] != 3:
            raise ValueError(f"expected 3 channels, got {self.pixels.shape[2]}")
        if self.dpi <= 0:
            raise ValueError("dpi must be positive")

    @property
    def width(self) -> int:
        return int(self.pixels.shape[1])

    @property
    def height(self) -> int:
        return int(self.pixels.shape[0])

    @property
    def is_color(self) -> bool:
        return self.pixels.ndim == 3

    @property
    def size_mm(self) -> tuple[float, float]:
        return self.width / self.dpi * MM_PER_INCH, self.height / self.dpi * MM_PER_INCH

    def gray(self) -> Pixels:
        if not self.is_color:
            return self.pixels
        return np.asarray(cv2.cvtColor(self.pixels, cv2.COLOR_RGB2GRAY), dtype=np.uint8)

    def resized_to_dpi(self, dpi: float) -> Raster:
        """Area-averaged downscale (or bicubic upscale) to `dpi`; the same object when already there."""
        if abs(dpi - self.dpi) < 0.5:
            return self
        scale = dpi / self.dpi
        pixels = self.pixels
        factor = round(1 / scale)
        if scale < 1 and abs(factor * scale - 1) < 1e-6 and min(self.width, self.height) >= factor:
            # an exact 1/n: drop the last n-1 rows and columns at most (under 0.3 mm) so that OpenCV
            # averages n×n blocks, its fast path (10x quicker than the general area resampling)
            pixels = pixels[:self.height // factor * factor, :self.width // factor * factor]
            size = (self.width // factor, self.height // factor)
        else:
            size = (max(1, round(self.width * scale)), max(1, round(self.height * scale)))
        method = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
        return Raster(np.asarray(cv2.resize(pixels, size, interpolation=method), dtype=np.uint8), dpi)

    def sampled(self, dpi: float) -> Pixels:
        """Every n-th pixel, about `dpi`: a free view for statistics (colour, lid), not for display."""
        step = max(1, round(self.dpi / dpi))
        return self.pixels[::step, ::step]

    def thumbnail(self, max_side: int) -> Raster:
        """A small copy for previews (the UI turns it into a QImage)."""
        scale = min(1.0, max_side / max(self.width, self.height))
        return self.resized_to_dpi(self.dpi * scale)


def percentile_u8(values: Pixels, q: float) -> float:
    """np.percentile(values, q) (linear interpolation; q = 50 is np.median) of 8-bit values, by
    counting them: no sort, no copy of a large page."""
    rank = (values.size - 1) * q / 100.0
    below = int(np.floor(rank))
    cumulative = np.cumsum(np.bincount(values.ravel(), minlength=256))
    low, high = (int(np.searchsorted(cumulative, k, side="right"))
                 for k in (below, min(below + 1, values.size - 1)))
    return low + (high - low) * (rank - below)
