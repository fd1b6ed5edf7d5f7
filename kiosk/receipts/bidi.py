"""Bidirectional text: embedding levels (Unicode Bidi Algorithm) and visual order of runs.

The levels come from python-bidi (a binding of the unicode-bidi crate: full UBA with isolates). Its
public API returns only the reordered string, which loses the link between characters and fonts and
skips mirroring; its `debug` output carries the resolved level of each UTF-8 byte, which is what we
read. If that format ever changes, a simpler classification by bidi class takes over (and the tests
in tests/receipts say so).

Reordering (rule L2) is then done on runs, each run being shaped on its own: an Arabic run is given
to HarfBuzz in logical order (it joins, orders right-to-left and mirrors), while numbers and Latin
references stay left-to-right runs placed where the algorithm says.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Sequence
from typing import TypeVar

from bidi import get_display
from bidi.mirror import MIRRORED

log = logging.getLogger(__name__)

CONTROLS = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c")
_LEVELS = re.compile(r"levels:\s*\[(.*?)\]\s*,\s*paragraphs", re.S)
_LEVEL = re.compile(r"Level\(\s*(\d+)\s*,?\s*\)")
_RTL_CLASSES = frozenset({"R", "AL"})

T = TypeVar("T")


def has_rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(c) in _RTL_CLASSES for c in text)


def levels(text: str, rtl: bool) -> list[int]:
    """The resolved embedding level of each character of one paragraph (no newlines)."""
    if not text:
        return []
    base = 1 if rtl else 0
    if not rtl and not has_rtl(text):
        return [0] * len(text)
    try:
        debug = str(get_display(text, base_dir="R" if rtl else "L", debug=True))
        match = _LEVELS.search(debug)
        if match is None:
            raise ValueError("no levels in python-bidi debug output")
        per_byte = [int(n) for n in _LEVEL.findall(match.group(1))]
        result, pos = [], 0
        for char in text:
            result.append(per_byte[pos])
            pos += len(char.encode("utf-8"))
        if pos != len(per_byte):
            raise ValueError("levels do not match the text")
        return result
    except (ValueError, IndexError) as exc:
        log.warning("python-bidi levels unavailable (%s): simple classification used", exc)
        return simple_levels(text, base)


def simple_levels(text: str, base: int) -> list[int]:
    """Fallback: strong RTL at 1, strong LTR and numbers at 2 (or 0 in an LTR paragraph),
    neutrals take the level of their neighbours when both agree, else the base level."""
    raw: list[int | None] = []
    for char in text:
        cls = unicodedata.bidirectional(char)
        if cls in _RTL_CLASSES:
            raw.append(1)
        elif cls in ("L", "EN", "AN"):
            raw.append(2 if base else 0)
        else:
            raw.append(None)
    out: list[int] = []
    for i, level in enumerate(raw):
        if level is not None:
            out.append(level)
            continue
        before = next((v for v in reversed(raw[:i]) if v is not None), base)
        after = next((v for v in raw[i + 1:] if v is not None), base)
        out.append(before if before == after else base)
    return out


def visual_order(items: Sequence[T], item_levels: Sequence[int]) -> list[T]:
    """Rule L2: from the highest level down to the lowest odd one, reverse every maximal sequence
    of items at that level or higher. Items are runs; their own content is not touched."""
    order = list(range(len(items)))
    lv = list(item_levels)
    if not lv:
        return []
    lowest_odd = min(level for level in lv) | 1
    for level in range(max(lv), lowest_odd - 1, -1):
        i = 0
        while i < len(order):
            if lv[i] >= level:
                j = i
                while j < len(order) and lv[j] >= level:
                    j += 1
                order[i:j] = reversed(order[i:j])
                lv[i:j] = reversed(lv[i:j])
                i = j
            else:
                i += 1
    return [items[k] for k in order]


def mirror(text: str) -> str:
    """Reverse a right-to-left run that is drawn without shaping, mirroring brackets (rule L4)."""
    return "".join(MIRRORED.get(c, c) for c in reversed(text))
