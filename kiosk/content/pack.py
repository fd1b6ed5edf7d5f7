"""Load and validate a content pack directory.

Layout (documented in docs/content-pack.md):

    pack.toml                    id, version, title, languages
    documents.toml               one table per document the procedures ask for
    procedures/<id>.toml         one procedure each: metadata, sources, [[steps]]
    contacts.toml                every phone number the texts cite (kiosk.content.consistency)
    pictograms/<name>.svg        optional: pictograms this pack adds to the kiosk's assets/pictograms
    locale/<lang>/LC_MESSAGES/content.po|.mo   translations, French text as msgid

Every problem is reported with the file, the procedure, the step and the field it concerns, and all
problems are collected before failing, so an author fixes a pack in one pass.
"""

from __future__ import annotations

import datetime as dt
import gettext
import hashlib
import re
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from kiosk.config import MAX_TOML_CHARS, TomlProblem, read_toml, shown
from kiosk.content import patterns
from kiosk.content.model import COST_STATUSES, Answer, Cost, Document, Pack, Procedure, Source, Step, StepKind
from kiosk.content.sitemap import read_site_map
from kiosk.paths import ASSETS
from kiosk.visit.dates import RULES

ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")

STEP_FIELDS = {
    StepKind.INFO: {"id", "kind", "title", "text", "next", "glossary"},
    StepKind.QUESTION: {"id", "kind", "title", "text", "answers", "glossary"},
    StepKind.CHECKLIST: {"id", "kind", "title", "text", "documents", "next", "glossary"},
    StepKind.END: {"id", "kind", "title", "text", "glossary"},
    StepKind.DATE: {"id", "kind", "title", "text", "rule", "outcomes", "glossary"},
    StepKind.ADDRESS: {"id", "kind", "title", "text", "next", "glossary"},   # the e-mail address slip
}
PROCEDURE_FIELDS = {"id", "title", "summary", "official_url", "checked", "start", "sources", "steps",
                    "costs", "site_url_patterns"}
COST_FIELDS = {"id", "label", "amount_eur", "note", "status", "since", "previous_eur", "source", "url",
               "read", "applies_when", "mediator_note"}
DOCUMENT_FIELDS = {"name", "explanation", "pages", "alternatives", "formats", "max_mb", "pictogram"}
FORMATS = {"pdf", "jpg", "png"}
# any step, and a procedure, may name its pictogram (checked by _check_pictograms)
STEP_FIELDS = {kind: {*fields, "pictogram"} for kind, fields in STEP_FIELDS.items()}
PROCEDURE_FIELDS = {*PROCEDURE_FIELDS, "pictogram"}
MAX_TEXT = 5000         # characters of one text (the shipped pack's longest: ~520, a step read on one screen)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")   # tab and line feed are allowed
# What gettext raises on a compiled catalog that is not one: bad magic or version (OSError), truncated
# tables (struct.error), bytes that are not the declared charset (ValueError), an unknown charset
# (LookupError), a broken or too deep Plural-Forms expression (ValueError, RecursionError, ArithmeticError).
CATALOG_ERRORS = (OSError, ValueError, LookupError, struct.error, RecursionError, ArithmeticError,
                  IndexError, KeyError)
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
    line: int | None = None

    def __str__(self) -> str:
        where = [self.file] + ([f"line {self.line}"] if self.line else [])
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

    def problem(self, file: Path, message: str, *, procedure: str = "", step: str = "",
                field: str = "") -> None:
        self.problems.append(PackProblem(str(file.relative_to(self.root)), message, procedure, step, field))

    def problem_on_line(self, file: Path, line: int | None, message: str) -> None:
        self.problems.append(PackProblem(str(file.relative_to(self.root)), message, line=line))

    def toml(self, file: Path) -> dict[str, Any] | None:
        try:
            if file.stat().st_size > MAX_TOML_CHARS * 4:      # UTF-8: at most 4 bytes a character
                self.problem(file, f"the file has {file.stat().st_size} bytes, expected at most "
                                   f"{MAX_TOML_CHARS} characters")
                return None
            return read_toml(file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            self.problem(file, "file is missing")
        except TomlProblem as exc:
            self.problem_on_line(file, exc.line, f"cannot be read: {exc.message}")
        except (OSError, UnicodeDecodeError) as exc:
            self.problem(file, f"cannot be read: {exc}")
        return None

    def optional_text(self, table: dict[str, Any], key: str, file: Path, **where: str) -> str:
        return self._text(table, key, file, False, where)

    def text(self, table: dict[str, Any], key: str, file: Path, **where: str) -> str:
        return self._text(table, key, file, True, where)

    def _text(self, table: dict[str, Any], key: str, file: Path, required: bool,
              where: dict[str, str]) -> str:
        """table[key] as text; `where` may name the field in full (\"answers[0].id\"), else it is `key`."""
        where = {"field": key, **where}
        value = table.get(key, "")
        if not isinstance(value, str):
            self.problem(file, f"expected text, got {shown(value)}", **where)
            return ""
        if required and not value.strip():
            self.problem(file, "is missing or empty", **where)
        if len(value) > MAX_TEXT:
            self.problem(file, f"has {len(value)} characters, expected at most {MAX_TEXT}", **where)
            return ""
        if _CONTROL.search(value):
            self.problem(file, f"expected text without control characters, got {shown(value)}", **where)
            return ""
        return value

    def texts(self, value: Any, file: Path, **where: str) -> tuple[str, ...] | None:
        """A list of texts (formats, alternatives, languages, document ids); None, said, if it is not."""
        if isinstance(value, list) and all(isinstance(v, str) and len(v) <= MAX_TEXT
                                           and not _CONTROL.search(v) for v in value):
            return tuple(value)
        self.problem(file, f"expected a list of texts, got {shown(value)}", **where)
        return None

    def unknown(self, table: dict[str, Any], allowed: set[str], file: Path, **where: str) -> None:
        for key in sorted(set(table) - allowed):
            self.problem(file, f"unknown field (allowed: {', '.join(sorted(allowed))})", field=key, **where)


def _step(r: _Reader, raw: Any, file: Path, proc: str, index: int) -> Step | None:
    if not isinstance(raw, dict):
        r.problem(file, "each [[steps]] entry must be a table", procedure=proc, step=f"#{index + 1}")
        return None
    sid = raw.get("id", "")
    if not isinstance(sid, str) or not ID.fullmatch(sid):
        r.problem(file, f"expected an id of lowercase letters, digits, - or _, got {shown(sid)}",
                  procedure=proc, step=f"#{index + 1}", field="id")
        sid = f"#{index + 1}"
    kind_value = raw.get("kind")
    if not isinstance(kind_value, str) or kind_value not in {k.value for k in StepKind}:
        r.problem(file, f"expected one of {', '.join(k.value for k in StepKind)}, got {shown(kind_value)}",
                  procedure=proc, step=sid, field="kind")
        return None
    kind = StepKind(kind_value)
    where = {"procedure": proc, "step": sid}
    r.unknown(raw, STEP_FIELDS[kind], file, **where)
    answers = _answers(r, raw.get("answers", []), file, where) if kind is StepKind.QUESTION else ()
    documents: tuple[str, ...] = ()
    if kind is StepKind.CHECKLIST:
        documents = r.texts(raw.get("documents"), file, field="documents", **where) or ()
        if not documents:
            r.problem(file, "a checklist needs a non-empty list of document ids", field="documents", **where)
    goes_on = kind in (StepKind.INFO, StepKind.CHECKLIST, StepKind.ADDRESS)    # ADDRESS: e-mail slip
    nxt = raw.get("next") if goes_on else None
    if goes_on and not isinstance(nxt, str):
        r.problem(file, "expected the id of the next step", field="next", **where)
        nxt = None
    rule, outcomes = _date_rule(r, raw, file, where) if kind is StepKind.DATE else ("", ())
    return Step(id=sid, kind=kind, title=r.text(raw, "title", file, **where),
                text=r.optional_text(raw, "text", file, **where), next=nxt,
                answers=answers, documents=documents,
                glossary=_glossary(r, raw.get("glossary", {}), file, where),
                rule=rule, outcomes=outcomes, pictogram=r.optional_text(raw, "pictogram", file, **where))


def _answers(r: _Reader, raw: Any, file: Path, where: dict[str, str]) -> tuple[Answer, ...]:
    """[[steps.answers]] of a question: id, label, next; at least two, ids unique."""
    if not isinstance(raw, list):
        r.problem(file, f"expected a list of [[steps.answers]] tables, got {shown(raw)}", field="answers",
                  **where)
        raw = []
    answers: list[Answer] = []
    for i, a in enumerate(raw):
        if not isinstance(a, dict):
            r.problem(file, "each answer must be a table", field=f"answers[{i}]", **where)
            continue
        r.unknown(a, {"id", "label", "next"}, file, **where)
        if any(a.get("id") == other.id for other in answers):
            r.problem(file, f"answer id {shown(a.get('id'))} used twice", field=f"answers[{i}]", **where)
        answers.append(Answer(id=r.text(a, "id", file, field=f"answers[{i}].id", **where) or str(i),
                              label=r.text(a, "label", file, field=f"answers[{i}].label", **where),
                              next=r.text(a, "next", file, field=f"answers[{i}].next", **where)))
    if len(answers) < 2:
        r.problem(file, "a question needs at least two answers", field="answers", **where)
    return tuple(answers)


def _date_rule(r: _Reader, raw: dict[str, Any], file: Path,
               where: dict[str, str]) -> tuple[str, tuple[tuple[str, str], ...]]:
    """rule = "renewal_window" and [steps.outcomes] naming the next step of every outcome."""
    rule = raw.get("rule")
    if not isinstance(rule, str) or rule not in RULES:
        r.problem(file, f"expected one of {', '.join(sorted(RULES))}, got {shown(rule)}", field="rule",
                  **where)
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
            r.problem(file, f"the label {shown(term)} needs a non-empty explanation", field="glossary",
                      **where)
            continue
        out.append((term, explanation))
    return tuple(out)


def _costs(r: _Reader, raw: Any, file: Path, proc: str) -> tuple[Cost, ...]:
    """[[costs]]: id, label, optional note; with amount_eur (a number >= 0) also status, since,
    source, url and read (the amount's legal source); optional previous_eur, applies_when ("step:answer"
    texts, checked against the steps by _check_cost_conditions) and mediator_note. docs/content-pack.md."""
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
            r.problem(file, f"expected a unique lowercase id, got {shown(cid)}", procedure=proc,
                      field=f"{name}.id")
            cid = f"#{i + 1}"
        label = r.text(c, "label", file, procedure=proc, field=f"{name}.label")
        note = r.optional_text(c, "note", file, procedure=proc, field=f"{name}.note")
        amount, previous = (_cost_amount(r, c, key, file, proc, name)
                            for key in ("amount_eur", "previous_eur"))
        status = r.optional_text(c, "status", file, procedure=proc, field=f"{name}.status")
        source = r.optional_text(c, "source", file, procedure=proc, field=f"{name}.source")
        url = r.optional_text(c, "url", file, procedure=proc, field=f"{name}.url")
        since, read = (_cost_date(r, c, key, file, proc, name) for key in ("since", "read"))
        if amount is not None:
            if status not in COST_STATUSES:
                r.problem(file, f"an amount needs a status among {', '.join(COST_STATUSES)}, got "
                          f"{shown(status or None)}", procedure=proc, field=f"{name}.status")
            for key, value in (("since", since), ("read", read)):
                if value is None and key not in c:         # a bad date is reported by _cost_date
                    r.problem(file, f"an amount needs its {key} date (YYYY-MM-DD)", procedure=proc,
                              field=f"{name}.{key}")
            if not source.strip():
                r.problem(file, "an amount needs its source (title of the text it was read in)",
                          procedure=proc, field=f"{name}.source")
            if not is_https_url(url):
                r.problem(file, f"an amount needs its source's https:// address, got {shown(url or None)}",
                          procedure=proc, field=f"{name}.url")
        elif status or since:
            r.problem(file, "status and since describe an amount: give amount_eur or leave them out",
                      procedure=proc, field=f"{name}.status" if status else f"{name}.since")
        if url and not is_https_url(url):
            r.problem(file, f"expected an https:// address, got {shown(url)}", procedure=proc,
                      field=f"{name}.url")
        when = c.get("applies_when", [])
        pairs: list[tuple[str, str]] = []
        if not isinstance(when, list) or not all(isinstance(w, str) and w.count(":") == 1 for w in when):
            r.problem(file, f"expected a list of \"step:answer\" texts, got {shown(when)}", procedure=proc,
                      field=f"{name}.applies_when")
        else:
            pairs = [(w.split(":")[0].strip(), w.split(":")[1].strip()) for w in when]
        out.append(Cost(
            id=cid, label=label, amount_eur=amount, note=note, status=status, since=since,
            previous_eur=previous, source=source, url=url, read=read, applies_when=tuple(pairs),
            mediator_note=r.optional_text(c, "mediator_note", file, procedure=proc,
                                          field=f"{name}.mediator_note")))
    return tuple(out)


def _cost_amount(r: _Reader, c: dict[str, Any], key: str, file: Path, proc: str, name: str) -> float | None:
    amount = c.get(key)
    if amount is not None and (isinstance(amount, bool) or not isinstance(amount, (int, float))
                               or not 0 <= amount <= 1e9):       # not nan, not inf, not 10**400
        r.problem(file, f"{key} must be a number >= 0, got {shown(amount)}", procedure=proc,
                  field=f"{name}.{key}")
        return None
    return None if amount is None else float(amount)


def _cost_date(r: _Reader, c: dict[str, Any], key: str, file: Path, proc: str, name: str) -> dt.date | None:
    value = c.get(key)
    if value is not None and type(value) is not dt.date:        # a datetime would not compare with dates
        r.problem(file, f"expected a date (YYYY-MM-DD), got {shown(value)}", procedure=proc,
                  field=f"{name}.{key}")
        return None
    return value


def _check_cost_conditions(r: _Reader, file: Path, proc: Procedure) -> None:
    """Every applies_when pair names a question's answer or a date step's outcome of this guide."""
    for i, cost in enumerate(proc.costs):
        for step_id, choice in cost.applies_when:
            step = proc.steps.get(step_id)
            choices = ([a.id for a in step.answers] if step.kind is StepKind.QUESTION
                       else [o for o, _ in step.outcomes]) if step else []
            if choice not in choices:
                r.problem(file, f"applies_when names {step_id}:{choice}, which is not an answer or a date "
                          f"outcome of a step of this guide", procedure=proc.id,
                          field=f"costs[{i}].applies_when")


def _url_patterns(r: _Reader, raw: Any, file: Path, proc: str) -> tuple[str, ...]:
    """site_url_patterns: regular expressions of the safe subset of kiosk.content.patterns, which the
    site guide searches in linear time (a pattern such as (a+)+$ froze the kiosk on some addresses)."""
    if not isinstance(raw, list) or not all(isinstance(p, str) and p for p in raw):
        r.problem(file, "expected a list of regular expressions (text)", procedure=proc,
                  field="site_url_patterns")
        return ()
    for i, pattern in enumerate(raw):
        if why := patterns.problem(pattern):
            r.problem(file, f"{shown(pattern)} {why}", procedure=proc, field=f"site_url_patterns[{i}]")
    return tuple(raw)


def _sources(r: _Reader, raw: Any, file: Path, proc: str) -> tuple[Source, ...]:
    out = []
    if not isinstance(raw, list) or not raw:
        r.problem(file, "every procedure needs at least one [[sources]] entry", procedure=proc,
                  field="sources")
        return ()
    for i, s in enumerate(raw):
        field_name = f"sources[{i}]"
        if not isinstance(s, dict) or type(s.get("date")) is not dt.date:     # a datetime is not a date
            r.problem(file, "expected a table with ref, url and date (YYYY-MM-DD)", procedure=proc,
                      field=field_name)
            continue
        url = r.text(s, "url", file, procedure=proc, field=f"{field_name}.url")
        if url and not is_https_url(url):
            r.problem(file, f"expected an https:// address, got {shown(url)}", procedure=proc,
                      field=field_name)
        out.append(Source(ref=r.text(s, "ref", file, procedure=proc, field=f"{field_name}.ref"), url=url,
                          date=s["date"]))
    return tuple(out)


def _procedure(r: _Reader, file: Path, documents: dict[str, Document]) -> Procedure | None:
    raw = r.toml(file)
    if raw is None:
        return None
    proc = file.stem
    if raw.get("id", proc) != proc:
        r.problem(file, f"id must match the file name ({proc!r}), got {shown(raw.get('id'))}",
                  procedure=proc, field="id")
    r.unknown(raw, PROCEDURE_FIELDS, file, procedure=proc)
    steps: dict[str, Step] = {}
    raw_steps = raw.get("steps", [])
    if not isinstance(raw_steps, list):
        r.problem(file, f"expected a list of [[steps]] tables, got {shown(raw_steps)}", procedure=proc,
                  field="steps")
        raw_steps = []
    for i, s in enumerate(raw_steps):
        step = _step(r, s, file, proc, i)
        if step is None:
            continue
        if step.id in steps:
            r.problem(file, "step id used twice", procedure=proc, step=step.id, field="id")
        steps[step.id] = step
    checked = raw.get("checked")
    if type(checked) is not dt.date:                   # a datetime would not compare with dates
        r.problem(file, "expected the date the content was last checked (YYYY-MM-DD)", procedure=proc,
                  field="checked")
        checked = dt.date.min
    url = r.text(raw, "official_url", file, procedure=proc)
    if url and not is_https_url(url):
        r.problem(file, f"expected an https:// address, got {shown(url)}", procedure=proc,
                  field="official_url")
    procedure = Procedure(
        id=proc, title=r.text(raw, "title", file, procedure=proc),
        summary=r.text(raw, "summary", file, procedure=proc), official_url=url, checked=checked,
        start=r.text(raw, "start", file, procedure=proc), steps=steps,
        sources=_sources(r, raw.get("sources"), file, proc), file=str(file.relative_to(r.root)),
        costs=_costs(r, raw.get("costs", []), file, proc),
        site_url_patterns=_url_patterns(r, raw.get("site_url_patterns", []), file, proc),
        pictogram=r.optional_text(raw, "pictogram", file, procedure=proc))
    _check_graph(r, file, procedure, documents)
    _check_cost_conditions(r, file, procedure)
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
        r.problem(file, f"expected a pictogram name of lowercase letters, digits, - or _, got {shown(name)}",
                  field=f"{did}.pictogram")
    elif name and pictogram_file(name, r.root, shared) is None:
        r.problem(file, f"document {did!r}: pictogram {name!r} has no drawing; expected {name}.svg in "
                  f"{shared} or in the pack's pictograms/ folder", field=f"{did}.pictogram")
    return name


def _check_pictograms(r: _Reader, procedures: dict[str, Procedure], shared: Path) -> None:
    """A pictogram a procedure or a step names is an id whose SVG the pack or the kiosk has."""
    for proc in procedures.values():
        named: list[tuple[dict[str, str], str]] = [
            ({}, proc.pictogram), *(({"step": s.id}, s.pictogram) for s in proc.steps.values())]
        for where, name in named:
            file = r.root / proc.file
            if name and not ID.fullmatch(name):
                r.problem(file, f"expected a pictogram name of lowercase letters, digits, - or _, got "
                          f"{shown(name)}", procedure=proc.id, field="pictogram", **where)
            elif name and pictogram_file(name, r.root, shared) is None:
                r.problem(file, f"pictogram {name!r} has no drawing; expected {name}.svg in {shared} or in "
                          "the pack's pictograms/ folder", procedure=proc.id, field="pictogram", **where)


def _documents(r: _Reader, file: Path, pictograms: Path) -> dict[str, Document]:
    raw = r.toml(file) or {}
    out = {}
    for did, table in raw.items():
        if not ID.fullmatch(did) or not isinstance(table, dict):
            r.problem(file, "expected [document_id] tables with a lowercase id", field=did)
            continue
        r.unknown(table, DOCUMENT_FIELDS, file, field=did)
        formats = table.get("formats", ["pdf"])
        if (not isinstance(formats, list) or not formats
                or not all(isinstance(f, str) and f in FORMATS for f in formats)):
            r.problem(file, f"formats must be a list among {sorted(FORMATS)}, got {shown(formats)}",
                      field=f"{did}.formats")
            formats = ["pdf"]
        max_mb = table.get("max_mb", 2.0)
        if isinstance(max_mb, bool) or not isinstance(max_mb, (int, float)) or not 0.1 <= max_mb <= 50:
            r.problem(file, f"max_mb must be a number from 0.1 to 50, got {shown(max_mb)}",
                      field=f"{did}.max_mb")
            max_mb = 2.0
        out[did] = Document(
            id=did, name=r.text(table, "name", file, field=f"{did}.name"),
            explanation=r.text(table, "explanation", file, field=f"{did}.explanation"),
            pages=r.optional_text(table, "pages", file, field=f"{did}.pages"),
            alternatives=r.texts(table.get("alternatives", []), file, field=f"{did}.alternatives") or (),
            formats=tuple(formats), max_mb=float(max_mb),
            pictogram=_pictogram(r, table, file, did, pictograms))
    return out


def _catalogs(r: _Reader) -> None:
    """Every compiled catalog (locale/<lang>/LC_MESSAGES/*.mo) loads as gettext loads it when a visitor
    picks that language: a corrupt one used to pass here, then end the visit that chose the language."""
    for mo in sorted((r.root / "locale").glob("*/LC_MESSAGES/*.mo")):
        try:
            with mo.open("rb") as fp:
                catalog = gettext.GNUTranslations(fp)
            for n in (0, 1, 2, 5, 11, 100):          # the Plural-Forms expression runs (n/0 raises)
                catalog.ngettext("", "", n)
        except CATALOG_ERRORS as exc:
            detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            r.problem(mo, f"is not a compiled catalog gettext can use ({type(exc).__name__}: {detail}); "
                          f"expected the .mo that `pan-kiosk i18n compile` writes")


def content_hash(root: Path) -> str:
    """SHA-256 over the pack's files (relative path and bytes), excluding compiled catalogs."""
    digest = hashlib.sha256()
    for file in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix != ".mo"):
        digest.update(str(file.relative_to(root)).encode() + b"\0" + file.read_bytes() + b"\0")
    return digest.hexdigest()


def _ordered(r: _Reader, order: Any, procedures: dict[str, Procedure], file: Path) -> dict[str, Procedure]:
    """The procedures in the picker's order: those `order` names first (the most frequent visits), then
    the others by file name. `order` names each procedure at most once, and only procedures of the pack."""
    ids = r.texts(order, file, field="order") or ()
    for i, pid in enumerate(ids):
        if pid not in procedures:
            r.problem(file, f"order names {pid!r}, which is no procedure of the pack "
                            f"(procedures: {', '.join(sorted(procedures))})", field=f"order[{i}]")
        elif pid in ids[:i]:
            r.problem(file, f"order names {pid!r} twice", field=f"order[{i}]")
    first = [pid for pid in dict.fromkeys(ids) if pid in procedures]
    return {pid: procedures[pid] for pid in [*first, *(p for p in procedures if p not in first)]}


def load_pack(root: Path, pictograms: Path = PICTOGRAMS) -> Pack:
    """Load the pack at `root`; raise PackError naming every problem. `pictograms` is the kiosk's
    folder of document pictograms, where a pictogram the pack does not ship itself must be."""
    r = _Reader(root)
    if not root.is_dir():
        raise PackError(root, [PackProblem(str(root), "content pack directory does not exist")])
    meta = r.toml(root / "pack.toml") or {}
    r.unknown(meta, {"id", "version", "title", "languages", "order"}, root / "pack.toml")
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
    _check_pictograms(r, procedures, pictograms)
    procedures = _ordered(r, meta.get("order", []), procedures, root / "pack.toml")
    languages = r.texts(meta.get("languages", []), root / "pack.toml", field="languages")
    site = read_site_map(r, root / "site.toml", set(procedures))
    from kiosk.content import consistency  # imported here: it imports PackProblem from this module
    contacts_file = root / consistency.CONTACTS_FILE
    contacts = r.toml(contacts_file) if contacts_file.exists() else None
    r.problems += consistency.check(procedures, documents, site, contacts)
    _catalogs(r)
    if r.problems:
        raise PackError(root, r.problems)
    try:
        digest = content_hash(root)
    except OSError as exc:                    # a file of the pack that cannot be read (permissions)
        raise PackError(root, [PackProblem(str(exc.filename or root), f"cannot be read: {exc.strerror}")]
                        ) from None
    return Pack(id=str(meta["id"]), version=str(meta["version"]), title=str(meta["title"]),
                content_hash=digest, path=str(root), procedures=procedures,
                documents=documents, languages=languages or (), site=site)
