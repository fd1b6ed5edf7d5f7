"""The content store: unsafe archives, power cuts between install steps, recovery, minisign interop."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tarfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from fleet_helpers import MakePack

from kiosk.content.pack import load_pack
from kiosk.sync.archive import build_tar_gz
from kiosk.sync.errors import ArchiveError, InvalidPackError, SignatureError, VersionError
from kiosk.sync.minisign import PublicKey, SecretKey, sign_file, verify_file
from kiosk.sync.publish import publish, sign_archive
from kiosk.sync.store import STEPS, ContentStore, is_newer, trusted_comment


@pytest.fixture
def store(tmp_path: Path, make_pack: MakePack, signing_key: SecretKey) -> ContentStore:
    store = ContentStore(tmp_path / "store", signing_key.public(), seed_pack=make_pack("2026.01.01"))
    store.recover()
    return store


def _signed(archive: Path, key: SecretKey, version: str = "2026.02.01", pack_id: str = "test") -> str:
    return sign_file(archive, key, trusted_comment(pack_id, version, archive.name))


def _tar_with(tmp_path: Path, good_pack: Path, add: Callable[[tarfile.TarFile], None]) -> Path:
    """A tar.gz of a valid pack plus whatever `add` puts in it."""
    archive = tmp_path / "evil.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(good_pack, arcname=".")
        add(tar)
    return archive


def _file(tar: tarfile.TarFile, name: str, data: bytes = b"pwned") -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))


def _special(kind: bytes, name: str, linkname: str = "") -> Callable[[tarfile.TarFile], None]:
    def add(tar: tarfile.TarFile) -> None:
        info = tarfile.TarInfo(name)
        info.type = kind
        info.linkname = linkname
        tar.addfile(info)
    return add


EVIL_TARS: dict[str, tuple[Callable[[tarfile.TarFile], None], str]] = {   # member, reason refused
    "dotdot": (lambda tar: _file(tar, "../escaped.txt"), "'..'"),
    "nested-dotdot": (lambda tar: _file(tar, "procedures/../../escaped.txt"), "'..'"),
    "absolute": (lambda tar: _file(tar, "/tmp/pan-kiosk-escaped.txt"), "absolute"),
    "symlink": (_special(tarfile.SYMTYPE, "procedures/link.toml", "/etc/passwd"), "links"),
    "hardlink": (_special(tarfile.LNKTYPE, "hard.toml", "pack.toml"), "links"),
    "char-device": (_special(tarfile.CHRTYPE, "tty"), "devices"),
    "block-device": (_special(tarfile.BLKTYPE, "disk"), "devices"),
    "fifo": (_special(tarfile.FIFOTYPE, "pipe"), "FIFOs"),
    "duplicate": (lambda tar: _file(tar, "pack.toml", b'id = "test"\nversion = "2026.02.01"\n'), "twice"),
}


def test_the_same_tar_without_the_bad_member_is_accepted(
        store: ContentStore, make_pack: MakePack, signing_key: SecretKey, tmp_path: Path) -> None:
    archive = _tar_with(tmp_path, make_pack("2026.02.01"), lambda tar: None)
    assert store.install(archive, _signed(archive, signing_key)).version == "2026.02.01"


@pytest.mark.parametrize("kind", sorted(EVIL_TARS))
def test_unsafe_tar_is_refused_with_the_running_pack_intact(
        kind: str, store: ContentStore, make_pack: MakePack, signing_key: SecretKey, tmp_path: Path) -> None:
    before = store.current_path()
    add, reason = EVIL_TARS[kind]
    archive = _tar_with(tmp_path, make_pack("2026.02.01"), add)

    with pytest.raises(ArchiveError) as refused:
        store.install(archive, _signed(archive, signing_key))     # even when properly signed

    assert reason in refused.value.detail
    assert store.current_path() == before and store.current_version() == "2026.01.01"
    assert not (tmp_path / "escaped.txt").exists() and not Path("/tmp/pan-kiosk-escaped.txt").exists()
    assert not store.staging.exists() or not any(store.staging.iterdir())
    assert sorted(p.name for p in store.packs.iterdir()) == [before.name if before else ""]


@pytest.mark.parametrize("kind", ["symlink", "dotdot", "absolute"])
def test_unsafe_zip_is_refused(kind: str, store: ContentStore, make_pack: MakePack,
                               signing_key: SecretKey, tmp_path: Path) -> None:
    good = make_pack("2026.02.01")
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for file in sorted(good.rglob("*")):
            if file.is_file():
                zf.write(file, file.relative_to(good).as_posix())
        if kind == "symlink":
            info = zipfile.ZipInfo("procedures/link.toml")
            info.external_attr = 0o120777 << 16
            zf.writestr(info, "/etc/passwd")
        else:
            zf.writestr("../escaped.txt" if kind == "dotdot" else "/abs.txt", "pwned")

    with pytest.raises(ArchiveError):
        store.install(archive, _signed(archive, signing_key))
    assert store.current_version() == "2026.01.01"


def test_a_plain_zip_pack_is_accepted(store: ContentStore, make_pack: MakePack, signing_key: SecretKey,
                                      tmp_path: Path) -> None:
    good = make_pack("2026.02.01")
    archive = tmp_path / "good.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for file in sorted(good.rglob("*")):
            zf.write(file, file.relative_to(good).as_posix())
    assert store.install(archive, _signed(archive, signing_key)).version == "2026.02.01"


def test_truncated_or_garbage_archive_with_a_valid_signature_is_refused(
        store: ContentStore, make_pack: MakePack, signing_key: SecretKey, tmp_path: Path) -> None:
    archive = tmp_path / "p.tar.gz"
    build_tar_gz(make_pack("2026.02.01"), archive)
    archive.write_bytes(archive.read_bytes()[:-40])
    with pytest.raises(ArchiveError):
        store.install(archive, _signed(archive, signing_key))
    archive.write_bytes(os.urandom(3000))
    with pytest.raises(ArchiveError):
        store.install(archive, _signed(archive, signing_key))
    assert store.current_version() == "2026.01.01"


def test_signed_but_invalid_pack_or_mismatched_version_is_refused(
        store: ContentStore, make_pack: MakePack, signing_key: SecretKey, tmp_path: Path) -> None:
    archive = tmp_path / "p.tar.gz"
    build_tar_gz(make_pack("2026.02.01", broken=True), archive)
    with pytest.raises(InvalidPackError):
        store.install(archive, _signed(archive, signing_key))
    build_tar_gz(make_pack("2026.03.01"), archive)
    with pytest.raises(VersionError):          # signed as 2026.02.01, pack.toml says 2026.03.01
        store.install(archive, _signed(archive, signing_key, version="2026.02.01"))
    with pytest.raises(VersionError):          # older than the running pack
        store.install(archive, _signed(archive, signing_key, version="2025.01.01"))
    with pytest.raises(SignatureError):        # unsigned: an empty signature file
        store.install(archive, "")
    assert store.current_version() == "2026.01.01"


@pytest.mark.parametrize("step", STEPS)
def test_power_cut_after_each_step_leaves_a_working_pack(
        step: str, store: ContentStore, make_pack: MakePack, signing_key: SecretKey, tmp_path: Path) -> None:
    """The install runs in a child process that dies with os._exit (no cleanup, no finally) right
    after `step`; a new store on the same directory recovers and must show a complete pack."""
    archive = tmp_path / "p.tar.gz"
    build_tar_gz(make_pack("2026.02.01"), archive)
    signature = _signed(archive, signing_key)

    def die_after(name: str) -> None:
        if name == step:
            os._exit(17)

    pid = os.fork()
    if pid == 0:                                          # child: install, dying at `step`
        try:
            ContentStore(store.root, signing_key.public(), after_step=die_after).install(archive, signature)
        finally:
            os._exit(3)                                   # reached only if the step never came
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 17

    seen_before_recovery = ContentStore(store.root).current_version()
    after = ContentStore(store.root, signing_key.public(), seed_pack=None)
    after.recover()

    expected = "2026.02.01" if STEPS.index(step) >= STEPS.index("switched") else "2026.01.01"
    assert seen_before_recovery == expected              # what a kiosk starting right then would load
    assert after.current_version() == expected
    load_pack(after.current_path() or Path("/missing"))
    assert not after.staging.exists()
    assert not list(after.root.glob(".*"))
    # and the store still works: the same update goes through (or is already there)
    if expected == "2026.01.01":
        assert after.install(archive, signature).version == "2026.02.01"


def test_recover_falls_back_to_previous_then_to_the_shipped_pack(
        store: ContentStore, make_pack: MakePack, signing_key: SecretKey, tmp_path: Path) -> None:
    archive = tmp_path / "p.tar.gz"
    build_tar_gz(make_pack("2026.02.01"), archive)
    store.install(archive, _signed(archive, signing_key))
    current = store.current_path()
    assert current is not None
    (current / "pack.toml").unlink()                    # disk damage to the current pack

    assert any("previous" in line for line in store.recover())
    assert store.current_version() == "2026.01.01"

    shutil.rmtree(store.packs)
    store.recover()
    assert store.current_version() == "2026.01.01"       # re-seeded from the shipped pack


def test_recover_installs_a_newer_shipped_pack(tmp_path: Path, make_pack: MakePack) -> None:
    root = tmp_path / "store"
    ContentStore(root, seed_pack=make_pack("2026.01.01")).recover()
    upgraded = ContentStore(root, seed_pack=make_pack("2026.05.01"))   # the .deb shipped newer content
    upgraded.recover()
    assert upgraded.current_version() == "2026.05.01"


def test_versions_compare_numbers_as_numbers() -> None:
    assert is_newer("2026.11.10", "2026.11.9")
    assert is_newer("2026.01.02", "2026.01.01") and not is_newer("2026.01.01", "2026.01.01")
    assert is_newer("2026.01.01", None)


def test_publish_refuses_an_invalid_pack(make_pack: MakePack, signing_key: SecretKey, tmp_path: Path) -> None:
    from kiosk.content.pack import PackError
    with pytest.raises(PackError):
        publish(make_pack("2026.02.01", broken=True), tmp_path / "out", signing_key)
    assert not (tmp_path / "out").exists()


def test_archives_are_reproducible(make_pack: MakePack, tmp_path: Path) -> None:
    pack = make_pack("2026.02.01")
    build_tar_gz(pack, tmp_path / "a.tar.gz")
    os.utime(pack / "pack.toml", (1, 1))
    build_tar_gz(pack, tmp_path / "b.tar.gz")
    assert (tmp_path / "a.tar.gz").read_bytes() == (tmp_path / "b.tar.gz").read_bytes()


minisign = pytest.mark.skipif(shutil.which("minisign") is None, reason="minisign tool not installed")


@minisign
def test_the_stock_minisign_tool_agrees_with_us(store: ContentStore, make_pack: MakePack,
                                                 tmp_path: Path) -> None:
    """Keys and signatures made by `minisign` work in the kiosk, and ours verify with `minisign -V`."""
    subprocess.run(["minisign", "-G", "-W", "-p", str(tmp_path / "k.pub"), "-s", str(tmp_path / "k.key")],
                   check=True, capture_output=True)
    tool_key = PublicKey.parse((tmp_path / "k.pub").read_text())
    archive = tmp_path / "test-2026.02.01.tar.gz"
    build_tar_gz(make_pack("2026.02.01"), archive)
    subprocess.run(["minisign", "-S", "-s", str(tmp_path / "k.key"), "-m", str(archive),
                    "-t", trusted_comment("test", "2026.02.01", archive.name)],
                   check=True, capture_output=True)
    signature = archive.with_name(archive.name + ".minisig").read_text()
    assert verify_file(archive, signature, tool_key).startswith("pan-kiosk-pack")
    tool_store = ContentStore(store.root, tool_key)
    assert tool_store.install(archive, signature).version == "2026.02.01"

    ours = SecretKey.parse((tmp_path / "k.key").read_text())
    sign_archive(archive, ours, "test", "2026.02.01")
    checked = subprocess.run(["minisign", "-V", "-p", str(tmp_path / "k.pub"), "-m", str(archive)],
                             check=False, capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    assert "pan-kiosk-pack id=test version=2026.02.01" in checked.stdout
