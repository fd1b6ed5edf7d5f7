"""The locked browser from the terminal configuration: which site it shows and which hosts it may load.
Used by kiosk/app.py (and by any command that needs the same answer)."""

from __future__ import annotations

from kiosk.browser.policy import DEFAULT_ALLOWED_HOSTS, DEFAULT_RESOURCE_HOSTS, NavigationPolicy
from kiosk.browser.replica import PracticeSite
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
    local = (practice.host_entry,) if practice is not None else ()
    resources = (*DEFAULT_RESOURCE_HOSTS, *config.browser.resource_hosts, *webmail_resource_hosts(config))
    return NavigationPolicy(hosts, resources, webmail_page_hosts(config)).with_hosts(
        *config.browser.extra_hosts, *local)


def webmail_page_hosts(config: Config) -> tuple[str, ...]:
    """The visitor's webmail hosts (kiosk.browser.webmail): the terminal's list or the built-in one; none
    when `[browser] webmail = false`."""
    if not config.browser.webmail:
        return ()
    return config.browser.webmail_hosts or DEFAULT_WEBMAIL_HOSTS


def webmail_resource_hosts(config: Config) -> tuple[str, ...]:
    """The built-in webmails' sub-resource hosts, with the built-in list only (a terminal's own list adds
    its resource hosts with `resource_hosts`)."""
    b = config.browser
    return DEFAULT_WEBMAIL_RESOURCE_HOSTS if b.webmail and not b.webmail_hosts else ()
