"""A minimal IPP/1.1 client for CUPS, on the standard library only.

Why not pycups: it is GPL-2.0-or-later and links libcups; the kiosk is EUPL. Why not only lp/lpstat:
their output is localized text meant for people (printer state, job state and reasons would have to
be scraped), while IPP returns typed values (job-state 9 = completed, printer-state-reasons keywords).
CUPS speaks IPP over HTTP on its domain socket or TCP port, the same way lp does.

The server is found like libcups does: `CUPS_SERVER` (a socket path or host[:port]), else the
default domain socket, else localhost:631. On a domain socket CUPS authenticates the peer by its
credentials (`Authorization: PeerCred <user>`), which lets a user cancel and purge its own jobs.
"""

from __future__ import annotations

import http.client
import os
import pwd
import socket
import struct
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

# operations
PRINT_JOB = 0x0002
CANCEL_JOB = 0x0008
GET_JOB_ATTRIBUTES = 0x0009
GET_JOBS = 0x000A
GET_PRINTER_ATTRIBUTES = 0x000B
CUPS_GET_DEFAULT = 0x4001

# delimiter and value tags
_OPERATION, _JOB, _END, _PRINTER = 0x01, 0x02, 0x03, 0x04
_INTEGER, _BOOLEAN, _ENUM = 0x21, 0x22, 0x23
_TEXT, _NAME, _KEYWORD, _URI, _CHARSET, _LANGUAGE, _MIME = 0x41, 0x42, 0x44, 0x45, 0x47, 0x48, 0x49
_INT_TAGS = (_INTEGER, _ENUM)

# status codes worth naming
NOT_FOUND = 0x0406
NOT_POSSIBLE = 0x0404
NOT_ACCEPTING = 0x0506
FORBIDDEN = 0x0401
NOT_AUTHENTICATED = 0x0402

DEFAULT_SOCKET = Path("/run/cups/cups.sock")

Value = str | int | bool


class IppError(Exception):
    """The scheduler answered with an error status, or could not be reached (status 0)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"IPP status 0x{status:04x}: {message}")
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Attr:
    tag: int
    name: str
    values: tuple[Value, ...]


@dataclass
class Response:
    status: int
    groups: list[tuple[int, dict[str, tuple[Value, ...]]]] = field(default_factory=list)

    def group(self, tag: int) -> dict[str, tuple[Value, ...]]:
        """The first group with this delimiter tag (empty if none)."""
        return next((attrs for t, attrs in self.groups if t == tag), {})

    def all(self, tag: int) -> list[dict[str, tuple[Value, ...]]]:
        return [attrs for t, attrs in self.groups if t == tag]

    @property
    def ok(self) -> bool:
        return self.status < 0x0100


def encode(operation: int, request_id: int, attrs: Sequence[Attr], data: bytes = b"") -> bytes:
    out = bytearray(struct.pack(">BBHI", 1, 1, operation, request_id))
    out.append(_OPERATION)
    for attr in attrs:
        for i, value in enumerate(attr.values):
            name = attr.name.encode() if i == 0 else b""
            out.append(attr.tag)
            out += struct.pack(">H", len(name)) + name
            raw = _encode_value(attr.tag, value)
            out += struct.pack(">H", len(raw)) + raw
    out.append(_END)
    return bytes(out) + data


def _encode_value(tag: int, value: Value) -> bytes:
    if tag in _INT_TAGS:
        return struct.pack(">i", int(value))
    if tag == _BOOLEAN:
        return b"\x01" if value else b"\x00"
    return str(value).encode("utf-8")


def decode(payload: bytes) -> Response:
    if len(payload) < 9:
        raise IppError(0, "truncated IPP response")
    _major, _minor, status, _rid = struct.unpack(">BBHI", payload[:8])
    response = Response(status)
    pos, last = 8, ""
    current: dict[str, tuple[Value, ...]] | None = None
    while pos < len(payload):
        tag = payload[pos]
        pos += 1
        if tag == _END:
            break
        if tag < 0x10:                       # a new attribute group
            current = {}
            response.groups.append((tag, current))
            continue
        nlen = struct.unpack(">H", payload[pos:pos + 2])[0]
        name = payload[pos + 2:pos + 2 + nlen].decode("utf-8", "replace")
        pos += 2 + nlen
        vlen = struct.unpack(">H", payload[pos:pos + 2])[0]
        raw = payload[pos + 2:pos + 2 + vlen]
        pos += 2 + vlen
        if current is None:
            raise IppError(0, "malformed IPP response")
        if name:
            last = name
            current[name] = ()
        current[last] = (*current.get(last, ()), _decode_value(tag, raw))
    return response


def _decode_value(tag: int, raw: bytes) -> Value:
    if tag in _INT_TAGS and len(raw) == 4:
        return int(struct.unpack(">i", raw)[0])
    if tag == _BOOLEAN and len(raw) == 1:
        return raw != b"\x00"
    if 0x40 <= tag <= 0x4F or tag in (0x30, 0x35, 0x36):
        return raw.decode("utf-8", "replace")
    return raw.hex()                         # dates, ranges, collections: not needed here


class _UnixConnection(http.client.HTTPConnection):
    def __init__(self, path: str, timeout: float) -> None:
        super().__init__("localhost", timeout=timeout)
        self._path = path

    def connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        sock.connect(self._path)
        self.sock = sock


def _current_user() -> str:
    try:
        return pwd.getpwuid(os.getuid()).pw_name
    except KeyError:
        return str(os.getuid())


@dataclass
class IppClient:
    """Talks to one CUPS scheduler. `server` as in CUPS_SERVER; None: look it up like libcups."""

    server: str | None = None
    timeout: float = 10.0
    user: str = field(default_factory=_current_user)
    _request_id: int = 0

    def __post_init__(self) -> None:
        if self.server is None:
            env = os.environ.get("CUPS_SERVER", "")
            self.server = env or (str(DEFAULT_SOCKET) if DEFAULT_SOCKET.exists() else "localhost:631")

    @property
    def on_socket(self) -> bool:
        return str(self.server).startswith("/")

    def _connection(self) -> http.client.HTTPConnection:
        server = str(self.server)
        if self.on_socket:
            return _UnixConnection(server, self.timeout)
        host, _, port = server.partition(":")
        return http.client.HTTPConnection(host, int(port or 631), timeout=self.timeout)

    def printer_uri(self, queue: str) -> str:
        return f"ipp://localhost/printers/{queue}"

    def request(self, operation: int, resource: str, attrs: Iterable[Attr], data: bytes = b"") -> Response:
        """Send one request; raise IppError when the scheduler cannot be reached or says no."""
        self._request_id += 1
        body = encode(operation, self._request_id, [
            Attr(_CHARSET, "attributes-charset", ("utf-8",)),
            Attr(_LANGUAGE, "attributes-natural-language", ("en",)),
            *attrs,
        ], data)
        try:
            status, payload = self._post(resource, body, auth=False)
            if status == 401 and self.on_socket:
                status, payload = self._post(resource, body, auth=True)
        except OSError as exc:
            raise IppError(0, f"scheduler unreachable ({exc.__class__.__name__})") from exc
        if status != 200:
            raise IppError(FORBIDDEN if status in (401, 403) else 0, f"HTTP {status}")
        response = decode(payload)
        if not response.ok:
            message = response.group(_OPERATION).get("status-message", ("",))[0]
            raise IppError(response.status, str(message))
        return response

    def _post(self, resource: str, body: bytes, auth: bool) -> tuple[int, bytes]:
        conn = self._connection()
        headers = {"Content-Type": "application/ipp"}
        if auth:
            headers["Authorization"] = f"PeerCred {self.user}"
        try:
            conn.request("POST", resource, body=body, headers=headers)
            reply = conn.getresponse()
            return reply.status, reply.read()
        finally:
            conn.close()

    # --- the few operations the kiosk needs ------------------------------------------------------

    def default_queue(self) -> str | None:
        try:
            response = self.request(CUPS_GET_DEFAULT, "/", [
                Attr(_KEYWORD, "requested-attributes", ("printer-name",))])
        except IppError as exc:
            if exc.status == NOT_FOUND:
                return None
            raise
        names = response.group(_PRINTER).get("printer-name", ())
        return str(names[0]) if names else None

    def printer_attributes(self, queue: str, names: Sequence[str]) -> Mapping[str, tuple[Value, ...]]:
        response = self.request(GET_PRINTER_ATTRIBUTES, "/", [
            Attr(_URI, "printer-uri", (self.printer_uri(queue),)),
            Attr(_KEYWORD, "requested-attributes", tuple(names))])
        return response.group(_PRINTER)

    def print_job(self, queue: str, data: bytes, title: str, mime: str = "application/pdf") -> int:
        response = self.request(PRINT_JOB, f"/printers/{queue}", [
            Attr(_URI, "printer-uri", (self.printer_uri(queue),)),
            Attr(_NAME, "requesting-user-name", (self.user,)),
            Attr(_NAME, "job-name", (title,)),
            Attr(_MIME, "document-format", (mime,))], data)
        return int(response.group(_JOB)["job-id"][0])

    def job_attributes(self, job_id: int, names: Sequence[str]) -> Mapping[str, tuple[Value, ...]]:
        response = self.request(GET_JOB_ATTRIBUTES, "/jobs/", [
            Attr(_URI, "job-uri", (f"ipp://localhost/jobs/{job_id}",)),
            Attr(_NAME, "requesting-user-name", (self.user,)),
            Attr(_KEYWORD, "requested-attributes", tuple(names))])
        return response.group(_JOB)

    def jobs(self, queue: str, which: str = "all", mine: bool = True) -> list[int]:
        response = self.request(GET_JOBS, "/", [
            Attr(_URI, "printer-uri", (self.printer_uri(queue),)),
            Attr(_NAME, "requesting-user-name", (self.user,)),
            Attr(_KEYWORD, "which-jobs", (which,)),
            Attr(_BOOLEAN, "my-jobs", (mine,)),
            Attr(_KEYWORD, "requested-attributes", ("job-id",))])
        return [int(job["job-id"][0]) for job in response.all(_JOB) if "job-id" in job]

    def cancel_job(self, job_id: int, purge: bool) -> None:
        """Cancel a job; with `purge`, CUPS also deletes its files and its history entry."""
        attrs = [Attr(_URI, "job-uri", (f"ipp://localhost/jobs/{job_id}",)),
                 Attr(_NAME, "requesting-user-name", (self.user,))]
        if purge:
            attrs.append(Attr(_BOOLEAN, "purge-job", (True,)))
        self.request(CANCEL_JOB, "/jobs/", attrs)
