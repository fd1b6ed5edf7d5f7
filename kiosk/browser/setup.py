"""The locked browser from the terminal configuration: which site it shows and which hosts it may load.
Used by kiosk/app.py (and by any command that needs the same answer)."""

from __future__ import annotations

from kiosk.browser.policy import DEFAULT_ALLOWED_HOSTS, DEFAULT_RESOURCE_HOSTS, NavigationPolicy
from kiosk.browser.replica import PracticeSite
from kiosk.config import Config


def browser_mode(config: Config) -> str:
    """official, practice or none; the built-in demo defaults practise (nothing leaves the machine)."""
    return "practice" if config.demo_defaults else config.browser.site


def navigation_policy(config: Config, practice: PracticeSite | None) -> NavigationPolicy:
    """The hosts the locked browser may load: the configured ones (or the defaults), the extra ones,
    and the practice site when it runs; for sub-requests also the content-delivery hosts
    (DEFAULT_RESOURCE_HOSTS and the terminal's resource_hosts)."""
    hosts = config.browser.allowed_hosts or DEFAULT_ALLOWED_HOSTS
    local = (practice.host_entry,) if practice is not None else ()
    resources = (*DEFAULT_RESOURCE_HOSTS, *config.browser.resource_hosts)
    return NavigationPolicy(hosts, resources).with_hosts(*config.browser.extra_hosts, *local)
