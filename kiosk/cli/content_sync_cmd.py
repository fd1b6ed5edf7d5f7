"""`pan-kiosk content keygen|sign|publish` (content team) and `content update|recover|rollback|status`
(terminals; run by pan-kiosk-content.service and the kiosk unit's ExecStartPre)."""

from __future__ import annotations

import argparse
import logging
import signal
import threading
from pathlib import Path

from kiosk import config as config_mod
from kiosk.cli.arguments import (
    CommandError,
    config_error_line,
    fail,
    input_dir,
    input_file,
    new_file,
    output_dir,
    output_file,
    problems_line,
)
from kiosk.content.pack import PackError, load_pack
from kiosk.i18n.languages import LANGUAGES
from kiosk.paths import DEFAULT_PACK
from kiosk.sync.errors import SyncError
from kiosk.sync.minisign import SecretKey
from kiosk.sync.setup import open_store
from kiosk.sync.store import ContentStore


def register_content(cmds: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    keygen = cmds.add_parser("keygen", help="make a signing key pair (minisign format, unencrypted)")
    keygen.add_argument("secret", type=new_file, help="secret key file to create (mode 600)")
    keygen.add_argument("public", type=output_file, help="public key file to create")
    keygen.set_defaults(func=_keygen)
    sign = cmds.add_parser("sign", help="sign a pack archive: writes ARCHIVE.minisig")
    sign.add_argument("archive", type=input_file)
    sign.add_argument("--key", type=input_file, required=True, help="minisign secret key (unencrypted)")
    sign.set_defaults(func=_sign)
    publish = cmds.add_parser("publish", help="archive + signature + index.json, ready to serve")
    publish.add_argument("pack", type=input_dir, nargs="?", default=DEFAULT_PACK)
    publish.add_argument("--key", type=input_file, required=True, help="minisign secret key (unencrypted)")
    publish.add_argument("-o", "--output", type=output_dir, required=True, help="directory served over HTTPS")
    publish.set_defaults(func=_publish)
    for name, helptext, func in (
            ("update", "check the content server once (or --watch) and switch to a newer pack", _update),
            ("recover", "repair the content store after a crash; install the shipped pack if none", _recover),
            ("rollback", "go back to the previous pack (and do not re-install this one)", _rollback),
            ("status", "current and previous pack, last check, last error", _status)):
        parser = cmds.add_parser(name, help=helptext)
        parser.add_argument("--config", type=input_file, default=None, help="terminal configuration (TOML)")
        if name == "update":
            parser.add_argument("--watch", action="store_true", help="keep polling every poll_interval_s")
        parser.set_defaults(func=func)


def _keygen(args: argparse.Namespace) -> int:
    if args.secret.absolute() == args.public.absolute():
        return fail("the secret and the public key need two different files")
    secret = SecretKey.generate()
    try:
        args.secret.touch(mode=0o600, exist_ok=False)
        args.secret.write_text(secret.to_text(), encoding="utf-8")
        args.public.write_text(secret.public().to_text(), encoding="utf-8")
    except OSError as exc:
        raise CommandError(f"cannot write the key pair: {exc}") from None
    print(f"key {secret.public().key_id_hex}; put this line in [updates] public_key:\n"
          f"{secret.public().one_line()}")
    return 0


def _secret(path: Path) -> SecretKey:
    """The signing key in `path`; a CommandError naming the file when it cannot be one."""
    try:
        return SecretKey.parse(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise CommandError(f"{path}: not a minisign secret key (not UTF-8 text)") from None
    except OSError as exc:
        raise CommandError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except SyncError as exc:
        raise CommandError(f"{path}: {exc}") from None


def _pack_problems(path: Path, exc: PackError) -> str:
    return problems_line(path, exc.problems, str(exc), f"pan-kiosk content check {path}")


def _sign(args: argparse.Namespace) -> int:
    import tempfile

    from kiosk.sync.archive import extract
    from kiosk.sync.publish import sign_archive
    secret = _secret(args.key)                              # a bad key says so before any work
    try:
        with tempfile.TemporaryDirectory() as tmp:          # sign only what a kiosk would accept
            extract(args.archive, Path(tmp) / "pack")
            pack = load_pack(Path(tmp) / "pack")
        path = sign_archive(args.archive, secret, pack.id, pack.version)
    except PackError as exc:
        return fail(f"{args.archive}: the pack inside has {len(exc.problems)} problem(s), the first: "
                    f"{exc.problems[0]}")
    except (SyncError, OSError) as exc:
        return fail(f"{args.archive}: {exc}")
    print(f"{path}: signed {pack.id} {pack.version}")
    return 0


def _publish(args: argparse.Namespace) -> int:
    from kiosk.sync.publish import publish
    secret = _secret(args.key)
    try:
        done = publish(args.pack, args.output, secret)
    except PackError as exc:
        return fail(_pack_problems(args.pack, exc))
    except (SyncError, OSError) as exc:
        return fail(str(exc))
    print(f"{done.index}: version {done.version}, {done.files} files in {done.archive.name}, "
          f"signature {done.signature.name}")
    return 0


def _store(args: argparse.Namespace) -> tuple[config_mod.Config, ContentStore] | None:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        config = config_mod.load(args.config, known_languages=LANGUAGES)
    except config_mod.ConfigError as exc:
        fail(config_error_line(exc))
        return None
    root = Path(config.updates.dir)
    if root.exists() and not root.is_dir():
        raise CommandError(f"{config.source}: [updates] dir {root} is a file, not a directory")
    try:
        return config, open_store(config)
    except SyncError as exc:
        raise CommandError(f"{config.source}: [updates] public_key: {exc.detail or exc}") from None


def _store_error(config: config_mod.Config, exc: OSError) -> CommandError:
    return CommandError(f"content store {config.updates.dir}: {exc.strerror or exc}"
                        + (f": {exc.filename}" if exc.filename else ""))


def _update(args: argparse.Namespace) -> int:
    from kiosk.sync.fetch import HttpFetcher
    from kiosk.sync.updater import ContentUpdater, Outcome, UpdateResult
    loaded = _store(args)
    if loaded is None:
        return 2
    config, store = loaded
    if not config.updates.url or not config.updates.public_key:
        # not an error: the content service then ends without being restarted (Restart=on-failure)
        print("content updates are off: set [updates] url and public_key to turn them on")
        return 0
    try:
        store.recover()
    except OSError as exc:
        raise _store_error(config, exc) from None
    fetcher = HttpFetcher(timeout_s=config.updates.timeout_s, ca_bundle=config.updates.ca_bundle or None)
    updater = ContentUpdater(store, fetcher, config.updates.url)
    if not args.watch:
        try:
            result = updater.check()
        except OSError as exc:
            raise _store_error(config, exc) from None
        print(result)
        return 1 if result.outcome is Outcome.REFUSED else 0
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())

    def report(result: UpdateResult) -> None:
        print(result, flush=True)
    updater.watch(config.updates.poll_interval_s, stop, report)
    return 0


def _recover(args: argparse.Namespace) -> int:
    loaded = _store(args)
    if loaded is None:
        return 2
    config, store = loaded
    try:
        for line in store.recover():
            print(line)
    except OSError as exc:
        raise _store_error(config, exc) from None
    print(f"current: {store.current_path()}")
    return 0 if store.current_path() else 2


def _rollback(args: argparse.Namespace) -> int:
    loaded = _store(args)
    if loaded is None:
        return 2
    try:
        back = loaded[1].rollback()
    except SyncError as exc:
        return fail(str(exc))
    except OSError as exc:
        raise _store_error(loaded[0], exc) from None
    print(f"current: {back.version} (rolled back from {back.previous})")
    return 0


def _status(args: argparse.Namespace) -> int:
    loaded = _store(args)
    if loaded is None:
        return 2
    store = loaded[1]
    print(f"current:  {store.current_path()}")
    print(f"previous: {store.previous_path()}")
    for key, value in sorted(store.read_state().items()):
        print(f"{key}: {value}")
    return 0
