"""Every branch of every guide of the shipped pack, walked to its end through the real UI."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt

from kiosk.content.model import Procedure, StepKind
from kiosk.content.pack import load_pack
from kiosk.paths import DEFAULT_PACK

PACK = load_pack(DEFAULT_PACK)
DAYS_LEFT = {"early": 200, "window": 90, "late": 30, "expired": -10}   # expiry date minus today


def paths(procedure: Procedure) -> Iterator[tuple[str, ...]]:
    """Every sequence of answer ids that leads from the start to an end step (no step twice)."""
    def walk(step_id: str, answers: tuple[str, ...], seen: frozenset[str]) -> Iterator[tuple[str, ...]]:
        step = procedure.steps[step_id]
        if step.kind is StepKind.END:
            yield answers
        elif step.kind in (StepKind.QUESTION, StepKind.DATE):
            for choice, target in ([(a.id, a.next) for a in step.answers] + list(step.outcomes)):
                if target not in seen:
                    yield from walk(target, (*answers, choice), seen | {target})
        elif step.next and step.next not in seen:
            yield from walk(step.next, answers, seen | {step.next})
    yield from walk(procedure.start, (), frozenset({procedure.start}))


CASES = [(pid, answers) for pid, proc in PACK.procedures.items() for answers in paths(proc)]


def test_every_procedure_has_branches_to_walk() -> None:
    assert {pid for pid, _ in CASES} == set(PACK.procedures)


@pytest.mark.parametrize(("procedure_id", "answers"), CASES,
                         ids=[f"{pid}:{'/'.join(a) or 'straight'}" for pid, a in CASES])
def test_branch_reaches_its_end(make_kiosk, qtbot, procedure_id, answers) -> None:  # noqa: ANN001
    kiosk = make_kiosk(pack=DEFAULT_PACK)
    w = kiosk.window
    qtbot.mouseClick(w.attract._start, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(w.language_page.buttons["fr"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(w.procedure_page.buttons[procedure_id], Qt.MouseButton.LeftButton)
    remaining = list(answers)
    for _ in range(200):
        page, step = w.stack.currentWidget(), kiosk.visit.state.step
        assert page is w.step_pages[step.kind] and page._title.text() == step.title
        if step.kind is StepKind.END:
            break
        if step.kind is StepKind.DATE:
            wanted = remaining.pop(0)
            if wanted == "unknown":
                qtbot.mouseClick(page._unknown, Qt.MouseButton.LeftButton)
            else:
                page.set_date(dt.date.today() + dt.timedelta(days=DAYS_LEFT[wanted]))
                assert page.outcome() == wanted and page._result.text()
                qtbot.mouseClick(page._next, Qt.MouseButton.LeftButton)
        elif step.kind is StepKind.QUESTION:
            wanted = remaining.pop(0)
            button = next(b for b in page.answer_buttons if b.objectName() == f"answer_{wanted}")
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        else:
            qtbot.mouseClick(page._next, Qt.MouseButton.LeftButton)
    assert kiosk.visit.state.finished and remaining == []
    qtbot.mouseClick(w.stack.currentWidget()._next, Qt.MouseButton.LeftButton)
    assert not kiosk.visit.active
