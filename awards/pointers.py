"""Resolve a catalogue fact to the section of the knowledge base that states it.

A fact names a document by symbol ("06/2022/QH15"), an article ("Điều 74") and maybe a clause
("khoản 1"). The section is looked up in the document and in the texts it issues (a provincial
decision's attached Quy định has its own "Điều 3"), and the quote must be in that section's text
or its children's. Comparison is folded (no accents, case, spacing or quote-mark differences): the
quote is shown as written in the catalogue, the link goes to the section.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Protocol

from corpus.models import Document
from corpus.vntext import fold

from .catalogue import Fact

_NOT_ALNUM = re.compile(r"[^a-z0-9%]+")


class Corpus(Protocol):
    """What the award file needs of a knowledge base (indexer.kb.KnowledgeBase fits)."""

    def documents_meta(self) -> list[dict]: ...
    def document(self, doc_id: str) -> Document | None: ...


@dataclass(frozen=True)
class Located:
    doc_id: str
    section_id: str
    text: str             # the section's text with its children's, as displayed


def squash(text: str) -> str:
    """The form quotes are compared in: folded, letters and digits only ("01 bộ (bản chính)" ~
    "01 bo ban chinh"), so a missing space in the source ("công tácở") does not hide a quote."""
    return _NOT_ALNUM.sub("", fold(text).replace("“", "").replace("”", ""))


def documents_for(corpus: Corpus, symbol: str) -> list[Document]:
    """The corpus documents with this symbol, each followed by the texts it issues (attachments)."""
    metas = [m for m in corpus.documents_meta() if m.get("symbol") == symbol]
    # the full text first; a codified copy (Bộ pháp điển) when it is all the corpus holds
    metas.sort(key=lambda m: bool(m.get("codified")))
    out: list[Document] = []
    for m in metas:
        doc = corpus.document(m["id"])
        if doc is None:
            continue
        out.append(doc)
        for link in doc.links or []:
            if link.get("relation") == "issues":
                child = corpus.document(link["target"])
                if child is not None:
                    out.append(child)
    return out


@dataclass(frozen=True)
class _Unit:
    section_id: str
    text: str          # the section's text with its children's, as displayed
    squashed: str      # the same, in the form quotes are compared in


# Per document (id, content hash): {(article label, clause number or None): [units]}. Built in one
# pass over the sections and kept for the few documents the catalogue points into, so an award
# file costs a dictionary lookup per fact, not a scan of the law's thousand sections.
_INDEX: dict[tuple[str, str], dict[tuple[str, str | None], list[_Unit]]] = {}
_INDEX_MAX = 64


def _index(doc: Document) -> dict[tuple[str, str | None], list[_Unit]]:
    key = (doc.id, doc.content_hash or str(len(doc.sections)))
    if key in _INDEX:
        return _INDEX[key]
    by_id = {s.id: s for s in doc.sections}
    parts: dict[str, list[str]] = {}
    for s in doc.sections:
        own = " ".join(x for x in (s.heading, s.text) if x)
        line = own if s.kind in ("dieu", "khoan") else f"{s.label} {own}"
        for anc in s.path or [s.id]:
            a = by_id.get(anc)
            if a is not None and a.kind in ("dieu", "khoan"):
                parts.setdefault(anc, []).append(own if anc == s.id else line)
    index: dict[tuple[str, str | None], list[_Unit]] = {}
    for sid, texts in parts.items():
        s = by_id[sid]
        text = "\n".join(t for t in texts if t)
        if s.kind == "dieu":
            k = (s.label.strip().rstrip("."), None)
        else:
            parent = by_id.get(s.parent or "")
            if parent is None or parent.kind != "dieu":
                continue
            k = (parent.label.strip().rstrip("."), s.label.strip().rstrip("."))
        index.setdefault(k, []).append(_Unit(sid, text, squash(text)))
    if len(_INDEX) >= _INDEX_MAX:
        _INDEX.pop(next(iter(_INDEX)))
    _INDEX[key] = index
    return index


def locate(corpus: Corpus, fact: Fact, docs: list[Document] | None = None) -> Located | None:
    """The section stating ``fact`` (its quote found there), or None."""
    want = squash(fact.quote)
    clause = fact.clause.split()[-1] if fact.clause else None
    for doc in docs if docs is not None else documents_for(corpus, fact.doc):
        for unit in _index(doc).get((fact.article, clause), []):
            if want in unit.squashed:
                return Located(doc.id, unit.section_id, unit.text)
    return None


def locate_all(corpus: Corpus, facts: list[Fact]) -> dict[Fact, Located | None]:
    """``locate`` for many facts, reading each document once."""
    cache: dict[str, list[Document]] = {}
    out: dict[Fact, Located | None] = {}
    for f in facts:
        if f.doc not in cache:
            cache[f.doc] = documents_for(corpus, f.doc)
        out[f] = locate(corpus, f, cache[f.doc])
    return out


def describe_missing(fact: Fact) -> str:
    where = " ".join(x for x in (fact.clause, fact.article, fact.doc) if x)
    return f"{where}: “{fact.quote[:80]}” not found"


def meta_by_symbol(corpus: Any, symbol: str) -> dict | None:
    metas = sorted((m for m in corpus.documents_meta() if m.get("symbol") == symbol), key=lambda m: bool(m.get("codified")))
    return metas[0] if metas else None
