"""The stamp shop's replica (timbres.impots.gouv.fr): home "Acheter un timbre électronique" →
"Débuter l'achat" → "Étape 1 Choix du timbre" ("Ajouter au panier", "Voir mon panier") → "Étape 2
Validation du panier" (delivery by e-mail or SMS, "Valider le panier") → payment → "Télécharger les
documents" (docs/research/site-journey.md §17, W1, P4). The card-payment host is not known (§1): the
replica's payment page stays on the shop's host, asks for no card number and takes no money; the stamp
is a PDF marked as worthless practice. The paths are [inferred].
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from html import escape
from http import HTTPStatus

from kiosk.browser.replica import pages
from kiosk.browser.replica.attestation import attestation_pdf
from kiosk.browser.replica.official import Basket, OfficialReplica, Request, Response, new_secret

SITE = "timbres.impots.gouv.fr"
COOKIE = "timbres_panier"
STAMPS = ("Titre de séjour : première demande ou renouvellement",
          "Titre de séjour : duplicata (perte, vol, détérioration)",
          "Document de circulation pour étranger mineur",
          "Naturalisation, réintégration dans la nationalité française")
STEPS = ("Étape 1 Choix du timbre", "Étape 2 Validation du panier", "Étape 3 Paiement")


def _tabs(active: int) -> str:
    return '<div class="tabs" id="etapes">' + "".join(
        f'<span class="{"active" if i == active else ""}">{escape(label)}</span>'
        for i, label in enumerate(STEPS)) + "</div>"


class StampShop:
    def __init__(self, replica: OfficialReplica) -> None:
        self.replica = replica
        self.store = replica.store

    def _page(self, body: str, status: HTTPStatus = HTTPStatus.OK) -> Response:
        return Response(pages.site_page("Timbre fiscal électronique", SITE, body,
                                        subtitle="Direction générale des Finances publiques"), status)

    def handle(self, r: Request) -> Response:
        key = r.cookies.get(COOKIE, "")
        basket = self.store.baskets.get(key)
        if basket is None:
            key, basket = new_secret(), Basket()
            self.store.baskets.put(key, basket)
        routes: dict[tuple[str, str], Callable[[Request, Basket], Response]] = {
            ("GET", "/"): self._home,
            ("GET", "/achat/choix"): self._choice, ("POST", "/achat/choix"): self._add,
            ("GET", "/achat/panier"): self._basket, ("POST", "/achat/panier"): self._validate,
            ("GET", "/achat/paiement"): self._payment, ("POST", "/achat/paiement"): self._pay,
            ("GET", "/achat/documents"): self._documents, ("GET", "/achat/timbre.pdf"): self._pdf,
            ("GET", "/pages/aide/timbredemat.jsp"): self._help,
        }
        route = routes.get((r.method, r.path))
        response = route(r, basket) if route is not None else self._page("<h1>Page introuvable</h1>",
                                                                         HTTPStatus.NOT_FOUND)
        return response.cookie(COOKIE, key, r)

    def _home(self, _r: Request, _b: Basket) -> Response:
        return self._page(
            "<h1>Acheter un timbre électronique</h1>"
            "<p>Le timbre électronique est acheté en ligne et payé par carte bancaire (CB, Visa, "
            "Mastercard). Vous le recevez en PDF (avec un code 2D) ou par SMS (un numéro à 16 "
            "chiffres).</p>"
            '<a class="button" id="debuter-achat" href="/achat/choix">Débuter l\'achat</a>'
            "<h2>Demander le remboursement d'un timbre électronique</h2>"
            "<p>Non reproduit dans l'entraînement.</p>"
            '<p><a href="/pages/aide/timbredemat.jsp" id="aide">Aide : le timbre électronique</a></p>')

    def _choice(self, _r: Request, b: Basket, error: str = "") -> Response:
        options = "".join(
            f'<label><input type="radio" name="timbre" id="timbre-{i}" value="{escape(s)}"'
            f'{" checked" if s == b.stamp else ""}> {escape(s)}</label>' for i, s in enumerate(STAMPS))
        added = "" if not b.stamp else (
            '<p class="ok" id="ajoute">Le timbre a été ajouté au panier.</p>'
            '<a class="button" id="voir-panier" href="/achat/panier">Voir mon panier</a>')
        return self._page(
            _tabs(0) + "<h1>Choix du timbre</h1>" + (_alert(error) if error else "") + added
            + '<form method="post" action="/achat/choix" novalidate><fieldset><legend>Pour quelle démarche '
              '?</legend>'
            + options + "</fieldset>"
            + '<button type="submit" id="ajouter-panier">Ajouter au panier</button></form>')

    def _add(self, r: Request, b: Basket) -> Response:
        stamp = r.form.get("timbre", "")
        if stamp not in STAMPS:
            return self._choice(r, b, "Choisissez un timbre.")
        b.stamp, b.paid, b.number = stamp, None, ""
        return Response.redirect("/achat/choix")

    def _basket(self, r: Request, b: Basket, error: str = "") -> Response:
        if not b.stamp:
            return Response.redirect("/achat/choix")
        delivery = "".join(
            f'<label><input type="radio" name="reception" id="reception-{v}" value="{v}"'
            f'{" checked" if b.delivery == v else ""}> {label}</label>'
            for v, label in (("courriel", "Par courriel (PDF)"), ("sms", "Par SMS")))
        return self._page(
            _tabs(1) + "<h1>Validation du panier</h1>" + (_alert(error) if error else "")
            + f'<table id="panier"><tr><th>Timbre</th><td>{escape(b.stamp)}</td></tr></table>'
            + '<form method="post" action="/achat/panier" novalidate><fieldset><legend>Mode de '
              'réception</legend>'
            + delivery + "</fieldset>"
            + pages.input_field("contact", "Adresse électronique ou numéro de téléphone portable",
                                value=b.contact, hint="Le timbre y sera envoyé.")
            + '<button type="submit" id="valider-panier">Valider le panier</button></form>')

    def _validate(self, r: Request, b: Basket) -> Response:
        delivery, contact = r.form.get("reception", ""), r.form.get("contact", "").strip()
        b.delivery, b.contact = delivery, contact
        email = re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", contact)
        phone = re.fullmatch(r"(\+33|0)[67]\d{8}", re.sub(r"[\s.]", "", contact))
        if delivery not in ("courriel", "sms") or not ((delivery == "courriel" and email) or
                                                       (delivery == "sms" and phone)):
            return self._basket(r, b, "Choisissez un mode de réception et indiquez une adresse électronique "
                                      "ou un numéro de téléphone portable valide.")
        return Response.redirect("/achat/paiement")

    def _payment(self, _r: Request, b: Basket) -> Response:
        if not b.stamp or not b.delivery:
            return Response.redirect("/achat/panier")
        cards = "".join(f'<button type="submit" name="carte" value="{v}" id="carte-{v}">{label}</button> '
                        for v, label in (("visa", "Carte VISA"), ("mastercard", "MasterCard"),
                                         ("cb", "Carte Bleue")))
        return self._page(
            _tabs(2) + "<h1>Paiement</h1>"
            + '<div class="fr-alert" id="paiement-entrainement"><p>'
              "Entraînement : aucune carte n'est demandée et rien n'est payé. Sur le vrai site, vous "
              "écrivez les numéros de votre carte bancaire, puis votre banque vous demande une "
              "confirmation (dans son application ou par SMS).</p></div>"
            + '<form method="post" action="/achat/paiement" novalidate>'
              f"<p>Choisissez votre carte :</p>{cards}</form>")

    def _pay(self, r: Request, b: Basket) -> Response:
        if not b.stamp or not b.delivery or r.form.get("carte") not in ("visa", "mastercard", "cb"):
            return Response.redirect("/achat/paiement")
        b.paid = self.replica.clock()
        b.number = "".join(str(secrets.randbelow(10)) for _ in range(16))
        return Response.redirect("/achat/documents")

    def _documents(self, _r: Request, b: Basket) -> Response:
        if b.paid is None:
            return Response.redirect("/achat/paiement")
        spaced = " ".join(b.number[i:i + 4] for i in range(0, 16, 4))
        how = "par courriel" if b.delivery == "courriel" else "par SMS"
        return self._page(
            "<h1>Votre achat est terminé</h1>"
            "<p>Numéro du timbre (entraînement, sans valeur) : "
            f'<strong id="numero-timbre">{spaced}</strong></p>'
            f"<p>Le timbre est aussi envoyé {how} à {escape(b.contact)}.</p>"
            '<a class="button" id="telecharger-documents" href="/achat/timbre.pdf">'
            "Télécharger les documents</a>")

    def _pdf(self, _r: Request, b: Basket) -> Response:
        if b.paid is None:
            return self._page("<h1>Page introuvable</h1>", HTTPStatus.NOT_FOUND)
        pdf = attestation_pdf(b.number, [("Démarche", b.stamp)], b.paid, title="Timbre fiscal électronique",
                              number_label="Numéro du timbre", date_label="Date d'achat")
        return Response(pdf, ctype="application/pdf",
                        headers=[("Content-Disposition", f'attachment; filename="timbre-{b.number}.pdf"')])

    def _help(self, _r: Request, _b: Basket) -> Response:
        return self._page("<h1>Le timbre électronique</h1><p>Le timbre électronique sert notamment pour "
                          "les titres de séjour, les documents de voyage et la naturalisation.</p>"
                          '<p><a href="/">Acheter un timbre électronique</a></p>')


def _alert(text: str) -> str:
    return f'<div class="fr-alert fr-alert--error" role="alert" id="erreur"><p>{escape(text)}</p></div>'
