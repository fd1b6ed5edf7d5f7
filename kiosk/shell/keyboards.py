"""On-screen keyboard layouts, as data: rows of key labels per layout, and which layout each language uses.

Special keys: SHIFT, BACKSPACE, SPACE, ENTER, SWITCH (to the Latin layout and back: email addresses
and the official site's fields are Latin even for a visitor who writes Arabic) and NUMBERS. Their
symbols are what the keys show; NAMES are what a screen reader says (translated where shown).

SHIFTED: what a key types while Shift is on, where it is not the letter's capital. The Arabic and
Persian layouts reach their other letter forms there, where the usual PC layouts have them (Arabic
101: ا→أ, غ→إ, ى→آ; Persian ISIRI 9147: ا→آ, ل→أ, ب→إ, س→ئ, ش→ؤ, پ→ء, and the Arabic ي and ك on ی
and ظ); ؤ ئ ء are keys of the Arabic layout, ی and ک of the Persian one. DIGITS: the numbers pad shows
the visitor's own digits beside 0-9 and types 0-9 (what the official site's fields and the receipt
want; a kiosk field keeps any digit typed elsewhere as 0-9).
"""

from __future__ import annotations

from kiosk.i18n import N_

SHIFT, BACKSPACE, SPACE, ENTER, SWITCH, NUMBERS = "⇧", "⌫", "␣", "⏎", "ABC", "123"
SPECIAL = {SHIFT, BACKSPACE, SPACE, ENTER, SWITCH, NUMBERS}
NAMES = {SHIFT: N_("Shift"), BACKSPACE: N_("Delete"), SPACE: N_("Space"), ENTER: N_("Enter"),
         NUMBERS: N_("Numbers")}
LETTERS, LATIN_LETTERS = N_("Letters"), N_("Latin letters")      # SWITCH: to the language's or to Latin
KEYBOARD = N_("Keyboard")

Layout = tuple[tuple[str, ...], ...]

LAYOUTS: dict[str, Layout] = {
    "azerty": (
        tuple("azertyuiop"), tuple("qsdfghjklm"), (SHIFT, *"wxcvbn", "@", ".", BACKSPACE),
        (NUMBERS, "-", "_", SPACE, "é", "è", ENTER)),
    "qwerty": (
        tuple("qwertyuiop"), tuple("asdfghjkl"), (SHIFT, *"zxcvbnm", "@", ".", BACKSPACE),
        (NUMBERS, "-", "_", SPACE, "'", ENTER)),
    "arabic": (
        tuple("ضصثقفغعهخحج"), tuple("شسيبلاتنمكط"), (*"ئءؤرىةوزظد", BACKSPACE),
        (NUMBERS, SWITCH, SHIFT, "ذ", SPACE, "،", ".", ENTER)),
    "persian": (
        tuple("ضصثقفغعهخحج"), tuple("شسیبلاتنمکگ"), (*"ظطزرذدپوچ", BACKSPACE),
        (NUMBERS, SWITCH, SHIFT, "ژ", SPACE, "،", ".", ENTER)),
    "pashto": (
        tuple("ضصثقفغعهخحج"), tuple("شسیبلاتنمکګ"), (*"ظطزرذدپوځچ", BACKSPACE),
        (NUMBERS, SWITCH, "ښ", "ړ", SPACE, "ټ", "ډ", "ڼ", ENTER)),
    "russian": (
        tuple("йцукенгшщзх"), tuple("фывапролджэ"), (SHIFT, *"ячсмитьбю", BACKSPACE),
        (NUMBERS, SWITCH, "ъ", SPACE, "ё", ".", ENTER)),
    "ukrainian": (
        tuple("йцукенгшщзх"), tuple("фівапролджє"), (SHIFT, *"ячсмитьбю", BACKSPACE),
        (NUMBERS, SWITCH, "ї", SPACE, "ґ", "'", ENTER)),
    "turkish": (
        tuple("qwertyuıopğü"), tuple("asdfghjklşi"), (SHIFT, *"zxcvbnmöç", BACKSPACE),
        (NUMBERS, "@", SPACE, ".", "-", ENTER)),
    "numeric": (
        tuple("123"), tuple("456"), tuple("789"), ("+", "0", BACKSPACE), (SWITCH, SPACE, ENTER)),
}

SHIFTED: dict[str, dict[str, str]] = {
    "arabic": {"ا": "أ", "غ": "إ", "ى": "آ"},
    "persian": {"ا": "آ", "ل": "أ", "ب": "إ", "س": "ئ", "ش": "ؤ", "پ": "ء", "ی": "ي", "ظ": "ك", "ت": "ة"},
}
DIGITS = {"arabic": "٠١٢٣٤٥٦٧٨٩", "persian": "۰۱۲۳۴۵۶۷۸۹", "pashto": "۰۱۲۳۴۵۶۷۸۹"}
SWITCH_LABELS = {"arabic": "ع", "persian": "فا", "pashto": "پښ", "russian": "Я", "ukrainian": "Ї",
                 "turkish": "Ş", "qwerty": "ABC", "azerty": "ABC"}
LATIN = "azerty"            # the keyboard of the French official site's fields
BY_LANGUAGE = {"fr": "azerty", "en": "qwerty", "ar": "arabic", "fa": "persian", "ps": "pashto",
               "ru": "russian", "uk": "ukrainian", "tr": "turkish", "es": "qwerty", "pt": "qwerty",
               "wo": "azerty", "zh": "qwerty", "ta": "qwerty", "bn": "qwerty"}


def layout_for(language: str) -> str:
    return BY_LANGUAGE.get(language, LATIN)
