"""Which guides rely on Service-Public fiches that changed since the version their author read.

Each guide's [[sources]] cite fiches by id (`ref = "F2209"`) with `date`, the dc:date of the version
read, and the guide has `checked`, the day it was last checked. A DILA archive (the daily ZIP of XML
fiches, or a folder of them) holds the versions of its day; only the cited `F<id>.xml` are read, one
member at a time, with the fiche importer's parser. What "changed" means:

- A cited fiche **changed** when its dc:date in the archive is later than the date the guide relies
  on. The same dc:date is the same version, however old the guide's `checked` is; an earlier one (an
  archive older than the copy read) is no change.
- The change came **after the check** when that dc:date is also later than `checked`; otherwise the
  guide was checked while citing a version the archive already superseded (an old stored copy).
- A guide is **stale** when one of its fiches changed. Sources that are not fiches (a decree, a web
  page) are not compared; a cited fiche missing from the archive is listed apart (withdrawn by DILA,
  or not in this copy), without making the guide stale.
- Title and sections say *what* changed, not *whether*: they are compared with the copy the guide was
  checked against, when one is given (`since`, another archive). Title: dc:title, spaces collapsed.
  Sections: the title paths of every Chapitre, SousChapitre and Cas of the fiche's Texte, outermost
  first ("Démarche › Vous êtes salarié"); added and removed are the differences of the two sets (a
  path written twice counts once). The archive's `dateDerniereModificationImportante`, when the fiche
  has one, tells an important change from a minor edit.

`recheck_due` is the age rule: a guide last checked more than `[content] recheck_after_days` ago is
shown to mediators as being re-checked; the visitor still gets it.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from kiosk.content.fiche import Fiche, FicheError, read_fiche
from kiosk.content.model import Pack, Procedure

FICHE_REF = re.compile(r"F[0-9]{1,7}")       # a Service-Public fiche id, as [[sources]] ref
SECTION_TAGS = ("Chapitre", "SousChapitre", "Cas")
SEPARATOR = " › "
MAX_FICHE_BYTES = 32 * 1024 * 1024             # the largest real fiches are about 1 MB of XML
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class ArchiveError(Exception):
    """The archive cannot be read, or a cited fiche in it is not a usable fiche; the message says which."""


@dataclass(frozen=True)
class Snapshot:
    """What a version of a fiche is compared on."""

    id: str
    title: str
    date: dt.date
    important: dt.date | None        # dateDerniereModificationImportante, when the fiche has one
    sections: frozenset[str]


@dataclass(frozen=True)
class FicheChange:
    """A fiche a guide cites whose archived version is newer than the one the guide relies on."""

    ref: str
    relied_on: dt.date
    current: Snapshot
    after_check: bool
    earlier: Snapshot | None = None  # the copy it was checked against (`since`); None: not compared
    since_given: bool = False        # an earlier archive was given (so `earlier` is None: not in it)

    @property
    def title_changed(self) -> bool | None:
        return None if self.earlier is None else self.earlier.title != self.current.title

    @property
    def added(self) -> tuple[str, ...]:
        return () if self.earlier is None else _in_order(self.current.sections - self.earlier.sections)

    @property
    def removed(self) -> tuple[str, ...]:
        return () if self.earlier is None else _in_order(self.earlier.sections - self.current.sections)


@dataclass(frozen=True)
class GuideReport:
    procedure: str
    title: str
    checked: dt.date
    changes: tuple[FicheChange, ...]
    missing: tuple[str, ...]        # cited fiches the archive does not hold

    @property
    def stale(self) -> bool:
        return bool(self.changes)


def _in_order(paths: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(paths))


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def cited_fiches(procedure: Procedure) -> dict[str, dt.date]:
    """Fiche id -> date relied on, for the sources of `procedure` that are fiches (the latest date if
    a fiche is cited twice)."""
    cited: dict[str, dt.date] = {}
    for source in procedure.sources:
        ref = source.ref.strip()
        if FICHE_REF.fullmatch(ref):
            cited[ref] = max(source.date, cited.get(ref, dt.date.min))
    return cited


def sections(root: ET.Element) -> frozenset[str]:
    """Title paths of the Chapitre, SousChapitre and Cas of a fiche's Texte (see the module docstring)."""
    found: set[str] = set()
    texte = root.find("Texte")
    todo: list[tuple[ET.Element, tuple[str, ...]]] = [(texte, ())] if texte is not None else []
    while todo:                                  # no recursion: a fiche may nest deeper than Python
        element, path = todo.pop()
        for child in element:
            if child.tag == "Titre":
                continue
            inner = path
            if child.tag in SECTION_TAGS:
                titre = child.find("Titre")
                title = _clean("".join(titre.itertext())) if titre is not None else ""
                if title:
                    inner = (*path, title)
                    found.add(SEPARATOR.join(inner))
            todo.append((child, inner))
    return frozenset(found)


def snapshot(fiche: Fiche) -> Snapshot:
    important = _DATE.search(fiche.root.get("dateDerniereModificationImportante", ""))
    return Snapshot(id=fiche.id, title=_clean(fiche.title), date=fiche.date,
                    important=dt.date.fromisoformat(important.group(0)) if important else None,
                    sections=sections(fiche.root))


def _checked_fiche(path: Path, ref: str, where: str) -> Snapshot:
    if path.stat().st_size > MAX_FICHE_BYTES:
        raise ArchiveError(f"{where}: more than {MAX_FICHE_BYTES} bytes, too big for a fiche")
    try:
        fiche = read_fiche(path)
    except FicheError as exc:
        raise ArchiveError(f"{where}: {exc}") from None
    if fiche.id != ref:
        raise ArchiveError(f"{where}: holds fiche {fiche.id}, not {ref}")
    return snapshot(fiche)


def _from_folder(folder: Path, refs: Iterable[str]) -> dict[str, Snapshot]:
    found = {}
    for ref in refs:
        path = folder / f"{ref}.xml"
        if path.is_file():
            found[ref] = _checked_fiche(path, ref, str(path))
    return found


def _from_zip(archive: Path, refs: Iterable[str]) -> dict[str, Snapshot]:
    """Reads the cited members only, each through a temporary file the parser opens (never all of it)."""
    wanted = set(refs)
    found: dict[str, Snapshot] = {}
    try:
        with zipfile.ZipFile(archive) as zf, tempfile.TemporaryDirectory(prefix="pan-fiches-") as tmp:
            members: dict[str, zipfile.ZipInfo] = {}
            # The central directory names every member; the deepest come first, so the shallowest
            # copy of a fiche (if the archive has two) is the one kept.
            for info in sorted(zf.infolist(), key=lambda i: i.filename.count("/"), reverse=True):
                name = info.filename.rsplit("/", 1)[-1]
                if name.endswith(".xml") and name.removesuffix(".xml") in wanted and not info.is_dir():
                    members[name.removesuffix(".xml")] = info
            for ref, info in sorted(members.items()):
                where = f"{archive}: {info.filename}"
                if info.file_size > MAX_FICHE_BYTES:
                    raise ArchiveError(f"{where}: more than {MAX_FICHE_BYTES} bytes, too big for a fiche")
                copy = Path(tmp) / f"{ref}.xml"
                with zf.open(info) as member, copy.open("wb") as out:
                    shutil.copyfileobj(member, out)
                found[ref] = _checked_fiche(copy, ref, where)
                copy.unlink()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, NotImplementedError, EOFError,
            RuntimeError) as exc:                  # RuntimeError: an encrypted member
        raise ArchiveError(f"{archive}: not a readable ZIP archive ({exc})") from None
    except OSError as exc:
        raise ArchiveError(f"{archive}: cannot be read ({exc.strerror or exc})") from None
    return found


def read_archive(path: Path, refs: Iterable[str]) -> dict[str, Snapshot]:
    """The fiches `refs` that the archive holds: a folder (`F<id>.xml` at its top) or a ZIP (a member
    named `F<id>.xml`, at any depth). Raises ArchiveError when it or a cited fiche cannot be read."""
    if path.is_dir():
        return _from_folder(path, refs)
    if not zipfile.is_zipfile(path):
        raise ArchiveError(f"{path}: expected the ZIP of Service-Public XML fiches, or a folder of them")
    return _from_zip(path, refs)


def compare(procedure: Procedure, current: Mapping[str, Snapshot],
            earlier: Mapping[str, Snapshot] | None = None) -> GuideReport:
    """What changed in the fiches `procedure` cites, between the versions it relies on and `current`."""
    changes, missing = [], []
    for ref, relied_on in sorted(cited_fiches(procedure).items(), key=lambda item: fiche_order(item[0])):
        now = current.get(ref)
        if now is None:
            missing.append(ref)
        elif now.date > relied_on:
            changes.append(FicheChange(ref=ref, relied_on=relied_on, current=now,
                                       after_check=now.date > procedure.checked,
                                       earlier=(earlier or {}).get(ref), since_given=earlier is not None))
    return GuideReport(procedure=procedure.id, title=procedure.title, checked=procedure.checked,
                       changes=tuple(changes), missing=tuple(missing))


def fiche_order(ref: str) -> int:
    """Sort key of fiche ids by number (F302 before F2209)."""
    return int(ref[1:])


def pack_fiches(pack: Pack) -> set[str]:
    return {ref for proc in pack.procedures.values() for ref in cited_fiches(proc)}


def stale_guides(pack: Pack, archive: Path, since: Path | None = None) -> list[GuideReport]:
    """One report per guide that cites a fiche, in the pack's order. Raises ArchiveError."""
    refs = pack_fiches(pack)
    current = read_archive(archive, refs)
    earlier = read_archive(since, refs) if since is not None else None
    return [compare(proc, current, earlier) for proc in pack.procedures.values() if cited_fiches(proc)]


def recheck_due(checked: dt.date, today: dt.date, after_days: int) -> bool:
    """Whether a guide last checked on `checked` is past its age: more than `after_days` days ago."""
    return (today - checked).days > after_days


# --- the report, as `pan-kiosk content stale` prints it -------------------------------------------

def _change_lines(change: FicheChange) -> list[str]:
    when = ("changed after the guide was checked" if change.after_check
            else "already newer when the guide was checked")
    head = f"  {change.ref}: {change.relied_on.isoformat()} → {change.current.date.isoformat()}, {when}"
    important = change.current.important
    if important is not None:
        head += (f"; last important change {important.isoformat()}" if important > change.relied_on
                 else f"; no important change since (the last one: {important.isoformat()})")
    lines = [head]
    earlier = change.earlier
    if earlier is None:
        why = ("not in the earlier archive" if change.since_given
               else "give --since, the archive the guide was checked against")
        return [*lines, f"    title and sections: not compared ({why})"]
    if earlier.date != change.relied_on:
        lines.append(f"    compared with the copy of {earlier.date.isoformat()} (not the version relied on)")
    lines.append(f"    title: “{earlier.title}” → “{change.current.title}”" if change.title_changed
                 else "    title: unchanged")
    lines += [f"    section added: {path}" for path in change.added]
    lines += [f"    section removed: {path}" for path in change.removed]
    if not change.added and not change.removed:
        lines.append("    sections: unchanged")
    return lines


def format_report(report: GuideReport) -> str:
    """One block: the guide, then each changed fiche, then the cited fiches the archive lacks."""
    lines = [f"{report.procedure} — {report.title} (checked {report.checked.isoformat()})"]
    for change in report.changes:
        lines += _change_lines(change)
    if report.missing:
        lines.append(f"  not in the archive: {', '.join(report.missing)}")
    return "\n".join(lines)
