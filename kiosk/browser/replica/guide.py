"""The guide beside the practice site: one guide page per practice page, with its French labels.

Texts are the kiosk's own (English msgids, translated with the "kiosk" catalog); glossary labels are the
French labels exactly as the practice pages show them, so the visitor can find them on the screen.
"""

from __future__ import annotations

import re

from kiosk.browser.policy import GuidePage, SiteGuide
from kiosk.browser.replica.server import PracticeSite
from kiosk.i18n import N_


def _page(step_id: str, title: str, text: str, glossary: tuple[tuple[str, str], ...]) -> GuidePage:
    return GuidePage(step_id, title, text, glossary, kiosk_texts=True,
                     confirms_filing=step_id == "confirmation")


PAGES: dict[str, GuidePage] = {page.step_id: page for page in (
    _page("home", N_("The home page of the site"),
          N_("This is the start of the site. Press the blue button to log in."),
          (("Se connecter", N_("Log in to your account.")),)),
    _page("login", N_("Log in"),
          N_("Is it your first visit? Press the link below the form to create your account."),
          (("Identifiant", N_("Your user name. Here, it is your e-mail address.")),
           ("Mot de passe", N_("Your password. Nobody else should see it.")),
           ("Première visite ? Créer votre compte", N_("First visit? Create your account.")))),
    _page("account", N_("Create your account"),
          N_("Write your names as on your passport, your e-mail address and your mobile phone "
             "number. Choose a password of at least 12 characters."),
          (("Nom de naissance", N_("Your family name at birth.")),
           ("Prénom(s)", N_("Your first name or names.")),
           ("Adresse électronique", N_("Your e-mail address.")),
           ("Numéro de téléphone portable", N_("Your mobile phone number.")),
           ("J'accepte les conditions générales d'utilisation",
            N_("Tick this box to accept the rules of the site.")))),
    _page("space", N_("Your personal space"),
          N_("Your account is ready. Choose what you want to ask for."),
          (("Mon espace personnel", N_("The pages of your account.")),
           ("Je sollicite un titre de séjour", N_("I am applying for a residence permit.")))),
    _page("identity", N_("About you"),
          N_("Write your date and country of birth and your nationality. The foreigner number is "
             "on your residence permit, if you have one."),
          (("Date de naissance", N_("Your date of birth.")),
           ("Pays de naissance", N_("The country where you were born.")),
           ("Nationalité", N_("Your nationality.")),
           ("Numéro étranger", N_("Your foreigner number: 10 digits, on your residence permit.")))),
    _page("address", N_("Your address in France"),
          N_("Write the address where you live now."),
          (("Numéro et libellé de la voie", N_("The house number and the street name.")),
           ("Code postal", N_("The postcode: 5 digits.")),
           ("Commune", N_("The town or city.")))),
    _page("documents", N_("Your documents"),
          N_("Press each button to choose a document. The kiosk shows the documents you scanned; "
             "if one is missing, you can scan it now."),
          (("Pièces justificatives", N_("The documents that prove what you wrote.")),
           ("Justificatif de domicile de moins de 6 mois",
            N_("A proof of address less than 6 months old.")),
           ("Code e-photo", N_("The code the approved photographer gave you with your photo.")))),
    _page("summary", N_("Check your application"),
          N_("Read everything again. If it is right, tick the box and send."),
          (("Récapitulatif de votre demande", N_("Summary of your application.")),
           ("Je certifie sur l'honneur l'exactitude des informations saisies",
            N_("I declare on my honour that what I wrote is true.")),
           ("Valider ma demande", N_("Send my application.")))),
    _page("confirmation", N_("Your application is recorded"),
          N_("Download the filing certificate: it appears in your documents and you can print it. "
             "Note your application number."),
          (("Attestation de dépôt",
            N_("Filing certificate: it proves that you applied. It is not a residence permit.")),
           ("Numéro de demande", N_("Your application number.")))),
)}


def practice_guide(site: PracticeSite) -> SiteGuide:
    """The guide that follows the visitor on `site` (every practice page is on the path)."""
    rules = site.step_rules()
    return SiteGuide([(rule, PAGES[rule.step_id]) for rule in rules],
                     path_patterns=(f"^{re.escape(site.url)}",), practice=True)
