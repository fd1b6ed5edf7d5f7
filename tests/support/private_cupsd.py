"""The private CUPS scheduler of the tests: the code lives in bench/private_cupsd.py, because the
benchmarks must run without tests/ (a plain install); re-exported here under its old name."""

from __future__ import annotations

import sys
from pathlib import Path

_ROOT = str(Path(__file__).resolve().parents[2])
if _ROOT not in sys.path:        # `pytest` (not `python -m pytest`) does not put the checkout on the path
    sys.path.append(_ROOT)

from bench.private_cupsd import CUPS_PDF_CONF, PPD, PrivateCups, available  # noqa: E402

__all__ = ["CUPS_PDF_CONF", "PPD", "PrivateCups", "available"]
