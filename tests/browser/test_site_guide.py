"""The guide beside the site, without Qt: which guide page a site page is, whether the visitor is on the
procedure's path, where to take them back, and which files suit a file input."""

from __future__ import annotations

import datetime as dt

from kiosk.browser.policy import GuideFollower, GuidePage, SiteGuide, StepRule, accepts, route_address
from kiosk.browser.replica.hosts import PORTAL, STAMPS
from kiosk.browser.replica.practice import LocalReplica, practice_guide, practice_name
from kiosk.content.model import Procedure, Source, Step, StepKind
from kiosk.content.pack import load_pack
from kiosk.paths import DEFAULT_PACK

ANEF = "https://administration-etrangers-en-france.interieur.gouv.fr"
PACK = load_pack(DEFAULT_PACK)


def procedure(patterns: tuple[str, ...]) -> Procedure:
    steps = {
        "a": Step("a", StepKind.INFO, "Titre A", next="b", glossary=(("Numéro étranger", "Votre numéro."),)),
        "b": Step("b", StepKind.INFO, "Titre B", next="c", glossary=(("Numéro étranger", "Autre texte."),
                                                                     ("Code postal", "5 chiffres."))),
        "c": Step("c", StepKind.END, "Fin"),
    }
    return Procedure("demo", "Ma démarche", "", ANEF + "/", dt.date(2026, 1, 1), "a", steps,
                     (Source("F1", "https://www.service-public.fr/F1", dt.date(2026, 1, 1)),),
                     site_url_patterns=patterns)


def test_route_address_keeps_the_fragment_route_not_the_query() -> None:
    assert route_address(ANEF + "/particuliers/?x=1#/sejour/document-voyage?id=7") == \
        ANEF + "/particuliers/#/sejour/document-voyage"
    assert route_address("https://u:p@ants.gouv.fr/a?b=c") == "https://ants.gouv.fr/a"


def test_procedure_guide_shows_its_title_and_each_french_label_once_on_its_pages() -> None:
    guide = SiteGuide.for_procedure(procedure((r"^https://administration-etrangers-en-france\.interieur"
                                               r"\.gouv\.fr/particuliers/#/sejour/",)))
    on = guide.locate(ANEF + "/particuliers/#/sejour/document-voyage?etape=2", "Titre de voyage")
    assert on.on_path and on.page is not None and on.page.title == "Ma démarche"
    assert on.page.glossary == (("Numéro étranger", "Votre numéro."), ("Code postal", "5 chiffres."))
    off = guide.locate("https://www.service-public.fr/particuliers/vosdroits/F2209")
    assert not off.on_path and off.page is None and off.host == "www.service-public.fr"
    assert not guide.locate(ANEF + "/particuliers/#/espace-personnel").on_path
    assert not guide.locate(ANEF + "/ailleurs?u=/particuliers/#/sejour/").on_path   # query not matched


def test_rules_pick_a_page_and_put_it_on_the_path() -> None:
    identity = GuidePage("identity", "Identity")
    guide = SiteGuide([(StepRule("identity", (r"/identite$",)), identity)], path_patterns=(r"/nothing",))
    assert guide.locate(ANEF + "/demarche/identite").page is identity
    assert guide.locate(ANEF + "/demarche/identite").on_path


def test_follower_remembers_the_last_page_on_the_path() -> None:
    guide = SiteGuide.for_procedure(procedure((r"^https://administration-etrangers-en-france\.",)))
    follower = GuideFollower(guide, ANEF + "/")
    assert follower.return_url == ANEF + "/" and not follower.off_path
    follower.page_loaded(ANEF + "/particuliers/#/demande?etape=3")
    follower.page_loaded("https://www.service-public.fr/particuliers/vosdroits/F2209")
    assert follower.off_path
    assert follower.return_url == ANEF + "/particuliers/#/demande?etape=3"
    follower.page_loaded(ANEF + "/particuliers/")
    assert not follower.off_path and follower.return_url == ANEF + "/particuliers/"


def test_practice_guide_is_the_site_maps_on_the_practice_names() -> None:
    site = LocalReplica().start()
    try:
        renewal = PACK.procedures["renewal"]
        guide = practice_guide(site, renewal, PACK.site)
        assert guide.practice
        shop = f"http://{practice_name(STAMPS)}:{site.port}"
        position = guide.locate(shop + "/achat/choix", "Choix du timbre")
        assert position.on_path and position.page is not None and position.page.step_id == "stamp_shop"
        assert "Débuter l'achat" in dict(position.page.glossary)
        assert guide.locate(f"http://{practice_name(PORTAL)}:{site.port}/usagers/#/",
                            "Étrangers en France").page.step_id == "home"
        assert not guide.locate(f"https://{STAMPS}/achat/choix").on_path           # the real name
        assert not guide.locate(f"http://127.0.0.1:{site.port}/").on_path         # no loopback address
        assert not guide.locate(shop.replace(".", "x") + "/").on_path           # dots are escaped

        bare = practice_guide(site, renewal, None)               # a pack without a site map
        anywhere = bare.locate(shop + "/introuvable")
        assert bare.practice and anywhere.on_path                # the procedure's own page (the fallback)
        assert anywhere.page is not None and anywhere.page.title == renewal.title
        assert not bare.locate(f"http://127.0.0.1:{site.port}/").on_path
    finally:
        site.stop()


def test_accept_lists() -> None:
    accept = [".pdf", ".jpg", "application/pdf", "image/jpeg"]
    assert accepts("/s/passeport.pdf", accept) and accepts("/s/photo.JPEG", accept)
    assert not accepts("/s/scan.png", accept)
    assert accepts("/s/scan.png", ["image/*"]) and accepts("/s/x.odt", [])
    assert accepts("/s/x.odt", ["application/vnd.oasis.opendocument.text"])   # unknown: the site checks
