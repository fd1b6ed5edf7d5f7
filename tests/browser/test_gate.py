"""The browser gate (kiosk.browser.gate) over real sockets on loopback: what it lets through, what it
refuses, what it logs, and that no input ends it."""

from __future__ import annotations

import logging
import socket
import threading
import uuid
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.browser.gate import Gate, HostRules, upstream_proxy
from kiosk.browser.policy import NavigationPolicy


class Upstream:
    """A TCP server on loopback that records what it receives and answers each connection once."""

    def __init__(self, answer: bytes = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok") -> None:
        self.answer = answer
        self.received: list[bytes] = []
        self.connections = 0
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            with conn:
                conn.settimeout(5)
                try:
                    data = conn.recv(65536)
                except OSError:
                    continue
                self.received.append(data)
                if data.startswith(b"CONNECT "):          # playing an upstream proxy: then echo
                    conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
                    try:
                        conn.sendall(conn.recv(65536))
                    except OSError:
                        pass
                    continue
                conn.sendall(self.answer)

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def upstream() -> Iterator[Upstream]:
    server = Upstream()
    yield server
    server.close()


def gate_for(rules: str = "", allowed: tuple[str, ...] = (), upstream: tuple[str, int] | None = None) -> Gate:
    policy = NavigationPolicy(allowed)
    gate = Gate(HostRules(rules), upstream)
    gate.start()
    gate._test_pass = gate.admit(policy)  # type: ignore[attr-defined]  # kept as long as the gate
    return gate


def ask(gate: Gate, head: bytes, then: bytes = b"") -> bytes:
    with socket.create_connection(("127.0.0.1", gate.port), timeout=5) as sock:
        sock.sendall(head)
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = sock.recv(4096)
            if not chunk:
                return answer
            answer += chunk
        if then:
            sock.sendall(then)
            sock.shutdown(socket.SHUT_WR)
        while chunk := sock.recv(4096):
            answer += chunk
        return answer


def test_resolver_rules_read_like_chromiums() -> None:
    rules = HostRules.from_flags('--foo --host-resolver-rules="MAP a.gouv.fr 127.0.0.1:8443, '
                                 'MAP *.example 127.0.0.2, EXCLUDE keep.example, MAP x.fr:80 [::1]:81" --bar')
    assert rules.resolve("a.gouv.fr", 443) == ("127.0.0.1", 8443)
    assert rules.resolve("A.GOUV.FR.", 443) == ("127.0.0.1", 8443)
    assert rules.resolve("b.example", 443) == ("127.0.0.2", 443)
    assert rules.resolve("keep.example", 443) == ("keep.example", 443)
    assert rules.resolve("x.fr", 80) == ("::1", 81)
    assert rules.resolve("x.fr", 443) == ("x.fr", 443)
    assert HostRules.from_flags("").resolve("a.gouv.fr", 443) == ("a.gouv.fr", 443)


def test_an_allowed_tunnel_carries_bytes_both_ways(upstream: Upstream) -> None:
    gate = gate_for(f"MAP site.gouv.fr 127.0.0.1:{upstream.port}", ("site.gouv.fr",))
    try:
        answer = ask(gate, b"CONNECT site.gouv.fr:443 HTTP/1.1\r\nHost: site.gouv.fr:443\r\n\r\n",
                     then=b"GET / HTTP/1.1\r\n\r\n")
    finally:
        gate.stop()
    assert answer.startswith(b"HTTP/1.1 200 Connection Established\r\n\r\n")
    assert answer.endswith(b"ok")
    assert upstream.received == [b"GET / HTTP/1.1\r\n\r\n"]


def test_a_refused_host_is_never_contacted_and_only_its_host_is_logged(
        upstream: Upstream, caplog: pytest.LogCaptureFixture) -> None:
    plant = uuid.uuid4().hex
    gate = gate_for(f"MAP *.example 127.0.0.1:{upstream.port}", ("site.gouv.fr",))
    try:
        with caplog.at_level(logging.INFO, logger="kiosk.browser.gate"):
            tunnel = ask(gate, b"CONNECT tracker.example:443 HTTP/1.1\r\n\r\n")
            forward = ask(gate, f"GET http://tracker.example/{plant}?q={plant} HTTP/1.1\r\n"
                                f"Host: tracker.example\r\n\r\n".encode())
    finally:
        gate.stop()
    assert tunnel.startswith(b"HTTP/1.1 403") and forward.startswith(b"HTTP/1.1 403")
    assert upstream.connections == 0
    assert gate.blocked.counts() == {"tracker.example": 2}
    assert "tracker.example" in caplog.text and plant not in caplog.text


def test_plain_http_is_forwarded_in_origin_form_without_proxy_headers(upstream: Upstream) -> None:
    gate = gate_for("", (f"127.0.0.1:{upstream.port}",))
    try:
        answer = ask(gate, f"POST http://127.0.0.1:{upstream.port}/form?a=1 HTTP/1.1\r\n"
                           f"Host: 127.0.0.1:{upstream.port}\r\nProxy-Connection: keep-alive\r\n"
                           f"Proxy-Authorization: Basic c2VjcmV0\r\nContent-Length: 3\r\n\r\nabc".encode())
    finally:
        gate.stop()
    assert answer.endswith(b"ok")
    sent = upstream.received[0]
    assert sent.startswith(b"POST /form?a=1 HTTP/1.1\r\n")
    assert b"Proxy-" not in sent and b"Connection: close\r\n" in sent and sent.endswith(b"\r\n\r\nabc")


def test_an_unreachable_host_gets_bad_gateway() -> None:
    closed = socket.create_server(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    gate = gate_for(f"MAP site.gouv.fr 127.0.0.1:{port}", ("site.gouv.fr",))
    try:
        assert ask(gate, b"CONNECT site.gouv.fr:443 HTTP/1.1\r\n\r\n").startswith(b"HTTP/1.1 502")
    finally:
        gate.stop()


def test_tunnels_go_through_the_networks_proxy_when_there_is_one(upstream: Upstream) -> None:
    address = ("127.0.0.1", upstream.port)
    assert upstream_proxy({"https_proxy": f"http://127.0.0.1:{upstream.port}"}) == address
    assert upstream_proxy({"HTTPS_PROXY": "proxy.pref.local:8080"}) == ("proxy.pref.local", 8080)
    assert upstream_proxy({}) is None
    gate = gate_for("", ("site.gouv.fr",), upstream=("127.0.0.1", upstream.port))
    try:
        answer = ask(gate, b"CONNECT site.gouv.fr:443 HTTP/1.1\r\n\r\n", then=b"hello")
    finally:
        gate.stop()
    assert answer.startswith(b"HTTP/1.1 200") and answer.endswith(b"hello")
    assert upstream.received[0].startswith(b"CONNECT site.gouv.fr:443 HTTP/1.1\r\n")


def test_the_wipe_can_close_every_open_tunnel() -> None:
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    gate = gate_for(f"MAP site.gouv.fr 127.0.0.1:{port}", ("site.gouv.fr",))
    try:
        client = socket.create_connection(("127.0.0.1", gate.port), timeout=5)
        client.sendall(b"CONNECT site.gouv.fr:443 HTTP/1.1\r\n\r\n")
        assert client.recv(4096).startswith(b"HTTP/1.1 200")
        held, _ = server.accept()
        gate.close_connections()
        assert client.recv(4096) == b""               # the tunnel ended
        held.close()
        client.close()
    finally:
        gate.stop()
        server.close()


@pytest.fixture(scope="module")
def garbage_gate() -> Iterator[Gate]:
    server = Upstream()
    gate = gate_for(f"MAP site.gouv.fr 127.0.0.1:{server.port}", ("site.gouv.fr",))
    yield gate
    gate.stop()
    server.close()


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=3000) | st.text(max_size=300).map(lambda t: t.encode("utf-8", "replace")))
def test_no_input_ends_the_gate(garbage_gate: Gate, garbage: bytes) -> None:
    with socket.create_connection(("127.0.0.1", garbage_gate.port), timeout=5) as sock:
        sock.sendall(garbage + b"\r\n\r\n")
        sock.shutdown(socket.SHUT_WR)
        try:
            while sock.recv(4096):
                pass
        except OSError:
            pass
    answer = ask(garbage_gate, b"CONNECT site.gouv.fr:443 HTTP/1.1\r\n\r\n", then=b"GET / HTTP/1.1\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 200")
