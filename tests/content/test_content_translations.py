"""The shipped pack's catalogs: complete against the extracted template, and they compile and load."""

from __future__ import annotations

import gettext
import shutil
from pathlib import Path

import pytest

from kiosk.content.extract import build_template
from kiosk.content.pack import load_pack
from kiosk.i18n import catalogs
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
