"""`pan-kiosk content keygen|sign|publish` (content team) and `content update|recover|rollback|status`
(terminals; run by pan-kiosk-content.service and the kiosk unit's ExecStartPre)."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from pathlib import Path

from kiosk import config as config_mod
from kiosk.content.pack import PackError, load_pack
from kiosk.i18n.languages import LANGUAGES
from kiosk.paths import DEFAULT_PACK
from kiosk.sync.errors import SyncError
from kiosk.sync.minisign import PublicKey, SecretKey
from kiosk.sync.store import ContentStore


def register_content(cmds: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    keygen = cmds.add_parser("keygen", help="make a signing key pair (minisign format, unencrypted)")
    keygen.add_argument("secret", type=Path, help="secret key file to create (mode 600)")
    keygen.add_argument("public", type=Path, help="public key file to create")
    keygen.set_defaults(func=_keygen)
    sign = cmds.add_parser("sign", help="sign a pack archive: writes ARCHIVE.minisig")
    sign.add_argument("archive", type=Path)
    sign.add_argument("--key", type=Path, required=True, help="minisign secret key (unencrypted)")
    sign.set_defaults(func=_sign)
    publish = cmds.add_parser("publish", help="archive + signature + index.json, ready to serve")
    publish.add_argument("pack", type=Path, nargs="?", default=DEFAULT_PACK)
    publish.add_argument("--key", type=Path, required=True, help="minisign secret key (unencrypted)")
    publish.add_argument("-o", "--output", type=Path, required=True, help="directory served over HTTPS")
    publish.set_defaults(func=_publish)
    for name, helptext, func in (
            ("update", "check the content server once (or --watch) and switch to a newer pack", _update),
            ("recover", "repair the content store after a crash; install the shipped pack if none", _recover),
            ("rollback", "go back to the previous pack (and do not re-install this one)", _rollback),
            ("status", "current and previous pack, last check, last error", _status)):
        parser = cmds.add_parser(name, help=helptext)
        parser.add_argument("--config", type=Path, default=None, help="terminal configuration (TOML)")
        if name == "update":
            parser.add_argument("--watch", action="store_true", help="keep polling every poll_interval_s")
        parser.set_defaults(func=func)


def _keygen(args: argparse.Namespace) -> int:
    secret = SecretKey.generate()
    args.secret.touch(mode=0o600, exist_ok=False)
    args.secret.write_text(secret.to_text(), encoding="utf-8")
    args.public.write_text(secret.public().to_text(), encoding="utf-8")
    print(f"key {secret.public().key_id_hex}; put this line in [updates] public_key:\n"
          f"{secret.public().one_line()}")
    return 0


def _secret(path: Path) -> SecretKey:
    return SecretKey.parse(path.read_text(encoding="utf-8"))


def _sign(args: argparse.Namespace) -> int:
    import tempfile

    from kiosk.sync.archive import extract
    from kiosk.sync.publish import sign_archive
    try:
        with tempfile.TemporaryDirectory() as tmp:          # sign only what a kiosk would accept
            extract(args.archive, Path(tmp) / "pack")
            pack = load_pack(Path(tmp) / "pack")
        path = sign_archive(args.archive, _secret(args.key), pack.id, pack.version)
    except (SyncError, PackError, OSError) as exc:
        print(f"{args.archive}: {exc}", file=sys.stderr)
        return 2
    print(f"{path}: signed {pack.id} {pack.version}")
    return 0


def _publish(args: argparse.Namespace) -> int:
    from kiosk.sync.publish import publish
    try:
        done = publish(args.pack, args.output, _secret(args.key))
    except (SyncError, PackError, OSError) as exc:
        print(exc, file=sys.stderr)
        return 2
    print(f"{done.index}: version {done.version}, {done.files} files in {done.archive.name}, "
          f"signature {done.signature.name}")
    return 0


def _store(args: argparse.Namespace) -> tuple[config_mod.Config, ContentStore] | None:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        config = config_mod.load(args.config, known_languages=LANGUAGES)
    except config_mod.ConfigError as exc:
        print(exc, file=sys.stderr)
        return None
    key = PublicKey.parse(config.updates.public_key) if config.updates.public_key else None
    return config, ContentStore(Path(config.updates.dir), key, seed_pack=DEFAULT_PACK)


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
    store.recover()
    fetcher = HttpFetcher(timeout_s=config.updates.timeout_s, ca_bundle=config.updates.ca_bundle or None)
    updater = ContentUpdater(store, fetcher, config.updates.url)
    if not args.watch:
        result = updater.check()
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
    store = loaded[1]
    for line in store.recover():
        print(line)
    print(f"current: {store.current_path()}")
    return 0 if store.current_path() else 2


def _rollback(args: argparse.Namespace) -> int:
    loaded = _store(args)
    if loaded is None:
        return 2
    try:
        back = loaded[1].rollback()
    except SyncError as exc:
        print(exc, file=sys.stderr)
        return 2
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
