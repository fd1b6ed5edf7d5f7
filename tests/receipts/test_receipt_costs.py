"""The receipt lists what the visitor pays for their answers: a verified amount in each language's Babel
format, an unverified one as "the site shows the amount" (never its figure), read back with pdftotext."""

from __future__ import annotations

import datetime as dt
import subprocess
import unicodedata
from pathlib import Path

import pytest

from kiosk.content.pack import load_pack
from kiosk.i18n import Translators
from kiosk.paths import DEFAULT_PACK
from kiosk.receipts import FontBook, ReceiptRenderer
from kiosk.receipts.builder import build_receipt
from kiosk.receipts.compose import Composer
from kiosk.receipts.model import ReceiptData, Site
from kiosk.visit.flow import FlowState

PACK = load_pack(DEFAULT_PACK)
RENEWAL = PACK.procedures["renewal"]
WHEN = dt.datetime(2026, 12, 8, 10, 30)
SITE = Site("Préfecture de démonstration", "1 place de la République", "PAN-TEST-01")
# A salaried visitor whose card ends in 30 days (the date step said "late"), at the end of the guide.
LATE = FlowState(RENEWAL, ("welcome", "expiry", "late", "algerian", "card_type", "no_exam", "cer",
                           "which_permit", "salarie_info", "docs_salarie", "tax_stamp", "on_the_site",
                           "after_filing", "end"),
                 (("expiry", "late"), ("algerian", "no"), ("card_type", "multi_year"),
                  ("which_permit", "salarie")))
ON_TIME = FlowState(RENEWAL, LATE.path, (("expiry", "window"), *LATE.answers[1:]))


@pytest.fixture(scope="module")
def translators() -> Translators:
    return Translators(DEFAULT_PACK / "locale")


def receipt(translators: Translators, code: str, state: FlowState = LATE) -> ReceiptData:
    return build_receipt(state, PACK, translators.get(code), translators.get("fr"), SITE, [], WHEN)


def pdftotext(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return unicodedata.normalize("NFKC", " ".join(out.split()))


def test_the_receipt_lists_the_costs_of_the_visitors_answers(translators: Translators) -> None:
    late, on_time = receipt(translators, "fr"), receipt(translators, "fr", ON_TIME)
    assert [c.french for c in late.costs] == [
        "Taxe pour le renouvellement de la carte : Le site affiche le montant avant le paiement.",
        "Droit de timbre sur la carte : Le site affiche le montant avant le paiement.",
        "Droit de visa de régularisation, si la demande est en retard : \u2068180,00\u00a0€\u2069"]
    assert len(on_time.costs) == 2                       # no late-renewal penalty on time
    english = receipt(translators, "en")
    assert english.costs[2].visitor == ("Late fee («droit de visa de régularisation»), if the request is "
                                        "late: \u2068€180.00\u2069")
    assert english.costs[2].french == late.costs[2].french


def test_the_composed_sheet_has_a_costs_section_in_both_languages(translators: Translators) -> None:
    sheet = Composer(translators.get("ar"), translators.get("fr")).receipt(receipt(translators, "ar"))
    headings = [(r.visitor, r.french) for r in sheet.rows if r.kind == "heading"]
    assert ("ما ستدفعه", "Ce que vous allez payer") in headings
    i = next(i for i, r in enumerate(sheet.rows) if r.french == "Ce que vous allez payer")
    items = sheet.rows[i + 1:i + 4]
    assert items[0].visitor == "رسم تجديد البطاقة: يعرض الموقع المبلغ قبل أن تدفع."
    assert items[2].visitor.endswith("\u2068\u200f180.00\u00a0€\u2069")   # Babel "ar": digits 0-9


@pytest.mark.parametrize("code", ["fr", "ar"])
def test_the_printed_receipt_shows_the_costs(translators: Translators, tmp_path: Path, code: str) -> None:
    renderer = ReceiptRenderer(FontBook(), translators.get)
    text = pdftotext(renderer.receipt(receipt(translators, code)), tmp_path)
    assert "Ce que vous allez payer" in text
    assert "Droit de timbre sur la carte" in text and "180,00 €" in text
    assert "200,00" not in text and "50,00" not in text           # secondary figures are not printed
    if code == "ar":
        assert "ستدفعه" in text and "180.00" in text and "تجديد" in text      # words: pdftotext's RTL order
