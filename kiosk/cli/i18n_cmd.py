"""`pan-kiosk i18n extract|update|compile|status|check`: the gettext workflow in one place.

`status` prints one line per language of the registry (tab-separated): code, native name, direction,
UI translated/total, content translated/total, voice. `check` exits 1 when any catalog is missing,
incomplete, fuzzy or has placeholders that differ from the source, and names each problem.
The UI total comes from a fresh extraction of the sources, the content total from the pack's template.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from kiosk.cli.arguments import CommandError, fail, output_file
from kiosk.i18n import LOCALE_DIR, catalogs
from kiosk.i18n.languages import LANGUAGES, Language
from kiosk.paths import ASSETS
from kiosk.speech.recordings import RecordingBook

UI_SOURCE = "en"          # the UI msgids are English
CONTENT_SOURCE = "fr"     # the content msgids are French


def _content_locale_dirs() -> list[Path]:
    from kiosk.paths import DEFAULT_PACK
    return [DEFAULT_PACK / "locale"]


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("i18n", help="translation catalogs: extract, update, compile, status")
    cmds = parser.add_subparsers(dest="i18n_command", required=True, metavar="COMMAND")
    ext = cmds.add_parser("extract", help="write kiosk/i18n/locale/kiosk.pot from the sources")
    ext.set_defaults(func=_extract)
    upd = cmds.add_parser("update", help="extract, then merge the template into every language's .po")
    upd.set_defaults(func=_update)
    comp = cmds.add_parser("compile", help="compile every .po into .mo (UI and content pack)")
    comp.add_argument("--quiet", action="store_true")
    comp.set_defaults(func=_compile)
    st = cmds.add_parser("status", help="one line per language: names, direction, UI and content "
                                        "translated/total, voice")
    st.set_defaults(func=_status)
    audio = cmds.add_parser("audio-script", help="what a speaker must record for a language without a "
                                                "synthetic voice (CSV)",
                            description="What a speaker must record for a language without a synthetic "
                                        "voice, as CSV: file, text on screen, context, recordable, recorded.")
    audio.add_argument("language", help="language code, e.g. ps")
    audio.add_argument("--out", type=output_file, default=None, help="CSV file (default: standard output)")
    audio.set_defaults(func=_audio_script)
    chk = cmds.add_parser("check", help="fail (exit 1) when a catalog is missing, incomplete or wrong",
                          description="Fail (exit 1) when a catalog is missing, incomplete, fuzzy or has "
                                      "placeholders that differ from the source; name each problem.")
    chk.add_argument("--domain", choices=("all", "ui", "content"), default="all")
    chk.set_defaults(func=_check)


def _writing(path: object, exc: OSError) -> CommandError:
    return CommandError(f"cannot write {path}: {exc.strerror or exc}")


def _extract(args: argparse.Namespace) -> int:
    pot = LOCALE_DIR / "kiosk.pot"
    catalog = catalogs.extract_ui(LOCALE_DIR.parents[1])
    try:
        catalogs.write_template(catalog, pot)
    except OSError as exc:
        raise _writing(pot, exc) from None
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
            try:
                catalogs.update(template, po, LANGUAGES[code].locale)
            except OSError as exc:
                raise _writing(po, exc) from None
    return 0


def _compile(args: argparse.Namespace) -> int:
    try:
        written = catalogs.compile_dir(LOCALE_DIR, "kiosk")
        for localedir in _content_locale_dirs():
            written += catalogs.compile_dir(localedir, "content")
    except OSError as exc:
        raise _writing(exc.filename or LOCALE_DIR, exc) from None
    if not args.quiet or written:
        print(f"compiled {len(written)} catalog(s)")
    return 0


@dataclass(frozen=True)
class DomainStatus:
    """One language's catalog in one domain; `status` is None for the source language."""

    domain: str
    po: Path
    status: catalogs.CatalogStatus | None
    present: bool

    def cell(self) -> str:
        if self.status is None:
            return "source"
        if not self.present:
            return "missing"
        mark = "" if self.status.complete else "!"
        return f"{self.status.translated}/{self.status.total}{mark}"

    def problems(self) -> list[str]:
        if self.status is None:
            return []
        if not self.present:
            return [f"{self.po}: missing catalog"]
        found = list(self.status.problems)
        if self.status.translated < self.status.total:
            found.append(f"{self.po}: {self.status.total - self.status.translated} untranslated")
        return found


def language_status(lang: Language, domain: str, localedir: Path, template: set[str] | None) -> DomainStatus:
    source = UI_SOURCE if domain == "kiosk" else CONTENT_SOURCE
    po = localedir / lang.code / "LC_MESSAGES" / f"{domain}.po"
    if lang.code == source:
        return DomainStatus(domain, po, None, True)
    if not po.exists():
        return DomainStatus(domain, po, catalogs.CatalogStatus(0, len(template or ()), 0, ()), False)
    return DomainStatus(domain, po, catalogs.status(po, template, lang.locale), True)


def ui_template() -> set[str]:
    return catalogs.template_ids(catalogs.extract_ui(LOCALE_DIR.parents[1]))


def content_template(localedir: Path) -> set[str] | None:
    pot = localedir / "content.pot"
    return catalogs.template_ids(catalogs.read(pot)) if pot.exists() else None


def collect(domains: tuple[str, ...] = ("kiosk", "content")) -> dict[str, list[DomainStatus]]:
    """Every registry language's status in the given domains ("kiosk" = UI, "content" = the pack)."""
    content_dir = _content_locale_dirs()[0]
    templates = {"kiosk": ui_template() if "kiosk" in domains else None,
                 "content": content_template(content_dir)}
    dirs = {"kiosk": LOCALE_DIR, "content": content_dir}
    return {code: [language_status(lang, d, dirs[d], templates[d]) for d in domains]
            for code, lang in LANGUAGES.items()}


def _audio_script(args: argparse.Namespace) -> int:
    """Every text the kiosk can show in this language: its UI translations, and the content (in the
    language where translated, else the French the screen shows)."""
    import csv
    import io

    from kiosk.speech.recordings import script
    code = args.language
    if code not in LANGUAGES:
        return fail(f"unknown language {code!r} (known: {', '.join(LANGUAGES)})")
    texts: list[tuple[str, str]] = [(LANGUAGES[code].native_name, "language page: the language's name, "
                                     "said when a visitor touches it")]
    for domain, directory in (("kiosk", LOCALE_DIR), ("content", _content_locale_dirs()[0])):
        template = directory / f"{domain}.pot"
        po = directory / code / "LC_MESSAGES" / f"{domain}.po"
        translated = {m.id: m.string for m in catalogs.read(po)} if po.is_file() else {}
        for message in catalogs.read(template):
            if not message.id or isinstance(message.id, tuple):
                continue                   # plurals always carry a number: never recordable
            shown = translated.get(message.id) or (message.id if domain == "content" else "")
            if isinstance(shown, str) and shown:
                texts.append((shown, f"{domain}: {message.id[:80]}"))
    lines = script(code, texts, RecordingBook(ASSETS / "audio"))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(("file", "text", "context", "recordable", "recorded"))
    for line in lines:
        writer.writerow((line.file, line.text, line.context, "yes" if line.recordable else "no",
                         "yes" if line.recorded else "no"))
    if args.out is None:
        sys.stdout.write(out.getvalue())
    else:
        try:
            args.out.write_text(out.getvalue(), encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"cannot write the script: {exc}") from None
        todo = sum(1 for line in lines if line.recordable and not line.recorded)
        print(f"{args.out}: {len(lines)} texts, {todo} to record into {ASSETS / 'audio' / code}/")
    return 0


def _status(args: argparse.Namespace) -> int:
    for code, (ui, content) in collect().items():
        lang = LANGUAGES[code]
        recorded = RecordingBook(ASSETS / "audio").count(code)
        voice = (f"voice {lang.voice}" if lang.voice else f"recorded {recorded}" if recorded
                 else "no voice")
        print("\t".join((code, lang.native_name, "rtl" if lang.rtl else "ltr",
                         f"ui {ui.cell()}", f"content {content.cell()}", voice)))
    return 0


def _check(args: argparse.Namespace) -> int:
    domains = {"all": ("kiosk", "content"), "ui": ("kiosk",), "content": ("content",)}[args.domain]
    statuses = [s for per_language in collect(domains).values() for s in per_language]
    problems = [p for s in statuses for p in s.problems()]
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s)", file=sys.stderr)
        return 1
    print(f"{sum(s.status is not None for s in statuses)} catalog(s) complete")
    return 0


__all__ = ["LANGUAGES", "collect", "register"]
