"""The official host names the replica answers for, and where its pages point to.

The replica mirrors the real journey's structure (docs/research/site-journey.md §1-§4, §17; the content
pack's site.toml): the portal's single-page app on the portal's host, login on the sign-on host,
FranceConnect on its own host, then an identity provider's host, and the stamp shop. It answers by the
request's Host header, so whoever resolves these names to the replica's loopback port (the browser
tests, with Chromium's host-resolver rules and a test-only certificate authority) sees the journey
under its real addresses, with the kiosk's default allow-list.
"""

from __future__ import annotations

from collections.abc import Mapping

PORTAL = "administration-etrangers-en-france.interieur.gouv.fr"
SSO = "sso.anef.dgef.interieur.gouv.fr"
FRANCECONNECT = "oidc.franceconnect.gouv.fr"          # FranceConnect v2
FRANCECONNECT_V1 = "app.franceconnect.gouv.fr"        # v1: only its "en savoir plus" page here
STAMPS = "timbres.impots.gouv.fr"

# FranceConnect identity providers (site.toml [[hosts]] role = "identity_provider"): host -> (id, name).
IDENTITY_PROVIDERS: Mapping[str, tuple[str, str]] = {
    "cfspart-idp.impots.gouv.fr": ("impots", "impots.gouv.fr"),
    "fc.assure.ameli.fr": ("ameli", "ameli.fr"),
    "authent.lidentitenumerique.laposte.fr": ("laposte", "L'Identité Numérique La Poste"),
    "idp.msa.fr": ("msa", "MSA"),
    "idp.france-identite.gouv.fr": ("france-identite", "France Identité"),
    "oidc.a3bc.io": ("trustme", "TrustMe"),
}

OFFICIAL_HOSTS: tuple[str, ...] = (PORTAL, SSO, FRANCECONNECT, FRANCECONNECT_V1, *IDENTITY_PROVIDERS, STAMPS)

REALM = "/auth/realms/anef-usagers"
CLIENT_ID = "anef-usagers"
BROKER = REALM + "/broker/franceconnect-particulier"
PORTAL_START = f"https://{PORTAL}/usagers/#/"       # where a visit on the portal starts


def https_bases(hosts: tuple[str, ...] = OFFICIAL_HOSTS) -> dict[str, str]:
    """host -> the base address its pages link to (https://host, as on the real sites)."""
    return {host: f"https://{host}" for host in hosts}


__all__ = ["BROKER", "CLIENT_ID", "FRANCECONNECT", "FRANCECONNECT_V1", "IDENTITY_PROVIDERS", "OFFICIAL_HOSTS",
           "PORTAL", "PORTAL_START", "REALM", "SSO", "STAMPS", "https_bases"]
