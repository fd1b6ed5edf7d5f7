"""The visitor's mailbox beside the official site: the common webmails a visitor in France uses, with
no Qt.

The site sends codes and links by e-mail (account creation, forgotten password, the stamp's receipt),
and visitors often bring their documents as photos they sent themselves. The site step's "My e-mails"
button opens one of these webmails in the visitor's private profile, beside the portal (kiosk.browser
.ui.mailbox). Their hosts are a list apart from the site map's (`NavigationPolicy(webmail_hosts=…)`):
on by default, off with `[browser] webmail = false`, replaced per terminal by `[browser] webmail_hosts`.

Each provider names the page hosts it needs (sign-in, mailbox, attachment downloads: the visitor's
navigations) and the hosts its pages load sub-resources from. Sources, read 2026-12-08 (S-keys below):

- S-GMAIL   "Gmail firewall settings", Google Workspace Admin Help,
            https://support.google.com/a/answer/9497877 — the hosts Gmail needs: accounts.google.com,
            mail.google.com, mail-attachment.google.com, *.googleusercontent.com, ssl.gstatic.com,
            www.gstatic.com, apis.google.com, ogs.google.com, clients*.google.com, www.google.com …
- S-HEF     Heficience/Heficience-menu, src/mainwindow.cpp (a French accessibility launcher, public code,
            https://github.com/Heficience/Heficience-menu) — the webmail addresses it opens:
            outlook.live.com/mail/0/inbox; login.yahoo.com/?…&done=https://fr.mail.yahoo.com;
            login.orange.fr/?return_url=https://rms.orange.fr/mail/inbox;
            www.sfr.fr/cas/login?service=https://webmail.sfr.fr/…; zimbra.free.fr;
            www.laposte.net/accueil; mail.google.com.
- S-ORANGE  laurentb/weboob, modules/orange/bill/pages/login.py (https://github.com/laurentb/weboob): the
            Orange sign-in is two steps on login.orange.fr (/front/login, then /front/password).
- S-HOTMAIL "Hotmail Login" guide, https://theuiaa.org/support/hotmail-login/ (2026): the inbox on
            outlook.live.com, password reset and recovery on account.live.com.
- S-LIVE    login.live.com/login.srf?…&wreply=https://outlook.live.com/owa/ (public pastes of the
            Outlook.com sign-in address, e.g. https://pastebin.com/RNi3vKqv): the Microsoft account sign-in.
- S-LAPOSTE "Pourquoi mon adresse a-t-elle été gelée…", aide.laposte.net, https://aide.laposte.net/contents/
            pourquoi-mon-adresse-a-t-elle-ete-gelee-et-que-dois-je-faire-pour-la-reactiver — sign in
            "depuis la page d'accueil du site www.laposte.net".
- S-GMX     "Inaktives Postfach", https://hilfe.gmx.net/account/inaktiv.html (login on www.gmx.net) and
            https://support.gmx.com/info/login-failed.html (www.gmx.com): the French site's www.gmx.fr is
            [inferred] from them.
- S-PROTON  public notes in the code index: "pasting https://mail.proton.me … redirects to
            https://account.proton.me/switch" (repository not named by the index) [secondary].
- S-CODE    many public "open your inbox" buttons map the same domains to these addresses
            (messagerie.orange.fr, webmail.sfr.fr, webmail.free.fr, mail.proton.me) [secondary].

What no source read confirms is marked [unverified] or [inferred]; a page that needs a host missing here
is refused and its host logged (kiosk.browser.ui.interceptor), so the list can be completed per terminal
with `[browser] resource_hosts` (sub-resources) or `[browser] webmail_hosts`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True)
class Webmail:
    """One webmail: its name (a brand, never translated), where the kiosk opens it, the address domains
    it serves (to tell a visitor which one is theirs), its page hosts and its sub-resource hosts."""

    id: str
    name: str
    start: str                          # the sign-in page (or the mailbox, which sends to it)
    domains: tuple[str, ...]
    hosts: tuple[str, ...]              # pages: sign-in, mailbox, attachment downloads
    resources: tuple[str, ...] = ()     # sub-requests only (scripts, styles, images, API calls)
    sources: tuple[str, ...] = ()


DEFAULT_WEBMAILS: tuple[Webmail, ...] = (
    Webmail("gmail", "Gmail", "https://mail.google.com/mail/", ("gmail.com",),
            ("accounts.google.com",                 # sign-in (S-GMAIL)
             "mail.google.com",                     # the mailbox (S-GMAIL, S-HEF)
             "mail-attachment.google.com",          # attachments (S-GMAIL)
             "mail-attachment.googleusercontent.com"),   # downloads [inferred: *.googleusercontent.com]
            ("ssl.gstatic.com", "www.gstatic.com", "apis.google.com", "ogs.google.com",   # S-GMAIL
             "clients6.google.com",                 # S-GMAIL "clients*.google.com" [inferred: which one]
             "lh3.googleusercontent.com"),          # profile pictures (S-GMAIL *.googleusercontent.com)
            ("S-GMAIL", "S-HEF")),
    Webmail("outlook", "Outlook / Hotmail", "https://outlook.live.com/mail/0/",
            ("outlook.com", "outlook.fr", "hotmail.com", "hotmail.fr", "live.com", "live.fr", "msn.com"),
            ("outlook.live.com",                    # the mailbox (S-HOTMAIL, S-HEF)
             "login.live.com",                      # Microsoft account sign-in (S-LIVE)
             "account.live.com"),                   # forgotten password, recovery (S-HOTMAIL)
            ("res.cdn.office.net",                  # the mailbox's scripts and styles [unverified]
             "logincdn.msauth.net", "acctcdn.msauth.net"),   # the sign-in pages' files [unverified]
            ("S-HOTMAIL", "S-LIVE", "S-HEF")),
    Webmail("yahoo", "Yahoo Mail", "https://login.yahoo.com/?.src=ym&lang=fr-FR&done=https%3A%2F%2Ffr.mail.yahoo.com",
            ("yahoo.fr", "yahoo.com", "ymail.com"),
            ("login.yahoo.com",                     # sign-in (S-HEF)
             "fr.mail.yahoo.com", "mail.yahoo.com"),     # the mailbox (S-HEF; S-CODE)
            ("s.yimg.com",),                        # Yahoo's static files [unverified]
            ("S-HEF", "S-CODE")),
    Webmail("orange", "Orange", "https://login.orange.fr/?return_url=https://rms.orange.fr/mail/inbox",
            ("orange.fr", "wanadoo.fr"),
            ("login.orange.fr",                     # sign-in in two steps (S-ORANGE, S-HEF)
             "rms.orange.fr",                       # the mailbox (S-HEF)
             "messagerie.orange.fr", "mail.orange.fr"),  # the mailbox's other addresses (S-CODE)
            (), ("S-ORANGE", "S-HEF", "S-CODE")),
    Webmail("sfr", "SFR", "https://webmail.sfr.fr/", ("sfr.fr", "neuf.fr"),
            ("webmail.sfr.fr",                      # the mailbox (S-HEF, S-CODE)
             "www.sfr.fr"),                         # its sign-in, /cas/login (S-HEF)
            (), ("S-HEF", "S-CODE")),
    Webmail("free", "Free", "https://zimbra.free.fr/", ("free.fr",),
            ("zimbra.free.fr",                      # the mailbox and its sign-in (S-HEF)
             "webmail.free.fr"),                    # its other address (S-CODE)
            (), ("S-HEF", "S-CODE")),
    Webmail("laposte", "La Poste (laposte.net)", "https://www.laposte.net/accueil", ("laposte.net",),
            ("www.laposte.net",),                   # sign-in and mailbox (S-LAPOSTE, S-HEF)
            (), ("S-LAPOSTE", "S-HEF")),
    Webmail("gmx", "GMX", "https://www.gmx.fr/", ("gmx.fr", "gmx.com", "gmx.net"),
            ("www.gmx.fr",                          # sign-in [inferred from S-GMX]
             "*.gmx.fr"),                           # the mailbox's own hosts [unverified]
            (), ("S-GMX",)),
    Webmail("proton", "Proton Mail", "https://mail.proton.me/", ("proton.me", "protonmail.com", "pm.me"),
            ("mail.proton.me",                      # the mailbox (S-PROTON, S-CODE)
             "account.proton.me"),                  # sign-in (S-PROTON)
            (), ("S-PROTON", "S-CODE")),
)


def page_hosts(webmails: Iterable[Webmail] = DEFAULT_WEBMAILS) -> tuple[str, ...]:
    """The allow-list entries of the webmails' pages, each once, in order."""
    return tuple(dict.fromkeys(host for w in webmails for host in w.hosts))


def resource_hosts(webmails: Iterable[Webmail] = DEFAULT_WEBMAILS) -> tuple[str, ...]:
    return tuple(dict.fromkeys(host for w in webmails for host in w.resources))


DEFAULT_WEBMAIL_HOSTS: tuple[str, ...] = page_hosts()
DEFAULT_WEBMAIL_RESOURCE_HOSTS: tuple[str, ...] = resource_hosts()


def for_address(address: str, webmails: Sequence[Webmail] = DEFAULT_WEBMAILS) -> Webmail | None:
    """The webmail that serves an e-mail address (by its domain), if the list has it."""
    domain = address.strip().rpartition("@")[2].lower()
    return next((w for w in webmails if domain and domain in w.domains), None)


# Webmails send a message's links through their own redirector: Gmail through www.google.com/url?q=
# ([inferred]: seen in messages read on the web, not in a source read today), Microsoft 365 "Safe Links"
# through *.safelinks.protection.outlook.com/?url= (business accounts). The kiosk opens the target
# itself, never the redirector (which is not allowed): a link of the official site goes to the site.
REDIRECTORS: tuple[tuple[str, str, str], ...] = (
    ("www.google.com", "/url", "q"),
    (".safelinks.protection.outlook.com", "/", "url"),
)


def link_target(url: str) -> str:
    """The address a webmail's redirector link leads to, or `url` itself."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    host = (parts.hostname or "").lower()
    if parts.scheme != "https":
        return url
    for name, path, key in REDIRECTORS:
        if (host == name or (name.startswith(".") and host.endswith(name))) and parts.path == path:
            target = parse_qs(parts.query).get(key, [""])[0]
            if target.startswith("https://"):
                return target
    return url


__all__ = ["DEFAULT_WEBMAILS", "DEFAULT_WEBMAIL_HOSTS", "DEFAULT_WEBMAIL_RESOURCE_HOSTS", "REDIRECTORS",
           "Webmail", "for_address", "link_target", "page_hosts", "resource_hosts"]
