"""Lexical engines a user could pick instead of Whoosh, fed the same analysed text.

Fair comparison: every engine here indexes the terms Whoosh's analyzer produces
(``indexer.analysis.terms``: pyvi words + their syllables + protected document numbers, in an
accented match form and a folded form), joined by spaces, so each engine only splits on
whitespace. Queries are turned into the same weighted terms as ``WhooshLexicalIndex.to_query``.
What differs is the engine: its postings, its scoring (BM25 everywhere; Whoosh and tantivy score
per field, SQLite FTS5 and bm25s see two fields / one field) and its speed.

``lexical_engine(name)`` picks the class behind the setting ``TDKT_LEXICAL_ENGINE``
(``whoosh`` — the default — or ``tantivy``).
"""
from __future__ import annotations

import os
from dataclasses import dataclass

from ..analysis import terms
from ..passages import Passage
from ..query import ParsedQuery

ENGINE_SETTING = "TDKT_LEXICAL_ENGINE"
# Same weights as indexer.lexical (so scores are comparable in spirit).
FOLDED_WEIGHT_ACCENTED = 0.3
EXPANSION_WEIGHT = 0.5
NUMBER_WEIGHT = 4.0
MAX_TERMS = 64


@dataclass
class Analysed:
    """One passage's analysed fields as space-joined terms."""

    id: str
    title_acc: str
    title_fol: str
    heading_acc: str
    heading_fol: str
    body_acc: str
    body_fol: str

    def acc(self) -> str:
        return " ".join((self.title_acc, self.heading_acc, self.body_acc))

    def fol(self) -> str:
        return " ".join((self.title_fol, self.heading_fol, self.body_fol))


def passage_fields(p: Passage) -> tuple[str, str, str]:
    """(title, heading, body) exactly as indexer.lexical lays them out."""
    body = p.body or p.text
    title = " ".join(x for x in (p.doc_type or "", p.symbol or "", p.title or "") if x)
    heading = " ".join([*(b for b in p.breadcrumb if not p.heading.startswith(b)), p.heading])
    return title, heading, body


def analyse(p: Passage) -> Analysed:
    title, heading, body = passage_fields(p)
    j = " ".join
    return Analysed(p.id, j(terms(title, False)), j(terms(title, True)), j(terms(heading, False)),
                    j(terms(heading, True)), j(terms(body, False)), j(terms(body, True)))


def analyse_all(passages: list[Passage], procs: int = 1) -> list[Analysed]:
    """Analyse every passage (pyvi segmentation dominates); ``procs`` > 1 uses a process pool."""
    if procs <= 1 or len(passages) < 2000:
        return [analyse(p) for p in passages]
    from multiprocessing import get_context

    with get_context("fork").Pool(procs) as pool:
        return pool.map(analyse, passages, chunksize=256)


def query_terms(query: ParsedQuery) -> dict[tuple[bool, str], float]:
    """{(folded, term): weight} for a parsed query, as WhooshLexicalIndex.to_query weighs them."""
    weights: dict[tuple[bool, str], float] = {}

    def add(text: str, weight: float) -> None:
        for folded in (False, True):
            if query.accentless and not folded:
                continue
            w = weight * (1.0 if folded == query.accentless else FOLDED_WEIGHT_ACCENTED)
            for t in dict.fromkeys(terms(text, folded)):
                weights[(folded, t)] = max(weights.get((folded, t), 0.0), w)

    add(query.text, 1.0)
    for phrase in query.expansions:
        add(phrase, EXPANSION_WEIGHT)
    for ref in query.doc_refs:
        if ref.key:
            weights[(True, ref.key)] = NUMBER_WEIGHT
    return dict(sorted(weights.items(), key=lambda kv: -kv[1])[:MAX_TERMS])


def lexical_engine(name: str | None = None):
    """The LexicalIndex class for an engine name (default: the setting, else Whoosh)."""
    from corpus.errors import UserError

    name = (name or os.environ.get(ENGINE_SETTING) or "whoosh").strip().lower()
    if name == "whoosh":
        from ..lexical import WhooshLexicalIndex

        return WhooshLexicalIndex
    if name == "tantivy":
        from .tantivy_engine import TantivyLexicalIndex

        return TantivyLexicalIndex
    raise UserError(f"{ENGINE_SETTING}={name!r}: the lexical engine must be 'whoosh' or 'tantivy'")
