"""Mediator mode, "Call a mediator" and the fleet service as `kiosk.app.build` wires them: real scrypt
accounts and journal, a real webhook on 127.0.0.1, a real sd_notify socket, the real metrics file."""

from __future__ import annotations

import json
import os
import shutil
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from kiosk.health.ui.service import EXIT_RELOAD
from kiosk.mediator import HelpState, hash_code
from kiosk.mediator.verify import verify
from kiosk.sync.minisign import SecretKey
from kiosk.visit.outcome import Outcome
from kiosk.visit.session import EndReason

PIN, ADMIN_PIN = "482915", "736204"
ACCOUNTS = [f"med-07:mediator:{hash_code(PIN, ln=10)}", f"adm-02:admin:{hash_code(ADMIN_PIN, ln=10)}"]


def mediator_config(tmp_path: Path, extra: str = "") -> str:
    journal = json.dumps(str(tmp_path / "j"))
    return f"[mediator]\naccounts = {json.dumps(ACCOUNTS)}\njournal_dir = {journal}\n" + extra


def unlock(kiosk, qtbot, code: str) -> None:  # noqa: ANN001
    assist = kiosk.assist
    assist.open_pin_pad()
    assert assist.pin.isVisible()
    for key in code:
        assist.pin.press(key)
    assist.pin.press("OK")
    qtbot.waitUntil(lambda: assist.actor is not None or assist.pin.isEnabled(), timeout=10000)


def start_visit(kiosk, qtbot, language: str = "ar") -> None:  # noqa: ANN001
    w = kiosk.window
    qtbot.mouseClick(w.attract._start, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(w.language_page.buttons[language], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(w.procedure_page.buttons["alpha"], Qt.MouseButton.LeftButton)


def test_mediator_unlocks_with_the_real_gate_and_tests_the_devices(make_kiosk, qtbot, tmp_path) -> None:  # noqa: ANN001
    kiosk = make_kiosk(mediator_config(tmp_path))
    start_visit(kiosk, qtbot)
    assist = kiosk.assist
    unlock(kiosk, qtbot, "000000")
    assert assist.actor is None and "Attendez" in assist.pin.message.text()
    assist.gate.throttle.succeeded()                    # skip the growing delay of the wrong code
    unlock(kiosk, qtbot, PIN)
    assert assist.actor == "med-07" and assist.panel.isVisible()
    assert not assist.panel.maintenance.isVisible()     # a mediator is not an admin
    qtbot.waitUntil(lambda: "Imprimante (simulated) : prêt" in assist.panel.devices.text(), timeout=10000)
    assert "Scanner" in assist.panel.devices.text()
    qtbot.mouseClick(assist.panel.test_print, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: assist.panel.device_result.text() == "Page de test imprimée.", timeout=15000)
    qtbot.mouseClick(assist.panel.test_scan, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Numérisation de test terminée" in assist.panel.device_result.text(),
                    timeout=15000)
    assert assist.panel.french.isVisible() and not kiosk.window.top_bar.french_button.isChecked()
    qtbot.mouseClick(assist.panel.french, Qt.MouseButton.LeftButton)
    assert kiosk.window.top_bar.french_button.isChecked()       # the visitor's screen now shows both
    kiosk.controller.end(EndReason.IDLE)
    assert assist.actor is None and not assist.panel.isVisible()   # the wipe closed mediator mode
    journal = Path(tmp_path / "j")
    assert verify(journal).ok
    actions = [json.loads(line)["action"] for f in sorted(journal.glob("*.jsonl"))
               for line in f.read_text().splitlines()]
    assert actions == ["unlock_failed", "unlocked", "test_print", "test_scan", "french_shown", "relocked"]


def test_admin_sees_maintenance_and_can_check_the_journal(make_kiosk, qtbot, tmp_path) -> None:  # noqa: ANN001
    kiosk = make_kiosk(mediator_config(tmp_path))
    unlock(kiosk, qtbot, ADMIN_PIN)
    assist = kiosk.assist
    assert assist.actor == "adm-02" and assist.panel.maintenance.isVisible()
    result = assist.panel.maintenance_result
    qtbot.mouseClick(assist.panel.journal_check, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: result.text().startswith("Le journal est intact"), timeout=10000)
    journal = next(Path(tmp_path / "j").glob("*.jsonl"))
    journal.write_text(journal.read_text().replace("unlocked", "unl0cked"))
    qtbot.mouseClick(assist.panel.journal_check, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: result.text().startswith("Le journal a été modifié"), timeout=10000)
    qtbot.mouseClick(assist.panel.content_update, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "ne sont pas configurées" in result.text(), timeout=10000)
    assert not assist.panel.power_off.isEnabled()        # not started by systemd: never powers off
    # the configuration check reads the terminal's file again
    toml = tmp_path / "kiosk.toml"
    toml.write_text('[terminal]\nid = "pref-69-01"\n')
    from kiosk import config as config_mod
    from kiosk.health.ui import maintenance
    powered: list[bool] = []
    assist.maintenance = maintenance.for_config(config_mod.load(toml), kiosk.translators.get("fr"),
                                                restart=lambda: None)
    assist.maintenance.power_off = lambda: powered.append(True)
    assist.show_panel()
    qtbot.mouseClick(assist.panel.config_check, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: result.text() == "La configuration est valide.", timeout=10000)
    toml.write_text('[terminal]\nid = "pref 69"\n')
    qtbot.mouseClick(assist.panel.config_check, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: result.text().startswith("La configuration contient une erreur"), timeout=10000)
    assert "terminal.id" in result.text() and "line 2" in result.text()
    qtbot.mouseClick(assist.panel.power_off, Qt.MouseButton.LeftButton)
    assert powered == [] and "encore" in result.text()      # a second press is needed
    qtbot.mouseClick(assist.panel.power_off, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: powered == [True], timeout=10000)
    assert assist.actor is None


class Webhook:
    """A help channel on 127.0.0.1 that records what it receives."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                owner.received.append(json.loads(body))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/help"
        threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def webhook() -> Iterator[Webhook]:
    hook = Webhook()
    yield hook
    hook.stop()


def test_call_a_mediator_reaches_the_webhook_and_says_help_is_coming(make_kiosk, qtbot, webhook) -> None:  # noqa: ANN001
    kiosk = make_kiosk(f'[help]\nchannel = "webhook"\nurl = "{webhook.url}"\n')
    w = kiosk.window
    start_visit(kiosk, qtbot, "en")
    qtbot.mouseClick(w.bottom_bar.help_button, Qt.MouseButton.LeftButton)
    assert w.help_overlay.call.isVisible() and w.help_overlay.call.text() == "Call a mediator"
    qtbot.mouseClick(w.help_overlay.call, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: kiosk.help_call.state is HelpState.DELIVERED, timeout=10000)
    assert w.help_overlay.status.text().startswith("A mediator has been told")
    assert not w.help_overlay.call.isVisible() and w.bottom_bar.help_button.text() == "Help is on the way"
    [payload] = webhook.received
    step = kiosk.visit.state.step.id
    assert (payload["terminal"], payload["step"], payload["language"]) == ("demo-01", step, "en")
    kiosk.controller.end(EndReason.FINISHED)
    assert kiosk.help_call.state is None and w.bottom_bar.help_button.text() == "Aide"    # back to French


def test_a_call_from_the_scan_screen_says_where_the_visitor_is(make_kiosk, qtbot, webhook) -> None:  # noqa: ANN001
    kiosk = make_kiosk(f'[help]\nchannel = "webhook"\nurl = "{webhook.url}"\n')
    w, c = kiosk.window, kiosk.controller
    start_visit(kiosk, qtbot, "fr")
    c.next()
    c.choose("one")
    c.open_scan("passport")
    qtbot.mouseClick(w.bottom_bar.help_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(w.help_overlay.call, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: kiosk.help_call.state is HelpState.DELIVERED, timeout=10000)
    [payload] = webhook.received
    assert payload["step"] == "scan:docs"          # the scan screen of the checklist step "docs"


def test_network_down_keeps_the_call_queued_and_the_visit_end_cancels_it(make_kiosk, qtbot) -> None:  # noqa: ANN001
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}/help"      # nothing listens there
    kiosk = make_kiosk(f'[help]\nchannel = "webhook"\nurl = "{dead}"\n')
    w = kiosk.window
    start_visit(kiosk, qtbot, "ar")
    qtbot.mouseClick(w.bottom_bar.help_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(w.help_overlay.call, Qt.MouseButton.LeftButton)
    assert kiosk.help_call.state is HelpState.QUEUED
    qtbot.wait(300)
    assert kiosk.help_call.state is HelpState.QUEUED and w.help_overlay.status.isVisible()
    assert kiosk.help_call.service.queue.pending
    kiosk.controller.end(EndReason.FINISHED)
    assert not kiosk.help_call.service.queue.pending


def test_ready_watchdog_and_metrics(make_kiosk, qtbot, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    sock_path = tmp_path / "notify.sock"
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    listener.bind(str(sock_path))
    listener.setblocking(False)
    messages: list[str] = []

    def received(wanted: str) -> bool:
        try:
            while True:
                messages.append(listener.recv(4096).decode())
        except BlockingIOError:
            pass
        return any(m.startswith(wanted) for m in messages)

    monkeypatch.setenv("NOTIFY_SOCKET", str(sock_path))
    monkeypatch.setenv("WATCHDOG_USEC", "2000000")          # watchdog every second
    metrics = tmp_path / "pan-kiosk.prom"
    kiosk = make_kiosk(f'[health]\nmetrics_file = "{metrics}"\n')
    kiosk.show()
    qtbot.waitUntil(lambda: received("READY=1"), timeout=10000)
    qtbot.waitUntil(lambda: received("WATCHDOG=1"), timeout=10000)   # the event loop feeds it
    start_visit(kiosk, qtbot, "fr")
    kiosk.controller.end(EndReason.FINISHED)
    qtbot.waitUntil(lambda: 'outcome="abandoned"' in metrics.read_text()
                    if metrics.exists() else False, timeout=10000)
    text = metrics.read_text()
    assert 'pan_kiosk_sessions_total{terminal="demo-01",outcome="abandoned"} 1' in text
    assert f'version="{kiosk.pack.version}"' in text
    assert 'device="printer",state="simulated"} 1' in text
    kiosk.shutdown()
    assert received("STOPPING=1")
    listener.close()


def test_new_content_is_taken_between_visitors_only(make_kiosk, qtbot, tmp_path, fixture_pack) -> None:  # noqa: ANN001
    store = tmp_path / "content"
    (store / "packs").mkdir(parents=True)
    first, second = store / "packs" / "p1", store / "packs" / "p2"
    for target in (first, second):
        shutil.copytree(fixture_pack, target)
    os.symlink("packs/p1", store / "current")
    key = SecretKey.generate().public().one_line()
    kiosk = make_kiosk(f'[updates]\nurl = "https://content.example.org/index.json"\ndir = "{store}"\n'
                       f'public_key = "{key}"\n')
    assert Path(kiosk.pack.path).resolve() == first.resolve()
    exits: list[int] = []
    kiosk.service.leave = exits.append
    kiosk.service.check_content()
    assert exits == []                                    # nothing new
    os.unlink(store / "current")
    os.symlink("packs/p2", store / "current")
    start_visit(kiosk, qtbot, "fr")
    kiosk.service.check_content()
    assert exits == []                                    # a visit is running: never cut it
    kiosk.controller.end(EndReason.FINISHED)
    kiosk.service.check_content()
    assert exits == [EXIT_RELOAD]


def test_demo_defaults_have_a_documented_mediator_code_and_terminal_configs_do_not(make_kiosk) -> None:  # noqa: ANN001
    from kiosk.app import demo_accounts
    from kiosk.config import Config
    from kiosk.mediator.gate import Unlock
    assert len(demo_accounts(Config())) == 1                     # no file: the demo
    kiosk = make_kiosk()                                          # a configuration file
    assert demo_accounts(kiosk.config) == ()
    assert kiosk.assist.gate.unlock("2468") == Unlock(wait_s=1)    # refused on a terminal
    from kiosk.mediator.auth import find_account, load_accounts
    assert find_account(load_accounts(demo_accounts(Config())), "2468") is not None   # README's code


def test_outcome_keeps_how_far_the_visit_went(make_kiosk, qtbot) -> None:  # noqa: ANN001
    kiosk = make_kiosk()
    start_visit(kiosk, qtbot, "fr")
    session = kiosk.sessions.current
    session.reached(Outcome.DOCUMENTS_PREPARED)
    session.reached(Outcome.COMPLETED)
    assert session.outcome is Outcome.DOCUMENTS_PREPARED
    session.reached(Outcome.FILED)
    assert session.outcome is Outcome.FILED


def test_a_terminal_that_simulates_a_device_shows_a_demo_mark(make_kiosk, qtbot) -> None:  # noqa: ANN001
    demo = make_kiosk()                                   # the test configuration simulates every device
    mark = demo.window.attract.demo_mark
    assert mark.isVisible() and mark.text() == "Borne de démonstration : certains appareils sont simulés."
    assert "DEMO: simulated scanner, printer, speech" in demo.window.about      # the mediator panel's line
    real = make_kiosk('[devices]\nscanner = "none"\nprinter = "none"\nspeech = "none"')
    assert not real.window.attract.demo_mark.isVisible() and "DEMO" not in real.window.about
