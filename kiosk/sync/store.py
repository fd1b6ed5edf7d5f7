"""Where content packs live on a terminal, and how a new one replaces the running one.

Layout under the store root (e.g. /var/lib/pan-kiosk/content):

    packs/<version>-<hash12>/   unpacked, validated packs; never modified once renamed here
    current  -> packs/…         the pack the kiosk shows (relative symlink)
    previous -> packs/…         the pack before it, for `rollback`
    staging/                    scratch space: downloads and unpacking; emptied by `recover()`
    state.json                  ETag of the index, last check, rolled-back version

Install steps, each followed by a call to `after_step(name)` (tests inject crashes there):

    verified   signature checked against the configured key, version in the signed comment is newer
    unpacked   archive unpacked (defensively) into staging/<random>/, files and directories fsynced
    validated  load_pack() accepts it and its pack.toml says the signed id and version
    stored     staging/<random>/ renamed to packs/<version>-<hash12>/ (atomic, same file system)
    previous   `previous` re-pointed to the old current pack (symlink made aside, renamed over)
    switched   `current` re-pointed to the new pack (symlink made aside, renamed over: atomic)
    cleaned    staging emptied, packs neither current nor previous (beyond `keep`) removed

Until `switched`, `current` still names the old, complete pack; from `switched` on it names the new,
complete pack. A power cut anywhere leaves `current` valid; `recover()` (run before the kiosk starts)
removes leftovers and, if `current` is missing or broken, falls back to `previous`, then to the pack
shipped with the kiosk.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import tomllib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kiosk.content.model import Pack
from kiosk.content.pack import PackError, load_pack
from kiosk.i18n import N_
from kiosk.sync.archive import Limits, extract, fsync_dir
from kiosk.sync.errors import InvalidPackError, VersionError
from kiosk.sync.minisign import PublicKey, verify_file

log = logging.getLogger(__name__)

STEPS = ("verified", "unpacked", "validated", "stored", "previous", "switched", "cleaned")
COMMENT_PREFIX = "pan-kiosk-pack"


def version_key(version: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key: digit runs compare as numbers, the rest as text ("2026.11.9" < "2026.11.10")."""
    tokens = re.findall(r"\d+|[^\d.\-_]+", version)
    return tuple((0, int(tok)) if tok.isdigit() else (1, tok) for tok in tokens)


def is_newer(candidate: str, than: str | None) -> bool:
    return than is None or version_key(candidate) > version_key(than)


def trusted_comment(pack_id: str, version: str, file: str) -> str:
    return f"{COMMENT_PREFIX} id={pack_id} version={version} file={file}"


def parse_trusted_comment(text: str) -> dict[str, str]:
    words = text.split()
    if not words or words[0] != COMMENT_PREFIX:
        raise VersionError(N_("The content update is not a content pack for this kiosk."),
                           f"trusted comment {text!r} does not start with {COMMENT_PREFIX!r}")
    fields = dict(w.split("=", 1) for w in words[1:] if "=" in w)
    if not fields.get("id") or not fields.get("version"):
        raise VersionError(N_("The content update is not a content pack for this kiosk."),
                           f"trusted comment {text!r} lacks id= or version=")
    return fields


@dataclass(frozen=True)
class Installed:
    version: str
    path: Path
    previous: str | None


class ContentStore:
    def __init__(self, root: Path, public_key: PublicKey | None = None, seed_pack: Path | None = None,
                 after_step: Callable[[str], None] = lambda step: None,
                 limits: Limits | None = None, keep: int = 3) -> None:
        self.root = root
        self.packs = root / "packs"
        self.staging = root / "staging"
        self.current_link = root / "current"
        self.previous_link = root / "previous"
        self.state_file = root / "state.json"
        self.public_key = public_key
        self.seed_pack = seed_pack
        self.after_step = after_step
        self.limits = limits or Limits()
        self.keep = max(keep, 2)

    # --- reading -------------------------------------------------------------------------------

    def current_path(self) -> Path | None:
        """The resolved directory of the current pack (stable even if `current` moves later)."""
        return self._target(self.current_link)

    def previous_path(self) -> Path | None:
        return self._target(self.previous_link)

    def current_version(self) -> str | None:
        path = self.current_path()
        return _pack_version(path) if path else None

    def current_pack(self) -> Pack:
        path = self.current_path()
        if path is None:
            raise InvalidPackError(N_("No content pack is installed."), f"{self.current_link} is missing")
        return load_pack(path)

    def _target(self, link: Path) -> Path | None:
        if not link.is_symlink():
            return None
        target = (link.parent / os.readlink(link)).resolve()
        return target if target.is_dir() and target.parent == self.packs.resolve() else None

    # --- state (ETag, rolled-back version) -----------------------------------------------------

    def read_state(self) -> dict[str, str]:
        try:
            data = json.loads(self.state_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}

    def write_state(self, **changes: str | None) -> None:
        state = self.read_state()
        for key, value in changes.items():
            if value is None:
                state.pop(key, None)
            else:
                state[key] = value
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self.root / f".state.{uuid.uuid4().hex}.tmp"
        with tmp.open("w", encoding="utf-8") as f:
            json.dump(state, f, indent=1, sort_keys=True)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.state_file)
        fsync_dir(self.root)

    # --- install -------------------------------------------------------------------------------

    def new_staging_file(self, suffix: str) -> Path:
        self.staging.mkdir(parents=True, exist_ok=True)
        return self.staging / f"{uuid.uuid4().hex}{suffix}"

    def install(self, archive: Path, signature: str) -> Installed:
        """Verify, unpack, validate and switch to the pack in `archive`. Raises SyncError subclasses;
        the current pack is untouched unless this returns."""
        if self.public_key is None:
            raise VersionError(N_("Content updates are not configured on this kiosk."), "no public key")
        fields = parse_trusted_comment(verify_file(archive, signature, self.public_key))
        version = fields["version"]
        current = self.current_version()
        if not is_newer(version, current):
            raise VersionError(N_("The content update is not newer than the installed content."),
                               f"offered {version}, installed {current}")
        if version == self.read_state().get("rolled_back"):
            raise VersionError(N_("This content version was rolled back by an administrator."),
                               f"version {version} was rolled back")
        self.after_step("verified")
        stage = self.staging / uuid.uuid4().hex
        self.staging.mkdir(parents=True, exist_ok=True)
        try:
            extract(archive, stage, self.limits)
            self.after_step("unpacked")
            pack = self._validate(stage, fields)
            self.after_step("validated")
            installed = self._switch(stage, pack)
        finally:
            if stage.exists():
                shutil.rmtree(stage, ignore_errors=True)
        self._clean()
        self.after_step("cleaned")
        log.info("content pack %s installed (previous %s)", version, current)
        return installed

    def _validate(self, stage: Path, fields: dict[str, str]) -> Pack:
        try:
            pack = load_pack(stage)
        except PackError as exc:
            raise InvalidPackError(N_("The content update has errors and was not installed."),
                                   f"{len(exc.problems)} problem(s), first: {exc.problems[0]}") from None
        if pack.version != fields["version"] or pack.id != fields["id"]:
            raise VersionError(N_("The content update is not the version it was signed as."),
                               f"signed {fields['id']} {fields['version']}, "
                               f"pack.toml says {pack.id} {pack.version}")
        return pack

    def _switch(self, stage: Path, pack: Pack) -> Installed:
        self.packs.mkdir(parents=True, exist_ok=True)
        final = self.packs / f"{_safe_name(pack.version)}-{pack.short_hash}"
        if final.exists():                   # same content left by an interrupted install
            shutil.rmtree(final)
        os.rename(stage, final)
        fsync_dir(self.packs)
        self.after_step("stored")
        old = self.current_path()
        if old is not None:
            self._point(self.previous_link, old)
        self.after_step("previous")
        self._point(self.current_link, final)
        self.after_step("switched")
        return Installed(pack.version, final, _pack_version(old) if old else None)

    def _point(self, link: Path, target: Path) -> None:
        """Re-point `link` at `target` atomically: a new symlink renamed over the old one."""
        tmp = link.with_name(f".{link.name}.{uuid.uuid4().hex}")
        os.symlink(os.path.relpath(target, link.parent), tmp)
        os.replace(tmp, link)
        fsync_dir(link.parent)

    # --- recovery, rollback, cleaning ----------------------------------------------------------

    def recover(self) -> list[str]:
        """Make the store consistent after any interruption; return what was done (for the log)."""
        done: list[str] = []
        self.root.mkdir(parents=True, exist_ok=True)
        for leftover in self.root.glob(".*"):
            if leftover.is_symlink() or leftover.is_file():
                leftover.unlink()
                done.append(f"removed {leftover.name}")
        if self.staging.exists():
            shutil.rmtree(self.staging, ignore_errors=True)
            done.append("emptied staging")
        if not self._usable(self.current_path()):
            previous = self.previous_path()
            if self._usable(previous):
                assert previous is not None
                self._point(self.current_link, previous)
                done.append(f"current was broken: back to previous {previous.name}")
            elif self.seed_pack is not None:
                done.append(f"installed the shipped pack {self._seed().name}")
        elif self.seed_pack is not None and is_newer(_pack_version(self.seed_pack) or "",
                                                     self.current_version()):
            done.append(f"the shipped pack is newer: installed {self._seed().name}")
        self._clean()
        for line in done:
            log.warning("content store: %s", line)
        return done

    def _usable(self, path: Path | None) -> bool:
        if path is None:
            return False
        try:
            load_pack(path)
        except PackError:
            return False
        return True

    def _seed(self) -> Path:
        assert self.seed_pack is not None
        pack = load_pack(self.seed_pack)
        stage = self.staging / uuid.uuid4().hex
        self.staging.mkdir(parents=True, exist_ok=True)
        shutil.copytree(self.seed_pack, stage, symlinks=False,
                        ignore=shutil.ignore_patterns(".*", "__pycache__"))
        installed = self._switch(stage, pack)
        return installed.path

    def rollback(self) -> Installed:
        """Go back to the previous pack, and remember not to re-install the one rolled back."""
        previous, current = self.previous_path(), self.current_path()
        if previous is None or not self._usable(previous):
            raise InvalidPackError(N_("There is no previous content to go back to."),
                                   f"{self.previous_link} is missing or invalid")
        rolled_back = _pack_version(current) if current else None
        self.write_state(rolled_back=rolled_back)
        self._point(self.current_link, previous)
        if current is not None:
            self._point(self.previous_link, current)
        log.warning("content rolled back from %s to %s", rolled_back, previous.name)
        return Installed(_pack_version(previous) or "?", previous, rolled_back)

    def _clean(self) -> None:
        if self.staging.exists():
            shutil.rmtree(self.staging, ignore_errors=True)
        if not self.packs.is_dir():
            return
        keep = {p for p in (self.current_path(), self.previous_path()) if p is not None}
        others = sorted((p for p in self.packs.iterdir() if p.resolve() not in keep),
                        key=lambda p: p.stat().st_mtime, reverse=True)
        for extra in others[max(0, self.keep - len(keep)):]:
            shutil.rmtree(extra, ignore_errors=True)


def _pack_version(path: Path) -> str | None:
    try:
        with (path / "pack.toml").open("rb") as f:
            version = tomllib.load(f).get("version")
    except (OSError, tomllib.TOMLDecodeError):
        return None
    return str(version) if version is not None else None


def _safe_name(version: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "_", version)[:64] or "pack"
