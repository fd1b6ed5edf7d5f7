"""The e-mail address guide (procedures/email_address.toml): its branches, the address step, the side
guide over a procedure's site, the slip, and the mediator's checklist."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import tomllib
from pathlib import Path

import pytest

from kiosk.content.model import StepKind
from kiosk.content.pack import load_pack
from kiosk.i18n import Translators
from kiosk.mediator.new_address import ITEMS
from kiosk.paths import DEFAULT_PACK
from kiosk.receipts.fonts import FontBook
from kiosk.receipts.model import Site
from kiosk.receipts.slip import AddressSlip, SlipRenderer, provider_of
from kiosk.shell.ui.email_help import EMAIL_GUIDE, SITE_PAGES
from kiosk.visit import flow
from kiosk.visit.email import looks_like_address
from kiosk.visit.session import EndReason, SessionManager
from kiosk.visit.visit import Screen, Visit

ADDRESS = "amina.benali.lyon@laposte.net"


@pytest.fixture(scope="module")
def pack():  # noqa: ANN201
    return load_pack(DEFAULT_PACK)


def walk(visit: Visit, answers: dict[str, str]) -> list[str]:
    """Follow the guide to its end, answering questions from `answers`; the step ids seen."""
    seen = []
    while True:
        assert visit.state is not None
        step = visit.state.step
        seen.append(step.id)
        if step.kind is StepKind.END:
            return seen
        if step.kind is StepKind.QUESTION:
            visit.choose(answers[step.id])
        else:
            visit.next()


def new_visit(pack, tmp_path: Path) -> Visit:  # noqa: ANN001
    visit = Visit(SessionManager(tmp_path / "sessions"), pack, ("fr", "ar"), "fr")
    visit.touch_start()
    visit.choose_language("fr")
    return visit


@pytest.mark.parametrize(("answers", "through"), [
    ({"situation": "none"}, ["create", "password", "recovery", "test", "type_address", "keep"]),
    ({"situation": "lost_password", "code": "yes"}, ["recover", "code", "type_address"]),
    ({"situation": "lost_password", "code": "no"}, ["no_code", "create", "password", "type_address"]),
    ({"situation": "not_sure"}, ["which_one", "type_address", "keep"]),
    ({"situation": "ready"}, ["type_address", "keep"]),
])
def test_every_branch_reaches_the_address_step_and_the_end(
        pack, tmp_path: Path, answers: dict[str, str], through: list[str]) -> None:  # noqa: ANN001
    visit = new_visit(pack, tmp_path)
    visit.choose_procedure(EMAIL_GUIDE)
    seen = walk(visit, answers)
    assert seen[0] == "welcome" and seen[-1] == "end"
    assert [s for s in seen if s in through] == through


def test_the_guide_never_asks_for_a_password_and_says_so(pack) -> None:  # noqa: ANN001
    guide = pack.procedures[EMAIL_GUIDE]
    text = " ".join(f"{s.title} {s.text}" for s in guide.steps.values())
    assert "même pas au médiateur" in text and "n'imprime jamais votre mot de passe" in text
    assert [s.id for s in guide.steps.values() if s.kind is StepKind.ADDRESS] == ["type_address"]
    assert "0 806 001 620" in text                      # the contact centre of contacts.toml


def test_address_step_keeps_the_address_in_the_session_only(pack, tmp_path: Path) -> None:  # noqa: ANN001
    visit = new_visit(pack, tmp_path)
    visit.choose_procedure(EMAIL_GUIDE)
    visit.next()
    visit.choose("ready")
    assert visit.state is not None and visit.state.step.kind is StepKind.ADDRESS
    visit.set_email_address(f"  {ADDRESS} ")
    assert visit.email_address == ADDRESS
    session = visit.sessions.current
    assert session is not None
    visit.end(EndReason.FINISHED)
    assert session.email_address == "" and visit.email_address == ""


def test_side_guide_from_the_site_returns_to_the_site_and_does_not_finish_the_visit(
        pack, tmp_path: Path) -> None:  # noqa: ANN001
    visit = new_visit(pack, tmp_path)
    visit.choose_procedure("renewal")
    visit.open_site()
    renewal_state = visit.state
    visit.open_guide(EMAIL_GUIDE)
    assert visit.screen is Screen.STEP and visit.in_side_guide
    assert visit.state is not None and visit.state.procedure.id == EMAIL_GUIDE
    visit.back()                                         # Back from its first step
    assert (visit.screen, visit.state, visit.in_side_guide) == (Screen.SITE, renewal_state, False)

    visit.open_guide(EMAIL_GUIDE)
    walk(visit, {"situation": "ready"})                  # its end does not complete the visit
    session = visit.sessions.current
    assert session is not None and session.outcome.value == "abandoned"
    visit.return_from_guide()
    assert visit.screen is Screen.SITE and visit.state is renewal_state

    visit.open_guide(EMAIL_GUIDE)
    visit.next()
    visit.choose("ready")
    visit.open_site()                                    # "Open the site" goes back to the same site
    assert visit.screen is Screen.SITE and visit.state is renewal_state and not visit.in_side_guide
    with pytest.raises(flow.FlowError):
        visit.open_guide("no_such_guide")


def test_the_site_pages_that_offer_the_guide_exist(pack) -> None:  # noqa: ANN001
    assert pack.site is not None
    assert SITE_PAGES <= {p.id for p in pack.site.pages}
    assert EMAIL_GUIDE in pack.procedures


@pytest.mark.parametrize(("text", "ok"), [
    (ADDRESS, True), ("a@b.fr", True), ("a@b", False), ("@laposte.net", False), ("a b@c.fr", False),
    ("", False), ("x" * 250 + "@b.fr", False)])
def test_what_looks_like_an_address(text: str, ok: bool) -> None:
    assert looks_like_address(text) is ok


def test_providers_by_domain() -> None:
    assert provider_of("A@GMAIL.COM") is not None and provider_of("a@hotmail.fr") is not None
    assert provider_of(ADDRESS) is not None and provider_of("a@example.org") is None


def pdf_text(pdf: bytes, tmp_path: Path, name: str) -> str:
    path = tmp_path / name
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


@pytest.mark.parametrize("layout", ["a4", "80mm"])
def test_slip_prints_the_address_large_its_purpose_and_the_services_recovery(tmp_path: Path, layout) -> None:  # noqa: ANN001
    renderer = SlipRenderer(FontBook(), Translators(DEFAULT_PACK / "locale").get)
    site = Site("Préfecture du Rhône", "", "pan-69-01")
    when = dt.datetime(2026, 12, 8, 10, 30)
    fr = pdf_text(renderer.render(AddressSlip(site, "fr", when, ADDRESS), layout), tmp_path, "fr.pdf")
    assert ADDRESS in fr.replace(" ", "")
    assert "Vous avez oublié votre mot de passe ?" in fr and "créer votre compte" in fr
    assert "Votre mot de passe n'est pas sur ce papier" in fr.replace("\n", " ").replace("  ", " ") or \
        "mot de passe n'est pas" in fr
    ar_pdf = renderer.render(AddressSlip(site, "ar", when, "z.k@gmail.com"), layout)
    ar = pdf_text(ar_pdf, tmp_path, "ar.pdf")
    assert "z.k@gmail.com" in ar.replace(" ", "") and "Google" in ar
    fonts = subprocess.run(["pdffonts", str(tmp_path / "ar.pdf")], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    assert fonts and all(re.search(r"\byes\s+yes\s+(yes|no)\s+\d+\s+\d+\s*$", f) for f in fonts), fonts
    assert b"gmail" not in re.sub(rb"stream.*?endstream", b"", ar_pdf, flags=re.S)   # not in metadata
    with pytest.raises(ValueError):
        renderer.render(AddressSlip(site, "fr", when, "not an address"), layout)


def test_slip_repr_hides_the_address() -> None:
    slip = AddressSlip(Site("s", "", "t"), "fr", dt.datetime(2026, 12, 8), ADDRESS)
    assert ADDRESS not in repr(slip) and ADDRESS not in str(slip)


def test_mediator_checklist_covers_phone_password_recovery_test_portal_and_slip() -> None:
    assert [key for key, _ in ITEMS] == ["phone", "password", "recovery", "tested", "portal", "slip"]


def test_content_pack_docs_know_the_address_kind() -> None:
    kinds = tomllib.loads((DEFAULT_PACK / "procedures" / "email_address.toml").read_text())["steps"]
    assert "address" in {s["kind"] for s in kinds}


def test_a_long_address_stays_whole_on_the_roll(tmp_path: Path) -> None:
    renderer = SlipRenderer(FontBook(), Translators(DEFAULT_PACK / "locale").get)
    long = "marie-christine.nguyen-van-thanh.1987.lyon.villeurbanne@outlook.fr"
    slip = AddressSlip(Site("Préfecture", "", "t"), "fr", dt.datetime(2026, 12, 8), long)
    text = pdf_text(renderer.render(slip, "80mm"), tmp_path, "long.pdf")
    assert long in "".join(text.split())                  # every character printed, none cut off
    assert "lien pour un mot de passe oublié" in " ".join(text.split())    # Outlook's advice
