"""Every font of every PDF the kiosk renders is embedded (PDF/A-minded), checked with `pdffonts`.

reportlab's defaults are Helvetica, referenced without being embedded: the canvas' initial font and
every table cell's font. The receipts, the incident proof (with and without a screenshot), the
`pan-kiosk receipt sample` file and the device check's test page (the French sample receipt) all go
through ReceiptRenderer, in both layouts."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from kiosk.__main__ import main
from kiosk.i18n import Translators
from kiosk.receipts import LAYOUTS, FontBook, Layout, ReceiptRenderer
from kiosk.receipts.incident import save_incident_proof
from kiosk.receipts.sample import sample_incident, sample_receipt


@pytest.fixture(scope="module")
def renderer() -> ReceiptRenderer:
    return ReceiptRenderer(FontBook(), Translators(None).get)


def fonts(pdf: Path) -> list[tuple[str, str]]:
    """(name, emb) per row of `pdffonts`; the type column may hold spaces, so emb is read from the right
    (emb sub uni, then the object number and generation)."""
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    return [(row[0], row[-5]) for row in rows]


def assert_all_embedded(pdf: Path) -> None:
    rows = fonts(pdf)
    assert rows, f"{pdf.name}: no font at all"
    assert [name for name, emb in rows if emb != "yes"] == [], f"{pdf.name}: {rows}"
    assert not any("Helvetica" in name for name, _ in rows)


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("lang", ["fr", "ar", "ta", "zh"])
def test_receipt_embeds_every_font(renderer: ReceiptRenderer, tmp_path: Path, lang: str,
                                   layout: Layout) -> None:
    pdf = tmp_path / f"receipt-{lang}-{layout}.pdf"
    pdf.write_bytes(renderer.receipt(sample_receipt(lang), layout))
    assert_all_embedded(pdf)


@pytest.mark.parametrize("with_screenshot", [False, True])
def test_incident_proof_embeds_every_font(renderer: ReceiptRenderer, tmp_path: Path,
                                          with_screenshot: bool) -> None:
    png = io.BytesIO()
    Image.new("RGB", (320, 200), (200, 60, 40)).save(png, "PNG")
    data = sample_incident("ar", screenshot_png=png.getvalue() if with_screenshot else None)
    assert_all_embedded(save_incident_proof(renderer.incident, data, tmp_path))
    roll = tmp_path / "incident-80mm.pdf"
    roll.write_bytes(renderer.incident(data, "80mm"))
    assert_all_embedded(roll)


def test_cli_sample_embeds_every_font(tmp_path: Path) -> None:
    out = tmp_path / "sample.pdf"
    assert main(["receipt", "sample", "--lang", "ta", "--layout", "80mm", "--incident",
                 "--out", str(out)]) == 0
    assert_all_embedded(out)
