"""The locked browser from the terminal configuration: which site it shows and which hosts it may load.
Used by kiosk/app.py (and by any command that needs the same answer)."""

from __future__ import annotations

from collections.abc import Sequence

from kiosk.browser.policy import DEFAULT_ALLOWED_HOSTS, DEFAULT_RESOURCE_HOSTS, NavigationPolicy
from kiosk.browser.replica import PracticeSite
from kiosk.browser.replica.practice import is_practice_host
from kiosk.browser.webmail import DEFAULT_WEBMAIL_HOSTS, DEFAULT_WEBMAIL_RESOURCE_HOSTS
from kiosk.config import Config


def browser_mode(config: Config) -> str:
    """official, practice or none; the built-in demo defaults practise (nothing leaves the machine)."""
    return "practice" if config.demo_defaults else config.browser.site


def navigation_policy(config: Config, practice: PracticeSite | None) -> NavigationPolicy:
    """The hosts the locked browser may load: the configured ones (or the defaults), the extra ones,
    and the practice site when it runs; for sub-requests also the content-delivery hosts
    (DEFAULT_RESOURCE_HOSTS and the terminal's resource_hosts)."""
    hosts = config.browser.allowed_hosts or DEFAULT_ALLOWED_HOSTS
    local = practice.host_entries if practice is not None else ()
    extra = config.browser.extra_hosts
    if practice is None:        # practice names are for practice mode only, whatever the configuration says
        hosts, extra = official_only(hosts), official_only(extra)
    resources = (*DEFAULT_RESOURCE_HOSTS, *config.browser.resource_hosts,
                 *webmail_resource_hosts(config, practice))
    return NavigationPolicy(hosts, resources, webmail_page_hosts(config, practice)).with_hosts(
        *extra, *local)


def official_only(entries: Sequence[str]) -> tuple[str, ...]:
    """The entries that are no practice name (kiosk.browser.replica.practice)."""
    return tuple(entry for entry in entries if not is_practice_host(entry.rsplit(":", 1)[0]))


def webmail_page_hosts(config: Config, practice: PracticeSite | None = None) -> tuple[str, ...]:
    """The visitor's webmail hosts (kiosk.browser.webmail): the terminal's list or the built-in one; none
    when `[browser] webmail = false`, and none in practice mode, which promises that nothing leaves the
    machine (the replica's webmail answers under the real names in the browser tests only)."""
    if not config.browser.webmail or practice is not None:
        return ()
    return config.browser.webmail_hosts or DEFAULT_WEBMAIL_HOSTS


def webmail_resource_hosts(config: Config, practice: PracticeSite | None = None) -> tuple[str, ...]:
    """The built-in webmails' sub-resource hosts, with the built-in list only (a terminal's own list adds
    its resource hosts with `resource_hosts`); none in practice mode."""
    b = config.browser
    return DEFAULT_WEBMAIL_RESOURCE_HOSTS if b.webmail and not b.webmail_hosts and practice is None else ()
