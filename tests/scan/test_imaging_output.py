"""Compression to the portal's limits, the legibility floor, files and names."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from kiosk.scan.imaging.compress import OutputFormat
from kiosk.scan.imaging.document import ScannedDocument
from kiosk.scan.imaging.errors import DocumentTooLarge, NoPages, Remedy
from kiosk.scan.imaging.pipeline import OutputSpec, ScanPipeline, safe_filename
from kiosk.scan.imaging.quality import LegibilityFloor, ssim
from kiosk.scan.imaging.raster import Raster


def pdfinfo(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return {k.strip(): v.strip() for k, v in (line.split(":", 1) for line in out.splitlines() if ":" in line)}


def test_colour_a4_at_300_dpi_fits_2_mb_above_the_legibility_floor(color_a4: Raster, tmp_path: Path) -> None:
    pipeline = ScanPipeline()
    page = pipeline.process_page(color_a4)
    doc = pipeline.build_document([page.raster], OutputSpec(), tmp_path, "Justificatif de domicile")
    assert doc.path == tmp_path / "justificatif-de-domicile.pdf"
    assert doc.bytes == doc.path.stat().st_size <= 2_000_000
    assert doc.color and doc.dpi >= 150 and doc.min_ssim >= LegibilityFloor().min_ssim
    info = pdfinfo(doc.path)
    assert info["Pages"] == "1" and info["Encrypted"] == "no"
    width_pt = float(info["Page size"].split()[0])
    assert 590 <= width_pt <= 615          # the physical size is kept: A4 (595 pt) on a 216 mm bed
    assert [p.name for p in tmp_path.iterdir()] == [doc.path.name]


def test_grey_text_page_is_under_500_kb(gray_a4: Raster, tmp_path: Path) -> None:
    pipeline = ScanPipeline()
    doc = pipeline.build_document([pipeline.process_page(gray_a4).raster], OutputSpec(), tmp_path, "payslip")
    assert doc.bytes < 500_000 and not doc.color and doc.min_ssim >= 0.9


def test_pages_without_colour_are_saved_in_grey(gray_a4: Raster, tmp_path: Path) -> None:
    rgb = Raster(np.repeat(gray_a4.pixels[:, :, None], 3, axis=2), gray_a4.dpi)
    doc = ScanPipeline().build_document([rgb], OutputSpec(), tmp_path, "x")
    assert not doc.color


def test_a_small_limit_lowers_resolution_but_never_under_150_dpi(color_a4: Raster, tmp_path: Path) -> None:
    doc = ScanPipeline().build_document([color_a4], OutputSpec(max_bytes=250_000), tmp_path, "small")
    assert doc.bytes <= 250_000 and 150 <= doc.dpi < 300 and doc.min_ssim >= 0.9


def test_multi_page_document_is_one_pdf(color_a4: Raster, gray_a4: Raster, tmp_path: Path) -> None:
    pipeline = ScanPipeline()
    scanned = ScannedDocument("Bulletins de salaire", OutputSpec(), pipeline)
    scanned.add(gray_a4)
    scanned.add(color_a4)
    scanned.move(1, 0)
    doc = scanned.build(tmp_path)
    assert pdfinfo(doc.path)["Pages"] == "2" and doc.bytes <= 2_000_000
    assert doc.path.name == "bulletins-de-salaire.pdf"


def test_incompressible_colour_page_suggests_grey_then_split(tmp_path: Path) -> None:
    noise = np.random.default_rng(1).integers(0, 256, (1754, 1240, 3), dtype=np.uint8)
    page = Raster(noise, 150)
    with pytest.raises(DocumentTooLarge) as err:
        ScanPipeline().build_document([page, page], OutputSpec(max_bytes=300_000), tmp_path, "x")
    assert err.value.remedies == (Remedy.GRAY, Remedy.SPLIT)
    assert err.value.message and err.value.action and len(err.value.actions) == 2
    with pytest.raises(DocumentTooLarge) as err:
        ScanPipeline().build_document([page], OutputSpec(max_bytes=100_000, color=False), tmp_path, "x")
    assert err.value.remedies == (Remedy.MEDIATOR,)
    assert list(tmp_path.iterdir()) == []


def test_a_fit_under_the_ssim_floor_is_refused(color_a4: Raster, tmp_path: Path) -> None:
    strict = ScanPipeline(floor=LegibilityFloor(min_ssim=0.99999))
    with pytest.raises(DocumentTooLarge) as err:
        strict.build_document([color_a4], OutputSpec(), tmp_path, "x")
    assert "legibility" in str(err.value)


@pytest.mark.parametrize(("fmt", "magic"), [(OutputFormat.JPEG, b"\xff\xd8"), (OutputFormat.PNG, b"\x89PNG")])
def test_image_formats_stack_recto_and_verso_into_one_file(gray_a4: Raster, tmp_path: Path,
                                                          fmt: OutputFormat, magic: bytes) -> None:
    card = Raster(np.ascontiguousarray(gray_a4.pixels[:1000, :1600]), 300)
    spec = OutputSpec.for_document([fmt.value], 1.0)
    assert spec.format is fmt
    doc = ScanPipeline().build_document([card, card], spec, tmp_path, "Titre de séjour")
    data = doc.path.read_bytes()
    assert data.startswith(magic) and len(data) <= 1_000_000 and doc.path.suffix == f".{fmt.value}"
    with Image.open(doc.path) as img:
        assert img.height >= 2 * img.width * 1000 / 1600 * 0.99
        assert round(img.info["dpi"][0]) == round(doc.dpi)


def test_for_document_prefers_pdf() -> None:
    assert OutputSpec.for_document(["jpg", "pdf"], 2.0).format is OutputFormat.PDF
    assert OutputSpec.for_document(["jpeg"], 10).max_bytes == 10_000_000


def test_file_names_are_ascii_without_spaces() -> None:
    assert safe_filename("Titre de séjour (recto/verso)", "pdf") == "titre-de-sejour-recto-verso.pdf"
    assert safe_filename("جواز السفر", "jpg") == "document.jpg"
    assert safe_filename("A" * 200, "pdf") == "a" * 60 + ".pdf"


def test_empty_document_is_refused(tmp_path: Path) -> None:
    with pytest.raises(NoPages):
        ScanPipeline().build_document([], OutputSpec(), tmp_path, "x")


def test_ssim_is_one_for_the_same_image_and_drops_with_damage(text_sheet: Raster) -> None:
    gray = text_sheet.pixels[:600, :600]
    assert ssim(gray, gray) == pytest.approx(1.0)
    damaged = np.clip(gray.astype(np.int16) + np.random.default_rng(0).normal(0, 40, gray.shape), 0, 255)
    assert ssim(gray, damaged.astype(np.uint8)) < 0.6
