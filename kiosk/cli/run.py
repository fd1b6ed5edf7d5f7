"""`pan-kiosk run` (the kiosk), `pan-kiosk demo` and `pan-kiosk screens` (PNG of every screen)."""

from __future__ import annotations

import argparse
import dataclasses
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk import config as config_mod
from kiosk.cli.arguments import CommandError, code_list, config_error_line, fail, input_file, output_dir
from kiosk.i18n.languages import LANGUAGES
from kiosk.i18n.pseudo import is_pseudo, pseudo_languages

if TYPE_CHECKING:
    from kiosk.app import Kiosk
    from kiosk.browser.policy import NavigationPolicy
    from kiosk.browser.recorder import Recording
    from kiosk.i18n import Translator

SIZE_LIMITS = (320, 7680)        # the window sizes [display] width and height accept


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    run = sub.add_parser("run", help="start the kiosk (default command)")
    _common(run)
    run.add_argument("--windowed", action="store_true", help="a window instead of full-screen")
    run.set_defaults(func=_run)
    demo = sub.add_parser("demo", help="scripted visitor session offscreen, a PNG per screen")
    _common(demo)
    demo.add_argument("--out", type=output_dir, default=Path("build/demo"))
    demo.set_defaults(func=_demo)
    screens = sub.add_parser("screens", help="render every page in some languages to PNG files")
    _common(screens)
    screens.add_argument("--out", type=output_dir, default=Path("build/screens"))
    screens.add_argument("--langs", type=code_list([*LANGUAGES, *pseudo_languages()]), default=["fr", "ar"],
                         help="comma-separated language codes (default fr,ar); a language the "
                              "configuration does not offer is added to the picker for the screenshots")
    screens.add_argument("--all-procedures", action="store_true")
    screens.add_argument("--size", type=_size, default=(1080, 1920), help="WIDTHxHEIGHT (default 1080x1920)")
    screens.set_defaults(func=_screens)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=input_file, default=None, help="terminal configuration (TOML)")
    parser.add_argument("-v", "--verbose", action="store_true")


def _size(text: str) -> tuple[int, int]:
    low, high = SIZE_LIMITS
    width, x, height = text.lower().partition("x")
    if not (x and width.isdigit() and height.isdigit()):
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT, e.g. 1080x1920, got {text!r}")
    if not (low <= int(width) <= high and low <= int(height) <= high):
        raise argparse.ArgumentTypeError(f"width and height from {low} to {high} pixels, got {text}")
    return int(width), int(height)


def _load(args: argparse.Namespace) -> config_mod.Config | None:
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        return config_mod.load(args.config, known_languages=LANGUAGES)
    except config_mod.ConfigError as exc:
        fail(config_error_line(exc))
        return None


def _run(args: argparse.Namespace) -> int:
    config = _load(args)
    if config is None:
        return 2
    from kiosk.shell.ui import start_screen
    from kiosk.shell.ui.qt_app import application
    qapp = application()
    fullscreen = False if args.windowed else config.display.mode == "fullscreen"
    first = start_screen.start(config, fullscreen, kiosk_builder(config, fullscreen))  # attract screen first
    code = int(qapp.exec())
    del first
    return code


def kiosk_builder(config: config_mod.Config, fullscreen: bool) -> Callable[[], Kiosk]:
    """The composition root, called once the start screen is painted: kiosk.app (the heavy part:
    content, receipts, mediator, keyring…) is imported only then."""
    def build() -> Kiosk:
        from kiosk import app

        return app.build(config, fullscreen=fullscreen)
    return build


def _offering(config: config_mod.Config, langs: list[str]) -> config_mod.Config:
    """The configuration, also offering `langs` (after its own languages, so its picker order stays)."""
    offered = config.languages.offered
    extra = tuple(code for code in langs if code not in offered and not is_pseudo(code))
    pseudo = config.languages.pseudo or any(is_pseudo(code) for code in langs)
    languages = dataclasses.replace(config.languages, offered=offered + extra, pseudo=pseudo)
    return dataclasses.replace(config, languages=languages)


def _offscreen_kiosk(config: config_mod.Config, size: tuple[int, int] = (1080, 1920)) -> Any:
    import os
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from kiosk import app as app_mod
    app_mod.application()
    kiosk = app_mod.build(config, fullscreen=False)
    kiosk.window.resize(*size)
    kiosk.window.show()
    return kiosk


def _render(kiosk: Any, langs: list[str], out: Path, all_procedures: bool = False) -> list[Path]:
    """Every screen to PNG; the kiosk is shut down whatever happens (a half-built kiosk left to the
    interpreter's exit ends in Qt's "Signal source has been deleted")."""
    from kiosk.shell.ui.screens import render
    try:
        files: list[Path] = render(kiosk, langs, out, all_procedures=all_procedures)
    except OSError as exc:
        raise CommandError(f"cannot write the screenshots: {exc}") from None
    finally:
        kiosk.shutdown()
    return files


def _demo(args: argparse.Namespace) -> int:
    config = _load(args)
    if config is None:
        return 2
    kiosk = _offscreen_kiosk(config)
    out = args.out.resolve()
    files = _render(kiosk, [config.languages.default], out)
    print(f"Demo: a visitor session was played offscreen with simulated devices; "
          f"{len(files)} screenshots are in {out}/")
    return 0


def _screens(args: argparse.Namespace) -> int:
    config = _load(args)
    if config is None:
        return 2
    kiosk = _offscreen_kiosk(_offering(config, args.langs), args.size)
    out = args.out.resolve()
    files = _render(kiosk, args.langs, out, all_procedures=args.all_procedures)
    print(f"{len(files)} screenshots in {out}/")
    return 0


def record_site(policy: NavigationPolicy, recording: Recording, start: str, out: Path,
                tr: Translator) -> tuple[str, int] | None:
    """`pan-kiosk site record` (kiosk/cli/site.py): the recorder's window, Qt's side of the command."""
    from kiosk.browser.ui.recorder import record_walk

    return record_walk(policy, recording, start, out, tr)
