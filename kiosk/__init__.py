"""PAN Kiosk: kiosk software for the points d'accueil numérique of French prefectures."""

__version__ = "0.1.0"
