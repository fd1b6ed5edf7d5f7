"""The real Gate fits the UI's MediatorGate protocol (kiosk/mediator/ui/panel.py)."""

from __future__ import annotations

import dataclasses
import inspect
from pathlib import Path

from mediator_helpers import account

from kiosk.mediator import Gate, Journal, RelockPolicy, Throttle, Unlock
from kiosk.mediator.verify import show, verify


def test_unlock_result_has_the_fields_the_ui_reads() -> None:
    from kiosk.mediator.ui import panel as ui
    def shape(cls: type) -> list[tuple[str, object]]:
        return [(f.name, f.default) for f in dataclasses.fields(cls)]

    assert shape(Unlock) == shape(ui.Unlock)


def test_gate_has_the_protocol_methods() -> None:
    from kiosk.mediator.ui import panel as ui
    for name in ("unlock", "touch", "expired", "journal"):
        wanted = inspect.signature(getattr(ui.MediatorGate, name))
        got = inspect.signature(getattr(Gate, name))
        assert list(got.parameters) == list(wanted.parameters), name
        assert [p.kind for p in got.parameters.values()] == [p.kind for p in wanted.parameters.values()]


def test_an_assist_visit_as_the_ui_journals_it(tmp_path: Path) -> None:
    now = [0.0]
    journal = Journal(tmp_path / "j", "pref-69-01", wall_clock=lambda: 1_790_000_000.0 + now[0])
    gate = Gate([account("med-01", "mediator", "2468")], Throttle(clock=lambda: now[0]),
                RelockPolicy(180, lambda: now[0]), journal)
    result = gate.unlock("2468")                     # what kiosk/mediator/ui/assist.py does, in order
    gate.journal(result.actor or "", "unlocked")
    gate.journal("med-01", "jump", step="upload")
    gate.journal("med-01", "language", language="ar")
    gate.journal("med-01", "consent_given")
    gate.journal("med-01", "reprint")
    now[0] += 200
    assert gate.expired()
    gate.journal("med-01", "relocked")
    assert not gate.expired() and gate.actor is None
    assert verify(tmp_path / "j").ok
    assert [line.split()[4] for line in show(tmp_path / "j")] == [
        "unlocked", "jump", "language", "consent_given", "reprint", "relocked"]
