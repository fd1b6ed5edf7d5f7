"""A whole renewal request on the practice replica (the official sites' replica under practice names on
loopback, as practice mode serves it) through the locked browser alone, with the guide practice mode gives
(the site map's) recognising each page: sign-on, the request wizard, uploads from the file provider, the
filing and its confirmation PDF. (Account creation and the stamp shop on the way: test_real_hosts.py.)"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
from pathlib import Path

import pytest
from browser_helpers import click, js, js_json, load
from step_helpers import pdftotext

from kiosk.browser.replica import BANNER
from kiosk.browser.replica.hosts import PORTAL, SSO
from kiosk.browser.replica.practice import LocalReplica, practice_guide, practice_name
from kiosk.content.pack import load_pack
from kiosk.paths import DEFAULT_PACK

pytestmark = pytest.mark.real_stack

PACK = load_pack(DEFAULT_PACK)
PASSWORD = "Mon-Mot-de-passe-2026"
HEADING = "(document.querySelector('h1') || {innerText: ''}).innerText.trim()"
PERSONAL = {"nom": "Benali", "prenoms": "Samira", "date_naissance": "12/04/1990",
            "pays_naissance": "Maroc", "nationalite": "marocaine", "voie": "1 rue de la Paix",
            "code_postal": "75002", "commune": "Paris", "telephone": "06 12 34 56 78"}


def fill(qtbot, browser, values: dict[str, object]) -> None:
    js(qtbot, browser, "(() => { for (const [k, x] of Object.entries(" + json.dumps(values) + ")) {"
                       " const e = document.getElementById(k);"
                       " if (e.type === 'checkbox' || e.type === 'radio') e.checked = !!x;"
                       " else e.value = x; }"
                       " })(); 1")


def press(qtbot, browser, selector: str) -> None:
    js(qtbot, browser, f"document.querySelector({json.dumps(selector)}).click(); 1")


def wait_heading(qtbot, browser, wanted: str, host: str = PORTAL) -> None:
    name = practice_name(host)

    def there() -> bool:
        box: list[object] = []
        browser.run_js(HEADING, box.append)
        qtbot.waitUntil(lambda: bool(box), timeout=3000)
        return box[0] == wanted and f"://{name}:" in browser.url()
    qtbot.waitUntil(there, timeout=15000)


def new_account(site: LocalReplica) -> str:
    number = f"{secrets.randbelow(9 * 10 ** 9) + 10 ** 9}"
    site.official.add_account(number, f"procedure.{number}@example.org", PASSWORD,
                              dt.date.today() + dt.timedelta(days=70), given_name="Samira",
                              family_name="Benali")
    return number


def test_whole_practice_procedure(qtbot, make_browser, practice_site: LocalReplica,  # noqa: PLR0915 - one walk
                                  session_dir: Path, tmp_path: Path) -> None:
    files = {name: session_dir / f"{name}.pdf"
             for name in ("passeport", "titre-sejour", "justificatif-domicile")}
    for path in files.values():
        path.write_bytes(b"%PDF-1.4\n" + os.urandom(40_000) + b"\n%%EOF\n")
    asked: list[list[str]] = []
    offers = [[str(files["passeport"])], [str(files["titre-sejour"])], [str(files["justificatif-domicile"])]]

    def picker(accept: list[str]) -> list[str]:
        asked.append(accept)
        return offers[len(asked) - 1]

    procedure = PACK.procedures["renewal"]
    guide = practice_guide(practice_site, procedure, PACK.site)
    browser = make_browser(session_dir)
    browser.set_file_provider(picker)
    steps: list[str] = []

    def seen(url: str, heading: str) -> None:
        position = guide.locate(url, heading)
        assert position.on_path, url
        page = position.page.step_id if position.page is not None else "?"
        if page and (not steps or steps[-1] != page):
            steps.append(page)
    browser.page_loaded.connect(seen)
    browser.route_changed.connect(seen)

    number = new_account(practice_site)
    load(qtbot, browser, practice_site.start_url)
    wait_heading(qtbot, browser, "Étrangers en France")
    assert js(qtbot, browser, "document.getElementById('entrainement').innerText") == BANNER
    press(qtbot, browser, "#connexion_link")
    wait_heading(qtbot, browser, "Connexion")
    press(qtbot, browser, "#btn-se-connecter")
    wait_heading(qtbot, browser, "Vous avez déjà un compte", SSO)             # the sign-on host's own name
    fill(qtbot, browser, {"login": number, "password": PASSWORD})
    press(qtbot, browser, "#kc-login")
    wait_heading(qtbot, browser, "Mon compte")
    press(qtbot, browser, "#tuile-titre-sejour")
    wait_heading(qtbot, browser, "Votre situation actuelle")
    press(qtbot, browser, "#btn-je-commence")
    wait_heading(qtbot, browser, "Informations personnelles")
    fill(qtbot, browser, PERSONAL)
    press(qtbot, browser, "#btn-poursuivre")
    wait_heading(qtbot, browser, "Motif de la demande")
    fill(qtbot, browser, {"motif": "Salarié", "sanctions": True})
    press(qtbot, browser, "#btn-poursuivre")
    wait_heading(qtbot, browser, "Ressources")
    fill(qtbot, browser, {"ressources": "1400"})
    press(qtbot, browser, "#btn-poursuivre")
    wait_heading(qtbot, browser, "Justificatifs")

    states = "['passeport', 'titre_sejour', 'justificatif_domicile'].map(f => " \
             "(document.getElementById(f + '-etat') || {innerText: ''}).innerText.trim())"
    for field in ("passeport", "titre_sejour", "justificatif_domicile"):
        click(qtbot, browser, f"#{field}")              # a visitor's touch opens the chooser
        qtbot.waitUntil(lambda f=field: js(qtbot, browser, f"(document.getElementById('{f}-etat') || "
                                                           "{innerText: ''}).innerText").startswith(
                                                               "Fichier déposé"), timeout=10000)
    assert [s.split(" (")[0] for s in js_json(qtbot, browser, states)] == [
        "Fichier déposé : passeport.pdf", "Fichier déposé : titre-sejour.pdf",
        "Fichier déposé : justificatif-domicile.pdf"]
    assert ".pdf" in asked[0] or "application/pdf" in asked[0]
    fill(qtbot, browser, {"code_ephoto": "AB12CD34EF56GH78IJ90KL"})
    press(qtbot, browser, "#btn-poursuivre")
    wait_heading(qtbot, browser, "Récapitulatif")
    assert "passeport.pdf" in js(qtbot, browser, "document.getElementById('recapitulatif').innerText")
    press(qtbot, browser, "#btn-deposer")
    wait_heading(qtbot, browser, "Confirmation")
    reference = js(qtbot, browser, "document.getElementById('numero-demande').innerText.trim()")
    assert practice_site.official.application(number).reference == reference
    assert steps == ["home", "login_landing", "sso_login", "dashboard", "request_situation",
                     "request_personal", "request_documents", "request_summary",
                     "request_confirmation"], steps

    with qtbot.waitSignal(browser.print_requested, timeout=5000):
        browser.run_js("window.print()")
    here = browser.url()
    with qtbot.waitSignal(browser.download_finished, timeout=10000) as blocker:
        press(qtbot, browser, "#telecharger-confirmation")
    pdf = Path(blocker.args[0])
    assert pdf.parent == session_dir
    assert pdf.name == f"CONFIRMATION_DEMANDE_TITRE_SEJOUR_{reference}_{dt.date.today():%Y%m%d}.pdf"
    text = pdftotext(pdf)
    assert "Confirmation de dépôt de demande" in text and reference in text and BANNER in text
    assert browser.url() == here                                   # a download is not a navigation
    assert browser.blocked_requests.total == 0

    shots = Path(os.environ.get("PAN_BROWSER_SHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    image = browser.screenshot().toImage()
    image.save(str(shots / "practice-confirmation.png"))
    colours = {image.pixel(x, y) for x in range(0, 1080, 9) for y in (20, 300)}
    assert image.width() == 1080 and len(colours) > 3


def test_site_error_is_shown_by_the_site_and_followed_by_the_guide(qtbot, make_browser,
                                                                   practice_site: LocalReplica) -> None:
    """The sign-on host's own error, on the page the guide recognises."""
    procedure = PACK.procedures["renewal"]
    browser = make_browser()
    load(qtbot, browser,
         practice_site.official.base(PORTAL) + "/usagers/#/espace-personnel/connexion-inscription")
    wait_heading(qtbot, browser, "Connexion")
    press(qtbot, browser, "#btn-se-connecter")
    wait_heading(qtbot, browser, "Vous avez déjà un compte", SSO)
    fill(qtbot, browser, {"login": new_account(practice_site), "password": "pas-le-bon"})
    with qtbot.waitSignal(browser.page_loaded, timeout=10000) as blocker:
        press(qtbot, browser, "#kc-login")
    heading = str(blocker.args[1])
    assert "invalide" in js(qtbot, browser, "document.getElementById('erreur-connexion').innerText")
    position = practice_guide(practice_site, procedure, PACK.site).locate(browser.url(), heading)
    assert position.page is not None and position.page.step_id == "sso_login"
