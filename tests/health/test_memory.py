"""The allocator setting (kiosk.health.memory) reaches every way the kiosk starts, in fresh processes:
glibc keeps giving large blocks their own mapping after a large block was freed, so that freed page
images go back to the system. Each check runs in a subprocess, as the setting is per process."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from kiosk.health import memory

ROOT = Path(__file__).resolve().parents[2]
PROBE = "from kiosk.health.memory import large_blocks_mapped; print(large_blocks_mapped())"
MAIN_THEN_PROBE = ("import contextlib, io, sys\n"
                   "from kiosk.__main__ import main\n"
                   "with contextlib.redirect_stdout(io.StringIO()):\n"
                   "    main(sys.argv[1:])\n"
                   + PROBE)

pytestmark = pytest.mark.skipif(memory.large_blocks_mapped() is None, reason="not glibc ≥ 2.33")


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("GLIBC_TUNABLES", memory.SWITCH)}
    return {**env, "PYTHONPATH": str(ROOT), **extra}


def _run(script: str, env: dict[str, str], *args: str) -> str:
    out = subprocess.run([sys.executable, "-c", script, *args], env=env, cwd=ROOT, capture_output=True,
                         text=True, check=True, timeout=60)
    return out.stdout.strip().splitlines()[-1]


def pan_kiosk_commands() -> list[list[str]]:
    """The pan-kiosk command lines the units and the demo script run (the words after pan-kiosk)."""
    lines = [line.split("=", 1)[1] for unit in sorted((ROOT / "packaging" / "systemd").glob("*.service"))
             for line in unit.read_text(encoding="utf-8").splitlines() if line.startswith("ExecStart")]
    lines += re.findall(r"^exec (.*)$", (ROOT / "scripts" / "run-demo.sh").read_text(encoding="utf-8"),
                        re.MULTILINE)
    commands = []
    for line in lines:
        words = [w for w in shlex.split(line) if w != "$@"]
        commands.append(words[next(i for i, w in enumerate(words) if w.endswith("pan-kiosk")) + 1:])
    return commands


def test_a_fresh_process_keeps_glibcs_dynamic_threshold() -> None:
    """The control: without the setting, a large block freed raises the threshold (the probe sees it)."""
    assert _run(PROBE, _clean_env()) == "False"


def test_every_start_goes_through_kiosk_main() -> None:
    """The kiosk unit (through cage), the content unit, their ExecStartPre checks and the demo script
    all start `pan-kiosk`, whose entry point is kiosk.__main__.main."""
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts["pan-kiosk"] == "kiosk.__main__:main"
    commands = pan_kiosk_commands()
    assert ["run", "--config", "/etc/pan-kiosk/kiosk.toml"] in commands
    assert any(command[:1] == ["demo"] for command in commands)


@pytest.mark.parametrize("command", pan_kiosk_commands(), ids=" ".join)
def test_pan_kiosk_pins_the_threshold_before_anything_else(command: list[str]) -> None:
    """Each command line a unit or the demo script runs (asked for its --help here, so that nothing
    starts): the setting is made before the command is even parsed."""
    assert _run(MAIN_THEN_PROBE, _clean_env(), *command, "--help") == "True"


def test_the_measurement_switch_leaves_glibc_alone() -> None:
    assert _run(MAIN_THEN_PROBE, _clean_env(**{memory.SWITCH: "default"}), "--help") == "False"
    assert memory.tune_allocator({memory.SWITCH: "default"}) is False
