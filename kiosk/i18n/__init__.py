"""Translation for the kiosk: gettext catalogs (domains "kiosk" and "content") and Babel formatting.

Nothing is installed into builtins and there is no "current language" global: whoever shows text holds
a `Translator` for the visitor's language and calls `tr()`. Strings defined before a language is known
are marked with `N_()` and translated where they are shown.
"""

from __future__ import annotations

import copy
import datetime as dt
import gettext
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from kiosk.i18n.languages import LANGUAGES, Language

LOCALE_DIR = Path(__file__).parent / "locale"

LRI, RLI, FSI, PDI = "\u2066", "\u2067", "\u2068", "\u2069"


def N_(message: str) -> str:
    """Mark a string for extraction; it is translated where it is shown."""
    return message


def isolate(text: str) -> str:
    """Wrap user data or a foreign-direction fragment so it cannot reorder the sentence around it."""
    return f"{FSI}{text}{PDI}"


def _load(domain: str, code: str, localedir: Path) -> gettext.NullTranslations:
    return gettext.translation(domain, localedir=str(localedir), languages=[code], fallback=True)


@cache
def _french_ui() -> gettext.NullTranslations:
    """The French UI catalog: the original the "FR" toggle shows under an interface text."""
    return _load("kiosk", "fr", LOCALE_DIR)


@dataclass
class Translator:
    """Translations and formats for one language. Cheap to keep; catalogs load once."""

    language: Language
    content_dir: Path | None = None
    show_source: bool = False      # content also shown in French (the language of the official site)
    _ui: gettext.NullTranslations = field(init=False, repr=False)
    _content: gettext.NullTranslations = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._ui = _load("kiosk", self.language.code, LOCALE_DIR)
        self._content = (_load("content", self.language.code, self.content_dir)
                         if self.content_dir else gettext.NullTranslations())

    @property
    def code(self) -> str:
        return self.language.code

    @property
    def rtl(self) -> bool:
        return self.language.rtl

    @property
    def lead(self) -> str:
        """A mark that gives a line starting with isolated foreign text (a French label, a file name)
        the reading direction of this language."""
        return "\u200f" if self.language.rtl else "\u200e"

    def tr(self, message: str, /, **values: object) -> str:
        text = self._ui.gettext(message)
        return text.format(**values) if values else text

    def text(self, message: str, /, **values: object) -> str:
        """An interface text the visitor reads on a guide page (a heading, an explanation, the practice
        guide's pages): tr(), and with `show_source` (the "FR" toggle) its French on its own line,
        isolated, as for content texts. Controls (buttons, accessible names) keep tr(). A date value is
        written in each language's own format."""
        text = self.tr(message, **{k: isolate(self.date(v)) if isinstance(v, dt.date) else v
                                   for k, v in values.items()})
        if not self.show_source or self.language.code == "fr":
            return text
        from babel.dates import format_date
        french = _french_ui().gettext(message)
        french = french.format(**{k: format_date(v, format="long", locale="fr_FR")
                                  if isinstance(v, dt.date) else v for k, v in values.items()})
        return f"{text}\n{isolate(french)}" if french != text else text

    def trn(self, singular: str, plural: str, n: int, /, **values: object) -> str:
        text = self._ui.ngettext(singular, plural, n)
        return text.format(n=n, **values)

    def content(self, message: str) -> str:
        """Translate a text of the content pack (the French source is the msgid).

        With `show_source`, the French original follows the translation on its own line, isolated so
        that it keeps its own direction inside a right-to-left page.
        """
        if not message:
            return message
        text = self._content.gettext(message)
        if self.show_source and text != message:
            return f"{text}\n{isolate(message)}"
        return text

    def with_source(self, show: bool) -> Translator:
        """The same language, with or without the French original beside each content text."""
        if show == self.show_source:
            return self
        twin = copy.copy(self)
        twin.show_source = show
        return twin

    def date(self, value: dt.date) -> str:
        from babel.dates import format_date  # CLDR data loads on first use, not at start-up
        return format_date(value, format="long", locale=self.language.locale)

    def month_name(self, month: int) -> str:
        from babel.dates import get_month_names
        return str(get_month_names("wide", context="stand-alone", locale=self.language.locale)[month])

    def money(self, amount_eur: float) -> str:
        from babel.numbers import format_currency
        return format_currency(amount_eur, "EUR", locale=self.language.locale)

    def datetime(self, value: dt.datetime) -> str:
        from babel.dates import format_datetime
        return format_datetime(value, format="medium", locale=self.language.locale)


class Translators:
    """Keeps one Translator per language for the running kiosk (built by the composition root)."""

    def __init__(self, content_dir: Path | None, languages: Mapping[str, Language] = LANGUAGES) -> None:
        self._content_dir = content_dir
        self.languages = languages          # the registry, plus the pseudo-locales when enabled
        self._cache: dict[str, Translator] = {}

    def get(self, code: str) -> Translator:
        if code not in self._cache:
            from kiosk.i18n.pseudo import translator_for  # pseudo builds on Translator: imported late
            self._cache[code] = translator_for(self.languages[code], self._content_dir)
        return self._cache[code]

    def set_content_dir(self, content_dir: Path | None) -> None:
        self._content_dir = content_dir
        self._cache.clear()


__all__ = ["LANGUAGES", "N_", "Language", "Translator", "Translators", "isolate"]
