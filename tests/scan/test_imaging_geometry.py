"""Deskew, upright, crop and blank detection on generated pages."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from kiosk.scan.imaging import geometry
from kiosk.scan.imaging.pipeline import ScanPipeline
from kiosk.scan.imaging.quality import check_blank
from kiosk.scan.imaging.raster import Raster
from kiosk.scan.imaging.samples import SampleBook


@pytest.mark.parametrize("angle", [-9.0, -2.5, 0.7, 4.2])
def test_skew_of_a_text_page_is_found_and_corrected_within_half_a_degree(text_sheet: Raster,
                                                                         angle: float) -> None:
    skewed = geometry.rotate(text_sheet, angle)
    assert geometry.estimate_skew(skewed) == pytest.approx(angle, abs=0.5)
    page = ScanPipeline().process_page(skewed)
    assert page.skew_deg == pytest.approx(angle, abs=0.5)
    assert geometry.estimate_skew(page.raster) == pytest.approx(0.0, abs=0.5)


def test_upright_text_page_is_left_alone(text_sheet: Raster) -> None:
    page = ScanPipeline().process_page(text_sheet)
    assert page.quarter_turns == 0
    assert np.array_equal(page.raster.pixels, text_sheet.pixels)


def test_upside_down_page_is_detected_and_turned(text_sheet: Raster) -> None:
    upside_down = geometry.turn(text_sheet, 2)
    orientation = geometry.detect_orientation(upside_down)
    assert orientation.quarter_turns == 2 and orientation.balance < geometry.FLIP_BALANCE
    page = ScanPipeline().process_page(upside_down)
    assert page.quarter_turns == 2
    assert np.array_equal(page.raster.pixels, text_sheet.pixels)


@pytest.mark.parametrize("turns", [1, 3])
def test_sideways_page_is_turned_upright(text_sheet: Raster, turns: int) -> None:
    page = ScanPipeline().process_page(geometry.turn(text_sheet, turns))
    assert (page.quarter_turns + turns) % 4 == 0
    assert np.array_equal(page.raster.pixels, text_sheet.pixels)


def test_upside_down_sheet_on_the_simulated_bed_comes_back_upright(book: SampleBook) -> None:
    raw = book.scan("payslip", 1, 150)           # the template lays page 2 upside down, at 180.6°
    page = ScanPipeline().process_page(raw)
    assert page.quarter_turns == 2
    assert page.skew_deg == pytest.approx(0.6, abs=0.5)
    assert geometry.detect_orientation(page.raster).balance > 0.3


def test_passport_on_the_bed_is_cropped_to_the_page_and_not_flipped(book: SampleBook) -> None:
    raw = book.scan("passport", 0, 200)
    page = ScanPipeline().process_page(raw)
    assert page.cropped and page.quarter_turns == 0
    width_mm, height_mm = page.raster.size_mm
    assert width_mm == pytest.approx(125 + 4, abs=8) and height_mm == pytest.approx(88 + 4, abs=8)
    assert page.skew_deg == pytest.approx(2.0, abs=0.5)


def test_a4_page_filling_the_bed_is_not_cropped(color_a4: Raster) -> None:
    assert geometry.find_paper(color_a4) is None


def test_blank_back_is_blank_and_a_single_line_is_not(book: SampleBook) -> None:
    blank = book.scan("blank_back", 0, 150)
    assert check_blank(blank).blank
    one_line = blank.pixels.copy()
    cv2.putText(one_line, "Signature: A. Specimen", (200, 600), cv2.FONT_HERSHEY_SIMPLEX, 1.0,
                (30, 30, 30), 2)
    assert not check_blank(Raster(one_line, 150)).blank


def test_show_through_from_the_other_side_counts_as_blank(text_sheet: Raster) -> None:
    mirrored = np.fliplr(text_sheet.pixels).astype(np.int16)
    faint = 250 - (250 - mirrored) * 25 // 255          # the back's print, 25 levels deep at most
    assert check_blank(Raster(faint.astype(np.uint8), text_sheet.dpi)).blank
    assert not check_blank(text_sheet).blank
