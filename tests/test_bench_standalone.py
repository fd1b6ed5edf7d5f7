"""The benchmarks run from a plain install: no tests folder, no pytest. A copy of bench/ in a directory
without tests/, in an isolated interpreter (`-I`: no PYTHONPATH, no current directory) where pytest
cannot be imported, imports every bench module and every module any of them imports, at the top or
inside a function (the benches import lazily, so importing bench/*.py alone would prove little)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench"

PLAIN_IMPORTS = """
import ast, importlib, json, sys
from pathlib import Path

sys.modules["pytest"] = None     # any `import pytest` now raises ImportError
sys.modules["_pytest"] = None
root = Path(sys.argv[1])
sys.path.insert(0, str(root))
names = set()
for file in sorted((root / "bench").glob("*.py")):
    if file.stem != "startup_probe":      # a script run as its own process (reads argv): only its imports
        importlib.import_module(f"bench.{file.stem}")
    for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
failed = {}
for name in sorted(names):
    try:
        importlib.import_module(name)
    except Exception as exc:
        failed[name] = repr(exc)
print(json.dumps({"imported": sorted(names), "failed": failed,
                  "path": [p for p in sys.path if "tests" in Path(p).parts]}))
"""


def test_bench_modules_import_without_tests_and_pytest(tmp_path: Path) -> None:
    shutil.copytree(BENCH, tmp_path / "bench", ignore=shutil.ignore_patterns("__pycache__"))
    assert not (tmp_path / "tests").exists()
    result = subprocess.run([sys.executable, "-I", "-c", PLAIN_IMPORTS, str(tmp_path)], cwd=tmp_path,
                            capture_output=True, text=True, check=False, timeout=120)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["failed"] == {}
    assert report["path"] == []                     # no bench puts a tests folder on sys.path
    assert {"bench.private_cupsd", "kiosk.receipts", "kiosk.speech.engines"} <= set(report["imported"])


def test_bench_run_help_without_tests(tmp_path: Path) -> None:
    shutil.copytree(BENCH, tmp_path / "bench", ignore=shutil.ignore_patterns("__pycache__"))
    result = subprocess.run([sys.executable, "-I", str(tmp_path / "bench" / "run.py"), "--help"],
                            cwd=tmp_path, capture_output=True, text=True, check=False, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "--only" in result.stdout
