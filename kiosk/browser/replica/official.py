"""The replica of the official sites, answered by Host header (hosts.py): the portal's single-page app
(portal.py, spa.py), the sign-on host, FranceConnect and its identity providers (signon.py) and the stamp
shop (stamps.py). Like the practice pages, every page says "Entraînement — rien n'est envoyé", nothing
is written to disk and nothing leaves the machine.

What visitors type (accounts, passwords as salted hashes, requests, baskets) is kept in memory only, in
`Store`, until `forget()` (a session wipe step) or the server stops; every table is bounded.
Uploaded files are checked (format, size, encryption) and dropped: only their names and sizes are kept.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import hmac
import json
import secrets
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from http import HTTPStatus
from typing import Any, TypeVar
from urllib.parse import urlencode

from kiosk.browser.replica import pages
from kiosk.browser.replica.hosts import (
    FRANCECONNECT,
    FRANCECONNECT_V1,
    IDENTITY_PROVIDERS,
    OFFICIAL_HOSTS,
    PORTAL,
    SSO,
    STAMPS,
    https_bases,
)
from kiosk.browser.replica.smtp import MailCatcher

MAX_ENTRIES = 64            # per table: a page that loops cannot grow the replica's memory
TOKEN_LIFETIME = dt.timedelta(hours=24)      # the sign-up link (24 h in the qualif sample, C1)
CODE_LIFETIME = dt.timedelta(minutes=5)      # authorisation codes
V = TypeVar("V")


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

    @classmethod
    def redirect(cls, where: str, status: HTTPStatus = HTTPStatus.FOUND) -> Response:
        return cls(b"", status, headers=[("Location", where)])

    @classmethod
    def json(cls, data: object, status: HTTPStatus = HTTPStatus.OK) -> Response:
        body = json.dumps(data, ensure_ascii=False).encode("utf-8")
        return cls(body, status, "application/json; charset=utf-8")

    def cookie(self, name: str, value: str, request: Request, path: str = "/",
               max_age: int | None = None) -> Response:
        secure = "; Secure" if request.https else ""
        age = f"; Max-Age={max_age}" if max_age is not None else ""
        self.headers.append(("Set-Cookie",
                             f"{name}={value}; Path={path}; HttpOnly; SameSite=Lax{secure}{age}"))
        return self


@dataclass(frozen=True)
class Mail:
    """A message the real site would send by e-mail; the replica shows it on its own pages instead."""

    to: str
    subject: str
    text: str
    link: str
    link_label: str


@dataclass
class Upload:
    name: str
    size: int


@dataclass
class Application:
    """A residence-permit request in the portal's wizard (portal.WIZARD)."""

    step: str = "situation"
    values: dict[str, str] = field(default_factory=dict)
    uploads: dict[str, Upload] = field(default_factory=dict)
    reference: str = ""
    filed: dt.datetime | None = None


@dataclass
class Account:
    id: str
    number: str                      # numéro étranger (the login), 10 digits
    email: str
    permit_start: dt.date
    permit_end: dt.date
    salt: bytes = b""
    password_hash: bytes = b""
    given_name: str = ""
    family_name: str = ""
    birth_date: str = ""
    franceconnect: set[str] = field(default_factory=set)     # linked FranceConnect identities
    application: Application | None = None

    def set_password(self, password: str) -> None:
        self.salt = secrets.token_bytes(16)
        self.password_hash = _hash(password, self.salt)

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and hmac.compare_digest(self.password_hash,
                                                                 _hash(password, self.salt))


def _hash(password: str, salt: bytes) -> bytes:
    # Practice or not, a visitor may type a real password: never kept in clear, even in memory.
    return hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, 20_000)


@dataclass
class Registration:
    """A sign-up between the identification page and the password page."""

    number: str
    permit_start: dt.date
    permit_end: dt.date
    email: str = ""


@dataclass
class Login:
    """A sign-on transaction: who asked (the portal's redirect address and state) and, through
    FranceConnect, which identity came back."""

    redirect_uri: str
    state: str
    tab_id: str = field(default_factory=lambda: secrets.token_urlsafe(8))
    execution: str = field(default_factory=lambda: secrets.token_hex(8))
    broker_state: str = ""
    identity: dict[str, str] | None = None


@dataclass
class Identity:
    """A FranceConnect transaction: the identity provider chosen, then the identity it returned."""

    client_redirect: str
    client_state: str
    provider: str = ""
    person: dict[str, str] | None = None


@dataclass
class Basket:
    """The stamp shop's basket (stamps.py)."""

    stamp: str = ""
    delivery: str = ""
    contact: str = ""
    number: str = ""
    paid: dt.datetime | None = None


class Table(dict[str, V]):
    """A bounded table: the oldest entry goes when a new one would exceed MAX_ENTRIES."""

    def put(self, key: str, value: V) -> V:
        while len(self) >= MAX_ENTRIES and key not in self:
            self.pop(next(iter(self)))
        self[key] = value
        return value


class Store:
    """Everything the replica remembers, in memory only (guarded by `lock`)."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.accounts: Table[Account] = Table()
        self.registrations: Table[Registration] = Table()
        self.tokens: Table[tuple[str, dt.datetime]] = Table()          # token -> (registration, expiry)
        self.mails: Table[list[Mail]] = Table()                         # address -> messages
        self.logins: Table[Login] = Table()                             # session_code -> login
        self.codes: Table[tuple[str, dt.datetime]] = Table()           # code -> (account id, expiry)
        self.sessions: Table[str] = Table()                             # portal cookie -> account id
        self.identities: Table[Identity] = Table()                      # FranceConnect transaction
        self.provider_codes: Table[tuple[str, dict[str, str]]] = Table()   # code -> (transaction, person)
        self.fc_codes: Table[tuple[str, dict[str, str]]] = Table()     # code -> (client state, person)
        self.baskets: Table[Basket] = Table()
        self.resets: Table[tuple[str, dt.datetime]] = Table()          # reset key -> (account id, expiry)
        self.mailer: Callable[[Mail], None] | None = None     # sends by SMTP to the replica's catcher

    def clear(self) -> None:
        with self.lock:
            for table in vars(self).values():
                if isinstance(table, Table):
                    table.clear()

    def account_by_login(self, login: str) -> Account | None:
        """The account of a login: the numéro étranger or, for those without one, the e-mail address
        (S1: «Votre identifiant de connexion est votre numéro d'étranger, si vous n'en n'avez pas,
        votre adresse mail»)."""
        wanted = login.strip().lower()
        return next((a for a in self.accounts.values() if wanted and wanted in (a.number, a.email.lower())),
                    None)

    def send(self, mail: Mail) -> None:
        self.mails.put(mail.to.lower(), [*self.mails.get(mail.to.lower(), [])[-9:], mail])
        if self.mailer is not None:
            self.mailer(mail)


def new_secret() -> str:
    return secrets.token_urlsafe(24)


def query(base: str, **params: str) -> str:
    return f"{base}?{urlencode(params)}"


Handler = Callable[[Request], Response]


class OfficialReplica:
    """Answers a request for one of the official host names. `bases` are where the pages point to
    (https://<host> for each host, as on the real sites)."""

    def __init__(self, clock: Callable[[], dt.datetime] = dt.datetime.now,
                 max_upload_bytes: int = 2 << 20, bases: Mapping[str, str] | None = None,
                 catcher: MailCatcher | None = None) -> None:
        from kiosk.browser.replica import portal, signon, stamps, webmail

        self.clock, self.max_upload_bytes = clock, max_upload_bytes
        self.bases = dict(bases or https_bases())
        self.hosts = frozenset(OFFICIAL_HOSTS)
        self.store = Store()
        self._handlers: dict[str, Handler] = {
            PORTAL: portal.Portal(self).handle, SSO: signon.SignOn(self).handle,
            FRANCECONNECT: signon.FranceConnect(self).handle, FRANCECONNECT_V1: signon.franceconnect_v1,
            STAMPS: stamps.StampShop(self).handle,
            **{host: signon.IdentityProvider(self, host).handle for host in IDENTITY_PROVIDERS},
        }
        self.webmail: webmail.Webmail | None = None
        if catcher is not None:      # the portal's messages go over SMTP to the catcher, read in the webmail
            self.webmail = webmail.Webmail(self, catcher)
            self._handlers |= dict.fromkeys(webmail.WEBMAIL_HOSTS, self.webmail.handle)
            self.store.mailer = lambda mail: catcher.send(as_email(mail))

    def base(self, host: str) -> str:
        return self.bases[host]

    def today(self) -> dt.date:
        return self.clock().date()

    def forget(self) -> None:
        self.store.clear()
        if self.webmail is not None:
            self.webmail.forget()

    def handle(self, request: Request) -> Response:
        handler = self._handlers.get(request.host)
        if handler is None:
            return Response(pages.site_page("Site non reproduit", request.host, (
                "<h1>Site non reproduit</h1><p>Ce site n'est pas reproduit dans l'entraînement.</p>")),
                HTTPStatus.NOT_FOUND)
        with self.store.lock:
            return handler(request)

    # --- for the practice guide, a mediator's demonstration and the tests -------------------------------

    def add_account(self, number: str, email: str, password: str, permit_end: dt.date,
                    permit_start: dt.date | None = None, given_name: str = "",
                    family_name: str = "") -> Account:
        """An account as if created through the sign-up pages."""
        with self.store.lock:
            start = permit_start or permit_end - dt.timedelta(days=365)
            account = Account(new_secret(), number, email, start, permit_end, given_name=given_name,
                              family_name=family_name)
            account.set_password(password)
            return self.store.accounts.put(account.id, account)

    def mails(self, address: str) -> list[Mail]:
        """The messages the real site would have sent to `address`, oldest first."""
        with self.store.lock:
            return list(self.store.mails.get(address.strip().lower(), []))

    def application(self, number: str) -> Application | None:
        with self.store.lock:
            account = self.store.account_by_login(number)
            return account.application if account is not None else None


def as_email(mail: Mail) -> EmailMessage:
    """The message the real site would send (its sender address is [inferred]: not in the sources read)."""
    message = EmailMessage()
    message["From"] = "Étrangers en France <ne-pas-repondre@interieur.gouv.fr>"
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Date"] = email.utils.formatdate(localtime=True)
    message.set_content(f"{mail.text}\n\n{mail.link_label} :\n{mail.link}\n")
    return message


def as_json(value: Any) -> str:
    """JSON for a <script type="application/json"> block (no "</" can close the element)."""
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")


__all__ = ["Account", "Application", "Mail", "OfficialReplica", "Request", "Response", "Store"]
