"""`pan-kiosk --help` lists every command; `pan-kiosk` alone starts the kiosk only where it can be seen;
the command lines of the packaging and the demo script still parse."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.__main__ import build_parser, display_available
from kiosk.cli.arguments import commands

REPO = Path(__file__).resolve().parents[2]
NO_DISPLAY = {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}


def pan_kiosk(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in NO_DISPLAY}
    return subprocess.run([sys.executable, "-m", "kiosk", *args], capture_output=True, text=True,
                          env={**base, "HOME": str(tmp_path), **env}, cwd=tmp_path, check=False, timeout=60)


def test_help_lists_every_command_on_one_line_each(tmp_path: Path) -> None:
    result = pan_kiosk(["--help"], tmp_path)
    assert result.returncode == 0 and result.stderr == ""
    lines = result.stdout.splitlines()
    listed = commands(build_parser())
    assert len(listed) >= 25
    for name, text, _ in listed:
        assert text, f"{name} has no help line"
        assert any(re.fullmatch(rf"  {re.escape(name)} +{re.escape(text)}", line) for line in lines), name
    assert "--windowed" not in result.stdout          # no longer `run`'s options
    assert pan_kiosk(["-h"], tmp_path).stdout == result.stdout


def test_each_command_describes_itself_in_its_own_help(tmp_path: Path) -> None:
    result = pan_kiosk(["content", "sign", "--help"], tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith("usage: pan-kiosk content sign ")
    assert "Sign a pack archive" in result.stdout


@pytest.mark.parametrize("args", [[], ["--windowed"], ["-v"]], ids=["bare", "windowed", "verbose"])
def test_without_a_display_the_kiosk_says_what_to_do_instead(tmp_path: Path, args: list[str]) -> None:
    result = pan_kiosk(args, tmp_path)
    assert result.returncode == 2 and result.stdout == ""
    message = result.stderr
    assert 1 <= len(message.splitlines()) <= 2, message
    for hint in ("pan-kiosk run --windowed", "bash scripts/run-demo.sh", "pan-kiosk --help"):
        assert hint in message
    assert "Traceback" not in message and "session" not in message     # nothing was started


def test_xcb_without_an_x_display_is_no_display_either(tmp_path: Path) -> None:
    assert pan_kiosk([], tmp_path, QT_QPA_PLATFORM="xcb").returncode == 2


@pytest.mark.parametrize("env", [{"QT_QPA_PLATFORM": "offscreen"}, {"DISPLAY": ":99"},
                                 {"WAYLAND_DISPLAY": "wayland-9"}], ids=["offscreen", "x11", "wayland"])
def test_with_a_display_no_command_means_run(tmp_path: Path, env: dict[str, str]) -> None:
    # a missing --config stops `run` while it parses: proof of where the call went, without a kiosk
    result = pan_kiosk(["--config", str(tmp_path / "missing.toml")], tmp_path, **env)
    assert result.returncode == 2
    assert result.stderr.startswith("pan-kiosk run: argument --config: no such file"), result.stderr


@pytest.mark.parametrize(("env", "seen"), [
    ({}, False),
    ({"DISPLAY": ""}, False),
    ({"QT_QPA_PLATFORM": "xcb"}, False),
    ({"DISPLAY": ":0"}, True),
    ({"WAYLAND_DISPLAY": "wayland-0"}, True),
    ({"QT_QPA_PLATFORM": "offscreen"}, True),
    ({"QT_QPA_PLATFORM": "wayland"}, True),       # libwayland falls back to the wayland-0 socket
    ({"QT_QPA_PLATFORM": "xcb;offscreen"}, True),
    ({"QT_QPA_PLATFORM": "eglfs"}, True),          # bare hardware, no compositor
    ({"QT_QPA_PLATFORM": "vnc:size=1080x1920"}, True),
])
def test_display_available(env: dict[str, str], seen: bool) -> None:
    assert display_available(env) is seen


def packaged_command_lines() -> list[tuple[str, str]]:
    """Every pan-kiosk command line of the systemd units, the maintainer scripts, the Ansible playbooks
    and the demo script: (where, the arguments)."""
    found: list[tuple[str, str]] = []
    sources = [*sorted((REPO / "packaging" / "systemd").glob("*.service")),
               *sorted((REPO / "packaging" / "debian").glob("post*")),
               *sorted((REPO / "packaging" / "ansible").glob("*.yml")), REPO / "scripts" / "run-demo.sh"]
    command = re.compile(r"(?:/usr/bin/pan-kiosk|python -m kiosk|(?<![\w/-])pan-kiosk) ([a-z][^\"'|;&<>]*)")
    for path in sources:
        text = path.read_text(encoding="utf-8").replace("\\\n", " ")        # shell line continuations
        for line in text.splitlines():
            match = None if line.lstrip().startswith("#") else command.search(line)
            if match:
                found.append((f"{path.relative_to(REPO)}: {line.strip()}", match.group(1)))
    return found


def test_the_packaged_command_lines_still_parse(tmp_path: Path) -> None:
    conf = tmp_path / "kiosk.toml"
    conf.write_text("", encoding="utf-8")
    lines = packaged_command_lines()
    where = {where.split(":")[0] for where, _ in lines}
    assert {"packaging/systemd/pan-kiosk.service", "scripts/run-demo.sh"} <= where
    assert any("run --config" in args for _, args in lines)       # the kiosk unit names `run`
    parser = build_parser()
    for where, args in lines:
        argv = [str(conf) if arg in ("/etc/pan-kiosk/kiosk.toml", "%s") else arg for arg in shlex.split(args)]
        try:
            parsed = parser.parse_args(argv)
        except SystemExit:
            pytest.fail(f"no longer parses: {where}")
        assert parsed.func is not None, where
