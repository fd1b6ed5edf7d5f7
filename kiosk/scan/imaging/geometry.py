"""Where the paper is and which way is up: crop, deskew and turn a scanned page.

All analysis runs on a small grey copy (`ANALYSIS_DPI`); only the final rotation and crop touch the
full-resolution pixels, once each. Angles are in degrees, counter-clockwise positive as the page is
seen: `rotate(raster, a)` turns the content by `a`, and a page whose text lines rise to the right
has a positive skew, which `deskew` corrects by rotating by its negative.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from kiosk.scan.imaging.raster import MM_PER_INCH, Pixels, Raster, percentile_u8

log = logging.getLogger(__name__)

ANALYSIS_DPI = 150.0
MAX_SKEW_DEG = 15.0
_MAX_POINTS = 20_000         # evenly spread over the ink: the angles found are those of 60 000 random ones


def analysis_gray(raster: Raster, dpi: float = ANALYSIS_DPI) -> Pixels:
    """Grey first, then smaller: resampling one channel costs a third of three."""
    return Raster(raster.gray(), raster.dpi).resized_to_dpi(min(dpi, raster.dpi)).pixels


def _ink_u8(gray: Pixels) -> Pixels:
    block = max(15, (min(gray.shape) // 40) | 1)
    mask = cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, 18)
    return np.asarray(mask, dtype=np.uint8)


def ink_mask(gray: Pixels) -> npt.NDArray[np.bool_]:
    """Strokes darker than their surroundings (text, lines), not large flat dark areas."""
    return _ink_u8(gray) > 0


def _profile_score(xs: npt.NDArray[np.float64], ys: npt.NDArray[np.float64], angle_deg: float) -> float:
    """Sharpness of the row profile once the points are turned back by `angle`: sum of squared bin
    counts. With y growing downwards, a line rising by `angle` to the right becomes one row."""
    a = np.deg2rad(angle_deg)
    rows = ys * np.cos(a) + xs * np.sin(a)
    bins = np.bincount((rows - rows.min()).astype(np.int64))
    return float(np.dot(bins, bins))


def _ink_points(gray: Pixels) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    found = cv2.findNonZero(_ink_u8(gray))    # row by row, as np.nonzero, in a fifth of the time
    if found is None:
        return np.zeros(0), np.zeros(0)
    points = found.reshape(-1, 2)
    if len(points) > _MAX_POINTS:    # every n-th point of a row-by-row list: all over the page, no shuffle
        points = points[np.linspace(0, len(points) - 1, _MAX_POINTS).astype(np.int64)]
    return points[:, 0].astype(np.float64), points[:, 1].astype(np.float64)


def estimate_skew(raster: Raster, max_deg: float = MAX_SKEW_DEG) -> float:
    """Angle of the text lines (degrees, counter-clockwise positive) by projection profiles:
    coarse 1° steps, then 0.2° and 0.04° around the best (55 profiles). 0.0 when the page has too
    little ink."""
    xs, ys = _ink_points(analysis_gray(raster))
    if len(xs) < 200:
        return 0.0
    best = 0.0
    for step, span in ((1.0, max_deg), (0.2, 1.2), (0.04, 0.2)):
        candidates = np.arange(best - span, best + span + step / 2, step)
        scores = [_profile_score(xs, ys, float(a)) for a in candidates]
        best = float(candidates[int(np.argmax(scores))])
    return round(best, 2)


def fill_value(raster: Raster) -> tuple[int, int, int]:
    """Colour of the image border (scanner lid or paper), used to fill corners after a rotation."""
    p = raster.pixels
    border = np.concatenate([p[:4].reshape(-1, *p.shape[2:]), p[-4:].reshape(-1, *p.shape[2:]),
                             p[:, :4].reshape(-1, *p.shape[2:]), p[:, -4:].reshape(-1, *p.shape[2:])])
    med = np.median(border, axis=0)
    if raster.is_color:
        return int(med[0]), int(med[1]), int(med[2])
    v = int(med)
    return v, v, v


def _warp(raster: Raster, matrix: cv2.typing.MatLike, size: tuple[int, int]) -> Raster:
    """Bilinear affine resampling to `size` (width, height); outside, the colour of the image border."""
    fill = fill_value(raster)
    out = cv2.warpAffine(raster.pixels, matrix, size, flags=cv2.INTER_LINEAR,
                         borderMode=cv2.BORDER_CONSTANT, borderValue=fill if raster.is_color else fill[0])
    return Raster(np.asarray(out, dtype=np.uint8), raster.dpi)


def rotate(raster: Raster, angle_deg: float) -> Raster:
    """Turn the content counter-clockwise by `angle_deg` about the centre, keeping the image size."""
    if abs(angle_deg) < 0.01:
        return raster
    h, w = raster.height, raster.width
    return _warp(raster, cv2.getRotationMatrix2D((w / 2, h / 2), angle_deg, 1.0), (w, h))


def rotate_crop(raster: Raster, angle_deg: float, box: PaperBox | None) -> Raster:
    """`crop(rotate(raster, angle_deg), box)` in one resampling pass that computes only the box's
    pixels: no full-size turned copy to crop afterwards. The same object when there is nothing to do."""
    h, w = raster.height, raster.width
    box = box or PaperBox(0, 0, w, h)
    if abs(angle_deg) < 0.01:
        return raster if box == PaperBox(0, 0, w, h) else crop(raster, box)
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle_deg, 1.0)
    matrix[0, 2] -= box.left
    matrix[1, 2] -= box.top
    return _warp(raster, matrix, (box.right - box.left, box.bottom - box.top))


def turn(raster: Raster, quarter_turns: int) -> Raster:
    """Rotate by a multiple of 90° counter-clockwise (lossless)."""
    q = quarter_turns % 4
    if q == 0:
        return raster
    code = {1: cv2.ROTATE_90_COUNTERCLOCKWISE, 2: cv2.ROTATE_180, 3: cv2.ROTATE_90_CLOCKWISE}[q]
    return Raster(np.asarray(cv2.rotate(raster.pixels, code), dtype=np.uint8), raster.dpi)


@dataclass(frozen=True)
class PaperBox:
    left: int
    top: int
    right: int
    bottom: int

    def scaled(self, factor: float, width: int, height: int) -> PaperBox:
        return PaperBox(max(0, int(self.left * factor)), max(0, int(self.top * factor)),
                        min(width, int(np.ceil(self.right * factor))),
                        min(height, int(np.ceil(self.bottom * factor))))


def find_paper(raster: Raster, margin_mm: float = 2.0, tolerance: int = 18) -> PaperBox | None:
    """The box of what differs from the scanner lid, or None when the paper fills the bed (no crop).

    The lid colour is read on the image border; pixels that differ from it by more than `tolerance`
    are the document. Small specks are ignored; the largest region wins."""
    step = max(1, round(raster.dpi / 50.0))
    small = Raster(np.ascontiguousarray(raster.sampled(50.0)), raster.dpi / step)
    dpi = small.dpi
    lid = np.array(fill_value(small), dtype=np.int16)
    pix = small.pixels.astype(np.int16)
    if small.is_color:       # channel by channel: numpy reduces a length-3 last axis 15x slower
        diff = np.maximum(np.maximum(np.abs(pix[:, :, 0] - lid[0]), np.abs(pix[:, :, 1] - lid[1])),
                          np.abs(pix[:, :, 2] - lid[2]))
    else:
        diff = np.abs(pix - lid[0])
    mask = (diff > tolerance).astype(np.uint8)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (max(3, int(dpi / 5)),) * 2)   # ~5 mm
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, kernel)
    count, _labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    if count <= 1:
        return None
    biggest = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    x, y, w, h = (int(v) for v in stats[biggest, :4])
    area = small.width * small.height
    if w * h > 0.92 * area or w * h < 0.01 * area:
        return None
    inside = small.pixels[y:y + h, x:x + w].reshape(-1, *small.pixels.shape[2:])
    medians = [percentile_u8(c, 50) for c in (inside.T if small.is_color else [inside])]    # np.median
    if int(np.abs(np.array(medians) - lid[:len(medians)]).max()) <= tolerance // 2:
        return None     # what differs is only print on paper of the lid's colour: no paper edge to crop to
    pad = margin_mm / MM_PER_INCH * dpi
    box = PaperBox(int(max(0, x - pad)), int(max(0, y - pad)),
                   int(min(small.width, x + w + pad)), int(min(small.height, y + h + pad)))
    return box.scaled(raster.dpi / dpi, raster.width, raster.height)


def paper_box(raster: Raster, angle_deg: float = 0.0) -> PaperBox | None:
    """`find_paper(rotate(raster, angle_deg))` without turning the full-size page: the 50 dpi sample
    find_paper reads (every n-th pixel of the turned page) is resampled straight from the page, so that
    the page itself is resampled once, into the box (`rotate_crop`)."""
    step = max(1, round(raster.dpi / 50.0))
    if abs(angle_deg) < 0.01:
        sample = Raster(np.ascontiguousarray(raster.sampled(50.0)), raster.dpi / step)
    else:
        h, w = raster.height, raster.width
        matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle_deg, 1.0) / step   # then every step-th pixel
        sample = _warp(raster, matrix, (-(-w // step), -(-h // step)))
        sample = Raster(sample.pixels, raster.dpi / step)
    box = find_paper(sample)
    return None if box is None else box.scaled(step, raster.width, raster.height)


def crop(raster: Raster, box: PaperBox) -> Raster:
    return Raster(np.ascontiguousarray(raster.pixels[box.top:box.bottom, box.left:box.right]), raster.dpi)


@dataclass(frozen=True)
class Orientation:
    quarter_turns: int       # counter-clockwise quarter turns that make the page upright (0 = leave it)
    balance: float           # ascender/descender balance of the text lines: > 0 upright, < 0 upside down
    lines: int               # text lines measured


FLIP_BALANCE = -0.3          # upright Latin text measures +0.5…+0.9, upside-down −0.5…−0.9


def _line_balance(gray: Pixels) -> tuple[float, int]:
    """Ink above minus ink below the x-height band of each text line, over their sum; lines counted.

    Latin text has far more ascenders, capitals and accents than descenders: upright text gives a
    clearly positive balance, text upside down a negative one."""
    _, binary = cv2.threshold(gray, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    rows = binary.sum(axis=1).astype(np.float64)
    inked = rows > max(2.0, 0.002 * gray.shape[1])
    above = below = 0.0
    lines = 0
    edges = np.diff(np.concatenate(([0], inked.astype(np.int8), [0])))
    for start, end in zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1), strict=True):
        band = rows[start:end]           # one run of inked rows: a text line, or a picture, a rule
        if not 6 <= len(band) <= 80:
            continue
        core = np.nonzero(band >= 0.5 * band.max())[0]
        top, bottom = int(core[0]), int(core[-1])
        above += float(band[:top].sum())
        below += float(band[bottom + 1:].sum())
        lines += 1
    total = above + below
    return ((above - below) / total if total else 0.0), lines


def _line_sharpness(mask: Pixels, axis: int = 1) -> float:
    """How strongly ink (a mask of `_ink_u8`) gathers in rows (horizontal text lines; axis=0: in
    columns, the rows of the page turned a quarter) rather than being spread evenly."""
    rows = np.count_nonzero(mask, axis=axis).astype(np.float64)
    mean = rows.mean()
    return float(rows.var() / (mean * mean)) if mean > 0 else 0.0


def detect_orientation(raster: Raster, min_lines: int = 4) -> Orientation:
    """Whether the page lies sideways or upside down. Pages without enough text, or whose text does
    not say clearly (capitals only, photos), are left as they are: 0 quarter turns."""
    gray = analysis_gray(raster)
    mask = _ink_u8(gray)         # a square mean window: the mask of the page turned is the mask turned
    if np.count_nonzero(mask) < 0.002 * mask.size:
        return Orientation(0, 0.0, 0)
    sideways = _line_sharpness(mask, axis=0) > 1.6 * _line_sharpness(mask)
    if sideways:
        gray = np.ascontiguousarray(np.rot90(gray))
    balance, lines = _line_balance(gray)
    if lines < min_lines:
        return Orientation(0, balance, lines)
    flip = 2 if balance <= FLIP_BALANCE else 0
    return Orientation(((1 if sideways else 0) + flip) % 4, balance, lines)
