"""Shared by the fleet tests: the recording HTTPS handler, its state, a self-signed certificate."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import private_cupsd  # noqa: F401  (puts the checkout on sys.path for `bench`, as plain pytest does not)

from bench.fleet_bench import self_signed_certificate as certificate

__all__ = ["MakePack", "Request", "Served", "certificate", "recording_handler"]

MakePack = Callable[..., Path]


@dataclass
class Request:
    path: str
    if_none_match: str | None
    status: int


@dataclass
class Served:
    root: Path
    url: str
    ca_file: Path
    requests: list[Request] = field(default_factory=list)
    failures: dict[str, list[int]] = field(default_factory=dict)

    def fail_next(self, path: str, *statuses: int) -> None:
        self.failures.setdefault(path, []).extend(statuses)


def recording_handler(served: Served) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:   # quiet test output
            pass

        def _answer(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
            served.requests.append(Request(self.path, self.headers.get("If-None-Match"), status))
            self.send_response(status)
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            pending = served.failures.get(self.path)
            if pending:
                self._answer(pending.pop(0))
                return
            file = served.root / self.path.lstrip("/")
            if ".." in self.path or not file.is_file():
                self._answer(404)
                return
            body = file.read_bytes()
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            if self.headers.get("If-None-Match") == etag:
                self._answer(304, headers={"ETag": etag})
                return
            self._answer(200, body, {"ETag": etag})

    return Handler
