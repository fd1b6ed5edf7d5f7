"""The 2024 immigration law in the shipped guides (contrat d'engagement, French level, examen civique) and
the attestations the site gives back: each answer of the deciding questions leads to the steps that apply
to the visitor, and only to those (docs/research/rules-2026.md, sections 2 and 3)."""

from __future__ import annotations

import pytest

from kiosk.content.model import Procedure, StepKind
from kiosk.content.pack import load_pack
from kiosk.paths import DEFAULT_PACK

PACK = load_pack(DEFAULT_PACK)
EXAM_STEPS = {"multi_rules", "first_resident_rules", "exam_about", "docs_integration", "docs_first_resident"}


def walk(procedure: Procedure, *choices: str) -> list[str]:
    """The step ids a visit goes through, giving `choices` (answer ids, date outcomes) in order."""
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


RENEWAL = PACK.procedures["renewal"]


def test_renewal_first_multi_year_card_asks_a2_the_civic_exam_and_the_commitment() -> None:
    visited = walk(RENEWAL, "window", "no", "one_year", "yes", "salarie")
    wanted = {"card_type", "first_multi", "multi_rules", "exam_about", "docs_integration", "cer"}
    assert wanted <= set(visited)
    assert visited[-1] == "end"
    needed = {"language_certificate", "civic_exam_certificate", "republic_commitment"}
    assert needed <= documents(RENEWAL, visited)
    rules = RENEWAL.steps["multi_rules"].text
    assert "A2" in rules and "1er janvier 2026" in rules and "réfugié" in rules
    exam = RENEWAL.steps["exam_about"].text
    assert all(fact in exam for fact in ("40 questions", "45 minutes", "32 bonnes réponses sur 40", "agréé"))


@pytest.mark.parametrize("answers", [("one_year", "no"), ("multi_year",)],
                         ids=["one_year_again", "multi_year"])
def test_renewal_without_a_first_multi_year_card_has_no_exam_but_the_commitment(
        answers: tuple[str, ...]) -> None:
    visited = walk(RENEWAL, "window", "no", *answers, "vpf")
    assert "no_exam" in visited and "cer" in visited and not EXAM_STEPS & set(visited)
    found = documents(RENEWAL, visited)
    assert "republic_commitment" in found and not {"civic_exam_certificate", "language_certificate"} & found


def test_renewal_for_an_algerian_has_neither_exam_nor_mandatory_commitment() -> None:
    visited = walk(RENEWAL, "window", "yes", "etudiant")
    assert "algeria_note" in visited and "card_type" not in visited and "cer" not in visited
    assert not EXAM_STEPS & set(visited)
    assert "republic_commitment" not in documents(RENEWAL, visited)
    note = RENEWAL.steps["algeria_note"].text
    assert "examen civique" in note and "n'est pas obligatoire" in note


def test_renewal_sends_a_ten_year_card_to_the_resident_card_guide() -> None:
    visited = walk(RENEWAL, "late", "no", "resident")
    assert visited[-1] == "end_resident"
    assert PACK.procedures["resident_card_renewal"].title in RENEWAL.steps["end_resident"].text


RESIDENT = PACK.procedures["resident_card_renewal"]


@pytest.mark.parametrize("card", ["resident", "long_term_eu", "permanent"])
def test_resident_card_renewal_has_no_exam_and_the_commitment(card: str) -> None:
    visited = walk(RESIDENT, card, "no", "window", "no")
    assert {"no_exam", "cer"} <= set(visited) and not EXAM_STEPS & set(visited)
    assert "republic_commitment" in documents(RESIDENT, visited)


def test_resident_card_renewal_for_an_algerian_has_no_mandatory_commitment() -> None:
    visited = walk(RESIDENT, "algerian", "no", "window", "yes")
    assert "cer" not in visited and "no_exam" not in visited
    assert "republic_commitment" not in documents(RESIDENT, visited)


def test_a_first_resident_card_asks_b1_the_civic_exam_and_the_commitment() -> None:
    visited = walk(RESIDENT, "multi_year", "first_resident")
    assert {"first_resident_rules", "exam_about", "docs_first_resident", "cer_first"} <= set(visited)
    assert visited[-1] == "end_first_resident"
    needed = {"language_certificate", "civic_exam_certificate", "republic_commitment"}
    assert needed <= documents(RESIDENT, visited)
    rules = RESIDENT.steps["first_resident_rules"].text
    assert "B1" in rules and "65 ans" in rules


@pytest.mark.parametrize("answers", [("one_year",), ("multi_year", "renew_multi")])
def test_resident_card_guide_sends_other_cards_to_the_renewal_guide(answers: tuple[str, ...]) -> None:
    assert walk(RESIDENT, *answers)[-1] == "end_other"


NATURALISATION = PACK.procedures["naturalisation"]


def test_naturalisation_needs_the_civic_exam_certificate_to_file() -> None:
    with_it = walk(NATURALISATION, "no", "yes")
    assert "exam_question" in with_it and "civic_exam_certificate" in documents(NATURALISATION, with_it)
    assert "on_the_site" in with_it
    without = walk(NATURALISATION, "no", "no")
    assert {"exam_needed", "exam_about"} <= set(without) and without[-1] == "end_exam"
    assert "on_the_site" not in without
    needed = NATURALISATION.steps["exam_needed"].text
    assert "Algériens" in needed and "réfugiés" in needed       # no exemption for naturalisation
    assert "B2" in NATURALISATION.steps["language"].text


def test_declaration_by_marriage_has_no_civic_exam() -> None:
    visited = walk(NATURALISATION, "married_4_years")
    assert "exam_question" not in visited
    assert "civic_exam_certificate" not in documents(NATURALISATION, visited)
    assert "pas l'examen civique" in NATURALISATION.steps["marriage_conditions"].text


AFTER = PACK.procedures["after_filing"]


@pytest.mark.parametrize(("answer", "step"), [("depot", "depot"), ("api", "api"), ("favorable", "favorable"),
                                              ("no_api", "no_api"), ("unknown", "unknown")])
def test_after_filing_explains_each_attestation(answer: str, step: str) -> None:
    assert step in walk(AFTER, answer)


def test_the_extension_is_promised_only_under_its_conditions() -> None:
    for guide, step in (("after_filing", "api"), ("after_filing", "no_api"), ("renewal", "after_filing"),
                        ("resident_card_renewal", "after_filing")):
        text = PACK.procedures[guide].steps[step].text
        assert "complète" in text and "à temps" in text, (guide, step)
    for guide in ("renewal", "resident_card_renewal"):
        steps = PACK.procedures[guide].steps
        assert "attestation de décision favorable" in steps["after_filing"].text
        assert all("attestation de prolongation d'instruction" in steps[s].text for s in ("late", "expired"))
