"""The visitor's prepared documents: one upload-ready file per document id of the content pack.

Held by the session (`Session.documents`), so they go with it at the wipe. The scan controller puts a
file here when it has written one; the checklist, the site's upload picker and the receipt read them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kiosk.content.model import Procedure, StepKind


@dataclass(frozen=True)
class PreparedFile:
    path: Path
    pages: int
    bytes: int

    @property
    def megabytes(self) -> float:
        return self.bytes / 1e6


class PreparedDocuments:
    def __init__(self) -> None:
        self._files: dict[str, PreparedFile] = {}

    def put(self, doc_id: str, file: PreparedFile) -> None:
        """A new file for a document replaces the one before (a rescan)."""
        self._files[doc_id] = file

    def get(self, doc_id: str) -> PreparedFile | None:
        return self._files.get(doc_id)

    def ready(self) -> dict[str, PreparedFile]:
        return dict(self._files)

    def missing(self, procedure: Procedure) -> list[str]:
        """The documents the procedure's checklists ask for that have no file yet, in guide order."""
        wanted = dict.fromkeys(doc for step in procedure.steps.values()
                               if step.kind is StepKind.CHECKLIST for doc in step.documents)
        return [doc for doc in wanted if doc not in self._files]

    def clear(self) -> None:
        self._files.clear()

    def __len__(self) -> int:
        return len(self._files)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._files
