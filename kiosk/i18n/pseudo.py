"""Pseudo-locales: find layout breakage before translators do.

- "qps" (long): every line is accented and doubled inside brackets, "[Ŝţéþ {current} ôƒ {total} Ŝţéþ ôƒ]",
  so text about twice as wide as English must still fit, a clipped end shows as a missing bracket,
  and untranslated (hard-coded) text stands out because it has no accents.
- "qps-rtl": every line reversed and opened with a right-to-left mark, in a right-to-left language
  entry, so the whole layout mirrors without anyone reading Arabic script.

Placeholders (`{name}`) stay intact so formatting works. These languages are offered only when the
configuration asks for them (`pseudo_languages()` gives the extra `Language` entries); a
`PseudoTranslator` stands in for the gettext catalogs, for the UI and the content domain alike.
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass
from pathlib import Path

from kiosk.i18n import Translator
from kiosk.i18n.languages import LANGUAGES, Language

LONG = "qps"
RTL = "qps-rtl"
RLM = "\u200f"
_PLACEHOLDER = re.compile(r"(\{[A-Za-z_][A-Za-z0-9_]*\})")
_ACCENTS = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "àƀçðéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÀƁÇÐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ",
)


def pseudo_languages() -> dict[str, Language]:
    """The pseudo-locales as registry entries (Babel formats them as English and Arabic)."""
    return {
        LONG: Language(LONG, "en_GB", False, "Noto Sans", None, "Pseudo-locale (long)",
                       name=stretch("Pseudo")),
        RTL: Language(RTL, "ar", True, "Noto Sans Arabic", None, "Pseudo-locale (right-to-left)",
                      name=mirror("Pseudo RTL")),
    }


def is_pseudo(code: str) -> bool:
    return code in (LONG, RTL)


def languages(with_pseudo: bool) -> dict[str, Language]:
    """The registry, plus the pseudo-locales when the configuration enables them."""
    return {**LANGUAGES, **pseudo_languages()} if with_pseudo else dict(LANGUAGES)


def translator_for(language: Language, content_dir: Path | None) -> Translator:
    """A PseudoTranslator for a pseudo-locale, an ordinary Translator otherwise."""
    cls = PseudoTranslator if is_pseudo(language.code) else Translator
    return cls(language, content_dir)


def _chunks(line: str) -> list[str]:
    return [c for c in _PLACEHOLDER.split(line) if c]


def stretch(text: str) -> str:
    """Accent every letter and double every line (placeholders once), inside brackets."""
    lines = []
    for line in text.split("\n"):
        if not line.strip():
            lines.append(line)
            continue
        chunks = _chunks(line)
        accented = "".join(c if _PLACEHOLDER.fullmatch(c) else c.translate(_ACCENTS) for c in chunks)
        echo = " ".join("".join(c for c in chunks if not _PLACEHOLDER.fullmatch(c)).split())
        lines.append(f"[{accented} {echo.translate(_ACCENTS)}]")
    return "\n".join(lines)


def mirror(text: str) -> str:
    """Reverse every line (placeholders kept whole) and mark it right-to-left."""
    lines = []
    for line in text.split("\n"):
        chunks = [c if _PLACEHOLDER.fullmatch(c) else c[::-1] for c in reversed(_chunks(line))]
        lines.append(RLM + "".join(chunks) if chunks else line)
    return "\n".join(lines)


def transform(code: str, text: str) -> str:
    if not text:
        return text
    return stretch(text) if code == LONG else mirror(text)


class PseudoTranslations(gettext.NullTranslations):
    """A gettext catalog that pseudo-translates every message it is asked for."""

    def __init__(self, code: str) -> None:
        super().__init__()
        self.code = code

    def gettext(self, message: str) -> str:
        return transform(self.code, message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return transform(self.code, msgid1 if n == 1 else msgid2)


@dataclass
class PseudoTranslator(Translator):
    """A Translator whose UI and content texts are pseudo-translated."""

    def __post_init__(self) -> None:
        self._ui = PseudoTranslations(self.language.code)
        self._content = PseudoTranslations(self.language.code)


__all__ = ["LONG", "RTL", "PseudoTranslator", "is_pseudo", "languages", "mirror", "pseudo_languages",
           "stretch", "translator_for"]
