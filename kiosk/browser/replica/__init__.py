"""Practice site: a small local web app that mimics the ANEF flow (account, forms with French labels,
upload, confirmation with a PDF attestation), served on 127.0.0.1. Every page says
"Entraînement — rien n'est envoyé". No Qt here: the locked browser shows it like the official site.
"""

from kiosk.browser.replica.pages import BANNER
from kiosk.browser.replica.server import PracticeSite

__all__ = ["BANNER", "PracticeSite"]
