"""The replica under the official host names (resolved to loopback in the tests' Chromium, with a
test-only certificate authority), through the kiosk's browser with its default allow-list and its
production certificate checks: no test host is added to the allow-list.

A renewal visit end to end with the site map's guide: account creation continued from the e-mail's link,
login on the sign-on host, the request wizard with uploads from the kiosk's picker, the confirmation
PDF, the stamp shop; login through FranceConnect and an identity provider's host; the old /particuliers/
prefix; the too-early renewal."""

from __future__ import annotations

import datetime as dt
import json
import secrets
from pathlib import Path

import pytest
from browser_helpers import js
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.exceptions import TimeoutError as WaitTimeout
from step_helpers import pdftotext, texts, touch

from kiosk.browser.policy import DEFAULT_ALLOWED_HOSTS, NavigationPolicy
from kiosk.browser.replica import BANNER, PracticeSite
from kiosk.browser.replica.hosts import FRANCECONNECT, IDENTITY_PROVIDERS, PORTAL, PORTAL_START, SSO, STAMPS
from kiosk.content.model import Pack
from kiosk.content.pack import load_pack
from kiosk.paths import DEFAULT_PACK

pytestmark = pytest.mark.real_stack

HEADING = "(document.querySelector('h1') || {innerText: ''}).innerText.trim()"
PASSWORD = "Mon-Mot-de-passe-2026"
FRANCE_IDENTITE = "idp.france-identite.gouv.fr"


@pytest.fixture(scope="module")
def pack() -> Pack:
    return load_pack(DEFAULT_PACK)


# --- helpers ----------------------------------------------------------------------------------------------

def step_id(step) -> str | None:
    position = step.guide.position
    return position.page.step_id if position is not None and position.page is not None else None


def ask(qtbot, step, script: str) -> object:
    """A script's answer, or None: a script sent while the page goes to another site gets no answer
    (its renderer is replaced), so polling must not wait for it."""
    box: list[object] = []
    step.browser.run_js(script, box.append)
    try:
        qtbot.waitUntil(lambda: bool(box), timeout=1500)
    except WaitTimeout:
        return None
    return box[0]


def heading(qtbot, step) -> str:
    return str(ask(qtbot, step, HEADING) or "")


def wait_page(qtbot, step, expected_heading: str, expected_step: str | None, host: str = PORTAL,
              timeout: int = 15000) -> None:
    """Wait until the page shows `expected_heading` on `host` and the guide is on `expected_step` (a site
    map page id; "" for the procedure's own guide page on the journey's hosts; None when off the map)."""
    def ready() -> bool:
        return (heading(qtbot, step) == expected_heading and f"://{host}/" in step.browser.url()
                and step_id(step) == expected_step)
    try:
        qtbot.waitUntil(ready, timeout=timeout)
    except WaitTimeout:
        raise AssertionError(f"wanted {expected_heading!r} ({expected_step}) on {host}; got "
                             f"{heading(qtbot, step)!r} ({step_id(step)}) at {step.browser.url()}") from None
    assert step.failures == [] and step.refusals == []


def glossary(qtbot, step, label: str) -> str:
    """The guide's glossary once it shows `label` (its entries are laid out a moment after the page)."""
    qtbot.waitUntil(lambda: label in "\n".join(texts(step.guide.glossary_card)), timeout=3000)
    return "\n".join(texts(step.guide.glossary_card))


def press(qtbot, step, selector: str) -> None:
    """What a visitor's touch does to a link or a button (the page's own click handlers run)."""
    js(qtbot, step.browser, f"document.querySelector({json.dumps(selector)}).click(); 1")


def fill(qtbot, step, values: dict[str, object]) -> None:
    js(qtbot, step.browser, "(() => { for (const [k, x] of Object.entries(" + json.dumps(values) + ")) {"
                            " const e = document.getElementById(k);"
                            " if (e.type === 'checkbox' || e.type === 'radio') e.checked = !!x; else "
                            "e.value = x; }"
                            " })(); 1")


def text_of(qtbot, step, selector: str) -> str:
    return str(ask(qtbot, step, f"(document.querySelector({json.dumps(selector)}) || "
                                "{innerText: ''}).innerText.trim()") or "")


def start(qtbot, step, pack: Pack, session_dir: Path, url: str = PORTAL_START) -> None:
    step.start_visit(pack.procedures["renewal"], session_dir, url)     # the guide: the pack's site map


def pick(qtbot, doc_id: str) -> list[str]:
    """Answer the kiosk's picker with the document `doc_id` as soon as Chromium opens it; returns what
    it showed."""
    from kiosk.browser.ui.panels import FilePicker

    seen: list[str] = []

    def poll() -> None:
        picker = next((w for w in QApplication.topLevelWidgets()
                       if isinstance(w, FilePicker) and w.isVisible()), None)
        if picker is None:
            QTimer.singleShot(50, poll)
            return
        seen.extend(texts(picker))
        picker.findChild(QWidget, f"pick_{doc_id}").click()

    QTimer.singleShot(50, poll)
    return seen


def upload(qtbot, step, field: str, doc_id: str) -> tuple[list[str], str]:
    """Touch the page's file input `field`, choose `doc_id` in the kiosk's picker; returns what the
    picker showed and the page's answer (its status line, or its error)."""
    shown = pick(qtbot, doc_id)
    before = text_of(qtbot, step, f"#{field}-etat")
    js(qtbot, step.browser, f"document.getElementById('{field}-erreur')?.remove(); 1")
    touch(qtbot, step, f"#{field}")
    qtbot.waitUntil(lambda: bool(text_of(qtbot, step, f"#{field}-erreur")) or
                    text_of(qtbot, step, f"#{field}-etat") not in (before, "Envoi en cours…"), timeout=10000)
    return shown, text_of(qtbot, step, f"#{field}-erreur") or text_of(qtbot, step, f"#{field}-etat")


def sign_in(qtbot, step, login: str, password: str) -> None:
    """From the portal's login landing: the sign-on host's form, then back to the personal space."""
    press(qtbot, step, "#btn-se-connecter")
    wait_page(qtbot, step, "Vous avez déjà un compte", "sso_login", SSO)
    fill(qtbot, step, {"login": login, "password": password})
    press(qtbot, step, "#kc-login")


def new_number() -> str:
    return f"{secrets.randbelow(9 * 10 ** 9) + 10 ** 9}"


# --- tests ------------------------------------------------------------------------------------------------

def test_the_portal_loads_under_its_real_name_with_a_valid_certificate(qapp, qtbot, official_site) -> None:
    from kiosk.browser.ui import LockedBrowser

    policy = NavigationPolicy()
    assert policy.entries == DEFAULT_ALLOWED_HOSTS
    browser = LockedBrowser(policy)
    browser.setGeometry(0, 0, 1080, 1400)
    browser.show()
    browser.new_visitor(None)
    qtbot.addWidget(browser, before_close_func=lambda b: b.wipe())
    failures: list[tuple[str, str]] = []
    routes: list[tuple[str, str]] = []
    browser.load_failed.connect(lambda url, error: failures.append((url, error)))
    browser.route_changed.connect(lambda url, title: routes.append((url, title)))
    with qtbot.waitSignal(browser.page_loaded, timeout=15000) as blocker:
        assert browser.load(PORTAL_START)
    assert blocker.args[0] == PORTAL_START
    qtbot.waitUntil(lambda: (PORTAL_START, "Étrangers en France") in routes, timeout=5000)
    assert failures == []                                   # the certificate was accepted, not overridden
    assert js(qtbot, browser, "document.getElementById('entrainement').innerText") == BANNER
    assert browser.blocked_requests.total == 0              # the app's own script, style and API calls


def create_account(qtbot, step, site: PracticeSite) -> tuple[str, str]:
    """Account creation: identification, e-mail, then the link of the e-mail (shown as practice) and
    the password page. Returns the login (numéro étranger) and the e-mail address."""
    press(qtbot, step, "#creer-compte")
    wait_page(qtbot, step, "Création de compte", "")                  # on the journey, no page of its own
    assert step.guide.position.on_path and not step.guide.off_card.isVisibleTo(step)
    press(qtbot, step, "#profil-etranger")
    qtbot.waitUntil(lambda: text_of(qtbot, step, "h2") == "Identification")
    number, end = new_number(), dt.date.today() + dt.timedelta(days=70)
    fill(qtbot, step, {"numero": "12345", "debut_jour": "1", "debut_mois": "3", "debut_annee": "2024",
                       "fin_jour": str(end.day), "fin_mois": str(end.month), "fin_annee": str(end.year)})
    press(qtbot, step, "#btn-creer-compte")
    qtbot.waitUntil(lambda: "Certaines informations" in text_of(qtbot, step, "#erreur-identification"))
    fill(qtbot, step, {"numero": number})
    press(qtbot, step, "#btn-creer-compte")
    wait_page(qtbot, step, "Saisissez votre adresse email", "signup_email")
    glossary(qtbot, step, "Confirmation de l'adresse email")
    email = f"visiteur.{number}@example.org"
    fill(qtbot, step, {"email": email, "email_confirmation": email})
    press(qtbot, step, "#btn-valider")
    wait_page(qtbot, step, "Un courriel vous a été envoyé", "")
    mail = site.official.mails(email)[-1]
    assert js(qtbot, step.browser, "document.getElementById('lien-courriel').href") == mail.link
    assert mail.link.startswith(f"https://{PORTAL}/usagers/#/espace-personnel/inscription/mot-de-passe?")
    press(qtbot, step, "#lien-courriel")
    wait_page(qtbot, step, "Création de votre mot de passe", "signup_password")
    fill(qtbot, step, {"mot_de_passe": "trop-court", "confirmation": "trop-court"})
    press(qtbot, step, "#btn_CreerMDP")
    qtbot.waitUntil(lambda: "12 caractères" in text_of(qtbot, step, "#mot_de_passe-erreur"))
    fill(qtbot, step, {"mot_de_passe": PASSWORD, "confirmation": PASSWORD})
    press(qtbot, step, "#btn_CreerMDP")
    wait_page(qtbot, step, "Votre compte est créé", "signup_password")
    assert number in text_of(qtbot, step, "#compte-cree")
    return number, email


def fill_request(qtbot, step) -> None:
    """From the personal space: the situation, then the wizard's first steps (each recognised by its
    heading), up to the documents."""
    press(qtbot, step, "#tuile-titre-sejour")
    wait_page(qtbot, step, "Votre situation actuelle", "request_situation")
    press(qtbot, step, "#btn-je-commence")
    wait_page(qtbot, step, "Informations personnelles", "request_personal")
    assert text_of(qtbot, step, "#etape") == "Etape 1/6"
    press(qtbot, step, "#btn-poursuivre")
    qtbot.waitUntil(lambda: text_of(qtbot, step, "#nom-erreur") ==
                    "Ce champ est obligatoire. Veuillez le renseigner.")
    assert step_id(step) == "request_personal"
    fill(qtbot, step, {"nom": "Benali", "prenoms": "Samira", "date_naissance": "12/04/1990",
                       "pays_naissance": "Maroc", "nationalite": "marocaine", "voie": "1 rue de la Paix",
                       "code_postal": "75002", "commune": "Paris", "telephone": "06 12 34 56 78"})
    press(qtbot, step, "#btn-poursuivre")
    wait_page(qtbot, step, "Motif de la demande", "")
    fill(qtbot, step, {"motif": "Salarié", "sanctions": True})
    press(qtbot, step, "#btn-poursuivre")
    wait_page(qtbot, step, "Ressources", "")
    fill(qtbot, step, {"ressources": "1400"})
    press(qtbot, step, "#btn-poursuivre")
    wait_page(qtbot, step, "Justificatifs", "request_documents")
    assert "2 Mo" in text_of(qtbot, step, "#contraintes")


def upload_documents(qtbot, step) -> None:
    """Uploads from the kiosk's picker; the site refuses a protected PDF."""
    shown, answer = upload(qtbot, step, "passeport", "tax_notice")
    assert "Avis d'impôt sur le revenu" in shown and "Passeport" in shown
    assert "protégé par un mot de passe" in answer
    for field, doc_id, name in (("passeport", "passport", "passeport.pdf"),
                                ("titre_sejour", "residence_permit", "titre-sejour.pdf"),
                                ("justificatif_domicile", "proof_of_address", "justificatif-domicile.pdf")):
        _shown, answer = upload(qtbot, step, field, doc_id)
        assert answer.startswith(f"Fichier déposé : {name}")
    fill(qtbot, step, {"code_ephoto": "AB12CD34EF56GH78IJ90KL"})


def buy_stamp(qtbot, step, email: str) -> Path:
    """The stamp shop, from the portal's menu; returns the stamp's PDF."""
    press(qtbot, step, "#menu-demarches a[href^='https://timbres']")
    wait_page(qtbot, step, "Acheter un timbre électronique", "stamp_shop", STAMPS)
    press(qtbot, step, "#debuter-achat")
    wait_page(qtbot, step, "Choix du timbre", "stamp_shop", STAMPS)
    fill(qtbot, step, {"timbre-0": True})
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


def test_a_renewal_visit_on_the_official_names_with_the_default_allow_list(
        qtbot, make_official_step, pack, official_site: PracticeSite, session_dir, translators) -> None:
    files = {}
    for doc_id, name in (("passport", "passeport.pdf"), ("residence_permit", "titre-sejour.pdf"),
                         ("proof_of_address", "justificatif-domicile.pdf"), ("tax_notice", "avis-impot.pdf")):
        files[doc_id] = session_dir / name
        files[doc_id].write_bytes(b"%PDF-1.4\n" + secrets.token_bytes(20_000) + b"\n%%EOF\n")
    files["tax_notice"].write_bytes(b"%PDF-1.4\ntrailer << /Encrypt 5 0 R >>\n%%EOF\n")   # a protected PDF
    step = make_official_step(files)
    filed: list[bool] = []
    step.filed.connect(lambda: filed.append(True))

    start(qtbot, step, pack, session_dir)
    wait_page(qtbot, step, "Étrangers en France", "home")
    home = next(page for page in pack.site.pages if page.id == "home")
    assert step.guide.title.text() == translators.get("fr").content(home.title)
    assert not step.guide.practice_badge.isVisibleTo(step)           # the real names: the site map's guide
    press(qtbot, step, "#connexion_link")                             # SE CONNECTER
    wait_page(qtbot, step, "Connexion", "login_landing")
    number, email = create_account(qtbot, step, official_site)

    # Login on the sign-on host (a wrong password first), back to the portal's personal space
    press(qtbot, step, "#btn-se-connecter")
    wait_page(qtbot, step, "Vous avez déjà un compte", "sso_login", SSO)
    assert "Identifiant" in glossary(qtbot, step, "S'identifier avec FranceConnect")
    fill(qtbot, step, {"login": number, "password": "pas-le-bon"})
    press(qtbot, step, "#kc-login")
    qtbot.waitUntil(lambda: "invalide" in text_of(qtbot, step, "#erreur-connexion"), timeout=10000)
    assert step_id(step) == "sso_login" and "/login-actions/authenticate" in step.browser.url()
    fill(qtbot, step, {"login": number, "password": PASSWORD})
    press(qtbot, step, "#kc-login")
    wait_page(qtbot, step, "Mon compte", "dashboard")

    fill_request(qtbot, step)
    upload_documents(qtbot, step)
    press(qtbot, step, "#btn-poursuivre")
    wait_page(qtbot, step, "Récapitulatif", "request_summary")
    summary = text_of(qtbot, step, "#recapitulatif")
    assert "passeport.pdf" in summary and "Benali" in summary and "Salarié" in summary
    assert filed == []
    press(qtbot, step, "#btn-deposer")
    wait_page(qtbot, step, "Confirmation", "request_confirmation")
    qtbot.waitUntil(lambda: filed == [True])           # the site's own confirmation, counted once
    reference = text_of(qtbot, step, "#numero-demande")
    assert official_site.official.application(number).reference == reference

    with qtbot.waitSignal(step.browser.download_finished, timeout=10000) as blocker:
        press(qtbot, step, "#telecharger-confirmation")
    confirmation = Path(blocker.args[0])
    assert confirmation.parent == session_dir
    assert confirmation.name == f"CONFIRMATION_DEMANDE_TITRE_SEJOUR_{reference}_{dt.date.today():%Y%m%d}.pdf"
    assert step.guide.downloads == [confirmation]
    text = pdftotext(confirmation)
    assert "Confirmation de dépôt de demande" in text and reference in text and BANNER in text

    stamp = buy_stamp(qtbot, step, email)
    assert stamp.parent == session_dir and "Timbre fiscal électronique" in pdftotext(stamp)
    assert step.failures == [] and step.refusals == [] and step.browser.blocked_requests.total == 0


def test_login_through_franceconnect_and_an_identity_provider(qtbot, make_official_step, pack, official_site,
                                                             session_dir) -> None:
    number = new_number()
    official_site.official.add_account(number, f"fc.{number}@example.org", PASSWORD,
                                       dt.date.today() + dt.timedelta(days=90))
    identifier = f"camille.{number}@example.org"
    step = make_official_step()
    start(qtbot, step, pack, session_dir, f"https://{PORTAL}/usagers/#/espace-personnel/connexion-inscription")
    wait_page(qtbot, step, "Connexion", "login_landing")

    for first in (True, False):
        press(qtbot, step, "#btn-se-connecter")
        wait_page(qtbot, step, "Vous avez déjà un compte", "sso_login", SSO)
        press(qtbot, step, "#franceconnect")                            # S'identifier avec FranceConnect
        qtbot.waitUntil(lambda: heading(qtbot, step).startswith("Je choisis un compte") and
                        f"://{FRANCECONNECT}/api/v2/authorize?" in step.browser.url(), timeout=15000)
        providers = js(qtbot, step.browser, "JSON.stringify([...document.querySelectorAll('#fournisseurs "
                                            "button')]"
                                            ".map(b => b.innerText))")
        assert json.loads(providers) == [name for _id, name in IDENTITY_PROVIDERS.values()]
        press(qtbot, step, "#fi-france-identite")
        qtbot.waitUntil(lambda: heading(qtbot, step) == "Se connecter avec France Identité" and
                        f"://{FRANCE_IDENTITE}/authorize?" in step.browser.url(), timeout=15000)
        fill(qtbot, step, {"identifiant": identifier, "mot_de_passe": "un mot de passe"})
        press(qtbot, step, "#connexion")
        qtbot.waitUntil(lambda: heading(qtbot, step) == "Vous êtes connecté(e) avec France Identité"
                        and f"://{FRANCECONNECT}/" in step.browser.url(), timeout=15000)
        assert identifier in text_of(qtbot, step, "#donnees")
        press(qtbot, step, "#continuer")
        if first:            # the first time, the identity is tied to the account once
            qtbot.waitUntil(lambda: heading(qtbot, step) == "Associer votre compte"
                            and f"://{SSO}/" in step.browser.url(), timeout=15000)
            fill(qtbot, step, {"login": number, "password": PASSWORD})
            press(qtbot, step, "#kc-link")
        wait_page(qtbot, step, "Mon compte", "dashboard")
        assert "Camille Martin" in text_of(qtbot, step, "main")
        assert step.failures == [] and step.refusals == [] and step.browser.blocked_requests.total == 0
        press(qtbot, step, "#deconnexion_link")
        wait_page(qtbot, step, "Étrangers en France", "home")
        press(qtbot, step, "#connexion_link")
        wait_page(qtbot, step, "Connexion", "login_landing")


def test_the_old_prefix_redirects_and_a_too_early_renewal_is_refused(qtbot, make_official_step, pack,
                                                                     official_site, session_dir) -> None:
    number = new_number()
    official_site.official.add_account(number, f"tot.{number}@example.org", PASSWORD,
                                       dt.date.today() + dt.timedelta(days=400))
    step = make_official_step()
    start(qtbot, step, pack, session_dir, f"https://{PORTAL}/particuliers/#/espace-personnel/mon-compte")
    wait_page(qtbot, step, "Connexion", "login_landing")         # redirected to /usagers/, then to the login
    assert step.browser.url() == f"https://{PORTAL}/usagers/#/espace-personnel/connexion-inscription"
    sign_in(qtbot, step, f"tot.{number}@example.org", PASSWORD)   # the e-mail address is a login too
    wait_page(qtbot, step, "Mon compte", "dashboard")
    press(qtbot, step, "#tuile-titre-sejour")
    wait_page(qtbot, step, "Votre situation actuelle", "request_situation")
    too_early = "Il est trop tôt pour demander le renouvellement de votre titre"
    assert text_of(qtbot, step, "#trop-tot") == too_early
    assert js(qtbot, step.browser, "document.getElementById('btn-je-commence').disabled") is True
    glossary(qtbot, step, too_early)
