"""JPEG in bands (kiosk.scan.imaging.jpeg): one ordinary baseline file whose pixels are exactly those
of the page encoded in one pass, read the same by OpenCV, Pillow and poppler."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import cv2
import img2pdf
import numpy as np
import pytest
from PIL import Image

from kiosk.scan.imaging import jpeg
from kiosk.scan.imaging.raster import Raster


def _pages(color_a4: Raster, gray_a4: Raster) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(5)
    return {"colour A4": np.ascontiguousarray(color_a4.pixels[:, :, ::-1]),
            "grey A4 (4 bands: an interval holds at most 65535 blocks)": gray_a4.pixels,
            "odd sizes, noise": rng.integers(0, 256, (1001, 777, 3), dtype=np.uint8)}


@pytest.mark.parametrize("which", [0, 1, 2])
def test_a_page_in_bands_decodes_to_the_pixels_of_one_pass(color_a4: Raster, gray_a4: Raster,
                                                            which: int) -> None:
    pixels = list(_pages(color_a4, gray_a4).values())[which]
    one, banded = jpeg.encode_one(pixels, 85), jpeg.encode(pixels, 85)
    assert banded.count(b"\xff\xdd\x00\x04") == 1 and b"\xff\xd0" in banded      # DRI, then RST0
    assert abs(len(banded) - len(one)) < 200
    flag = cv2.IMREAD_UNCHANGED
    assert np.array_equal(cv2.imdecode(np.frombuffer(banded, np.uint8), flag),
                          cv2.imdecode(np.frombuffer(one, np.uint8), flag))
    with Image.open(io.BytesIO(banded)) as a, Image.open(io.BytesIO(one)) as b:
        assert a.size == b.size and np.array_equal(np.asarray(a), np.asarray(b))
    bands = jpeg._split(banded)
    assert bands is not None and len(bands) >= 2
    assert np.array_equal(jpeg.decode_gray(banded),
                          cv2.imdecode(np.frombuffer(one, np.uint8), cv2.IMREAD_GRAYSCALE))


def test_a_small_page_is_encoded_in_one_piece() -> None:
    pixels = np.full((200, 300, 3), 200, dtype=np.uint8)
    assert jpeg.encode(pixels, 85) == jpeg.encode_one(pixels, 85)
    assert jpeg._split(jpeg.encode_one(pixels, 85)) is None


def test_poppler_reads_the_banded_page_in_a_pdf(color_a4: Raster, tmp_path: Path) -> None:
    data = jpeg.encode(np.ascontiguousarray(color_a4.pixels[:, :, ::-1]), 85)
    pdf = tmp_path / "page.pdf"
    pdf.write_bytes(img2pdf.convert([data]))
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(pdf), str(tmp_path / "p")], check=True,
                   capture_output=True)
    with Image.open(tmp_path / "p-1.png") as shown:
        small = np.asarray(shown.convert("RGB"), dtype=np.float32)
    expected = cv2.resize(color_a4.pixels, (small.shape[1], small.shape[0]), interpolation=cv2.INTER_AREA)
    assert float(np.abs(small - expected).mean()) < 6       # the page, whole, no band missing


def test_the_check_s_luminance_band_by_band_is_the_whole_page_s(color_a4: Raster) -> None:
    """Decoded and halved band by band (bands are whole MCU rows, so every 2×2 block lies in one
    band): the rows of the file decoded whole and then halved."""
    def halve(gray: np.ndarray) -> np.ndarray:
        return Raster(gray, 300).resized_to_dpi(150).pixels

    data, gray = jpeg.encode_decoded(color_a4.pixels, 85, rgb=True, luma=halve)
    assert data == jpeg.encode(np.ascontiguousarray(color_a4.pixels[:, :, ::-1]), 85)
    assert np.array_equal(gray, halve(cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_GRAYSCALE)))
