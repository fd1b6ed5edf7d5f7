"""Fictitious sample documents drawn at scan resolution, for the simulated scanner and the tests.

The template (`assets/samples/samples.toml`) says what is printed where, in millimetres; this module
draws it with Pillow at the asked resolution, then lays the sheet on a simulated scanner bed the way a
visitor would (offset, a small angle, sometimes upside down) with a paper edge shadow, a slight blur and
sensor noise. Nothing is stored as a bitmap, so the repository stays small and every resolution is sharp.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from kiosk.paths import ASSETS
from kiosk.scan.imaging.raster import MM_PER_INCH, Raster

TEMPLATE = ASSETS / "samples" / "samples.toml"
PT_PER_INCH = 72.0
_FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/truetype/noto"))
_FONTS = {(False, False): "DejaVuSans.ttf", (True, False): "DejaVuSans-Bold.ttf",
          (False, True): "DejaVuSansMono.ttf", (True, True): "DejaVuSansMono-Bold.ttf"}

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


@cache
def _font(bold: bool, mono: bool, px: int) -> Font:
    name = _FONTS[(bold, mono)]
    for folder in _FONT_DIRS:
        if (folder / name).is_file():
            return ImageFont.truetype(str(folder / name), px)
    return ImageFont.load_default(px)


@dataclass(frozen=True)
class SampleInfo:
    id: str
    title: str
    pages: int


class SampleBook:
    """The sample documents of a template. `scan(id, page, dpi, color)` gives what a scanner would."""

    def __init__(self, template: Path = TEMPLATE, seed: int = 7) -> None:
        with template.open("rb") as f:
            data = tomllib.load(f)
        bed = data.pop("bed_mm")
        self._bed_mm = (float(bed[0]), float(bed[1]))
        self._lid = tuple(data.pop("lid_rgb"))
        self._docs: dict[str, dict[str, Any]] = data
        self._seed = seed

    def samples(self) -> list[SampleInfo]:
        return [SampleInfo(k, str(v["title"]), len(v["pages"])) for k, v in self._docs.items()]

    @property
    def bed_mm(self) -> tuple[float, float]:
        return self._bed_mm

    def sheet(self, sample_id: str, page: int, dpi: float) -> Image.Image:
        """The printed sheet itself, upright, without the scanner bed."""
        doc = self._docs[sample_id]
        w_mm, h_mm = doc["paper_mm"]
        img = Image.new("RGB", (_px(w_mm, dpi), _px(h_mm, dpi)), tuple(doc["paper_rgb"]))
        draw = ImageDraw.Draw(img)
        for element in doc["pages"][page]["elements"]:
            _draw(img, draw, element, dpi)
        return img

    def scan(self, sample_id: str, page: int = 0, dpi: float = 300.0, color: bool = True) -> Raster:
        """The sheet laid on the bed as the template places it, as a scanner returns it."""
        sheet = self.sheet(sample_id, page, dpi)
        place = self._docs[sample_id]["pages"][page]["placement"]
        bed = Image.new("RGB", (_px(self._bed_mm[0], dpi), _px(self._bed_mm[1], dpi)), self._lid)
        shadow = Image.new("RGB", (sheet.width + 4, sheet.height + 4), (150, 150, 150))
        shadow.paste(sheet, (2, 2))
        angle = float(place["angle_deg"])
        turned = shadow.rotate(angle, resample=Image.Resampling.BILINEAR, expand=True)
        mask = Image.new("L", shadow.size, 255).rotate(angle, resample=Image.Resampling.BILINEAR, expand=True)
        cx = _px(place["x_mm"], dpi) + sheet.width / 2
        cy = _px(place["y_mm"], dpi) + sheet.height / 2
        bed.paste(turned, (round(cx - turned.width / 2), round(cy - turned.height / 2)), mask)
        pixels = np.asarray(bed, dtype=np.uint8)
        pixels = np.asarray(cv2.GaussianBlur(pixels, (0, 0), 0.35 * dpi / 300), dtype=np.uint8)
        pixels = _add_noise(pixels, self._seed + page)
        if not color:
            pixels = np.asarray(cv2.cvtColor(pixels, cv2.COLOR_RGB2GRAY), dtype=np.uint8)
        return Raster(pixels, dpi)


def _px(mm: float, dpi: float) -> int:
    return round(mm / MM_PER_INCH * dpi)


def _font_px(pt: float, dpi: float) -> int:
    return max(6, round(pt / PT_PER_INCH * dpi))


def _draw(img: Image.Image, draw: ImageDraw.ImageDraw, e: dict[str, Any], dpi: float) -> None:
    kind = e["kind"]
    rgb = tuple(e.get("rgb", (20, 20, 24)))
    if kind == "text":
        font = _font(bool(e.get("bold")), bool(e.get("mono")), _font_px(e["pt"], dpi))
        x, y = e["at"]
        tabs = e.get("tabs", [0])
        for cell, tab in zip(str(e["text"]).split("|"), tabs, strict=False):
            draw.text((_px(x + tab, dpi), _px(y, dpi)), cell, font=font, fill=rgb)
    elif kind == "rect":
        x, y, w, h = e["box"]
        fill = tuple(e["fill"]) if "fill" in e else None
        outline = tuple(e["outline"]) if "outline" in e else None
        draw.rectangle((_px(x, dpi), _px(y, dpi), _px(x + w, dpi), _px(y + h, dpi)), fill=fill,
                       outline=outline, width=max(1, _px(0.3, dpi)))
    elif kind == "line":
        (x1, y1), (x2, y2) = e["from"], e["to"]
        draw.line((_px(x1, dpi), _px(y1, dpi), _px(x2, dpi), _px(y2, dpi)), fill=rgb,
                  width=max(1, _px(e.get("width_mm", 0.3), dpi)))
    elif kind == "guilloche":
        _guilloche(draw, e["box"], tuple(e["rgb"]), dpi)
    elif kind == "photo":
        _photo(draw, e["box"], dpi)
    elif kind == "stamp":
        _stamp(img, e, dpi)
    else:
        raise ValueError(f"unknown sample element kind {kind!r}")


def _guilloche(draw: ImageDraw.ImageDraw, box: list[float], rgb: tuple[int, ...], dpi: float) -> None:
    x, y, w, h = box
    steps = 240
    for k in range(0, 22):
        phase = k * 0.45
        points = [(_px(x + w * i / steps, dpi),
                   _px(y + h / 2 + (h / 2.3) * math.sin(6 * math.pi * i / steps + phase)
                       * math.cos(2 * math.pi * i / steps - phase / 3), dpi)) for i in range(steps + 1)]
        draw.line(points, fill=rgb, width=max(1, _px(0.12, dpi)))


def _photo(draw: ImageDraw.ImageDraw, box: list[float], dpi: float) -> None:
    """A neutral silhouette on a pale background: no real face."""
    x, y, w, h = box
    draw.rectangle((_px(x, dpi), _px(y, dpi), _px(x + w, dpi), _px(y + h, dpi)), fill=(205, 218, 228))
    cx = x + w / 2
    draw.ellipse((_px(cx - w * 0.42, dpi), _px(y + h * 0.62, dpi), _px(cx + w * 0.42, dpi),
                  _px(y + h * 1.25, dpi)), fill=(92, 92, 104))
    draw.rectangle((_px(x, dpi), _px(y + h, dpi), _px(x + w, dpi), _px(y + h * 1.3, dpi)),
                   fill=(233, 238, 228))
    draw.ellipse((_px(cx - w * 0.22, dpi), _px(y + h * 0.16, dpi), _px(cx + w * 0.22, dpi),
                  _px(y + h * 0.62, dpi)), fill=(150, 120, 100))


def _stamp(img: Image.Image, e: dict[str, Any], dpi: float) -> None:
    font = _font(True, False, _font_px(e["pt"], dpi))
    text = str(e["text"])
    left, top, right, bottom = font.getbbox(text)
    layer = Image.new("L", (int(right - left) + 4, int(bottom - top) + 4), 0)
    ImageDraw.Draw(layer).text((2 - left, 2 - top), text, font=font, fill=255)
    layer = layer.rotate(25, resample=Image.Resampling.BILINEAR, expand=True)
    colour = Image.new("RGB", layer.size, tuple(e["rgb"]))
    x, y = e["at"]
    img.paste(colour, (_px(x, dpi) - layer.width // 2, _px(y, dpi) - layer.height // 2),
              layer.point(lambda v: v * 0.55))


def _add_noise(pixels: np.ndarray[Any, np.dtype[np.uint8]], seed: int) -> np.ndarray[Any, np.dtype[np.uint8]]:
    """Sensor noise (σ≈2.5 levels) from a tiled random patch: realistic for compression, and cheap."""
    rng = np.random.default_rng(seed)
    tile = rng.normal(0, 2.5, size=(509, 503, *pixels.shape[2:])).astype(np.int16)
    reps = (math.ceil(pixels.shape[0] / 509), math.ceil(pixels.shape[1] / 503), *([1] * (pixels.ndim - 2)))
    noise = np.tile(tile, reps)[: pixels.shape[0], : pixels.shape[1]]
    return np.asarray(np.clip(pixels.astype(np.int16) + noise, 0, 255), dtype=np.uint8)
