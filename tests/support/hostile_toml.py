"""Hypothesis strategies for hostile TOML, shared by the configuration and content-pack property tests.

A hostile value is TOML source text: wrong types, huge integers (decimal past Python's 4,300-digit
conversion limit, hexadecimal past any sensible size), nan and inf, control characters, huge strings,
lists and inline tables nested past the parser's stack, datetimes where dates are expected, and texts
that impossible options would accept by pattern (ports 0 and 99999, scrypt costs out of range).
`replace_at` puts one such value in place of one field of a valid document, so the property tests
reach the validation of every field, not only the parser.

HOSTILE is the settings of every property test here: few examples, no deadline (a 1 MB string takes
a while on a loaded machine), derandomized and without an example database, so CI runs the same
examples each time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

HOSTILE = settings(max_examples=120, deadline=None, derandomize=True, database=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                          HealthCheck.large_base_example])

Path = tuple[Any, ...]                       # keys and list indexes from the document's root


def toml_string(text: str) -> str:
    """A TOML basic string for any text (control characters and DEL escaped)."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def to_toml(value: Any) -> str:
    """TOML source for a value read by tomllib (strings, numbers, dates, lists, tables, all inline)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, (int, float, dt.date, dt.time)):
        return value.isoformat() if isinstance(value, (dt.date, dt.time)) else repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(to_toml(v) for v in value) + "]"
    return "{" + ", ".join(f"{toml_string(k)} = {to_toml(v)}" for k, v in value.items()) + "}"


def paths(value: Any, here: Path = ()) -> Iterator[Path]:
    """Every place in a document a hostile value can go (the root itself excluded)."""
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in items:
        yield (*here, key)
        yield from paths(child, (*here, key))


def replace_at(document: dict[str, Any], path: Path, fragment: str | None) -> str:
    """The document as TOML text (one `key = inline value` line per top-level key), with the value at
    `path` replaced by the TOML source `fragment`, or left out if `fragment` is None."""

    def emit(value: Any, here: Path) -> str:
        if here == path:
            return fragment or ""
        if isinstance(value, list):
            return "[" + ", ".join(emit(v, (*here, i)) for i, v in enumerate(value)
                                   if (*here, i) != path or fragment is not None) + "]"
        if isinstance(value, dict):
            return "{" + ", ".join(f"{toml_string(k)} = {emit(v, (*here, k))}" for k, v in value.items()
                                   if (*here, k) != path or fragment is not None) + "}"
        return to_toml(value)

    return "".join(f"{toml_string(k)} = {emit(v, (k,))}\n" for k, v in document.items()
                   if (k,) != path or fragment is not None)


_SCALARS = st.one_of(
    st.integers().map(str),
    st.sampled_from(["0", "-1", "65536", "99999", "9223372036854775808", "nan", "inf", "-inf", "1e400",
                     "0.05", "true", "false", "2026-01-01", "2026-01-01T10:00:00",
                     "9999-12-31T23:59:59-23:59", "0001-01-01", "10:00:00", '""', '" "', "{}", "[]"]),
    st.integers(4290, 4400).map(lambda n: "9" * n),            # past int('...') 's digit limit
    st.integers(1, 3000).map(lambda n: "0x" + "f" * n),        # no limit in base 16
    st.text(max_size=40).map(toml_string),
    st.sampled_from([2_001, 5_001, 400_000]).map(lambda n: toml_string("x" * n)),
    st.sampled_from(["a.fr:0", "a.fr:99999", "*.a.fr:65536", "https://[x", "https://a.fr:0/",
                     "https://a.fr:99999/", "(a+)+$", "a\u0000b", "renewal_window", "pdf", "info",
                     "demo:admin:$scrypt$ln=99,r=8,p=1$" + "A" * 22 + "$" + "B" * 43,
                     "demo:admin:$scrypt$ln=15,r=8,p=1$" + "A" * 17 + "$" + "B" * 43]).map(toml_string),
)

FRAGMENTS = st.one_of(
    st.recursive(_SCALARS, lambda inner: st.one_of(
        st.lists(inner, max_size=4).map(lambda xs: "[" + ", ".join(xs) + "]"),
        st.dictionaries(st.text(min_size=1, max_size=8), inner, max_size=3).map(
            lambda d: "{" + ", ".join(f"{toml_string(k)} = {v}" for k, v in d.items()) + "}")),
        max_leaves=8),
    st.integers(1, 3000).map(lambda n: "[" * n + "]" * n),
    st.integers(1, 3000).map(lambda n: "{a = " * n + "1" + "}" * n),
)


def mangled(text: str) -> st.SearchStrategy[str]:
    """The text cut short, or with a few random characters spliced in."""
    return st.one_of(
        st.integers(0, len(text)).map(lambda i: text[:i]),
        st.tuples(st.integers(0, len(text)), st.text(max_size=6)).map(
            lambda t: text[:t[0]] + t[1] + text[t[0]:]),
    )


def hostile_document(document: dict[str, Any]) -> st.SearchStrategy[str]:
    """TOML text of `document` with one field replaced by a hostile value, sometimes mangled after."""
    spots = list(paths(document))
    replaced = st.tuples(st.sampled_from(spots), st.one_of(st.none(), FRAGMENTS)).map(
        lambda t: replace_at(document, *t))
    return st.one_of(replaced, replaced.flatmap(mangled), st.text(max_size=200))
