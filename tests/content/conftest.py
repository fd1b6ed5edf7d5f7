"""Small content packs written into tmp_path, valid by default, for breaking one thing at a time."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

PACK_TOML = 'id = "mini"\nversion = "2026.01.01"\ntitle = "Mini"\nlanguages = ["fr"]\n'
DOCUMENTS_TOML = '[passport]\nname = "Passeport"\nexplanation = "Votre passeport."\n'
PROCEDURE_TOML = '''id = "demo"
title = "Démarche démo"
summary = "Une démarche courte."
official_url = "https://administration-etrangers-en-france.interieur.gouv.fr/"
checked = 2026-01-01
start = "intro"

[[sources]]
ref = "F2209"
url = "https://www.service-public.fr/particuliers/vosdroits/F2209"
date = 2024-04-22

[[steps]]
id = "intro"
kind = "info"
title = "Bienvenue"
next = "which"

[[steps]]
id = "which"
kind = "question"
title = "Quelle branche ?"
  [[steps.answers]]
  id = "a"
  label = "Branche A"
  next = "docs"
  [[steps.answers]]
  id = "b"
  label = "Branche B"
  next = "end"

[[steps]]
id = "docs"
kind = "checklist"
title = "Vos documents"
documents = ["passport"]
next = "end"

[[steps]]
id = "end"
kind = "end"
title = "Fini"
'''

MakePack = Callable[..., Path]


@pytest.fixture
def procedure_toml() -> str:
    """The valid procedure of the small pack, as text to break with str.replace."""
    return PROCEDURE_TOML


@pytest.fixture
def make_pack(tmp_path: Path) -> MakePack:
    """make_pack(procedure=..., documents=..., extra_files={...}) -> the pack directory."""

    def make(procedure: str = PROCEDURE_TOML, documents: str = DOCUMENTS_TOML,
             name: str = "demo", extra_files: dict[str, str] | None = None) -> Path:
        root = tmp_path / "pack"
        (root / "procedures").mkdir(parents=True, exist_ok=True)
        (root / "pack.toml").write_text(PACK_TOML, encoding="utf-8")
        (root / "documents.toml").write_text(documents, encoding="utf-8")
        (root / "procedures" / f"{name}.toml").write_text(procedure, encoding="utf-8")
        for rel, text in (extra_files or {}).items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(text, encoding="utf-8")
        return root

    return make
