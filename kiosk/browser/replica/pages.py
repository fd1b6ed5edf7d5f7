"""HTML of the practice site: plain pages with the French labels of the ANEF forms.

Every page carries the banner "Entraînement — rien n'est envoyé". Values typed by the visitor are
escaped; pages hold no script except the print button of the confirmation page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

BANNER = "Entraînement — rien n'est envoyé"
REQUIRED_TEXT = "Ce champ est obligatoire. Veuillez le renseigner."
SITE_TITLE = "Administration numérique pour les étrangers en France"

CSS = """
body{font-family:"Marianne","Noto Sans","DejaVu Sans",sans-serif;margin:0;color:#161616;background:#f6f6f6}
.practice{background:#b34000;color:#fff;font-weight:bold;text-align:center;padding:10px;font-size:20px}
header{background:#fff;border-bottom:3px solid #000091;padding:14px 24px}
header .rf{font-weight:bold;text-transform:uppercase;font-size:14px;line-height:1.1}
header .site{color:#000091;font-size:20px;font-weight:bold;margin-top:6px}
main{background:#fff;max-width:860px;margin:24px auto;padding:24px 32px}
h1{color:#000091;font-size:28px}
label{display:block;font-weight:bold;margin-top:16px}
.hint{display:block;font-weight:normal;color:#666;font-size:14px}
input[type=text],input[type=email],input[type=tel],input[type=password],input[type=date],select{
 width:100%;box-sizing:border-box;padding:8px;font-size:18px;border:0;border-bottom:2px solid #3a3a3a;
 background:#eee;font-family:inherit}
input[type=checkbox]{width:24px;height:24px;vertical-align:middle}
button,.button{font-family:inherit;display:inline-block;background:#000091;color:#fff;border:0;
 padding:12px 20px;font-size:18px;margin-top:24px;text-decoration:none}
.errors{border-left:4px solid #ce0500;background:#ffe9e9;padding:8px 16px;color:#ce0500}
.ok{border-left:4px solid #18753c;background:#b8fec9;padding:8px 16px}
table{border-collapse:collapse;width:100%}td,th{text-align:left;border-bottom:1px solid #ddd;padding:6px}
"""


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str = "text"           # text, email, tel, password, date, file, checkbox, select
    hint: str = ""
    required: bool = True
    accept: str = ""             # file inputs
    options: tuple[str, ...] = ()


ACCOUNT_FIELDS = (
    Field("nom", "Nom de naissance"),
    Field("prenoms", "Prénom(s)"),
    Field("courriel", "Adresse électronique", "email", "Format attendu : nom@domaine.fr"),
    Field("courriel2", "Confirmation de l'adresse électronique", "email"),
    Field("telephone", "Numéro de téléphone portable", "tel", "Format attendu : 06 12 34 56 78"),
    Field("mot_de_passe", "Mot de passe", "password", "12 caractères minimum"),
    Field("mot_de_passe2", "Confirmation du mot de passe", "password"),
    Field("cgu", "J'accepte les conditions générales d'utilisation", "checkbox"),
)

IDENTITY_FIELDS = (
    Field("nom_usage", "Nom d'usage", hint="Facultatif", required=False),
    Field("date_naissance", "Date de naissance", "date"),
    Field("pays_naissance", "Pays de naissance"),
    Field("nationalite", "Nationalité"),
    Field("numero_etranger", "Numéro étranger", hint="10 chiffres, sur votre titre de séjour (facultatif)",
          required=False),
)

ADDRESS_FIELDS = (
    Field("voie", "Numéro et libellé de la voie"),
    Field("complement", "Complément d'adresse", hint="Bâtiment, étage, chez… (facultatif)", required=False),
    Field("code_postal", "Code postal"),
    Field("commune", "Commune"),
)

DOCUMENT_FIELDS = (
    Field("passeport", "Passeport (pages d'état civil)", "file", "PDF, JPG ou PNG, 2 Mo maximum",
          accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"),
    Field("justificatif_domicile", "Justificatif de domicile de moins de 6 mois", "file",
          "PDF, JPG ou PNG, 2 Mo maximum",
          accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"),
    Field("code_ephoto", "Code e-photo", hint="Code à 22 caractères remis par le photographe agréé"),
)


def page(title: str, body: str, *, script: str = "") -> bytes:
    extra = f"<script>{script}</script>" if script else ""
    html = (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
        f"<title>{escape(title)} — {escape(BANNER)}</title><style>{CSS}</style></head><body>"
        f'<div class="practice" role="note" id="entrainement">{escape(BANNER)}</div>'
        f'<header><div class="rf">République<br>Française</div><div class="site">{escape(SITE_TITLE)}</div>'
        f"</header><main>{body}</main>{extra}</body></html>")
    return html.encode("utf-8")


def _field(f: Field, values: Mapping[str, str]) -> str:
    req = " required" if f.required else ""
    hint = f'<span class="hint">{escape(f.hint)}</span>' if f.hint else ""
    if f.kind == "checkbox":
        checked = " checked" if values.get(f.name) else ""
        return (f'<label><input type="checkbox" id="{f.name}" name="{f.name}" value="oui"{checked}{req}> '
                f"{escape(f.label)}</label>")
    if f.kind == "file":
        return (f'<label for="{f.name}">{escape(f.label)}{hint}</label>'
                f'<input type="file" id="{f.name}" name="{f.name}" accept="{escape(f.accept)}"{req}>')
    value = "" if f.kind == "password" else escape(values.get(f.name, ""))
    return (f'<label for="{f.name}">{escape(f.label)}{hint}</label>'
            f'<input type="{f.kind}" id="{f.name}" name="{f.name}" value="{value}"{req}>')


def form(action: str, fields: Sequence[Field], values: Mapping[str, str], errors: Sequence[str],
         submit: str, multipart: bool = False) -> str:
    enctype = ' enctype="multipart/form-data"' if multipart else ""
    return (errors_box(errors) + f'<form method="post" action="{action}"{enctype} novalidate>'
            + "".join(_field(f, values) for f in fields)
            + f'<br><button type="submit" id="valider">{escape(submit)}</button></form>')


def errors_box(errors: Sequence[str]) -> str:
    if not errors:
        return ""
    items = "".join(f"<li>{escape(e)}</li>" for e in errors)
    return f'<div class="errors" role="alert" id="erreurs"><p>Le formulaire contient des erreurs :</p>' \
           f"<ul>{items}</ul></div>"


def home() -> bytes:
    return page("Accueil", (
        f"<h1>{escape(SITE_TITLE)}</h1>"
        "<p>Ce site vous permet d'effectuer vos démarches de titre de séjour en ligne.</p>"
        '<a class="button" id="se-connecter" href="/connexion">Se connecter</a>'))


def login(errors: Sequence[str] = ()) -> bytes:
    fields = (Field("identifiant", "Identifiant", "email", "Votre adresse électronique"),
              Field("mot_de_passe", "Mot de passe", "password"))
    return page("Se connecter", (
        "<h1>Se connecter</h1>" + form("/connexion", fields, {}, errors, "Se connecter")
        + '<p><a id="creer-compte" href="/compte/creer">Première visite ? Créer votre compte</a></p>'))


def account(values: Mapping[str, str], errors: Sequence[str]) -> bytes:
    return page("Créer votre compte", "<h1>Créer votre compte</h1>"
                + form("/compte/creer", ACCOUNT_FIELDS, values, errors, "Créer mon compte"))


def space(first_name: str) -> bytes:
    return page("Mon espace personnel", (
        "<h1>Mon espace personnel</h1>"
        f'<p class="ok">Bienvenue {escape(first_name)}. Votre compte est créé.</p>'
        "<p>Quelle démarche souhaitez-vous effectuer ?</p>"
        '<a class="button" id="demande-titre" href="/demarche/identite">'
        "Je sollicite un titre de séjour</a>"))


def identity(values: Mapping[str, str], errors: Sequence[str]) -> bytes:
    return page("Informations personnelles", "<h1>Informations personnelles</h1>"
                "<p>Étape 1 sur 4</p>"
                + form("/demarche/identite", IDENTITY_FIELDS, values, errors, "Suivant"))


def address(values: Mapping[str, str], errors: Sequence[str]) -> bytes:
    return page("Adresse en France", "<h1>Adresse en France</h1><p>Étape 2 sur 4</p>"
                + form("/demarche/adresse", ADDRESS_FIELDS, values, errors, "Suivant"))


def documents(values: Mapping[str, str], errors: Sequence[str]) -> bytes:
    return page("Pièces justificatives", "<h1>Pièces justificatives</h1><p>Étape 3 sur 4</p>"
                "<p>Un seul fichier par document, toutes les pages ensemble.</p>"
                + form("/demarche/justificatifs", DOCUMENT_FIELDS, values, errors, "Suivant",
                       multipart=True))


def summary(rows: Sequence[tuple[str, str]], errors: Sequence[str]) -> bytes:
    table = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rows)
    certify = Field("certification", "Je certifie sur l'honneur l'exactitude des informations "
                    "saisies", "checkbox")
    return page("Récapitulatif", "<h1>Récapitulatif de votre demande</h1><p>Étape 4 sur 4</p>"
                f"<table>{table}</table>"
                + form("/demarche/recapitulatif", (certify,), {}, errors, "Valider ma demande"))


def confirmation(reference: str) -> bytes:
    return page("Confirmation", (
        "<h1>Votre demande a bien été enregistrée</h1>"
        f'<p>Numéro de demande : <strong id="numero-demande">{escape(reference)}</strong></p>'
        "<p>Votre attestation de dépôt est disponible ci-dessous. Elle ne vaut pas autorisation de "
        "séjour.</p>"
        '<a class="button" id="telecharger" href="/demarche/attestation.pdf">'
        "Télécharger l'attestation de dépôt</a> "
        '<button type="button" id="imprimer" onclick="window.print()">Imprimer cette page</button>'))


def not_found() -> bytes:
    return page("Page introuvable", "<h1>Page introuvable</h1>"
                '<p><a href="/">Retour à l\'accueil</a></p>')


def expired() -> bytes:
    return page("Session expirée", "<h1>Votre session a expiré</h1>"
                '<p><a id="se-reconnecter" href="/connexion">Se connecter</a></p>')


# --- the official sites' server-rendered pages (sign-on, FranceConnect, identity providers, stamp shop) --

SITE_CSS = """
.fr-alert{border-left:4px solid #0063cb;background:#e8edff;padding:8px 16px;margin:16px 0}
.fr-alert--error{border-left-color:#ce0500;background:#ffe9e9;color:#ce0500}
.fr-alert--success{border-left-color:#18753c;background:#b8fec9}
.fr-hint-text{display:block;font-weight:normal;color:#666;font-size:14px}
.separator{text-align:center;font-weight:bold;margin:24px 0}
.choices{display:flex;flex-wrap:wrap;gap:12px}.choices form{margin:0}
.choices button{background:#fff;color:#000091;border:1px solid #000091;min-width:260px}
.fc-button{background:#000091;color:#fff;font-weight:bold}
.secondary{background:#fff;color:#000091;border:1px solid #000091}
.tabs{display:flex;gap:8px;flex-wrap:wrap;margin:8px 0 16px}
.tabs span{padding:6px 12px;border:1px solid #ddd;color:#666}
.tabs span.active{border-color:#000091;color:#000091;font-weight:bold}
fieldset{border:0;padding:0;margin:16px 0}legend{font-weight:bold}
input[type=radio]{width:22px;height:22px;vertical-align:middle}
"""


def site_page(title: str, site: str, body: str, *, subtitle: str = "") -> bytes:
    """A page of one of the official sites the replica mirrors (`site`: the name in its header), with
    the practice banner. `title` is the browser tab's title, `body` already escaped HTML."""
    small = f'<div class="hint">{escape(subtitle)}</div>' if subtitle else ""
    html = (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
        f"<title>{escape(title)} — {escape(BANNER)}</title><style>{CSS}{SITE_CSS}</style></head><body>"
        f'<div class="practice" role="note" id="entrainement">{escape(BANNER)}</div>'
        f'<header><div class="rf">République<br>Française</div><div class="site">{escape(site)}</div>{small}'
        f"</header><main>{body}</main></body></html>")
    return html.encode("utf-8")


def input_field(name: str, label: str, kind: str = "text", value: str = "", hint: str = "",
                autocomplete: str = "", ident: str = "") -> str:
    """A labelled input of a server-rendered official page (`ident`: its id, when not its name)."""
    ident = ident or name
    hint_html = f'<span class="hint">{escape(hint)}</span>' if hint else ""
    auto = f' autocomplete="{escape(autocomplete)}"' if autocomplete else ""
    shown = "" if kind == "password" else escape(value)
    return (f'<label for="{escape(ident)}">{escape(label)}{hint_html}</label>'
            f'<input type="{kind}" id="{escape(ident)}" name="{escape(name)}" value="{shown}"{auto}>')
