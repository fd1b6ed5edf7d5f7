"""The practice site server: a stdlib ThreadingHTTPServer on 127.0.0.1, started and stopped by
`PracticeSite`.

What visitors type is kept in memory only, per browser cookie, until `forget()` (a wipe step) or
`stop()`. Uploaded files are read, checked (format, size) and dropped: only their names and sizes are
kept for the summary. Nothing is written to disk and nothing leaves the machine.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import secrets
import socket
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http import HTTPStatus
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from kiosk.browser.policy import StepRule
from kiosk.browser.replica import pages
from kiosk.browser.replica.attestation import attestation_pdf
from kiosk.browser.replica.official import OfficialReplica, Request, Response
from kiosk.browser.replica.smtp import MailCatcher

log = logging.getLogger(__name__)

COOKIE = "entrainement"
MAX_BODY = 30 * 1024 * 1024
MAX_DOSSIERS = 32
UPLOAD_EXTENSIONS = (".pdf", ".jpg", ".jpeg", ".png")


@dataclass
class Dossier:
    values: dict[str, str] = field(default_factory=dict)
    files: dict[str, tuple[str, int]] = field(default_factory=dict)   # field -> (file name, bytes)
    reference: str = ""
    filed: dt.datetime | None = None


def _required(fields: tuple[pages.Field, ...], values: dict[str, str]) -> list[str]:
    missing = [f for f in fields if f.required and f.kind != "file" and not values.get(f.name, "").strip()]
    return [f"Vous devez cocher la case : {f.label}" if f.kind == "checkbox"
            else f"Ce champ est obligatoire : {f.label}" for f in missing]


def check_account(v: dict[str, str]) -> list[str]:
    errors = _required(pages.ACCOUNT_FIELDS, v)
    if v.get("courriel") and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", v["courriel"]):
        errors.append("L'adresse électronique n'est pas valide.")
    if v.get("courriel2") and v.get("courriel", "").lower() != v["courriel2"].lower():
        errors.append("Les deux adresses électroniques ne sont pas identiques.")
    phone = re.sub(r"[\s.]", "", v.get("telephone", ""))
    if phone and not re.fullmatch(r"(0[67]\d{8}|\+33[67]\d{8})", phone):
        errors.append("Le numéro de téléphone portable n'est pas valide.")
    if v.get("mot_de_passe") and len(v["mot_de_passe"]) < 12:
        errors.append("Le mot de passe doit contenir au moins 12 caractères.")
    if v.get("mot_de_passe2") and v.get("mot_de_passe") != v["mot_de_passe2"]:
        errors.append("Les deux mots de passe ne sont pas identiques.")
    return errors


def check_identity(v: dict[str, str]) -> list[str]:
    errors = _required(pages.IDENTITY_FIELDS, v)
    if v.get("numero_etranger") and not re.fullmatch(r"\d{10}", v["numero_etranger"].strip()):
        errors.append("Le numéro étranger comporte 10 chiffres.")
    birth = v.get("date_naissance", "")
    if birth and not re.fullmatch(r"\d{4}-\d{2}-\d{2}|\d{2}/\d{2}/\d{4}", birth):
        errors.append("La date de naissance n'est pas valide (JJ/MM/AAAA).")
    return errors


def check_address(v: dict[str, str]) -> list[str]:
    errors = _required(pages.ADDRESS_FIELDS, v)
    if v.get("code_postal") and not re.fullmatch(r"\d{5}", v["code_postal"].strip()):
        errors.append("Le code postal comporte 5 chiffres.")
    return errors


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
    """The local practice site. `start()` binds a free port on 127.0.0.1 and serves in a thread.

    One server, two faces chosen by the request's Host header: the practice pages on the loopback
    address (`url`), and the replica of the official sites (kiosk.browser.replica.official) for the
    official host names of hosts.py, for whoever resolves them to this port. `tls` serves HTTPS (the
    official names are only ever used over https); `listen` adopts an already listening socket."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, max_upload_mb: float = 2.0,
                 clock: Callable[[], dt.datetime] = dt.datetime.now, *, tls: ssl.SSLContext | None = None,
                 listen: socket.socket | None = None) -> None:
        self.host, self.port = host, port
        self.max_upload_bytes = int(max_upload_mb * 1024 * 1024)
        self.clock = clock
        self.tls, self._listen = tls, listen
        self.mail = MailCatcher()        # the replica's SMTP server (loopback): what its webmail shows
        self.official = OfficialReplica(clock, self.max_upload_bytes, catcher=self.mail)
        self._dossiers: dict[str, Dossier] = {}
        self._lock = threading.Lock()
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
        log.info("practice site on %s", self.url)
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()
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
    def url(self) -> str:
        return f"{'https' if self.tls is not None else 'http'}://{self.host}:{self.port}/"

    @property
    def host_entry(self) -> str:
        """The allow-list entry for this site (host:port)."""
        return f"{self.host}:{self.port}"

    @property
    def host_entries(self) -> tuple[str, ...]:
        """Every allow-list entry the kiosk needs to show this site (kiosk.browser.setup)."""
        return (self.host_entry,)

    @property
    def start_url(self) -> str:
        """Where practice mode opens this site."""
        return self.url

    def official_host(self, name: str) -> str:
        """The official host a request's host name stands for (the same name here; practice names in
        kiosk.browser.replica.practice)."""
        return name

    def forget(self) -> None:
        """Drop every practice dossier and everything typed on the replica (a session wipe step)."""
        with self._lock:
            self._dossiers.clear()
        self.official.forget()
        self.mail.forget()

    def dossier_count(self) -> int:
        with self._lock:
            return len(self._dossiers)

    def step_rules(self) -> list[StepRule]:
        """Guide steps of the practice procedure, by page address."""
        base = re.escape(f"http://{self.host}:{self.port}")
        return [StepRule(step, (f"^{base}{path}$",)) for step, path in (
            ("home", "/"), ("login", "/connexion"), ("account", "/compte/creer"), ("space", "/espace"),
            ("identity", "/demarche/identite"), ("address", "/demarche/adresse"),
            ("documents", "/demarche/justificatifs"), ("summary", "/demarche/recapitulatif"),
            ("confirmation", "/demarche/confirmation"))]

    # --- state used by the handler --------------------------------------------------------------

    def new_dossier(self, values: dict[str, str]) -> str:
        token = secrets.token_urlsafe(16)
        with self._lock:
            while len(self._dossiers) >= MAX_DOSSIERS:
                self._dossiers.pop(next(iter(self._dossiers)))
            self._dossiers[token] = Dossier(values=dict(values))
        return token

    def dossier(self, token: str | None) -> Dossier | None:
        with self._lock:
            return self._dossiers.get(token) if token else None

    def new_reference(self) -> str:
        return f"ENT-{self.clock():%Y%m%d}-{secrets.randbelow(10**6):06d}"


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

    def _official_host(self) -> str | None:
        """The host name this request is for (Host header without port) when it is not the practice
        site's own loopback address: the replica of the official sites answers it (with "not
        reproduced" for a name it does not mirror)."""
        host = (self.headers.get("Host") or "").strip().lower()
        if host.startswith("["):                            # [::1]:8080
            name = host.partition("]")[0] + "]"
        else:
            name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
        loopback = {self.site.host, "127.0.0.1", "localhost", "[::1]", ""}
        return None if name in loopback else self.site.official_host(name)

    def _official(self, host: str, method: str) -> None:
        parts = urlsplit(self.path)
        values: dict[str, str] = {}
        files: dict[str, tuple[str, bytes]] = {}
        if method == "POST":
            parsed = self._form()
            if parsed is None:
                return
            values, files = parsed
        cookies = {key: morsel.value for key, morsel in SimpleCookie(self.headers.get("Cookie", "")).items()}
        request = Request(method, host, parts.path, dict(parse_qsl(parts.query, keep_blank_values=True)),
                          cookies, values, files, https=isinstance(self.request, ssl.SSLSocket))
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

    def _send(self, body: bytes, status: HTTPStatus = HTTPStatus.OK,
              ctype: str = "text/html; charset=utf-8", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _redirect(self, where: str, cookie: str | None = None) -> None:
        headers = {"Location": where}
        if cookie is not None:
            headers["Set-Cookie"] = f"{COOKIE}={cookie}; Path=/; HttpOnly; SameSite=Lax"
        self._send(b"", HTTPStatus.SEE_OTHER, headers=headers)

    def _token(self) -> str | None:
        jar = SimpleCookie(self.headers.get("Cookie", ""))
        return jar[COOKIE].value if COOKIE in jar else None

    def _body(self) -> bytes | None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self.close_connection = True
            self._send(pages.page("Envoi trop volumineux", "<h1>Envoi trop volumineux</h1>"),
                       HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
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

    # --- routes -----------------------------------------------------------------------------------

    def do_HEAD(self) -> None:  # noqa: N802 - stdlib naming
        self.do_GET()

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        official = self._official_host()
        if official is not None:
            self._official(official, "GET")
            return
        path = urlsplit(self.path).path
        simple = {"/": pages.home, "/connexion": pages.login}
        if path in simple:
            self._send(simple[path]())
            return
        if path == "/compte/creer":
            self._send(pages.account({}, []))
            return
        dossier = self.site.dossier(self._token())
        if dossier is None:
            self._send(pages.expired() if path in _PRIVATE else pages.not_found(),
                       HTTPStatus.OK if path in _PRIVATE else HTTPStatus.NOT_FOUND)
            return
        self._get_private(path, dossier)

    def _get_private(self, path: str, d: Dossier) -> None:
        v = d.values
        if path == "/espace":
            self._send(pages.space(v.get("prenoms", "")))
        elif path == "/demarche/identite":
            self._send(pages.identity(v, []))
        elif path == "/demarche/adresse":
            self._send(pages.address(v, []))
        elif path == "/demarche/justificatifs":
            self._send(pages.documents(v, []))
        elif path == "/demarche/recapitulatif":
            self._send(pages.summary(_rows(d), []))
        elif path == "/demarche/confirmation" and d.reference:
            self._send(pages.confirmation(d.reference))
        elif path == "/demarche/attestation.pdf" and d.reference and d.filed:
            pdf = attestation_pdf(d.reference, _rows(d), d.filed)
            name = f"attestation-depot-{d.reference}.pdf"
            self._send(pdf, ctype="application/pdf",
                       headers={"Content-Disposition": f'attachment; filename="{name}"'})
        else:
            self._send(pages.not_found(), HTTPStatus.NOT_FOUND)

    def do_POST(self) -> None:  # noqa: N802 - stdlib naming
        official = self._official_host()
        if official is not None:
            self._official(official, "POST")
            return
        path = urlsplit(self.path).path
        parsed = self._form()
        if parsed is None:
            return
        values, files = parsed
        if path == "/compte/creer":
            errors = check_account(values)
            if errors:
                self._send(pages.account(values, errors))
            else:
                kept = {k: v for k, v in values.items() if not k.startswith("mot_de_passe")}
                self._redirect("/espace", cookie=self.site.new_dossier(kept))
            return
        if path == "/connexion":
            self._send(pages.login(["Identifiant ou mot de passe incorrect."]))
            return
        dossier = self.site.dossier(self._token())
        if dossier is None:
            self._send(pages.expired())
            return
        self._post_private(path, dossier, values, files)

    def _post_private(self, path: str, d: Dossier, values: dict[str, str],
                      files: dict[str, tuple[str, bytes]]) -> None:
        steps: dict[str, tuple[Callable[[dict[str, str]], list[str]],
                               Callable[[dict[str, str], list[str]], bytes], str]] = {
            "/demarche/identite": (check_identity, pages.identity, "/demarche/adresse"),
            "/demarche/adresse": (check_address, pages.address, "/demarche/justificatifs"),
        }
        if path in steps:
            check, render, nxt = steps[path]
            errors = check(values)
            if errors:
                self._send(render(values, errors))
                return
            d.values.update(values)
            self._redirect(nxt)
        elif path == "/demarche/justificatifs":
            errors = self._check_files(d, values, files)
            if errors:
                self._send(pages.documents(values, errors))
                return
            d.values["code_ephoto"] = values["code_ephoto"]
            self._redirect("/demarche/recapitulatif")
        elif path == "/demarche/recapitulatif":
            if not values.get("certification"):
                self._send(pages.summary(_rows(d), ["Vous devez cocher la case de certification."]))
                return
            d.reference, d.filed = self.site.new_reference(), self.site.clock()
            self._redirect("/demarche/confirmation")
        else:
            self._send(pages.not_found(), HTTPStatus.NOT_FOUND)

    def _check_files(self, d: Dossier, values: dict[str, str],
                     files: dict[str, tuple[str, bytes]]) -> list[str]:
        errors = _required(pages.DOCUMENT_FIELDS, values)
        limit = self.site.max_upload_bytes
        for f in pages.DOCUMENT_FIELDS:
            if f.kind != "file":
                continue
            name, data = files.get(f.name, ("", b""))
            if not name or not data:
                errors.append(f"Ce document est obligatoire : {f.label}")
            elif PurePosixPath(name.lower()).suffix not in UPLOAD_EXTENSIONS:
                errors.append(f"Format de fichier non accepté (PDF, JPG ou PNG) : {f.label}")
            elif len(data) > limit:
                errors.append(f"Le fichier dépasse la taille maximale autorisée "
                              f"({limit // (1024 * 1024)} Mo) : {f.label}")
            else:
                d.files[f.name] = (PurePosixPath(name).name, len(data))
        return errors


_PRIVATE = {"/espace", "/demarche/identite", "/demarche/adresse", "/demarche/justificatifs",
            "/demarche/recapitulatif", "/demarche/confirmation", "/demarche/attestation.pdf"}


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


def _rows(d: Dossier) -> list[tuple[str, str]]:
    v = d.values
    rows = [("Nom", v.get("nom", "")), ("Prénom(s)", v.get("prenoms", "")),
            ("Date de naissance", v.get("date_naissance", "")), ("Nationalité", v.get("nationalite", "")),
            ("Adresse", " ".join(filter(None, (v.get("voie"), v.get("code_postal"), v.get("commune")))))]
    rows += [(label, f"{name} ({size // 1024} Ko)") for label, (name, size) in
             ((f.label, d.files[f.name]) for f in pages.DOCUMENT_FIELDS if f.name in d.files)]
    return rows
