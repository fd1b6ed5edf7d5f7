"""Every `pan-kiosk` command answers hostile arguments with one line on stderr and its error code.

Each case runs the real command line in a subprocess (offscreen Qt, a fresh HOME); the cases run
side by side once per module and each test reads its own result. Expected: exit 2 (bad argument) and
exactly one line on stderr, unless the command documents another answer (`report`: the doctor's FAIL
line, journal verify's ALTERED report on stdout); never a traceback, never Qt's "Signal source has
been deleted" from a kiosk left half-built.
"""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from kiosk.sync.minisign import SecretKey


@dataclass(frozen=True)
class Case:
    name: str
    argv: tuple[str, ...]
    codes: tuple[int, ...] = (2,)
    stdin: bytes = b""
    report: bool = False       # the command's documented report on stdout, nothing on stderr


def case(name: str, *argv: str, codes: tuple[int, ...] = (2,), stdin: bytes = b"",
         report: bool = False) -> Case:
    return Case(name, argv, codes, stdin, report)


# Placeholders, filled in by `hostile_files`: {missing} does not exist, {dir} is a directory, {binary}
# holds every byte value, {latin1} is a TOML file in Latin-1 (not UTF-8), {unreadable} is mode 000
# (root reads it anyway: it holds bytes no command accepts), {file} is a plain text file, {nowhere}
# is under directories that do not exist (one per case), {key} is a valid signing key and {junkkey}
# a file that is not one, {badkey} is a configuration whose content key is not an Ed25519 key,
# {filestore} a configuration whose content store is a file.
BAD_FILES = ("missing", "dir", "binary", "latin1", "unreadable")
BAD_CONFIGS = (*BAD_FILES, "empty")
CONFIG_COMMANDS = (
    ("run",), ("demo",), ("screens",), ("doctor",),
    ("content", "update"), ("content", "recover"), ("content", "rollback"), ("content", "status"),
    ("journal", "verify"), ("journal", "show"), ("stats", "export"), ("mediator", "help-test"),
)
SLOT = {"empty": "", "missing": "{missing}", "dir": "{dir}", "binary": "{binary}", "latin1": "{latin1}",
        "unreadable": "{unreadable}"}

CASES = [
    *(case(f"{'-'.join(cmd)}--config-{bad}", *cmd, "--config", SLOT[bad],
           report=cmd == ("doctor",) and bad in ("binary", "latin1", "unreadable"))    # a FAIL config line
      for cmd in CONFIG_COMMANDS for bad in BAD_CONFIGS),
    case("no-command--config-missing", "--config", "{missing}"),
    case("unknown-command", "frobnicate"),
    case("empty-command", ""),
    *(case(f"check-config-{bad}", "check-config", SLOT[bad]) for bad in BAD_CONFIGS),
    case("config-example-extra", "config-example", "extra"),
    # screens and demo
    case("screens-unknown-language", "screens", "--langs", "xx", "--out", "{tmp}/screens"),
    case("screens-no-language", "screens", "--langs", "", "--out", "{tmp}/screens"),
    case("screens-commas-only", "screens", "--langs", ",,", "--out", "{tmp}/screens"),
    case("screens-huge-size", "screens", "--size", "99999999999x99999999999", "--out", "{tmp}/screens"),
    case("screens-zero-size", "screens", "--size", "0x0", "--out", "{tmp}/screens"),
    case("screens-size-word", "screens", "--size", "big", "--out", "{tmp}/screens"),
    case("screens-out-is-file", "screens", "--out", "{file}"),
    case("screens-out-under-file", "screens", "--out", "{file}/screens"),
    case("screens-out-empty", "screens", "--out", ""),
    case("demo-out-is-file", "demo", "--out", "{file}"),
    # content
    *(case(f"content-{cmd}-{bad}", "content", cmd, path)
      for cmd in ("check", "list", "extract")
      for bad, path in (("missing", "{missing}"), ("file", "{file}"), ("empty", ""), ("binary", "{binary}"))),
    *(case(f"content-import-fiche-{bad}", "content", "import-fiche", SLOT[bad]) for bad in BAD_CONFIGS),
    case("content-import-fiche-output-dir", "content", "import-fiche", "{fiche}", "-o", "{dir}"),
    case("content-import-fiche-output-nowhere", "content", "import-fiche", "{fiche}", "-o", "{nowhere}"),
    case("content-import-fiche-empty-id", "content", "import-fiche", "{fiche}", "--id", ""),
    case("content-keygen-exists", "content", "keygen", "{file}", "{tmp}/new.pub"),
    case("content-keygen-nowhere", "content", "keygen", "{nowhere}", "{tmp}/new2.pub"),
    case("content-keygen-dir", "content", "keygen", "{tmp}/new3.key", "{dir}"),
    case("content-keygen-empty", "content", "keygen", "", ""),
    *(case(f"content-sign-archive-{bad}", "content", "sign", SLOT[bad], "--key", "{key}")
      for bad in BAD_CONFIGS),
    *(case(f"content-sign-key-{bad}", "content", "sign", "{binary}", "--key", SLOT[bad])
      for bad in BAD_CONFIGS),
    case("content-sign-key-junk", "content", "sign", "{binary}", "--key", "{junkkey}"),
    case("content-publish-key-junk", "content", "publish", "--key", "{junkkey}", "-o", "{tmp}/served"),
    case("content-publish-pack-missing", "content", "publish", "{missing}", "--key", "{key}",
         "-o", "{tmp}/served"),
    *(case(f"content-publish-key-{bad}", "content", "publish", "--key", SLOT[bad], "-o", "{tmp}/served")
      for bad in BAD_CONFIGS),
    case("content-publish-output-file", "content", "publish", "--key", "{key}", "-o", "{file}"),
    case("content-status-bad-key", "content", "status", "--config", "{badkey}"),
    case("content-recover-store-is-file", "content", "recover", "--config", "{filestore}"),
    case("content-status-store-is-file", "content", "status", "--config", "{filestore}"),
    case("content-rollback-store-is-file", "content", "rollback", "--config", "{filestore}"),
    # i18n (only cases that stop before anything is written into the source tree)
    case("i18n-no-subcommand", "i18n"),
    case("i18n-check-bad-domain", "i18n", "check", "--domain", "nope"),
    case("i18n-compile-extra", "i18n", "compile", "extra"),
    case("i18n-audio-script-unknown", "i18n", "audio-script", "xx"),
    case("i18n-audio-script-empty", "i18n", "audio-script", ""),
    case("i18n-audio-script-out-dir", "i18n", "audio-script", "ps", "--out", "{dir}"),
    case("i18n-audio-script-out-nowhere", "i18n", "audio-script", "ps", "--out", "{nowhere}"),
    # receipts
    case("receipt-sample-unknown-language", "receipt", "sample", "--lang", "xx", "--out", "{tmp}/r.pdf"),
    case("receipt-sample-out-dir", "receipt", "sample", "--out", "{dir}"),
    case("receipt-sample-out-nowhere", "receipt", "sample", "--out", "{nowhere}"),
    case("receipt-sample-out-empty", "receipt", "sample", "--out", ""),
    case("receipt-print-test-negative-timeout", "receipt", "print-test", "--timeout", "-1"),
    case("receipt-print-test-nan-timeout", "receipt", "print-test", "--timeout", "nan"),
    case("receipt-print-test-huge-timeout", "receipt", "print-test", "--timeout", "1e999"),
    case("receipt-print-test-empty-queue", "receipt", "print-test", "--queue", ""),
    # doctor
    case("doctor-metrics-dir", "doctor", "--metrics", "{dir}"),
    case("doctor-metrics-under-file", "doctor", "--metrics", "{file}/metrics/doctor.prom"),
    # journal, stats, mediator
    case("journal-verify-missing", "journal", "verify", "{missing}"),
    case("journal-verify-binary", "journal", "verify", "{binary}", codes=(1,), report=True),   # altered
    case("journal-verify-empty-dir", "journal", "verify", "{dir}"),
    case("journal-show-empty-dir", "journal", "show", "{dir}"),
    case("journal-show-empty-path", "journal", "show", ""),
    case("journal-show-negative-last", "journal", "show", "{binary}", "--last", "-3"),
    case("journal-show-zero-last", "journal", "show", "{binary}", "--last", "0"),
    case("journal-show-word-last", "journal", "show", "{binary}", "--last", "many"),
    case("stats-export-bad-date", "stats", "export", "--since", "2026-13-45"),
    case("stats-export-out-dir", "stats", "export", "--out", "{dir}"),
    case("stats-export-out-nowhere", "stats", "export", "--out", "{nowhere}"),
    case("stats-export-out-empty", "stats", "export", "--out", ""),
    case("hash-pin-empty-id", "mediator", "hash-pin", "--id", "", "--stdin", stdin=b"123456\n"),
    case("hash-pin-zero-ln", "mediator", "hash-pin", "--id", "m1", "--ln", "0", "--stdin", stdin=b"123456\n"),
    case("hash-pin-huge-ln", "mediator", "hash-pin", "--id", "m1", "--ln", "99999999999999999999",
         "--stdin", stdin=b"123456\n"),
    case("hash-pin-binary-stdin", "mediator", "hash-pin", "--id", "m1", "--ln", "10", "--stdin",
         stdin=b"\xff\xfe\x00\x81\n"),
    case("hash-pin-empty-stdin", "mediator", "hash-pin", "--id", "m1", "--ln", "10", "--stdin"),
    case("hash-pin-no-terminal", "mediator", "hash-pin", "--id", "m1", "--ln", "10"),
    # site map: record and check
    *(case(f"site-check-{bad}", "site", "check", path)
      for bad, path in (("missing", "{missing}"), ("dir", "{dir}"), ("binary", "{binary}"),
                        ("latin1", "{latin1}"), ("unreadable", "{unreadable}"), ("file", "{file}"),
                        ("empty", ""))),
    case("site-check-pack-missing", "site", "check", "{recording}", "--pack", "{missing}"),
    case("site-check-pack-file", "site", "check", "{recording}", "--pack", "{file}"),
    case("site-check-unknown-procedure", "site", "check", "{recording}", "--procedure", "nope"),
    case("site-check-empty-procedure", "site", "check", "{recording}", "--procedure", ""),
    case("site-record-no-out", "site", "record"),
    case("site-record-out-dir", "site", "record", "--out", "{dir}"),
    case("site-record-out-nowhere", "site", "record", "--out", "{nowhere}"),
    case("site-record-out-empty", "site", "record", "--out", ""),
    case("site-record-start-file", "site", "record", "--out", "{tmp}/draft.toml", "--start", "file:///etc/passwd"),
    case("site-record-start-elsewhere", "site", "record", "--out", "{tmp}/draft.toml",
         "--start", "https://example.org/"),
    case("site-record-unknown-procedure", "site", "record", "--out", "{tmp}/draft.toml",
         "--procedure", "nope"),
    case("site-record-unknown-language", "site", "record", "--out", "{tmp}/draft.toml", "--lang", "xx"),
    *(case(f"site-record--config-{bad}", "site", "record", "--out", "{tmp}/draft.toml", "--config", SLOT[bad])
      for bad in BAD_CONFIGS),
]


def hostile_files(root: Path) -> dict[str, str]:
    (root / "home").mkdir()
    (root / "dir").mkdir()
    (root / "binary").write_bytes(bytes(range(256)) * 8)
    (root / "latin1.toml").write_bytes('[terminal]\nid = "café"\n'.encode("latin-1"))
    unreadable = root / "unreadable"
    unreadable.write_bytes(b"\x00\xff" * 64)
    unreadable.chmod(0)
    (root / "plain.txt").write_text("hello\n", encoding="utf-8")
    (root / "fiche.xml").write_text("<Publication ID='F1'/>", encoding="utf-8")
    (root / "team.key").write_text(SecretKey.generate().to_text(), encoding="utf-8")
    (root / "junk.key").write_text("untrusted comment: not a key\nAAAA\n", encoding="utf-8")
    (root / "badkey.toml").write_text(f'[updates]\npublic_key = "RW{"A" * 54}"\ndir = "{root}/store"\n',
                                      encoding="utf-8")
    (root / "filestore.toml").write_text(f'[updates]\ndir = "{root}/plain.txt"\n', encoding="utf-8")
    (root / "recording.toml").write_text('status = "recorded"\nrecorded = 2026-12-08\n', encoding="utf-8")
    return {"tmp": str(root), "missing": str(root / "missing.toml"), "dir": str(root / "dir"),
            "binary": str(root / "binary"), "latin1": str(root / "latin1.toml"),
            "unreadable": str(unreadable), "file": str(root / "plain.txt"),
            "fiche": str(root / "fiche.xml"), "key": str(root / "team.key"),
            "junkkey": str(root / "junk.key"), "badkey": str(root / "badkey.toml"),
            "filestore": str(root / "filestore.toml"), "recording": str(root / "recording.toml")}


def run_case(c: Case, slots: dict[str, str], home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(home),
           "XDG_CONFIG_HOME": str(home / ".config"), "XDG_DATA_HOME": str(home / ".local" / "share")}
    nowhere = Path(slots["tmp"]) / f"nowhere-{c.name}" / "no" / "out"
    argv = [arg.format(**slots, nowhere=nowhere) for arg in c.argv]
    done = subprocess.run([sys.executable, "-m", "kiosk", *argv], input=c.stdin, capture_output=True,
                          env=env, cwd=home, check=False, timeout=60)
    return subprocess.CompletedProcess(done.args, done.returncode,
                                       done.stdout.decode("utf-8", "replace"),
                                       done.stderr.decode("utf-8", "replace"))


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, subprocess.CompletedProcess[str]]:
    root = tmp_path_factory.mktemp("hostile")
    slots = hostile_files(root)
    with ThreadPoolExecutor(max_workers=4) as pool:
        done = pool.map(lambda c: run_case(c, slots, root / "home"), CASES)
        return {c.name: result for c, result in zip(CASES, done, strict=True)}


def test_case_names_are_unique() -> None:
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("c", CASES, ids=lambda c: c.name)
def test_bad_argument_gets_one_line_and_an_error_code(
        c: Case, results: dict[str, subprocess.CompletedProcess[str]]) -> None:
    result = results[c.name]
    everything = result.stdout + result.stderr
    assert "Traceback" not in everything, everything
    assert "Signal source has been deleted" not in everything, everything
    assert result.returncode in c.codes, everything
    if c.report:
        assert result.stderr == "" and result.stdout.strip(), everything
    else:
        assert len(result.stderr.splitlines()) == 1, everything


def test_the_doctor_reports_an_unreadable_configuration_in_its_one_config_line(
        results: dict[str, subprocess.CompletedProcess[str]]) -> None:
    lines = results["doctor--config-binary"].stdout.splitlines()
    assert all(line.split()[0] in ("OK", "WARN", "FAIL") for line in lines), lines
    config = [line for line in lines if line.split()[1] == "config"]
    assert len(config) == 1 and config[0].startswith("FAIL") and "UTF-8" in config[0].upper(), lines
