"""Fonts for receipts: one TrueType font per script, found through fontconfig, registered lazily.

reportlab has no font fallback and embeds only TrueType outlines (Noto CJK .ttc is CFF: refused),
so text is cut into runs per script and each run gets its script's font (see textflow).
Fonts come from Debian's fonts-noto-core and fonts-wqy-microhei; paths are asked from fc-match,
with a search of the usual font directories when fontconfig is absent.
"""

from __future__ import annotations

import logging
import subprocess
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

log = logging.getLogger(__name__)


class Script(StrEnum):
    LATIN = "latin"          # also Cyrillic, Greek, punctuation, digits
    ARABIC = "arabic"        # Arabic, Persian, Pashto, Urdu
    TAMIL = "tamil"
    BENGALI = "bengali"
    CJK = "cjk"


# (fontconfig family, file names to look for when fontconfig cannot tell) per script and weight.
FAMILIES: dict[Script, tuple[tuple[str, tuple[str, ...]], ...]] = {
    Script.LATIN: (("Noto Sans", ("NotoSans-{w}.ttf",)), ("DejaVu Sans", ("DejaVuSans{b}.ttf",))),
    Script.ARABIC: (("Noto Sans Arabic", ("NotoSansArabic-{w}.ttf",)),
                    ("Noto Naskh Arabic", ("NotoNaskhArabic-{w}.ttf",))),
    Script.TAMIL: (("Noto Sans Tamil", ("NotoSansTamil-{w}.ttf",)),),
    Script.BENGALI: (("Noto Sans Bengali", ("NotoSansBengali-{w}.ttf",)),),
    Script.CJK: (("WenQuanYi Micro Hei", ("wqy-microhei.ttc",)), ("WenQuanYi Zen Hei", ("wqy-zenhei.ttc",))),
}
FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))

_RANGES: tuple[tuple[int, int, Script], ...] = (
    (0x0600, 0x06FF, Script.ARABIC), (0x0750, 0x077F, Script.ARABIC), (0x08A0, 0x08FF, Script.ARABIC),
    (0xFB50, 0xFDFF, Script.ARABIC), (0xFE70, 0xFEFF, Script.ARABIC),
    (0x0980, 0x09FF, Script.BENGALI), (0x0B80, 0x0BFF, Script.TAMIL),
    (0x2E80, 0x2FDF, Script.CJK), (0x3000, 0x30FF, Script.CJK), (0x3100, 0x31FF, Script.CJK),
    (0x3400, 0x4DBF, Script.CJK), (0x4E00, 0x9FFF, Script.CJK), (0xF900, 0xFAFF, Script.CJK),
    (0xFF00, 0xFFEF, Script.CJK), (0x20000, 0x2FFFF, Script.CJK),
)


@lru_cache(maxsize=8192)
def script_of(char: str) -> Script | None:
    """The script whose font must draw `char`; None for neutrals (spaces, punctuation, digits…)."""
    code = ord(char)
    for low, high, script in _RANGES:
        if low <= code <= high:
            return script
    category = unicodedata.category(char)
    if category[0] in "LM":
        return Script.LATIN
    return None


@dataclass(frozen=True)
class FontFile:
    path: Path
    index: int = 0


def _fc_match(family: str, bold: bool) -> FontFile | None:
    pattern = f"{family}:style={'Bold' if bold else 'Regular'}"
    try:
        out = subprocess.run(["fc-match", "-f", "%{family}\t%{file}\t%{index}", pattern],
                             capture_output=True, text=True, timeout=10, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    families, _, rest = out.partition("\t")
    file, _, index = rest.partition("\t")
    if family.lower() not in (f.strip().lower() for f in families.split(",")):
        return None                       # fontconfig substituted another family
    return FontFile(Path(file), int(index or 0))


def _search(names: Sequence[str], bold: bool, dirs: Sequence[Path]) -> FontFile | None:
    for pattern in names:
        name = pattern.format(w="Bold" if bold else "Regular", b="-Bold" if bold else "")
        for root in dirs:
            for path in sorted(root.rglob(name)) if root.is_dir() else ():
                return FontFile(path)
    return None


def locate(script: Script, bold: bool, dirs: Sequence[Path] = FONT_DIRS) -> Iterator[FontFile]:
    """Candidate files for a script, best first (bold falls back to regular); lazy, since each
    fontconfig query is a process."""
    for weight in (bold, False) if bold else (False,):
        for family, names in FAMILIES[script]:
            hit = _fc_match(family, weight)
            if hit is None or not hit.path.is_file():
                hit = _search(names, weight, dirs)
            if hit is not None and hit.path.is_file():
                yield hit


class FontMissingError(RuntimeError):
    pass


@dataclass
class FontBook:
    """Registers one reportlab font per (script, bold) on first use. Build one per process and
    pass it around: loading WenQuanYi takes about 0.1 s."""

    locator: Callable[[Script, bool], Iterable[FontFile]] = locate
    _names: dict[tuple[Script, bool], str] = field(default_factory=dict)
    _fonts: dict[str, TTFont] = field(default_factory=dict)

    def font(self, script: Script, bold: bool = False) -> str:
        key = (script, bold)
        if key not in self._names:
            self._names[key] = self._register(script, bold)
        return self._names[key]

    def _register(self, script: Script, bold: bool) -> str:
        for candidate in self.locator(script, bold):
            name = f"PanKiosk-{candidate.path.stem}-{candidate.index}"
            if name in self._fonts:
                return name
            try:
                font = TTFont(name, str(candidate.path), subfontIndex=candidate.index)
            except (TTFError, OSError) as exc:
                log.warning("font %s unusable: %s", candidate.path, exc)
                continue
            if name not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(font)
            self._fonts[name] = pdfmetrics.getFont(name)
            return name
        if script is not Script.LATIN:
            log.error("no font for %s text: using the Latin font", script.value)
            return self.font(Script.LATIN, bold)
        raise FontMissingError("no usable TrueType font for Latin text (install fonts-noto-core)")

    def has_glyph(self, name: str, char: str) -> bool:
        font = self._fonts.get(name)
        return font is not None and ord(char) in font.face.charToGlyph

    def for_char(self, char: str, bold: bool, prefer: Script | None) -> str:
        """The font for a character: its script's, or for a neutral the preferred script's font when
        it has the glyph, else the first font that has it."""
        script = script_of(char)
        if script is not None:
            return self.font(script, bold)
        order = [prefer] if prefer is not None else []
        order += [s for s in Script if s not in order]
        for candidate in order:
            name = self.font(candidate, bold)
            if self.has_glyph(name, char):
                return name
        return self.font(Script.LATIN, bold)
