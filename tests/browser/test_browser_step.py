"""The browser step through the real stack: QtWebEngine offscreen, the practice replica (the official
sites' replica under practice names on loopback, as practice mode serves it) with the site map's guide,
the kiosk's picker, downloads, print requests, recovery screen, incident proof and wipe."""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import signal
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from browser_helpers import READ_JS, HeadingSite, disk_roots, grep_disk, js, wait_dataset
from PySide6.QtCore import QTimer
from PySide6.QtGui import QFont, QPixmap
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.exceptions import TimeoutError as WaitTimeout
from step_helpers import free_port, navigate, pdftotext, shop, start, submit, texts, touch

from kiosk.browser.policy import REFUSAL_MESSAGES, NavigationPolicy, RefusalReason
from kiosk.browser.replica.attestation import attestation_pdf
from kiosk.browser.replica.hosts import PORTAL, SSO
from kiosk.browser.replica.official import Application
from kiosk.browser.replica.practice import LocalReplica, practice_name
from kiosk.browser.ui.panels import Failure, FilePicker
from kiosk.content.model import Pack
from kiosk.content.pack import load_pack
from kiosk.i18n import Translators
from kiosk.paths import DEFAULT_PACK
from kiosk.receipts import FontBook, ReceiptRenderer, Site
from kiosk.receipts.compose import CONTACT_CENTRE_PHONE
from kiosk.ui.tasks import Tasks
from kiosk.ui.theme import DEFAULT
from kiosk.visit.documents import PreparedDocuments, PreparedFile

pytestmark = pytest.mark.real_stack



@pytest.fixture(scope="module")
def pack() -> Pack:
    return load_pack(DEFAULT_PACK)


@pytest.fixture(scope="module")
def translators(pack: Pack) -> Translators:
    return Translators(Path(pack.path) / "locale")


@pytest.fixture
def make_step(qapp, qtbot, practice_site, aux_site, pack, translators) -> Iterator[Callable[..., object]]:
    from kiosk.browser.ui.step import BrowserStep

    made: list[BrowserStep] = []
    tasks = Tasks()

    def make(files: dict[str, Path] | None = None, lang: str = "fr", size: tuple[int, int] = (1920, 1080),
             **kwargs: object) -> BrowserStep:
        policy = NavigationPolicy().with_hosts(*practice_site.host_entries, aux_site.host_entry,
                                               *kwargs.pop("hosts", ()))  # type: ignore[misc]
        documents = PreparedDocuments()
        for doc_id, path in (files or {}).items():
            documents.put(doc_id, PreparedFile(path, 1, path.stat().st_size if path.exists() else 0))
        step = BrowserStep(translators.get, pack, policy, lambda: documents, tasks=tasks,
                           render_incident=ReceiptRenderer(FontBook(), translators.get).incident,
                           site=Site("Préfecture de test", "1 rue de l'Essai", "PAN-T-01"),
                           **kwargs)  # type: ignore[arg-type]
        step.setStyleSheet(DEFAULT.stylesheet())
        step.setGeometry(0, 0, *size)
        step.show()
        step.retranslate(translators.get(lang))
        qtbot.addWidget(step, before_close_func=lambda s: s.reset())
        made.append(step)
        return step

    yield make
    for step in made:
        step.reset()
    tasks.wait(10000)
    qtbot.wait(1)


HEADING = "(document.querySelector('h1') || {innerText: ''}).innerText.trim()"
PASSWORD = "Mon-Mot-de-passe-2026"


def step_id(step) -> str | None:
    position = step.guide.position
    return position.page.step_id if position is not None and position.page is not None else None


def heading(qtbot, step) -> str:
    box: list[object] = []
    step.browser.run_js(HEADING, box.append)
    qtbot.waitUntil(lambda: bool(box), timeout=3000)
    return str(box[0] or "")


def wait_page(qtbot, step, wanted: str, page_id: str | None, host: str = PORTAL) -> None:
    """Wait until the replica shows `wanted` on the practice name of `host` and the guide is on the site
    map's page `page_id`."""
    name = practice_name(host)
    try:
        qtbot.waitUntil(lambda: heading(qtbot, step) == wanted and f"://{name}:" in step.browser.url()
                        and step_id(step) == page_id, timeout=15000)
    except WaitTimeout:
        raise AssertionError(f"wanted {wanted!r} ({page_id}) on {name}; got {heading(qtbot, step)!r} "
                             f"({step_id(step)}) at {step.browser.url()}") from None


def content_title(pack, translators, page_id: str, lang: str = "fr") -> str:
    page = next(p for p in pack.site.pages if p.id == page_id)
    return translators.get(lang).content(page.title)


def test_the_guide_follows_the_pages_and_brings_the_visitor_back(qtbot, make_step, pack, practice_site,
                                                                aux_site, session_dir, translators) -> None:
    step = make_step()
    start(qtbot, step, pack, practice_site, session_dir)
    wait_page(qtbot, step, "Étrangers en France", "home")
    assert step.guide.title.text() == content_title(pack, translators, "home")
    assert step.guide.practice_badge.isVisibleTo(step)
    assert navigate(qtbot, step, f"location.href = '{shop(practice_site)}'") == \
        "Acheter un timbre électronique"
    assert step_id(step) == "stamp_shop"
    assert step.guide.title.text() == content_title(pack, translators, "stamp_shop")
    qtbot.waitUntil(lambda: any("Débuter l'achat" in t for t in texts(step.guide.glossary_card)),
                    timeout=3000)
    assert not step.guide.off_card.isVisibleTo(step)
    assert navigate(qtbot, step, "document.getElementById('debuter-achat').click()") == "Choix du timbre"
    assert step_id(step) == "stamp_shop"

    navigate(qtbot, step, f"location.href = '{aux_site.url}check'")       # allowed, but not the procedure
    assert step.guide.off_card.isVisibleTo(step)
    assert "127.0.0.1" in step.guide.off_text.text()
    assert not step.guide.glossary_card.isVisibleTo(step)
    with qtbot.waitSignal(step.browser.page_loaded, timeout=10000) as blocker:
        step.guide.back_button.click()
    assert blocker.args[0] == shop(practice_site, "/achat/choix")
    assert not step.guide.off_card.isVisibleTo(step) and step_id(step) == "stamp_shop"


def test_a_refused_host_is_explained_in_the_visitors_language(qtbot, make_step, pack, practice_site,
                                                              session_dir, translators) -> None:
    step = make_step(lang="ar")
    start(qtbot, step, pack, practice_site, session_dir)
    with qtbot.waitSignal(step.browser.navigation_refused, timeout=5000) as blocker:
        step.browser.run_js("location.href = 'https://www.example.com/'")
    assert blocker.args[1] == RefusalReason.HOST.value
    explained = translators.get("ar").tr(REFUSAL_MESSAGES[RefusalReason.HOST])
    assert explained != REFUSAL_MESSAGES[RefusalReason.HOST]         # really translated
    assert step.guide.refusal_card.isVisibleTo(step) and step.guide.refusal_text.text() == explained
    assert step.browser.url() == practice_site.start_url
    navigate(qtbot, step, f"location.href = '{shop(practice_site)}'")
    assert not step.guide.refusal_card.isVisibleTo(step)              # the next page clears it


def pick_when_shown(qtbot, action: Callable[[FilePicker], None]) -> list[str]:
    """Answer the kiosk's modal picker as soon as Chromium opens it; returns what it showed."""
    seen: list[str] = []

    def poll() -> None:
        picker = next((w for w in QApplication.topLevelWidgets()
                       if isinstance(w, FilePicker) and w.isVisible()), None)
        if picker is None:
            QTimer.singleShot(50, poll)
            return
        seen.extend(texts(picker))
        action(picker)

    QTimer.singleShot(50, poll)
    return seen


def buy_stamp(qtbot, step, practice_site: LocalReplica) -> None:
    """The stamp shop's pages up to its last one (the choice, the basket, the payment)."""
    navigate(qtbot, step, f"location.href = '{shop(practice_site, '/achat/choix')}'")
    assert submit(qtbot, step, {"timbre-0": True}, "ajouter-panier") == "Choix du timbre"
    assert navigate(qtbot, step, "document.getElementById('voir-panier').click()") == "Validation du panier"
    assert submit(qtbot, step, {"reception-courriel": True, "contact": "samira@example.org"},
                  "valider-panier") == "Paiement"
    assert navigate(qtbot, step, "document.getElementById('carte-visa').click()") == "Votre achat est terminé"
    assert step_id(step) == "stamp_shop"


def test_download_print_and_filing_through_the_step(qtbot, make_step, pack, practice_site,
                                                     session_dir) -> None:
    """The replica's download (the stamp's PDF) in the guide, shown and printed by the kiosk; the page
    printed by the site's own window.print(); and no filing for an address a script wrote. (Uploads from
    the picker on the replica: test_real_hosts.py, the renewal visit.)"""
    step = make_step()
    start(qtbot, step, pack, practice_site, session_dir)
    wait_page(qtbot, step, "Étrangers en France", "home")
    filed: list[bool] = []
    step.filed.connect(lambda: filed.append(True))
    here = js(qtbot, step.browser, "location.pathname + location.hash")
    # the confirmation's route (site.toml request_confirmation), without the page's heading
    js(qtbot, step.browser, "history.replaceState(null, '', '/usagers/#/sejour/demande-titre-sejour'); 1")
    qtbot.waitUntil(lambda: step.browser.url().endswith("/#/sejour/demande-titre-sejour"))
    js(qtbot, step.browser, f"history.replaceState(null, '', '{here}'); 1")
    qtbot.wait(200)
    assert filed == []                      # an address rewritten by a script is not the site's word

    buy_stamp(qtbot, step, practice_site)
    with qtbot.waitSignal(step.browser.download_finished, timeout=10000) as blocker:
        step.browser.run_js("document.getElementById('telecharger-documents').click()")
    stamp = Path(blocker.args[0])
    assert stamp.parent == session_dir and stamp.name.startswith("timbre-") and stamp.suffix == ".pdf"
    assert step.guide.downloads == [stamp]
    assert any(stamp.name in t for t in texts(step.guide.downloads_card))
    assert "Timbre fiscal électronique" in pdftotext(stamp)
    with qtbot.waitSignal(step.print_requested, timeout=2000) as blocker:
        step.guide.findChild(QWidget, "download_print").click()
    assert blocker.args == [str(stamp)]

    step.guide.findChild(QWidget, "download_show").click()             # the kiosk's own viewer
    pages = [w for w in step.viewer.findChildren(QLabel) if w.objectName() == "viewer_page"]
    assert step.viewer.isVisible() and len(pages) == 1 and pages[0].pixmap().width() > 500
    with qtbot.waitSignal(step.print_requested, timeout=2000) as blocker:
        step.viewer.print_button.click()
    assert blocker.args == [str(stamp)] and not step.viewer.isVisible()

    with qtbot.waitSignal(step.print_requested, timeout=15000) as blocker:
        step.browser.run_js("window.print()")                      # the page's own print
    printed = Path(blocker.args[0])
    assert printed.parent == session_dir and printed.name == "printed-page-1.pdf"
    assert "Votre achat est terminé" in pdftotext(printed)
    assert filed == []                      # a stamp is no filing


def sign_in_at_documents(qtbot, step, practice_site: LocalReplica) -> None:
    """Logged in on the practice replica (the sign-on host's form), at the request wizard's documents
    step (the request's state set on the replica's side: the steps before it are walked by
    test_real_hosts.py)."""
    number = f"{secrets.randbelow(9 * 10 ** 9) + 10 ** 9}"
    person = practice_site.official.add_account(number, f"scan.{number}@example.org", PASSWORD,
                                                dt.date.today() + dt.timedelta(days=70),
                                                given_name="Samira", family_name="Benali")
    with practice_site.official.store.lock:
        person.application = Application(step="justificatifs")
        person.application.values.update({"nom": "Benali", "prenoms": "Samira", "motif": "Salarié",
                                          "ressources": "1400"})
    js(qtbot, step.browser, "location.hash = '#/espace-personnel/connexion-inscription'; 1")
    wait_page(qtbot, step, "Connexion", "login_landing")
    js(qtbot, step.browser, "document.getElementById('btn-se-connecter').click(); 1")
    wait_page(qtbot, step, "Vous avez déjà un compte", "sso_login", SSO)
    js(qtbot, step.browser, "document.getElementById('login').value = " + json.dumps(number) + ";"
                            "document.getElementById('password').value = " + json.dumps(PASSWORD) + ";"
                            "document.getElementById('kc-login').click(); 1")
    wait_page(qtbot, step, "Mon compte", "dashboard")
    js(qtbot, step.browser, "location.hash = '#/sejour/demande-titre-sejour'; 1")
    wait_page(qtbot, step, "Justificatifs", "request_documents")


def test_the_picker_offers_to_scan_a_missing_document(qtbot, make_step, pack, practice_site,
                                                      session_dir) -> None:
    step = make_step()
    start(qtbot, step, pack, practice_site, session_dir)
    sign_in_at_documents(qtbot, step, practice_site)
    here = step.browser.url()
    shown = pick_when_shown(qtbot, lambda p: p.findChild(QWidget, "scan_passport").click())
    with qtbot.waitSignal(step.scan_requested, timeout=10000) as blocker:
        touch(qtbot, step, "#passeport")
    assert blocker.args == ["passport"]
    assert any("Passeport" in t for t in shown)
    assert js(qtbot, step.browser, "document.getElementById('passeport').files.length") == 0
    assert step.browser.url() == here and heading(qtbot, step) == "Justificatifs"   # the page waits


def test_a_failed_page_shows_the_recovery_screen_and_reload_brings_it_back(
        qtbot, make_step, pack, practice_site, session_dir) -> None:
    port = free_port()
    step = make_step(hosts=(f"127.0.0.1:{port}",))
    start(qtbot, step, pack, practice_site, session_dir)
    with qtbot.waitSignal(step.browser.load_failed, timeout=10000):
        step.browser.load(f"http://127.0.0.1:{port}/reprise")
    assert step.site_stack.currentWidget() is step.problem and step.problem.failure is Failure.LOAD
    # nothing listens there: the browser gate (kiosk.browser.gate) gives Chromium no answer at all
    assert "ERR_EMPTY_RESPONSE" in step.problem.detail.text()
    assert step.problem.reload.isVisibleTo(step) and step.problem.site_down.isVisibleTo(step)
    assert step.guide.incident_button.isVisibleTo(step)                # always there

    site = HeadingSite("De retour", port).start()
    try:
        with qtbot.waitSignal(step.browser.page_loaded, timeout=10000) as blocker:
            step.problem.reload.click()
        assert blocker.args[1] == "De retour"
        assert step.site_stack.currentWidget() is step.browser
    finally:
        site.stop()


def test_a_renderer_crash_shows_a_calm_screen_and_keeps_the_session(qtbot, make_step, pack, practice_site,
                                                                    session_dir) -> None:
    step = make_step()
    start(qtbot, step, pack, practice_site, session_dir, shop(practice_site))
    pid = step.browser.page.renderProcessPid()
    with qtbot.waitSignals([step.browser.renderer_crashed, step.browser.page_loaded], timeout=15000):
        os.kill(pid, signal.SIGKILL)
    assert step.site_stack.currentWidget() is step.problem and step.problem.failure is Failure.CRASH
    with qtbot.waitSignal(step.browser.page_loaded, timeout=10000):
        step.problem.reload.click()
    assert step.site_stack.currentWidget() is step.browser
    assert step.browser.url() == shop(practice_site) and session_dir.is_dir()


def test_incident_proof_of_a_site_error_with_the_screenshot(qtbot, make_step, pack, practice_site,
                                                            session_dir, translators) -> None:
    step = make_step()
    start(qtbot, step, pack, practice_site, session_dir, shop(practice_site, "/achat/choix"))
    submit(qtbot, step, {"timbre-0": True}, "ajouter-panier")
    navigate(qtbot, step, "document.getElementById('voir-panier').click()")
    assert submit(qtbot, step, {"reception-courriel": True, "contact": "pas-une-adresse"},
                  "valider-panier") == "Validation du panier"                 # the site's own error
    js(qtbot, step.browser, "history.replaceState(null, '', '/achat/panier?jeton=SECRET-123#haut'); 1")
    qtbot.waitUntil(lambda: "SECRET-123" in step.browser.url())
    step.guide.incident_button.click()
    assert step.incident.isVisible() and step.incident.preview.pixmap().width() > 100
    asked: list[bool] = []
    step.incident_requested.connect(lambda: asked.append(True))
    with qtbot.waitSignal(step.print_requested, timeout=15000) as blocker:
        step.incident.with_shot.click()
    proof = Path(blocker.args[0])
    assert asked == [True]
    assert proof.parent == session_dir and proof.name == "incident-proof-1.pdf"
    assert not step.incident.isVisible()
    text = pdftotext(proof)
    assert "SECRET" not in text and "jeton" not in text
    assert shop(practice_site, "/achat/panier") in "".join(text.split())
    assert "indiquez une adresse électronique ou un numéro de téléphone portable valide" in \
        " ".join(text.split())
    assert content_title(pack, translators, "stamp_shop") in text          # the guide step
    assert "Renouveler mon titre de séjour" in text and CONTACT_CENTRE_PHONE in text
    images = subprocess.run(["pdfimages", "-list", str(proof)], capture_output=True, text=True,
                            check=True).stdout
    assert len(images.strip().splitlines()) == 3                            # the screenshot is in


def test_incident_proof_of_a_failed_page_in_arabic_without_screenshot(qtbot, make_step, pack,
                                                                      practice_site, session_dir) -> None:
    port = free_port()
    step = make_step(lang="ar", hosts=(f"127.0.0.1:{port}",))
    start(qtbot, step, pack, practice_site, session_dir)
    with qtbot.waitSignal(step.browser.load_failed, timeout=10000):
        step.browser.load(f"http://127.0.0.1:{port}/depot?numero=SECRET-456")
    step.problem.site_down.click()
    with qtbot.waitSignal(step.print_requested, timeout=15000) as blocker:
        step.incident.without_shot.click()
    proof = Path(blocker.args[0])
    text = pdftotext(proof)
    assert "SECRET" not in text and f"127.0.0.1:{port}/depot" in text
    assert "ERR_EMPTY_RESPONSE" in text
    assert "تجديد" in text or "الإقامة" in text or "Renouveler" in text
    images = subprocess.run(["pdfimages", "-list", str(proof)], capture_output=True, text=True,
                            check=True).stdout
    assert len(images.strip().splitlines()) == 2                            # no screenshot


def test_cancelling_the_incident_keeps_nothing(qtbot, make_step, pack, practice_site, session_dir) -> None:
    step = make_step()
    start(qtbot, step, pack, practice_site, session_dir)
    step.guide.incident_button.click()
    step.incident.cancel.click()
    assert not step.incident.isVisible() and step._shot is None
    assert not list(session_dir.glob("incident-proof-*"))


def test_a_text_field_of_the_page_asks_for_the_keyboard(qtbot, make_step, pack, practice_site,
                                                        session_dir) -> None:
    step = make_step()
    start(qtbot, step, pack, practice_site, session_dir, shop(practice_site, "/achat/choix"))
    submit(qtbot, step, {"timbre-0": True}, "ajouter-panier")
    assert navigate(qtbot, step, "document.getElementById('voir-panier').click()") == "Validation du panier"
    with qtbot.waitSignal(step.typing_changed, timeout=5000) as blocker:
        touch(qtbot, step, "#contact")
    assert blocker.args == [True] and step.typing
    with qtbot.waitSignal(step.typing_changed, timeout=5000) as blocker:
        touch(qtbot, step, "h1")
    assert blocker.args == [False]


def test_reset_destroys_the_profile_and_forgets_the_visitor(qtbot, make_step, pack, practice_site, aux_site,
                                                            tmp_path: Path) -> None:
    value = "pan-step-" + secrets.token_hex(12)
    marker = tmp_path / "marker"
    marker.touch()
    first = tmp_path / "visitor1"
    first.mkdir()
    step = make_step()
    start(qtbot, step, pack, practice_site, first)
    with qtbot.waitSignal(step.browser.page_loaded, timeout=10000):
        step.browser.load(f"{aux_site.url}plant?v={value}")
    assert wait_dataset(qtbot, step.browser, "planted") == "yes"
    assert step.guide.off_card.isVisibleTo(step)
    step.reset()
    assert step.is_empty() and step.browser.profile is None and not step.active
    assert not step.guide.off_card.isVisibleTo(step) and not step.guide.practice_badge.isVisibleTo(step)

    second = tmp_path / "visitor2"
    second.mkdir()
    start(qtbot, step, pack, practice_site, second)
    with qtbot.waitSignal(step.browser.page_loaded, timeout=10000):
        step.browser.load(aux_site.url + "check")
    js(qtbot, step.browser, READ_JS)
    assert json.loads(wait_dataset(qtbot, step.browser, "read")) == \
        {"cookie": "", "local": "", "session": "", "idb": ""}
    step.reset()
    assert grep_disk(value, disk_roots(tmp_path), since=marker) == []


SHOTS = Path(__file__).resolve().parents[2] / "build" / "screens" / "browser"
SIZES = {"landscape": (1920, 1080), "portrait": (1080, 1920)}


@pytest.fixture
def kiosk_font(qapp) -> Iterator[None]:
    previous = qapp.font()
    qapp.setFont(QFont(["Noto Sans", "Noto Sans Arabic", "DejaVu Sans"], 14))
    yield
    qapp.setFont(previous)


def settled(qtbot, step) -> QPixmap:
    """The step as shown once its layouts ran and the page painted two more frames."""
    if step.site_stack.currentWidget() is step.browser:
        js(qtbot, step.browser, "delete document.body.dataset.painted; requestAnimationFrame(() => "
                                "requestAnimationFrame(() => { document.body.dataset.painted = 'yes'; })); 1")
        wait_dataset(qtbot, step.browser, "painted")
    for _ in range(3):
        QApplication.processEvents()
    return step.grab()


@pytest.mark.parametrize("orientation", sorted(SIZES))
@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_screens_and_layout(qtbot, make_step, pack, practice_site, aux_site, session_dir, kiosk_font,
                            lang: str, orientation: str) -> None:
    """Screenshots for reviewers (build/screens/browser/); the guide is beside the site on the reading
    side in landscape and above it in portrait."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    step = make_step(lang=lang, size=SIZES[orientation], hosts=("127.0.0.1:9",))
    name = f"{lang}-{orientation}"
    start(qtbot, step, pack, practice_site, session_dir, shop(practice_site, "/achat/choix"))
    guide, site = step.guide.geometry(), step.site_stack.geometry()
    if orientation == "portrait":
        assert guide.bottom() < site.top() and guide.width() == site.width()
    elif lang == "ar":
        assert guide.left() > site.right()
    else:
        assert guide.right() < site.left()
    attestation = session_dir / "attestation-depot-ENT-20261201-000042.pdf"
    attestation.write_bytes(attestation_pdf("ENT-20261201-000042", [("Nom", "Exemple")],
                                            dt.datetime(2026, 12, 1, 9, 30)))
    step.guide.add_download(attestation)
    shots = {"step": settled(qtbot, step)}
    with qtbot.waitSignal(step.browser.page_loaded, timeout=10000):
        step.browser.load(aux_site.url + "check")
    step.guide.set_refusal(RefusalReason.HOST)
    shots["off-path"] = settled(qtbot, step)
    with qtbot.waitSignal(step.browser.load_failed, timeout=10000):
        step.browser.load("http://127.0.0.1:9/")            # the discard port: nothing listens
    shots["problem"] = settled(qtbot, step)
    step.guide.incident_button.click()
    shots["incident"] = settled(qtbot, step)
    step.incident.cancel.click()
    step.guide.findChild(QWidget, "download_show").click()
    shots["viewer"] = settled(qtbot, step)
    for kind, pixmap in shots.items():
        assert pixmap.width() == SIZES[orientation][0]
        assert pixmap.save(str(SHOTS / f"{kind}-{name}.png"))
