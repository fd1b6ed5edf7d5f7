"""Hostile content packs: `load_pack` returns a Pack or raises PackError whose every problem names the
file (and line, procedure, step or field) and what was expected; never another exception. The same
for the compiled catalogs, which `content check` used to accept and a visitor's language choice then
failed to load."""

from __future__ import annotations

import datetime as dt
import struct
import tempfile
from pathlib import Path

import pytest
from hostile_toml import HOSTILE, hostile_document, replace_at, to_toml
from hypothesis import given
from hypothesis import strategies as st

from kiosk.content.pack import PackError, load_pack

PACK = {"id": "mini", "version": "2026.01.01", "title": "Mini", "languages": ["fr", "en"]}
DOCUMENTS = {"passport": {"name": "Passeport", "explanation": "Votre passeport.", "formats": ["pdf", "jpg"],
                          "max_mb": 2.5, "alternatives": ["Titre de voyage"], "pages": "La page photo"}}
WHICH = "which"
PROCEDURE = {
    "id": "demo", "title": "Démarche démo", "summary": "Une démarche courte.",
    "official_url": "https://administration-etrangers-en-france.interieur.gouv.fr/",
    "checked": dt.date(2026, 1, 1), "start": "intro",
    "site_url_patterns": [r"^https://administration-etrangers-en-france\.interieur\.gouv\.fr/"],
    "costs": [{"id": "stamp", "label": "Timbre fiscal", "amount_eur": 25, "note": "Pour une carte.",
               "status": "verified", "since": dt.date(2021, 5, 1), "source": "CESEDA L. 436-7",
               "url": "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000042776284",
               "read": dt.date(2026, 12, 8), "applies_when": ["when:late"]}],
    "sources": [{"ref": "F2209", "url": "https://www.service-public.fr/particuliers/vosdroits/F2209",
                 "date": dt.date(2024, 4, 22)}],
    "steps": [
        {"id": "intro", "kind": "info", "title": "Bienvenue", "next": "when",
         "glossary": {"Se connecter": "Entrer dans son compte."}},
        {"id": "when", "kind": "date", "title": "Date ?", "rule": "renewal_window",
         "outcomes": {"early": WHICH, "window": WHICH, "late": WHICH, "expired": WHICH, "unknown": WHICH}},
        {"id": WHICH, "kind": "question", "title": "Quelle branche ?", "answers": [
            {"id": "a", "label": "Branche A", "next": "docs"},
            {"id": "b", "label": "Branche B", "next": "end"}]},
        {"id": "docs", "kind": "checklist", "title": "Vos documents", "documents": ["passport"],
         "next": "end"},
        {"id": "end", "kind": "end", "title": "Fini", "text": "C'est fini."},
    ],
}
FILES = {"pack.toml": PACK, "documents.toml": DOCUMENTS, "procedures/demo.toml": PROCEDURE}


def mo_file(header: bytes, messages: dict[bytes, bytes]) -> bytes:
    """A GNU .mo file (what msgfmt and Babel write): magic, counts, two offset tables, the strings."""
    entries = sorted({b"": header, **messages}.items())
    ids = b"".join(k + b"\0" for k, _ in entries)
    strs = b"".join(v + b"\0" for _, v in entries)
    start = 7 * 4 + 16 * len(entries)
    out = struct.pack("<7I", 0x950412DE, 0, len(entries), 28, 28 + 8 * len(entries), 0, 0)
    offset = 0
    for k, _ in entries:
        out += struct.pack("<2I", len(k), start + offset)
        offset += len(k) + 1
    offset = 0
    for _, v in entries:
        out += struct.pack("<2I", len(v), start + len(ids) + offset)
        offset += len(v) + 1
    return out + ids + strs


HEADER = b"Content-Type: text/plain; charset=UTF-8\nPlural-Forms: nplurals=2; plural=(n != 1);\n"
MO = mo_file(HEADER, {b"Bienvenue": b"Welcome"})


def load_or_problems(files: dict[str, str], mo: bytes | None) -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "pack"
        for rel, text in files.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(text, encoding="utf-8")
        if mo is not None:
            (root / "locale/en/LC_MESSAGES").mkdir(parents=True)
            (root / "locale/en/LC_MESSAGES/content.mo").write_bytes(mo)
        try:
            pack = load_pack(root)
        except PackError as exc:
            assert exc.problems
            return [str(p) for p in exc.problems]
        assert set(pack.procedures) == {"demo"}
        return []


def valid_files() -> dict[str, str]:
    return {rel: "".join(f"{k} = {to_toml(v)}\n" for k, v in doc.items()) for rel, doc in FILES.items()}


def test_the_baseline_pack_is_valid() -> None:
    assert load_or_problems(valid_files(), MO) == []


@pytest.mark.parametrize(("rel", "path", "value", "expected"), [
    ("documents.toml", ("passport", "formats"), "5",
     "documents.toml, field passport.formats: formats must be a list among ['jpg', 'pdf', 'png'], got 5"),
    ("documents.toml", ("passport", "alternatives"), "[1]",
     "documents.toml, field passport.alternatives: expected a list of texts, got [1]"),
    ("documents.toml", ("passport", "max_mb"), "true",
     "documents.toml, field passport.max_mb: max_mb must be a number from 0.1 to 50, got True"),
    ("documents.toml", ("passport", "name"), "5",
     "documents.toml, field passport.name: expected text, got 5"),
    ("procedures/demo.toml", ("steps",), "3",
     "procedures/demo.toml, procedure demo, field steps: expected a list of [[steps]] tables, got 3"),
    ("procedures/demo.toml", ("steps", 2, "answers"), "3", "procedures/demo.toml, procedure demo, "
     "step which, field answers: expected a list of [[steps.answers]] tables, got 3"),
    ("procedures/demo.toml", ("steps", 0, "kind"), '["info"]', "procedures/demo.toml, procedure demo, "
     "step intro, field kind: expected one of info, question, checklist, end, date, address, got ['info']"),
    ("procedures/demo.toml", ("steps", 1, "rule"), '["x"]', "procedures/demo.toml, procedure demo, "
     "step when, field rule: expected one of renewal_window, got ['x']"),
    ("procedures/demo.toml", ("costs", 0, "amount_eur"), "nan", "procedures/demo.toml, procedure demo, "
     "field costs[0].amount_eur: amount_eur must be a number >= 0, got nan"),
    ("procedures/demo.toml", ("checked",), "2026-01-01T10:00:00", "procedures/demo.toml, procedure demo, "
     "field checked: expected the date the content was last checked (YYYY-MM-DD)"),
    ("procedures/demo.toml", ("title",), '"a\\u0000b"', "procedures/demo.toml, procedure demo, field title: "
     "expected text without control characters, got 'a\\x00b'"),
    ("procedures/demo.toml", ("summary",), '"' + "x" * 400_000 + '"', "procedures/demo.toml, procedure demo, "
     "field summary: has 400000 characters, expected at most 5000"),
    ("procedures/demo.toml", ("summary",), "[" * 3000 + "]" * 3000, "procedures/demo.toml, line 3: cannot be "
     "read: lists or tables nested too deeply, expected at most a few levels"),
    ("pack.toml", ("languages",), "5", "pack.toml, field languages: expected a list of texts, got 5"),
    ("pack.toml", ("version",), "9" * 5000, "pack.toml, line 2: cannot be read: a number has more than 4300 "
     "digits, expected a number of a sensible size"),
])
def test_wrong_types_and_sizes_are_precise_problems(rel: str, path: tuple[object, ...], value: str,
                                                     expected: str) -> None:
    problems = load_or_problems({**valid_files(), rel: replace_at(FILES[rel], path, value)}, MO)
    assert expected in problems, problems


hostile_files = st.sampled_from(sorted(FILES)).flatmap(
    lambda rel: hostile_document(FILES[rel]).map(lambda text: {**valid_files(), rel: text}))


@HOSTILE
@given(hostile_files)
def test_hostile_pack_gets_a_precise_answer(files: dict[str, str]) -> None:
    for problem in load_or_problems(files, MO):
        file, _, message = problem.partition(": ")
        assert file.split(",")[0] in FILES and message, problem
        assert len(problem) < 1000, problem[:200]


@pytest.mark.parametrize(("mo", "why"), ids=["magic", "truncated", "plural", "syntax", "charset", "bytes"],
                         argvalues=[
    (b"not a catalog", "OSError: Bad magic number"),
    (MO[:40], "error: unpack requires a buffer"),
    (mo_file(HEADER.replace(b"(n != 1)", b"n/0"), {}), "ZeroDivisionError"),
    (mo_file(HEADER.replace(b"(n != 1)", b"(((n"), {}), "ValueError: unbalanced parenthesis"),
    (mo_file(HEADER.replace(b"UTF-8", b"nope"), {}), "LookupError: unknown encoding: nope"),
    (mo_file(HEADER, {b"Bienvenue": b"\xff\xfe"}), "UnicodeDecodeError"),
])
def test_content_check_refuses_a_catalog_the_kiosk_could_not_load(mo: bytes, why: str) -> None:
    [problem] = load_or_problems(valid_files(), mo)
    assert problem.startswith(f"locale/en/LC_MESSAGES/content.mo: is not a compiled catalog gettext can use "
                              f"({why}"), problem


mangled_mo = st.one_of(
    st.binary(max_size=64),
    st.tuples(st.integers(0, len(MO) - 1), st.binary(min_size=1, max_size=4)).map(
        lambda t: MO[:t[0]] + t[1] + MO[t[0] + len(t[1]):]),
    st.integers(0, len(MO)).map(lambda n: MO[:n]),
)


@HOSTILE
@given(mangled_mo)
def test_a_compiled_catalog_that_gettext_cannot_load_is_a_problem(mo: bytes) -> None:
    for problem in load_or_problems(valid_files(), mo):
        assert problem.startswith("locale/en/LC_MESSAGES/content.mo: is not a compiled catalog gettext can "
                                  "use")
