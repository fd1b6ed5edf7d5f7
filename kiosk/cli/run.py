"""`pan-kiosk run` (the kiosk), `pan-kiosk demo` and `pan-kiosk screens` (PNG of every screen)."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Any

from kiosk import config as config_mod
from kiosk.i18n.languages import LANGUAGES


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    run = sub.add_parser("run", help="start the kiosk (default command)")
    _common(run)
    run.add_argument("--windowed", action="store_true", help="a window instead of full-screen")
    run.set_defaults(func=_run)
    demo = sub.add_parser("demo", help="scripted visitor session offscreen, a PNG per screen")
    _common(demo)
    demo.add_argument("--out", type=Path, default=Path("build/demo"))
    demo.set_defaults(func=_demo)
    screens = sub.add_parser("screens", help="render every page in some languages to PNG files")
    _common(screens)
    screens.add_argument("--out", type=Path, default=Path("build/screens"))
    screens.add_argument("--langs", default="fr,ar")
    screens.add_argument("--all-procedures", action="store_true")
    screens.add_argument("--size", default="1080x1920", help="WIDTHxHEIGHT")
    screens.set_defaults(func=_screens)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, default=None, help="terminal configuration (TOML)")
    parser.add_argument("-v", "--verbose", action="store_true")


def _load(args: argparse.Namespace) -> config_mod.Config | None:
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        return config_mod.load(args.config, known_languages=LANGUAGES)
    except config_mod.ConfigError as exc:
        print(exc, file=sys.stderr)
        return None


def _run(args: argparse.Namespace) -> int:
    config = _load(args)
    if config is None:
        return 2
    from kiosk.shell.ui import start_screen
    from kiosk.shell.ui.qt_app import application
    qapp = application()
    fullscreen = False if args.windowed else config.display.mode == "fullscreen"
    first = start_screen.start(config, fullscreen)    # the attract screen at once, the kiosk right after
    code = int(qapp.exec())
    del first
    return code


def _offscreen_kiosk(args: argparse.Namespace, size: str = "1080x1920") -> Any:
    import os
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    config = _load(args)
    if config is None:
        return None
    from kiosk import app as app_mod
    app_mod.application()
    width, height = (int(v) for v in size.split("x"))
    kiosk = app_mod.build(config, fullscreen=False)
    kiosk.window.resize(width, height)
    kiosk.window.show()
    return kiosk


def _demo(args: argparse.Namespace) -> int:
    kiosk = _offscreen_kiosk(args)
    if kiosk is None:
        return 2
    from kiosk.shell.ui.screens import render
    files = render(kiosk, [kiosk.config.languages.default], args.out.resolve())
    kiosk.shutdown()
    print(f"Demo: a visitor session was played offscreen with simulated devices; "
          f"{len(files)} screenshots are in {args.out.resolve()}/")
    return 0


def _screens(args: argparse.Namespace) -> int:
    kiosk = _offscreen_kiosk(args, args.size)
    if kiosk is None:
        return 2
    from kiosk.shell.ui.screens import render
    langs = [code.strip() for code in args.langs.split(",") if code.strip()]
    files = render(kiosk, langs, args.out.resolve(), all_procedures=args.all_procedures)
    kiosk.shutdown()
    print(f"{len(files)} screenshots in {args.out.resolve()}/")
    return 0
