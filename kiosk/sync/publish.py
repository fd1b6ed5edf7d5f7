"""For the content team: sign a pack archive, and publish a pack (archive + signature + index.json).

`publish` validates the pack first (a pack that fails `content check` is never published), compiles
its catalogs into a copy (kiosks never write into a pack), builds a reproducible tar.gz, signs it with
the version in the signed trusted comment, and writes index.json last, so a web server that serves
the output directory while it is being written never offers an archive that is not there yet.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kiosk.content.pack import load_pack
from kiosk.i18n.catalogs import compile_dir
from kiosk.sync.archive import build_tar_gz
from kiosk.sync.minisign import SecretKey, sign_file
from kiosk.sync.store import trusted_comment


@dataclass(frozen=True)
class Published:
    index: Path
    archive: Path
    signature: Path
    version: str
    files: int


def sign_archive(archive: Path, secret: SecretKey, pack_id: str, version: str) -> Path:
    """Write `<archive>.minisig` next to the archive; return its path."""
    signature = archive.with_name(archive.name + ".minisig")
    text = sign_file(archive, secret, trusted_comment(pack_id, version, archive.name))
    _write_atomic(signature, text.encode())
    return signature


def publish(pack_dir: Path, output: Path, secret: SecretKey,
            now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)) -> Published:
    pack = load_pack(pack_dir)                  # raises PackError: nothing is written
    output.mkdir(parents=True, exist_ok=True)
    name = f"{pack.id}-{pack.version}.tar.gz"
    archive = output / name
    with tempfile.TemporaryDirectory(prefix="pan-kiosk-publish-") as tmp:
        copy = Path(tmp) / "pack"
        shutil.copytree(pack_dir, copy, ignore=shutil.ignore_patterns("*.mo", ".*", "__pycache__"))
        compile_dir(copy / "locale", "content")
        partial = output / f".{name}.partial"
        files = build_tar_gz(copy, partial)
        os.replace(partial, archive)
    signature = sign_archive(archive, secret, pack.id, pack.version)
    data = archive.read_bytes()
    index = {
        "format": 1, "id": pack.id, "version": pack.version, "archive": archive.name,
        "signature": signature.name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest(),
        "published": now().replace(microsecond=0).isoformat(), "key_id": secret.public().key_id_hex,
    }
    index_path = output / "index.json"
    _write_atomic(index_path, (json.dumps(index, indent=2) + "\n").encode())
    return Published(index_path, archive, signature, pack.version, len(files))


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
