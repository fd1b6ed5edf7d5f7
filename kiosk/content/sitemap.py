"""Reading the pack's site map (site.toml): the hosts of the real journey and the pages the guide
recognises, each with its source. Checked like the rest of the pack (`content check`): patterns of the
safe subset (kiosk.content.patterns), known roles and statuses, real dates, and no label explained to
the visitor from a page that is not confirmed (its `status` must be confirmed or qualif)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.content import patterns
from kiosk.content.model import SITE_ROLES, SITE_STATUSES, SiteHost, SiteMap, SitePage, Source

if TYPE_CHECKING:
    from kiosk.content.pack import _Reader

HOST_FIELDS = {"host", "role", "allow", "reason", "source", "url", "date", "read", "status"}
PAGE_FIELDS = {"id", "host", "route", "headings", "procedures", "title", "text", "glossary", "source", "url",
               "date", "read", "status", "confirms_filing"}
VERIFIED = ("confirmed", "qualif")


def read_site_map(r: _Reader, file: Path, procedures: set[str]) -> SiteMap | None:
    """The site map, or None when the pack has none; problems go to `r`."""
    if not file.exists():
        return None
    raw = r.toml(file)
    if raw is None:
        return None
    r.unknown(raw, {"checked", "hosts", "pages"}, file)
    checked = raw.get("checked")
    if not isinstance(checked, dt.date) or isinstance(checked, dt.datetime):
        r.problem(file, f"expected a date (2026-12-07), got {checked!r:.40}", field="checked")
        checked = dt.date.min
    hosts = tuple(h for i, t in enumerate(_tables(r, raw.get("hosts", []), file, "hosts"))
                  if (h := _host(r, t, file, i)) is not None)
    known = {h.host for h in hosts}
    pages = tuple(p for i, t in enumerate(_tables(r, raw.get("pages", []), file, "pages"))
                  if (p := _page(r, t, file, i, known, procedures)) is not None)
    ids = [p.id for p in pages]
    for twice in sorted({i for i in ids if ids.count(i) > 1}):
        r.problem(file, f"page id {twice!r} appears twice, expected each id once", field="pages")
    return SiteMap(checked, hosts, pages)


def _tables(r: _Reader, value: Any, file: Path, field: str) -> list[dict[str, Any]]:
    if isinstance(value, list) and all(isinstance(v, dict) for v in value):
        return value
    r.problem(file, f"expected [[{field}]] tables, got {value!r:.40}", field=field)
    return []


def _is_date(value: Any) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def _source(r: _Reader, t: dict[str, Any], file: Path, where: str) -> Source | None:
    title = r.text(t, "source", file, field=f"{where}.source")
    url = r.text(t, "url", file, field=f"{where}.url")
    if not url.startswith("https://"):
        r.problem(file, f"expected an https:// address, got {url!r:.60}", field=f"{where}.url")
    for key in ("date", "read"):
        if not _is_date(t.get(key)):
            r.problem(file, f"expected a date (2026-12-07), got {t.get(key)!r:.40}", field=f"{where}.{key}")
            return None
    return Source(title, url, t["date"])


def _status(r: _Reader, t: dict[str, Any], file: Path, where: str) -> str:
    status = t.get("status")
    if status not in SITE_STATUSES:
        r.problem(file, f"expected one of {', '.join(SITE_STATUSES)}, got {status!r:.40}",
                  field=f"{where}.status")
        return "unverified"
    return str(status)


def _host(r: _Reader, t: dict[str, Any], file: Path, i: int) -> SiteHost | None:
    where = f"hosts[{i}]"
    r.unknown(t, HOST_FIELDS, file, field=where)
    host = r.text(t, "host", file, field=f"{where}.host")
    if host != host.lower() or not host or any(c in host for c in "/:* "):
        r.problem(file, f"expected a lower-case host name without scheme or port, got {host!r:.60}",
                  field=f"{where}.host")
    role = t.get("role")
    if role not in SITE_ROLES:
        r.problem(file, f"expected one of {', '.join(SITE_ROLES)}, got {role!r:.40}", field=f"{where}.role")
    allow = t.get("allow")
    if not isinstance(allow, bool):
        r.problem(file, f"expected true or false, got {allow!r:.40}", field=f"{where}.allow")
    reason = r.text(t, "reason", file, field=f"{where}.reason")
    source, status = _source(r, t, file, where), _status(r, t, file, where)
    if source is None or role not in SITE_ROLES or not isinstance(allow, bool):
        return None
    return SiteHost(host, str(role), allow, reason, source, status)


def _page(r: _Reader, t: dict[str, Any], file: Path, i: int, hosts: set[str],
          procedures: set[str]) -> SitePage | None:
    where = f"pages[{i}]"
    r.unknown(t, PAGE_FIELDS, file, field=where)
    pid, host = r.text(t, "id", file, field=f"{where}.id"), r.text(t, "host", file, field=f"{where}.host")
    if host and host not in hosts:
        r.problem(file, f"host {host!r:.60} is not one of the [[hosts]]", field=f"{where}.host")
    route = r.text(t, "route", file, field=f"{where}.route")
    if route and (why := patterns.problem(route)):
        r.problem(file, f"{route!r:.60} {why}", field=f"{where}.route")
    headings = r.texts(t.get("headings", []), file, field=f"{where}.headings") or ()
    procs = r.texts(t.get("procedures", []), file, field=f"{where}.procedures") or ()
    for proc in procs:
        if proc != "*" and proc not in procedures:
            r.problem(file, f"no procedure {proc!r:.40} in the pack", field=f"{where}.procedures")
    if not procs:
        r.problem(file, "expected the guides it belongs to (procedure ids, or \"*\")",
                  field=f"{where}.procedures")
    glossary = _glossary(r, t.get("glossary", []), file, where)
    status = _status(r, t, file, where)
    if glossary and status not in VERIFIED:
        r.problem(file, f"a page that is {status} explains no label to visitors; expected no glossary, or "
                        "status confirmed or qualif with its source", field=f"{where}.glossary")
    filing = t.get("confirms_filing", False)
    if not isinstance(filing, bool):
        r.problem(file, f"expected true or false, got {filing!r:.40}", field=f"{where}.confirms_filing")
    source = _source(r, t, file, where)
    if source is None:
        return None
    return SitePage(pid, host, route, tuple(h.casefold() for h in headings), procs,
                    r.text(t, "title", file, field=f"{where}.title"),
                    r.optional_text(t, "text", file, field=f"{where}.text"), glossary, source, status,
                    filing is True)


def _glossary(r: _Reader, value: Any, file: Path, where: str) -> tuple[tuple[str, str], ...]:
    def pair(e: Any) -> bool:
        return isinstance(e, list) and len(e) == 2 and all(isinstance(x, str) and x for x in e)

    if isinstance(value, list) and all(pair(e) for e in value):
        return tuple((label, explanation) for label, explanation in value)
    r.problem(file, f"expected a list of [\"French label\", \"explanation\"] pairs, got {value!r:.60}",
              field=f"{where}.glossary")
    return ()
