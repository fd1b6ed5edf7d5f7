"""The browser's only way out: a proxy on the loopback interface that lets Chromium reach the hosts the
kiosk allows, and no other.

Why: the request filter (kiosk/browser/ui/interceptor.py) sees requests, not connections. Chromium opens
some connections without a request the filter is asked about: `<link rel=preconnect>` (a TCP and TLS
handshake with the host, no path) and the target of an allowed host's redirect (followed before Qt asks
the interceptor). With every connection going through this gate (`--proxy-server`, and
`--proxy-bypass-list=<-loopback>` so that loopback sites are not exempt), a refused host is never
contacted at all; Chromium does not even resolve its name (the proxy resolves). Measured with the
request tests' recording server: both gaps (tests/browser/test_browser_requests.py) are closed.

What it does, per client connection from Chromium:
- `CONNECT host:port` (HTTPS and WSS): tunnel to host:port if an admitted policy allows the host
  (`https://host:port/` or `http://host:port/`), else 403;
- an absolute-form request (`GET http://host:port/path HTTP/1.1`, plain HTTP: the practice site on
  loopback): forwarded in origin form with `Connection: close` if a policy allows the URL, else 403;
- anything else: 400. A refused host is counted (`BlockedRequests`) and logged by host only.
The gate never reads or logs what goes through a tunnel (TLS, end to end with the site), nor a path.

Names resolve like Chromium's own resolver would: the `--host-resolver-rules` of
QTWEBENGINE_CHROMIUM_FLAGS (MAP/EXCLUDE, as the browser tests use to serve the real host names on
loopback) apply to the gate too. An upstream proxy of the prefecture's network (`https_proxy` /
`HTTPS_PROXY` in the kiosk's environment) is used for the tunnels: CONNECT is passed on to it.

`install()` starts the process's gate and adds the flags; call it before QtWebEngine creates its first
profile (kiosk/app.py does, before the browser is built). Each locked browser admits its policy
(`admit`); a connection is allowed when an admitted policy allows it.
"""

from __future__ import annotations

import contextlib
import fnmatch
import logging
import os
import selectors
import shlex
import socket
import socketserver
import threading
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from kiosk.browser.policy import BlockedRequests, NavigationPolicy

log = logging.getLogger(__name__)

HEAD_LIMIT = 64 * 1024          # bytes of a request head
CONNECT_TIMEOUT_S = 15.0
IDLE_TIMEOUT_S = 300.0          # a tunnel with no traffic either way for this long is closed
HOP_HEADERS = {"proxy-connection", "proxy-authorization", "connection", "keep-alive"}

REFUSED = b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
BAD_REQUEST = b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
BAD_GATEWAY = b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
ESTABLISHED = b"HTTP/1.1 200 Connection Established\r\n\r\n"


# --- names: Chromium's host-resolver rules ---------------------------------------------------------

@dataclass(frozen=True)
class _Rule:
    pattern: str            # host pattern, * wildcards, lower case
    port: int | None        # the rule's port, if the pattern names one
    target: str             # MAP: replacement host ("" for EXCLUDE)
    target_port: int | None
    exclude: bool


class HostRules:
    """Chromium's `--host-resolver-rules` ("MAP pattern host[:port]", "EXCLUDE pattern", comma
    separated; net/base/host_mapping_rules.cc), applied where the gate connects."""

    def __init__(self, text: str = "") -> None:
        self.rules: list[_Rule] = []
        for part in (p.strip() for p in text.split(",")):
            words = part.split()
            if len(words) == 3 and words[0].upper() == "MAP":
                pattern, port = _host_port(words[1])
                target, target_port = _host_port(words[2])
                self.rules.append(_Rule(pattern.lower(), port, target, target_port, exclude=False))
            elif len(words) == 2 and words[0].upper() == "EXCLUDE":
                pattern, port = _host_port(words[1])
                self.rules.append(_Rule(pattern.lower(), port, "", None, exclude=True))

    @classmethod
    def from_flags(cls, flags: str) -> HostRules:
        try:
            words = shlex.split(flags)
        except ValueError:
            words = flags.split()
        for word in words:
            if word.startswith("--host-resolver-rules="):
                return cls(word.partition("=")[2])
        return cls()

    def resolve(self, host: str, port: int) -> tuple[str, int]:
        """Where host:port connects: an EXCLUDE match keeps it (checked first, as Chromium does), else
        the first MAP that matches."""
        name = host.lower().rstrip(".")
        if name.endswith(".localhost"):      # as Chromium answers (RFC 6761): practice names on loopback
            return "127.0.0.1", port
        matching = [r for r in self.rules
                    if (r.port is None or r.port == port) and fnmatch.fnmatchcase(name, r.pattern)]
        if any(r.exclude for r in matching):
            return host, port
        for rule in matching:
            return rule.target, rule.target_port if rule.target_port is not None else port
        return host, port


def _host_port(text: str) -> tuple[str, int | None]:
    if text.startswith("["):                      # [::1]:443
        host, _, rest = text[1:].partition("]")
        return host, int(rest[1:]) if rest.startswith(":") and rest[1:].isdigit() else None
    host, sep, port = text.rpartition(":")
    if sep and port.isdigit() and ":" not in host:
        return host, int(port)
    return text, None


# --- admission ---------------------------------------------------------------------------------------

class Pass:
    """One browser's admission: its policy counts for the gate while the pass lives (the gate holds it
    weakly; the browser keeps it)."""

    def __init__(self, policy: NavigationPolicy) -> None:
        self.policy = policy


# --- the proxy --------------------------------------------------------------------------------------

class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64
    gate: Gate


class Gate:
    """The loopback proxy: a connection is allowed when an admitted policy's `check_resource` allows it."""

    def __init__(self, rules: HostRules | None = None, upstream: tuple[str, int] | None = None,
                 blocked: BlockedRequests | None = None) -> None:
        self.rules = rules or HostRules()
        self.upstream = upstream
        self.blocked = BlockedRequests() if blocked is None else blocked
        self._passes: weakref.WeakSet[Pass] = weakref.WeakSet()
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._server: _Server | None = None
        self.port = 0

    # admission
    def admit(self, policy: NavigationPolicy) -> Pass:
        """Let `policy` decide too, while the returned pass is referenced (keep it with the browser)."""
        admitted = Pass(policy)
        with self._lock:
            self._passes.add(admitted)
        return admitted

    def allows(self, url: str) -> bool:
        with self._lock:
            policies = [p.policy for p in self._passes]
        return any(policy.check_resource(url) is None for policy in policies)

    # life
    def start(self) -> Gate:
        server = _Server(("127.0.0.1", 0), _Handler)
        server.gate = self
        self._server = server
        self.port = server.server_address[1]
        threading.Thread(target=server.serve_forever, name="browser-gate", daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        self.close_connections()

    def close_connections(self) -> None:
        """End every open tunnel and forwarded request (the wipe: nothing of a visit stays connected)."""
        with self._lock:
            sockets = list(self._open)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    @property
    def flags(self) -> str:
        return f"--proxy-server=http://127.0.0.1:{self.port} --proxy-bypass-list=<-loopback>"

    # connections (handler threads)
    def _track(self, sock: socket.socket, add: bool) -> None:
        with self._lock:
            (self._open.add if add else self._open.discard)(sock)

    def _refuse(self, client: socket.socket, host: str) -> None:
        with self._lock:                          # handler threads: BlockedRequests is not thread-safe
            count = self.blocked.record(host)
        if count is not None:
            log.info("connection to %s refused by the browser gate (%d so far)", host, count)
        client.sendall(REFUSED)

    def _direct(self, host: str, port: int) -> socket.socket:
        """A connection to host:port where the resolver rules send it."""
        return socket.create_connection(self.rules.resolve(host, port), timeout=CONNECT_TIMEOUT_S)

    def _connect(self, host: str, port: int) -> socket.socket:
        """A tunnel's connection to host:port: direct, or through the upstream proxy."""
        if self.upstream is None:
            return self._direct(host, port)
        sock = socket.create_connection(self.upstream, timeout=CONNECT_TIMEOUT_S)
        try:
            sock.sendall(f"CONNECT {host}:{port} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode("ascii"))
            head, _rest = _read_head(sock)
            if not head.startswith((b"HTTP/1.1 200", b"HTTP/1.0 200")):
                raise OSError(f"upstream proxy refused {host}:{port}")
        except BaseException:
            sock.close()
            raise
        return sock

    def serve(self, client: socket.socket) -> None:
        self._track(client, True)                  # from the start: the wipe can end it at any point
        try:
            self._serve(client)
        finally:
            self._track(client, False)

    def _serve(self, client: socket.socket) -> None:
        client.settimeout(CONNECT_TIMEOUT_S)
        try:
            head, rest = _read_head(client)
        except (OSError, ValueError):
            return
        line, _, headers = head.partition(b"\r\n")
        parts = line.decode("latin-1").split()
        if len(parts) != 3:
            client.sendall(BAD_REQUEST)
            return
        method, target, version = parts
        if method.upper() == "CONNECT":
            self._tunnel(client, target, rest)
        elif target.lower().startswith("http://"):
            self._forward(client, method, target, version, headers, rest)
        else:
            client.sendall(BAD_REQUEST)

    def _tunnel(self, client: socket.socket, target: str, rest: bytes) -> None:
        host, port = _host_port(target)
        if port is None or not host:
            client.sendall(BAD_REQUEST)
            return
        address = f"{_url_host(host)}:{port}/"             # a tunnel carries HTTPS, or WebSocket
        if not (self.allows(f"https://{address}") or self.allows(f"http://{address}")):
            self._refuse(client, host if port == 443 else f"{host}:{port}")
            return
        try:
            upstream = self._connect(host, port)
        except OSError as exc:
            log.info("browser gate: %s unreachable (%s)", host, type(exc).__name__)
            client.sendall(BAD_GATEWAY)           # Chromium: ERR_TUNNEL_CONNECTION_FAILED
            return
        with upstream:
            client.sendall(ESTABLISHED)
            if rest:
                upstream.sendall(rest)
            self._pump(client, upstream)

    def _forward(self, client: socket.socket, method: str, target: str, version: str, headers: bytes,
                 rest: bytes) -> None:
        try:
            parts = urlsplit(target)
            host, port = parts.hostname or "", parts.port or 80
        except ValueError:
            client.sendall(BAD_REQUEST)
            return
        if not host:
            client.sendall(BAD_REQUEST)
            return
        if not self.allows(target):
            self._refuse(client, host if port == 80 else f"{host}:{port}")
            return
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        kept = [h for h in headers.split(b"\r\n")
                if h and h.split(b":", 1)[0].strip().lower().decode("latin-1") not in HOP_HEADERS]
        head = b"\r\n".join([f"{method} {path} {version}".encode("latin-1"), *kept,
                             b"Connection: close", b"", b""])
        try:
            upstream = self._direct(host, port)
        except OSError as exc:
            # no answer at all: Chromium reports a network error (ERR_EMPTY_RESPONSE), as for a site
            # that is down, where an HTTP 502 would be shown as a page and be taken for the site's own
            log.info("browser gate: %s unreachable (%s)", host, type(exc).__name__)
            return
        with upstream:
            upstream.sendall(head + rest)
            self._pump(client, upstream)

    def _pump(self, a: socket.socket, b: socket.socket) -> None:
        """Bytes both ways until both sides have closed (half-closes passed on) or nothing moves."""
        for sock in (a, b):
            sock.settimeout(None)
        self._track(b, True)
        peer = {a: b, b: a}
        open_sides = 2
        try:
            with selectors.DefaultSelector() as selector:
                selector.register(a, selectors.EVENT_READ)
                selector.register(b, selectors.EVENT_READ)
                while open_sides:
                    events = selector.select(timeout=IDLE_TIMEOUT_S)
                    if not events:
                        return
                    for key, _ in events:
                        sock = a if key.fileobj is a else b          # the readable one
                        try:
                            data = sock.recv(65536)
                        except OSError:
                            return
                        if data:
                            try:
                                peer[sock].sendall(data)
                            except OSError:
                                return
                            continue
                        selector.unregister(sock)
                        open_sides -= 1
                        with contextlib.suppress(OSError):
                            peer[sock].shutdown(socket.SHUT_WR)
        finally:
            self._track(b, False)


class _Handler(socketserver.BaseRequestHandler):
    server: _Server

    def handle(self) -> None:
        client = self.request
        assert isinstance(client, socket.socket)
        try:
            self.server.gate.serve(client)
        except OSError:
            pass
        except Exception:  # noqa: BLE001 - one bad connection must not end the gate; no detail is logged
            log.warning("browser gate: a connection failed unexpectedly", exc_info=False)


def _read_head(sock: socket.socket) -> tuple[bytes, bytes]:
    """The request or response head up to the blank line, and what came after it."""
    data = b""
    while b"\r\n\r\n" not in data:
        if len(data) > HEAD_LIMIT:
            raise ValueError("head too long")
        chunk = sock.recv(8192)
        if not chunk:
            raise ValueError("closed before the end of the head")
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    return head, rest


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def upstream_proxy(environ: Mapping[str, str]) -> tuple[str, int] | None:
    """The network's proxy for HTTPS from https_proxy / HTTPS_PROXY (http://host:port), if any."""
    value = environ.get("https_proxy") or environ.get("HTTPS_PROXY") or ""
    if not value.strip():
        return None
    try:
        parts = urlsplit(value if "://" in value else f"http://{value}")
        if parts.hostname:
            return parts.hostname, parts.port or 3128
    except ValueError:
        pass
    log.warning("https_proxy is not an http://host:port address: ignored")
    return None


_process: dict[str, Gate] = {}          # "gate": the process's gate, once installed
_install_lock = threading.Lock()


def install(environ: dict[str, str] | os._Environ[str] | None = None) -> Gate:
    """The process's gate, started once; its flags added to QTWEBENGINE_CHROMIUM_FLAGS (before
    QtWebEngine starts: Chromium reads them once)."""
    env = os.environ if environ is None else environ
    with _install_lock:
        gate = _process.get("gate")
        if gate is None:
            flags = env.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
            gate = _process["gate"] = Gate(HostRules.from_flags(flags), upstream_proxy(env)).start()
            env["QTWEBENGINE_CHROMIUM_FLAGS"] = f"{flags} {gate.flags}".strip()
            log.info("browser gate on 127.0.0.1:%d", gate.port)
        return gate




__all__ = ["Gate", "HostRules", "Pass", "install", "upstream_proxy"]
