"""Pseudo-locales: long accented text and mirrored right-to-left text, placeholders intact."""

from __future__ import annotations

import pytest

from kiosk.i18n import LOCALE_DIR, Translator, catalogs, pseudo
from kiosk.i18n.languages import LANGUAGES
from kiosk.i18n.pseudo import LONG, RLM, RTL, PseudoTranslator, is_pseudo, mirror, pseudo_languages, stretch


def test_stretch_accents_and_doubles_each_line() -> None:
    assert stretch("Step {current} of {total}") == "[Šţéþ {current} öƒ {total} Šţéþ öƒ]"
    assert stretch("Back\n\nFinish") == "[Ɓàçķ Ɓàçķ]\n\n[Ƒîñîšĥ Ƒîñîšĥ]"
    assert stretch("") == ""


def test_mirror_reverses_each_line_and_marks_it_right_to_left() -> None:
    assert mirror("Step {current} of {total}") == RLM + "{total} fo {current} petS"
    assert mirror("Back\n\nNext") == f"{RLM}kcaB\n\n{RLM}txeN"


@pytest.fixture(scope="module")
def template() -> list[object]:
    return [m.id for m in catalogs.extract_ui(LOCALE_DIR.parents[1]) if m.id]


@pytest.mark.parametrize("code", [LONG, RTL])
def test_every_ui_string_keeps_its_placeholders(code: str, template: list[object]) -> None:
    translator = PseudoTranslator(pseudo_languages()[code])
    problems = []
    for msgid in template:
        if isinstance(msgid, tuple):
            forms = [translator._ui.ngettext(msgid[0], msgid[1], n) for n in (1, 2)]
        else:
            forms = [translator._ui.gettext(str(msgid))]
        problems += catalogs.message_problems(msgid, forms, 2 if isinstance(msgid, tuple) else 1)
    assert problems == []


def test_pseudo_translators_format_and_translate_content() -> None:
    languages = pseudo_languages()
    long = PseudoTranslator(languages[LONG], content_dir=None)
    assert long.tr("Step {current} of {total}", current=2, total=5) == "[Šţéþ 2 öƒ 5 Šţéþ öƒ]"
    assert long.trn("{n} second", "{n} seconds", 3) == "[3 šéçöñðš šéçöñðš]"
    assert long.content("Passeport").startswith("[Þàššéþöŕţ")
    rtl = PseudoTranslator(languages[RTL])
    assert rtl.rtl and not long.rtl
    assert rtl.tr("Back") == RLM + "kcaB"


def test_pseudo_languages_are_extra_entries_not_in_the_registry() -> None:
    languages = pseudo_languages()
    assert set(languages) == {LONG, RTL} and not set(languages) & set(LANGUAGES)
    assert all(is_pseudo(code) and languages[code].voice is None for code in languages)
    assert not is_pseudo("fr")
    assert languages[RTL].native_name.startswith(RLM)


def test_languages_and_translator_for_pick_pseudo_only_when_enabled() -> None:
    assert pseudo.languages(False) == LANGUAGES and set(pseudo.languages(True)) == {*LANGUAGES, LONG, RTL}
    assert type(pseudo.translator_for(pseudo.languages(True)[RTL], None)) is PseudoTranslator
    french = pseudo.translator_for(LANGUAGES["fr"], None)
    assert type(french) is Translator and french.code == "fr"
