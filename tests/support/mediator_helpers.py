"""Helpers of the mediator tests: fast code hashes, a planted value, loopback HTTP servers."""

from __future__ import annotations

import json
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from kiosk.mediator.auth import Account, hash_code

PLANTED = "Zoubida Kervella-7731 <zk7731@example.net>"   # a visitor's name and e-mail, made up and unique
FAST = {"ln": 10, "r": 8, "p": 1}                           # tests only: 1 MiB, about a millisecond


def account(account_id: str, role: str, code: str) -> Account:
    return Account.parse(f"{account_id}:{role}:{hash_code(code, **FAST)}")


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class LoopbackServer:
    """http.server on 127.0.0.1 in a thread; answers with `statuses` in turn (the last one repeats)."""
    port: int
    statuses: list[tuple[int, dict[str, str], bytes]] = field(default_factory=lambda: [(200, {}, b"{}")])
    received: list[Received] = field(default_factory=list)
    arrived: threading.Event = field(default_factory=threading.Event)
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> LoopbackServer:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                raw = self.rfile.read(length)
                owner.received.append(Received(self.command, self.path, dict(self.headers.items()),
                                               json.loads(raw) if raw else None))
                status, headers, body = owner.statuses[min(len(owner.received), len(owner.statuses)) - 1]
                self.send_response(status)
                for k, v in {"Content-Type": "application/json", **headers}.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                owner.arrived.set()

            do_POST = do_PUT = _answer  # noqa: N815

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

        ThreadingHTTPServer.allow_reuse_address = True
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port
