"""The replica of the official sites (hosts.py, official.py): the portal's hash-routed app, its sign-on
host, FranceConnect and its identity providers, the stamp shop and a webmail, served on loopback by one
server that answers by the Host header. Every page says "Entraînement — rien n'est envoyé". No Qt here.

The browser tests resolve the official names to it (loopback, a test-only certificate authority) and run
the kiosk with its default allow-list; practice mode on a terminal serves it under practice names
(practice.py). There is no other practice site.
"""

from kiosk.browser.replica.pages import BANNER
from kiosk.browser.replica.server import PracticeSite

__all__ = ["BANNER", "PracticeSite"]
