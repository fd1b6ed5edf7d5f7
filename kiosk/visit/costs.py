"""What the visitor pays in a guide, as the guide, the receipt and the mediator show it. Pure: no Qt.

The payments are the guide's `[[costs]]` (kiosk.content.model.Cost, docs/content-pack.md "Costs").
An amount reaches the visitor only when it was read in a primary or official source (`status =
"verified"`) and is in force (`since` reached); otherwise the visitor reads what the payment is for and
that the site shows the amount before paying. Mediators see every figure, an unverified one marked so.
A cost with `applies_when` is the visitor's only when one of its answers was given, so the date step's
outcome ("late", "expired") brings the late-renewal penalty.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kiosk.content.model import Cost, Procedure
from kiosk.i18n import N_, Translator, isolate

SITE_SHOWS = N_("The site shows the amount before you pay.")
HEADING = N_("What you will pay")
MEDIATOR_HEADING = N_("Payments of this guide (for the mediator)")
VERIFIED = N_("{item}: {amount}, from {since} ({source}, read on {read})")
UNVERIFIED = N_("{item}: {amount} — NOT VERIFIED, not shown to the visitor ({source}, read on {read}); "
                "from {since}, before: {previous}")
NO_AMOUNT = N_("{item}: no amount in the guide, the site shows it")
NOT_THEIRS = N_("(not for this visitor's answers)")


@dataclass(frozen=True)
class CostLine:
    """One payment as the visitor sees it: texts are the pack's French (content msgids)."""

    id: str
    label: str
    note: str
    amount_eur: float | None        # None: the site shows the amount before the visitor pays


def shown_amount(cost: Cost, today: dt.date) -> float | None:
    """The amount the visitor may read: verified and in force on `today`, else None."""
    if cost.verified and (cost.since is None or cost.since <= today):
        return cost.amount_eur
    return None


def visitor_costs(procedure: Procedure, answers: tuple[tuple[str, str], ...],
                  today: dt.date) -> tuple[CostLine, ...]:
    """The guide's payments that concern a visitor with these answers (FlowState.answers)."""
    return tuple(CostLine(c.id, c.label, c.note, shown_amount(c, today))
                 for c in procedure.costs if c.applies(answers))


def amount_text(line: CostLine, tr: Translator) -> str:
    """The amount in the visitor's locale (Babel), or the sentence saying the site shows it."""
    return tr.money(line.amount_eur) if line.amount_eur is not None else tr.tr(SITE_SHOWS)


def visitor_line(line: CostLine, tr: Translator) -> str:
    """"Label: amount" as the guide page and the receipt print it."""
    amount = amount_text(line, tr)
    return tr.tr("{item}: {amount}", item=tr.content(line.label),
                 amount=isolate(amount) if line.amount_eur is not None else amount)


def mediator_lines(procedure: Procedure, answers: tuple[tuple[str, str], ...], tr: Translator,
                   today: dt.date) -> list[str]:
    """Every payment of the guide for the mediator panel: the figure with its source and date read,
    "NOT VERIFIED" when it stays out of the visitor's text, and the mediator note."""
    out = []
    for cost in procedure.costs:
        item = tr.content(cost.label)
        if cost.amount_eur is None:
            text = tr.tr(NO_AMOUNT, item=item)
        else:
            values = {"item": item, "amount": isolate(tr.money(cost.amount_eur)),
                      "since": tr.date(cost.since) if cost.since else "—", "source": isolate(cost.source),
                      "read": tr.date(cost.read) if cost.read else "—"}
            if shown_amount(cost, today) is not None:
                text = tr.tr(VERIFIED, **values)
            else:
                previous = "—" if cost.previous_eur is None else isolate(tr.money(cost.previous_eur))
                text = tr.tr(UNVERIFIED, previous=previous, **values)
        if not cost.applies(answers):
            text = f"{text} {tr.tr(NOT_THEIRS)}"
        if cost.mediator_note:
            text = f"{text}\n{isolate(cost.mediator_note)}"
        out.append(text)
    return out


def for_mediator(procedure: Procedure, answers: tuple[tuple[str, str], ...], tr: Translator,
                 today: dt.date) -> list[str]:
    """The mediator panel's lines: a heading, then mediator_lines; empty when the guide has no costs."""
    lines = mediator_lines(procedure, answers, tr, today)
    return [tr.tr(MEDIATOR_HEADING), *lines] if lines else []
