"""Receipts and incident proofs rendered in every script, checked through pdftotext and pdftoppm."""

from __future__ import annotations

import subprocess
import unicodedata
from pathlib import Path

import pytest
from PIL import Image

from kiosk.__main__ import main
from kiosk.i18n import Translators
from kiosk.receipts import FontBook, ReceiptRenderer
from kiosk.receipts.compose import CONTACT_CENTRE_PHONE, DEFENSEUR_PHONE
from kiosk.receipts.model import strip_query
from kiosk.receipts.sample import SAMPLE_REFERENCE, sample_incident, sample_receipt

# Words of the sample visit each language must show (letters whose glyphs map back to text).
EXPECTED = {
    "fr": ["Renouvellement du titre de séjour", "Passeport"],
    "ar": ["تجديد", "بطاقة", "الإقامة", "جواز", "السفر"],
    "fa": ["تمدید", "کارت", "اقامت", "گذرنامه"],
    "ps": ["اعتبار", "لري", "ANEF"],
    "ru": ["Продление вида на жительство", "Паспорт"],
    "zh": ["居留证续签", "护照", "住址证明"],
    "ta": ["ANEF"],
    "bn": ["ANEF"],
}
SCRIPT_RANGES = {"ta": (0x0B80, 0x0BFF), "bn": (0x0980, 0x09FF)}


@pytest.fixture(scope="module")
def renderer() -> ReceiptRenderer:
    return ReceiptRenderer(FontBook(), Translators(None).get)


def pdftotext(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return unicodedata.normalize("NFKC", out)       # Arabic presentation forms back to letters


@pytest.mark.parametrize("layout", ["a4", "80mm"])
@pytest.mark.parametrize("lang", sorted(EXPECTED))
def test_receipt_text_in_every_script(renderer: ReceiptRenderer, tmp_path: Path, lang: str,
                                      layout: str) -> None:
    text = pdftotext(renderer.receipt(sample_receipt(lang), layout), tmp_path)  # type: ignore[arg-type]
    assert SAMPLE_REFERENCE in text                 # digits and Latin reference kept in order
    assert CONTACT_CENTRE_PHONE in text
    assert "Renouvellement du titre de séjour" in text       # the French half is always there
    for word in EXPECTED[lang]:
        assert word in text, (lang, word)
    if lang in SCRIPT_RANGES:
        low, high = SCRIPT_RANGES[lang]
        assert sum(low <= ord(c) <= high for c in text) > 20


def test_french_visitor_gets_one_language(renderer: ReceiptRenderer, tmp_path: Path) -> None:
    text = pdftotext(renderer.receipt(sample_receipt("fr")), tmp_path)
    assert text.count("Renouvellement du titre de séjour") == 1


@pytest.mark.parametrize("lang", ["fr", "ar", "fa", "ta", "zh", "ru"])
def test_pages_render_to_png_with_ink(renderer: ReceiptRenderer, tmp_path: Path, lang: str) -> None:
    """The PNGs a reviewer looks at (pdftoppm -r 80); here: rendered, and not blank."""
    pdf = tmp_path / f"receipt-{lang}.pdf"
    pdf.write_bytes(renderer.receipt(sample_receipt(lang)))
    subprocess.run(["pdftoppm", "-r", "80", "-png", "-singlefile", str(pdf), str(tmp_path / lang)],
                   check=True)
    with Image.open(tmp_path / f"{lang}.png") as image:
        grey = image.convert("L")
        dark = sum(1 for v in grey.get_flattened_data() if v < 128)
    assert dark > 0.01 * grey.width * grey.height


def test_incident_proof(renderer: ReceiptRenderer, tmp_path: Path) -> None:
    png = tmp_path / "shot.png"
    Image.new("RGB", (640, 400), (200, 30, 30)).save(png)
    pdf = renderer.incident(sample_incident("ar", png.read_bytes()))
    text = pdftotext(pdf, tmp_path)
    assert "SECRET-TOKEN" not in text and "token" not in text
    assert "#/espace-personnel/demande" in text
    assert "Erreur 503" in text
    flat = " ".join(text.split())                  # phrases may wrap; phone numbers must not
    assert CONTACT_CENTRE_PHONE in text and DEFENSEUR_PHONE in text and "Défenseur des droits" in flat
    (tmp_path / "i.pdf").write_bytes(pdf)
    images = subprocess.run(["pdfimages", "-list", str(tmp_path / "i.pdf")], capture_output=True,
                            text=True, check=True).stdout
    assert len(images.strip().splitlines()) == 3          # header, rule, the screenshot


def test_incident_without_screenshot_has_no_image(renderer: ReceiptRenderer, tmp_path: Path) -> None:
    (tmp_path / "i.pdf").write_bytes(renderer.incident(sample_incident("fr")))
    images = subprocess.run(["pdfimages", "-list", str(tmp_path / "i.pdf")], capture_output=True,
                            text=True, check=True).stdout
    assert len(images.strip().splitlines()) == 2


def test_strip_query() -> None:
    assert strip_query("https://user:pw@ex.fr:8443/a/b?x=1&y=2#/route/c?id=9") == "https://ex.fr:8443/a/b#/route/c"
    assert strip_query("https://ex.fr/a?q=1") == "https://ex.fr/a"


def test_cli_sample(tmp_path: Path) -> None:
    out = tmp_path / "s.pdf"
    assert main(["receipt", "sample", "--lang", "zh", "--layout", "80mm", "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF")
    assert "居留证续签" in pdftotext(out.read_bytes(), tmp_path)
