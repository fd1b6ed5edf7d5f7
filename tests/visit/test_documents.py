"""The visitor's prepared documents and the visit's outcome: pure models held by the session."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kiosk.content.model import Procedure, Step, StepKind
from kiosk.visit.documents import PreparedDocuments, PreparedFile
from kiosk.visit.outcome import Outcome
from kiosk.visit.session import EndReason, SessionManager


def procedure() -> Procedure:
    steps = {"a": Step("a", StepKind.CHECKLIST, "A", next="b", documents=("passport", "photo")),
             "b": Step("b", StepKind.CHECKLIST, "B", next="c", documents=("photo", "proof")),
             "c": Step("c", StepKind.END, "C")}
    return Procedure("p", "P", "", "https://example.org/", dt.date(2026, 12, 7), "a", steps, ())


def test_missing_follows_the_guide_order_and_forgets_nothing_asked() -> None:
    docs = PreparedDocuments()
    assert docs.missing(procedure()) == ["passport", "photo", "proof"]
    docs.put("photo", PreparedFile(Path("photo.pdf"), 1, 300_000))
    assert docs.missing(procedure()) == ["passport", "proof"]
    assert "photo" in docs and docs.get("photo").megabytes == 0.3 and docs.get("passport") is None


def test_a_rescan_replaces_the_file() -> None:
    docs = PreparedDocuments()
    docs.put("passport", PreparedFile(Path("a.pdf"), 1, 10))
    docs.put("passport", PreparedFile(Path("b.pdf"), 2, 20))
    assert docs.ready() == {"passport": PreparedFile(Path("b.pdf"), 2, 20)} and len(docs) == 1


def test_outcome_keeps_the_furthest() -> None:
    assert Outcome.ABANDONED.furthest(Outcome.COMPLETED) is Outcome.COMPLETED
    assert Outcome.FILED.furthest(Outcome.DOCUMENTS_PREPARED) is Outcome.FILED
    assert [o.rank for o in Outcome] == sorted(o.rank for o in Outcome)


def test_the_session_holds_the_documents_and_the_wipe_forgets_them(tmp_path: Path) -> None:
    records = []
    sessions = SessionManager(tmp_path, on_record=records.append)
    session = sessions.begin("fr")
    file = session.directory / "passport.pdf"
    file.write_bytes(b"%PDF")
    session.documents.put("passport", PreparedFile(file, 1, 4))
    session.references.append("REF-123")
    session.reached(Outcome.DOCUMENTS_PREPARED)
    sessions.end(EndReason.FINISHED)
    assert len(session.documents) == 0 and session.references == [] and not file.exists()
    assert records[0].outcome is Outcome.DOCUMENTS_PREPARED
