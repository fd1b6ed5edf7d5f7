"""The visitor's mailbox beside the official site (issue 14, point 5), through the kiosk's browser step with
its DEFAULT settings: the default allow-list and the default webmail list (navigation_policy of a terminal
on the official site; no test host added), the replica under the real host names (the portal, and the
webmail on Orange's login.orange.fr and rms.orange.fr), production certificate checks.

- Account creation continued from the message read in the webmail: the portal's replica sends it over
  SMTP to the loopback catcher, the visitor reads it in the mailbox inside the kiosk and its link opens
  the password page on the site; "Back to the site" finds the portal's page and form as they were left.
- An attachment the visitor sent themselves lands in the session directory, and the site's upload
  picker offers it beside the scans; the portal accepts it.
- The wipe leaves no trace of the webmail session: a value only the webmail held (the address it
  remembers in localStorage, its session cookie, the message's subject) is on no disk afterwards, and
  the next visitor's mailbox asks to sign in again.
- `[browser] webmail = false` removes the button and the hosts; `webmail_hosts` narrows the choice."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
from browser_helpers import disk_roots, grep_disk, js
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.exceptions import TimeoutError as WaitTimeout
from step_helpers import texts
from test_real_hosts import PASSWORD, fill, fill_request, press, text_of, upload, wait_page

from kiosk.browser.policy import DEFAULT_ALLOWED_HOSTS, NavigationPolicy
from kiosk.browser.replica import PracticeSite
from kiosk.browser.replica.hosts import PORTAL, PORTAL_START
from kiosk.browser.replica.webmail import LOGIN, MAILBOX
from kiosk.browser.setup import navigation_policy
from kiosk.browser.webmail import DEFAULT_WEBMAIL_HOSTS, DEFAULT_WEBMAIL_RESOURCE_HOSTS, DEFAULT_WEBMAILS
from kiosk.content.model import Pack
from kiosk.content.pack import load_pack
from kiosk.i18n import Translators
from kiosk.paths import DEFAULT_PACK
from kiosk.receipts import FontBook, ReceiptRenderer, Site
from kiosk.ui.tasks import Tasks
from kiosk.ui.theme import DEFAULT
from kiosk.visit.documents import PreparedDocuments, PreparedFile
from kiosk.visit.session import EndReason, SessionManager

pytestmark = pytest.mark.real_stack



def photo(seed: str) -> bytes:
    """A photo as a phone sends it: a JPEG (a page of a document, drawn), unique per `seed`."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (600, 800), (245, 242, 230))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, 560, 200), outline=(20, 40, 120), width=6)
    for y in range(260, 760, 40):
        draw.line((60, y, 540, y), fill=(90, 90, 90), width=4)
    draw.text((60, 100), f"PASSEPORT {seed}", fill=(20, 40, 120))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80, comment=seed.encode())
    return out.getvalue()


@pytest.fixture(scope="module")
def pack() -> Pack:
    return load_pack(DEFAULT_PACK)


@pytest.fixture(scope="module")
def translators(pack: Pack) -> Translators:
    return Translators(Path(pack.path) / "locale")


def terminal_policy(make_config, extra: str = "") -> NavigationPolicy:
    """A terminal on the official site with the kiosk's defaults (and `extra` lines of [browser])."""
    return navigation_policy(make_config(f'[browser]\nsite = "official"\n{extra}'), None)


@pytest.fixture
def make_step(qapp, qtbot, official_site, make_config, pack,
              translators) -> Iterator[Callable[..., object]]:
    from kiosk.browser.ui.step import BrowserStep

    made: list[BrowserStep] = []
    tasks = Tasks()

    def make(files: dict[str, Path] | None = None, extra: str = "", width: int = 1920,
             height: int = 1080) -> BrowserStep:
        policy = terminal_policy(make_config, extra)
        documents = PreparedDocuments()
        for doc_id, path in (files or {}).items():
            documents.put(doc_id, PreparedFile(path, 1, path.stat().st_size))
        step = BrowserStep(translators.get, pack, policy, lambda: documents, tasks=tasks,
                           render_incident=ReceiptRenderer(FontBook(), translators.get).incident,
                           site=Site("Préfecture de test", "1 rue de l'Essai", "PAN-T-01"))
        step.setStyleSheet(DEFAULT.stylesheet())
        step.setGeometry(0, 0, width, height)
        step.show()
        step.retranslate(translators.get("fr"))
        step.failures, step.refusals = [], []
        step.browser.load_failed.connect(lambda url, error: step.failures.append((url, error)))
        step.browser.navigation_refused.connect(lambda url, why: step.refusals.append((url, why)))
        qtbot.addWidget(step, before_close_func=lambda s: s.reset())
        made.append(step)
        return step

    yield make
    for step in made:
        step.reset()
    tasks.wait(10000)
    qtbot.wait(1)


# --- helpers ----------------------------------------------------------------------------------------------

def mail_js(qtbot, step, script: str) -> object:
    """A script's answer in the mailbox's page (None while it goes to another page)."""
    box: list[object] = []
    assert step.mailbox.browser is not None
    step.mailbox.browser.run_js(script, box.append)
    try:
        qtbot.waitUntil(lambda: bool(box), timeout=1500)
    except WaitTimeout:
        return None
    return box[0]


def mail_heading(qtbot, step) -> str:
    return str(mail_js(qtbot, step, "(document.querySelector('h1') || {innerText: ''}).innerText.trim()")
               or "")


def wait_mail_page(qtbot, step, expected: str, host: str) -> None:
    def ready() -> bool:
        return mail_heading(qtbot, step) == expected and f"://{host}/" in step.mailbox.browser.url()
    try:
        qtbot.waitUntil(ready, timeout=15000)
    except WaitTimeout:
        raise AssertionError(f"mailbox: wanted {expected!r} on {host}; got {mail_heading(qtbot, step)!r} at "
                             f"{step.mailbox.browser.url()}") from None


def mail_press(qtbot, step, selector: str) -> None:
    mail_js(qtbot, step, f"document.querySelector({selector!r}).click(); 1")


def mail_fill(qtbot, step, values: dict[str, str]) -> None:
    for key, value in values.items():
        mail_js(qtbot, step, f"document.getElementById({key!r}).value = {value!r}; 1")


def sign_in_to_mailbox(qtbot, step, address: str, password: str = "Boite-aux-lettres-1") -> None:
    """"My e-mails", Orange in the chooser, then its two sign-in pages up to the inbox."""
    step.mail_bar.open_button.click()
    assert step.site_stack.currentWidget() is step.mailbox and step.mailbox.choosing
    offered = [w.objectName() for w in step.mailbox.chooser.findChildren(QWidget)
               if w.objectName().startswith("mail_")]
    assert offered == [f"mail_{w.id}" for w in DEFAULT_WEBMAILS]       # every default webmail
    step.mailbox.chooser.findChild(QWidget, "mail_orange").click()
    wait_mail_page(qtbot, step, "Identifiez-vous", LOGIN)
    mail_fill(qtbot, step, {"login": address})
    mail_press(qtbot, step, "#btnSubmit")
    wait_mail_page(qtbot, step, "Saisissez votre mot de passe", LOGIN)
    mail_fill(qtbot, step, {"password": password})
    mail_press(qtbot, step, "#btnSubmit")
    wait_mail_page(qtbot, step, "Boîte de réception", MAILBOX)


def open_message(qtbot, step, subject: str) -> None:
    number = mail_js(qtbot, step, "[...document.querySelectorAll('#messages a')].find(a => a.innerText === "
                                  f"{subject!r}).id")
    assert number, f"no message {subject!r} in the inbox"
    mail_press(qtbot, step, f"#{number}")
    wait_mail_page(qtbot, step, subject, MAILBOX)


def new_number() -> str:
    return f"{secrets.randbelow(9 * 10 ** 9) + 10 ** 9}"


def value_of(qtbot, step, ident: str) -> str:
    return str(js(qtbot, step.browser, f"document.getElementById({ident!r}).value"))


# --- tests ------------------------------------------------------------------------------------------------

def test_the_default_settings_allow_the_webmails_as_a_list_apart(make_config) -> None:
    policy = terminal_policy(make_config)
    assert policy.entries == DEFAULT_ALLOWED_HOSTS               # the site's list: no webmail, no test host
    assert policy.webmail_entries == DEFAULT_WEBMAIL_HOSTS
    assert set(DEFAULT_WEBMAIL_RESOURCE_HOSTS) <= set(policy.resource_entries)
    assert policy.area(f"https://{LOGIN}/") == "webmail" and policy.area(PORTAL_START) == "site"


def test_account_creation_continues_from_the_message_read_in_the_mailbox(
        qtbot, make_step, pack, official_site: PracticeSite, session_dir) -> None:
    step = make_step()
    step.start_visit(pack.procedures["renewal"], session_dir, PORTAL_START)
    wait_page(qtbot, step, "Étrangers en France", "home")
    assert step.mail_bar.open_button.isVisibleTo(step) and step.mail_bar.open_button.text() == "Mes e-mails"
    press(qtbot, step, "#connexion_link")
    wait_page(qtbot, step, "Connexion", "login_landing")
    press(qtbot, step, "#creer-compte")
    wait_page(qtbot, step, "Création de compte", "")
    press(qtbot, step, "#profil-etranger")
    qtbot.waitUntil(lambda: text_of(qtbot, step, "h2") == "Identification")
    number, end = new_number(), dt.date.today() + dt.timedelta(days=70)
    fill(qtbot, step, {"numero": number, "debut_jour": "1", "debut_mois": "3", "debut_annee": "2024",
                       "fin_jour": str(end.day), "fin_mois": str(end.month), "fin_annee": str(end.year)})
    press(qtbot, step, "#btn-creer-compte")
    wait_page(qtbot, step, "Saisissez votre adresse email", "signup_email")

    # Half-typed form, then the mailbox and back: the same page, the same values, no reload.
    email = f"visiteur.{number}@orange.fr"
    fill(qtbot, step, {"email": email, "email_confirmation": email[:9]})
    page_url, loads = step.browser.url(), []
    step.browser.page_loaded.connect(lambda url, _h: loads.append(url))
    step.mail_bar.open_button.click()
    assert step.site_stack.currentWidget() is step.mailbox and step.mail_bar.back_button.isVisibleTo(step)
    step.mail_bar.back_button.click()
    assert step.site_stack.currentWidget() is step.browser and step.mail_bar.open_button.isVisibleTo(step)
    assert step.browser.url() == page_url and loads == []
    assert value_of(qtbot, step, "email") == email
    assert value_of(qtbot, step, "email_confirmation") == email[:9]

    fill(qtbot, step, {"email_confirmation": email})
    press(qtbot, step, "#btn-valider")
    wait_page(qtbot, step, "Un courriel vous a été envoyé", "")
    caught = official_site.mail.messages(email)                 # it went over SMTP to the catcher
    assert len(caught) == 1
    link = official_site.official.mails(email)[-1].link
    assert link in caught[0].message.get_content()

    # The mailbox, inside the kiosk: sign in, the message, its link.
    sign_in_to_mailbox(qtbot, step, email)
    assert "Création de votre compte - Étrangers en France" in str(mail_js(qtbot, step,
                                                                          "document.body.innerText"))
    open_message(qtbot, step, "Création de votre compte - Étrangers en France")
    shown = mail_js(qtbot, step, "document.querySelector('#corps a.lien').href")
    assert shown == link                                          # the link as the webmail shows it
    site_before = step.browser.page
    mail_press(qtbot, step, "#corps a.lien")                      # target=_blank, as webmails do
    wait_page(qtbot, step, "Création de votre mot de passe", "signup_password")
    assert step.site_stack.currentWidget() is step.browser       # the site's own view opened it
    assert step.browser.page is site_before and step.browser.url() == link
    assert f"://{MAILBOX}/" in step.mailbox.browser.url()         # the mailbox stayed where it was
    fill(qtbot, step, {"mot_de_passe": PASSWORD, "confirmation": PASSWORD})
    press(qtbot, step, "#btn_CreerMDP")
    wait_page(qtbot, step, "Votre compte est créé", "signup_password")
    assert number in text_of(qtbot, step, "#compte-cree")
    assert step.failures == [] and step.refusals == [] and step.browser.blocked_requests.total == 0


def send_photo(site: PracticeSite, to: str, subject: str, name: str, data: bytes) -> None:
    """What a visitor's phone does: a photo sent to their own address (over SMTP, to the catcher)."""
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = to, to, subject
    message.set_content("Envoyé depuis mon téléphone")
    message.add_attachment(data, maintype="image", subtype="jpeg", filename=name)
    site.mail.send(message)


def pick_attachment(qtbot, field: str) -> list[str]:
    """Choose, in the kiosk's picker, the entry that came from the mailbox."""
    from PySide6.QtCore import QTimer

    from kiosk.browser.ui.panels import FilePicker

    seen: list[str] = []

    def poll() -> None:
        picker = next((w for w in QApplication.topLevelWidgets()
                       if isinstance(w, FilePicker) and w.isVisible()), None)
        if picker is None:
            QTimer.singleShot(50, poll)
            return
        seen.extend(texts(picker))
        buttons = [w for w in picker.findChildren(QWidget) if w.objectName().startswith("pick_mail-")]
        (buttons[0] if buttons else picker.findChild(QWidget, "picker_cancel")).click()

    QTimer.singleShot(50, poll)
    return seen


def test_an_attachment_from_the_mailbox_is_offered_beside_the_scans_and_uploaded(
        qtbot, make_step, pack, official_site: PracticeSite, session_dir, monkeypatch) -> None:
    number = new_number()
    email = f"photos.{number}@wanadoo.fr"
    official_site.official.add_account(number, email, PASSWORD, dt.date.today() + dt.timedelta(days=60))
    scan = session_dir / "titre-sejour.pdf"
    scan.write_bytes(b"%PDF-1.4\n" + secrets.token_bytes(2000) + b"\n%%EOF\n")
    picture = photo(number)
    send_photo(official_site, email, "Mon passeport", "passeport.jpg", picture)
    step = make_step({"residence_permit": scan})
    step.start_visit(pack.procedures["renewal"], session_dir,
                     f"https://{PORTAL}/usagers/#/espace-personnel/connexion-inscription")
    wait_page(qtbot, step, "Connexion", "login_landing")
    press(qtbot, step, "#btn-se-connecter")
    wait_page(qtbot, step, "Vous avez déjà un compte", "sso_login", "sso.anef.dgef.interieur.gouv.fr")
    fill(qtbot, step, {"login": number, "password": PASSWORD})
    press(qtbot, step, "#kc-login")
    wait_page(qtbot, step, "Mon compte", "dashboard")
    fill_request(qtbot, step)                                     # up to "Justificatifs"

    sign_in_to_mailbox(qtbot, step, email)
    open_message(qtbot, step, "Mon passeport")
    with qtbot.waitSignal(step.browser.download_finished, timeout=10000) as blocker:
        mail_press(qtbot, step, "a.piece-jointe")
    saved = Path(blocker.args[0])
    assert saved.parent == session_dir and saved.name == "passeport.jpg" and saved.read_bytes() == picture
    assert step.mailbox.attachments == [saved] and saved in step.guide.downloads
    step.mail_bar.back_button.click()
    wait_page(qtbot, step, "Justificatifs", "request_documents")   # the wizard as it was left

    shown = pick_attachment(qtbot, "passeport")
    before = text_of(qtbot, step, "#passeport-etat")
    from step_helpers import touch

    touch(qtbot, step, "#passeport")
    qtbot.waitUntil(lambda: text_of(qtbot, step, "#passeport-etat") not in (before, "Envoi en cours…"),
                    timeout=10000)
    assert any("Depuis vos e-mails" in t and "passeport.jpg" in t for t in shown)   # beside the scans …
    assert "Titre de séjour" in "\n".join(shown)                    # … which are offered too
    assert text_of(qtbot, step, "#passeport-etat").startswith("Fichier déposé : passeport.jpg")
    _shown, answer = upload(qtbot, step, "titre_sejour", "residence_permit")
    assert answer.startswith("Fichier déposé : titre-sejour.pdf")
    assert step.failures == [] and step.refusals == [] and step.browser.blocked_requests.total == 0


def test_the_wipe_leaves_no_trace_of_the_webmail_session(qtbot, make_step, pack, official_site,
                                                         tmp_path) -> None:
    marker = tmp_path / "marker"
    marker.touch()
    unique = secrets.token_hex(10)
    email = f"trace.{unique}@orange.fr"                 # remembered by the webmail in localStorage
    subject = f"Sujet {secrets.token_hex(10)}"
    send_photo(official_site, email, subject, f"photo-{unique}.jpg", photo(unique))
    sessions = SessionManager(tmp_path / "sessions")
    step = make_step()
    sessions.add_wipe_step("browser", step.reset)
    session = sessions.begin("fr")
    step.start_visit(pack.procedures["renewal"], session.directory, PORTAL_START)
    wait_page(qtbot, step, "Étrangers en France", "home")
    sign_in_to_mailbox(qtbot, step, email)
    open_message(qtbot, step, subject)
    with qtbot.waitSignal(step.browser.download_finished, timeout=10000):
        mail_press(qtbot, step, "a.piece-jointe")
    assert mail_js(qtbot, step, "localStorage.getItem('rms:identifiant')") == email     # planted
    cookie = next(k for k, v in official_site.official.webmail.sessions.items() if v == email)   # its session

    report = sessions.end(EndReason.IDLE)
    assert report.ok and step.is_empty() and step.mailbox.browser.view is None
    qtbot.wait(200)
    for value in (email, unique, subject, cookie):
        assert grep_disk(value, disk_roots(tmp_path), since=marker) == [], value

    # The next visitor's mailbox knows nobody: the sign-in page, and an empty storage.
    session = sessions.begin("fr")
    step.start_visit(pack.procedures["renewal"], session.directory, PORTAL_START)
    wait_page(qtbot, step, "Étrangers en France", "home")
    step.mail_bar.open_button.click()
    assert step.mailbox.choosing
    step.mailbox.chooser.findChild(QWidget, "mail_orange").click()
    wait_mail_page(qtbot, step, "Identifiez-vous", LOGIN)
    step.mailbox.browser.load(f"https://{MAILBOX}/mail/inbox")
    wait_mail_page(qtbot, step, "Identifiez-vous", LOGIN)          # no session: sent to sign in
    assert mail_js(qtbot, step, "String(localStorage.getItem('rms:identifiant'))") == "null"
    assert sessions.end(EndReason.FINISHED).ok and step.is_empty()


def test_webmail_false_removes_the_button_and_the_hosts(qtbot, make_step, pack, make_config,
                                                        session_dir) -> None:
    policy = terminal_policy(make_config, "webmail = false")
    assert policy.webmail_entries == () and policy.check(f"https://{LOGIN}/") is not None
    assert policy.entries == DEFAULT_ALLOWED_HOSTS
    step = make_step(extra="webmail = false")
    assert not step.mail_bar.isVisibleTo(step) and step.mailbox.chooser.webmails == ()
    narrowed = make_step(extra=f'webmail_hosts = ["{LOGIN}", "{MAILBOX}"]')
    assert [w.id for w in narrowed.mailbox.chooser.webmails] == ["orange"]
    assert narrowed.mail_bar.isVisibleTo(narrowed)


def test_a_site_failure_while_the_mailbox_is_open_waits_for_the_way_back(qtbot, make_step, pack,
                                                                        session_dir) -> None:
    """The portal's view failing behind the mailbox does not take the mailbox away; "Back to the site"
    shows the failure and its reload button, which brings the site back."""
    step = make_step()
    step.start_visit(pack.procedures["renewal"], session_dir, PORTAL_START)
    wait_page(qtbot, step, "Étrangers en France", "home")
    step.mail_bar.open_button.click()
    step.browser.load_failed.emit(PORTAL_START, "net::ERR_CONNECTION_RESET")     # what the view reports
    assert step.site_stack.currentWidget() is step.mailbox and step.mail_bar.back_button.isVisibleTo(step)
    step.mail_bar.back_button.click()
    assert step.site_stack.currentWidget() is step.problem and step.mail_bar.open_button.isVisibleTo(step)
    step.problem.reload.click()
    assert step.site_stack.currentWidget() is step.browser and not step.mail_bar.showing_mailbox
    assert step.failures == [(PORTAL_START, "net::ERR_CONNECTION_RESET")]       # the one emitted above
    step.failures.clear()
    wait_page(qtbot, step, "Étrangers en France", "home")
