"""The site map (site.toml): the real journey's hosts and the pages the guide recognises on the official
site, with the shipped defaults: every host it allows is in the default allow-list, the guide follows the
single-page app's hash routes (new /usagers/ and old /particuliers/), a route needs its heading where the
map says so, and content check refuses what could mislead or hang."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.browser.policy import NavigationPolicy, SiteGuide, site_route
from kiosk.content.pack import PackError, load_pack
from kiosk.paths import DEFAULT_PACK

PACK = load_pack(DEFAULT_PACK)
PORTAL = "https://administration-etrangers-en-france.interieur.gouv.fr"
SSO = "https://sso.anef.dgef.interieur.gouv.fr"


def guide(procedure: str) -> SiteGuide:
    return SiteGuide.for_procedure(PACK.procedures[procedure], PACK.site)


def test_every_host_the_site_map_allows_is_in_the_default_allow_list() -> None:
    assert PACK.site is not None and PACK.site.hosts
    defaults = NavigationPolicy()
    refused = [h.host for h in PACK.site.hosts
               if h.allow and defaults.check(f"https://{h.host}/") is not None]
    assert refused == []
    for host in PACK.site.hosts:              # each with its reason and a dated source
        assert host.reason and host.source.url.startswith("https://") and host.source.date.year >= 2021


def test_a_host_the_map_does_not_allow_stays_refused_by_default() -> None:
    assert PACK.site is not None
    kept_out = [h.host for h in PACK.site.hosts if not h.allow]
    assert kept_out and all(NavigationPolicy().check(f"https://{h}/") is not None for h in kept_out)


@pytest.mark.parametrize(("url", "expected"), [
    (f"{PORTAL}/usagers/#/", "/usagers/#/"),
    (f"{PORTAL}/usagers/#/espace-personnel/inscription/mot-de-passe?token=SECRET",
     "/usagers/#/espace-personnel/inscription/mot-de-passe"),
    (f"{SSO}/auth/realms/anef-usagers/protocol/openid-connect/auth?client_id=anef-usagers",
     "/auth/realms/anef-usagers/protocol/openid-connect/auth"),
])
def test_the_route_is_the_path_and_the_hash_route_without_any_query(url: str, expected: str) -> None:
    assert site_route(url) == expected


@pytest.mark.parametrize("prefix", ["usagers", "particuliers"])
def test_a_renewal_is_followed_page_by_page_on_the_portal(prefix: str) -> None:
    g = guide("renewal")
    request = f"{PORTAL}/{prefix}/#/sejour/renouvellement"
    walk = [
        (f"{PORTAL}/{prefix}/#/", "", "home"),
        (f"{PORTAL}/{prefix}/#/espace-personnel/connexion-inscription", "", "login_landing"),
        (f"{SSO}/auth/realms/anef-usagers/protocol/openid-connect/auth?client_id=anef-usagers",
         "Vous avez déjà un compte", "sso_login"),
        (f"{PORTAL}/{prefix}/#/espace-personnel/mon-compte", "Mon espace", "dashboard"),
        (f"{request}", "Votre situation actuelle", "request_situation"),
        (f"{request}", "Étape 1/5 Informations personnelles", "request_personal"),
        (f"{request}", "Je joins mes documents justificatifs", "request_documents"),
        (f"{request}", "RÉCAPITULATIF", "request_summary"),
        (f"{request}", "Confirmation", "request_confirmation"),
        ("https://timbres.impots.gouv.fr/", "Acheter un timbre électronique", "stamp_shop"),
    ]
    for url, heading, page in walk:
        position = g.locate(url, heading)
        assert position.on_path and position.page is not None, (url, heading)
        assert position.page.step_id == page, (url, heading)
    assert g.locate(f"{PORTAL}/{prefix}/#/sejour/renouvellement", "Confirmation").page.confirms_filing


def test_an_address_rewritten_without_its_heading_does_not_move_the_guide() -> None:
    g = guide("renewal")
    position = g.locate(f"{PORTAL}/usagers/#/sejour/renouvellement", "")        # hashchange alone
    assert position.page is not None and position.page.step_id == ""           # the guide's own glossary
    assert not position.page.confirms_filing


def test_an_unknown_page_of_the_portal_keeps_the_procedures_glossary_not_you_left() -> None:
    position = guide("renewal").locate(f"{PORTAL}/usagers/#/une-page-pas-encore-vue", "Nouvelle page")
    assert position.on_path and position.page is not None and position.page.glossary
    assert not guide("renewal").locate("https://www.example.org/", "").on_path
    for host in ("oidc.franceconnect.gouv.fr", "idp.france-identite.gouv.fr",
                 "sso.anef.dgef.interieur.gouv.fr"):
        assert guide("renewal").locate(f"https://{host}/une-page", "").on_path, host   # FranceConnect too


def test_every_guide_that_happens_on_the_site_has_its_own_pages_mapped() -> None:
    assert PACK.site is not None
    common = {p.id for p in PACK.site.pages if "*" in p.procedures}
    coverage = {pid: [p.id for p in PACK.site.pages_for(pid) if p.id not in common]
                for pid in PACK.procedures}
    on_the_site = {"renewal", "resident_card_renewal", "first_student", "first_talent", "naturalisation",
                   "change_of_address", "change_of_situation", "duplicate_card", "minor_travel_document",
                   "after_filing"}
    assert [pid for pid in on_the_site & set(coverage) if not coverage[pid]] == []


SITE_TOML = '''checked = 2026-12-07
[[hosts]]
host = "administration-etrangers-en-france.interieur.gouv.fr"
role = "portal"
allow = true
reason = "portal"
source = "test"
url = "https://example.org/"
date = 2026-01-01
read = 2026-12-07
status = "confirmed"
[[pages]]
id = "p"
host = "administration-etrangers-en-france.interieur.gouv.fr"
route = "^/usagers/#/x"
procedures = ["demo"]
title = "Titre"
glossary = [["Label", "Explication"]]
source = "test"
url = "https://example.org/"
date = 2026-01-01
read = 2026-12-07
status = "confirmed"
'''


def problems_of(make_pack, text: str) -> list[str]:  # noqa: ANN001
    with pytest.raises(PackError) as info:
        load_pack(make_pack(extra_files={"site.toml": text}))
    return [str(p) for p in info.value.problems]


def test_the_small_site_map_loads(make_pack) -> None:  # noqa: ANN001
    pack = load_pack(make_pack(extra_files={"site.toml": SITE_TOML}))
    assert pack.site is not None and [p.id for p in pack.site.pages_for("demo")] == ["p"]


@pytest.mark.parametrize(("change", "expected"), [
    (('status = "confirmed"\n', 'status = "unverified"\n', 2), "explains no label to visitors"),
    (('route = "^/usagers/#/x"', 'route = "(a+)+$"', 1), "site.toml"),
    (('procedures = ["demo"]', 'procedures = ["nope"]', 1), "no procedure 'nope'"),
    (('"administration-etrangers-en-france.interieur.gouv.fr"\nroute', '"evil.example.org"\nroute', 1),
     "is not one of the [[hosts]]"),
    (('date = 2026-01-01\n', 'date = "yesterday"\n', 1), "expected a date"),
    (('role = "portal"', 'role = "tracker"', 1), "expected one of portal"),
])
def test_content_check_refuses_what_could_mislead_or_hang(make_pack, change: tuple[str, str, int],  # noqa: ANN001
                                                          expected: str) -> None:
    old, new, count = change
    text = (SITE_TOML.replace(old, new, 1) if count == 1          # count 2: the second one (the page's)
            else SITE_TOML[::-1].replace(old[::-1], new[::-1], 1)[::-1])
    found = problems_of(make_pack, text)
    assert any(expected in p for p in found), found


def test_pages_are_dated_and_sourced_and_unverified_ones_explain_nothing() -> None:
    assert PACK.site is not None
    for page in PACK.site.pages:
        assert page.source.url.startswith("https://") and page.source.date.year >= 2021, page.id
        if page.status not in ("confirmed", "qualif"):
            assert page.glossary == (), page.id


def test_the_site_map_texts_are_in_the_content_template() -> None:
    template = (Path(DEFAULT_PACK) / "locale" / "content.pot").read_text(encoding="utf-8")
    assert PACK.site is not None
    assert all(f'"{page.title}"' in template for page in PACK.site.pages)
