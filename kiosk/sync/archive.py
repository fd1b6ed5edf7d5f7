"""Content pack archives: build them reproducibly, unpack them defensively.

An archive (tar.gz or zip) holds the pack's files at its root (`pack.toml`, `documents.toml`,
`procedures/…`, `locale/…`). Unpacking accepts only regular files and directories with plain relative
names: an absolute path, a `..` component, a symlink, a hard link, a device or a FIFO rejects the whole
archive before anything is written outside the staging directory. Sizes and file counts are bounded so
a small archive cannot fill the disk. Files are written with O_EXCL | O_NOFOLLOW under a fresh directory,
so even a name repeated in the archive cannot overwrite or follow anything.
"""

from __future__ import annotations

import gzip
import io
import os
import stat
import tarfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from kiosk.i18n import N_
from kiosk.sync.errors import ArchiveError

MAX_FILES = 5000
MAX_TOTAL_BYTES = 200 * 1024 * 1024
MAX_FILE_BYTES = 50 * 1024 * 1024
EPOCH = 946684800          # 2000-01-01: a fixed mtime makes archives reproducible

BAD = N_("The content update is damaged or unsafe and was not installed.")


@dataclass(frozen=True)
class Limits:
    max_files: int = MAX_FILES
    max_total_bytes: int = MAX_TOTAL_BYTES
    max_file_bytes: int = MAX_FILE_BYTES


def safe_relative(name: str) -> PurePosixPath:
    """The member name as a safe relative path, or ArchiveError."""
    if not name or "\0" in name or "\\" in name:
        raise ArchiveError(BAD, f"{name!r}: empty or unusual path")
    path = PurePosixPath(name)
    if path.is_absolute():
        raise ArchiveError(BAD, f"{name!r}: absolute path")
    parts = [p for p in path.parts if p not in ("", ".")]
    if any(p == ".." for p in parts):
        raise ArchiveError(BAD, f"{name!r}: path leaves the archive ('..')")
    if not parts:
        raise ArchiveError(BAD, f"{name!r}: empty path")
    return PurePosixPath(*parts)


@dataclass
class _Member:
    name: str
    is_dir: bool
    size: int
    open: object   # callable returning a binary stream


def _tar_members(tar: tarfile.TarFile) -> Iterator[_Member]:
    for info in tar:
        if info.issym() or info.islnk():
            raise ArchiveError(BAD, f"{info.name!r}: links are not allowed")
        if info.isdir():
            yield _Member(info.name, True, 0, None)
        elif info.isreg():
            yield _Member(info.name, False, info.size, lambda i=info: tar.extractfile(i))
        else:
            raise ArchiveError(BAD, f"{info.name!r}: devices, FIFOs and other special files are not allowed")


def _zip_members(zf: zipfile.ZipFile) -> Iterator[_Member]:
    for info in zf.infolist():
        mode = info.external_attr >> 16
        if mode and stat.S_IFMT(mode) not in (0, stat.S_IFREG, stat.S_IFDIR):
            raise ArchiveError(BAD, f"{info.filename!r}: links and special files are not allowed")
        if info.flag_bits & 0x1:
            raise ArchiveError(BAD, f"{info.filename!r}: encrypted entries are not allowed")
        if info.is_dir():
            yield _Member(info.filename, True, 0, None)
        else:
            yield _Member(info.filename, False, info.file_size, lambda i=info: zf.open(i))


def _copy(src: IO[bytes], fd: int, limit: int, name: str) -> int:
    written = 0
    while chunk := src.read(1 << 16):
        written += len(chunk)
        if written > limit:
            raise ArchiveError(BAD, f"{name!r}: larger than announced or than {limit} bytes")
        os.write(fd, chunk)
    return written


def extract(archive: Path, dest: Path, limits: Limits | None = None) -> int:
    """Unpack `archive` into the new directory `dest` (which must not exist); return the file count.

    On any error `dest` may hold a partial tree: the caller stages it in a scratch area and removes it.
    Files are fsynced so that a pack renamed into place after this survives a power cut.
    """
    limits = limits or Limits()
    dest.mkdir(mode=0o755)
    files = total = 0
    try:
        with _open_members(archive) as members:
            for member in members:
                if member.is_dir and member.name.strip("/") in ("", "."):
                    continue                      # the archive's own root ("./")
                rel = safe_relative(member.name)
                target = dest.joinpath(*rel.parts)
                _make_parents(dest, rel)
                if member.is_dir:
                    target.mkdir(mode=0o755, exist_ok=True)
                    continue
                files += 1
                if files > limits.max_files:
                    raise ArchiveError(BAD, f"more than {limits.max_files} files")
                if member.size > limits.max_file_bytes or total + member.size > limits.max_total_bytes:
                    raise ArchiveError(BAD, f"{member.name!r}: too large")
                flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
                try:
                    fd = os.open(target, flags, 0o644)
                except FileExistsError:
                    raise ArchiveError(BAD, f"{member.name!r}: appears twice") from None
                try:
                    stream = member.open()  # type: ignore[operator]
                    total += _copy(stream, fd, min(limits.max_file_bytes,
                                                   limits.max_total_bytes - total), member.name)
                    os.fsync(fd)
                finally:
                    os.close(fd)
    except (tarfile.TarError, zipfile.BadZipFile, EOFError, gzip.BadGzipFile, zipfile.LargeZipFile) as exc:
        raise ArchiveError(BAD, f"corrupt archive: {exc}") from None
    except (OSError, ValueError) as exc:
        if isinstance(exc, ArchiveError):
            raise
        raise ArchiveError(BAD, f"cannot unpack: {exc}") from None
    fsync_tree(dest)
    return files


class _open_members:  # noqa: N801 - used as a context manager like open()
    def __init__(self, archive: Path) -> None:
        self.archive = archive
        self._handle: tarfile.TarFile | zipfile.ZipFile | None = None

    def __enter__(self) -> Iterator[_Member]:
        if zipfile.is_zipfile(self.archive):
            zf = zipfile.ZipFile(self.archive)
            self._handle = zf
            return _zip_members(zf)
        tar = tarfile.open(self.archive, mode="r:gz")
        self._handle = tar
        return _tar_members(tar)

    def __exit__(self, *exc: object) -> None:
        if self._handle is not None:
            self._handle.close()


def _make_parents(dest: Path, rel: PurePosixPath) -> None:
    current = dest
    for part in rel.parts[:-1]:
        current = current / part
        if current.is_symlink() or (current.exists() and not current.is_dir()):
            raise ArchiveError(BAD, f"{rel}: a parent is not a directory")
        current.mkdir(mode=0o755, exist_ok=True)


def fsync_tree(root: Path) -> None:
    """fsync every directory under root (files were fsynced when written)."""
    for dirpath, _dirs, _files in os.walk(root):
        fsync_dir(Path(dirpath))


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def build_tar_gz(pack_dir: Path, output: Path) -> list[str]:
    """A reproducible tar.gz of the pack directory (sorted names, fixed owner and mtime)."""
    names: list[str] = []
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for path in sorted(pack_dir.rglob("*")):
            rel = path.relative_to(pack_dir).as_posix()
            if path.is_symlink() or not (path.is_file() or path.is_dir()):
                raise ArchiveError(BAD, f"{rel}: only regular files and directories can be published")
            if any(part.startswith(".") or part == "__pycache__" for part in PurePosixPath(rel).parts):
                continue
            info = tar.gettarinfo(str(path), arcname=rel)
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            info.mtime = EPOCH
            info.mode = 0o755 if path.is_dir() else 0o644
            if path.is_dir():
                tar.addfile(info)
            else:
                with path.open("rb") as f:
                    tar.addfile(info, f)
                names.append(rel)
    with output.open("wb") as out, gzip.GzipFile(fileobj=out, mode="wb", mtime=EPOCH, filename="") as gz:
        gz.write(raw.getvalue())
    return names
