"""A loopback SMTP catcher: the replica's mail server. The portal's replica sends its messages to it over
real SMTP (smtplib), and the replica's webmail (webmail.py) shows what it caught.

No dependency: a small SMTP server on the standard library's socketserver (aiosmtpd is not a dependency
and Python's smtpd is gone in 3.12). It speaks what a sender needs (RFC 5321: HELO/EHLO, MAIL FROM,
RCPT TO, DATA with dot-unstuffing, RSET, NOOP, QUIT), listens on 127.0.0.1 only, relays nothing and
keeps every message in memory, bounded (MAX_MESSAGES, MAX_MESSAGE_BYTES), until `forget()`.
"""

from __future__ import annotations

import logging
import smtplib
import socketserver
import threading
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

log = logging.getLogger(__name__)

MAX_MESSAGES = 64
MAX_MESSAGE_BYTES = 10 * 1024 * 1024
MAX_RECIPIENTS = 20
MAX_LINE = 1000 + 2          # RFC 5321 §4.5.3.1.6 (text line with CRLF); command lines are shorter


@dataclass(frozen=True)
class Caught:
    """A message as the catcher received it: envelope recipients and the parsed message."""

    number: int
    sender: str
    recipients: tuple[str, ...]
    message: EmailMessage


class MailCatcher:
    """The SMTP server. `start()` binds a free port on 127.0.0.1; `address` is where to send."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host, self.port = host, port
        self._lock = threading.Lock()
        self._caught: list[Caught] = []
        self._count = 0
        self._server: socketserver.ThreadingTCPServer | None = None

    def start(self) -> MailCatcher:
        if self._server is not None:
            return self
        catcher = self

        class Handler(_Session):
            def deliver(self, sender: str, recipients: list[str], data: bytes) -> None:
                catcher._deliver(sender, recipients, data)

        server = socketserver.ThreadingTCPServer((self.host, self.port), Handler)
        server.daemon_threads = True
        self._server, self.port = server, server.server_address[1]
        threading.Thread(target=server.serve_forever, name="smtp-catcher", daemon=True).start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()
        self.forget()

    @property
    def address(self) -> tuple[str, int]:
        return self.host, self.port

    def _deliver(self, sender: str, recipients: list[str], data: bytes) -> None:
        message = BytesParser(policy=policy.default).parsebytes(data.replace(b"\r\n", b"\n"))
        assert isinstance(message, EmailMessage)
        with self._lock:
            self._count += 1
            self._caught.append(Caught(self._count, sender, tuple(r.lower() for r in recipients), message))
            del self._caught[:-MAX_MESSAGES]

    def messages(self, address: str) -> list[Caught]:
        """The messages caught for `address` (an envelope recipient), oldest first."""
        wanted = address.strip().lower()
        with self._lock:
            return [c for c in self._caught if wanted in c.recipients]

    def message(self, number: int) -> Caught | None:
        with self._lock:
            return next((c for c in self._caught if c.number == number), None)

    def forget(self) -> None:
        with self._lock:
            self._caught.clear()

    def send(self, message: EmailMessage) -> None:
        """Send `message` to this catcher over SMTP (what the replica's sites do)."""
        with smtplib.SMTP(self.host, self.port, timeout=10) as client:
            client.send_message(message)


class _Session(socketserver.StreamRequestHandler):
    """One SMTP session."""

    timeout = 30

    def deliver(self, sender: str, recipients: list[str], data: bytes) -> None:
        raise NotImplementedError

    def reply(self, text: str) -> None:
        self.wfile.write(text.encode("ascii") + b"\r\n")

    def handle(self) -> None:
        self.reply("220 replica SMTP catcher (practice: nothing leaves this machine)")
        sender: str | None = None
        recipients: list[str] = []
        while True:
            line = self.rfile.readline(MAX_LINE)
            if not line:
                return
            command = line.decode("ascii", "replace").strip()
            verb = command[:4].upper()
            argument = command[4:].strip()
            if verb in ("HELO", "EHLO"):
                self.reply(f"250-replica\r\n250-SIZE {MAX_MESSAGE_BYTES}\r\n250 8BITMIME" if verb == "EHLO"
                           else "250 replica")
            elif verb == "MAIL" and argument.upper().startswith("FROM:"):
                sender, recipients = _path(argument[5:]), []
                self.reply("250 OK")
            elif verb == "RCPT" and argument.upper().startswith("TO:"):
                if sender is None:
                    self.reply("503 MAIL first")
                elif len(recipients) >= MAX_RECIPIENTS:
                    self.reply("452 too many recipients")
                else:
                    recipients.append(_path(argument[3:]))
                    self.reply("250 OK")
            elif verb == "DATA":
                if sender is None or not recipients:
                    self.reply("503 RCPT first")
                    continue
                self.reply("354 end with <CRLF>.<CRLF>")
                data = self._data()
                if data is None:
                    self.reply("552 message too large")
                else:
                    self.deliver(sender, recipients, data)
                    self.reply("250 OK: caught")
                sender, recipients = None, []
            elif verb == "RSET":
                sender, recipients = None, []
                self.reply("250 OK")
            elif verb == "NOOP":
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("502 command not implemented")

    def _data(self) -> bytes | None:
        """The message up to the lone dot, dot-unstuffed; None if it grew beyond MAX_MESSAGE_BYTES (read
        to its end all the same, so the session stays in step)."""
        lines: list[bytes] = []
        size, too_big = 0, False
        while True:
            line = self.rfile.readline(MAX_LINE)
            if not line or line in (b".\r\n", b".\n"):
                break
            size += len(line)
            too_big = too_big or size > MAX_MESSAGE_BYTES
            if not too_big:
                lines.append(line[1:] if line.startswith(b"..") else line)
        return None if too_big else b"".join(lines)


def _path(text: str) -> str:
    """The address of "<a@b> SIZE=…" (or a bare a@b)."""
    text = text.strip()
    if text.startswith("<"):
        return text[1:].partition(">")[0].strip()
    return text.split(" ", 1)[0]


__all__ = ["Caught", "MailCatcher"]
