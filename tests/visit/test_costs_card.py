"""The costs card of the guide page (ChecklistPage): for the visitor's answers, what each payment is
for, its amount only when verified (Babel, visitor's locale), "the site shows the amount" otherwise; the
late-renewal penalty only after a late date; the "FR" toggle puts the French under the card's interface
texts too. Screenshots in fr and ar go to /work/shots/fees/ when that folder exists."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea

from kiosk.content.pack import load_pack
from kiosk.i18n import Translator
from kiosk.i18n.languages import LANGUAGES
from kiosk.paths import DEFAULT_PACK
from kiosk.ui.theme import DEFAULT
from kiosk.visit.costs import HEADING, SITE_SHOWS
from kiosk.visit.ui.steps import ChecklistPage

PACK = load_pack(DEFAULT_PACK)
RENEWAL = PACK.procedures["renewal"]
STEP = RENEWAL.steps["docs_salarie"]
LATE = (("expiry", "late"), ("algerian", "no"), ("card_type", "multi_year"), ("which_permit", "salarie"))
ON_TIME = (("expiry", "window"), *LATE[1:])
SHOTS = Path("/work/shots/fees")


def translator(code: str, french: bool = False) -> Translator:
    return Translator(LANGUAGES[code], content_dir=DEFAULT_PACK / "locale").with_source(french)


def page_for(qtbot, code: str, answers: tuple[tuple[str, str], ...], french: bool = False) -> ChecklistPage:  # noqa: ANN001
    page = ChecklistPage(PACK)
    qtbot.addWidget(page)
    tr = translator(code, french)
    page.setLayoutDirection(Qt.LayoutDirection.RightToLeft if tr.rtl else Qt.LayoutDirection.LeftToRight)
    page.resize(1080, 1920)
    page.setStyleSheet(DEFAULT.stylesheet())
    page.procedure, page.answers = RENEWAL, answers
    page.show()
    page.show_step(STEP, tr)
    qtbot.waitExposed(page)
    qtbot.waitUntil(lambda: card(page).isVisible())     # a layout shows added widgets on the next loop
    return page


def card(page: ChecklistPage) -> QFrame:
    found = page.findChild(QFrame, "costs")
    assert found is not None
    return found


def shoot(qtbot, page: ChecklistPage, name: str) -> None:  # noqa: ANN001
    """The card scrolled into view, saved for a person to look at (not asserted)."""
    if SHOTS.is_dir():
        page.findChild(QScrollArea).ensureWidgetVisible(card(page), 0, 400)
        qtbot.wait(50)
        page.grab().save(str(SHOTS / name))


def text(page: ChecklistPage, name: str) -> str | None:
    found = card(page).findChild(QLabel, name)
    return found.text() if found is not None and found.isVisibleTo(page) else None


@pytest.mark.parametrize("code", ["fr", "ar"])
def test_the_card_shows_what_each_payment_is_for_and_only_verified_amounts(qtbot, code: str) -> None:  # noqa: ANN001
    tr = translator(code)
    page = page_for(qtbot, code, LATE)
    assert text(page, "cost_renewal_tax") == tr.content("Taxe pour le renouvellement de la carte")
    assert text(page, "cost_renewal_tax_amount") == tr.tr(SITE_SHOWS)
    assert text(page, "cost_card_stamp_duty_amount") == tr.tr(SITE_SHOWS)
    expected = "\u200e\u2068180,00\u00a0€\u2069" if code == "fr" else "\u200f\u2068\u200f180.00\u00a0€\u2069"
    assert text(page, "cost_late_renewal_penalty_amount") == expected
    assert text(page, "cost_renewal_tax_reduced") is None                 # a student's, not theirs
    shown = " ".join(lbl.text() for lbl in card(page).findChildren(QLabel) if lbl.isVisibleTo(page))
    assert "200" not in shown and "50,00" not in shown and "50.00" not in shown
    shoot(qtbot, page, f"costs_{code}.png")


def test_on_time_there_is_no_late_penalty(qtbot) -> None:  # noqa: ANN001
    page = page_for(qtbot, "fr", ON_TIME)
    assert text(page, "cost_card_stamp_duty") == "Droit de timbre sur la carte"
    assert text(page, "cost_late_renewal_penalty") is None


def test_the_fr_toggle_shows_the_french_under_the_cards_interface_texts(qtbot) -> None:  # noqa: ANN001
    page = page_for(qtbot, "ar", LATE, french=True)
    labels = [lbl.text() for lbl in card(page).findChildren(QLabel)]
    assert "ما ستدفعه\n\u2068Ce que vous allez payer\u2069" in labels
    assert text(page, "cost_renewal_tax_amount") == (
        "يعرض الموقع المبلغ قبل أن تدفع.\n\u2068Le site affiche le montant avant le paiement.\u2069")
    assert text(page, "cost_renewal_tax") == (
        "رسم تجديد البطاقة\n\u2068Taxe pour le renouvellement de la carte\u2069")
    assert translator("ar").tr(HEADING) in labels[0]
    shoot(qtbot, page, "costs_ar_fr_toggle.png")
