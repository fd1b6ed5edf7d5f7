"""What the visitor pays (kiosk.visit.costs): amounts only when verified and in force, the costs of the
visitor's answers (the date step's "late" brings the late-renewal penalty), Babel formatting in the
visitor's locale with 0-9 digits, and every figure for the mediator with unverified ones marked."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest

from kiosk.content.model import Cost, Procedure
from kiosk.content.pack import load_pack
from kiosk.i18n import Translator
from kiosk.i18n.languages import LANGUAGES
from kiosk.paths import DEFAULT_PACK
from kiosk.visit.costs import (
    SITE_SHOWS,
    amount_text,
    for_mediator,
    mediator_lines,
    shown_amount,
    visitor_costs,
    visitor_line,
)
from kiosk.visit.dates import renewal_window
from kiosk.visit.flow import Event, advance, start

PACK = load_pack(DEFAULT_PACK)
TODAY = dt.date(2026, 12, 8)
RENEWAL = PACK.procedures["renewal"]


def tr(code: str) -> Translator:
    return Translator(LANGUAGES[code], content_dir=DEFAULT_PACK / "locale")


def cost(**changes: object) -> Cost:
    base = Cost(id="stamp", label="Droit de timbre sur la carte", amount_eur=50.0, status="verified",
                since=dt.date(2026, 5, 1), source="CESEDA L. 436-7", url="https://www.legifrance.gouv.fr/x",
                read=TODAY)
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def with_costs(*costs: Cost) -> Procedure:
    return dataclasses.replace(RENEWAL, costs=costs)


def test_an_amount_is_shown_only_when_verified_and_in_force() -> None:
    assert shown_amount(cost(), TODAY) == 50.0
    assert shown_amount(cost(status="secondary"), TODAY) is None
    assert shown_amount(cost(since=dt.date(2027, 1, 1)), TODAY) is None         # not yet in force
    assert shown_amount(cost(since=dt.date(2026, 12, 8)), TODAY) == 50.0        # from that day on
    assert shown_amount(cost(amount_eur=None, status=""), TODAY) is None


def answers_to_late_renewal(today: dt.date) -> tuple[tuple[str, str], ...]:
    """Walk the shipped renewal guide like a visitor whose card ends in 30 days (late: the 60-day
    window is over), salaried, not Algerian, renewing a multi-year card."""
    outcome = renewal_window(today + dt.timedelta(days=30), today).outcome
    assert outcome == "late"
    state = advance(start(RENEWAL), Event.NEXT)                  # welcome -> the date step
    state = advance(state, Event.CHOOSE, outcome)                # -> "late"
    state = advance(state, Event.NEXT)
    for step, answer in (("algerian", "no"), ("card_type", "multi_year")):
        assert state.step.id == step
        state = advance(state, Event.CHOOSE, answer)
    while state.step.id != "which_permit":
        state = advance(state, Event.NEXT)
    return advance(state, Event.CHOOSE, "salarie").answers


def test_the_date_steps_late_outcome_brings_the_late_renewal_penalty() -> None:
    late = answers_to_late_renewal(TODAY)
    on_time = tuple((s, "window" if s == "expiry" else a) for s, a in late)
    assert [c.id for c in visitor_costs(RENEWAL, late, TODAY)] == [
        "renewal_tax", "card_stamp_duty", "late_renewal_penalty"]
    assert [c.id for c in visitor_costs(RENEWAL, on_time, TODAY)] == ["renewal_tax", "card_stamp_duty"]
    penalty = next(c for c in visitor_costs(RENEWAL, late, TODAY) if c.id == "late_renewal_penalty")
    assert penalty.amount_eur == 180.0                        # CESEDA L. 436-5, verified
    renewal_tax = next(c for c in visitor_costs(RENEWAL, late, TODAY) if c.id == "renewal_tax")
    assert renewal_tax.amount_eur is None                     # 2026 figure: secondary sources only


def test_a_student_gets_the_reduced_rate_and_without_the_date_the_question_decides() -> None:
    answers = (("when", "less_than_2_months"), ("algerian", "yes"), ("which_permit", "etudiant"))
    assert [c.id for c in visitor_costs(RENEWAL, answers, TODAY)] == [
        "renewal_tax_reduced", "card_stamp_duty", "late_renewal_penalty"]


@pytest.mark.parametrize(("code", "expected"), [
    ("fr", "180,00\u00a0€"), ("en", "€180.00"), ("ar", "\u200f180.00\u00a0€"), ("ru", "180,00\u00a0€")])
def test_amounts_use_babel_in_the_visitors_locale_with_digits_0_9(code: str, expected: str) -> None:
    line = visitor_costs(RENEWAL, answers_to_late_renewal(TODAY), TODAY)[-1]
    text = amount_text(line, tr(code))
    assert text == expected
    assert not re.search(r"[\u0660-\u0669\u06f0-\u06f9]", text)       # no Arabic-Indic digits


@pytest.mark.parametrize("code", ["fr", "ar", "fa", "ps", "zh", "wo"])
def test_an_unverified_amount_says_the_site_shows_it_in_the_visitors_language(code: str) -> None:
    t = tr(code)
    line = visitor_costs(RENEWAL, answers_to_late_renewal(TODAY), TODAY)[0]
    sentence = t.tr(SITE_SHOWS)
    assert sentence != SITE_SHOWS or code == "en"
    assert amount_text(line, t) == sentence
    text = visitor_line(line, t)
    assert text.startswith(t.content(line.label)) and text.endswith(sentence)
    assert "200" not in text and "€" not in text


def test_the_mediator_sees_every_figure_unverified_ones_marked() -> None:
    t = tr("en")
    lines = mediator_lines(RENEWAL, answers_to_late_renewal(TODAY), t, TODAY)
    assert len(lines) == len(RENEWAL.costs) == 4
    by_id = dict(zip((c.id for c in RENEWAL.costs), lines, strict=True))
    assert "\u2068€200.00\u2069 — NOT VERIFIED" in by_id["renewal_tax"]
    assert "before: \u2068€200.00\u2069" in by_id["renewal_tax"]
    assert "Loi n° 2026-103" in by_id["renewal_tax"] and "8 December 2026" in by_id["renewal_tax"]
    assert "(not for this visitor's answers)" in by_id["renewal_tax_reduced"]
    assert "NOT VERIFIED" not in by_id["late_renewal_penalty"]
    assert "\u2068€180.00\u2069, from 1 May 2021" in by_id["late_renewal_penalty"]
    assert by_id["late_renewal_penalty"].endswith(RENEWAL.costs[3].mediator_note + "\u2069")
    assert for_mediator(RENEWAL, (), t, TODAY)[0] == "Payments of this guide (for the mediator)"
    assert for_mediator(with_costs(), (), t, TODAY) == []
    french = mediator_lines(RENEWAL, (), tr("fr"), TODAY)[0]
    assert "NON VÉRIFIÉ" in french and "200,00" in french


def test_a_cost_without_amount_says_so_to_the_mediator() -> None:
    no_amount = cost(amount_eur=None, status="", since=None)
    assert mediator_lines(with_costs(no_amount), (), tr("en"), TODAY) == [
        "Stamp duty on the card: no amount in the guide, the site shows it"]
