"""`pan-kiosk site record|check`: keeping the content pack's site map (site.toml) true to the real site.

`site record` (the content team, on a machine with internet and a display) opens the kiosk's locked
browser — its off-the-record profile and the terminal's allow-list — in a visible window; a person walks
the site and every page's route, heading and labels go into a draft site map (never what is typed into
the fields). `site check RECORDING` compares a recording with the pack's site map, with no display:
exit 0 when every page compared matches, 1 when something differs (each difference on its own line),
2 on bad input.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk import config as config_mod
from kiosk.cli.arguments import CommandError, config_error_line, input_dir, input_file, non_empty, output_file
from kiosk.i18n import LANGUAGES, Translators
from kiosk.paths import DEFAULT_PACK

if TYPE_CHECKING:
    from kiosk.content.model import Pack

NO_DISPLAY = "no display here (DISPLAY and WAYLAND_DISPLAY are unset): `site record` shows the site to walk"


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("site", help="site map: record a walk through the real site, check the map")
    cmds = parser.add_subparsers(dest="site_command", required=True, metavar="COMMAND")
    record = cmds.add_parser("record", help="walk the real site in the kiosk's browser into a draft site map")
    record.add_argument("--out", type=output_file, required=True, help="the draft site map to write (TOML)")
    record.add_argument("--start", type=non_empty, default=None,
                        help="the first page (default: the portal's home page)")
    record.add_argument("--procedure", type=non_empty, action="append", default=[],
                        help="the guide this walk is for (repeatable); `site check` compares its pages")
    record.add_argument("--config", type=input_file, default=None,
                        help="terminal configuration (TOML): its allow-list (default: the kiosk's)")
    record.add_argument("--pack", type=input_dir, default=DEFAULT_PACK, help="the content pack")
    record.add_argument("--lang", default="fr", choices=sorted(LANGUAGES),
                        help="language of the recorder's own bar (default fr)")
    record.set_defaults(func=_record)
    check = cmds.add_parser("check", help="list the site map's steps and labels a recording does not match")
    check.add_argument("recording", type=input_file, help="a recording written by `site record`")
    check.add_argument("--pack", type=input_dir, default=DEFAULT_PACK,
                       help="the content pack (default: the one shipped)")
    check.add_argument("--procedure", type=non_empty, action="append", default=[],
                       help="compare only this guide's pages (default: the recording's guides, else all)")
    check.set_defaults(func=_check)


def _pack(path: Path, procedures: list[str]) -> Pack:
    from kiosk.cli.content_cmd import load

    pack = load(path)
    if pack.site is None:
        raise CommandError(f"{path}: the pack has no site map (site.toml)")
    unknown = [p for p in procedures if p not in pack.procedures]
    if unknown:
        raise CommandError(f"no procedure {unknown[0]!r} in {path} "
                           f"(`pan-kiosk content list {path}` lists them)")
    return pack


def _check(args: argparse.Namespace) -> int:
    from kiosk.browser.recorder import RecordingError, check, parse_recording

    try:
        text = args.recording.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise CommandError(f"{args.recording} is not UTF-8 text") from None
    except OSError as exc:
        raise CommandError(f"cannot read {args.recording}: {exc.strerror or exc}") from None
    try:
        recording = parse_recording(text, str(args.recording))
    except RecordingError as exc:
        raise CommandError(str(exc)) from None
    pack = _pack(args.pack, [*args.procedure, *recording.procedures])
    assert pack.site is not None                        # _pack refuses a pack without one
    report = check(recording, pack.site, args.procedure)
    print(f"{args.recording}: recorded {recording.date}, {len(recording.pages)} pages; site map of "
          f"{pack.site.checked}")
    for line in report.lines():
        print(line)
    return 1 if report.findings else 0


def _record(args: argparse.Namespace) -> int:
    from kiosk.__main__ import display_available

    if not display_available(os.environ):
        raise CommandError(NO_DISPLAY)
    try:
        config = config_mod.load(args.config)
    except config_mod.ConfigError as exc:
        raise CommandError(config_error_line(exc)) from None
    _pack(args.pack, args.procedure)
    from kiosk.browser.policy import NavigationPolicy
    from kiosk.browser.recorder import Recording
    from kiosk.browser.replica.hosts import PORTAL_START
    from kiosk.browser.setup import navigation_policy

    official = navigation_policy(config, None)        # the official site's policy: no practice host,
    policy = NavigationPolicy(official.entries, official.resource_entries)      # and no webmail
    start = args.start or PORTAL_START
    refusal = policy.check(start)
    if refusal is not None:
        raise CommandError(f"{start}: the kiosk's browser refuses it ({refusal.reason.value}); give a page "
                           "of the allow-list")
    from kiosk.cli.run import record_site  # the commands that start Qt live in cli/run.py

    saved = record_site(policy, Recording(start, args.procedure), start, args.out,
                        Translators(None).get(args.lang))
    if not saved:
        print("closed without saving: nothing recorded", file=sys.stderr)
        return 1
    print(f"{saved[0]}: {saved[1]} pages recorded")
    return 0
