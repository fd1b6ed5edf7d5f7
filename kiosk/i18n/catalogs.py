"""Catalog maintenance with Babel: extract (.pot), update (.po from .pot), compile (.mo), check.

Two domains: "kiosk" (the UI, extracted from the Python sources) and "content" (extracted from a
content pack by kiosk.content.extract). Both use the same workflow and the same checks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


KEYWORDS = {"tr": None, "trn": (1, 2), "N_": None}


def extract_ui(package_dir: Path) -> Catalog:
    """Every translatable string of the kiosk's Python sources (keywords tr, trn, N_)."""
    from babel.messages.extract import extract_from_dir

    catalog = Catalog(project="pan-kiosk", domain="kiosk", msgid_bugs_address="",
                      copyright_holder="PAN Kiosk contributors")
    for filename, lineno, message, comments, context in extract_from_dir(
            str(package_dir), method_map=[("**.py", "python")], keywords=KEYWORDS,
            comment_tags=("TRANSLATORS:",), strip_comment_tags=True):
        catalog.add(message, None, [(f"kiosk/{filename}", lineno)], auto_comments=comments,
                    context=context)
    return catalog


def write_template(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        write_po(f, catalog, width=100, omit_header=False, sort_output=False)


def po_files(localedir: Path, domain: str) -> list[Path]:
    return sorted(localedir.glob(f"*/LC_MESSAGES/{domain}.po"))


def read(path: Path) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, abort_invalid=True)


def compile_dir(localedir: Path, domain: str) -> list[Path]:
    """Compile every <lang>/LC_MESSAGES/<domain>.po under localedir; return the .mo files written."""
    written = []
    for po in po_files(localedir, domain):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        catalog = read(po)
        with mo.open("wb") as f:
            write_mo(f, catalog, use_fuzzy=False)
        written.append(mo)
    return written


def update(pot: Catalog, po: Path, locale: str) -> None:
    """Merge a template into one language's catalog (creating it if needed)."""
    if po.exists():
        catalog = read(po)
        catalog.update(pot, update_header_comment=False)
    else:
        catalog = Catalog(locale=locale, domain=po.stem)
        catalog.update(pot)
    po.parent.mkdir(parents=True, exist_ok=True)
    with po.open("wb") as f:
        write_po(f, catalog, width=100, ignore_obsolete=True)


@dataclass(frozen=True)
class CatalogStatus:
    translated: int
    total: int
    fuzzy: int
    problems: tuple[str, ...]

    @property
    def complete(self) -> bool:
        return self.translated == self.total and not self.fuzzy and not self.problems


def status(po: Path, template_ids: set[str] | None = None) -> CatalogStatus:
    """Count translated entries and find placeholder mismatches and fuzzy entries."""
    catalog = read(po)
    total = translated = fuzzy = 0
    problems = []
    for message in catalog:
        if not message.id:
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        if template_ids is not None and msgid not in template_ids:
            continue
        total += 1
        if message.fuzzy:
            fuzzy += 1
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        if all(strings):
            translated += 1
        wanted = set(PLACEHOLDER.findall(msgid))
        if isinstance(message.id, (list, tuple)):
            wanted |= set(PLACEHOLDER.findall(message.id[1]))
        for s in strings:
            if s and set(PLACEHOLDER.findall(s)) - wanted:
                problems.append(f"{po}: placeholders differ for {msgid!r}")
            if s and not isinstance(message.id, (list, tuple)) and set(PLACEHOLDER.findall(s)) != wanted:
                problems.append(f"{po}: placeholders differ for {msgid!r}")
    return CatalogStatus(translated, total, fuzzy, tuple(dict.fromkeys(problems)))
