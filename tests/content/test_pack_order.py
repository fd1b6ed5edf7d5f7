"""The procedure picker's order (pack.toml `order`) and the picker's pictograms, for the shipped pack
and for a pack that gets them wrong."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import MakePack

from kiosk.content.pack import PackError, load_pack
from kiosk.paths import DEFAULT_PACK


def test_the_shipped_picker_starts_with_the_most_frequent_visits() -> None:
    pack = load_pack(DEFAULT_PACK)
    ids = list(pack.procedures)
    assert ids[:4] == ["renewal", "first_multi_year", "resident_card_renewal", "duplicate_card"]
    assert sorted(ids) == sorted(pack.procedures)            # every guide once, none lost


def test_every_shipped_guide_has_its_pictogram_on_the_picker() -> None:
    pack = load_pack(DEFAULT_PACK)
    missing = [p.id for p in pack.procedures.values() if not p.pictogram]
    assert missing == []


def _with_order(make_pack: MakePack, order: str) -> Path:
    root = make_pack()
    pack_toml = root / "pack.toml"
    pack_toml.write_text(pack_toml.read_text(encoding="utf-8") + f"order = {order}\n", encoding="utf-8")
    return root


@pytest.mark.parametrize(("order", "message"), [
    ('["nowhere"]', "order names 'nowhere', which is no procedure of the pack"),
    ('["demo", "demo"]', "order names 'demo' twice"),
    ('"demo"', "expected a list of texts"),
    ('[1]', "expected a list of texts"),
])
def test_a_wrong_order_is_named_precisely(make_pack: MakePack, order: str, message: str) -> None:
    with pytest.raises(PackError) as caught:
        load_pack(_with_order(make_pack, order))
    problems = [p for p in caught.value.problems if p.field.startswith("order")]
    assert problems and message in problems[0].message and problems[0].file.endswith("pack.toml")


def test_an_order_naming_the_pack_s_procedure_loads(make_pack: MakePack) -> None:
    pack = load_pack(_with_order(make_pack, '["demo"]'))
    assert list(pack.procedures) == ["demo"]
