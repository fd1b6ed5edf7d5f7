"""Keeping the site map true, with no Qt: what `pan-kiosk site record` keeps of a walk through the real
site, the draft site map it writes, and `pan-kiosk site check`, which compares such a recording with
the pack's site map (site.toml) and lists the guide steps and glossary labels that no longer match.

What a recording keeps, per page (host + route + main heading): the route (path, then "#" and the
single-page app's hash route up to its own "?", as the guide reads it: `policy.site_route`), the <h1>
(the heading the guide matches), the <h2>s, and the texts of labels, legends, buttons, links and
menus (`labels`) and of alerts (`messages`). Never a field's content: the page's script
(`SNAPSHOT_JS`) removes every form control from what it reads, and `Recording` drops any text that
holds something typed into a field during the walk (`values` reach it from the page's fields and stay
in memory, never written), an e-mail address, a date or a long number (a foreigner number, a phone);
a heading that holds one keeps its other words with "…" in its place. No query string, no fragment that
is not a route (an OpenID `#state=…&code=…`), no path segment that looks like an identifier.

`check` works page by page of the site map, for the guides the walk was for (`procedures`, or every
guide): a page whose route no recorded page of its host has ("route unknown"), a page whose route was
seen but never with its heading ("heading changed"), a glossary label found on none of its recorded
pages ("label gone"). Pages on hosts the walk never reached are listed as not compared.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from kiosk.browser.policy import site_route
from kiosk.content.model import SiteMap, SitePage
from kiosk.content.patterns import compile_pattern

STATUS = "recorded"
MAX_PAGES = 500                 # a walk that loops cannot grow the recording without end
MAX_TEXTS = 300                 # texts per kind and page
MAX_TEXT = 300                  # characters per text
MIN_VALUE = 3                   # shorter typed values ("1", "oui") are not searched for
REDACTED = "…"

# Read in the kiosk's own JavaScript world (the page's scripts do not see it): the main heading, the
# sub-headings and the texts of labels, legends, buttons, links and menus, and of alerts, each read from
# a copy of its element with every form control removed (a label around a field, a button holding a
# select), so a field's content is never part of a text; and, separately, what the fields hold now and
# what `VALUES_JS` kept of them before a click or a key took the page elsewhere (for `Recording` to
# remove from every text; it never writes them).
SNAPSHOT_JS = r"""(() => {
  const CONTROLS = 'input, textarea, select, option, datalist, output, script, style, template, noscript, ' +
                   '[contenteditable]:not([contenteditable="false"])';
  const clean = t => (t || '').replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim()
                              .slice(0, 300);
  const text = e => { const c = e.cloneNode(true); c.querySelectorAll(CONTROLS).forEach(x => x.remove());
                      return clean(c.textContent); };
  const all = (selector, read) => [...document.querySelectorAll(selector)].slice(0, 300).map(read)
                                                                             .filter(t => t);
  if (document.querySelector('#main-frame-error, body.neterror')) return '';   // Chromium's error page
  const h1 = document.querySelector('h1');
  const kept = window.__panRecorderValues || [];
  window.__panRecorderValues = [];
  return JSON.stringify({
    heading: h1 ? text(h1) : '',
    subheadings: all('h2', text),
    labels: [...all('label, legend, button, summary, a[href], [role=button], [role=tab], [role=menuitem]',
                    text),
             ...all('input[type=submit], input[type=button], input[type=reset]', e => clean(e.defaultValue))],
    messages: all('[role=alert], .fr-alert, .fr-error-text, .alert, .error', text),
    values: [...kept, ...readValues()],
  });
  function readValues() {
    const NOT_TYPED = ['checkbox', 'radio', 'submit', 'button', 'reset', 'image', 'hidden', 'range', 'color'];
    const found = [];
    for (const f of document.querySelectorAll('input, textarea, [contenteditable]')) {
      if (f.isContentEditable) found.push(f.innerText || '');
      else if (f.type === 'file') for (const file of (f.files || [])) found.push(file.name);
      else if (!NOT_TYPED.includes(f.type)) found.push(f.value || '');
    }
    return found.map(clean).filter(v => v);
  }
})()"""

# Installed in the kiosk's world of every page of the walk: what the fields hold is kept just before a
# click, a key or a submission may take the page elsewhere (a single-page app replaces the form), for
# the next snapshot to remove from every text. Nothing is sent anywhere.
VALUES_JS = r"""(() => {
  if (window.__panRecorderWatch) return;
  window.__panRecorderWatch = true;
  window.__panRecorderValues = window.__panRecorderValues || [];
  const NOT_TYPED = ['checkbox', 'radio', 'submit', 'button', 'reset', 'image', 'hidden', 'range', 'color'];
  const keep = () => {
    for (const f of document.querySelectorAll('input, textarea, [contenteditable]')) {
      let v = '';
      if (f.isContentEditable) v = f.innerText || '';
      else if (f.type === 'file') v = [...(f.files || [])].map(x => x.name).join('\n');
      else if (!NOT_TYPED.includes(f.type)) v = f.value || '';
      for (const part of v.split('\n'))
        if (part.trim()) window.__panRecorderValues.push(part.trim().slice(0, 300));
    }
    window.__panRecorderValues = window.__panRecorderValues.slice(-500);
  };
  for (const kind of ['click', 'keydown', 'submit', 'change', 'pointerdown'])
    document.addEventListener(kind, keep, true);
})();"""

# Personal-looking text the site shows without it being typed (an identity from FranceConnect shown as
# a menu name is not caught here: the walker uses test accounts, and `values` catch what was typed).
_PERSONAL = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+"                  # an e-mail address
                       r"|\d(?:[\s.\-]?\d){5,}"                     # 6+ digits: a number, a phone
                       r"|\b\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}\b")   # a date
_IDENTIFIER = re.compile(r"\d{5,}|^(?=.*\d)[A-Za-z0-9_\-]{16,}$")   # a number, a token: may name someone


class RecordingError(ValueError):
    """A recording that cannot be read; the message is one line."""


@dataclass
class RecordedPage:
    host: str
    route: str                  # path, then "#" and the hash route (policy.site_route)
    heading: str                # the page's <h1> ("" without one): what the guide matches
    subheadings: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    scheme: str = "https"

    @property
    def key(self) -> tuple[str, str, str]:
        return self.host, self.route, self.heading

    def merge(self, other: RecordedPage) -> None:
        for mine, theirs in ((self.subheadings, other.subheadings), (self.labels, other.labels),
                             (self.messages, other.messages)):
            for text in theirs:
                if text not in mine and len(mine) < MAX_TEXTS:
                    mine.append(text)

    def texts(self) -> list[str]:
        return [self.heading, *self.subheadings, *self.labels, *self.messages]


def _clean(text: object) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[\x00-\x1f\x7f]", " ", str(text))).strip()[:MAX_TEXT]


def clean_route(url: str) -> tuple[str, str, str] | None:
    """(scheme, host, route) of a page of the walk, without query, secrets or identifiers; None for
    what is not a web page (about:blank, data:)."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower().rstrip(".")
        _ = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("https", "http") or not host:
        return None
    route = site_route(url)
    path, hashed, fragment = route.partition("#")
    if hashed and not fragment.startswith("/"):        # #state=…&code=… is an answer, not a route
        hashed, fragment = "", ""
    segments = [("*" if _IDENTIFIER.search(s) else s) for s in f"{path}{hashed}{fragment}".split("/")]
    return parts.scheme, host, "/".join(segments)


class Recording:
    """The pages of one walk, each once (host, route, heading), their texts merged in the order seen."""

    def __init__(self, start: str = "", procedures: Sequence[str] = (),
                 today: dt.date | None = None) -> None:
        self.start = start
        self.procedures = tuple(procedures)
        self.date = today or dt.date.today()
        self.pages: dict[tuple[str, str, str], RecordedPage] = {}
        self._values: set[str] = set()       # typed during the walk: in memory only, never written

    def add(self, url: str, snapshot: Mapping[str, object]) -> RecordedPage | None:
        """Keep what the page showed (a `SNAPSHOT_JS` result); returns the page it went to, or None."""
        where = clean_route(url)
        if where is None:
            return None
        self.absorb_values(snapshot)

        def texts(key: str) -> list[str]:
            raw = snapshot.get(key, [])
            found = [_clean(t) for t in raw] if isinstance(raw, list) else []
            return list(dict.fromkeys(t for t in found if t and self._keeps(t)))[:MAX_TEXTS]

        scheme, host, route = where
        page = RecordedPage(host, route, self._redact(_clean(snapshot.get("heading", ""))),
                            texts("subheadings"), texts("labels"), texts("messages"), scheme)
        if not any(page.texts()):           # a document not drawn yet (the address changed first)
            return None
        known = self.pages.get(page.key)
        if known is not None:
            known.merge(page)
            return known
        if len(self.pages) >= MAX_PAGES:
            return None
        self.pages[page.key] = page
        return page

    def absorb_values(self, snapshot: Mapping[str, object]) -> None:
        """Remember what the fields held (to leave it out of every text from now on); never written."""
        values = snapshot.get("values", [])
        for value in values if isinstance(values, list) else []:
            text = _clean(value).casefold()
            if len(text) >= MIN_VALUE:
                self._values.add(text)

    def _keeps(self, text: str) -> bool:
        folded = text.casefold()
        return not _PERSONAL.search(text) and not any(value in folded for value in self._values)

    def _redact(self, heading: str) -> str:
        heading = _PERSONAL.sub(REDACTED, heading)
        for value in sorted(self._values, key=len, reverse=True):
            heading = re.sub(re.escape(value), REDACTED, heading, flags=re.IGNORECASE)
        return heading

    def forget_values(self) -> None:
        self._values.clear()

    # --- the draft site map ---------------------------------------------------------------------------

    def to_toml(self) -> str:
        """The draft site map: site.toml's shape, every entry with status "recorded" and the date."""
        date = self.date.isoformat()
        lines = [
            f"# Draft site map recorded by `pan-kiosk site record` on {date}"
            + (f", from {_toml(self.start)}." if self.start else "."),
            "# Per page: route, heading and the texts of labels, legends, buttons, links and alerts, as",
            "# the site showed them; nothing typed into a field. `pan-kiosk site check FILE` compares it",
            "# with the pack's site map; copy what is right into site.toml with its source and status.",
            f'status = "{STATUS}"',
            f"recorded = {date}",
            f"checked = {date}",
            f"procedures = {_toml_list(self.procedures)}",
        ]
        if self.start:
            lines.append(f"start = {_toml(self.start)}")
        for host in dict.fromkeys(p.host for p in self.pages.values()):
            lines += ["", "[[hosts]]", f"host = {_toml(host)}", f'status = "{STATUS}"', f"date = {date}",
                      f"read = {date}"]
        for n, page in enumerate(self.pages.values(), 1):
            base = f"{page.scheme}://{page.host}{page.route.partition('#')[0]}"
            lines += ["", "[[pages]]", f'id = "page-{n:03d}"', f"host = {_toml(page.host)}",
                      f"route = {_toml(route_pattern(page.route))}", f"path = {_toml(page.route)}",
                      f"headings = {_toml_list([page.heading] if page.heading else [])}",
                      f"title = {_toml(page.heading)}",
                      f"subheadings = {_toml_list(page.subheadings)}",
                      f"labels = {_toml_list(page.labels)}",
                      f"messages = {_toml_list(page.messages)}",
                      'source = "pan-kiosk site record"', f"url = {_toml(base)}",
                      f"date = {date}", f"read = {date}", f'status = "{STATUS}"']
        return "\n".join(lines) + "\n"


def _toml(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)       # a JSON string is a TOML basic string (no DEL kept)


def _toml_list(texts: Iterable[str]) -> str:
    items = [_toml(t) for t in texts]
    if sum(len(i) + 2 for i in items) < 80:
        return "[" + ", ".join(items) + "]"
    return "[\n" + "".join(f"  {i},\n" for i in items) + "]"


def route_pattern(route: str) -> str:
    """A site-map pattern for exactly this route (the safe subset of kiosk.content.patterns)."""
    return "^" + re.sub(r"([.^$*+?()\[\]{}|\\])", r"\\\1", route).replace("\\*", "[^/]+") + "$"


# --- reading a recording back ------------------------------------------------------------------------

@dataclass(frozen=True)
class Loaded:
    date: dt.date
    procedures: tuple[str, ...]
    pages: tuple[RecordedPage, ...]


def parse_recording(text: str, name: str = "recording") -> Loaded:
    """A recording written by `Recording.to_toml`; RecordingError (one line) when it is not one."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RecordingError(f"{name} is not TOML: {exc}") from None
    if raw.get("status") != STATUS:
        raise RecordingError(f'{name} is not a recording of `pan-kiosk site record` (expected status = '
                             f'"{STATUS}", got {raw.get("status")!r:.40})')
    date = raw.get("recorded")
    if not isinstance(date, dt.date) or isinstance(date, dt.datetime):
        raise RecordingError(f"{name}: expected recorded = a date (2026-12-08), got {date!r:.40}")
    procedures = raw.get("procedures", [])
    if not isinstance(procedures, list) or not all(isinstance(p, str) for p in procedures):
        raise RecordingError(f"{name}: expected procedures = a list of guide ids, got {procedures!r:.40}")
    tables = raw.get("pages", [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise RecordingError(f"{name}: expected [[pages]] tables")
    pages = []
    for i, t in enumerate(tables):
        host, route = t.get("host"), t.get("path")
        headings = t.get("headings", [])
        if not isinstance(host, str) or not host or not isinstance(route, str):
            raise RecordingError(f"{name}: pages[{i}] needs host and path (texts)")
        lists = {key: t.get(key, []) for key in ("headings", "subheadings", "labels", "messages")}
        for key, value in lists.items():
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise RecordingError(f"{name}: pages[{i}].{key} must be a list of texts")
        pages.append(RecordedPage(host.lower(), route, headings[0] if headings else "",
                                  lists["subheadings"], lists["labels"], lists["messages"]))
    return Loaded(date, tuple(procedures), tuple(pages))


# --- comparing with the site map ----------------------------------------------------------------------

@dataclass(frozen=True)
class Finding:
    page_id: str        # the site map's page (a guide step)
    kind: str           # "route", "heading" or "label"
    detail: str

    def __str__(self) -> str:
        what = {"route": "route unknown", "heading": "heading changed", "label": "label gone"}[self.kind]
        return f"{self.page_id}: {what}: {self.detail}"


@dataclass(frozen=True)
class Report:
    findings: tuple[Finding, ...]
    matched: tuple[str, ...]           # site map pages found, route, heading and labels
    not_compared: tuple[str, ...]      # pages on hosts the walk did not reach
    unknown: tuple[str, ...]           # recorded pages of the map's hosts that no page recognises

    def lines(self) -> list[str]:
        out = [str(f) for f in self.findings]
        if self.not_compared:
            out.append(f"not compared (host not in the recording): {', '.join(self.not_compared)}")
        if self.unknown:
            out.append(f"recorded pages the site map does not name: {len(self.unknown)}")
            out += [f"  {u}" for u in self.unknown]
        verdict = (f"{len(self.findings)} difference(s); {len(self.matched)} page(s) of the site map match"
                   if self.findings else f"all {len(self.matched)} page(s) of the site map compared match")
        return [*out, verdict]


def _fold(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u00a0", " ").replace("\u202f", " ")
    return re.sub(r"\s+", " ", text).strip().casefold()


def check(recording: Loaded, site: SiteMap, procedures: Sequence[str] = ()) -> Report:
    """The site map's pages (of `procedures`' guides; all when empty) against a recording."""
    wanted = tuple(procedures) or recording.procedures
    pages = [p for p in site.pages if not wanted or any(p.for_procedure(w) for w in wanted)]
    hosts = {p.host for p in recording.pages}
    compiled = {p.id: compile_pattern(p.route) for p in site.pages}

    def at_route(sp: SitePage) -> list[RecordedPage]:
        return [r for r in recording.pages if r.host == sp.host and compiled[sp.id].search(r.route)]

    def recognised(sp: SitePage, r: RecordedPage) -> bool:
        folded = _fold(r.heading)
        return not sp.headings or any(_fold(h) in folded for h in sp.headings)

    named = {r.key for sp in site.pages for r in at_route(sp) if recognised(sp, r)}
    findings: list[Finding] = []
    matched: list[str] = []
    not_compared: list[str] = []
    for sp in pages:
        if sp.host not in hosts:
            not_compared.append(sp.id)
            continue
        seen = at_route(sp)
        found = [r for r in seen if recognised(sp, r)]
        if not seen:
            others = sorted({r.route for r in recording.pages if r.host == sp.host and r.key not in named})
            findings.append(Finding(sp.id, "route", f"no recorded page of {sp.host} has a route matching "
                                    f"{sp.route!r}" + (f"; pages there the map does not name: "
                                                        f"{', '.join(others[:5])}" if others else "")))
            continue
        if not found:
            stray = sorted({r.heading for r in seen if r.key not in named})
            findings.append(Finding(sp.id, "heading", f"no page at {sp.route!r} has a heading with "
                                    f"{' or '.join(repr(h) for h in sp.headings)}" + (
                                        f"; headings seen there: {', '.join(repr(h) for h in stray[:5])}"
                                        if stray else "")))
            continue
        shown = [_fold(t) for r in found for t in r.texts()]
        gone = [label for label, _ in sp.glossary if not any(_fold(label) in t for t in shown)]
        findings += [Finding(sp.id, "label", repr(label)) for label in gone]
        if not gone:
            matched.append(sp.id)
    unknown = tuple(f"{r.host}{r.route} {r.heading!r}" for r in recording.pages
                    if r.key not in named and r.host in {h.host for h in site.hosts})
    return Report(tuple(findings), tuple(matched), tuple(not_compared), unknown)


__all__ = ["SNAPSHOT_JS", "STATUS", "VALUES_JS", "Finding", "Loaded", "RecordedPage",
           "Recording", "RecordingError", "Report", "check", "clean_route", "parse_recording",
           "route_pattern"]
