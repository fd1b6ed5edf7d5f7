"""Spanish, Portuguese, Turkish, Russian and Ukrainian content catalogs: complete against the current
template (locale/content.pot), no fuzzy entry, same placeholders, French site labels, numbers, phone
numbers and web addresses kept, and they compile with Babel into catalogs gettext loads."""

from __future__ import annotations

import gettext
import re
import shutil
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

from kiosk.i18n import catalogs
from kiosk.i18n.languages import LANGUAGES
from kiosk.paths import DEFAULT_PACK

LANGS = ("es", "pt", "tr", "ru", "uk")
LOCALE = DEFAULT_PACK / "locale"

# Labels the visitor reads in French on the ANEF site: a translation keeps them (in «guillemets»),
# then explains them. Compared case-insensitively ("Attestation de dépôt" as a button label).
SITE_LABELS = ("Se connecter", "Première visite ? Créer votre compte", "attestation de dépôt",
               "attestation de prolongation", "droit de visa de régularisation",
               "timbre fiscal électronique", "numéro étranger", "VLS-TS", "ANEF")
# Written exactly as in French: a phone number, a web address, signs on the kiosk's buttons.
VERBATIM = ("0 806 001 620", "timbres.impots.gouv.fr", "€", "+", "−", "PDF", "SMS", "PACS", "API")
NUMBER = re.compile(r"\d+")


def _po(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / "content.po"


@pytest.fixture(scope="module")
def template() -> Catalog:
    return catalogs.read(LOCALE / "content.pot")


@pytest.fixture(scope="module")
def template_ids(template: Catalog) -> set[str]:
    return {m.id for m in template if m.id and isinstance(m.id, str)}


def _translations(lang: str) -> dict[str, str]:
    return {m.id: m.string for m in catalogs.read(_po(lang)) if m.id and isinstance(m.id, str)}


@pytest.mark.parametrize("lang", LANGS)
def test_every_template_text_has_a_translation(lang: str, template_ids: set[str]) -> None:
    catalog = catalogs.read(_po(lang))
    by_id = {m.id: m for m in catalog if m.id}
    missing = sorted(template_ids - by_id.keys())
    assert not missing, f"{lang}: {len(missing)} texts of content.pot not in the catalog: {missing[:3]}"
    empty = sorted(i for i in template_ids if not str(by_id[i].string).strip())
    assert not empty, f"{lang}: {len(empty)} empty translations: {empty[:3]}"
    fuzzy = sorted(i for i in template_ids if by_id[i].fuzzy)
    assert not fuzzy and not catalog.fuzzy, f"{lang}: fuzzy entries {fuzzy[:3]}"
    status = catalogs.status(_po(lang), template_ids, locale=LANGUAGES[lang].locale)
    assert status.complete, f"{lang}: {status.problems[:5]}"
    assert status.translated == status.total == len(template_ids)


@pytest.mark.parametrize("lang", LANGS)
def test_placeholders_are_the_source_ones(lang: str, template_ids: set[str]) -> None:
    wrong = [(msgid, text) for msgid, text in _translations(lang).items() if msgid in template_ids
             and set(catalogs.PLACEHOLDER.findall(msgid)) != set(catalogs.PLACEHOLDER.findall(text))]
    assert not wrong, f"{lang}: placeholders differ in {wrong[:2]}"


@pytest.mark.parametrize("lang", LANGS)
def test_site_labels_numbers_and_addresses_are_kept(lang: str, template_ids: set[str]) -> None:
    problems = []
    for msgid, text in _translations(lang).items():
        if msgid not in template_ids:
            continue
        lost = [n for n in NUMBER.findall(msgid) if not re.search(rf"(?<!\d){n}(?!\d)", text)]
        lost += [v for v in VERBATIM if v in msgid and v not in text]
        lost += [label for label in SITE_LABELS if label.casefold() in msgid.casefold()
                 and label.casefold() not in text.casefold()]
        if text.count("«") != text.count("»"):
            lost.append("unbalanced «»")
        if msgid.count("\n\n") != text.count("\n\n"):
            lost.append("not the same paragraphs")
        if lost:
            problems.append(f"{msgid[:50]!r}: {lost}")
    assert not problems, f"{lang}: {problems[:5]}"


@pytest.mark.parametrize("lang", LANGS)
def test_header_names_reviewer_register_and_plural_forms(lang: str) -> None:
    catalog = catalogs.read(_po(lang))
    header = catalog.header_comment
    for words in ("Review:", "hard to translate", "Register", "Terminology"):
        assert words in header, f"{lang}: header comment lacks {words!r}"
    assert str(catalog.locale) == LANGUAGES[lang].locale
    assert catalog.plural_forms == Catalog(locale=LANGUAGES[lang].locale).plural_forms


def test_catalogs_compile_and_gettext_returns_every_translation(tmp_path: Path,
                                                                 template_ids: set[str]) -> None:
    for lang in LANGS:
        target = tmp_path / lang / "LC_MESSAGES"
        target.mkdir(parents=True)
        shutil.copy(_po(lang), target / "content.po")
    written = catalogs.compile_dir(tmp_path, "content")
    assert sorted(p.parent.parent.name for p in written) == sorted(LANGS)
    for lang in LANGS:
        translation = gettext.translation("content", localedir=str(tmp_path), languages=[lang])
        expected = _translations(lang)
        wrong = [i for i in sorted(template_ids) if translation.gettext(i) != expected[i]]
        assert not wrong, f"{lang}: the compiled catalog does not return {wrong[:3]}"
        assert translation.gettext("Renouveler mon titre de séjour") != "Renouveler mon titre de séjour"
