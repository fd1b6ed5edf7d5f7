"""Draft a procedure TOML from a Service-Public XML fiche (DILA open data, schema 3.x).

A fiche is a `Publication` with Dublin Core metadata (dc:title, dc:description, dc:date) and a
`Texte` made of `Chapitre` (with a `Titre`), `Paragraphe`, `Liste`/`Item` and `BlocCas`/`Cas`
("if you are…" branches). The draft keeps that shape:

- the introduction becomes an info step `welcome`;
- each run of paragraphs and lists becomes an info step titled by its chapter (or case);
- each `BlocCas` becomes a question, one answer per `Cas`, whose branches meet again after it;
- everything ends in one end step.

The draft passes `content check` once its documents exist, but it is official wording, not plain
French: authors rewrite every text, split steps, and add checklists. Source and date are filled in.
Fiches are local files chosen by an author (the DILA daily ZIP), parsed with the standard library.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DC = "{http://purl.org/dc/elements/1.1/}"
NOTES = {"ASavoir": "À savoir : ", "ANoter": "À noter : ", "Attention": "Attention : "}
ANEF_URL = "https://administration-etrangers-en-france.interieur.gouv.fr/"


class FicheError(Exception):
    """The file is not a usable Service-Public fiche."""


@dataclass(frozen=True)
class Fiche:
    id: str
    title: str
    description: str
    date: dt.date
    url: str
    root: ET.Element


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _text(el: ET.Element | None) -> str:
    return _clean("".join(el.itertext())) if el is not None else ""


def _date(value: str) -> dt.date:
    """dc:date is written like "modified 2024-04-22" (sometimes with a time, or alone)."""
    found = re.search(r"\d{4}-\d{2}-\d{2}", value)
    if not found:
        raise FicheError(f"dc:date {value!r} has no YYYY-MM-DD date")
    return dt.date.fromisoformat(found.group(0))


def read_fiche(path: Path) -> Fiche:
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as exc:
        raise FicheError(f"cannot be read as XML: {exc}") from exc
    if root.tag != "Publication":
        raise FicheError(f"expected a <Publication> root element, got <{root.tag}>")
    fid = root.get("ID", "") or _text(root.find(f"{DC}identifier"))
    title = _text(root.find(f"{DC}title"))
    if not fid or not title:
        raise FicheError("the fiche has no ID or no dc:title")
    date_el = root.find(f"{DC}date")
    if date_el is None:
        raise FicheError("the fiche has no dc:date")
    url = root.get("spUrl") or f"https://www.service-public.fr/particuliers/vosdroits/{fid}"
    return Fiche(id=fid, title=title, description=_text(root.find(f"{DC}description")),
                 date=_date(_text(date_el)), url=url, root=root)


def _lines(el: ET.Element) -> list[str]:
    """The text of a paragraph-like element, lists as "- item" lines."""
    if el.tag == "Paragraphe":
        return [_text(el)] if _text(el) else []
    if el.tag == "Liste":
        return [f"- {_text(item)}" for item in el.findall("Item") if _text(item)]
    if el.tag in NOTES:
        body = " ".join(_text(child) for child in el if child.tag != "Titre")
        return [NOTES[el.tag] + body] if body else []
    return []


class _Drafter:
    """Builds steps backwards from the continuation, so every branch joins the next part."""

    def __init__(self) -> None:
        self.steps: list[dict[str, Any]] = []
        self.ids: set[str] = {"welcome", "end"}

    def new_id(self, title: str) -> str:
        ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
        base = re.sub(r"[^a-z0-9]+", "_", ascii_title.lower()).strip("_")[:40].strip("_") or "step"
        sid, n = base, 2
        while sid in self.ids:
            sid, n = f"{base}_{n}", n + 1
        self.ids.add(sid)
        return sid

    def sequence(self, nodes: list[ET.Element], title: str, cont: str) -> str:
        segments: list[tuple[str, ET.Element | list[str]]] = []
        for node in nodes:
            if node.tag in ("Chapitre", "SousChapitre", "BlocCas"):
                segments.append((node.tag, node))
            elif lines := _lines(node):
                if segments and isinstance(segments[-1][1], list):
                    segments[-1][1].extend(lines)
                else:
                    segments.append(("text", lines))
        for kind, value in reversed(segments):
            if isinstance(value, list):
                cont = self.info(title, "\n\n".join(value), cont)
            elif kind == "BlocCas":
                cont = self.question(value, cont)
            else:
                cont = self.sequence(list(value), _text(value.find("Titre")) or title, cont)
        return cont

    def info(self, title: str, text: str, cont: str) -> str:
        sid = self.new_id(title)
        self.steps.append({"id": sid, "kind": "info", "title": title, "text": text, "next": cont})
        return sid

    def question(self, bloc: ET.Element, cont: str) -> str:
        answers: list[dict[str, str]] = []
        for i, cas in enumerate(bloc.findall("Cas")):
            label = _text(cas.find("Titre")) or f"Cas {i + 1}"
            entry = self.sequence(list(cas), label, cont)
            answers.append({"id": f"cas_{i + 1}", "label": label, "next": entry})
        if len(answers) < 2:      # a one-case block is not a choice
            return answers[0]["next"] if answers else cont
        sid = self.new_id("quelle situation")
        self.steps.append({"id": sid, "kind": "question", "title": "Quelle est votre situation ?",
                           "answers": answers})
        return sid


def _toml_str(value: str) -> str:
    if "\n" not in value:
        return json.dumps(value, ensure_ascii=False)
    return '"""\n' + value.replace("\\", "\\\\").replace('"""', '""\\"') + '"""'


def _toml_step(step: dict[str, Any]) -> str:
    out = ["[[steps]]"]
    for key in ("id", "kind", "title", "text", "next"):
        if isinstance(step.get(key), str):
            out.append(f"{key} = {_toml_str(str(step[key]))}")
    for answer in step.get("answers", []):
        out.append("  [[steps.answers]]")
        out += [f"  {key} = {_toml_str(answer[key])}" for key in ("id", "label", "next")]
    return "\n".join(out) + "\n"


def draft_procedure(fiche: Fiche, procedure_id: str | None = None, today: dt.date | None = None) -> str:
    """The draft procedure TOML (a string) for `fiche`."""
    pid = procedure_id or fiche.id.lower()
    drafter = _Drafter()
    texte = fiche.root.find("Texte")
    first = drafter.sequence(list(texte) if texte is not None else [], fiche.title, "end")
    intro = "\n\n".join(line for el in fiche.root.iterfind("Introduction/Texte/*") for line in _lines(el))
    welcome: dict[str, Any] = {"id": "welcome", "kind": "info", "title": fiche.title,
               "text": intro or fiche.description, "next": first}
    end: dict[str, Any] = {"id": "end", "kind": "end", "title": "C'est fini",
           "text": "TODO : dites ce que la personne a maintenant, et ce qu'elle fait ensuite."}
    steps = [welcome, *reversed(drafter.steps), end]
    header = [
        f"# DRAFT imported from Service-Public fiche {fiche.id} ({fiche.date.isoformat()}) by",
        "# `pan-kiosk content import-fiche`. Official wording: rewrite every text in plain French",
        "# (short sentences, one idea each), add checklists, then run `pan-kiosk content check`.",
        "# Source: Service-Public.gouv.fr / DILA, Licence Ouverte 2.0.",
        f"id = {_toml_str(pid)}",
        f"title = {_toml_str(fiche.title)}",
        f"summary = {_toml_str(fiche.description or fiche.title)}",
        f"official_url = {_toml_str(ANEF_URL)}",
        f"checked = {(today or dt.date.today()).isoformat()}",
        'start = "welcome"',
        "",
        "[[sources]]",
        f"ref = {_toml_str(fiche.id)}",
        f"url = {_toml_str(fiche.url)}",
        f"date = {fiche.date.isoformat()}",
        "",
    ]
    return "\n".join(header) + "\n" + "\n".join(_toml_step(s) for s in steps)
