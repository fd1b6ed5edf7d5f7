"""The replica's webmail, under Orange's real host names: sign-in on login.orange.fr, the mailbox on
rms.orange.fr (kiosk.browser.webmail, sources S-ORANGE and S-HEF: the sign-in's two steps, /front/login
then /front/password, and the mailbox's /mail/inbox). It shows what the loopback SMTP catcher (smtp.py)
caught for the address signed in: the portal's account-creation message, or photos a visitor sent
themselves, whose attachments download as files.

Practice: any address @orange.fr or @wanadoo.fr opens its box; the first password typed for an address
is its password until `forget()` (kept as a salted hash, in memory). The labels are the replica's own,
plain French [inferred]: Orange's real wording was not in the sources read. Every page carries the
banner "Entraînement — rien n'est envoyé". Message text reaches the page escaped; its links are made
clickable and open in a new window, as webmails do (the kiosk opens the official site's links on the
site, beside the mailbox).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from email.message import EmailMessage
from html import escape
from http import HTTPStatus
from urllib.parse import quote, urlsplit

from kiosk.browser.replica.official import OfficialReplica, Request, Response, Table
from kiosk.browser.replica.pages import BANNER
from kiosk.browser.replica.smtp import Caught, MailCatcher

LOGIN = "login.orange.fr"
MAILBOX = "rms.orange.fr"
WEBMAIL_HOSTS = (LOGIN, MAILBOX)
INBOX = f"https://{MAILBOX}/mail/inbox"
START = f"https://{LOGIN}/?return_url={INBOX}"
DOMAINS = ("orange.fr", "wanadoo.fr")
COOKIE = "rms_session"
LINK = re.compile(r"https://[^\s<>\"']+")

CSS = """
body{font-family:"Noto Sans","DejaVu Sans",sans-serif;margin:0;color:#000;background:#f4f4f4}
.practice{background:#b34000;color:#fff;font-weight:bold;text-align:center;padding:10px;font-size:20px}
header{background:#000;color:#fff;padding:14px 24px;font-size:22px;font-weight:bold}
header .logo{background:#ff7900;color:#000;padding:4px 8px;margin-right:12px}
main{background:#fff;max-width:900px;margin:20px auto;padding:20px 28px}
h1{font-size:26px}
label{display:block;font-weight:bold;margin-top:16px}
input{width:100%;box-sizing:border-box;padding:10px;font-size:18px;border:2px solid #666}
button,.button{background:#ff7900;color:#000;border:0;padding:12px 20px;font-size:18px;font-weight:bold;
 margin-top:20px;display:inline-block;text-decoration:none}
.error{border-left:4px solid #cd3c14;background:#fde;padding:8px 14px;color:#cd3c14}
table{border-collapse:collapse;width:100%}td{border-bottom:1px solid #ccc;padding:10px 6px}
.body{white-space:pre-wrap;font-size:18px;border-top:1px solid #ccc;padding-top:12px}
.attachments a{display:block;margin:8px 0;font-size:18px}
"""


def page(title: str, body: str) -> bytes:
    html = (f'<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>{escape(title)} — '
            f"{escape(BANNER)}</title><style>{CSS}</style></head><body>"
            f'<div class="practice" role="note" id="entrainement">{escape(BANNER)}</div>'
            f'<header><span class="logo">orange</span>Mail Orange</header><main>{body}</main></body></html>')
    return html.encode("utf-8")


def _hash(password: str, salt: bytes) -> bytes:
    return hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, 20_000)


def _safe_return(url: str) -> str:
    """Where the sign-in returns: the mailbox only (never an address a link chose)."""
    parts = urlsplit(url)
    return url if parts.scheme == "https" and parts.hostname == MAILBOX else INBOX


class Webmail:
    """Both hosts of the replica's webmail (requests dispatched by OfficialReplica)."""

    def __init__(self, replica: OfficialReplica, catcher: MailCatcher) -> None:
        self.replica, self.catcher = replica, catcher
        self.passwords: Table[tuple[bytes, bytes]] = Table()     # address -> (salt, hash)
        self.tickets: Table[str] = Table()                       # one-time ticket -> address
        self.sessions: Table[str] = Table()                      # mailbox cookie -> address

    def forget(self) -> None:
        for table in (self.passwords, self.tickets, self.sessions):
            table.clear()

    def handle(self, r: Request) -> Response:
        if r.host == LOGIN:
            return self._login(r)
        return self._mailbox(r)

    # --- login.orange.fr ----------------------------------------------------------------------------

    def _login(self, r: Request) -> Response:
        back = _safe_return(r.form.get("return_url") or r.query.get("return_url", ""))
        if r.method == "POST" and r.path == "/front/login":
            address = r.form.get("login", "").strip().lower()
            if not re.fullmatch(r"[^@\s]+@[^@\s]+", address) or address.rpartition("@")[2] not in DOMAINS:
                return Response(self._identify(back, address, "Saisissez une adresse e-mail Orange "
                                                             "(…@orange.fr ou …@wanadoo.fr)."))
            return Response(self._password_page(back, address, ""))
        if r.method == "POST" and r.path == "/front/password":
            address, password = r.form.get("login", "").strip().lower(), r.form.get("password", "")
            if address.rpartition("@")[2] not in DOMAINS:
                return Response(self._identify(back, "", ""))
            if not password:
                return Response(self._password_page(back, address, "Saisissez votre mot de passe."))
            known = self.passwords.get(address)
            if known is None:
                salt = secrets.token_bytes(16)
                self.passwords.put(address, (salt, _hash(password, salt)))
            elif not hmac.compare_digest(known[1], _hash(password, known[0])):
                return Response(self._password_page(back, address, "Mot de passe incorrect."))
            ticket = secrets.token_urlsafe(24)
            self.tickets.put(ticket, address)
            return Response.redirect(f"https://{MAILBOX}/mail/session?ticket={ticket}&return_url={quote(back)}")
        if r.method == "GET" and r.path in ("/", "/front/login"):
            return Response(self._identify(back, "", ""))
        return Response(page("Page introuvable", "<h1>Page introuvable</h1>"), HTTPStatus.NOT_FOUND)

    @staticmethod
    def _identify(back: str, address: str, error: str) -> bytes:
        alert = f'<p class="error" role="alert" id="erreur">{escape(error)}</p>' if error else ""
        return page("Identifiez-vous", (
            f"<h1>Identifiez-vous</h1>{alert}"
            f'<form method="post" action="/front/login"><input type="hidden" name="return_url" '
            f'value="{escape(back)}"><label for="login">Adresse e-mail</label>'
            f'<input type="email" id="login" name="login" value="{escape(address)}" autocomplete="username">'
            '<button type="submit" id="btnSubmit">Continuer</button></form>'))

    @staticmethod
    def _password_page(back: str, address: str, error: str) -> bytes:
        alert = f'<p class="error" role="alert" id="erreur">{escape(error)}</p>' if error else ""
        return page("Mot de passe", (
            f"<h1>Saisissez votre mot de passe</h1>{alert}<p>Compte : {escape(address)}</p>"
            f'<form method="post" action="/front/password"><input type="hidden" name="return_url" '
            f'value="{escape(back)}"><input type="hidden" name="login" value="{escape(address)}">'
            '<label for="password">Mot de passe</label>'
            '<input type="password" id="password" name="password" autocomplete="current-password">'
            '<button type="submit" id="btnSubmit">S\'identifier</button></form>'))

    # --- rms.orange.fr ------------------------------------------------------------------------------

    def _mailbox(self, r: Request) -> Response:
        if r.path == "/mail/session":
            address = self.tickets.pop(r.query.get("ticket", ""), None)
            if address is None:
                return Response.redirect(START)
            session = secrets.token_urlsafe(24)
            self.sessions.put(session, address)
            where = _safe_return(r.query.get("return_url", INBOX))
            return Response.redirect(urlsplit(where).path or "/mail/inbox").cookie(COOKIE, session, r)
        address = self.sessions.get(r.cookies.get(COOKIE, ""))
        if address is None:
            return Response.redirect(START)
        if r.path in ("/", "/mail", "/mail/inbox"):
            return Response(self._inbox(address))
        if r.path == "/mail/deconnexion":
            self.sessions.pop(r.cookies.get(COOKIE, ""), None)
            return Response.redirect(START).cookie(COOKIE, "", r, max_age=0)
        match = re.fullmatch(r"/mail/message/(\d+)", r.path)
        caught = self._caught(address, int(match[1])) if match else None
        if caught is not None:
            return Response(self._message(caught))
        match = re.fullmatch(r"/mail/piece/(\d+)/(\d+)", r.path)
        caught = self._caught(address, int(match[1])) if match else None
        if match and caught is not None:
            parts = list(caught.message.iter_attachments())
            index = int(match[2])
            if index < len(parts):
                part = parts[index]
                data = part.get_payload(decode=True)
                name = _file_name(part, index)
                return Response(data if isinstance(data, bytes) else b"", ctype="application/octet-stream",
                                headers=[("Content-Disposition", f"attachment; filename=\"{name}\"")])
        return Response(page("Message introuvable", "<h1>Message introuvable</h1>"), HTTPStatus.NOT_FOUND)

    def _caught(self, address: str, number: int) -> Caught | None:
        caught = self.catcher.message(number)
        return caught if caught is not None and address in caught.recipients else None

    def _inbox(self, address: str) -> bytes:
        rows = []
        for caught in reversed(self.catcher.messages(address)):
            m = caught.message
            clip = " 📎" if any(True for _ in m.iter_attachments()) else ""
            sender, subject, date = (escape(str(m.get(h, ""))) for h in ("From", "Subject", "Date"))
            rows.append(f'<tr><td>{sender}</td><td><a id="message-{caught.number}" '
                        f'href="/mail/message/{caught.number}">{subject}</a>{clip}</td><td>{date}</td></tr>')
        listing = f'<table id="messages">{"".join(rows)}</table>' if rows else \
            '<p id="vide">Aucun message.</p>'
        # The mailbox remembers the last address signed in, as webmails do ("se souvenir de moi"): what the
        # kiosk's wipe must leave no trace of.
        remember = f"<script>localStorage.setItem('rms:identifiant', {_js(address)});</script>"
        return page("Boîte de réception", (
            f'<h1>Boîte de réception</h1><p id="compte">{escape(address)} — '
            f'<a href="/mail/deconnexion" id="deconnexion">Se déconnecter</a></p>{listing}{remember}'))

    @staticmethod
    def _message(caught: Caught) -> bytes:
        m = caught.message
        body = m.get_body(preferencelist=("plain",))
        text = body.get_content() if body is not None else ""
        shown = LINK.sub(lambda found: f'<a href="{found[0]}" target="_blank" rel="noopener" class="lien">'
                                       f"{found[0]}</a>", escape(str(text), quote=False))
        n = caught.number
        pieces = [f'<a class="piece-jointe" id="piece-{n}-{i}" href="/mail/piece/{n}/{i}">'
                  f"{escape(_file_name(part, i))}</a>" for i, part in enumerate(m.iter_attachments())]
        attachments = (f'<div class="attachments"><h2>Pièces jointes</h2>{"".join(pieces)}</div>'
                       if pieces else "")
        return page(str(m.get("Subject", "")), (
            f'<p><a href="/mail/inbox" id="retour">← Boîte de réception</a></p>'
            f'<h1>{escape(str(m.get("Subject", "")))}</h1>'
            f'<p>De : {escape(str(m.get("From", "")))}<br>À : {escape(str(m.get("To", "")))}<br>'
            f'Date : {escape(str(m.get("Date", "")))}</p>'
            f'<div class="body" id="corps">{shown}</div>{attachments}'))


def _file_name(part: EmailMessage, index: int) -> str:
    name = part.get_filename() or f"piece-jointe-{index + 1}"
    return re.sub(r"[\x00-\x1f\"\\/]", "_", name)[:120]


def _js(text: str) -> str:
    import json

    return json.dumps(text).replace("</", "<\\/")


__all__ = ["DOMAINS", "INBOX", "LOGIN", "MAILBOX", "START", "WEBMAIL_HOSTS", "Webmail"]
