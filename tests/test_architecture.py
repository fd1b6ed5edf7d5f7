"""Qt lives only in `ui` modules (a `ui/` folder or a `ui.py` file of a capability, or the shared kit
`kiosk/ui/`) and in the composition root `kiosk/app.py`. No Qt-free module imports a `ui` module, except
the CLI's `run` command, which starts the kiosk."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

KIOSK = Path(__file__).resolve().parents[1] / "kiosk"
QT = ("PySide6", "shiboken6")


def is_ui(path: Path) -> bool:
    parts = path.relative_to(KIOSK).with_suffix("").parts
    return "ui" in parts or parts == ("app",)


def is_ui_module(name: str) -> bool:
    parts = name.split(".")
    return parts[0] == "kiosk" and ("ui" in parts[1:] or parts[1:2] == ["app"])


def non_ui_modules() -> list[Path]:
    return [p for p in sorted(KIOSK.rglob("*.py")) if not is_ui(p)]


def imported_names(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{a.name}" for a in node.names}
    return names


def test_no_qt_import_in_non_ui_sources() -> None:
    offenders = []
    for path in non_ui_modules():
        for name in imported_names(path):
            if name.split(".")[0] in QT:
                offenders.append(f"{path.relative_to(KIOSK)} imports {name}")
            if is_ui_module(name) and path.relative_to(KIOSK) != Path("cli/run.py"):
                offenders.append(f"{path.relative_to(KIOSK)} imports {name}")
    assert offenders == []


def test_importing_every_non_ui_module_loads_no_qt() -> None:
    modules = [".".join(("kiosk", *p.relative_to(KIOSK).with_suffix("").parts)).removesuffix(".__init__")
               for p in non_ui_modules() if p.name != "__main__.py"]
    code = ("import importlib, sys\n"
            f"for m in {modules!r}: importlib.import_module(m)\n"
            "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6')]\n"
            "print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ui_modules_are_recognised_in_every_capability() -> None:
    assert is_ui(KIOSK / "scan" / "ui" / "page.py") and is_ui(KIOSK / "printing" / "ui.py")
    assert is_ui(KIOSK / "ui" / "widgets.py") and is_ui(KIOSK / "app.py")
    assert not is_ui(KIOSK / "scan" / "scanner.py") and not is_ui(KIOSK / "visit" / "documents.py")
    assert is_ui_module("kiosk.browser.ui.step") and not is_ui_module("kiosk.browser.policy")


def test_the_check_catches_a_qt_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from PySide6.QtCore import QObject\n")
    assert "PySide6.QtCore" in imported_names(bad)
