"""The guided flow state machine: transitions, back, progress, refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.content.pack import load_pack
from kiosk.visit import flow


@pytest.fixture
def procedure(fixture_pack: Path):
    return load_pack(fixture_pack).procedures["alpha"]


def test_walk_both_branches(procedure) -> None:
    s = flow.start(procedure)
    assert s.step.id == "intro" and not s.can_go_back and s.position == 1 and s.total == 3
    s = flow.advance(s, flow.Event.NEXT)
    assert s.step.id == "which"
    one = flow.advance(s, flow.Event.CHOOSE, "one")
    assert one.step.id == "docs" and one.answers == (("which", "one"),) and one.total == 4
    end = flow.advance(one, flow.Event.NEXT)
    assert end.finished and end.position == end.total == 4
    two = flow.advance(s, flow.Event.CHOOSE, "two")
    assert two.finished and two.step.id == "end_two"


def test_back_undoes_the_answer(procedure) -> None:
    s = flow.advance(flow.advance(flow.start(procedure), flow.Event.NEXT), flow.Event.CHOOSE, "one")
    back = flow.advance(s, flow.Event.BACK)
    assert back.step.id == "which" and back.answers == ()


@pytest.mark.parametrize(("moves", "event", "arg"), [
    ((), flow.Event.BACK, None),                       # first step
    ((), flow.Event.CHOOSE, "one"),                    # info does not take answers
    ((flow.Event.NEXT,), flow.Event.NEXT, None),       # a question needs an answer
    ((flow.Event.NEXT,), flow.Event.CHOOSE, "nope"),   # unknown answer
])
def test_refused_events(procedure, moves, event, arg) -> None:
    s = flow.start(procedure)
    for m in moves:
        s = flow.advance(s, m)
    with pytest.raises(flow.FlowError):
        flow.advance(s, event, arg)


def test_every_kind_has_a_transition_row() -> None:
    from kiosk.content.model import StepKind
    assert set(flow.TRANSITIONS) == set(StepKind)


def test_jump_goes_anywhere_and_back_returns(procedure) -> None:  # noqa: ANN001
    s = flow.jump(flow.start(procedure), "docs")
    assert s.step.id == "docs" and flow.advance(s, flow.Event.BACK).step.id == "intro"
    with pytest.raises(flow.FlowError):
        flow.jump(s, "nowhere")
