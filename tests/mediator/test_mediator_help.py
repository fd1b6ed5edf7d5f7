"""Help requests over real HTTP on 127.0.0.1: retried while the server is down or failing, then delivered."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable

import pytest
from fakes import FakeClock
from mediator_helpers import LoopbackServer, free_port

from kiosk import config
from kiosk.mediator.errors import HelpDeliveryError
from kiosk.mediator.help import HelpRequest, MatrixChannel, SimulatedChannel, WebhookChannel
from kiosk.mediator.help_queue import HelpQueue, HelpState, HelpWorker, RetryPolicy
from kiosk.mediator.setup import build_help

Loopback = Callable[..., LoopbackServer]
TOKEN = "syt_cGFuLWtpb3Nr_token-not-in-any-file"


def recorder() -> tuple[list[tuple[str, HelpState]], Callable[[HelpRequest, HelpState], None]]:
    states: list[tuple[str, HelpState]] = []
    return states, lambda request, state: states.append((request.id, state))


@pytest.mark.real_stack
def test_a_help_request_is_retried_until_the_webhook_accepts_it(loopback: Loopback) -> None:
    port = free_port()
    clock = FakeClock(100.0)
    states, on_change = recorder()
    queue = HelpQueue(WebhookChannel(f"http://127.0.0.1:{port}/help", timeout_s=5), clock=clock,
                      on_change=on_change)
    request = queue.submit(HelpRequest("pref-69-01", "upload", "ar"))
    assert states == [(request.id, HelpState.QUEUED)]            # "help is on the way"
    assert queue.pump() == 2.0                                   # server down: refused, next try in 2 s
    assert queue.pending == [request]
    server = loopback(port, statuses=[(503, {}, b""), (200, {}, b"{}")]).start()
    clock.now += 1
    assert queue.pump() == 1.0 and server.received == []         # not due yet: nothing sent
    clock.now += 1
    assert queue.pump() == 4.0                                   # 503: next try in 4 s
    clock.now += 4
    assert queue.pump() is None                                  # 200: delivered, nothing pending
    assert states[-1] == (request.id, HelpState.DELIVERED)       # "a mediator has been notified"
    assert [r.method for r in server.received] == ["POST", "POST"]
    body = server.received[-1].body
    assert body == {"type": "pan-kiosk.help_request", "id": request.id, "terminal": "pref-69-01",
                    "site": "", "step": "upload", "language": "ar", "time": request.time}
    assert server.received[-1].path == "/help" and "Authorization" not in server.received[-1].headers


@pytest.mark.real_stack
def test_the_worker_thread_delivers_without_anyone_pumping(loopback: Loopback) -> None:
    port = free_port()
    delivered = threading.Event()
    server = loopback(port, statuses=[(503, {}, b""), (503, {"Retry-After": "0"}, b""), (204, {}, b"")])
    server.start()

    def on_change(request: HelpRequest, state: HelpState) -> None:
        if state is HelpState.DELIVERED:
            delivered.set()

    queue = HelpQueue(WebhookChannel(f"{server.url}/hook", token=lambda: TOKEN, timeout_s=5),
                      policy=RetryPolicy(first_delay_s=0.01, max_delay_s=0.05), on_change=on_change)
    worker = HelpWorker(queue).start()
    try:
        queue.submit(HelpRequest("pref-69-01", None, "fr"))
        assert delivered.wait(10)
    finally:
        worker.stop()
    assert len(server.received) == 3 and queue.delivered == 1
    assert server.received[0].headers["Authorization"] == f"Bearer {TOKEN}"
    assert server.received[0].body["step"] is None


@pytest.mark.real_stack
def test_matrix_message_on_a_loopback_homeserver(loopback: Loopback) -> None:
    limited = json.dumps({"errcode": "M_LIMIT_EXCEEDED", "retry_after_ms": 7000}).encode()
    server = loopback(statuses=[(429, {}, limited), (200, {}, b'{"event_id": "$ev1"}')]).start()
    clock = FakeClock(100.0)
    states, on_change = recorder()
    channel = MatrixChannel(server.url + "/", "!pan:example.org", lambda: TOKEN, timeout_s=5)
    queue = HelpQueue(channel, clock=clock, on_change=on_change)
    request = queue.submit(HelpRequest("pref-69-01", "account", "ps", site="Préfecture du Rhône, guichet 3"))
    assert queue.pump() == 7.0                                   # the homeserver's retry_after_ms
    clock.now += 7
    assert queue.pump() is None and states[-1][1] is HelpState.DELIVERED
    first, second = server.received
    assert first.method == second.method == "PUT"
    assert first.path == second.path == (
        f"/_matrix/client/v3/rooms/%21pan%3Aexample.org/send/m.room.message/pan-kiosk-{request.id}")
    assert second.headers["Authorization"] == f"Bearer {TOKEN}"
    assert second.body["msgtype"] == "m.text"
    assert second.body["body"] == ("Préfecture du Rhône, guichet 3 — "
                                   "Help requested at terminal pref-69-01 (step account, language ps).")
    assert second.body["org.pan_kiosk.help_request"]["terminal"] == "pref-69-01"
    assert second.body["org.pan_kiosk.help_request"]["site"] == "Préfecture du Rhône, guichet 3"


@pytest.mark.real_stack
def test_a_refused_request_fails_for_good(loopback: Loopback) -> None:
    server = loopback(statuses=[(404, {}, b"")]).start()
    states, on_change = recorder()
    queue = HelpQueue(WebhookChannel(server.url, timeout_s=5), clock=FakeClock(100.0), on_change=on_change)
    queue.submit(HelpRequest("pref-69-01", "upload", "en"))
    assert queue.pump() is None and queue.failed == 1
    assert [s for _, s in states] == [HelpState.QUEUED, HelpState.FAILED]


def test_matrix_without_a_token_fails_for_good() -> None:
    channel = MatrixChannel("http://127.0.0.1:9", "!r:x", lambda: None)
    with pytest.raises(HelpDeliveryError) as info:
        channel.send(HelpRequest("pref-69-01", None, "fr"))
    assert not info.value.retryable


def test_backoff_grows_and_the_queue_gives_up_after_a_while() -> None:
    clock = FakeClock(100.0)
    channel = SimulatedChannel(fail_first=1000)
    states, on_change = recorder()
    queue = HelpQueue(channel, clock=clock, on_change=on_change,
                      policy=RetryPolicy(first_delay_s=2, max_delay_s=60, give_up_after_s=300))
    queue.submit(HelpRequest("pref-69-01", "upload", "ar"))
    waits = []
    while (wait := queue.pump()) is not None:
        waits.append(wait)
        clock.now += wait
    assert waits[:6] == [2, 4, 8, 16, 32, 60] and set(waits[6:]) == {60}
    assert states[-1][1] is HelpState.FAILED and channel.received == []


def test_pressing_twice_queues_one_request_and_leaving_cancels_it() -> None:
    states, on_change = recorder()
    queue = HelpQueue(SimulatedChannel(fail_first=5), clock=FakeClock(100.0), on_change=on_change)
    first = queue.submit(HelpRequest("pref-69-01", "upload", "ar"))
    assert queue.submit(HelpRequest("pref-69-01", "upload", "ar")) is first
    queue.pump()
    queue.cancel_all()                                           # the session's wipe step
    assert queue.pending == [] and states[-1] == (first.id, HelpState.CANCELLED)
    assert queue.pump() is None


def test_a_request_holds_only_ids_and_a_language() -> None:
    for step, language in (("Mme Dupont", "fr"), ("upload", "zk7731@example.net"), ("a" * 65, "fr")):
        with pytest.raises(ValueError):
            HelpRequest("pref-69-01", step, language)


def test_build_help_reads_the_token_from_the_keyring(loopback: Loopback) -> None:
    server = loopback().start()
    cfg = config.parse(f'[terminal]\nid = "pref-69-01"\n[help]\nchannel = "matrix"\nurl = "{server.url}"\n'
                       'matrix_room = "!pan:example.org"\ntoken_name = "matrix-bot"\n')
    asked = []

    def get_password(service: str, name: str) -> str | None:
        asked.append((service, name))
        return TOKEN

    service = build_help(cfg, get_password, clock=FakeClock(100.0))
    assert service is not None
    service.request("upload", "ar")
    assert service.queue.pump() is None and asked == [("pan-kiosk", "matrix-bot")]
    assert server.received[0].headers["Authorization"] == f"Bearer {TOKEN}"
    assert build_help(config.Config(), get_password) is None          # channel "none" by default
