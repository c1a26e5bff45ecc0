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

from corpus.models import Document, Section
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


def _subtree_text(doc: Document, section: Section) -> str:
    prefix = section.id + "."
    parts = [section.heading or "", section.text or ""]
    parts += [f"{s.label} {s.heading} {s.text}" for s in doc.sections if s.id.startswith(prefix)]
    return "\n".join(p for p in parts if p)


def _candidates(doc: Document, article: str, clause: str | None) -> list[Section]:
    arts = [s for s in doc.sections if s.kind == "dieu" and s.label.strip().rstrip(".") == article]
    if not clause:
        return arts
    number = clause.split()[-1]
    out = []
    for a in arts:
        out += [s for s in doc.sections if s.parent == a.id and s.kind == "khoan"
                and s.label.strip().rstrip(".") == number]
    return out


def locate(corpus: Corpus, fact: Fact, docs: list[Document] | None = None) -> Located | None:
    """The section stating ``fact`` (its quote found there), or None."""
    want = squash(fact.quote)
    for doc in docs if docs is not None else documents_for(corpus, fact.doc):
        for section in _candidates(doc, fact.article, fact.clause):
            text = _subtree_text(doc, section)
            if want in squash(text):
                return Located(doc.id, section.id, text)
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
