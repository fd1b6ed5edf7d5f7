"""`pan-kiosk content check|list|extract|import-fiche|stale …`: tools for content authors.

Other modules add subcommands to the `content` group through CONTENT_MODULES (each exposes
`register_content(cmds)`), so the group is declared once.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from kiosk.cli.arguments import (
    CommandError,
    fail,
    input_dir,
    input_file,
    input_path,
    output_file,
    problems_line,
)
from kiosk.content.model import Pack
from kiosk.content.pack import ID, PackError, load_pack
from kiosk.paths import DEFAULT_PACK

CONTENT_MODULES: tuple[str, ...] = ("kiosk.cli.content_sync_cmd",)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("content", help="content packs: check, list, extract, …")
    cmds = parser.add_subparsers(dest="content_command", required=True, metavar="COMMAND")
    check = cmds.add_parser("check", help="validate a content pack (exit 2 on error)")
    check.add_argument("pack", type=input_dir, nargs="?", default=DEFAULT_PACK)
    check.set_defaults(func=_check)
    listing = cmds.add_parser("list", help="one line per guide: id, title, sources, checked date")
    listing.add_argument("pack", type=input_dir, nargs="?", default=DEFAULT_PACK)
    listing.set_defaults(func=_list)
    extract = cmds.add_parser("extract", help="write PACK/locale/content.pot from every text of the pack")
    extract.add_argument("pack", type=input_dir, nargs="?", default=DEFAULT_PACK)
    extract.add_argument("--update", action="store_true",
                         help="also merge the template into every locale/<lang>/LC_MESSAGES/content.po")
    extract.set_defaults(func=_extract)
    fiche = cmds.add_parser("import-fiche", help="draft a procedure TOML from a Service-Public XML fiche")
    fiche.add_argument("fiche", type=input_file, help="the fiche, e.g. F2209.xml")
    fiche.add_argument("-o", "--output", type=output_file,
                       help="write the draft here instead of standard output")
    fiche.add_argument("--id", type=_procedure_id, help="procedure id (default: the fiche id in lowercase)")
    fiche.set_defaults(func=_import_fiche)
    stale = cmds.add_parser("stale", help="the guides whose Service-Public fiches changed since the version "
                                          "they rely on (exit 1 if any)")
    stale.add_argument("dump", type=input_path, metavar="DUMP",
                       help="the Service-Public archive: the daily ZIP of XML fiches, or a folder of them")
    stale.add_argument("--pack", type=input_dir, default=DEFAULT_PACK,
                       help="the content pack (default: the one shipped)")
    stale.add_argument("--since", type=input_path, metavar="OLD_DUMP",
                       help="the archive the guides were checked against: also say which titles and "
                            "sections changed")
    stale.set_defaults(func=_stale)
    for name in CONTENT_MODULES:
        importlib.import_module(name).register_content(cmds)


def _procedure_id(text: str) -> str:
    if not ID.fullmatch(text):
        raise argparse.ArgumentTypeError(f"{text!r}: lowercase letters, digits, '_' and '-' (at most 64)")
    return text


def load(path: Path) -> Pack:
    """The pack at `path`; a CommandError in one line if it has problems (`content check` lists them)."""
    try:
        return load_pack(path)
    except PackError as exc:
        raise CommandError(problems_line(path, exc.problems, str(exc),
                                         f"pan-kiosk content check {path}")) from None


def _check(args: argparse.Namespace) -> int:
    try:
        pack = load_pack(args.pack)
    except PackError as exc:
        return fail(problems_line(args.pack, exc.problems, str(exc), ""))   # every problem: its job
    print(f"{args.pack}: OK, {len(pack.procedures)} procedures, version {pack.version}, "
          f"hash {pack.short_hash}")
    return 0


def _list(args: argparse.Namespace) -> int:
    pack = load(args.pack)
    for proc in pack.procedures.values():
        sources = ",".join(s.ref for s in proc.sources)
        print(f"{proc.id}\t{proc.title}\t{sources}\t{proc.checked.isoformat()}")
    return 0


def _extract(args: argparse.Namespace) -> int:
    from kiosk.content.extract import update_translations, write_template

    pack = load(args.pack)
    try:
        path, catalog = write_template(pack)
        print(f"{path}: {len(catalog)} messages")
        if args.update:
            for po in update_translations(pack, catalog):
                print(f"updated {po}")
    except OSError as exc:
        raise CommandError(f"cannot write the catalogs of {args.pack}: {exc}") from None
    return 0


def _import_fiche(args: argparse.Namespace) -> int:
    from kiosk.content.fiche import FicheError, draft_procedure, read_fiche

    try:
        fiche = read_fiche(args.fiche)
    except FicheError as exc:
        return fail(f"{args.fiche}: {exc}")
    draft = draft_procedure(fiche, procedure_id=args.id)
    if args.output:
        try:
            args.output.write_text(draft, encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"cannot write the draft: {exc}") from None
        print(f"{args.output}: draft of {fiche.id} ({fiche.date.isoformat()}), "
              f"{draft.count('[[steps]]')} steps to review")
    else:
        sys.stdout.write(draft)
    return 0


def _stale(args: argparse.Namespace) -> int:
    """One block per stale guide (kiosk.content.stale says what "changed" means); exit 1 if any."""
    from kiosk.content.stale import ArchiveError, fiche_order, format_report, pack_fiches, stale_guides

    pack = load(args.pack)
    cited = pack_fiches(pack)
    if not cited:
        print(f"{args.pack}: no guide cites a Service-Public fiche (F<id>), nothing to compare")
        return 0
    try:
        reports = stale_guides(pack, args.dump, args.since)
    except ArchiveError as exc:
        return fail(str(exc))
    missing = sorted({ref for report in reports for ref in report.missing}, key=fiche_order)
    if len(missing) == len(cited):
        return fail(f"{args.dump}: holds none of the {len(cited)} fiches the pack cites "
                    f"({', '.join(missing)}); expected Service-Public XML fiches named F<id>.xml")
    stale = [report for report in reports if report.stale]
    for report in stale:
        print(format_report(report), end="\n\n")
    if missing:
        print(f"not in the archive (withdrawn, or not in this copy): {', '.join(missing)}")
    found = len(cited) - len(missing)
    print(f"{len(stale)} of the {len(reports)} guides that cite fiches are stale; {found} of the "
          f"{len(cited)} fiches they cite are in {args.dump}")
    return 1 if stale else 0
