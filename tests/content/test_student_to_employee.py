"""The guide «Passer de «étudiant» à «salarié»» (student_to_employee, issue 15 point 4): the contract decides
the card («salarié» for a CDI, «travailleur temporaire» for a CDD), the employer's work authorisation comes
first and is what the visitor gets back from the employer, Algerians and visitors without a contract are
sent elsewhere, the portal's pages follow the request, and every text is translated in every language."""

from __future__ import annotations

import pytest

from kiosk.browser.policy import SiteGuide
from kiosk.content.extract import build_template
from kiosk.content.model import Procedure, StepKind
from kiosk.content.pack import load_pack
from kiosk.i18n import catalogs
from kiosk.paths import DEFAULT_PACK

PACK = load_pack(DEFAULT_PACK)
GUIDE = PACK.procedures["student_to_employee"]
PORTAL = "https://administration-etrangers-en-france.interieur.gouv.fr"


def walk(procedure: Procedure, *choices: str) -> list[str]:
    """The step ids a visit goes through, giving `choices` (answer ids) in order."""
    remaining = list(choices)
    step = procedure.steps[procedure.start]
    seen = [step.id]
    while step.kind is not StepKind.END:
        if step.kind in (StepKind.QUESTION, StepKind.DATE):
            assert remaining, f"no choice left for {step.id!r}"
            target = step.target_of(remaining.pop(0))
        else:
            target = step.next
        assert target is not None and target not in seen, f"loop or dead end at {step.id!r}"
        step = procedure.steps[target]
        seen.append(step.id)
    assert not remaining, f"choices left over: {remaining}"
    return seen


def documents(visited: list[str]) -> list[str]:
    return [d for s in visited for d in GUIDE.steps[s].documents]


@pytest.mark.parametrize(("contract", "card", "mention"), [
    ("cdi", "card_salarie", "salarié"), ("cdd", "card_temporaire", "travailleur temporaire")])
def test_the_contract_decides_the_card_and_the_employer_asks_first(contract: str, card: str,
                                                                    mention: str) -> None:
    visited = walk(GUIDE, "no", contract)
    assert visited == ["welcome", "algerian", "contract", card, "employer", "from_employer", "cer", "docs",
                       "tax_stamp", "on_the_site", "end"]
    assert f"«{mention}»" in GUIDE.steps[card].text
    # The employer files the work authorisation on the portal; the visitor gives copies and gets it back.
    employer = GUIDE.steps["employer"]
    assert "autorisation de travail" in employer.text and "site de l'ANEF" in employer.text
    assert set(employer.documents) == {"passport", "diploma"}
    assert set(GUIDE.steps["from_employer"].documents) == {"work_authorisation", "employment_contract"}
    assert "par e-mail" in GUIDE.steps["from_employer"].text
    needed = {"republic_commitment", "residence_permit", "proof_of_address", "ephoto"}
    assert needed <= set(documents(visited))
    site = GUIDE.steps["on_the_site"].text
    assert "«En tant que salarié - Hors passeport talent & hors Citoyen UE»" in site
    assert "Dans certains départements" in site         # a local paper route is said, hedged
    assert "964 heures" in GUIDE.steps["welcome"].text


def test_algerians_and_visitors_without_a_contract_are_sent_to_the_mediator() -> None:
    algerian = walk(GUIDE, "yes")
    assert algerian[-1] == "algeria_end" and "certificat de résidence" in GUIDE.steps["algeria_end"].text
    assert "republic_commitment" not in documents(algerian)
    no_contract = walk(GUIDE, "no", "none")
    assert no_contract[-1] == "no_contract" and "employer" not in no_contract


def test_the_new_documents_exist_with_a_pictogram() -> None:
    for doc in ("diploma", "work_authorisation", "employment_contract"):
        assert PACK.documents[doc].pictogram, doc


def test_the_costs_show_no_unverified_amount() -> None:
    costs = {c.id: c for c in GUIDE.costs}
    assert set(costs) == {"change_of_status_tax", "card_stamp_duty"}
    assert costs["change_of_status_tax"].amount_eur is None          # 2026 rate not settled by a source
    assert not costs["card_stamp_duty"].verified                     # secondary: not shown to visitors
    assert "€" not in "".join(s.text for s in GUIDE.steps.values())


@pytest.mark.parametrize("prefix", ["usagers", "particuliers"])
def test_the_portal_pages_follow_the_request_and_the_employer_space_keeps_the_guide(prefix: str) -> None:
    g = SiteGuide.for_procedure(GUIDE, PACK.site)
    request = f"{PORTAL}/{prefix}/#/sejour/demande-titre-sejour"
    situation = g.locate(request, "Votre situation actuelle")
    assert situation.page is not None and situation.page.step_id == "request_situation"
    label = ("En tant que salarié - Hors passeport talent & hors Citoyen UE",
             "Le choix pour demander une carte «salarié» ou «travailleur temporaire».")
    assert label in situation.page.glossary
    for heading, page in (("Informations personnelles", "request_personal"),
                          ("Justificatifs", "request_documents"), ("Récapitulatif", "request_summary"),
                          ("Confirmation", "request_confirmation")):
        position = g.locate(request, heading)
        assert position.page is not None and position.page.step_id == page, heading
    employer = g.locate(f"{PORTAL}/immiprousager/#/", "")
    assert employer.on_path and employer.page is not None
    assert employer.page.step_id == "work_authorisation_employer" and employer.page.glossary == ()


def test_every_text_of_the_guide_is_translated_in_every_language() -> None:
    mine = {m.id for m in build_template(PACK) if m.id and any(
        loc.startswith("procedures/student_to_employee.toml") or loc.split(":")[1].split("/")[0] in
        {"diploma", "work_authorisation", "employment_contract"} or "work_authorisation_employer" in loc
        for loc, _ in m.locations)}
    assert len(mine) > 40
    for lang in PACK.languages:
        if lang == "fr":
            continue
        po = DEFAULT_PACK / "locale" / lang / "LC_MESSAGES" / "content.po"
        strings = {m.id: m.string for m in catalogs.read(po) if m.id}
        assert [m for m in mine if not strings.get(m)] == [], lang
