"""The family guides (issue 15 point 4): spouse or parent of a French national (family_of_french) and the
Algerian certificates of residence under the 1968 agreement (algerian_certificate). Each answer of the
deciding questions leads to the rules and documents that apply to the visitor, and only to those; both
guides agree with the renewal, resident-card and naturalisation guides on how Algerians are treated
(Service-Public F2209 2024-10-04, F2215 2024-11-01, F2257 2024-10-01; docs/research/rules-2026.md)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from kiosk.browser.policy import SiteGuide
from kiosk.content.model import Procedure, StepKind
from kiosk.content.pack import load_pack
from kiosk.i18n import catalogs
from kiosk.paths import DEFAULT_PACK
from kiosk.visit.costs import visitor_costs

PACK = load_pack(DEFAULT_PACK)
FAMILY = PACK.procedures["family_of_french"]
ALGERIAN = PACK.procedures["algerian_certificate"]
EXAM_STEPS = {"multi_rules", "exam_about", "docs_integration"}
LANGUAGES = ("en", "ar", "es", "pt", "tr", "ru", "uk", "fa", "ps", "zh", "ta", "bn", "wo")


def walk(procedure: Procedure, *choices: str) -> list[str]:
    """The step ids a visit goes through, giving `choices` (answer ids) in order."""
    remaining = list(choices)
    step = procedure.steps[procedure.start]
    seen = [step.id]
    while step.kind is not StepKind.END:
        if step.kind in (StepKind.QUESTION, StepKind.DATE):
            assert remaining, f"{procedure.id}: no choice left for the question {step.id!r}"
            target = step.target_of(remaining.pop(0))
            assert target is not None, f"{procedure.id}: {step.id!r} has no such answer"
        else:
            target = step.next
        assert target is not None and target not in seen, f"{procedure.id}: loop or dead end at {step.id!r}"
        step = procedure.steps[target]
        seen.append(step.id)
    assert not remaining, f"{procedure.id}: choices left over: {remaining}"
    return seen


def documents(procedure: Procedure, visited: list[str]) -> set[str]:
    return {d for s in visited for d in procedure.steps[s].documents}


def text(procedure: Procedure, visited: list[str]) -> str:
    return "\n".join(f"{procedure.steps[s].title}\n{procedure.steps[s].text}" for s in visited)


# --- spouse or parent of a French national ---------------------------------------------------------

def test_spouse_with_a_long_stay_visa_asks_for_the_two_year_card_with_a2_exam_and_commitment() -> None:
    visited = walk(FAMILY, "no", "spouse", "vls_ts")
    assert EXAM_STEPS <= set(visited) and "no_exam" not in visited and visited[-1] == "end"
    needed = {"language_certificate", "civic_exam_certificate", "republic_commitment", "marriage_certificate",
              "spouse_nationality_proof", "community_of_life_proof", "non_polygamy_statement", "entry_proof"}
    assert needed <= documents(FAMILY, visited)
    said = text(FAMILY, visited)
    assert "2 ans" in said and "entre 4 mois et 2 mois" in said and "«transcrit»" in said
    assert "certificat médical de l'OFII" in FAMILY.steps["collect_card"].text


def test_spouse_married_in_france_on_a_short_visa_gets_one_year_no_exam_but_pays_regularisation() -> None:
    visited = walk(FAMILY, "no", "spouse", "short_visa")
    assert "no_exam" in visited and not EXAM_STEPS & set(visited)
    said = text(FAMILY, visited)
    assert "6 mois" in said and "1 an" in said and "droit de visa de régularisation" in said
    assert "n'est pas rendue" in said
    assert {"language_certificate", "civic_exam_certificate"}.isdisjoint(documents(FAMILY, visited))
    assert "republic_commitment" in documents(FAMILY, visited)


@pytest.mark.parametrize(("entry", "first_multi", "exam"), [
    ("other_card", "yes", True), ("other_card", "no", False), ("none", "yes", True), ("none", "no", False)])
def test_a_spouse_changing_card_or_unsure_gets_the_exam_only_for_a_first_multi_year_card(
        entry: str, first_multi: str, exam: bool) -> None:
    visited = walk(FAMILY, "no", "spouse", entry, first_multi)
    assert "first_multi" in visited
    assert (EXAM_STEPS <= set(visited)) is exam and ("no_exam" in visited) is not exam


@pytest.mark.parametrize(("recognition", "extra"), [("yes", True), ("no", False)])
def test_parent_of_a_french_child_first_card_without_exam(recognition: str, extra: bool) -> None:
    visited = walk(FAMILY, "no", "parent", recognition)
    assert "parent_no_exam" in visited and not EXAM_STEPS & set(visited) and "cer" in visited
    found = documents(FAMILY, visited)
    assert {"child_birth_certificate", "child_nationality_proof", "child_residence_proof",
            "upbringing_contribution_proof", "non_polygamy_statement", "republic_commitment"} <= found
    assert ("french_parent_contribution" in found) is extra
    said = text(FAMILY, visited)
    assert "moins de 18 ans" in said and "au moins 2 ans" in said and "A2" in said
    assert "même si vous n'avez pas de titre de séjour" in said


def test_algerians_are_sent_to_their_guide_by_its_title() -> None:
    visited = walk(FAMILY, "yes")
    assert visited[-1] == "end_algerian" and "cer" not in visited
    assert f"«{ALGERIAN.title}»" in FAMILY.steps["end_algerian"].text


def test_other_family_situations_end_without_a_promise() -> None:
    assert walk(FAMILY, "no", "other")[-1] == "end_other"


# --- Algerian certificates of residence ------------------------------------------------------------

@pytest.mark.parametrize(("ground", "docs_step", "specific"), [
    ("spouse", "docs_spouse", {"ofii_medical_certificate", "spouse_nationality_proof",
                               "marriage_certificate"}),
    ("parent", "docs_parent", {"child_nationality_proof", "parental_authority_proof",
                               "upbringing_contribution_proof", "child_residence_proof"}),
])
def test_first_algerian_certificate_no_exam_commitment_optional_online(ground: str, docs_step: str,
                                                                       specific: set[str]) -> None:
    visited = walk(ALGERIAN, "first_one_year", ground)
    assert docs_step in visited and visited[-1] == "end"
    found = documents(ALGERIAN, visited)
    assert specific | {"entry_proof", "proof_of_address_3m", "non_polygamy_statement"} <= found
    assert not {"republic_commitment", "language_certificate", "civic_exam_certificate"} & found
    said = text(ALGERIAN, visited)
    assert "vous ne passez pas l'examen civique" in said and "n'est pas obligatoire pour vous" in said
    assert "sur le site de l'ANEF" in said and "27 décembre 1968" in said
    assert "4 mois" in said      # implicit rejection of a 1-year certificate request (F2215)


def test_algerian_parent_who_recognised_the_child_later_needs_one_year_of_support() -> None:
    said = ALGERIAN.steps["parent_one_year"].text
    assert "après sa naissance" in said and "au moins 1 an" in said


def test_ten_year_certificate_for_a_spouse_leaves_the_filing_place_to_the_mediator() -> None:
    visited = walk(ALGERIAN, "ten_year", "spouse")
    assert "docs_ten_year" in visited
    said = ALGERIAN.steps["spouse_ten_year"].text
    assert "au moins 1 an" in said and "sur le site de l'ANEF ou à la préfecture" in said
    assert "community_of_life_proof" in documents(ALGERIAN, visited)
    assert walk(ALGERIAN, "ten_year", "other")[-1] == "end_other"


def test_renewals_go_to_the_guides_that_branch_on_algerian_nationality() -> None:
    renewal, resident = PACK.procedures["renewal"], PACK.procedures["resident_card_renewal"]
    one = ALGERIAN.steps[walk(ALGERIAN, "renew_one_year")[-1]].text
    ten = ALGERIAN.steps[walk(ALGERIAN, "renew_ten_year")[-1]].text
    assert f"«{renewal.title}»" in one and f"«{resident.title}»" in ten
    # what the visitor is told to answer there exists there
    algerian_question = renewal.steps["algerian"]
    assert algerian_question.title == "Êtes-vous de nationalité algérienne ?"
    assert "«Oui»" in one and any(a.label == "Oui" for a in algerian_question.answers)
    labels = [a.label for a in resident.steps["which_card"].answers]
    assert any(f"«{label}»" in ten for label in labels if "algérien" in label)


def test_the_guides_agree_with_the_other_guides_on_algerians() -> None:
    # renewal and resident-card guides: no civic exam, commitment not compulsory, for a certificate
    for other, step in (("renewal", "algeria_note"), ("resident_card_renewal", "algeria_note")):
        note = PACK.procedures[other].steps[step].text
        assert "examen civique" in note and "n'est pas obligatoire" in note
    # naturalisation: the civic exam is for everyone, Algerians too; the Algerian guide says the same
    assert "aussi pour les Algériens" in PACK.procedures["naturalisation"].steps["exam_needed"].text
    assert "aussi aux Algériens" in ALGERIAN.steps["rules_spouse"].text


def test_every_fact_has_a_dated_fiche_source() -> None:
    assert {s.ref for s in FAMILY.sources} >= {"F2209", "F36206", "F33071", "F38329"}
    assert {s.ref for s in ALGERIAN.sources} >= {"F2215", "F2257", "F38329"}
    for procedure in (FAMILY, ALGERIAN):
        assert all(s.date is not None and s.url.startswith("https://") for s in procedure.sources)


def test_no_amount_is_told_to_visitors() -> None:
    """2026 fees are only consistent-secondary (rules-2026.md): the guides' texts state no euro amount."""
    for procedure in (FAMILY, ALGERIAN):
        for step in procedure.steps.values():
            assert not re.search(r"\d\s?€|\beuros?\b", f"{step.title} {step.text}"), (procedure.id, step.id)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_text_is_translated(lang: str) -> None:
    po = DEFAULT_PACK / "locale" / lang / "LC_MESSAGES" / "content.po"
    translated = {m.id: m.string for m in catalogs.read(po) if m.id and str(m.string).strip()}
    for procedure in (FAMILY, ALGERIAN):
        texts = [procedure.title, procedure.summary]
        for step in procedure.steps.values():
            texts += [step.title, step.text, *(a.label for a in step.answers)]
            for label, explanation in step.glossary:
                texts += [label, explanation]
        for doc in {d for s in procedure.steps.values() for d in s.documents}:
            texts += [PACK.documents[doc].name, PACK.documents[doc].explanation]
        missing = [t for t in texts if t and t not in translated]
        assert not missing, f"{lang}: {missing[:3]}"


# --- what the visitor pays ([[costs]]) ---------------------------------------------------------------

def _answers(procedure: Procedure, *choices: str) -> tuple[tuple[str, str], ...]:
    visited = walk(procedure, *choices)
    questions = [s for s in visited if procedure.steps[s].kind is StepKind.QUESTION]
    return tuple(zip(questions, choices, strict=True))


@pytest.mark.parametrize(("procedure", "choices", "expected"), [
    (FAMILY, ("no", "spouse", "vls_ts"), {"vpf_card_tax", "card_stamp_duty"}),
    (FAMILY, ("no", "spouse", "short_visa"), {"first_card_tax", "card_stamp_duty", "regularisation_visa"}),
    (FAMILY, ("no", "spouse", "other_card", "no"), {"vpf_card_tax", "card_stamp_duty"}),
    (FAMILY, ("no", "parent", "no"), {"first_card_tax", "card_stamp_duty"}),
    (FAMILY, ("yes",), set()),
    (ALGERIAN, ("first_one_year", "spouse"), {"algerian_certificate_tax"}),
    (ALGERIAN, ("ten_year", "spouse"), set()),
], ids=["vls_ts", "short_visa", "other_card", "parent", "algerian", "dz_first", "dz_ten_year"])
def test_each_visitor_gets_the_payments_of_their_answers_and_no_unverified_amount(
        procedure: Procedure, choices: tuple[str, ...], expected: set[str]) -> None:
    lines = visitor_costs(procedure, _answers(procedure, *choices), dt.date(2026, 12, 8))
    assert {line.id for line in lines} == expected
    # every figure of these guides is secondary or unknown: the site states the amount
    assert all(line.amount_eur is None for line in lines)


def test_shared_cost_ids_agree_with_the_other_guides() -> None:
    for procedure in (FAMILY, ALGERIAN):
        for cost in procedure.costs:
            for other in PACK.procedures.values():
                for same in (c for c in other.costs if c.id == cost.id):
                    mine = (cost.label, cost.amount_eur, cost.status, cost.since)
                    assert (same.label, same.amount_eur, same.status, same.since) == mine, (cost.id, other.id)
    unsettled = {c.id: c for c in FAMILY.costs + ALGERIAN.costs if c.amount_eur is None}
    assert set(unsettled) == {"vpf_card_tax", "algerian_certificate_tax"}
    notes = [c.mediator_note for c in unsettled.values()]
    assert all("non établi" in note or "non vérifié" in note for note in notes)


# --- the official site (site.toml) -------------------------------------------------------------------

PORTAL = "https://administration-etrangers-en-france.interieur.gouv.fr"


@pytest.mark.parametrize("procedure", [FAMILY, ALGERIAN], ids=["family_of_french", "algerian_certificate"])
def test_the_request_pages_are_followed_and_the_family_questions_explained(procedure: Procedure) -> None:
    g = SiteGuide.for_procedure(procedure, PACK.site)
    request = f"{PORTAL}/usagers/#/sejour/demande-tse/vpf"
    for heading, page in [("Votre situation actuelle", "request_situation"),
                          ("Étape 1/6 Informations personnelles", "request_personal"),
                          ("Je joins mes documents justificatifs", "request_documents"),
                          ("RÉCAPITULATIF", "request_summary"), ("Confirmation", "request_confirmation")]:
        position = g.locate(request, heading)
        assert position.on_path and position.page is not None and position.page.step_id == page, heading
    assert PACK.site is not None
    pages = {p.id: p for p in PACK.site.pages}
    assert "En tant que membre de famille" in dict(pages["request_situation"].glossary)
    personal = dict(pages["request_personal"].glossary)
    # the site's questions are explained the same way on the site page and in the guide
    on_the_site = dict(FAMILY.steps["on_the_site"].glossary)
    for label in ("Quelle est la nationalité de votre conjoint(e) ?",
                  "L'un des enfants est-il de nationalité française ?"):
        assert personal[label] == on_the_site[label]
