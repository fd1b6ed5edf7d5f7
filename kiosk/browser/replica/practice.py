"""Practice mode on a terminal: the replica of the official sites (the one the browser tests walk under
the real host names), served on loopback under practice names, with the site map's guide.

The tests resolve the official names to the replica with Chromium's host-resolver rules and a test-only
certificate authority; a terminal does neither. There, every official host of the replica gets a
practice name under `PRACTICE_DOMAIN` (``administration-etrangers-en-france-interieur-gouv-fr.
entrainement.localhost``): a ``.localhost`` name, which Chromium resolves to the loopback address itself
(RFC 6761), over plain http (allowed to loopback only, kiosk.browser.policy), on the replica's port.
Each official host keeps a host of its own (its cookies, its same-origin rules), the pages link to each
other's practice names (`OfficialReplica.bases`), and the kiosk's allow-list gains
``*.entrainement.localhost:<port>`` in practice mode only (kiosk.browser.setup): in official mode no
practice name and no loopback port is allowed.

The guide is the content pack's site map (`practice_guide`), its hosts renamed to the practice names,
with the practice badge: the visitor practises on the pages and with the guide of the real visit.
"""

from __future__ import annotations

import dataclasses
import re
import socket
from collections.abc import Callable, Iterable

from kiosk.browser.policy import GuidePage, SiteGuide
from kiosk.browser.replica.hosts import OFFICIAL_HOSTS
from kiosk.browser.replica.server import PracticeSite
from kiosk.content.model import Procedure, SiteMap

PRACTICE_DOMAIN = "entrainement.localhost"


def practice_name(host: str) -> str:
    """The practice name of an official host: its dots as dashes, under PRACTICE_DOMAIN (one label,
    at most 63 characters)."""
    label = host.replace(".", "-")[:63].strip("-")
    return f"{label}.{PRACTICE_DOMAIN}"


def is_practice_host(host: str) -> bool:
    host = host.lower().rstrip(".").removeprefix("*.")
    return host == PRACTICE_DOMAIN or host.endswith("." + PRACTICE_DOMAIN)


class LocalReplica(PracticeSite):
    """The practice site of a terminal: the replica under practice names on 127.0.0.1 (plain http).
    `start_url` is the portal's home; `host_entries` what the allow-list needs in practice mode: the
    practice names on the replica's port, and nothing else (not the loopback address itself)."""

    def __init__(self, hosts: Iterable[str] = OFFICIAL_HOSTS, **kwargs: object) -> None:
        listen = socket.create_server(("127.0.0.1", 0))
        super().__init__(listen=listen, **kwargs)  # type: ignore[arg-type]
        self.port = listen.getsockname()[1]
        self.names = {practice_name(host): host for host in hosts}
        self.official.bases.update({host: f"http://{name}:{self.port}" for name, host in self.names.items()})

    @property
    def host_entries(self) -> tuple[str, ...]:
        return (f"*.{PRACTICE_DOMAIN}:{self.port}",)

    def official_host(self, name: str) -> str:
        return self.names.get(name, name)

    def practice_host(self, official: str) -> str:
        return practice_name(official) if practice_name(official) in self.names else official


def practice_site_map(site: SiteMap, rename: Callable[[str], str]) -> SiteMap:
    """The site map with every host renamed (`rename`: official host -> practice name)."""
    return SiteMap(site.checked,
                   tuple(dataclasses.replace(h, host=rename(h.host)) for h in site.hosts),
                   tuple(dataclasses.replace(p, host=rename(p.host)) for p in site.pages))


def practice_guide(site: LocalReplica, procedure: Procedure, site_map: SiteMap | None) -> SiteGuide:
    """The guide of `procedure` on the practice replica: the site map's pages, on the practice names,
    with the practice badge."""
    if site_map is None:         # a pack without a site map: every practice page is on the path
        return SiteGuide(path_patterns=(f"^http://[^/]*{re.escape('.' + PRACTICE_DOMAIN)}:{site.port}/",),
                         fallback=GuidePage("", procedure.title), practice=True)
    guide = SiteGuide.for_procedure(procedure, practice_site_map(site_map, site.practice_host))
    guide.practice = True
    return guide


__all__ = ["PRACTICE_DOMAIN", "LocalReplica", "is_practice_host", "practice_guide", "practice_name",
           "practice_site_map"]
