"""Practice site: a small local web app that mimics the ANEF flow (account, forms with French labels,
upload, confirmation with a PDF attestation), served on 127.0.0.1. Every page says
"Entraînement — rien n'est envoyé". No Qt here: the locked browser shows it like the official site.

The same server also answers, by Host header, as a replica of the official sites' structure under their
real host names (hosts.py, official.py): the portal's hash-routed app, its sign-on host, FranceConnect
and its identity providers, the stamp shop. The browser tests resolve those names to it (loopback, a
test-only certificate authority) and run the kiosk with its default allow-list.
"""

from kiosk.browser.replica.pages import BANNER
from kiosk.browser.replica.server import PracticeSite

__all__ = ["BANNER", "PracticeSite"]
