"""`pan-kiosk i18n extract|update|compile|status`: the gettext workflow in one place."""

from __future__ import annotations

import argparse
from pathlib import Path

from kiosk.i18n import LOCALE_DIR, catalogs
from kiosk.i18n.languages import LANGUAGES


def _content_locale_dirs() -> list[Path]:
    from kiosk.paths import DEFAULT_PACK
    return [DEFAULT_PACK / "locale"]


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("i18n", help="translation catalogs: extract, update, compile, status")
    cmds = parser.add_subparsers(dest="i18n_command", required=True)
    ext = cmds.add_parser("extract", help="write kiosk/i18n/locale/kiosk.pot from the sources")
    ext.set_defaults(func=_extract)
    upd = cmds.add_parser("update", help="extract, then merge the template into every language's .po")
    upd.set_defaults(func=_update)
    comp = cmds.add_parser("compile", help="compile every .po into .mo (UI and content pack)")
    comp.add_argument("--quiet", action="store_true")
    comp.set_defaults(func=_compile)


def _extract(args: argparse.Namespace) -> int:
    pot = LOCALE_DIR / "kiosk.pot"
    catalog = catalogs.extract_ui(LOCALE_DIR.parents[1])
    catalogs.write_template(catalog, pot)
    print(f"{pot}: {len(catalog)} messages")
    return 0


def _update(args: argparse.Namespace) -> int:
    _extract(args)
    template = catalogs.extract_ui(LOCALE_DIR.parents[1])
    for code in LANGUAGES:
        if code == "en":
            continue          # the UI source language
        po = LOCALE_DIR / code / "LC_MESSAGES" / "kiosk.po"
        if po.exists():
            catalogs.update(template, po, LANGUAGES[code].locale)
    return 0


def _compile(args: argparse.Namespace) -> int:
    written = catalogs.compile_dir(LOCALE_DIR, "kiosk")
    for localedir in _content_locale_dirs():
        written += catalogs.compile_dir(localedir, "content")
    if not args.quiet or written:
        print(f"compiled {len(written)} catalog(s)")
    return 0


__all__ = ["LANGUAGES", "register"]
