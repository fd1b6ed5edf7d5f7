"""The languages the kiosk knows: code, native name (CLDR), direction, font, voice.

Native names come from Babel's CLDR data so they are spelled as speakers spell them; the picker shows
them without flags (a flag is a country, not a language). Where CLDR's display name is not what speakers
call their language (CLDR names fa_AF "فارسی (افغانستان)", Afghans say "دری"), `name` overrides it.

`voice` is the espeak-ng voice, or None when espeak-ng has none (Pashto, Wolof): the kiosk then says so
and offers `listen_in`, languages whose voice most of those speakers understand.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class Language:
    code: str            # gettext catalog code
    locale: str          # Babel/CLDR locale for names, dates, numbers
    rtl: bool
    font: str            # preferred font family (fontconfig falls back for other scripts)
    voice: str | None    # espeak-ng voice, None when no usable voice exists
    english_name: str
    name: str | None = None              # native name when CLDR's is not the one speakers use
    listen_in: tuple[str, ...] = ()      # languages to offer for read-aloud when voice is None

    @property
    def native_name(self) -> str:
        return self.name or native_name(self.locale)


@cache
def native_name(locale: str) -> str:
    from babel import Locale  # CLDR data loads on first use, not at start-up

    name = Locale.parse(locale).get_display_name(locale) or locale
    return name[:1].upper() + name[1:]


_ALL = (
    Language("fr", "fr_FR", False, "Noto Sans", "fr", "French", name="Français"),
    Language("en", "en_GB", False, "Noto Sans", "en", "English", name="English"),
    Language("ar", "ar", True, "Noto Sans Arabic", "ar", "Arabic"),
    Language("fa", "fa_AF", True, "Noto Sans Arabic", "fa", "Dari / Persian", name="دری"),
    Language("ps", "ps", True, "Noto Sans Arabic", None, "Pashto", listen_in=("fa", "en", "fr")),
    Language("tr", "tr", False, "Noto Sans", "tr", "Turkish"),
    Language("zh", "zh_Hans", False, "WenQuanYi Micro Hei", "cmn", "Chinese (simplified)", name="简体中文"),
    Language("es", "es", False, "Noto Sans", "es-419", "Spanish"),   # most visitors: Latin America
    Language("pt", "pt", False, "Noto Sans", "pt-br", "Portuguese"),  # the catalogs are Brazilian
    Language("ru", "ru", False, "Noto Sans", "ru", "Russian"),
    Language("uk", "uk", False, "Noto Sans", "uk", "Ukrainian"),
    Language("ta", "ta", False, "Noto Sans Tamil", "ta", "Tamil"),
    Language("bn", "bn", False, "Noto Sans Bengali", "bn", "Bengali"),
    Language("wo", "wo", False, "Noto Sans", None, "Wolof", listen_in=("fr",)),
)

LANGUAGES: dict[str, Language] = {lang.code: lang for lang in _ALL}
