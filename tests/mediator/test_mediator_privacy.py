"""Planted personal values (a visitor's name and e-mail) never reach the journal, the stats or the logs."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest
from mediator_helpers import PLANTED, LoopbackServer, account

from kiosk.mediator.auth import RelockPolicy, Throttle
from kiosk.mediator.gate import Gate
from kiosk.mediator.help import HelpRequest, MatrixChannel, WebhookChannel
from kiosk.mediator.help_queue import HelpQueue
from kiosk.mediator.journal import Journal
from kiosk.mediator.verify import show
from kiosk.visit.session import EndReason, SessionManager
from kiosk.visit.stats import DailyCounters

TOKEN = "syt_secret-token-4411"
PIECES = (PLANTED, "Zoubida", "Kervella", "zk7731", "example.net", TOKEN)


def leaked(text: str) -> list[str]:
    return [p for p in PIECES if p.lower() in text.lower()]


@pytest.mark.real_stack
def test_planted_values_stay_out_of_journal_stats_and_logs(tmp_path: Path, loopback,  # noqa: ANN001
                                                           caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    now = [0.0]
    journal = Journal(tmp_path / "journal", "pref-69-01")
    gate = Gate([account("med-01", "mediator", "246810")], Throttle(clock=lambda: now[0]),
                RelockPolicy(180, lambda: now[0]), journal)

    # The visitor's session: their name typed as a receipt note; a mediator helps.
    counters = DailyCounters(tmp_path / "state")
    sessions = SessionManager(tmp_path / "sessions", on_record=counters.record)
    session = sessions.begin("ar")
    session.procedure = "renewal"
    session.references.append(PLANTED)
    session.outcome = "filed"
    assert gate.unlock(PLANTED).actor is None                   # typed into the PIN pad by mistake
    now[0] += 60
    assert gate.unlock("246810").actor == "med-01"
    gate.journal("med-01", "unlocked")
    gate.journal("med-01", "jump", step="upload", note=PLANTED)
    gate.journal("med-01", "language", language=PLANTED)
    gate.journal("med-01", "consent_given")
    gate.journal("med-01", "note", reason=PLANTED, procedure=session.references[0])

    # The visitor asks for help: webhook accepts, Matrix refuses the token (logged without it).
    hook = loopback().start()
    for channel in (WebhookChannel(hook.url, token=lambda: TOKEN, timeout_s=5),
                    MatrixChannel(hook.url, "!r:example.org", lambda: TOKEN, timeout_s=5)):
        queue = HelpQueue(channel, clock=lambda: now[0])
        queue.submit(HelpRequest("pref-69-01", "upload", session.language))
        queue.pump()
    hook.statuses[:] = [(401, {}, b'{"errcode": "M_UNKNOWN_TOKEN"}')]
    queue = HelpQueue(MatrixChannel(hook.url, "!r:example.org", lambda: TOKEN, timeout_s=5),
                      clock=lambda: now[0])
    queue.submit(HelpRequest("pref-69-01", "upload", "ar"))
    queue.pump()
    assert queue.failed == 1
    with pytest.raises(ValueError):
        HelpRequest("pref-69-01", PLANTED, "ar")
    sessions.end(EndReason.FINISHED)

    csv_text = io.StringIO()
    counters.export(csv_text)
    journal_text = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "journal").iterdir())
    shown = "\n".join(show(tmp_path / "journal"))
    sent = "".join(repr(r.body) for r in hook.received)
    assert "renewal,ar,0-5min,filed,1" in csv_text.getvalue()
    assert "unlock_failed" in journal_text and "consent_given" in journal_text and "step=upload" in shown
    assert leaked(csv_text.getvalue()) == []
    assert leaked(journal_text) == [] and leaked(shown) == []
    assert leaked(caplog.text) == [] and "not delivered" in caplog.text and "dropped detail" in caplog.text
    assert leaked(sent) == []                          # the bodies: ids and a language only, no token
    assert {r.headers.get("Authorization") for r in hook.received} == {f"Bearer {TOKEN}"}


def test_stats_keep_ids_only(tmp_path: Path) -> None:
    counters = DailyCounters(tmp_path)
    sessions = SessionManager(tmp_path / "sessions", on_record=counters.record)
    session = sessions.begin("fr")
    session.procedure = PLANTED                      # a bug elsewhere must not put free text in the counters
    session.outcome = "=HYPERLINK(\"http://x\")"
    sessions.end(EndReason.IDLE)
    out = io.StringIO()
    assert counters.export(out) == 1
    assert out.getvalue().splitlines()[1].split(",")[1:] == ["other", "fr", "0-5min", "other", "1"]
    assert leaked(counters.file.read_text()) == []


def test_loopback_server_fixture_sees_headers(loopback) -> None:  # noqa: ANN001
    server: LoopbackServer = loopback().start()
    WebhookChannel(server.url, token=lambda: TOKEN, timeout_s=5).send(HelpRequest("t1", None, "fr"))
    assert server.received[0].headers["Authorization"] == f"Bearer {TOKEN}"
