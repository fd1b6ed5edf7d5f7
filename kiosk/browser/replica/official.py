"""The replica of the official sites, answered by Host header (see hosts.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from http import HTTPStatus

from kiosk.browser.replica import pages
from kiosk.browser.replica.hosts import OFFICIAL_HOSTS, PORTAL


@dataclass(frozen=True)
class Request:
    method: str
    host: str                                   # lower-case, without port
    path: str
    query: dict[str, str] = field(default_factory=dict)
    cookies: dict[str, str] = field(default_factory=dict)
    form: dict[str, str] = field(default_factory=dict)
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    https: bool = False


@dataclass
class Response:
    body: bytes = b""
    status: HTTPStatus = HTTPStatus.OK
    ctype: str = "text/html; charset=utf-8"
    headers: list[tuple[str, str]] = field(default_factory=list)


class OfficialReplica:
    def __init__(self, clock: Callable[[], dt.datetime] = dt.datetime.now,
                 max_upload_bytes: int = 2 << 20) -> None:
        self.clock, self.max_upload_bytes = clock, max_upload_bytes
        self.hosts = frozenset(OFFICIAL_HOSTS)

    def forget(self) -> None:
        pass

    def handle(self, request: Request) -> Response:
        if request.host == PORTAL and request.path.startswith("/usagers/"):
            return Response(pages.page("Étrangers en France", f"<h1>{escape('Étrangers en France')}</h1>"))
        return Response(pages.not_found(), HTTPStatus.NOT_FOUND)
