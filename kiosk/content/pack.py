"""Load and validate a content pack directory.

Layout (documented in docs/content-pack.md):

    pack.toml                    id, version, title, languages
    documents.toml               one table per document the procedures ask for
    procedures/<id>.toml         one procedure each: metadata, sources, [[steps]]
    pictograms/<name>.svg        optional: pictograms this pack adds to the kiosk's assets/pictograms
    locale/<lang>/LC_MESSAGES/content.po|.mo   translations, French text as msgid

Every problem is reported with the file, the procedure, the step and the field it concerns, and all
problems are collected before failing, so an author fixes a pack in one pass.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from kiosk.content.model import Answer, Cost, Document, Pack, Procedure, Source, Step, StepKind
from kiosk.paths import ASSETS
from kiosk.visit.dates import RULES

ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")

STEP_FIELDS = {
    StepKind.INFO: {"id", "kind", "title", "text", "next", "glossary"},
    StepKind.QUESTION: {"id", "kind", "title", "text", "answers", "glossary"},
    StepKind.CHECKLIST: {"id", "kind", "title", "text", "documents", "next", "glossary"},
    StepKind.END: {"id", "kind", "title", "text", "glossary"},
    StepKind.DATE: {"id", "kind", "title", "text", "rule", "outcomes", "glossary"},
}
PROCEDURE_FIELDS = {"id", "title", "summary", "official_url", "checked", "start", "sources", "steps",
                    "costs", "site_url_patterns"}
COST_FIELDS = {"id", "label", "amount_eur", "note"}
DOCUMENT_FIELDS = {"name", "explanation", "pages", "alternatives", "formats", "max_mb", "pictogram"}
FORMATS = {"pdf", "jpg", "png"}
PICTOGRAMS = ASSETS / "pictograms"      # the pictograms shipped with the kiosk


def pictogram_file(name: str, pack_root: Path, shared: Path = PICTOGRAMS) -> Path | None:
    """The SVG drawing a document's pictogram: the pack's own pictograms/<name>.svg if it ships one
    (so a pack pushed to older terminals can bring a new drawing), else the kiosk's; None if neither."""
    if not ID.fullmatch(name):
        return None
    for folder in (pack_root / "pictograms", shared):
        if (folder / f"{name}.svg").is_file():
            return folder / f"{name}.svg"
    return None


@dataclass(frozen=True)
class PackProblem:
    file: str
    message: str
    procedure: str = ""
    step: str = ""
    field: str = ""

    def __str__(self) -> str:
        where = [self.file]
        where += [f"procedure {self.procedure}"] if self.procedure else []
        where += [f"step {self.step}"] if self.step else []
        where += [f"field {self.field}"] if self.field else []
        return f"{', '.join(where)}: {self.message}"


class PackError(Exception):
    """The pack cannot be used; `problems` lists every reason."""

    def __init__(self, path: Path, problems: list[PackProblem]) -> None:
        self.path = path
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in content pack {path}:\n"
                         + "\n".join(f"  {p}" for p in problems))


def is_https_url(url: str) -> bool:
    """An absolute https:// address with a host name and no spaces."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme == "https" and "." in parts.netloc and not any(c.isspace() for c in url)


class _Reader:
    """Collects problems while turning TOML tables into model objects."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[PackProblem] = []

    def problem(self, file: Path, message: str, **where: str) -> None:
        self.problems.append(PackProblem(str(file.relative_to(self.root)), message, **where))

    def toml(self, file: Path) -> dict[str, Any] | None:
        try:
            return tomllib.loads(file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            self.problem(file, "file is missing")
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            self.problem(file, f"cannot be read: {exc}")
        return None

    def optional_text(self, table: dict[str, Any], key: str, file: Path, **where: str) -> str:
        return self._text(table, key, file, False, where)

    def text(self, table: dict[str, Any], key: str, file: Path, **where: str) -> str:
        return self._text(table, key, file, True, where)

    def _text(self, table: dict[str, Any], key: str, file: Path, required: bool,
              where: dict[str, str]) -> str:
        value = table.get(key, "")
        if not isinstance(value, str):
            self.problem(file, f"expected text, got {value!r}", field=key, **where)
            return ""
        if required and not value.strip():
            self.problem(file, "is missing or empty", field=key, **where)
        return value

    def unknown(self, table: dict[str, Any], allowed: set[str], file: Path, **where: str) -> None:
        for key in sorted(set(table) - allowed):
            self.problem(file, f"unknown field (allowed: {', '.join(sorted(allowed))})", field=key, **where)


def _step(r: _Reader, raw: Any, file: Path, proc: str, index: int) -> Step | None:
    if not isinstance(raw, dict):
        r.problem(file, "each [[steps]] entry must be a table", procedure=proc, step=f"#{index + 1}")
        return None
    sid = raw.get("id", "")
    if not isinstance(sid, str) or not ID.fullmatch(sid):
        r.problem(file, f"expected an id of lowercase letters, digits, - or _, got {sid!r}",
                  procedure=proc, step=f"#{index + 1}", field="id")
        sid = f"#{index + 1}"
    try:
        kind = StepKind(str(raw.get("kind")))
    except ValueError:
        r.problem(file, f"expected one of {', '.join(k.value for k in StepKind)}, got {raw.get('kind')!r}",
                  procedure=proc, step=sid, field="kind")
        return None
    where = {"procedure": proc, "step": sid}
    r.unknown(raw, STEP_FIELDS[kind], file, **where)
    answers: list[Answer] = []
    for i, a in enumerate(raw.get("answers", []) if kind is StepKind.QUESTION else []):
        if not isinstance(a, dict):
            r.problem(file, "each answer must be a table", field=f"answers[{i}]", **where)
            continue
        r.unknown(a, {"id", "label", "next"}, file, **where)
        if any(a.get("id") == other.id for other in answers):
            r.problem(file, f"answer id {a.get('id')!r} used twice", field=f"answers[{i}]", **where)
        answers.append(Answer(id=r.text(a, "id", file, **where) or str(i),
                              label=r.text(a, "label", file, **where),
                              next=r.text(a, "next", file, **where)))
    if kind is StepKind.QUESTION and len(answers) < 2:
        r.problem(file, "a question needs at least two answers", field="answers", **where)
    documents = raw.get("documents", [])
    if kind is StepKind.CHECKLIST and (not isinstance(documents, list) or not documents):
        r.problem(file, "a checklist needs a non-empty list of document ids", field="documents", **where)
        documents = []
    nxt = raw.get("next") if kind in (StepKind.INFO, StepKind.CHECKLIST) else None
    if kind in (StepKind.INFO, StepKind.CHECKLIST) and not isinstance(nxt, str):
        r.problem(file, "expected the id of the next step", field="next", **where)
        nxt = None
    rule, outcomes = _date_rule(r, raw, file, where) if kind is StepKind.DATE else ("", ())
    return Step(id=sid, kind=kind, title=r.text(raw, "title", file, **where),
                text=r.optional_text(raw, "text", file, **where), next=nxt,
                answers=tuple(answers), documents=tuple(str(d) for d in documents),
                glossary=_glossary(r, raw.get("glossary", {}), file, where),
                rule=rule, outcomes=outcomes)


def _date_rule(r: _Reader, raw: dict[str, Any], file: Path,
               where: dict[str, str]) -> tuple[str, tuple[tuple[str, str], ...]]:
    """rule = "renewal_window" and [steps.outcomes] naming the next step of every outcome."""
    rule = raw.get("rule")
    if rule not in RULES:
        r.problem(file, f"expected one of {', '.join(sorted(RULES))}, got {rule!r}", field="rule", **where)
        return "", ()
    outcomes = raw.get("outcomes")
    if not isinstance(outcomes, dict) or not all(isinstance(v, str) for v in outcomes.values()):
        r.problem(file, "expected a table of outcome = \"next step id\"", field="outcomes", **where)
        return str(rule), ()
    wanted = set(RULES[str(rule)])
    if set(outcomes) != wanted:
        r.problem(file, f"outcomes must be exactly {', '.join(sorted(wanted))}, got "
                  f"{', '.join(sorted(outcomes)) or 'none'}", field="outcomes", **where)
    return str(rule), tuple((k, v) for k, v in outcomes.items() if k in wanted)


def _glossary(r: _Reader, raw: Any, file: Path, where: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """[steps.glossary] "official French label" = "plain explanation"."""
    if not isinstance(raw, dict):
        r.problem(file, "expected a table of \"French label\" = \"explanation\"", field="glossary", **where)
        return ()
    out = []
    for term, explanation in raw.items():
        if not isinstance(explanation, str) or not explanation.strip() or not term.strip():
            r.problem(file, f"the label {term!r} needs a non-empty explanation", field="glossary", **where)
            continue
        out.append((term, explanation))
    return tuple(out)


def _costs(r: _Reader, raw: Any, file: Path, proc: str) -> tuple[Cost, ...]:
    """[[costs]] id, label, optional amount_eur (a number >= 0) and note."""
    if not isinstance(raw, list):
        r.problem(file, "expected a list of [[costs]] tables", procedure=proc, field="costs")
        return ()
    out: list[Cost] = []
    for i, c in enumerate(raw):
        name = f"costs[{i}]"
        if not isinstance(c, dict):
            r.problem(file, "each [[costs]] entry must be a table", procedure=proc, field=name)
            continue
        for key in sorted(set(c) - COST_FIELDS):
            r.problem(file, f"unknown field (allowed: {', '.join(sorted(COST_FIELDS))})", procedure=proc,
                      field=f"{name}.{key}")
        cid = c.get("id", "")
        if not isinstance(cid, str) or not ID.fullmatch(cid) or any(x.id == cid for x in out):
            r.problem(file, f"expected a unique lowercase id, got {cid!r}", procedure=proc,
                      field=f"{name}.id")
            cid = f"#{i + 1}"
        label, note = c.get("label", ""), c.get("note", "")
        if not isinstance(label, str) or not label.strip() or not isinstance(note, str):
            r.problem(file, "expected a non-empty text label (and an optional text note)", procedure=proc,
                      field=f"{name}.label")
            label, note = str(label), str(note)
        amount = c.get("amount_eur")
        if amount is not None and (isinstance(amount, bool) or not isinstance(amount, (int, float))
                                   or amount < 0):
            r.problem(file, f"amount_eur must be a number >= 0, got {amount!r}", procedure=proc,
                      field=f"{name}.amount_eur")
            amount = None
        out.append(Cost(id=cid, label=label, amount_eur=None if amount is None else float(amount), note=note))
    return tuple(out)


def _url_patterns(r: _Reader, raw: Any, file: Path, proc: str) -> tuple[str, ...]:
    """site_url_patterns: regular expressions that must compile."""
    if not isinstance(raw, list) or not all(isinstance(p, str) and p for p in raw):
        r.problem(file, "expected a list of regular expressions (text)", procedure=proc,
                  field="site_url_patterns")
        return ()
    for i, pattern in enumerate(raw):
        try:
            re.compile(pattern)
        except re.error as exc:
            r.problem(file, f"{pattern!r} is not a valid regular expression: {exc}", procedure=proc,
                      field=f"site_url_patterns[{i}]")
    return tuple(raw)


def _sources(r: _Reader, raw: Any, file: Path, proc: str) -> tuple[Source, ...]:
    out = []
    if not isinstance(raw, list) or not raw:
        r.problem(file, "every procedure needs at least one [[sources]] entry", procedure=proc,
                  field="sources")
        return ()
    for i, s in enumerate(raw):
        field_name = f"sources[{i}]"
        if not isinstance(s, dict) or not isinstance(s.get("date"), dt.date):
            r.problem(file, "expected a table with ref, url and date (YYYY-MM-DD)", procedure=proc,
                      field=field_name)
            continue
        url = r.text(s, "url", file, procedure=proc)
        if not is_https_url(url):
            r.problem(file, f"expected an https:// address, got {url!r}", procedure=proc, field=field_name)
        out.append(Source(ref=r.text(s, "ref", file, procedure=proc), url=url, date=s["date"]))
    return tuple(out)


def _procedure(r: _Reader, file: Path, documents: dict[str, Document]) -> Procedure | None:
    raw = r.toml(file)
    if raw is None:
        return None
    proc = str(raw.get("id", file.stem))
    if proc != file.stem:
        r.problem(file, f"id must match the file name ({file.stem!r})", procedure=proc, field="id")
    r.unknown(raw, PROCEDURE_FIELDS, file, procedure=proc)
    steps: dict[str, Step] = {}
    for i, s in enumerate(raw.get("steps", [])):
        step = _step(r, s, file, proc, i)
        if step is None:
            continue
        if step.id in steps:
            r.problem(file, "step id used twice", procedure=proc, step=step.id, field="id")
        steps[step.id] = step
    checked = raw.get("checked")
    if not isinstance(checked, dt.date):
        r.problem(file, "expected the date the content was last checked (YYYY-MM-DD)", procedure=proc,
                  field="checked")
        checked = dt.date.min
    url = r.text(raw, "official_url", file, procedure=proc)
    if url and not is_https_url(url):
        r.problem(file, f"expected an https:// address, got {url!r}", procedure=proc, field="official_url")
    procedure = Procedure(
        id=proc, title=r.text(raw, "title", file, procedure=proc),
        summary=r.text(raw, "summary", file, procedure=proc), official_url=url, checked=checked,
        start=r.text(raw, "start", file, procedure=proc), steps=steps,
        sources=_sources(r, raw.get("sources"), file, proc), file=str(file.relative_to(r.root)),
        costs=_costs(r, raw.get("costs", []), file, proc),
        site_url_patterns=_url_patterns(r, raw.get("site_url_patterns", []), file, proc))
    _check_graph(r, file, procedure, documents)
    return procedure


def _check_graph(r: _Reader, file: Path, proc: Procedure, documents: dict[str, Document]) -> None:
    """Every target exists, every document exists, every step is reachable and reaches an end."""
    if not proc.steps:
        r.problem(file, "a procedure needs steps", procedure=proc.id, field="steps")
        return
    if proc.start not in proc.steps:
        r.problem(file, f"start step {proc.start!r} does not exist", procedure=proc.id, field="start")
        return
    for step in proc.steps.values():
        links = ([(f"answers[{a.id}].next", a.next) for a in step.answers] if step.kind is StepKind.QUESTION
                 else [("next", t) for t in step.successors()])
        for field_name, target in links:
            if target not in proc.steps:
                r.problem(file, f"leads to step {target!r}, which does not exist", procedure=proc.id,
                          step=step.id, field=field_name)
        for doc in step.documents:
            if doc not in documents:
                r.problem(file, f"document {doc!r} is not defined in documents.toml",
                          procedure=proc.id, step=step.id, field="documents")
    reachable, todo = set(), [proc.start]
    while todo:
        sid = todo.pop()
        if sid in reachable or sid not in proc.steps:
            continue
        reachable.add(sid)
        todo.extend(proc.steps[sid].successors())
    for sid in proc.steps.keys() - reachable:
        r.problem(file, "cannot be reached from the start step", procedure=proc.id, step=sid)
    ends = {s.id for s in proc.steps.values() if s.kind is StepKind.END}
    reaching_end = set(ends)
    changed = True
    while changed:
        changed = False
        for step in proc.steps.values():
            if step.id not in reaching_end and any(t in reaching_end for t in step.successors()):
                reaching_end.add(step.id)
                changed = True
    for sid in sorted(reachable - reaching_end):
        r.problem(file, "no path from this step reaches an end step", procedure=proc.id, step=sid)


def _pictogram(r: _Reader, table: dict[str, Any], file: Path, did: str, shared: Path) -> str:
    """Optional pictogram name; when given, its SVG must exist in the pack or in the kiosk's assets."""
    name = r.optional_text(table, "pictogram", file, field=f"{did}.pictogram")
    if name and not ID.fullmatch(name):
        r.problem(file, f"expected a pictogram name of lowercase letters, digits, - or _, got {name!r}",
                  field=f"{did}.pictogram")
    elif name and pictogram_file(name, r.root, shared) is None:
        r.problem(file, f"document {did!r}: pictogram {name!r} has no drawing; expected {name}.svg in "
                  f"{shared} or in the pack's pictograms/ folder", field=f"{did}.pictogram")
    return name


def _documents(r: _Reader, file: Path, pictograms: Path) -> dict[str, Document]:
    raw = r.toml(file) or {}
    out = {}
    for did, table in raw.items():
        if not ID.fullmatch(did) or not isinstance(table, dict):
            r.problem(file, "expected [document_id] tables with a lowercase id", field=did)
            continue
        r.unknown(table, DOCUMENT_FIELDS, file, field=did)
        formats = tuple(table.get("formats", ["pdf"]))
        if not formats or not set(formats) <= FORMATS:
            r.problem(file, f"formats must be among {sorted(FORMATS)}, got {list(formats)}",
                      field=f"{did}.formats")
        max_mb = table.get("max_mb", 2.0)
        if not isinstance(max_mb, (int, float)) or not 0.1 <= max_mb <= 50:
            r.problem(file, f"max_mb must be a number from 0.1 to 50, got {max_mb!r}", field=f"{did}.max_mb")
            max_mb = 2.0
        out[did] = Document(
            id=did, name=r.text(table, "name", file, field=did),
            explanation=r.text(table, "explanation", file, field=did),
            pages=r.optional_text(table, "pages", file, field=did),
            alternatives=tuple(table.get("alternatives", [])), formats=formats,
            max_mb=float(max_mb), pictogram=_pictogram(r, table, file, did, pictograms))
    return out


def content_hash(root: Path) -> str:
    """SHA-256 over the pack's files (relative path and bytes), excluding compiled catalogs."""
    digest = hashlib.sha256()
    for file in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix != ".mo"):
        digest.update(str(file.relative_to(root)).encode() + b"\0" + file.read_bytes() + b"\0")
    return digest.hexdigest()


def load_pack(root: Path, pictograms: Path = PICTOGRAMS) -> Pack:
    """Load the pack at `root`; raise PackError naming every problem. `pictograms` is the kiosk's
    folder of document pictograms, where a pictogram the pack does not ship itself must be."""
    r = _Reader(root)
    if not root.is_dir():
        raise PackError(root, [PackProblem(str(root), "content pack directory does not exist")])
    meta = r.toml(root / "pack.toml") or {}
    r.unknown(meta, {"id", "version", "title", "languages"}, root / "pack.toml")
    for key in ("id", "version", "title"):
        r.text(meta, key, root / "pack.toml")
    documents = _documents(r, root / "documents.toml", pictograms)
    procedures: dict[str, Procedure] = {}
    files = sorted((root / "procedures").glob("*.toml"))
    if not files:
        r.problem(root / "pack.toml", "the pack has no procedures/*.toml")
    for file in files:
        proc = _procedure(r, file, documents)
        if proc is not None:
            procedures[proc.id] = proc
    if r.problems:
        raise PackError(root, r.problems)
    return Pack(id=str(meta["id"]), version=str(meta["version"]), title=str(meta["title"]),
                content_hash=content_hash(root), path=str(root), procedures=procedures,
                documents=documents, languages=tuple(meta.get("languages", ())))
