"""The guide «Ma première carte de plusieurs années» (first_multi_year, issue 15 point 4): who may ask
(after a 1-year card or a VLS-TS, not with the excluded mentions, not Algerians), the 2026 proofs (A2 and
the examen civique) asked of those who signed the CIR, what happens without them, the renewal window and
the late fee as a cost of the late answers only, and every text translated in every language."""

from __future__ import annotations

import pytest

from kiosk.content.extract import build_template
from kiosk.content.model import Procedure, StepKind
from kiosk.content.pack import load_pack
from kiosk.i18n import catalogs
from kiosk.paths import DEFAULT_PACK

PACK = load_pack(DEFAULT_PACK)
GUIDE = PACK.procedures["first_multi_year"]
PROOFS = {"language_certificate", "civic_exam_certificate"}


def walk(procedure: Procedure, *choices: str) -> list[str]:
    """The step ids a visit goes through, giving `choices` (answer ids, date outcomes) in order."""
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


def documents(visited: list[str]) -> set[str]:
    return {d for s in visited for d in GUIDE.steps[s].documents}


@pytest.mark.parametrize("card", ["one_year", "vls_ts"])
def test_a_cir_signatory_with_the_proofs_files_them_with_the_ofii_attestation(card: str) -> None:
    visited = walk(GUIDE, "no", card, "eligible", "yes", "yes", "window", "salarie")
    wanted = {"cir_training", "multi_rules", "exam_about", "docs_integration", "cer", "docs_salarie"}
    assert wanted <= set(visited) and visited[-1] == "end"
    needed = PROOFS | {"cir_certificate", "republic_commitment", "employment_proof", "payslips"}
    assert needed <= documents(visited)
    rules = GUIDE.steps["multi_rules"].text
    assert "1er janvier 2026" in rules and "A2" in rules and "réfugié" in rules
    exam = GUIDE.steps["exam_about"].text
    assert all(f in exam for f in ("40 questions", "45 minutes", "32 bonnes réponses"))


def test_without_the_proofs_the_visitor_learns_the_one_year_card_limit() -> None:
    visited = walk(GUIDE, "no", "one_year", "eligible", "yes", "no", "window", "vpf")
    assert "proofs_missing" in visited and "docs_integration" not in visited
    assert not PROOFS & documents(visited)
    text = GUIDE.steps["proofs_missing"].text
    assert "3 fois de suite" in text and "préfecture" in text


def test_who_did_not_sign_the_cir_is_not_asked_the_exam() -> None:
    visited = walk(GUIDE, "no", "one_year", "eligible", "no", "window", "etudiant")
    assert "no_cir" in visited and not {"multi_rules", "exam_about", "cir_training"} & set(visited)
    assert not PROOFS & documents(visited) and "republic_commitment" in documents(visited)
    unsure = walk(GUIDE, "no", "one_year", "eligible", "unsure", "yes", "window", "other")
    assert {"cir_unsure", "cir_training", "multi_rules"} <= set(unsure)


def test_who_cannot_have_a_multi_year_card_is_sent_elsewhere() -> None:
    assert walk(GUIDE, "no", "one_year", "excluded")[-1] == "not_eligible"
    for mention in ("travailleur temporaire", "visiteur", "stagiaire", "jeune au pair"):
        assert f"«{mention}»" in GUIDE.steps["not_eligible"].text
    for card in ("multi_year", "resident"):
        assert walk(GUIDE, "no", card)[-1] == "end_already"
    algerian = walk(GUIDE, "yes")
    assert algerian[-1] == "algeria_end" and not PROOFS & documents(algerian)
    assert "1968" in GUIDE.steps["algeria_end"].text and "examen civique" in GUIDE.steps["algeria_end"].text


def test_the_late_fee_is_a_cost_of_the_late_answers_and_no_step_states_an_amount() -> None:
    costs = {c.id: c for c in GUIDE.costs}
    assert set(costs) == {"renewal_tax", "renewal_tax_reduced", "card_stamp_duty", "late_renewal_penalty"}
    assert costs["renewal_tax_reduced"].applies((("which_permit", "etudiant"),))
    assert not costs["renewal_tax"].applies((("which_permit", "etudiant"),))
    late = costs["late_renewal_penalty"]
    assert late.applies((("expiry", "late"),)) and late.applies((("when", "expired"),))
    assert not late.applies((("expiry", "window"),))
    assert not costs["renewal_tax"].verified and not costs["card_stamp_duty"].verified
    assert "€" not in "".join(s.text for s in GUIDE.steps.values())
    visited = walk(GUIDE, "no", "one_year", "eligible", "no", "late", "salarie")
    assert "late" in visited and "droit de visa de régularisation" in GUIDE.steps["late"].text


def test_the_guide_names_its_fiches_and_the_2026_texts() -> None:
    refs = {s.ref for s in GUIDE.sources}
    assert {"F35799", "F15898", "F38329"} <= refs
    assert any("2025-647" in r for r in refs) and any("L. 433-4" in r for r in refs)


def test_every_text_of_the_guide_is_translated_in_every_language() -> None:
    mine = {m.id for m in build_template(PACK) if m.id and any(
        loc.startswith("procedures/first_multi_year.toml") or loc == "documents.toml:cir_certificate/name"
        for loc, _ in m.locations)}
    assert len(mine) > 60
    for lang in PACK.languages:
        if lang == "fr":
            continue
        po = DEFAULT_PACK / "locale" / lang / "LC_MESSAGES" / "content.po"
        strings = {m.id: m.string for m in catalogs.read(po) if m.id}
        assert [m for m in mine if not strings.get(m)] == [], lang
