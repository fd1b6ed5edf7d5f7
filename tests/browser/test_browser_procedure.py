"""A whole practice procedure through the locked browser, with the guide following each page."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from browser_helpers import click, js, js_json, load

from kiosk.browser.policy import StepMatcher
from kiosk.browser.replica import BANNER

pytestmark = pytest.mark.real_stack

ACCOUNT = {"nom": "Benali", "prenoms": "Samira", "courriel": "samira@example.org",
           "courriel2": "samira@example.org", "telephone": "06 12 34 56 78",
           "mot_de_passe": "un-mot-de-passe-long", "mot_de_passe2": "un-mot-de-passe-long", "cgu": True}
IDENTITY = {"date_naissance": "1990-04-12", "pays_naissance": "Maroc", "nationalite": "marocaine"}
ADDRESS = {"voie": "12 rue de la Paix", "code_postal": "75002", "commune": "Paris"}


def fill_and_submit(qtbot, browser, values: dict[str, object]) -> str:
    script = ("(() => { const v = " + json.dumps(values) + ";"
              "for (const [k, x] of Object.entries(v)) { const e = document.getElementById(k);"
              " if (e.type === 'checkbox') e.checked = !!x; else e.value = x; }"
              "document.getElementById('valider').click(); })()")
    with qtbot.waitSignal(browser.page_loaded, timeout=10000) as blocker:
        browser.run_js(script)
    return str(blocker.args[1])


def follow_link(qtbot, browser, selector: str) -> str:
    with qtbot.waitSignal(browser.page_loaded, timeout=10000) as blocker:
        browser.run_js(f"document.querySelector('{selector}').click()")
    return str(blocker.args[1])


def test_whole_practice_procedure(qtbot, make_browser, practice_site, session_dir: Path,
                                  tmp_path: Path) -> None:
    passport = session_dir / "passeport.pdf"
    proof = session_dir / "justificatif-domicile.pdf"
    for doc in (passport, proof):
        doc.write_bytes(b"%PDF-1.4\n" + os.urandom(40_000))
    asked: list[list[str]] = []
    offers = [[str(passport)], [str(proof)]]

    def picker(accept: list[str]) -> list[str]:
        asked.append(accept)
        return offers[len(asked) - 1]

    browser = make_browser(session_dir)
    browser.set_file_provider(picker)
    matcher = StepMatcher(practice_site.step_rules())
    steps: list[str | None] = []
    browser.page_loaded.connect(lambda url, heading: steps.append(matcher.match(url, heading)))

    assert load(qtbot, browser, practice_site.url).startswith("Administration numérique")
    assert js(qtbot, browser, "document.getElementById('entrainement').innerText") == BANNER
    assert follow_link(qtbot, browser, "#se-connecter") == "Se connecter"
    assert follow_link(qtbot, browser, "#creer-compte") == "Créer votre compte"
    assert fill_and_submit(qtbot, browser, ACCOUNT) == "Mon espace personnel"
    assert follow_link(qtbot, browser, "#demande-titre") == "Informations personnelles"
    assert fill_and_submit(qtbot, browser, IDENTITY) == "Adresse en France"
    assert fill_and_submit(qtbot, browser, ADDRESS) == "Pièces justificatives"

    click(qtbot, browser, "#passeport")                  # a visitor's touch opens the chooser
    click(qtbot, browser, "#justificatif_domicile")
    names = ("[...document.querySelectorAll('input[type=file]')]"
             ".map(i => i.files.length ? i.files[0].name : '')")
    qtbot.waitUntil(lambda: js_json(qtbot, browser, names) == ["passeport.pdf", "justificatif-domicile.pdf"])
    assert ".pdf" in asked[0] and "application/pdf" in asked[0]
    assert fill_and_submit(qtbot, browser, {"code_ephoto": "AB12CD34EF56GH78IJ90KL"}) == \
        "Récapitulatif de votre demande"
    assert "passeport.pdf (39 Ko)" in js(qtbot, browser, "document.querySelector('table').innerText")

    assert fill_and_submit(qtbot, browser, {"certification": True}) == "Votre demande a bien été enregistrée"
    reference = js(qtbot, browser, "document.getElementById('numero-demande').innerText")
    assert steps == ["home", "login", "account", "space", "identity", "address", "documents", "summary",
                     "confirmation"]

    with qtbot.waitSignal(browser.print_requested, timeout=5000):
        click(qtbot, browser, "#imprimer")
    with qtbot.waitSignal(browser.download_finished, timeout=10000) as blocker:
        browser.run_js("document.getElementById('telecharger').click()")
    pdf = Path(blocker.args[0])
    assert pdf.parent == session_dir and pdf.name == f"attestation-depot-{reference}.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Attestation de dépôt" in text and reference in text and "Samira" in text
    assert browser.url().endswith("/demarche/confirmation")    # a download is not a navigation

    shots = Path(os.environ.get("PAN_BROWSER_SHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    image = browser.screenshot().toImage()
    image.save(str(shots / "practice-confirmation.png"))
    colours = {image.pixel(x, y) for x in range(0, 1080, 9) for y in (20, 300)}
    assert image.width() == 1080 and len(colours) > 3


def test_site_error_is_shown_by_the_site_and_followed_by_the_guide(qtbot, make_browser,
                                                                   practice_site) -> None:
    browser = make_browser()
    load(qtbot, browser, practice_site.url + "compte/creer")
    heading = fill_and_submit(qtbot, browser, {**ACCOUNT, "courriel2": "autre@example.org"})
    assert heading == "Créer votre compte"
    errors = js(qtbot, browser, "document.getElementById('erreurs').innerText")
    assert "Les deux adresses électroniques ne sont pas identiques." in errors
    assert StepMatcher(practice_site.step_rules()).match(browser.url(), heading) == "account"
