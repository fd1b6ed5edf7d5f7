"""The replica's server: a stdlib ThreadingHTTPServer on loopback, started and stopped by `PracticeSite`.

It answers by the request's Host header with the replica of the official sites (kiosk.browser.replica.
official): under their real names for whoever resolves them to its port (the browser tests), under
practice names in practice mode (kiosk.browser.replica.practice). Any other name, the loopback address
itself included, gets the replica's "Site non reproduit" page: there is no other practice site.

What visitors type is kept in memory only, until `forget()` (a wipe step) or `stop()`. Uploaded files are
read, checked (format, size) and dropped: only their names and sizes are kept for the summary. Nothing is
written to disk and nothing leaves the machine.
"""

from __future__ import annotations

import datetime as dt
import logging
import socket
import ssl
import threading
from collections.abc import Callable
from email.parser import BytesParser
from email.policy import HTTP
from http import HTTPStatus
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from kiosk.browser.replica import pages
from kiosk.browser.replica.hosts import PORTAL
from kiosk.browser.replica.official import OfficialReplica, Request, Response
from kiosk.browser.replica.smtp import MailCatcher

log = logging.getLogger(__name__)

MAX_BODY = 30 * 1024 * 1024


class _Server(ThreadingHTTPServer):
    """The practice server: plain HTTP, or HTTPS when given a TLS context (each connection's handshake
    runs in its own thread, so that a stalled client blocks nobody). `listen` adopts a socket that is
    already bound and listening (e.g. the loopback port a test's host-resolver rules point to)."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], site: PracticeSite, tls: ssl.SSLContext | None,
                 listen: socket.socket | None) -> None:
        super().__init__(address, _Handler, bind_and_activate=listen is None)
        if listen is not None:
            self.socket.close()
            self.socket = listen
            self.server_address = listen.getsockname()[:2]
        self.site, self.tls = site, tls

    def get_request(self) -> tuple[Any, Any]:
        conn, address = self.socket.accept()
        if self.tls is not None:
            conn = self.tls.wrap_socket(conn, server_side=True, do_handshake_on_connect=False)
        return conn, address

    def handle_error(self, request: Any, client_address: Any) -> None:
        log.debug("practice connection dropped", exc_info=True)


class PracticeSite:
    """The replica of the official sites. `start()` binds a free port on 127.0.0.1 (or adopts `listen`,
    an already listening socket) and serves in a thread; `tls` serves HTTPS (the official names are only
    ever used over https)."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, max_upload_mb: float = 2.0,
                 clock: Callable[[], dt.datetime] = dt.datetime.now, *, tls: ssl.SSLContext | None = None,
                 listen: socket.socket | None = None) -> None:
        self.host, self.port = host, port
        self.max_upload_bytes = int(max_upload_mb * 1024 * 1024)
        self.clock = clock
        self.tls, self._listen = tls, listen
        self.mail = MailCatcher()        # the replica's SMTP server (loopback): what its webmail shows
        self.official = OfficialReplica(clock, self.max_upload_bytes, catcher=self.mail)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle ------------------------------------------------------------------------------

    def start(self) -> PracticeSite:
        if self._server is not None:
            return self
        self.mail.start()
        server = _Server((self.host, self.port), self, self.tls, self._listen)
        self._listen = None
        self._server = server
        self.port = server.server_address[1]
        self._thread = threading.Thread(target=server.serve_forever, name="practice-site", daemon=True)
        self._thread.start()
        log.info("replica on %s:%d", self.host, self.port)
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()
        if self._listen is not None:          # adopted but never served
            self._listen.close()
            self._listen = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        self.mail.stop()
        self.forget()

    def __enter__(self) -> PracticeSite:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def host_entries(self) -> tuple[str, ...]:
        """The allow-list entries the kiosk needs to show this site (kiosk.browser.setup): none under the
        official names (the default allow-list has them); the practice names in practice mode."""
        return ()

    @property
    def start_url(self) -> str:
        """Where practice mode opens this site: the portal's home."""
        return f"{self.official.base(PORTAL)}/usagers/#/"

    def official_host(self, name: str) -> str:
        """The official host a request's host name stands for (the same name here; practice names in
        kiosk.browser.replica.practice)."""
        return name

    def forget(self) -> None:
        """Drop everything typed on the replica: accounts, sessions, baskets, mails (a session wipe step)."""
        self.official.forget()
        self.mail.forget()


class _Handler(BaseHTTPRequestHandler):
    server_version = "PracticeANEF/1"
    protocol_version = "HTTP/1.1"
    timeout = 30

    @property
    def site(self) -> PracticeSite:
        return self.server.site  # type: ignore[attr-defined, no-any-return]

    def setup(self) -> None:
        super().setup()
        if isinstance(self.request, ssl.SSLSocket):
            self.request.do_handshake()

    def _official_host(self) -> str:
        """The official host this request is for: its Host header without the port, as the site names it
        (the replica answers "not reproduced" for a name it does not mirror, the loopback address too)."""
        host = (self.headers.get("Host") or "").strip().lower()
        if host.startswith("["):                            # [::1]:8080
            name = host.partition("]")[0] + "]"
        else:
            name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
        return self.site.official_host(name)

    def _official(self, method: str) -> None:
        parts = urlsplit(self.path)
        values: dict[str, str] = {}
        files: dict[str, tuple[str, bytes]] = {}
        if method == "POST":
            parsed = self._form()
            if parsed is None:
                return
            values, files = parsed
        cookies = {key: morsel.value for key, morsel in SimpleCookie(self.headers.get("Cookie", "")).items()}
        request = Request(method, self._official_host(), parts.path,
                          dict(parse_qsl(parts.query, keep_blank_values=True)), cookies, values, files,
                          https=isinstance(self.request, ssl.SSLSocket))
        self._respond(self.site.official.handle(request))

    def _respond(self, response: Response) -> None:
        self.send_response(response.status)
        self.send_header("Content-Type", response.ctype)
        self.send_header("Content-Length", str(len(response.body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        for key, value in response.headers:
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    def log_message(self, format: str, *args: object) -> None:   # noqa: A002 - stdlib signature
        log.debug("practice %s %s", self.command, urlsplit(self.path).path)

    # --- plumbing ---------------------------------------------------------------------------------

    def _body(self) -> bytes | None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self.close_connection = True
            page = pages.site_page("Envoi trop volumineux", self._official_host(),
                                   "<h1>Envoi trop volumineux</h1>")
            self._respond(Response(page, HTTPStatus.REQUEST_ENTITY_TOO_LARGE))
            return None
        return self.rfile.read(length)

    def _form(self) -> tuple[dict[str, str], dict[str, tuple[str, bytes]]] | None:
        body = self._body()
        if body is None:
            return None
        ctype = self.headers.get("Content-Type", "")
        if ctype.startswith("multipart/form-data"):
            return _multipart(ctype, body)
        return dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)), {}

    # --- routes: every request goes to the replica ------------------------------------------------------

    def do_HEAD(self) -> None:  # noqa: N802 - stdlib naming
        self.do_GET()

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        self._official("GET")

    def do_POST(self) -> None:  # noqa: N802 - stdlib naming
        self._official("POST")


def _multipart(ctype: str, body: bytes) -> tuple[dict[str, str], dict[str, tuple[str, bytes]]]:
    message = BytesParser(policy=HTTP).parsebytes(
        b"Content-Type: " + ctype.encode("latin-1") + b"\r\n\r\n" + body)
    values: dict[str, str] = {}
    files: dict[str, tuple[str, bytes]] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not name:
            continue
        raw = part.get_payload(decode=True)
        payload = raw if isinstance(raw, bytes) else b""
        filename = part.get_filename()
        if filename is not None:
            files[str(name)] = (filename, payload)
        else:
            values[str(name)] = payload.decode("utf-8", "replace")
    return values, files
