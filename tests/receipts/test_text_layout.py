"""The text engine: bidi levels and run order, a font with the glyph for every character, wrapping."""

from __future__ import annotations

import pytest

from kiosk.i18n import Translators
from kiosk.receipts import bidi
from kiosk.receipts.compose import Composer
from kiosk.receipts.fonts import FontBook, Script, script_of
from kiosk.receipts.sample import sample_incident, sample_receipt
from kiosk.receipts.textflow import Paragraph, Style


@pytest.fixture(scope="module")
def fonts() -> FontBook:
    return FontBook()


def visual(fonts: FontBook, text: str, rtl: bool, width: float = 1000) -> list[str]:
    lines = Paragraph(text, fonts, Style(10), rtl).wrap(width)
    return ["".join(str(r.text) if r.font.find("Arabic") < 0 else "<ar>" for r in line.runs)
            for line in lines]


def test_python_bidi_levels_are_read_not_guessed(caplog: pytest.LogCaptureFixture) -> None:
    # brackets around Latin text after a Latin word take its direction (rule N0): the full algorithm
    assert bidi.levels("رقم AB-12 (x)", rtl=True) == [1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2]
    assert "simple classification" not in caplog.text


def test_simple_levels_fallback_agrees_on_plain_text() -> None:
    text = "رقم الطلب AB-2024-001234 بتاريخ 2026"
    assert bidi.simple_levels(text, 1) == bidi.levels(text, rtl=True)


def test_rtl_line_keeps_numbers_and_latin_references_in_order(fonts: FontBook) -> None:
    line = visual(fonts, "رقم الطلب: AB-2024-001234 (ANEF) بتاريخ 26/11/2026", rtl=True)
    assert [v.replace(" ", "") for v in line] == ["26/11/2026<ar>AB-2024-001234(ANEF)<ar>"]


def test_isolated_value_and_controls_are_not_drawn(fonts: FontBook) -> None:
    para = Paragraph("رقم: \u2068AB 12\u2069.", fonts, Style(10), True)
    assert "\u2068" not in para.text and "\u2069" not in para.text


def test_every_character_of_every_sample_has_a_glyph(fonts: FontBook) -> None:
    translators = Translators(None)
    for lang in ("fr", "en", "ar", "fa", "ps", "ta", "bn", "zh", "ru", "uk", "tr"):
        composer = Composer(translators.get(lang), translators.get("fr"))
        sheets = [composer.receipt(sample_receipt(lang)), composer.incident(sample_incident(lang))]
        for sheet in sheets:
            for row in sheet.rows + sheet.footer:
                for text, rtl in ((row.visitor, sheet.visitor_rtl), (row.french, False)):
                    para = Paragraph(text, fonts, Style(10), rtl)
                    missing = {c for c, f in zip(para.text, para.fonts, strict=True)
                               if c not in "\u200c\u200d" and not fonts.has_glyph(f, c)}
                    assert not missing, (lang, text, missing)


def test_script_of() -> None:
    assert script_of("ب") is Script.ARABIC and script_of("க") is Script.TAMIL
    assert script_of("ক") is Script.BENGALI and script_of("中") is Script.CJK
    assert script_of("Ж") is Script.LATIN and script_of("7") is None and script_of(" ") is None


def test_long_url_is_cut_to_the_width(fonts: FontBook) -> None:
    url = "https://administration-etrangers-en-france.interieur.gouv.fr/particuliers/#/espace-personnel"
    lines = Paragraph(url, fonts, Style(10), False).wrap(120)
    assert len(lines) > 2 and all(line.width <= 120 for line in lines)
    assert "".join(str(r.text) for line in lines for r in line.runs) == url


def test_chinese_wraps_between_characters(fonts: FontBook) -> None:
    lines = Paragraph("您的提交证明有效期至该日期，请保留此收据。" * 3, fonts, Style(10), False).wrap(150)
    assert len(lines) > 2 and all(line.width <= 150 for line in lines)
    assert not any(str(line.runs[0].text).startswith(("，", "。")) for line in lines)
