"""Calling a mediator: a help request (terminal, step, language; nothing about the visitor) and channels.

Channels: a generic webhook (POST of a small JSON object) and a Matrix room (client-server API,
`PUT /_matrix/client/v3/rooms/{roomId}/send/m.room.message/{txnId}`). Tokens come from a callable
(bind `keyring.get_password`), read at each send, never stored in the config file and never logged.
The Matrix transaction id is derived from the request id, so a retry after a lost answer does not post
the message twice (the homeserver deduplicates by txnId for the same access token).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import quote

import requests

from kiosk.i18n import N_
from kiosk.mediator.errors import HelpDeliveryError

log = logging.getLogger(__name__)

TokenSource = Callable[[], str | None]
_ID = re.compile(r"[A-Za-z0-9_.:-]{1,64}")
_LANG = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})?")
PERMANENT = frozenset({400, 401, 403, 404, 405, 410, 413, 415, 422})

HELP_TEXT = N_("Help requested at terminal {terminal} (step {step}, language {language}).")
NOT_DELIVERED = N_("The help request could not be sent.")


@dataclass(frozen=True)
class HelpRequest:
    terminal: str
    step: str | None                     # step id of the guide (not its text), None before a procedure
    language: str                        # language code of the visitor's screen
    time: str = field(default_factory=lambda: dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
    id: str = field(default_factory=lambda: secrets.token_hex(8))
    site: str = ""                       # the terminal's site ([terminal] site_name): where to walk to

    def __post_init__(self) -> None:
        if not (_ID.fullmatch(self.terminal) and _LANG.fullmatch(self.language) and _ID.fullmatch(self.id)
                and (self.step is None or _ID.fullmatch(self.step))):
            raise ValueError("a help request carries only ids and a language code")
        if any(c in self.site for c in "\r\n\0") or len(self.site) > 200:
            raise ValueError("the site is one line of the terminal's configuration")

    def payload(self) -> dict[str, Any]:
        return {"type": "pan-kiosk.help_request", "id": self.id, "terminal": self.terminal,
                "site": self.site, "step": self.step, "language": self.language, "time": self.time}


def default_text(request: HelpRequest) -> str:
    """The message a mediator reads (pass a Translator's tr to have it in the mediators' language)."""
    text = HELP_TEXT.format(terminal=request.terminal, step=request.step or "-", language=request.language)
    return f"{request.site} — {text}" if request.site else text


class HelpChannel(Protocol):
    name: str

    def send(self, request: HelpRequest) -> None:
        """Deliver or raise HelpDeliveryError (retryable or not)."""


def _request(session: requests.Session, method: str, url: str, *, json_body: dict[str, Any],
             headers: dict[str, str], timeout_s: float, channel: str) -> requests.Response:
    try:
        return session.request(method, url, json=json_body, headers=headers, timeout=timeout_s,
                               allow_redirects=False)
    except requests.RequestException as exc:     # refused, unreachable, timed out, TLS…
        raise HelpDeliveryError(NOT_DELIVERED, f"{channel}: {type(exc).__name__}") from None


def _check(response: requests.Response, channel: str, retry_after_s: float | None = None) -> None:
    if 200 <= response.status_code < 300:
        return
    header = response.headers.get("Retry-After", "")
    if header.isdigit():
        retry_after_s = float(header)
    raise HelpDeliveryError(NOT_DELIVERED, f"{channel}: HTTP {response.status_code}",
                            retryable=response.status_code not in PERMANENT, retry_after_s=retry_after_s)


class WebhookChannel:
    """POST {"type": "pan-kiosk.help_request", "id", "terminal", "step", "language", "time"} as JSON.

    When the token source gives a token, it is sent as `Authorization: Bearer …`. `id` lets the receiver
    drop a request it already has (a retry after a lost answer)."""

    name = "webhook"

    def __init__(self, url: str, *, token: TokenSource | None = None, timeout_s: float = 10.0,
                 session: requests.Session | None = None) -> None:
        self.url = url
        self._token = token
        self.timeout_s = timeout_s
        self._session = session or requests.Session()

    def send(self, request: HelpRequest) -> None:
        headers = {"User-Agent": "pan-kiosk"}
        token = self._token() if self._token is not None else None
        if token:
            headers["Authorization"] = f"Bearer {token}"
        response = _request(self._session, "POST", self.url, json_body=request.payload(), headers=headers,
                            timeout_s=self.timeout_s, channel=self.name)
        _check(response, self.name)


class MatrixChannel:
    """Post an m.text message into a Matrix room with an access token (a bot account in the room)."""

    name = "matrix"

    def __init__(self, homeserver: str, room_id: str, token: TokenSource, *, timeout_s: float = 10.0,
                 text: Callable[[HelpRequest], str] = default_text,
                 session: requests.Session | None = None) -> None:
        self.homeserver = homeserver.rstrip("/")
        self.room_id = room_id
        self._token = token
        self.timeout_s = timeout_s
        self._text = text
        self._session = session or requests.Session()

    def url_for(self, request: HelpRequest) -> str:
        txn = f"pan-kiosk-{request.id}"
        return (f"{self.homeserver}/_matrix/client/v3/rooms/{quote(self.room_id, safe='')}"
                f"/send/m.room.message/{quote(txn, safe='')}")

    def send(self, request: HelpRequest) -> None:
        token = self._token()
        if not token:
            raise HelpDeliveryError(NOT_DELIVERED, "matrix: no access token in the keyring", retryable=False)
        body = {"msgtype": "m.text", "body": self._text(request),
                "org.pan_kiosk.help_request": request.payload()}
        response = _request(self._session, "PUT", self.url_for(request), json_body=body,
                            headers={"Authorization": f"Bearer {token}", "User-Agent": "pan-kiosk"},
                            timeout_s=self.timeout_s, channel=self.name)
        _check(response, self.name, _matrix_retry_after(response))


def _matrix_retry_after(response: requests.Response) -> float | None:
    """M_LIMIT_EXCEEDED carries retry_after_ms in its JSON body."""
    if response.status_code != 429:
        return None
    try:
        data = response.json()
    except ValueError:
        return 5.0
    ms = data.get("retry_after_ms") if isinstance(data, dict) else None
    return ms / 1000 if isinstance(ms, (int, float)) and ms >= 0 else 5.0


class SimulatedChannel:
    """Demo and training: accepts every request after `fail_first` failures; keeps what it received."""

    name = "simulated"

    def __init__(self, fail_first: int = 0) -> None:
        self.fail_first = fail_first
        self.received: list[HelpRequest] = []
        self.attempts = 0

    def send(self, request: HelpRequest) -> None:
        self.attempts += 1
        if self.attempts <= self.fail_first:
            raise HelpDeliveryError(NOT_DELIVERED, "simulated: network down")
        self.received.append(request)
