"""Command line: `pan-kiosk` (or `python -m kiosk`) starts the kiosk; subcommands are admin tools.

Each group of subcommands lives in its own module under kiosk/cli/ and registers itself through
`register(subparsers)`; the module list below is the only place that names them. `pan-kiosk --help`
lists every command, one line each. `pan-kiosk` with no command means `pan-kiosk run` (the kiosk unit
names `run` itself), except where there is no display: the kiosk would start invisibly, so it says
what to run instead and exits 2. A bad argument gets one line on stderr and exit 2 (kiosk.cli.arguments).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Mapping, Sequence

from kiosk.cli.arguments import CommandError, Parser, commands
from kiosk.health.memory import tune_allocator

CLI_MODULES = (
    "kiosk.cli.run",
    "kiosk.cli.config_cmd",
    "kiosk.cli.content_cmd",
    "kiosk.cli.i18n_cmd",
    "kiosk.cli.receipt_cmd",
    "kiosk.cli.fleet_cmd",
    "kiosk.cli.mediator_cmd",
    "kiosk.cli.site",            # site record | check: keeping site.toml true
)

NO_DISPLAY = (
    "pan-kiosk: no display here (DISPLAY and WAYLAND_DISPLAY are unset): the kiosk would run invisibly, "
    "so it was not started.\n"
    "Under a desktop: pan-kiosk run --windowed; offscreen scripted demo: bash scripts/run-demo.sh "
    "(or pan-kiosk demo); every command: pan-kiosk --help\n"
)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="pan-kiosk", formatter_class=argparse.RawDescriptionHelpFormatter,
                    usage="pan-kiosk [COMMAND] [OPTIONS]",
                    description="PAN Kiosk: the guided kiosk of the points d'accueil numérique.\n"
                                "With no command, starts the kiosk (pan-kiosk run); that needs a display.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", help=argparse.SUPPRESS, prog="pan-kiosk")
    for name in CLI_MODULES:
        importlib.import_module(name).register(sub)
    listed = commands(parser)
    for _, text, command in listed:
        command.description = command.description or text[:1].upper() + text[1:] + "."
    width = max(len(name) for name, _, _ in listed) + 2
    parser.epilog = "\n".join(["commands:", *(f"  {name:<{width}}{text}" for name, text, _ in listed), "",
                               "`pan-kiosk COMMAND --help` shows a command's options."])
    return parser


def display_available(env: Mapping[str, str]) -> bool:
    """Somewhere the kiosk can be seen: an X or Wayland display, or a Qt platform chosen on purpose
    (offscreen for tests and screenshots; eglfs, linuxfb or vnc on bare hardware). xcb needs DISPLAY."""
    if env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        return True
    platforms = [entry.split(":")[0].strip() for entry in env.get("QT_QPA_PLATFORM", "").split(";")]
    return any(platform and platform != "xcb" for platform in platforms)


def main(argv: Sequence[str] | None = None) -> int:
    tune_allocator()        # first: freed page images go back to the system (kiosk.health.memory)
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    if not args_list or (args_list[0].startswith("-") and args_list[0] not in ("-h", "--help")):
        if not display_available(os.environ):
            sys.stderr.write(NO_DISPLAY)
            return 2
        args_list = ["run", *args_list]     # `pan-kiosk --windowed` means `pan-kiosk run --windowed`
    try:
        args = parser.parse_args(args_list)
    except SystemExit as done:      # --help (0) or a bad argument (2, its line already printed)
        return done.code if isinstance(done.code, int) else 0 if done.code is None else 2
    try:
        result: int = args.func(args)
    except CommandError as exc:
        names = [args.command, *(v for k, v in vars(args).items() if k.endswith("_command") and v)]
        print(f"pan-kiosk {' '.join(names)}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return result


if __name__ == "__main__":
    sys.exit(main())
