"""One rendering per language of the legal and kiosk terms (kiosk/i18n/terminology.toml).

For each term of the table, every message whose source names the term (French msgids of the content
catalogs, English msgids of the UI catalogs, matched by the table's source patterns) must contain the
language's rendering or one of the inflected forms listed after it; no message of the language may use
one of the renderings the table rejects ("avoid", regular expressions). A message may escape a rule only
through the table's explicit, commented exception list, and an exception that is no longer needed fails.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from functools import cache
from typing import Any

import pytest

from kiosk.i18n import LOCALE_DIR, catalogs
from kiosk.paths import DEFAULT_PACK

TABLE_PATH = LOCALE_DIR.parent / "terminology.toml"
# Where the source language of a catalog is French (content pack) or English (UI), and its catalogs.
DOMAINS = {"content": ("fr", DEFAULT_PACK / "locale", "content"), "kiosk": ("en", LOCALE_DIR, "kiosk")}
# Ignored when comparing: bidi isolates and marks, and the optional Arabic vowel signs and tatweel
# (طابعًا = طابعا), so that a table form matches with or without them.
IGNORED = dict.fromkeys([*map(ord, "\u2066\u2067\u2068\u2069\u200e\u200f\u0640\u0670"),
                         *range(0x064B, 0x0660)])


@cache
def table() -> dict[str, Any]:
    with TABLE_PATH.open("rb") as f:
        return tomllib.load(f)


def terms() -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = table()["terms"]
    return found


def languages() -> list[str]:
    return sorted(table()["rendering"])


def normal(text: str) -> str:
    """Compared without case, bidi isolates, Arabic vowel signs or Unicode normalisation differences."""
    return unicodedata.normalize("NFC", text).translate(IGNORED).casefold()


def rejected(pattern: str, text: str) -> bool:
    """Whether a rejected rendering (a regular expression) occurs in a normalised text."""
    pattern = unicodedata.normalize("NFC", pattern).translate(IGNORED)
    return re.search(pattern, text, re.IGNORECASE) is not None


def messages(lang: str, domain: str) -> list[tuple[str, str]]:
    """(msgid, msgstr) of a language's catalog; plural entries give their singular id and all forms."""
    po = DOMAINS[domain][1] / lang / "LC_MESSAGES" / f"{DOMAINS[domain][2]}.po"
    if not po.is_file():
        return []
    found = []
    for m in catalogs.read(po):
        if not m.id:
            continue
        msgid = m.id if isinstance(m.id, str) else " ".join(m.id)
        msgstr = m.string if isinstance(m.string, str) else " ".join(m.string or ())
        found.append((msgid, msgstr))
    return found


def exceptions(lang: str) -> dict[tuple[str, str, str], str]:
    return {(e["domain"], e["term"], e["msgid"]): e["why"] for e in table().get("exception", [])
            if e["lang"] == lang}


def violations(lang: str) -> tuple[list[str], set[tuple[str, str, str]]]:
    """What breaks the table in a language's two catalogs, and which exceptions were used."""
    rendering, avoid = table()["rendering"][lang], table().get("avoid", {}).get(lang, {})
    allowed = exceptions(lang)
    found, used = [], set()
    for domain, (source, _, _) in DOMAINS.items():
        for msgid, msgstr in messages(lang, domain):
            text = normal(msgstr)
            for term, patterns in terms().items():
                pattern = patterns.get(source)
                if pattern and re.search(pattern, msgid, re.IGNORECASE) \
                        and not any(normal(form) in text for form in rendering[term]):
                    if (domain, term, msgid) in allowed:
                        used.add((domain, term, msgid))
                    else:
                        found.append(f"{domain}: {term!r} is not rendered {rendering[term][0]!r} in "
                                     f"{msgid[:60]!r} -> {msgstr[:90]!r}")
            for term, words in avoid.items():
                found += [f"{domain}: {word!r} (rejected for {term!r}) in {msgid[:60]!r}"
                          for word in words if rejected(word, text)]
    return found, used


def test_every_language_renders_every_term_once() -> None:
    assert set(table()["rendering"]) >= {"ar", "bn", "en", "es", "fa", "fr", "ps", "pt", "ru", "ta", "tr",
                                         "uk", "wo", "zh"}
    for lang, rendering in table()["rendering"].items():
        assert set(rendering) == set(terms()), f"{lang}: {set(rendering) ^ set(terms())}"
        for term, forms in rendering.items():
            assert forms and all(isinstance(f, str) and f.strip() for f in forms), f"{lang}: {term}"
        for term in table().get("avoid", {}).get(lang, {}):
            assert term in terms(), f"{lang}: avoid list for unknown term {term!r}"
            for word in table()["avoid"][lang][term]:
                kept = [f for f in rendering[term] if rejected(word, normal(f))]
                assert not kept, f"{lang}: {term}: {kept} is both the rendering and rejected by {word!r}"


def test_exceptions_name_a_known_language_domain_and_term_and_say_why() -> None:
    for e in table().get("exception", []):
        assert e["lang"] in table()["rendering"] and e["domain"] in DOMAINS and e["term"] in terms(), e
        assert len(e["why"].split()) >= 5, f"{e['msgid']!r}: say why the exception is needed"


def test_source_patterns_find_the_terms() -> None:
    for term, patterns in terms().items():
        assert set(patterns) <= {"fr", "en"} and patterns, term
        for pattern in patterns.values():
            re.compile(pattern)
    french = {"préfecture": "Allez à la préfecture.", "compte": "Créez votre compte.",
              "imprimer": "Imprimez-la si vous pouvez.", "titre de séjour": "Vos titres de séjour"}
    for term, text in french.items():
        assert re.search(terms()[term]["fr"], text, re.IGNORECASE), term
    # "compte" as a verb or a bank account is not the ANEF account; a printer is not "print".
    for text in ("On compte le temps passé.", "Relevés de compte bancaire"):
        assert not re.search(terms()["compte"]["fr"], text, re.IGNORECASE), text
    assert not re.search(terms()["imprimer"]["en"], "The printer is off.", re.IGNORECASE)
    assert re.search(terms()["imprimer"]["en"], "Printing… Please wait.", re.IGNORECASE)


@pytest.mark.parametrize("lang", languages())
def test_catalogs_use_the_table_rendering(lang: str) -> None:
    found, _ = violations(lang)
    assert not found, f"{lang}: {len(found)} messages break kiosk/i18n/terminology.toml:\n" + "\n".join(found)


@pytest.mark.parametrize("lang", languages())
def test_every_exception_is_still_needed(lang: str) -> None:
    _, used = violations(lang)
    stale = sorted(set(exceptions(lang)) - used)
    assert not stale, f"{lang}: these exceptions no longer match a message that needs them: {stale}"


def test_a_different_rendering_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    lang = languages()[0]
    real = messages

    def tampered(code: str, domain: str) -> list[tuple[str, str]]:
        extra = [("Allez à la préfecture.", "???")] if domain == "content" else []
        return [*real(code, domain), *extra]

    monkeypatch.setitem(globals(), "messages", tampered)
    found, _ = violations(lang)
    assert any("Allez à la préfecture." in f for f in found)


def test_a_rejected_rendering_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    real = messages

    def tampered(code: str, domain: str) -> list[tuple[str, str]]:
        extra = [("Print", "Напечатать")] if domain == "kiosk" else []
        return [*real(code, domain), *extra]

    monkeypatch.setitem(globals(), "messages", tampered)
    found, _ = violations("ru")
    assert any("rejected for 'imprimer'" in f and "'Print'" in f for f in found)
    assert not rejected(r"\bпечатать", normal("Распечатать документ"))
