"""Where the kiosk's shipped files are, whether run from a checkout or installed."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
ASSETS = PACKAGE.parent / "assets" if (PACKAGE.parent / "assets").is_dir() else PACKAGE / "assets"
DEFAULT_PACK = ASSETS / "content" / "default"
