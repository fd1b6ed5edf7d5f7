"""`pan-kiosk journal verify|show`, `pan-kiosk stats export`, `pan-kiosk mediator hash-pin`."""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk import config
from kiosk.__main__ import main
from kiosk.mediator.auth import Account
from kiosk.mediator.journal import Journal, journal_files
from kiosk.visit.session import EndReason, SessionManager
from kiosk.visit.stats import DailyCounters


def test_journal_verify_exit_codes_and_where(make_journal: Callable[..., Journal], journal_dir: Path) -> None:
    j = make_journal()
    for step in ("account", "upload", "payment"):
        j.append("med-01", "jump", {"step": step})
    ok = subprocess.run([sys.executable, "-m", "kiosk", "journal", "verify", str(journal_dir)],
                        capture_output=True, text=True, check=False)
    assert ok.returncode == 0 and "intact (3 entries in 1 file(s))" in ok.stdout
    f = journal_files(journal_dir)[0]
    lines = f.read_text().splitlines(keepends=True)
    f.write_text(lines[0] + lines[2])
    bad = subprocess.run([sys.executable, "-m", "kiosk", "journal", "verify", str(journal_dir)],
                         capture_output=True, text=True, check=False)
    assert bad.returncode == 1
    assert "journal-000001.jsonl line 2: removed: entry 2 is missing" in bad.stdout


def test_journal_verify_and_show_use_the_configured_directory(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], make_journal: Callable[..., Journal],
        journal_dir: Path) -> None:
    make_journal().append("adm-01", "maintenance_opened", {"role": "admin"})
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(f'[mediator]\njournal_dir = "{journal_dir}"\n')
    assert main(["journal", "verify", "--config", str(cfg)]) == 0
    assert main(["journal", "show", "--config", str(cfg)]) == 0
    out = capsys.readouterr().out
    assert "intact" in out and "adm-01" in out and "maintenance_opened" in out and "role=admin" in out
    assert main(["journal", "verify", str(tmp_path / "nowhere")]) == 2


def test_stats_export_writes_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    state = tmp_path / "state"
    counters = DailyCounters(state)
    sessions = SessionManager(tmp_path / "sessions", on_record=counters.record)
    for outcome in ("filed", "filed", "site_failure"):
        session = sessions.begin("ar")
        session.procedure, session.outcome = "renewal", outcome
        sessions.end(EndReason.FINISHED)
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(f'[stats]\ndir = "{state}"\n')
    out = tmp_path / "export.csv"
    assert main(["stats", "export", "--config", str(cfg), "--out", str(out)]) == 0
    rows = out.read_text().splitlines()
    assert rows[0] == "day,procedure,language,duration,outcome,count"
    assert sorted(r.split(",", 1)[1] for r in rows[1:]) == ["renewal,ar,0-5min,filed,2",
                                                           "renewal,ar,0-5min,site_failure,1"]
    assert main(["stats", "export", "--config", str(cfg), "--since", "2999-01-01"]) == 0
    assert capsys.readouterr().out.splitlines() == ["day,procedure,language,duration,outcome,count"]


def test_hash_pin_makes_a_config_entry(monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("482913\n"))
    assert main(["mediator", "hash-pin", "--id", "med-07", "--role", "admin", "--stdin", "--ln", "10"]) == 0
    captured = capsys.readouterr()
    entry = captured.out.strip()
    account = Account.parse(entry)
    assert (account.id, account.role.value) == ("med-07", "admin") and account.hash.matches("482913")
    assert "482913" not in captured.out + captured.err
    monkeypatch.setattr(sys, "stdin", io.StringIO("12\n"))
    assert main(["mediator", "hash-pin", "--id", "med-07", "--stdin"]) == 2
    assert config.parse(f'[mediator]\naccounts = ["{entry}"]\n').mediator.accounts == (entry,)


@pytest.mark.real_stack
def test_help_test_sends_one_request_with_the_keyring_token(tmp_path: Path, loopback,  # noqa: ANN001
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    server = loopback(statuses=[(200, {}, b"{}"), (401, {}, b"{}")]).start()
    creds = tmp_path / "creds"
    creds.mkdir()
    (creds / "pan-kiosk_help-token").write_text("tok-9911\n")
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(f'[terminal]\nid = "pref-69-01"\n[help]\nchannel = "webhook"\nurl = "{server.url}/h"\n')
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CREDENTIALS_DIRECTORY", str(creds))       # the systemd-credentials keyring
        assert main(["mediator", "help-test", "--config", str(cfg)]) == 0
        assert main(["mediator", "help-test", "--config", str(cfg)]) == 1
    out = capsys.readouterr()
    assert "webhook: delivered" in out.out and "NOT delivered (webhook: HTTP 401)" in out.err
    assert server.received[0].headers["Authorization"] == "Bearer tok-9911"
    assert server.received[0].body["step"] == "connection-test" and "tok-9911" not in out.out + out.err
