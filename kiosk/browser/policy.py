"""Rules of the locked browser, with no Qt: which addresses may load, which guide step a page is.

- `NavigationPolicy.check(url)` returns None when the address may load, or a `Refusal` whose reason
  has a translatable explanation for the visitor (`REFUSAL_MESSAGES`). The site's hosts (the allow-list)
  and the visitor's webmail hosts (`webmail_hosts`, kiosk.browser.webmail: a list apart, off per terminal)
  may load; `area(url)` tells which of the two an address belongs to.
- Only https is allowed, plus http to loopback hosts (the practice site); `about:blank` and `blob:`
  addresses of an allowed origin pass too. file:, data:, javascript:, chrome:, devtools:,
  view-source: and every other scheme are refused.
- Allow-list entries are host names, optionally with a port (``127.0.0.1:8123``). ``*.example.fr``
  matches the sub-domains of example.fr (not example.fr itself). An entry without a port matches the
  scheme's default port only.
- `NavigationPolicy.check_resource(url)` decides the sub-requests of an allowed page (images,
  scripts, styles, fonts, fetch/XHR, beacons, WebSockets, media…): the allow-list plus the
  content-delivery hosts of `DEFAULT_RESOURCE_HOSTS` (and the terminal's own), https or wss (http or
  ws to loopback only), data: and blob: of such an origin; every other scheme is refused.
  `BlockedRequests` counts what was refused per host (never a path or query) and paces the log lines.
- `StepMatcher` maps the current address (and the page heading when a rule needs it) to a guide step.
- `SiteGuide` says, for the page shown, which guide page to show (title, text, glossary of French
  labels) and whether the visitor is still on the procedure's path; `GuideFollower` remembers the
  last page on that path so the visitor can be taken back to it.
- `accepts(path, accept)` tells whether a file suits an `<input type=file accept=…>` list.
- `address_for_report(url)` drops the query, fragment and user info: what an incident report keeps.
"""

from __future__ import annotations

import ipaddress
import os
import re
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import PurePath
from urllib.parse import SplitResult, urlsplit, urlunsplit

from kiosk.content.model import Procedure, SiteMap, SitePage
from kiosk.content.patterns import compile_pattern
from kiosk.i18n import N_

# The hosts of the real journey (the content pack's site.toml names each with its source; a test fails
# when the site map names a host this list refuses). Sub-resources of other hosts: DEFAULT_RESOURCE_HOSTS.
DEFAULT_ALLOWED_HOSTS: tuple[str, ...] = (
    "administration-etrangers-en-france.interieur.gouv.fr",   # the ANEF portal (/usagers/#/, its /api/)
    "sso.anef.dgef.interieur.gouv.fr",        # the portal's sign-on (Keycloak): login, password, FC
    "oidc.franceconnect.gouv.fr",             # FranceConnect v2: identity-provider choice, consent
    "app.franceconnect.gouv.fr",              # FranceConnect v1 addresses still linked [unverified]
    "cfspart-idp.impots.gouv.fr",             # FranceConnect identity providers the visitor may pick:
    "fc.assure.ameli.fr",                     #   impots.gouv.fr, ameli.fr,
    "authent.lidentitenumerique.laposte.fr",  #   L'Identité Numérique La Poste,
    "idp.msa.fr",                             #   MSA,
    "idp.france-identite.gouv.fr",            #   France Identité,
    "oidc.a3bc.io",                           #   TrustMe
    "timbres.impots.gouv.fr",                 # buying the electronic tax stamp
    "www.service-public.gouv.fr",             # official information (service-public.gouv.fr since 10/2025)
    "www.service-public.fr",                  # its former address, still in links
    "ants.gouv.fr",                           # ANTS: the contact centre's pages (CCC, 0 806 001 620)
    "*.ants.gouv.fr",
)

# Hosts the official pages load sub-resources from (fonts, styles, scripts, API calls) that are never
# opened as pages: added to the allow-list for sub-requests only. Keep it minimal: each entry is a host
# the visitor's page talks to. Source keys are those of docs/research/site-journey.md (§1, §20).
# Analytics and A/B testing (Service-Public's try.abtasty.com after consent, §20) are left out on
# purpose: nothing of the visit needs them. Blocked hosts are logged (kiosk.browser.ui.interceptor):
# a host a real page needs shows up there, and `[browser] resource_hosts` adds it per terminal.
DEFAULT_RESOURCE_HOSTS: tuple[str, ...] = (
    # Google Fonts CSS ("Lato") of the ANEF SSO page's Keycloak theme: S1 (qualif SSO page, 2023-12),
    # confirmed (qualif); whether the 2026 DSFR theme still loads it is [unverified].
    "fonts.googleapis.com",
    # The font files that CSS points to: [inferred] (Google Fonts serves them from gstatic).
    "fonts.gstatic.com",
    # National address base (BAN) of the ANEF address field (`app-adresse-etalab`, C1; W12): the
    # component is confirmed (qualif); whether the browser calls the API itself is [unverified].
    "data.geopf.fr",
    "api-adresse.data.gouv.fr",       # the same API's former host (W12): [unverified]
)

DEFAULT_PORTS = {"https": 443, "http": 80}
WEB_SOCKET_SCHEMES = {"wss": "https", "ws": "http"}     # a WebSocket follows the rules of its web twin
LOOPBACK_NAMES = {"localhost"}


class RefusalReason(StrEnum):
    SCHEME = "scheme"          # file:, data:, javascript:, chrome:, view-source:, unknown schemes
    HOST = "host"              # a host not on the terminal's allow-list
    INSECURE = "insecure"      # http:// to a host that is not the local practice site
    POPUP = "popup"            # a new window was asked for (refused, or opened in the same view)
    MALFORMED = "malformed"    # not a usable address


REFUSAL_MESSAGES: Mapping[RefusalReason, str] = {
    RefusalReason.SCHEME: N_("This kiosk only opens web pages of the official sites. "
                             "Files on the computer and special pages cannot be opened here."),
    RefusalReason.HOST: N_("This site is not part of the procedure, so the kiosk does not open it. "
                           "Go back to the official site to continue."),
    RefusalReason.INSECURE: N_("This page is not secure, so the kiosk does not open it."),
    RefusalReason.POPUP: N_("The site tried to open another window. The kiosk keeps everything in "
                            "this view."),
    RefusalReason.MALFORMED: N_("This address cannot be opened."),
}


@dataclass(frozen=True)
class Refusal:
    url: str
    reason: RefusalReason

    @property
    def message(self) -> str:
        """The untranslated explanation (translate it with Translator.tr where it is shown)."""
        return REFUSAL_MESSAGES[self.reason]


@dataclass(frozen=True)
class HostRule:
    host: str               # lower-case host, without a leading "*."
    port: int | None        # None: the scheme's default port
    subdomains: bool        # "*.host": sub-domains only

    @classmethod
    def parse(cls, entry: str) -> HostRule:
        text = entry.strip().lower().rstrip(".")
        subdomains = text.startswith("*.")
        text = text.removeprefix("*.")
        port: int | None = None
        if text.startswith("["):                    # [::1]:8080
            host, _, rest = text[1:].partition("]")
            if rest.startswith(":"):
                port = int(rest[1:])
        elif text.count(":") == 1:
            host, _, port_text = text.partition(":")
            port = int(port_text)
        else:
            host = text
        if not host or any(c.isspace() or c in "/@?#" for c in host):
            raise ValueError(f"not a host name: {entry!r}")
        return cls(host=host, port=port, subdomains=subdomains)

    def matches(self, host: str, port: int, default_port: int) -> bool:
        if port != (default_port if self.port is None else self.port):
            return False
        if self.subdomains:
            return host.endswith("." + self.host)
        return host == self.host


def _is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES or host.endswith(".localhost"):   # Chromium resolves *.localhost to loopback
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _parts(url: str) -> SplitResult | None:
    try:
        parts = urlsplit(url.strip())
        _ = parts.port   # raises ValueError for a bad port
    except ValueError:
        return None
    return parts


class NavigationPolicy:
    """Which addresses the locked browser may load. Immutable; `with_hosts` returns a new policy."""

    def __init__(self, allowed_hosts: Iterable[str] = DEFAULT_ALLOWED_HOSTS,
                 resource_hosts: Iterable[str] = DEFAULT_RESOURCE_HOSTS,
                 webmail_hosts: Iterable[str] = ()) -> None:
        self.entries = tuple(allowed_hosts)
        self._rules = tuple(HostRule.parse(e) for e in self.entries)
        self.resource_entries = tuple(resource_hosts)      # sub-requests only, never pages
        self._resource_rules = tuple(HostRule.parse(e) for e in self.resource_entries)
        # The visitor's mailbox (kiosk.browser.webmail): a list apart; the site's stays the site map's.
        self.webmail_entries = tuple(webmail_hosts)
        self._webmail_rules = tuple(HostRule.parse(e) for e in self.webmail_entries)

    def with_hosts(self, *entries: str) -> NavigationPolicy:
        return NavigationPolicy((*self.entries, *entries), self.resource_entries, self.webmail_entries)

    def with_resource_hosts(self, *entries: str) -> NavigationPolicy:
        return NavigationPolicy(self.entries, (*self.resource_entries, *entries), self.webmail_entries)

    def with_webmail_hosts(self, *entries: str) -> NavigationPolicy:
        return NavigationPolicy(self.entries, self.resource_entries, (*self.webmail_entries, *entries))

    def host_allowed(self, host: str, port: int, default_port: int = 443) -> bool:
        """Whether the host is one of the site's (the allow-list; webmail hosts are not)."""
        host = host.lower().rstrip(".")
        return any(rule.matches(host, port, default_port) for rule in self._rules)

    def webmail_host(self, host: str, port: int, default_port: int = 443) -> bool:
        host = host.lower().rstrip(".")
        return any(rule.matches(host, port, default_port) for rule in self._webmail_rules)

    def area(self, url: str) -> str | None:
        """Where an address the policy allows belongs: "site" (the allow-list), "webmail" (only the webmail
        list), or None (refused, or not a web page of a host: about:blank, blob:)."""
        parts = _parts(url)
        if parts is None or self.check(url) is not None or parts.scheme.lower() not in DEFAULT_PORTS:
            return None
        scheme = parts.scheme.lower()
        host, port = (parts.hostname or "").rstrip("."), parts.port or DEFAULT_PORTS[scheme]
        return "site" if self.host_allowed(host, port, DEFAULT_PORTS[scheme]) else "webmail"

    def check(self, url: str) -> Refusal | None:
        """None if `url` may load; otherwise why not."""
        parts = _parts(url)
        if parts is None or not parts.scheme:
            return Refusal(url, RefusalReason.MALFORMED)
        scheme = parts.scheme.lower()
        if scheme == "about":
            return None if parts.path in ("blank", "srcdoc") else Refusal(url, RefusalReason.SCHEME)
        if scheme == "blob":
            inner = parts.path
            return self.check(inner) if inner.startswith(("https:", "http:")) else Refusal(
                url, RefusalReason.SCHEME)
        if scheme not in DEFAULT_PORTS:
            return Refusal(url, RefusalReason.SCHEME)
        host = (parts.hostname or "").rstrip(".")
        if not host:
            return Refusal(url, RefusalReason.MALFORMED)
        if scheme == "http" and not _is_loopback(host):
            return Refusal(url, RefusalReason.INSECURE)
        port = parts.port or DEFAULT_PORTS[scheme]
        if not self.host_allowed(host, port, DEFAULT_PORTS[scheme]) and \
                not self.webmail_host(host, port, DEFAULT_PORTS[scheme]):
            return Refusal(url, RefusalReason.HOST)
        return None

    def check_resource(self, url: str) -> Refusal | None:
        """None if an allowed page may fetch `url` as a sub-resource (image, script, style sheet, font,
        fetch/XHR, beacon, media, WebSocket, worker…); otherwise why not. The hosts are the allow-list
        plus the resource hosts; the schemes those of `check`, plus data: (inline content), and ws/wss
        under the rules of http/https. Frames are pages: decide them with `check`."""
        parts = _parts(url)
        if parts is None or not parts.scheme:
            return Refusal(url, RefusalReason.MALFORMED)
        scheme = parts.scheme.lower()
        if scheme == "data":
            return None
        if scheme == "blob":
            inner = parts.path
            return self.check_resource(inner) if inner.startswith(("https:", "http:")) else Refusal(
                url, RefusalReason.SCHEME)
        if scheme in WEB_SOCKET_SCHEMES:
            twin = self.check_resource(WEB_SOCKET_SCHEMES[scheme] + url.strip()[len(scheme):])
            return None if twin is None else Refusal(url, twin.reason)
        refusal = self.check(url)
        if refusal is None or refusal.reason is not RefusalReason.HOST:
            return refusal
        host = (parts.hostname or "").rstrip(".")
        default_port = DEFAULT_PORTS[scheme]
        if any(rule.matches(host, parts.port or default_port, default_port) for rule in self._resource_rules):
            return None
        return refusal


def request_host(url: str) -> str:
    """What a log line may say about a refused request: its host, with the port when it is not the
    scheme's default, or only the scheme ("file:") when there is no host. Never a path or query."""
    parts = _parts(url)
    if parts is None or not parts.scheme:
        return "(malformed)"
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    if not host or not re.fullmatch(r"[a-z0-9.:_-]{1,253}", host):
        return scheme + ":"
    if ":" in host:
        host = f"[{host}]"
    default = DEFAULT_PORTS.get(WEB_SOCKET_SCHEMES.get(scheme, scheme))
    return host if parts.port in (None, default) else f"{host}:{parts.port}"


class BlockedRequests:
    """Refused sub-requests counted per host (see `request_host`), and when to log them.

    `record(host)` returns the count to log now, or None: the first refusal of a host is logged at
    once, later ones at most once every `interval` seconds per host with the running count. After
    `max_hosts` distinct hosts, further ones are counted together as OTHER_HOSTS (a page inventing
    hosts cannot grow the table or flood the log). Pure Python; the clock is injectable.
    """

    OTHER_HOSTS = "(other hosts)"

    def __init__(self, clock: Callable[[], float] = time.monotonic, interval: float = 60.0,
                 max_hosts: int = 100) -> None:
        self._clock = clock
        self._interval = interval
        self._max_hosts = max_hosts
        self._counts: dict[str, int] = {}
        self._logged: dict[str, float] = {}      # host -> when it was last logged

    def record(self, host: str) -> int | None:
        if host not in self._counts and len(self._counts) >= self._max_hosts:
            host = self.OTHER_HOSTS
        self._counts[host] = self._counts.get(host, 0) + 1
        now = self._clock()
        last = self._logged.get(host)
        if last is not None and now - last < self._interval:
            return None
        self._logged[host] = now
        return self._counts[host]

    def counts(self) -> dict[str, int]:
        """Refused requests per host, most refused first (what the mediator or doctor may show)."""
        return dict(sorted(self._counts.items(), key=lambda item: (-item[1], item[0])))

    @property
    def total(self) -> int:
        return sum(self._counts.values())


def address_for_report(url: str) -> str:
    """The address without user info, query string or fragment (what an incident report may keep)."""
    parts = _parts(url)
    if parts is None:
        return ""
    netloc = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


@dataclass(frozen=True)
class StepRule:
    """A guide step and the official pages it corresponds to (regexes, searched with RE2)."""

    step_id: str
    url_patterns: tuple[str, ...]
    heading_patterns: tuple[str, ...] = ()    # when several steps share an address


class StepMatcher:
    """Finds the guide step of the page the visitor is on; first matching rule wins.

    URL patterns are searched in the address without query string or fragment; heading patterns
    (case-insensitive) in the page's main heading. Both run on RE2 (`compile_pattern`): linear time
    whatever the pattern, since a page's address and heading come from the site.
    """

    def __init__(self, rules: Sequence[StepRule]) -> None:
        self.rules = tuple(rules)
        self._compiled = [
            (r.step_id, [compile_pattern(p) for p in r.url_patterns],
             [compile_pattern(p, ignore_case=True) for p in r.heading_patterns])
            for r in self.rules]

    def match(self, url: str, heading: str = "") -> str | None:
        address = address_for_report(url)
        for step_id, url_res, heading_res in self._compiled:
            if not any(r.search(address) for r in url_res):
                continue
            if heading_res and not any(r.search(heading) for r in heading_res):
                continue
            return step_id
        return None


def site_route(url: str) -> str:
    """What a site map's route pattern is searched in: the path, then "#" and the single-page app's hash
    route up to its own "?" ("/usagers/#/espace-personnel/mon-compte"); no query, no host."""
    parts = _parts(url)
    if parts is None:
        return ""
    route = parts.fragment.split("?", 1)[0]
    return parts.path + (f"#{route}" if route or url.endswith("#") else "")


def route_address(url: str) -> str:
    """The address without user info or query string; the fragment is kept up to its own "?" because
    single-page sites such as the ANEF route with it (#/espace-personnel/...)."""
    parts = _parts(url)
    if parts is None:
        return ""
    netloc = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, netloc, parts.path, "", parts.fragment.split("?", 1)[0]))


@dataclass(frozen=True)
class GuidePage:
    """What the guide shows beside one page of the site.

    `title`, `text` and the glossary explanations are msgids: French texts of the content pack
    (translated with `Translator.content`; practice mode's guide is the same site map's). Glossary labels
    are the site's French labels, shown as they are.
    """

    step_id: str
    title: str
    text: str = ""
    glossary: tuple[tuple[str, str], ...] = ()
    confirms_filing: bool = False       # the site's page that says the request is filed (outcome FILED)


@dataclass(frozen=True)
class Position:
    """Where the visitor is: the guide page to show (None off the path), and the site's host."""

    url: str
    page: GuidePage | None
    on_path: bool
    host: str


class SiteGuide:
    """The guide pages of one procedure on the site.

    `pages` pair a `StepRule` with its guide page (first match wins, as in `StepMatcher`).
    `path_patterns` (regexes, searched in `route_address(url)`) are the pages that belong to the
    procedure; a page matched by a rule belongs to it too. On the path without a more precise rule,
    `fallback` is shown. `practice` marks the local practice site.
    """

    def __init__(self, pages: Sequence[tuple[StepRule, GuidePage]] = (), path_patterns: Sequence[str] = (),
                 fallback: GuidePage | None = None, practice: bool = False,
                 site_pages: Sequence[tuple[SitePage, GuidePage]] = (),
                 path_hosts: Sequence[str] = ()) -> None:
        self.pages = {rule.step_id: page for rule, page in pages}
        self.matcher = StepMatcher([rule for rule, _ in pages])
        self._path = [compile_pattern(p) for p in path_patterns]     # content's patterns: linear time
        self._site = [(page.host, compile_pattern(page.route), page.headings, guide)
                      for page, guide in site_pages]
        self._path_hosts = frozenset(path_hosts)
        self.fallback = fallback
        self.practice = practice

    @classmethod
    def for_procedure(cls, procedure: Procedure, site: SiteMap | None = None) -> SiteGuide:
        """A guide from a content-pack procedure: the pages of the site map that belong to it (page by
        page), its own pages (`site_url_patterns`) and every page of the journey's hosts (portal, sign-on,
        stamp shop) on its path; elsewhere on the path, its title and the glossary of all its steps and
        of its site pages (each French label once, steps first)."""
        pages = site.pages_for(procedure.id) if site is not None else ()
        seen: dict[str, str] = {}
        for label, explanation in [*(g for step in procedure.steps.values() for g in step.glossary),
                                   *(g for page in pages for g in page.glossary)]:
            seen.setdefault(label, explanation)
        return cls(path_patterns=procedure.site_url_patterns,
                   fallback=GuidePage("", procedure.title, glossary=tuple(seen.items())),
                   site_pages=[(p, GuidePage(p.id, p.title, p.text, p.glossary,
                                             confirms_filing=p.confirms_filing)) for p in pages],
                   path_hosts=site.journey_hosts() if site is not None else ())

    def locate(self, url: str, heading: str = "") -> Position:
        parts = _parts(url)
        host = (parts.hostname or "") if parts is not None else ""
        page = self._site_page(host, url, heading)
        if page is not None:
            return Position(url, page, True, host)
        step = self.matcher.match(url, heading)
        if step is not None:
            return Position(url, self.pages[step], True, host)
        route = route_address(url)
        on_path = bool(route) and (host in self._path_hosts or any(p.search(route) for p in self._path))
        return Position(url, self.fallback if on_path else None, on_path, host)

    def _site_page(self, host: str, url: str, heading: str) -> GuidePage | None:
        """The site map's page for this address and heading: the host, the route (path, then "#" and
        the hash route) and, when the page names headings, one of them in the page's heading."""
        route = site_route(url)
        folded = heading.casefold()
        for page_host, pattern, headings, guide in self._site:
            named = not headings or any(h in folded for h in headings)
            if page_host == host and named and pattern.search(route):
                return guide
        return None


class GuideFollower:
    """Follows the visitor's pages through a `SiteGuide` and remembers the last one on the path
    (kept in memory only: it can hold a query string)."""

    def __init__(self, guide: SiteGuide, start_url: str) -> None:
        self.guide = guide
        self.start_url = start_url
        self.return_url = start_url
        self.position: Position | None = None

    def page_loaded(self, url: str, heading: str = "") -> Position:
        position = self.guide.locate(url, heading)
        if position.on_path:
            self.return_url = url
        self.position = position
        return position

    @property
    def off_path(self) -> bool:
        return self.position is not None and not self.position.on_path


MIME_EXTENSIONS = {"application/pdf": (".pdf",), "image/jpeg": (".jpg", ".jpeg"), "image/png": (".png",),
                   "image/*": (".jpg", ".jpeg", ".png", ".gif", ".webp", ".tif", ".tiff")}


def accepts(path: str | PurePath, accept: Sequence[str]) -> bool:
    """Whether a file fits an `accept` list (".pdf", "application/pdf", "image/*"…); an empty list or
    an entry the kiosk does not know accepts everything, the site checks again."""
    suffix = PurePath(path).suffix.lower()
    wanted: set[str] = set()
    for entry in (a.strip().lower() for a in accept if a.strip()):
        if entry.startswith("."):
            wanted.add(entry)
        elif entry in MIME_EXTENSIONS:
            wanted.update(MIME_EXTENSIONS[entry])
        else:
            return True
    return not wanted or suffix in wanted


def devtools_exposed(environ: Mapping[str, str] | None = None) -> bool:
    """True if the environment would open Chromium's remote debugging port (devtools)."""
    env = os.environ if environ is None else environ
    flags = env.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
    return bool(env.get("QTWEBENGINE_REMOTE_DEBUGGING")) or "remote-debugging" in flags


def safe_download_name(name: str, fallback: str = "document") -> str:
    """A file name that stays inside its directory: no separators, no leading dots, bounded length."""
    base = os.path.basename(name.replace("\\", "/")).strip().lstrip(".")
    base = re.sub(r"[\x00-\x1f\x7f/]", "_", base)
    if not base:
        base = fallback
    stem, dot, ext = base.rpartition(".")
    if len(base) > 120:
        base = (stem[:100] + dot + ext[:15]) if dot else base[:120]
    return base


__all__ = [
    "DEFAULT_ALLOWED_HOSTS", "DEFAULT_RESOURCE_HOSTS", "REFUSAL_MESSAGES", "BlockedRequests",
    "GuideFollower", "GuidePage", "NavigationPolicy", "Position", "Refusal", "RefusalReason", "SiteGuide",
    "StepMatcher", "StepRule", "accepts", "address_for_report", "devtools_exposed", "request_host",
    "route_address", "safe_download_name",
]
