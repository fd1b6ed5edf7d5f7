"""The shipped pack's catalogs: complete against the extracted template, and they compile and load."""

from __future__ import annotations

import gettext
import re
import shutil
from pathlib import Path

import pytest

from kiosk.content.extract import build_template
from kiosk.content.pack import load_pack
from kiosk.i18n import catalogs
from kiosk.i18n.languages import LANGUAGES
from kiosk.paths import DEFAULT_PACK

SHIPPED_LANGUAGES = ("en", "ar")


@pytest.fixture(scope="module")
def template_ids() -> set[str]:
    return {m.id for m in build_template(load_pack(DEFAULT_PACK)) if m.id and isinstance(m.id, str)}


@pytest.mark.parametrize("lang", SHIPPED_LANGUAGES)
def test_catalog_is_complete_against_the_template(lang: str, template_ids: set[str]) -> None:
    po = DEFAULT_PACK / "locale" / lang / "LC_MESSAGES" / "content.po"
    status = catalogs.status(po, template_ids)
    ids_in_po = {m.id for m in catalogs.read(po) if m.id}
    missing = sorted(template_ids - ids_in_po)
    assert not missing, f"{po}: {len(missing)} texts not in the catalog (run content extract --update): "\
                        f"{missing[:3]}"
    assert status.complete, f"{po}: {status}"
    assert status.total == len(template_ids)


@pytest.mark.parametrize("lang", SHIPPED_LANGUAGES)
def test_catalog_header_says_who_reviews(lang: str) -> None:
    po = DEFAULT_PACK / "locale" / lang / "LC_MESSAGES" / "content.po"
    header = catalogs.read(po).header_comment
    assert "Review:" in header and "hard to translate" in header


def test_catalogs_compile_and_translate(tmp_path: Path) -> None:
    localedir = tmp_path / "locale"
    shutil.copytree(DEFAULT_PACK / "locale", localedir, ignore=shutil.ignore_patterns("*.mo"))
    written = catalogs.compile_dir(localedir, "content")
    assert set(SHIPPED_LANGUAGES) <= {p.parent.parent.name for p in written}
    pack = load_pack(DEFAULT_PACK)
    title = pack.procedures["renewal"].title
    en = gettext.translation("content", localedir=str(localedir), languages=["en"])
    ar = gettext.translation("content", localedir=str(localedir), languages=["ar"])
    assert en.gettext(title) == "Renew my residence permit"
    assert ar.gettext(title) not in ("", title)
    # Official French labels stay in French in the Arabic text, isolated for right-to-left layout.
    after = pack.procedures["renewal"].steps["after_filing"].text
    assert "«\u2068attestation de dépôt\u2069»" in ar.gettext(after)
    assert "«attestation de dépôt»" in en.gettext(after)


def test_shipped_pack_declares_its_translated_languages() -> None:
    pack = load_pack(DEFAULT_PACK)
    assert set(SHIPPED_LANGUAGES) <= set(pack.languages)
    for lang in pack.languages:
        if lang != "fr":
            assert (DEFAULT_PACK / "locale" / lang / "LC_MESSAGES" / "content.po").is_file()


# Spaced digit groups (a phone number) and euro amounts: in a right-to-left paragraph the bidi
# algorithm would show "0 806 001 620" as "620 001 806 0" unless the run sits in an LTR isolate.
NUMBER_RUN = re.compile(r"[0-9٠-٩۰-۹]+(?:[ \u00a0\u202f][0-9٠-٩۰-۹]+)+(?:[ \u00a0\u202f]?€)?"
                        r"|[0-9٠-٩۰-۹]+[ \u00a0\u202f]?€")


@pytest.mark.parametrize("lang", [code for code in load_pack(DEFAULT_PACK).languages
                                  if LANGUAGES[code].rtl])
def test_numbers_in_right_to_left_catalogs_are_isolated(lang: str) -> None:
    po = DEFAULT_PACK / "locale" / lang / "LC_MESSAGES" / "content.po"
    bare = [m.string[max(0, r.start() - 20):r.end()] for m in catalogs.read(po)
            if m.id and isinstance(m.string, str) for r in NUMBER_RUN.finditer(m.string)
            if r.start() == 0 or m.string[r.start() - 1] not in "\u2066\u2068"]
    assert not bare, f"{po}: numbers outside an isolate (U+2066 … U+2069): {bare[:3]}"
