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


def template_ids(template: Catalog) -> set[str]:
    """The msgids of a template (the singular msgid for plural entries)."""
    return {_singular(m.id) for m in template if m.id}


def status(po: Path, template_ids: set[str] | None = None, locale: str | None = None) -> CatalogStatus:
    """Count translated entries; list fuzzy entries, placeholder mismatches and missing plural forms.

    With `template_ids`, the total is the template's: a text of the template that the catalog lacks
    counts as untranslated (and is named), entries the template no longer has are ignored. With
    `locale`, the catalog's number of plural forms must be CLDR's for that locale.
    """
    catalog = read(po)
    problems: list[str] = []
    if catalog.fuzzy:
        problems.append(f"{po}: the header is marked fuzzy (its plural forms would be ignored)")
    if locale is not None:
        wanted_plurals = Catalog(locale=locale).num_plurals
        if catalog.num_plurals != wanted_plurals:
            problems.append(f"{po}: {catalog.num_plurals} plural forms, CLDR has {wanted_plurals} "
                            f"for {locale}")
    translated = fuzzy = 0
    seen: set[str] = set()
    for message in catalog:
        msgid = _singular(message.id) if message.id else ""
        if not msgid or (template_ids is not None and msgid not in template_ids):
            continue
        seen.add(msgid)
        if message.fuzzy:
            fuzzy += 1
            problems.append(f"{po}: fuzzy entry {msgid!r}")
        raw = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        strings = [s or "" for s in raw]
        if all(strings):
            translated += 1
        problems += [f"{po}: {p} in {msgid!r}" for p in message_problems(message.id, strings,
                                                                            catalog.num_plurals)]
    total = len(seen)
    if template_ids is not None:
        missing = sorted(template_ids - seen)
        total = len(template_ids)
        problems += [f"{po}: missing entry {m!r}" for m in missing]
    return CatalogStatus(translated, total, fuzzy, tuple(dict.fromkeys(problems)))


ANY_FIELD = re.compile(r"\{([^{}]*)\}")


def message_problems(msgid: object, strings: list[str], num_plurals: int) -> list[str]:
    """What is wrong with one entry's translations (empty strings are untranslated, not wrong).

    Singular entries keep exactly the source's named placeholders. Plural entries may drop `{n}` in
    the forms where the number is a word ("one second", Arabic "two seconds"), but every form keeps
    the other placeholders and the last form (CLDR "other") keeps them all.
    """
    plural = isinstance(msgid, (list, tuple))
    ids = [str(i) for i in msgid] if isinstance(msgid, (list, tuple)) else [str(msgid)]
    source = set().union(*(PLACEHOLDER.findall(i) for i in ids))
    problems = []
    if plural and len(strings) != num_plurals:
        problems.append(f"{len(strings)} plural forms instead of {num_plurals}")
    for index, text in enumerate(strings):
        if not text:
            continue
        found = set(PLACEHOLDER.findall(text))
        unnamed = [f for f in ANY_FIELD.findall(text.replace("{{", "").replace("}}", ""))
                   if not PLACEHOLDER.fullmatch("{" + f + "}")]
        if unnamed:
            problems.append("placeholders must be named: " + ", ".join("{" + f + "}" for f in unnamed))
        last = index == len(strings) - 1
        need = source if (not plural or last) else source - {"n"}
        if found - source or need - found:
            problems.append(f"placeholders differ: {sorted(found)} instead of {sorted(need)}")
        if not _formats(text, source):
            problems.append("braces do not balance")
    return problems


def _formats(text: str, names: set[str]) -> bool:
    try:
        text.format(**dict.fromkeys(names, "x"))
    except (KeyError, ValueError, IndexError, AttributeError):
        return False
    return True


def _singular(msgid: object) -> str:
    return str(msgid[0]) if isinstance(msgid, (list, tuple)) else str(msgid)
