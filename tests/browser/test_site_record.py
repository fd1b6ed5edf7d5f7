"""`pan-kiosk site record` and `site check` against the replica under the official host names (resolved to
loopback, a test-only certificate authority, the kiosk's default allow-list).

A scripted walk of a renewal through the replica, recorded by the recorder the command runs (real
QtWebEngine, the SPA route watcher): planted values typed into the fields (names, address, e-mail,
foreigner number, password, observations, e-photo code) are absent from the recording; `site check`
of the recording against the shipped pack's site map exits 0. The same walk on a replica whose
personal-information heading and one document label changed (the test parameter): `site check` exits
1 and names the guide step whose heading changed and the glossary label that is gone.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_helpers import js
from pytestqt.exceptions import TimeoutError as WaitTimeout

from kiosk.__main__ import main
from kiosk.browser.policy import NavigationPolicy
from kiosk.browser.recorder import Recording
from kiosk.browser.replica import PracticeSite, portal
from kiosk.browser.replica.hosts import PORTAL, PORTAL_START, SSO, STAMPS
from kiosk.browser.replica.official import Upload

pytestmark = pytest.mark.real_stack

HEADING = "(document.querySelector('h1') || {innerText: ''}).innerText.trim()"
CHANGED_HEADING = "Vos données personnelles"
CHANGED_PIECE = "Justificatif de domicile de moins de trois mois"


def ask(qtbot, browser, script: str) -> object:
    box: list[object] = []
    browser.run_js(script, box.append)
    try:
        qtbot.waitUntil(lambda: bool(box), timeout=1500)
    except WaitTimeout:
        return None
    return box[0]


def wait_page(qtbot, browser, heading: str, host: str = PORTAL, timeout: int = 15000) -> None:
    def ready() -> bool:
        return ask(qtbot, browser, HEADING) == heading and f"://{host}/" in browser.url()
    try:
        qtbot.waitUntil(ready, timeout=timeout)
    except WaitTimeout:
        raise AssertionError(f"wanted {heading!r} on {host}; got {ask(qtbot, browser, HEADING)!r} at "
                             f"{browser.url()}") from None


def press(qtbot, browser, selector: str) -> None:
    js(qtbot, browser, f"document.querySelector({json.dumps(selector)}).click(); 1")


def fill(qtbot, browser, values: dict[str, object]) -> None:
    """Values typed into the page's fields (the page's input events fire, as when a person types)."""
    js(qtbot, browser, "(() => { for (const [k, x] of Object.entries(" + json.dumps(values) + ")) {"
                       " const e = document.getElementById(k);"
                       " if (e.type === 'checkbox' || e.type === 'radio') e.checked = !!x; else e.value = x;"
                       " e.dispatchEvent(new Event('input', {bubbles: true})); } })(); 1")


def recorded(qtbot, recording: Recording, text: str) -> None:
    """Wait until a snapshot has kept `text` (a message that appears on the page after a click)."""
    qtbot.waitUntil(lambda: any(text in t for p in recording.pages.values() for t in p.texts()),
                    timeout=5000)


@pytest.fixture
def wizard(request, monkeypatch) -> bool:
    """The test parameter: the replica as it is, or with the personal-information step's heading and a
    document's label changed (what `site check` must report)."""
    changed = bool(request.param)
    if changed:
        steps = tuple(
            portal.Step(s.id, CHANGED_HEADING, s.fields, s.pieces) if s.id == "personnel" else
            portal.Step(s.id, s.title, s.fields, tuple(
                portal.Piece(p.name, CHANGED_PIECE) if p.name == "justificatif_domicile" else p
                for p in s.pieces))
            for s in portal.WIZARD)
        monkeypatch.setattr(portal, "WIZARD", steps)
    return changed


@pytest.fixture
def recorder(qapp, qtbot, official_site) -> Iterator[tuple[object, Recording]]:
    from kiosk.browser.ui import LockedBrowser
    from kiosk.browser.ui.recorder import SiteRecorder

    browser = LockedBrowser(NavigationPolicy())          # the kiosk's default allow-list, nothing added
    browser.setGeometry(0, 0, 1280, 1000)
    browser.show()
    qtbot.addWidget(browser, before_close_func=lambda b: b.wipe())
    recording = Recording(PORTAL_START, ("renewal",))
    site_recorder = SiteRecorder(browser, recording, interval_ms=150)
    yield site_recorder, recording
    site_recorder.stop()
    qtbot.wait(1)


def walk(qtbot, site_recorder, recording: Recording, site: PracticeSite,  # noqa: PLR0915 - one walk
         changed: bool) -> list[str]:
    """A renewal walked through the replica the way the content team walks the real site; returns the
    values planted in the fields."""
    browser = site_recorder.browser
    number = f"{secrets.randbelow(9 * 10 ** 9) + 10 ** 9}"
    early = f"{secrets.randbelow(9 * 10 ** 9) + 10 ** 9}"
    password = "Plante-Secret-2026!"
    email = f"plante.{number}@example.org"
    site.official.add_account(early, f"tot.{early}@example.org", password,
                              dt.date.today() + dt.timedelta(days=400))
    personal = {"nom": "Zorglubplant", "prenoms": "Quasimodoplant", "date_naissance": "12/04/1990",
                "pays_naissance": "Plantavie", "nationalite": "plantavienne", "voie": "7 rue Plantigrade",
                "code_postal": "75002", "commune": "Villeplantee", "telephone": "06 12 34 56 78"}
    planted = [number, email, password, *personal.values(), "Observation plantee tres secrete",
               "ZP12CD34EF56GH78IJ90KL", early]
    site_recorder.start(PORTAL_START)
    wait_page(qtbot, browser, "Étrangers en France")

    # A too-early renewal first (its message is on the situation page), then out again
    press(qtbot, browser, "#connexion_link")
    wait_page(qtbot, browser, "Connexion")
    press(qtbot, browser, "#btn-se-connecter")
    wait_page(qtbot, browser, "Vous avez déjà un compte", SSO)
    press(qtbot, browser, "#mot-de-passe-oublie")
    wait_page(qtbot, browser, "Mot de passe oublié ?", SSO)
    js(qtbot, browser, "history.back(); 1")
    wait_page(qtbot, browser, "Vous avez déjà un compte", SSO)
    fill(qtbot, browser, {"login": early, "password": password})
    press(qtbot, browser, "#kc-login")
    wait_page(qtbot, browser, "Mon compte")
    press(qtbot, browser, "#tuile-titre-sejour")
    wait_page(qtbot, browser, "Votre situation actuelle")
    recorded(qtbot, recording, "Il est trop tôt")
    press(qtbot, browser, "#deconnexion_link")
    wait_page(qtbot, browser, "Étrangers en France")

    # Account creation: identification, e-mail, the link of the e-mail, the password
    press(qtbot, browser, "#connexion_link")
    wait_page(qtbot, browser, "Connexion")
    press(qtbot, browser, "#creer-compte")
    wait_page(qtbot, browser, "Création de compte")
    press(qtbot, browser, "#profil-etranger")
    end = dt.date.today() + dt.timedelta(days=70)
    qtbot.waitUntil(lambda: ask(qtbot, browser, "document.getElementById('numero') !== null") is True)
    fill(qtbot, browser, {"numero": number, "debut_jour": "1", "debut_mois": "3", "debut_annee": "2024",
                          "fin_jour": str(end.day), "fin_mois": str(end.month), "fin_annee": str(end.year)})
    press(qtbot, browser, "#btn-creer-compte")
    wait_page(qtbot, browser, "Saisissez votre adresse email")
    fill(qtbot, browser, {"email": email, "email_confirmation": email})
    press(qtbot, browser, "#btn-valider")
    wait_page(qtbot, browser, "Un courriel vous a été envoyé")
    press(qtbot, browser, "#lien-courriel")
    wait_page(qtbot, browser, "Création de votre mot de passe")
    fill(qtbot, browser, {"mot_de_passe": password, "confirmation": password})
    press(qtbot, browser, "#btn_CreerMDP")
    wait_page(qtbot, browser, "Votre compte est créé")

    # Login on the sign-on host, the messages, the request
    press(qtbot, browser, "#btn-se-connecter")
    wait_page(qtbot, browser, "Vous avez déjà un compte", SSO)
    fill(qtbot, browser, {"login": number, "password": password})
    press(qtbot, browser, "#kc-login")
    wait_page(qtbot, browser, "Mon compte")
    press(qtbot, browser, "#navBar-new")
    wait_page(qtbot, browser, "Mes Notifications")
    press(qtbot, browser, "#mon-compte_link")
    wait_page(qtbot, browser, "Mon compte")
    press(qtbot, browser, "#tuile-titre-sejour")
    wait_page(qtbot, browser, "Votre situation actuelle")
    press(qtbot, browser, "#btn-je-commence")
    wait_page(qtbot, browser, CHANGED_HEADING if changed else "Informations personnelles")
    press(qtbot, browser, "#btn-poursuivre")
    recorded(qtbot, recording, "Ce champ est obligatoire. Veuillez le renseigner.")
    fill(qtbot, browser, personal)
    press(qtbot, browser, "#btn-poursuivre")
    wait_page(qtbot, browser, "Motif de la demande")
    fill(qtbot, browser, {"motif": "Salarié", "sanctions": True})
    press(qtbot, browser, "#btn-poursuivre")
    wait_page(qtbot, browser, "Ressources")
    fill(qtbot, browser, {"ressources": "1400"})
    press(qtbot, browser, "#btn-poursuivre")
    wait_page(qtbot, browser, "Justificatifs")
    application = site.official.application(number)
    assert application is not None
    for piece in ("passeport", "titre_sejour", "justificatif_domicile"):       # as if uploaded
        application.uploads[piece] = Upload(f"{piece}.pdf", 20_000)
    fill(qtbot, browser, {"code_ephoto": "ZP12CD34EF56GH78IJ90KL"})
    press(qtbot, browser, "#btn-poursuivre")
    wait_page(qtbot, browser, "Récapitulatif")
    fill(qtbot, browser, {"observations": "Observation plantee tres secrete"})
    press(qtbot, browser, "#btn-deposer")
    wait_page(qtbot, browser, "Confirmation")

    # The stamp shop, from the portal's menu, up to the basket
    press(qtbot, browser, "#menu-demarches a[href^='https://timbres']")
    wait_page(qtbot, browser, "Acheter un timbre électronique", STAMPS)
    press(qtbot, browser, "#debuter-achat")
    wait_page(qtbot, browser, "Choix du timbre", STAMPS)
    fill(qtbot, browser, {"timbre-0": True})
    press(qtbot, browser, "#ajouter-panier")
    qtbot.waitUntil(lambda: ask(qtbot, browser, "(document.getElementById('ajoute') || {}).innerText || ''")
                    == "Le timbre a été ajouté au panier.", timeout=10000)
    press(qtbot, browser, "#voir-panier")
    wait_page(qtbot, browser, "Validation du panier", STAMPS)
    qtbot.wait(400)             # a last snapshot or two of the page shown
    assert browser.blocked_requests.total == 0
    return planted


@pytest.mark.parametrize("wizard", [False, True], ids=["replica-as-is", "heading-and-label-changed"],
                         indirect=True)
def test_a_recorded_walk_is_checked_against_the_site_map(qtbot, recorder, official_site, wizard, tmp_path,
                                                         capsys) -> None:
    site_recorder, recording = recorder
    planted = walk(qtbot, site_recorder, recording, official_site, wizard)
    out = tmp_path / "recording.toml"
    out.write_text(recording.to_toml(), encoding="utf-8")
    text = out.read_text(encoding="utf-8").casefold()
    for value in planted:
        assert value.casefold() not in text, value
    assert "code=" not in text and "token=" not in text and "state=" not in text
    assert 'status = "recorded"' in text and f"recorded = {dt.date.today().isoformat()}" in text

    capsys.readouterr()
    code = main(["site", "check", str(out)])
    report = capsys.readouterr().out
    if not wizard:
        assert code == 0, report
        assert "all 14 page(s) of the site map compared match" in report
        return
    assert code == 1, report
    lines = report.splitlines()
    assert any(line.startswith("request_personal: heading changed:") and repr(CHANGED_HEADING) in line
               for line in lines), report
    assert ("request_documents: label gone: 'Justificatif de domicile datant de moins de 6 mois'"
            in lines), report
    assert not any(line.startswith(("request_summary", "home", "sso_login", "stamp_shop")) for line in lines)


def test_what_the_fields_hold_never_reaches_the_recording(qtbot, qapp, aux_site, tmp_path) -> None:
    """A page that puts what is typed everywhere a careless recorder would read it: a label around the
    field, a button, a link, an alert, the heading; after a click, with the field emptied."""
    from kiosk.browser.ui import LockedBrowser
    from kiosk.browser.ui.recorder import SiteRecorder

    browser = LockedBrowser(NavigationPolicy().with_hosts(aux_site.host_entry))
    browser.setGeometry(0, 0, 1000, 800)
    browser.show()
    qtbot.addWidget(browser, before_close_func=lambda b: b.wipe())
    recording = Recording()
    site_recorder = SiteRecorder(browser, recording, interval_ms=100)
    site_recorder.start(f"http://{aux_site.host_entry}/check")
    wait_page(qtbot, browser, "Check", aux_site.host_entry)
    js(qtbot, browser, """(() => {
      document.body.insertAdjacentHTML('beforeend',
        '<form id="f"><label>Votre nom <input id="nom"><textarea id="t"></textarea></label>' +
        '<button type="button" id="ok">Valider</button><a href="#x" id="lien">Lien</a></form>');
      document.getElementById('ok').addEventListener('click', () => {
        const v = document.getElementById('nom').value;
        document.getElementById('nom').value = '';
        document.querySelector('h1').textContent = 'Bonjour ' + v;
        document.getElementById('lien').textContent = 'Le dossier de ' + v;
        document.body.insertAdjacentHTML('beforeend', '<div role="alert">Merci ' + v + ' !</div>');
        document.getElementById('ok').textContent = 'Envoyé pour ' + v;
      });
    })(); 1""")
    js(qtbot, browser, "document.getElementById('nom').value = 'Plantedname Secret';"
                       "document.getElementById('t').value = 'Texte plante confidentiel'; 1")
    qtbot.waitUntil(lambda: any("Votre nom" in t for p in recording.pages.values() for t in p.labels))
    press(qtbot, browser, "#ok")
    qtbot.waitUntil(lambda: any(p.heading.startswith("Bonjour") for p in recording.pages.values()))
    qtbot.wait(300)
    text = recording.to_toml()
    assert "plantedname" not in text.casefold() and "texte plante" not in text.casefold()
    assert '"Bonjour …"' in text and '"Votre nom"' in text and '"Valider"' in text
    site_recorder.stop()


def test_a_webmail_page_is_never_recorded(qtbot, qapp, aux_site) -> None:
    """The visitor's mailbox (a webmail host of the policy) holds someone's messages: not recorded."""
    from kiosk.browser.ui import LockedBrowser
    from kiosk.browser.ui.recorder import SiteRecorder

    browser = LockedBrowser(NavigationPolicy().with_webmail_hosts(aux_site.host_entry))
    browser.setGeometry(0, 0, 800, 600)
    browser.show()
    qtbot.addWidget(browser, before_close_func=lambda b: b.wipe())
    recording = Recording()
    site_recorder = SiteRecorder(browser, recording, interval_ms=50)
    with qtbot.waitSignal(browser.page_loaded, timeout=15000):
        site_recorder.start(f"http://{aux_site.host_entry}/check")
    qtbot.wait(400)
    assert browser.policy.area(browser.url()) == "webmail"
    assert site_recorder.snapshots == 0 and recording.pages == {}
    site_recorder.stop()


def test_site_check_answers_bad_input_with_one_line(tmp_path, capsys) -> None:
    cases = {
        "not-toml.toml": "pages = [",
        "not-recorded.toml": 'status = "confirmed"\n',
        "bad-page.toml": 'status = "recorded"\nrecorded = 2026-12-08\n[[pages]]\nhost = 3\n',
        "bad-procedure.toml": 'status = "recorded"\nrecorded = 2026-12-08\nprocedures = ["nope"]\n',
    }
    for name, content in cases.items():
        path = tmp_path / name
        path.write_text(content, encoding="utf-8")
        capsys.readouterr()
        assert main(["site", "check", str(path)]) == 2, name
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith("pan-kiosk site check: "), err
    latin = tmp_path / "latin.toml"
    latin.write_bytes('status = "recorded" # é\n'.encode("latin-1"))
    assert main(["site", "check", str(latin)]) == 2
    assert "not UTF-8" in capsys.readouterr().err


def test_the_record_command_writes_a_draft_site_map(qtbot, qapp, official_site, tmp_path, capsys) -> None:
    """`pan-kiosk site record` itself: its window on the portal's home (the default allow-list, the real
    names resolved to the replica), "Save the recording and close" pressed once the page is recorded."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from kiosk.browser.recorder import parse_recording
    from kiosk.browser.ui.recorder import RecorderWindow

    out = tmp_path / "draft.toml"
    seen: list[RecorderWindow] = []

    def drive() -> None:
        window = next((w for w in QApplication.topLevelWidgets()
                       if isinstance(w, RecorderWindow) and w.isVisible()), None)
        if window is not None and not seen:
            seen.append(window)
        recorded = window is not None and any(p.heading == "Étrangers en France"
                                              for p in window.recorder.recording.pages.values())
        if recorded:
            if os.environ.get("PAN_SHOTS") and Path("/work/shots/practice").is_dir():
                window.grab().save("/work/shots/practice/site-record-window.png")
            window.save_button.click()
        else:
            QTimer.singleShot(100, drive)

    QTimer.singleShot(100, drive)
    capsys.readouterr()
    assert main(["site", "record", "--out", str(out), "--procedure", "renewal"]) == 0
    assert capsys.readouterr().out.startswith(f"{out}: ")
    recording = parse_recording(out.read_text(encoding="utf-8"))
    assert recording.procedures == ("renewal",)
    home = next(p for p in recording.pages if p.heading == "Étrangers en France")
    assert home.host == PORTAL and home.route == "/usagers/#/" and "SE CONNECTER" in home.labels
    assert seen[0].count.text() and seen[0].browser.profile is None       # the profile went with the window


def test_a_page_that_does_not_load_is_not_recorded(qtbot, qapp) -> None:
    """Chromium's error page (no network, a host down) shows under the site's address: not a page of
    the site, so not in the recording."""
    import socket

    from kiosk.browser.ui import LockedBrowser
    from kiosk.browser.ui.recorder import SiteRecorder

    with socket.socket() as probe:          # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    browser = LockedBrowser(NavigationPolicy().with_hosts(f"127.0.0.1:{port}"))
    browser.setGeometry(0, 0, 800, 600)
    browser.show()
    qtbot.addWidget(browser, before_close_func=lambda b: b.wipe())
    recording = Recording()
    site_recorder = SiteRecorder(browser, recording, interval_ms=50)
    with qtbot.waitSignal(browser.load_failed, timeout=15000):
        site_recorder.start(f"http://127.0.0.1:{port}/usagers/")
    qtbot.wait(400)                          # several snapshots' worth
    headings = [p.heading for p in recording.pages.values()]
    assert site_recorder.snapshots == 0 and recording.pages == {}, headings
    site_recorder.stop()


def test_check_tells_a_route_that_moved_from_a_walk_that_did_not_go_there() -> None:
    """Pure check: the dashboard's route moved (its new route listed as a page the map does not name);
    a host the walk never reached is not compared; the walk's guides choose the pages compared."""
    from kiosk.browser.recorder import Loaded, RecordedPage, check
    from kiosk.content.pack import load_pack
    from kiosk.paths import DEFAULT_PACK

    site = load_pack(DEFAULT_PACK).site
    assert site is not None
    home = next(p for p in site.pages if p.id == "home")
    pages = (RecordedPage(PORTAL, "/usagers/#/", "Étrangers en France", [], [g for g, _ in home.glossary]),
             RecordedPage(PORTAL, "/usagers/#/espace-personnel/tableau-de-bord", "Mon compte", [],
                          ["Je demande ou renouvelle un titre de séjour"]))
    report = check(Loaded(dt.date(2026, 12, 8), ("renewal",), pages), site)
    lines = report.lines()
    assert "home" in report.matched
    assert any(line.startswith("dashboard: route unknown:") and "/usagers/#/espace-personnel/tableau-de-bord"
               in line for line in lines), lines
    assert "stamp_shop" in report.not_compared and "sso_login" in report.not_compared
    assert not any(f.page_id == "naturalisation_tab" for f in report.findings)     # not a renewal page
    everything = check(Loaded(dt.date(2026, 12, 8), (), pages), site)
    assert any(f.page_id == "naturalisation_tab" for f in everything.findings)      # every guide's pages
