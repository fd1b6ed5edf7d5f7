"""Whole visits of the naturalisation and duplicate-card guides, and every guide's site pages, on the replica
under the official host names (resolved to loopback, a test-only certificate authority; conftest.py),
through the kiosk's browser step with its default configuration: the default allow-list, no test host
added, the site opened where the kiosk opens it (the procedure's official_url, kiosk/app.py site_start)
and the guide the kiosk builds from the pack's site map (SiteGuide.for_procedure).

The visits: the guide recognises each page of the site map on the way (route and heading) and shows its
title and French labels; on the journey's pages the map does not know for the procedure, the guide keeps
the procedure's title, its glossary and its way back, never "you left". Then the stamp for the procedure.

Every guide's site steps: each page of site.toml is shown once by the replica (logged in where needed) and
the (address, heading) the browser reported is located by the guide of every procedure the page belongs to,
then drawn by the guide panel. A site.toml page the replica cannot show, or whose heading the replica's
page does not carry, fails; the two the sources do not let the replica show are expected failures
(CANNOT_SHOW, strict).
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import Callable
from pathlib import Path

import pytest
from browser_helpers import js
from pytestqt.exceptions import TimeoutError as WaitTimeout
from step_helpers import pdftotext, texts
from test_real_hosts import PASSWORD, ask, fill, heading, new_number, press, step_id, text_of, wait_page

from kiosk.browser.policy import SiteGuide
from kiosk.browser.replica import BANNER, PracticeSite
from kiosk.browser.replica.hosts import PORTAL, SSO, STAMPS
from kiosk.browser.replica.official import Account, Application, Upload
from kiosk.content.model import Pack, Procedure, SitePage
from kiosk.content.pack import load_pack
from kiosk.i18n import Translator, isolate
from kiosk.paths import DEFAULT_PACK

pytestmark = pytest.mark.real_stack

PACK = load_pack(DEFAULT_PACK)
assert PACK.site is not None
SITE_MAP = PACK.site
NOT_FOUND = {"", "Page introuvable", "Page non trouvée", "Chargement…"}

# Site-map pages the replica cannot show as the map describes them, and why (strict: fixing one fails).
CANNOT_SHOW = {
    "work_authorisation_employer": "no page of /immiprousager/ was ever captured (site-journey §15): the "
                                   "replica answers 'Page introuvable' there",
}


@pytest.fixture(scope="module")
def pack() -> Pack:
    return PACK


# --- helpers ----------------------------------------------------------------------------------------------

def open_site(step, procedure: Procedure, session_dir: Path) -> None:
    """What the kiosk does for the procedure's site step on a terminal with the default settings
    (kiosk/app.py site_start: the official_url, no guide given: the site map's)."""
    step.start_visit(procedure, session_dir, procedure.official_url)


def term(label: str) -> str:
    """A French label as the guide panel's glossary writes it."""
    return f"« {isolate(label)} »"


def page(page_id: str) -> SitePage:
    return next(p for p in SITE_MAP.pages if p.id == page_id)


def guide_shows(qtbot, step, tr: Translator, page_id: str) -> str:
    """The guide panel shows the site map's page `page_id`: its title, its text and each French label of
    its glossary; returns the panel's text."""
    wanted = page(page_id)
    panel = step.guide
    assert panel.title.text() == tr.content(wanted.title)
    assert panel.text.text() == tr.content(wanted.text)
    assert not panel.off_card.isVisibleTo(step)
    labels = [term(label) for label, _ in wanted.glossary]
    qtbot.waitUntil(lambda: all(any(label in t for t in texts(panel.glossary_card)) for label in labels),
                    timeout=3000)
    assert panel.glossary_card.isVisibleTo(step) == bool(labels)
    return "\n".join(texts(panel))


def page_has_labels(qtbot, step, page_id: str) -> None:
    """The replica's page carries the site map's French labels of `page_id` (case ignored, as shown)."""
    body = str(ask(qtbot, step, "document.body.innerText") or "").casefold()
    missing = [label for label, _ in page(page_id).glossary if label.casefold() not in body]
    assert missing == [], f"{page_id}: the page lacks {missing}"


def keeps_the_procedure(qtbot, step, tr: Translator, procedure: Procedure, terms: tuple[str, ...]) -> None:
    """On a journey page the site map does not know for `procedure`: its title and its glossary (the
    terms given among them), no "you left", and the way back leads here."""
    panel = step.guide
    position = panel.position
    assert position is not None and position.on_path and position.page is not None
    assert position.page.step_id == ""
    assert panel.title.text() == tr.content(procedure.title)
    assert not panel.off_card.isVisibleTo(step)
    qtbot.waitUntil(lambda: all(any(term(t) in x for x in texts(panel.glossary_card)) for t in terms),
                    timeout=3000)
    assert step.follower.return_url == step.browser.url()


def sign_in_on_sso(qtbot, step, tr: Translator, login: str) -> None:
    """From the portal's login landing: the sign-on host's form, recognised, then the personal space."""
    press(qtbot, step, "#btn-se-connecter")
    wait_page(qtbot, step, "Vous avez déjà un compte", "sso_login", SSO)
    guide_shows(qtbot, step, tr, "sso_login")
    page_has_labels(qtbot, step, "sso_login")
    fill(qtbot, step, {"login": login, "password": PASSWORD})
    press(qtbot, step, "#kc-login")
    wait_page(qtbot, step, "Mon compte", "dashboard")
    guide_shows(qtbot, step, tr, "dashboard")
    page_has_labels(qtbot, step, "dashboard")


def buy_stamp(qtbot, step, tr: Translator, email: str, stamp: str) -> Path:
    """The stamp shop from the portal's Démarches menu, the stamp `stamp` bought; returns its PDF."""
    press(qtbot, step, "#menu-demarches a[href^='https://timbres']")
    wait_page(qtbot, step, "Acheter un timbre électronique", "stamp_shop", STAMPS)
    guide_shows(qtbot, step, tr, "stamp_shop")
    press(qtbot, step, "#debuter-achat")
    wait_page(qtbot, step, "Choix du timbre", "stamp_shop", STAMPS)
    choice = js(qtbot, step.browser, "[...document.querySelectorAll('input[name=timbre]')]"
                                     f".find(i => i.value === {json.dumps(stamp)}).id")
    fill(qtbot, step, {choice: True})
    press(qtbot, step, "#ajouter-panier")
    qtbot.waitUntil(lambda: text_of(qtbot, step, "#ajoute") == "Le timbre a été ajouté au panier.",
                    timeout=10000)
    press(qtbot, step, "#voir-panier")
    wait_page(qtbot, step, "Validation du panier", "stamp_shop", STAMPS)
    fill(qtbot, step, {"reception-courriel": True, "contact": email})
    press(qtbot, step, "#valider-panier")
    wait_page(qtbot, step, "Paiement", "stamp_shop", STAMPS)
    press(qtbot, step, "#carte-visa")
    wait_page(qtbot, step, "Votre achat est terminé", "stamp_shop", STAMPS)
    with qtbot.waitSignal(step.browser.download_finished, timeout=10000) as blocker:
        press(qtbot, step, "#telecharger-documents")
    return Path(blocker.args[0])


def account(site: PracticeSite, prefix: str, days_left: int = 400) -> tuple[Account, str]:
    number = new_number()
    email = f"{prefix}.{number}@example.org"
    return site.official.add_account(number, email, PASSWORD, dt.date.today() + dt.timedelta(days=days_left),
                                     given_name="Samira", family_name="Benali"), email


# --- the visits ---------------------------------------------------------------------------------------------

def test_a_naturalisation_visit_on_the_official_names(qtbot, make_official_step, pack, official_site,
                                                      session_dir, translators) -> None:
    procedure = pack.procedures["naturalisation"]
    tr = translators.get("fr")
    mapped = {p.id for p in SITE_MAP.pages_for("naturalisation")}
    assert {"home", "login_landing", "sso_login", "dashboard", "notifications", "naturalisation_tab",
            "stamp_shop"} <= mapped and "request_situation" not in mapped
    person, email = account(official_site, "nat")
    step = make_official_step()

    open_site(step, procedure, session_dir)
    wait_page(qtbot, step, "Étrangers en France", "home")
    assert step.browser.url() == f"https://{PORTAL}/usagers/"       # the official_url, redirected
    assert not step.guide.practice_badge.isVisibleTo(step)
    guide_shows(qtbot, step, tr, "home")
    page_has_labels(qtbot, step, "home")
    press(qtbot, step, "#connexion_link")                             # SE CONNECTER
    wait_page(qtbot, step, "Connexion", "login_landing")
    guide_shows(qtbot, step, tr, "login_landing")
    sign_in_on_sso(qtbot, step, tr, person.number)

    # The nationality tab of the personal space: a tab of #/espace-personnel/mon-compte (the sources). The
    # guide reads the selected tab with the heading and moves to the site map's naturalisation_tab.
    assert step_id(step) == "dashboard"
    press(qtbot, step, "#onglet-nationalite")
    qtbot.waitUntil(lambda: ask(qtbot, step, "document.getElementById('panneau-nationalite').hidden")
                    is False)
    assert text_of(qtbot, step, "#onglet-nationalite") == "Demande d'accès à la Nationalité Française"
    qtbot.waitUntil(lambda: step_id(step) == "naturalisation_tab", timeout=5000)
    guide_shows(qtbot, step, tr, "naturalisation_tab")

    press(qtbot, step, "#navBar-new")                                 # Mes Notifications
    wait_page(qtbot, step, "Mes Notifications", "notifications")
    guide_shows(qtbot, step, tr, "notifications")

    # A portal page the naturalisation map does not know (the residence-permit tile, a wrong turn): the
    # procedure's title, glossary and way back, not "you left".
    press(qtbot, step, "#mon-compte_link")
    wait_page(qtbot, step, "Mon compte", "dashboard")
    press(qtbot, step, "#tuile-titre-sejour")
    wait_page(qtbot, step, "Votre situation actuelle", "")
    assert "null" not in text_of(qtbot, step, "main").splitlines()     # the app draws no empty part
    keeps_the_procedure(qtbot, step, tr, procedure,
                        ("naturalisation", "plateforme de naturalisation", "espace personnel",
                         "SE CONNECTER"))
    press(qtbot, step, "footer a[href='#/contact']")                  # a footer page the replica lacks
    wait_page(qtbot, step, "Page introuvable", "")
    keeps_the_procedure(qtbot, step, tr, procedure, ("niveau B2", "timbre fiscal électronique"))

    stamp = buy_stamp(qtbot, step, tr, email, "Naturalisation, réintégration dans la nationalité française")
    assert stamp.parent == session_dir
    text = pdftotext(stamp)
    assert "Timbre fiscal électronique" in text and "Naturalisation" in text and BANNER in text
    assert step.failures == [] and step.refusals == [] and step.browser.blocked_requests.total == 0


def test_a_duplicate_card_visit_on_the_official_names(qtbot, make_official_step, pack, official_site,
                                                      session_dir, translators) -> None:
    procedure = pack.procedures["duplicate_card"]
    tr = translators.get("fr")
    mapped = {p.id for p in SITE_MAP.pages_for("duplicate_card")}
    assert {"home", "sso_login", "sso_password", "dashboard", "change_choice", "stamp_shop"} <= mapped
    person, email = account(official_site, "dup", days_left=70)
    step = make_official_step()

    open_site(step, procedure, session_dir)
    wait_page(qtbot, step, "Étrangers en France", "home")
    guide_shows(qtbot, step, tr, "home")
    press(qtbot, step, "#connexion_link")
    wait_page(qtbot, step, "Connexion", "login_landing")
    press(qtbot, step, "#btn-se-connecter")
    wait_page(qtbot, step, "Vous avez déjà un compte", "sso_login", SSO)
    press(qtbot, step, "#mot-de-passe-oublie")                       # the visitor is not sure of it
    wait_page(qtbot, step, "Mot de passe oublié ?", "sso_password", SSO)
    guide_shows(qtbot, step, tr, "sso_password")
    js(qtbot, step.browser, "history.back(); 1")
    wait_page(qtbot, step, "Vous avez déjà un compte", "sso_login", SSO)
    fill(qtbot, step, {"login": person.number, "password": PASSWORD})
    press(qtbot, step, "#kc-login")
    wait_page(qtbot, step, "Mon compte", "dashboard")
    guide_shows(qtbot, step, tr, "dashboard")

    press(qtbot, step, "#tuile-changement-situation")               # Je déclare un changement de situation
    wait_page(qtbot, step, "Déclarer un changement de situation", "change_choice")
    guide_shows(qtbot, step, tr, "change_choice")
    # What follows (the loss/theft/damage triage, Motif, Justificatifs…) is not in the site map and not in
    # the replica (its labels are [inferred], site-journey §13). The duplicate can chain into a renewal
    # (§13 row 6): the renewal's pages are not the duplicate's, the guide keeps the procedure.
    press(qtbot, step, "main a[href='#/espace-personnel/mon-compte']")
    wait_page(qtbot, step, "Mon compte", "dashboard")
    press(qtbot, step, "#tuile-titre-sejour")
    wait_page(qtbot, step, "Votre situation actuelle", "")
    keeps_the_procedure(qtbot, step, tr, procedure,
                        ("numéro étranger", "Première visite ? Créer votre compte", "attestation de dépôt",
                         "Je déclare un changement de situation"))
    return_url = step.follower.return_url

    stamp = buy_stamp(qtbot, step, tr, email, "Titre de séjour : duplicata (perte, vol, détérioration)")
    assert stamp.parent == session_dir and "duplicata" in pdftotext(stamp)
    assert step.follower.return_url != return_url                    # the stamp shop is on the way too
    assert step.failures == [] and step.refusals == [] and step.browser.blocked_requests.total == 0


# --- every guide's site pages -------------------------------------------------------------------------------

_SHOWN: dict[str, tuple[str, str] | str] = {}      # page id -> (address, heading) reported, or why not shown


def _reach(qtbot, step, wanted: str, host: str = PORTAL, timeout: int = 15000) -> tuple[str, str]:
    """Wait for the page with heading `wanted` on `host`, then for the browser to have reported it (the
    address and heading the kiosk's guide was given); returns them."""
    def there() -> bool:
        return heading(qtbot, step) == wanted and f"://{host}/" in step.browser.url()
    try:
        qtbot.waitUntil(there, timeout=timeout)
        qtbot.waitUntil(lambda: bool(step.reported) and step.reported[-1] == (step.browser.url(), wanted),
                        timeout=5000)
    except WaitTimeout:
        raise AssertionError(f"wanted {wanted!r} on {host}; got {heading(qtbot, step)!r} at "
                             f"{step.browser.url()}") from None
    return step.reported[-1]


def _go(qtbot, step, route: str, wanted: str) -> tuple[str, str]:
    """The portal's hash route `route`: the app's own routing when it is on screen, else a load."""
    if step.browser.url().startswith(f"https://{PORTAL}/usagers/"):
        js(qtbot, step.browser, f"location.hash = {json.dumps(route)}; 1")
    else:
        step.browser.load(f"https://{PORTAL}/usagers/{route}")
    return _reach(qtbot, step, wanted)


def _wizard_at(qtbot, step, person: Account, site: PracticeSite, at: str, wanted: str) -> tuple[str, str]:
    """The request wizard drawn at step `at` (the request's state set on the replica's side: the pages
    before it are walked by test_real_hosts.py)."""
    with site.official.store.lock:
        app = person.application = Application(step=at)
        app.values.update({"nom": "Benali", "prenoms": "Samira", "motif": "Salarié", "ressources": "1400"})
        app.uploads.update({"passeport": Upload("passeport.pdf", 20_000)})
        if at == "confirmation":
            app.reference, app.filed = f"ENT{secrets.randbelow(10 ** 9):09d}", dt.datetime.now()
    _go(qtbot, step, "#/espace-personnel/mes-notifications", "Mes Notifications")
    return _go(qtbot, step, "#/sejour/demande-titre-sejour", wanted)


def _walk(qtbot, step, site: PracticeSite, session_dir: Path) -> dict[str, Callable[[], tuple[str, str]]]:
    """How the replica shows each page of the site map, in the order of the walk."""
    person, _email = account(site, "carte", days_left=70)
    number = new_number()

    def signup_email() -> tuple[str, str]:
        _go(qtbot, step, "#/espace-personnel/creation-compte", "Création de compte")
        press(qtbot, step, "#profil-etranger")
        qtbot.waitUntil(lambda: text_of(qtbot, step, "h2") == "Identification")
        end = dt.date.today() + dt.timedelta(days=200)
        fill(qtbot, step, {"numero": number, "debut_jour": "1", "debut_mois": "3", "debut_annee": "2025",
                           "fin_jour": str(end.day), "fin_mois": str(end.month), "fin_annee": str(end.year)})
        press(qtbot, step, "#btn-creer-compte")
        return _reach(qtbot, step, "Saisissez votre adresse email")

    def signup_password() -> tuple[str, str]:
        email = f"inscription.{number}@example.org"
        fill(qtbot, step, {"email": email, "email_confirmation": email})
        press(qtbot, step, "#btn-valider")
        _reach(qtbot, step, "Un courriel vous a été envoyé")
        press(qtbot, step, "#lien-courriel")
        return _reach(qtbot, step, "Création de votre mot de passe")

    def sso_login() -> tuple[str, str]:
        _go(qtbot, step, "#/espace-personnel/connexion-inscription", "Connexion")
        press(qtbot, step, "#btn-se-connecter")
        return _reach(qtbot, step, "Vous avez déjà un compte", SSO)

    def sso_password() -> tuple[str, str]:
        press(qtbot, step, "#mot-de-passe-oublie")
        return _reach(qtbot, step, "Mot de passe oublié ?", SSO)

    def dashboard() -> tuple[str, str]:
        sso_login()
        fill(qtbot, step, {"login": person.number, "password": PASSWORD})
        press(qtbot, step, "#kc-login")
        return _reach(qtbot, step, "Mon compte")

    def naturalisation_tab() -> tuple[str, str]:
        dashboard()                               # logged in (the site map lists this tab first)
        press(qtbot, step, "#onglet-nationalite")
        wanted = (step.browser.url(), "Mon compte\nDemande d'accès à la Nationalité Française")
        qtbot.waitUntil(lambda: bool(step.reported) and step.reported[-1] == wanted, timeout=5000)
        return wanted

    def load(url: str, wanted: str, host: str) -> tuple[str, str]:
        step.browser.load(url)
        return _reach(qtbot, step, wanted, host)

    return {
        "home": lambda: load(PACK.procedures["renewal"].official_url, "Étrangers en France", PORTAL),
        "login_landing": lambda: _go(qtbot, step, "#/espace-personnel/connexion-inscription", "Connexion"),
        "signup_email": signup_email,
        "signup_password": signup_password,
        "sso_login": sso_login,
        "sso_password": sso_password,
        "dashboard": dashboard,
        "notifications": lambda: _go(qtbot, step, "#/espace-personnel/mes-notifications",
                                     "Mes Notifications"),
        "naturalisation_tab": naturalisation_tab,
        "change_choice": lambda: _go(qtbot, step, "#/sejour/changement-situation",
                                     "Déclarer un changement de situation"),
        "travel_document": lambda: _go(qtbot, step, "#/sejour/document-voyage",
                                       "Demander un document de voyage"),
        "request_situation": lambda: _go(qtbot, step, "#/sejour/demande-titre-sejour",
                                         "Votre situation actuelle"),
        "request_personal": lambda: _wizard_at(qtbot, step, person, site, "personnel",
                                               "Informations personnelles"),
        "request_documents": lambda: _wizard_at(qtbot, step, person, site, "justificatifs", "Justificatifs"),
        "request_summary": lambda: _wizard_at(qtbot, step, person, site, "recapitulatif", "Récapitulatif"),
        "request_confirmation": lambda: _wizard_at(qtbot, step, person, site, "confirmation", "Confirmation"),
        "work_authorisation_employer": lambda: load(f"https://{PORTAL}/immiprousager/", "Page introuvable",
                                                    PORTAL),
        "stamp_shop": lambda: load(f"https://{STAMPS}/", "Acheter un timbre électronique", STAMPS),
    }


@pytest.fixture
def shown(qtbot, make_official_step, pack, official_site, session_dir) -> dict[str, tuple[str, str] | str]:
    """Each site-map page as the replica showed it: the (address, heading) the browser reported, or why it
    could not be reached. Walked once per run, with the kiosk's browser step (guide: the renewal's)."""
    if not _SHOWN:
        step = make_official_step()
        step.start_visit(pack.procedures["renewal"], session_dir, pack.procedures["renewal"].official_url)
        recipes = _walk(qtbot, step, official_site, session_dir)
        for site_page in SITE_MAP.pages:
            recipe = recipes.get(site_page.id)
            if recipe is None:
                _SHOWN[site_page.id] = "the replica has no way to show this page (no recipe in this test)"
                continue
            try:
                _SHOWN[site_page.id] = recipe()
            except AssertionError as error:
                _SHOWN[site_page.id] = f"the replica did not show it: {error}"
        missing = f"https://{PORTAL}/immiprousager/"                 # its 404: the kiosk's problem page
        assert [url for url, _error in step.failures] in ([], [missing])
        assert step.refusals == [] and step.browser.blocked_requests.total == 0
    return _SHOWN


def _guide_pages() -> list[object]:
    params = []
    for procedure_id in sorted(PACK.procedures):
        for site_page in SITE_MAP.pages_for(procedure_id):
            marks = ([pytest.mark.xfail(strict=True, reason=CANNOT_SHOW[site_page.id])]
                     if site_page.id in CANNOT_SHOW else [])
            params.append(pytest.param(procedure_id, site_page.id, marks=marks,
                                       id=f"{procedure_id}-{site_page.id}"))
    return params


def test_every_guide_with_site_pages_is_listed() -> None:
    guides = {procedure_id for procedure_id in PACK.procedures if SITE_MAP.pages_for(procedure_id)}
    assert guides == set(PACK.procedures)            # "*" pages: every guide has its site steps
    assert len(_guide_pages()) == sum(len(SITE_MAP.pages_for(g)) for g in guides)


@pytest.mark.parametrize(("procedure_id", "page_id"), _guide_pages())
def test_each_guide_recognises_its_site_pages_on_the_replica(qapp, qtbot, shown, translators, procedure_id,
                                                             page_id) -> None:
    from kiosk.browser.ui.guide_panel import GuidePanel

    site_page = page(page_id)
    where = shown[page_id]
    assert isinstance(where, tuple), where
    url, title = where
    assert title not in NOT_FOUND, f"the replica shows no page at {url}"
    assert url.startswith(f"https://{site_page.host}/")
    guide = SiteGuide.for_procedure(PACK.procedures[procedure_id], SITE_MAP)     # the kiosk's guide
    position = guide.locate(url, title)
    assert position.page is not None and position.page.step_id == page_id, \
        f"{procedure_id}: {url} «{title}» is {position.page.step_id if position.page else None!r}"
    panel = GuidePanel()
    qtbot.addWidget(panel)
    tr = translators.get("fr")
    panel.retranslate(tr)
    panel.set_position(position)
    assert panel.title.text() == tr.content(site_page.title)
    assert not panel.off_card.isVisibleTo(panel)
    shown_terms = texts(panel.glossary_card)
    assert all(any(term(label) in t for t in shown_terms) for label, _ in site_page.glossary)
