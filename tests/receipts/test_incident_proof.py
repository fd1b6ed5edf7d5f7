"""The incident proof the browser step prints: facts gathered, query string dropped, saved in the
session directory, readable in the visitor's language and in French (pdftotext, pdftoppm)."""

from __future__ import annotations

import datetime as dt
import os
import stat
import subprocess
import unicodedata
from pathlib import Path

import pytest
from PIL import Image

from kiosk.i18n import Translators
from kiosk.receipts import FontBook, ReceiptRenderer
from kiosk.receipts.compose import CONTACT_CENTRE_PHONE, DEFENSEUR_PHONE
from kiosk.receipts.incident import clean_error_text, incident_data, save_incident_proof
from kiosk.receipts.model import Bilingual, Site

SHOTS = Path(__file__).resolve().parents[2] / "build" / "screens" / "browser"
ADDRESS = ("https://administration-etrangers-en-france.interieur.gouv.fr/particuliers/"
           "#/espace-personnel/depot?dossier=77-SECRET-DOSSIER")
PROCEDURE = {"fr": "Renouvellement du titre de séjour", "ar": "تجديد بطاقة الإقامة"}
STEP = {"fr": "Pièces justificatives", "ar": "الوثائق الداعمة"}


@pytest.fixture(scope="module")
def renderer() -> ReceiptRenderer:
    return ReceiptRenderer(FontBook(), Translators(None).get)


def make(lang: str, screenshot: bytes | None = None, error: str = "Erreur 503 — Service indisponible"):
    return incident_data(
        site=Site("Préfecture de test — PAN", "1 rue de l'Essai, 00000 Test", "PAN-T-01"), language=lang,
        when=dt.datetime(2026, 12, 1, 9, 41), procedure=Bilingual(PROCEDURE[lang], PROCEDURE["fr"]),
        step=Bilingual(STEP[lang], STEP["fr"]), address=ADDRESS, error_text=error,
        content_version="2026.12 (abc)", screenshot_png=screenshot)


def text_of(pdf: Path) -> str:
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return unicodedata.normalize("NFKC", out)


def test_error_text_is_one_bounded_paragraph() -> None:
    assert clean_error_text("  Erreur\n\n 503\x07 —\tService  ") == "Erreur 503 — Service"
    long = clean_error_text("x" * 1000)
    assert len(long) == 400 and long.endswith("…")


def test_the_address_loses_its_query_before_anything_is_written() -> None:
    data = make("fr")
    assert "SECRET" not in data.address and "dossier" not in data.address
    assert data.address.endswith("/particuliers/#/espace-personnel/depot")


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_proof_is_saved_in_the_session_directory_with_every_fact(renderer: ReceiptRenderer,
                                                                 tmp_path: Path, lang: str) -> None:
    shot = tmp_path / "shot.png"
    Image.new("RGB", (800, 450), (30, 90, 160)).save(shot)
    session = tmp_path / "session"
    session.mkdir()
    first = save_incident_proof(renderer.incident, make(lang, shot.read_bytes()), session)
    second = save_incident_proof(renderer.incident, make(lang), session)
    assert first.parent == session and second.parent == session and first != second
    assert stat.S_IMODE(os.stat(first).st_mode) == 0o600
    text = text_of(first)
    flat = " ".join(text.split())
    assert "SECRET" not in text and "dossier=" not in text
    assert "#/espace-personnel/depot" in text
    assert "Erreur 503" in text
    assert CONTACT_CENTRE_PHONE in text and DEFENSEUR_PHONE in text and "Défenseur des droits" in flat
    assert "Pièces justificatives" in text and "Renouvellement du titre de séjour" in text
    if lang == "ar":
        assert "الإقامة" in text and "الداعمة" in text
    else:
        assert text.count("Renouvellement du titre de séjour") == 1     # French visitor: one language
    SHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "70", "-png", "-singlefile", str(first),
                    str(SHOTS / f"incident-proof-{lang}")], check=True)
    with Image.open(SHOTS / f"incident-proof-{lang}.png") as image:
        grey = image.convert("L")
        dark = sum(1 for v in grey.get_flattened_data() if v < 128)
    assert dark > 0.01 * grey.width * grey.height
