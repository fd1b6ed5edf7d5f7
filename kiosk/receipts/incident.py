"""The incident proof of a visit: from what the browser step saw to a PDF in the session directory.

`incident_data(...)` gathers the facts (address without query string, error text cut to a sane length,
screenshot only if the visitor agreed); `save_incident_proof(...)` renders and writes the PDF next to
the visitor's other files, so the session wipe deletes it. Runs off the GUI thread; nothing is logged.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable
from pathlib import Path

from kiosk.receipts.model import Bilingual, IncidentData, Site, strip_query

MAX_ERROR_CHARS = 400
FILE_STEM = "incident-proof"


def clean_error_text(text: str, limit: int = MAX_ERROR_CHARS) -> str:
    """What the site showed, on one paragraph: control characters out, blank runs folded, cut."""
    flat = " ".join(re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", " ", text).split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def incident_data(*, site: Site, language: str, when: dt.datetime, procedure: Bilingual, step: Bilingual,
                  address: str, error_text: str, content_version: str,
                  screenshot_png: bytes | None = None) -> IncidentData:
    return IncidentData(site=site, language=language, when=when, procedure=procedure, step=step,
                        address=strip_query(address), error_text=clean_error_text(error_text),
                        content_version=content_version, screenshot_png=screenshot_png or None)


def save_incident_proof(render: Callable[[IncidentData], bytes], data: IncidentData,
                        directory: Path) -> Path:
    """Render with `render` (e.g. `ReceiptRenderer.incident`) into a new file of `directory`, readable
    by the kiosk's user only. Returns its path."""
    pdf = render(data)
    n = 1
    while True:
        path = directory / f"{FILE_STEM}-{n}.pdf"
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            n += 1
            continue
        with os.fdopen(fd, "wb") as out:
            out.write(pdf)
        return path
