"""Baseline JPEG encoded and decoded in horizontal bands on the terminal's two cores.

libjpeg encodes one row of blocks after another, on one core: for a colour A4 page at 300 dpi that
is the longest single step of making a file. The page is cut into bands of whole MCU rows (16 pixel
rows in 4:2:0 colour, 8 in grey), each band encoded on its own (half of them on the helper thread,
kiosk.scan.imaging.helper), and the bands' entropy-coded data joined into one scan with restart
markers between them (a DRI segment whose interval is one band: the decoder resets its DC predictors
there, as each band's encoder started from zero). With the same quality and libjpeg's standard
Huffman tables, every band has the same tables, so the file is one ordinary baseline JPEG whose
pixels are exactly those of the page encoded in one pass (chroma is subsampled within each MCU row,
never across two): any decoder reads it, the file is a few bytes longer (a DRI segment, one marker a
band). The legibility check decodes the bands side by side the same way (`decode_gray`).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import cv2
import numpy as np

from kiosk.scan.imaging import helper
from kiosk.scan.imaging.raster import Pixels

SOF0, DRI, SOS = 0xC0, 0xDD, 0xDA
MAX_INTERVAL = 0xFFFF            # MCUs in a restart interval (a 16-bit field)
MIN_BAND_ROWS = 256              # a smaller page is encoded in one piece: no time to win
_RST = re.compile(rb"\xff[\xd0-\xd7]")       # in entropy-coded data every other 0xFF is stuffed (FF 00)


def encode(pixels: Pixels, quality: int, rgb: bool = False) -> bytes:
    """Baseline JPEG (4:2:0 when colour) of `pixels` (BGR, as OpenCV takes it, or RGB with `rgb`: each
    band is turned to BGR on its own thread, no copy of the whole page), in bands encoded side by side
    when the page is large enough; the same pixels as `encode_one`."""
    return encode_bands(pixels, quality, cv2.COLOR_RGB2BGR if rgb and pixels.ndim == 3 else None)[0]


def encode_decoded(pixels: Pixels, quality: int, rgb: bool = False,
                   luma: Callable[[Pixels], Pixels] | None = None) -> tuple[bytes, Pixels]:
    """`encode`, and the luminance the file decodes to: each band is decoded on the thread that has
    just encoded it (the legibility check needs it), the same pixels as `decode_gray` of the file;
    `luma` is then applied to each band's (a downscale that works on whole blocks of rows, whose
    bands give the rows of the whole page's)."""
    data, gray = encode_bands(pixels, quality, cv2.COLOR_RGB2BGR if rgb and pixels.ndim == 3 else None,
                              decode=luma or _same)
    assert gray is not None
    return data, gray


def _same(gray: Pixels) -> Pixels:
    return gray


def encode_bands(pixels: Pixels, quality: int, conversion: int | None,
                 decode: Callable[[Pixels], Pixels] | None = None) -> tuple[bytes, Pixels | None]:
    """The JPEG of `pixels` (turned by `conversion` first, band by band), in bands on both cores, and
    with `decode` its luminance decoded band by band, each band's passed through `decode`."""
    def one(band: Pixels) -> tuple[bytes, Pixels | None]:
        data = encode_one(_converted(band, conversion), quality)
        return data, (decode(_decode_one(data)) if decode is not None else None)

    height, width = pixels.shape[:2]
    mcu = 16 if pixels.ndim == 3 else 8
    per_row = _up(width, mcu)
    most = MAX_INTERVAL // per_row * mcu                # rows a restart interval can hold
    bands = 2
    while most and _up(height, bands) > most:
        bands += 2                                      # an even count: as many on each core
    rows = _up(_up(height, bands), mcu) * mcu           # a band's rows, in whole MCU rows
    if not most or rows < MIN_BAND_ROWS or rows >= height:
        return one(pixels)
    starts = list(range(0, height, rows))
    half = (len(starts) + 1) // 2
    first, second = helper.both(lambda: [one(pixels[s:s + rows]) for s in starts[:half]],
                                lambda: [one(pixels[s:s + rows]) for s in starts[half:]])
    done = first + second
    joined = _join([data for data, _ in done], height, rows // mcu * per_row)
    if joined is None:
        return one(pixels)
    grays = [gray for _, gray in done if gray is not None]
    return joined, (np.ascontiguousarray(np.concatenate(grays, axis=0)) if decode is not None else None)


def _converted(pixels: Pixels, conversion: int | None) -> Pixels:
    return pixels if conversion is None else np.asarray(cv2.cvtColor(pixels, conversion), dtype=np.uint8)


def _up(n: int, d: int) -> int:
    return -(-n // d)


def encode_one(pixels: Pixels, quality: int) -> bytes:
    """Baseline JPEG of `pixels` in one pass (OpenCV's libjpeg-turbo, no optimize pass)."""
    ok, data = cv2.imencode(".jpg", pixels, [cv2.IMWRITE_JPEG_QUALITY, quality,
                                             cv2.IMWRITE_JPEG_SAMPLING_FACTOR,
                                             cv2.IMWRITE_JPEG_SAMPLING_FACTOR_420])
    if not ok:
        raise ValueError("JPEG encoding failed")
    return data.tobytes()


def decode_gray(data: bytes) -> Pixels:
    """The luminance of a JPEG; one made by `encode` is decoded band by band side by side (the same
    pixels as decoding it whole)."""
    bands = _split(data)
    if bands is None or len(bands) < 2:
        return _decode_one(data)
    half = (len(bands) + 1) // 2
    first, second = helper.both(lambda: [_decode_one(b) for b in bands[:half]],
                                lambda: [_decode_one(b) for b in bands[half:]])
    return np.ascontiguousarray(np.concatenate(first + second, axis=0))


def _decode_one(data: bytes) -> Pixels:
    gray = cv2.imdecode(np.frombuffer(data, dtype=np.uint8), cv2.IMREAD_GRAYSCALE)
    if gray is None:
        raise ValueError("could not decode the encoded page")
    return np.asarray(gray, dtype=np.uint8)


def _segments(data: bytes) -> tuple[list[tuple[int, int, int]], int] | None:
    """(marker, start, end) of each segment from the one after SOI through SOS, and where the
    entropy-coded data begins; None when the bytes are not laid out that way."""
    if data[:2] != b"\xff\xd8":
        return None
    segments, pos = [], 2
    while pos + 4 <= len(data) and data[pos] == 0xFF:
        marker, end = data[pos + 1], pos + 2 + int.from_bytes(data[pos + 2:pos + 4], "big")
        segments.append((marker, pos, end))
        if marker == SOS:
            return segments, end
        pos = end
    return None


def _with_height(header: bytes, sof_start: int, height: int) -> bytes:
    at = sof_start + 5                   # FF C0, length (2), precision (1), then the height (2)
    return header[:at] + height.to_bytes(2, "big") + header[at + 2:]


def _join(parts: list[bytes], height: int, interval: int) -> bytes | None:
    """One JPEG of the bands `parts` (top to bottom, each a whole JPEG), or None when they cannot be
    joined (different tables, an unexpected layout)."""
    if interval > MAX_INTERVAL or any(p[-2:] != b"\xff\xd9" for p in parts):
        return None
    laid = []
    for part in parts:
        lay = _segments(part)
        if lay is None:
            return None
        segments, start = lay
        sofs = [seg[1] for seg in segments if seg[0] == SOF0]
        if len(sofs) != 1 or any(seg[0] == DRI for seg in segments):
            return None
        laid.append((segments[-1][1], start, sofs[0]))          # SOS, entropy-coded data, SOF
    if len({_with_height(p[:begin], at, 0) for p, (_, begin, at) in zip(parts, laid, strict=True)}) != 1:
        return None                                               # every band: the same tables
    sos, start, sof = laid[0]
    out = [_with_height(parts[0][:sos], sof, height), b"\xff\xdd\x00\x04" + interval.to_bytes(2, "big"),
           parts[0][sos:start]]
    for i, (part, (_, begin, _)) in enumerate(zip(parts, laid, strict=True)):
        if i:
            out.append(bytes((0xFF, 0xD0 + (i - 1) % 8)))        # RST0 … RST7, in turn
        out.append(part[begin:-2])
    out.append(b"\xff\xd9")
    return b"".join(out)


def _split(data: bytes) -> list[bytes] | None:
    """The bands of a JPEG made by `encode` as JPEGs of their own (header without DRI, the band's
    height), or None when it is not one (no DRI, an interval that is not whole MCU rows, ...)."""
    lay = _segments(data)
    if lay is None:
        return None
    segments, start = lay
    dri = [s for s in segments if s[0] == DRI]
    sof = [s for s in segments if s[0] == SOF0]
    if len(dri) != 1 or len(sof) != 1 or data[-2:] != b"\xff\xd9":
        return None
    interval = int.from_bytes(data[dri[0][1] + 4:dri[0][1] + 6], "big")
    s = sof[0][1]
    height, width = int.from_bytes(data[s + 5:s + 7], "big"), int.from_bytes(data[s + 7:s + 9], "big")
    components = data[s + 9]
    factors = [data[s + 11 + 3 * c] for c in range(components)]      # H << 4 | V of each component
    mcu_w = 8 if components == 1 else 8 * max(f >> 4 for f in factors)
    mcu_h = 8 if components == 1 else 8 * max(f & 0xF for f in factors)
    per_row = _up(width, mcu_w)
    if interval == 0 or interval % per_row:
        return None
    rows = interval // per_row * mcu_h
    header = data[:dri[0][1]] + data[dri[0][2]:start]            # without the DRI segment
    sof_in_header = s if s < dri[0][1] else s - (dri[0][2] - dri[0][1])
    pieces, last = [], start
    for marker in _RST.finditer(data, start, len(data) - 2):
        pieces.append(data[last:marker.start()])
        last = marker.end()
    pieces.append(data[last:-2])
    if _up(height, rows) != len(pieces):
        return None
    return [_with_height(header, sof_in_header, min(rows, height - i * rows)) + piece + b"\xff\xd9"
            for i, piece in enumerate(pieces)]
