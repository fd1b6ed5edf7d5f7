"""Make pages small enough for the portal while they stay legible.

`fit_pages` walks a ladder of encodings from the best to the smallest (resolution, then JPEG quality or
PNG levels) and keeps the first one whose total size fits the budget, then checks each page against the
legibility floor (`kiosk.scan.imaging.quality`). Rungs whose predicted size is far over the budget are
skipped without encoding, so a page that fits at once costs one encode and one SSIM.

Encoders: OpenCV's libjpeg-turbo for JPEG (the same pixels as Pillow's, without Pillow's copy of the
page; encoded and decoded in bands on both cores, kiosk.scan.imaging.jpeg), with the dpi written into
its JFIF header so that img2pdf can embed it in a PDF unchanged (no
second lossy pass); OpenCV's zlib for PNG (faster than Pillow's at the same level); Pillow quantizes
colour PNG.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import partial

import cv2
import numpy as np
import numpy.typing as npt
from PIL import Image

from kiosk.scan.imaging import helper, jpeg
from kiosk.scan.imaging.errors import DocumentTooLarge
from kiosk.scan.imaging.quality import SSIM_DPI, LegibilityFloor, luma_at, ssim
from kiosk.scan.imaging.raster import Pixels, Raster

log = logging.getLogger(__name__)


class OutputFormat(StrEnum):
    PDF = "pdf"
    JPEG = "jpg"
    PNG = "png"


@dataclass(frozen=True)
class Rung:
    dpi: float
    quality: int        # JPEG quality; for PNG the number of grey or colour levels (0 = all, lossless)


JPEG_LADDER = (Rung(300, 85), Rung(300, 75), Rung(250, 70), Rung(200, 70), Rung(200, 60),
               Rung(150, 60), Rung(150, 50), Rung(150, 40))
PNG_LADDER = (Rung(300, 0), Rung(200, 0), Rung(300, 32), Rung(200, 32), Rung(150, 32), Rung(150, 16))
# Relative size of a JPEG page against quality 85 at the same resolution (measured on text pages).
_JPEG_Q_FACTOR = {85: 1.0, 75: 0.8, 70: 0.72, 60: 0.6, 50: 0.52, 40: 0.45}


@dataclass(frozen=True)
class EncodedPage:
    data: bytes
    dpi: float
    width: int
    height: int
    ssim: float
    color: bool


def whiten(raster: Raster) -> Raster:
    """Map plain white paper (and the sensor noise on it) to pure white with a levels curve.

    Sheets whose paper is tinted (passports, security paper) are left untouched. Halves the size of
    a JPEG text page at the same quality, and makes it look cleaner."""
    small = Raster(np.ascontiguousarray(raster.sampled(50.0)), raster.dpi)
    luma = small.gray().ravel()
    hist = np.bincount(luma, minlength=256)
    paper = 128 + int(np.argmax(hist[128:]))
    if hist[paper - 3:paper + 4].sum() < 0.2 * luma.size or paper < 200:
        return raster
    near = np.abs(luma.astype(np.int16) - paper) <= 3
    if small.is_color and _paper_tint(small.pixels.reshape(-1, 3), near) > 8:      # grey: no tint
        return raster
    white = max(paper - 6, 1)
    # x * 255 / white, rounded and clipped at 255: one vectorised pass (a table look-up, cv2.LUT, takes
    # twice as long on a colour page; it truncated where this rounds, at most one level apart), the
    # upper half of the rows on the helper thread
    pixels, out = raster.pixels, np.empty_like(raster.pixels)
    half = raster.height // 2
    helper.both(partial(cv2.convertScaleAbs, pixels[:half], out[:half], 255.0 / white),
                partial(cv2.convertScaleAbs, pixels[half:], out[half:], 255.0 / white))
    return Raster(out, raster.dpi)


def _paper_tint(pixels: Pixels, paper: npt.NDArray[np.bool_]) -> int:
    """Spread between the channels' medians (the lower one for an even count) over the paper's pixels
    (N×3 `pixels` where `paper`), by counting: one count of (paper?, value) pairs per channel, no
    gather of the paper's pixels and no sort."""
    flag = paper.astype(np.uint16) << 8
    middle = (int(np.count_nonzero(paper)) + 1) // 2
    medians = [int(np.searchsorted(np.cumsum(np.bincount(flag + pixels[:, c], minlength=512)[256:]), middle))
               for c in range(pixels.shape[1])]
    return max(medians) - min(medians)


def has_color(raster: Raster, min_share: float = 0.001, chroma: int = 28) -> bool:
    """Whether any meaningful part of the page is coloured (logos, stamps, photos)."""
    if not raster.is_color:
        return False
    small = raster.sampled(50.0)
    r, g, b = small[:, :, 0], small[:, :, 1], small[:, :, 2]
    # channel by channel: numpy reduces a length-3 last axis 15x slower
    spread = np.maximum(np.maximum(r, g), b) - np.minimum(np.minimum(r, g), b)
    return bool(float(np.count_nonzero(spread > chroma)) / spread.size >= min_share)


def to_gray(raster: Raster) -> Raster:
    return raster if not raster.is_color else Raster(raster.gray(), raster.dpi)


def encode(raster: Raster, fmt: OutputFormat, rung: Rung) -> tuple[bytes, Raster, Raster | None]:
    """Encode at the rung (never upsampling); returns the bytes, the raster that was encoded and, for
    JPEG, the luminance the bytes decode to (decoded band by band as they are encoded)."""
    page = raster.resized_to_dpi(min(rung.dpi, raster.dpi))
    if fmt is OutputFormat.PNG:
        return _encode_png(page, rung.quality), page, None
    data, gray = _encode_jpeg(page, rung.quality)
    return data, page, gray


def _encode_jpeg(page: Raster, quality: int) -> tuple[bytes, Raster]:
    """Baseline JPEG, 4:2:0, no optimize pass (-10 % size, 4x time), with the page's dpi in its JFIF
    header, so that img2pdf embeds it in a PDF unchanged (no second lossy pass) at the paper's size.

    OpenCV's libjpeg-turbo writes the same bytes as Pillow's at the same quality, but straight from the
    array: Pillow first copies a colour page into its own 4-bytes-a-pixel image (36 MB at 300 dpi A4,
    cleared, then filled), which costs as much as the encoding when large blocks are mapped afresh
    (kiosk.health.memory). Also returns the luminance the bytes decode to (for the legibility check):
    each band is decoded on the thread that has just encoded it."""
    factor = page.dpi / SSIM_DPI
    if abs(factor - round(factor)) < 1e-6 and round(factor) in (1, 2, 4, 8, 16):
        # the check's resolution by averaging whole blocks of rows (bands are whole MCU rows: 16),
        # done band by band: the rows of the whole page's (decoded_luma takes them as they are)
        def luma(gray: Pixels) -> Pixels:
            return Raster(gray, page.dpi).resized_to_dpi(SSIM_DPI).pixels

        data, gray = jpeg.encode_decoded(page.pixels, quality, rgb=True, luma=luma)
        return _jpeg_with_dpi(data, page.dpi), Raster(gray, SSIM_DPI)
    data, gray = jpeg.encode_decoded(page.pixels, quality, rgb=True)        # in bands, on both cores
    return _jpeg_with_dpi(data, page.dpi), Raster(gray, page.dpi)


def _jpeg_with_dpi(jpeg: bytes, dpi: float) -> bytes:
    """Set the JFIF header's density (OpenCV writes 1:1, no unit) to `dpi` dots per inch."""
    if jpeg[2:4] != b"\xff\xe0" or jpeg[6:11] != b"JFIF\x00":
        raise ValueError("JPEG without a JFIF header")
    density = min(round(dpi), 0xFFFF).to_bytes(2, "big")
    return jpeg[:13] + b"\x01" + density + density + jpeg[18:]


def _encode_png(page: Raster, levels: int) -> bytes:
    pixels = page.pixels
    if levels and not page.is_color:
        step = 256 // levels
        lut = np.clip((np.arange(256) // step) * step + step // 2, 0, 255).astype(np.uint8)
        lut[-step:] = 255
        pixels = np.asarray(cv2.LUT(pixels, lut), dtype=np.uint8)
    elif levels:
        img = Image.fromarray(pixels).quantize(levels, method=Image.Quantize.FASTOCTREE)
        buf = io.BytesIO()
        img.save(buf, "PNG", compress_level=6, dpi=(round(page.dpi),) * 2)
        return buf.getvalue()
    elif page.is_color:
        pixels = np.asarray(cv2.cvtColor(pixels, cv2.COLOR_RGB2BGR), dtype=np.uint8)
    ok, data = cv2.imencode(".png", pixels, [cv2.IMWRITE_PNG_COMPRESSION, 6])
    if not ok:
        raise ValueError("PNG encoding failed")
    return _png_with_dpi(data.tobytes(), page.dpi)


def _png_with_dpi(png: bytes, dpi: float) -> bytes:
    """Insert a pHYs chunk (pixels per metre) after IHDR, so viewers know the page size."""
    import struct
    import zlib
    ppm = round(dpi / 0.0254)
    body = b"pHYs" + struct.pack(">IIB", ppm, ppm, 1)
    chunk = struct.pack(">I", 9) + body + struct.pack(">I", zlib.crc32(body))
    end_ihdr = 8 + 8 + 13 + 4
    return png[:end_ihdr] + chunk + png[end_ihdr:]


def decoded_luma(data: bytes, size: tuple[int, int], dpi: float, decoded: Raster | None = None) -> Pixels:
    """Decode a page encoded at `dpi` to grey at `size` (width, height) for the SSIM check, resampled
    as `luma_at` made the reference (the same block averaging when `dpi` is n times SSIM_DPI);
    `decoded`: its luminance already decoded, at `dpi` or already at SSIM_DPI."""
    if decoded is not None and (decoded.width, decoded.height) == size:
        return decoded.pixels
    if decoded is not None and abs(decoded.dpi - dpi) < 0.5:
        gray = decoded.pixels
    else:
        gray = jpeg.decode_gray(data) if data[:2] == b"\xff\xd8" else _decode_gray(data)
    if (gray.shape[1], gray.shape[0]) != size:
        gray = Raster(gray, dpi).resized_to_dpi(SSIM_DPI).pixels
    if (gray.shape[1], gray.shape[0]) != size:
        gray = np.asarray(cv2.resize(gray, size, interpolation=cv2.INTER_AREA if size[0] < gray.shape[1]
                                     else cv2.INTER_CUBIC), dtype=np.uint8)
    return gray


def _decode_gray(data: bytes) -> Pixels:
    gray = cv2.imdecode(np.frombuffer(data, dtype=np.uint8), cv2.IMREAD_GRAYSCALE)
    if gray is None:
        raise ValueError("could not decode the encoded page")
    return np.asarray(gray, dtype=np.uint8)


def _predicted(first_bytes: int, first: Rung, rung: Rung, fmt: OutputFormat) -> float:
    area = (rung.dpi / first.dpi) ** 2
    if fmt is OutputFormat.PNG:
        return first_bytes * area * (0.5 if rung.quality else 1.0)
    return first_bytes * area * _JPEG_Q_FACTOR.get(rung.quality, 0.5) / _JPEG_Q_FACTOR.get(first.quality, 1.0)


def _references(pages: Sequence[Raster]) -> list[Pixels]:
    return [luma_at(p, SSIM_DPI) for p in pages]


def fit_pages(pages: Sequence[Raster], fmt: OutputFormat, budget: int,
              floor: LegibilityFloor | None = None, color: bool = True) -> list[EncodedPage]:
    """The best encoding of all pages whose total fits `budget` bytes and whose every page stays
    above `floor`. Raises DocumentTooLarge when there is none."""
    floor = floor or LegibilityFloor()
    ladder = JPEG_LADDER if fmt is not OutputFormat.PNG else PNG_LADDER
    min_dpi = min(floor.dpi_for(p.dpi) for p in pages)
    rungs = [r for r in ladder if r.dpi >= min_dpi - 0.5] or [Rung(min_dpi, ladder[-1].quality)]
    # the references of the legibility check on the helper thread while the first rung is encoded
    references = helper.start(partial(_references, pages))
    smallest = None
    first: tuple[int, Rung] | None = None
    for rung in rungs:
        if first is not None and _predicted(first[0], first[1], rung, fmt) > 1.25 * budget \
                and rung != rungs[-1]:
            continue
        encoded = [encode(p, fmt, rung) for p in pages]
        total = sum(len(data) for data, _, _ in encoded)
        first = first or (total, rung)
        smallest = total if smallest is None else min(smallest, total)
        log.debug("rung %s dpi q%s: %d bytes for %d page(s), budget %d", rung.dpi, rung.quality,
                  total, len(pages), budget)
        if total > budget:
            continue
        result = []
        for (data, page, gray), ref in zip(encoded, references.result(), strict=True):
            score = ssim(ref, decoded_luma(data, (ref.shape[1], ref.shape[0]), page.dpi, gray))
            if score < floor.min_ssim:
                log.info("rung %s dpi q%s fits but SSIM %.3f < %.2f", rung.dpi, rung.quality, score,
                         floor.min_ssim)
                raise DocumentTooLarge(budget, total, len(pages), color, reason="legibility")
            result.append(EncodedPage(data, page.dpi, page.width, page.height, score, page.is_color))
        return result
    raise DocumentTooLarge(budget, smallest or 0, len(pages), color)
