"""Generated pages for the imaging tests: rendered once per run from the fictitious samples."""

from __future__ import annotations

import pytest

from kiosk.scan.imaging.raster import Raster
from kiosk.scan.imaging.samples import SampleBook


@pytest.fixture(scope="session")
def book() -> SampleBook:
    return SampleBook()


@pytest.fixture(scope="session")
def text_sheet(book: SampleBook) -> Raster:
    """A clean upright text page (payslip, page 1) at 200 dpi, without the scanner bed."""
    import numpy as np
    return Raster(np.asarray(book.sheet("payslip", 0, 200).convert("L")), 200)


@pytest.fixture(scope="session")
def color_a4(book: SampleBook) -> Raster:
    """The colour proof of address as scanned at 300 dpi (skewed on the bed, noisy)."""
    return book.scan("proof_of_address", 0, 300, color=True)


@pytest.fixture(scope="session")
def gray_a4(book: SampleBook) -> Raster:
    return book.scan("payslip", 0, 300, color=False)
