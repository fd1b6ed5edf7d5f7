"""Command line: `pan-kiosk` (or `python -m kiosk`) starts the kiosk; subcommands are admin tools.

Each group of subcommands lives in its own module under kiosk/cli/ and registers itself through
`register(subparsers)`; the module list below is the only place that names them.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

CLI_MODULES = (
    "kiosk.cli.run",
    "kiosk.cli.config_cmd",
    "kiosk.cli.content_cmd",
    "kiosk.cli.i18n_cmd",
    "kiosk.cli.receipt_cmd",
    "kiosk.cli.fleet_cmd",
    "kiosk.cli.mediator_cmd",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pan-kiosk", description="PAN Kiosk")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in CLI_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    if not args_list or args_list[0].startswith("-"):
        args_list = ["run", *args_list]     # `pan-kiosk --windowed` means `pan-kiosk run --windowed`
    args = parser.parse_args(args_list)
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
