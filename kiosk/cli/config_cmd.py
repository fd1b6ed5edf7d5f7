"""`pan-kiosk check-config [PATH]` and `pan-kiosk config-example`."""

from __future__ import annotations

import argparse

from kiosk import config
from kiosk.cli.arguments import config_error_line, fail, input_file
from kiosk.i18n.languages import LANGUAGES


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    check = sub.add_parser("check-config", help="validate a terminal configuration file (exit 2 on error)")
    check.add_argument("path", type=input_file, nargs="?", default=config.DEFAULT_PATH,
                       help=f"the file to check (default {config.DEFAULT_PATH})")
    check.set_defaults(func=_check)
    example = sub.add_parser("config-example", help="print a documented configuration with every option")
    example.set_defaults(func=lambda args: print(config.example()) or 0)


def _check(args: argparse.Namespace) -> int:
    try:
        config.load(args.path, known_languages=LANGUAGES)
    except config.ConfigError as exc:
        return fail(config_error_line(exc, listing=True))      # every problem, each with its line
    print(f"{args.path}: OK")
    return 0
