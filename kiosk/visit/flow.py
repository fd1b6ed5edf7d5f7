"""The guided flow: a pure state machine over one procedure of the content pack.

State is an immutable `FlowState` (the path of step ids walked so far and the answers given);
`advance()` applies one event and returns the next state. Which events each step kind accepts is
written down in `TRANSITIONS`; anything else raises `FlowError`. No Qt, no I/O.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from enum import StrEnum

from kiosk.content.model import Procedure, Step, StepKind


class Event(StrEnum):
    NEXT = "next"        # info, checklist: go on
    CHOOSE = "choose"    # question: pick an answer (argument: answer id)
    BACK = "back"        # any step but the first


TRANSITIONS: dict[StepKind, frozenset[Event]] = {
    StepKind.INFO: frozenset({Event.NEXT, Event.BACK}),
    StepKind.QUESTION: frozenset({Event.CHOOSE, Event.BACK}),
    StepKind.CHECKLIST: frozenset({Event.NEXT, Event.BACK}),
    StepKind.END: frozenset({Event.BACK}),
    StepKind.DATE: frozenset({Event.CHOOSE, Event.BACK}),   # choice: the outcome of the date rule
    StepKind.ADDRESS: frozenset({Event.NEXT, Event.BACK}),  # the e-mail address slip step
}


class FlowError(Exception):
    """An event that the current step does not accept."""


@dataclass(frozen=True)
class FlowState:
    procedure: Procedure
    path: tuple[str, ...]
    answers: tuple[tuple[str, str], ...] = ()   # (question step id, answer id), in order

    @property
    def step(self) -> Step:
        return self.procedure.steps[self.path[-1]]

    @property
    def can_go_back(self) -> bool:
        return len(self.path) > 1

    @property
    def finished(self) -> bool:
        return self.step.kind is StepKind.END

    @property
    def position(self) -> int:
        """1-based number of the current step along the visitor's path."""
        return len(self.path)

    @property
    def total(self) -> int:
        """Steps on the visitor's path if they take the shortest way to an end from here."""
        return len(self.path) + remaining_steps(self.procedure, self.step.id)


def start(procedure: Procedure) -> FlowState:
    return FlowState(procedure=procedure, path=(procedure.start,))


def advance(state: FlowState, event: Event, choice: str | None = None) -> FlowState:
    step = state.step
    if event not in TRANSITIONS[step.kind]:
        raise FlowError(f"step {step.id!r} ({step.kind.value}) does not accept {event.value!r}")
    if event is Event.BACK:
        if not state.can_go_back:
            raise FlowError("already at the first step")
        answers = tuple(a for a in state.answers if a[0] != state.path[-2])
        return FlowState(state.procedure, state.path[:-1], answers)
    if event is Event.CHOOSE:
        target = step.target_of(choice)
        if target is None or choice is None:
            raise FlowError(f"step {step.id!r} has no answer {choice!r}")
        return FlowState(state.procedure, (*state.path, target), (*state.answers, (step.id, choice)))
    assert step.next is not None  # guaranteed by pack validation for info and checklist
    return FlowState(state.procedure, (*state.path, step.next), state.answers)


def jump(state: FlowState, step_id: str) -> FlowState:
    """A mediator moves the visitor to any step of the procedure; Back returns to where they were."""
    if step_id not in state.procedure.steps:
        raise FlowError(f"procedure {state.procedure.id!r} has no step {step_id!r}")
    return FlowState(state.procedure, (*state.path, step_id), state.answers)


def remaining_steps(procedure: Procedure, step_id: str) -> int:
    """Fewest steps after `step_id` to reach an end step (0 on an end step)."""
    seen = {step_id}
    queue = deque([(step_id, 0)])
    while queue:
        sid, dist = queue.popleft()
        if procedure.steps[sid].kind is StepKind.END:
            return dist
        for nxt in procedure.steps[sid].successors():
            if nxt not in seen:
                seen.add(nxt)
                queue.append((nxt, dist + 1))
    return 0
