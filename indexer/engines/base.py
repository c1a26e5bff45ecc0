"""What every lexical engine shares: the interface the searcher needs (``LexicalIndex``), the
layout of an indexed passage (its filter fields and its analysed text fields), the weighted term
clauses a parsed query becomes, and the analysis that turns a passage into those terms.

Every engine indexes the same fields, analysed by the same analyzer (``indexer.analysis.terms``:
pyvi words + their syllables + protected document numbers, in an accented match form and a folded
form), and is asked the same weighted term clauses; what differs is the engine (its postings, its
scoring, its speed). No user text ever reaches an engine's own query parser.
"""
from __future__ import annotations

import os
from abc import ABC, abstractmethod
from multiprocessing import get_context
from pathlib import Path

from corpus.ids import slug

from ..analysis import terms
from ..passages import Passage
from ..query import Filters, ParsedQuery

# One text field (document title, breadcrumb, heading twice, body) in two forms: {name: folded?}.
# Separate title/heading/body fields tripled the clauses of every query, and Whoosh's union
# matcher is slow in the number of clauses (2 s a question on alqac2022); the heading is said twice
# instead, so its words weigh more. Folded forms carry every accented match too, so on an accented
# query they only add a little (an accent-less query relies on them alone).
TEXT_FIELDS: dict[str, bool] = {"text": False, "text_f": True}
FIELD_BOOSTS = {"text": 1.0}
HEADING_REPEAT = 2
FOLDED_WEIGHT_ACCENTED = 0.15
EXPANSION_WEIGHT = 0.5
NUMBER_WEIGHT = 4.0
# Cap on distinct query terms (a 10 kB paste must not build a 3,000-clause query).
MAX_TERMS = 64

# An analysed passage: {text field name: its terms joined by spaces}.
Analysed = dict


class LexicalIndex(ABC):
    """What the searcher needs from a lexical engine."""

    @classmethod
    @abstractmethod
    def build(cls, directory: Path, passages: list[Passage]) -> None: ...

    @classmethod
    @abstractmethod
    def open(cls, directory: Path) -> "LexicalIndex": ...

    @abstractmethod
    def search(self, query: ParsedQuery, filters: Filters | None, limit: int) -> list[tuple[str, float]]: ...

    @abstractmethod
    def count(self, query: ParsedQuery, filters: Filters | None) -> int: ...

    @abstractmethod
    def vocabulary(self) -> list[str]: ...


def facet_key(value: str | None) -> str:
    """The stored filter form of a doc_type / issuer / province value (accent- and case-free)."""
    return slug(value or "")


def text_fields() -> dict[str, bool]:
    """{field name: folded?} of the analysed text fields."""
    return dict(TEXT_FIELDS)


def doc_fields(p: Passage) -> dict:
    """A passage as every engine indexes it: its id, filter fields and text fields (not analysed)."""
    body = p.body or p.text
    title = " ".join(x for x in (p.doc_type or "", p.symbol or "", p.title or "") if x)
    heading = " ".join([*(b for b in p.breadcrumb if not p.heading.startswith(b)), p.heading])
    text = "\n".join([title, *[heading] * HEADING_REPEAT, body])
    return dict(id=p.id, doc_id=p.doc_id, doc_type=facet_key(p.doc_type), issuer=facet_key(p.issuer),
                province=facet_key(p.province), year=p.year if p.year is not None else -1,
                **{name: text for name in TEXT_FIELDS})


def query_terms(query: ParsedQuery) -> dict[tuple[str, str], float]:
    """{(field, term): weight}, strongest first: the weighted term clauses of a query (its words,
    its glossary expansions at a lower weight, its document numbers at a higher one), at most
    ``MAX_TERMS * 2`` of them; empty when the query has no terms."""
    weights: dict[tuple[str, str], float] = {}

    def add(text: str, weight: float) -> None:
        for folded in (False, True):
            if query.accentless and not folded:
                continue
            w = weight * (1.0 if (folded == query.accentless) else FOLDED_WEIGHT_ACCENTED)
            if w <= 0:
                continue
            seen: set[str] = set()
            for t in terms(text, folded):
                if t in seen:
                    continue
                seen.add(t)
                for f, boost in FIELD_BOOSTS.items():
                    key = (f + ("_f" if folded else ""), t)
                    weights[key] = max(weights.get(key, 0.0), w * boost)

    add(query.text, 1.0)
    for phrase in query.expansions:
        add(phrase, EXPANSION_WEIGHT)
    for ref in query.doc_refs:
        if ref.key:
            weights[("text_f", ref.key)] = NUMBER_WEIGHT
    # keep the strongest clauses when a pasted text yields too many
    return dict(sorted(weights.items(), key=lambda kv: -kv[1])[: MAX_TERMS * 2])


def analyse(p: Passage, fields: dict[str, bool] | None = None) -> Analysed:
    """The passage's text fields, each analysed as every engine indexes it."""
    fields = fields or text_fields()
    values = doc_fields(p)
    return {name: " ".join(terms(values.get(name) or "", folded)) for name, folded in fields.items()}


def _analyse_default(p: Passage) -> Analysed:
    return analyse(p)


def analysis_procs(n_passages: int, procs: int | None = None) -> int:
    """Processes for analysing ``n_passages``: ``procs`` if given, else every core for a big corpus
    (below 2,000 passages a pool costs more than it saves)."""
    if procs is not None:
        return max(1, int(procs))
    return (os.cpu_count() or 1) if n_passages >= 2000 else 1


def analyse_all(passages: list[Passage], procs: int | None = None) -> list[Analysed]:
    """Analyse every passage (word segmentation dominates); more than one process (by default, every
    core for a big corpus: see analysis_procs) uses a fork pool. Same output, in passage order."""
    fields = text_fields()
    procs = analysis_procs(len(passages), procs)
    if procs <= 1 or len(passages) < 2:
        return [analyse(p, fields) for p in passages]
    with get_context("fork").Pool(procs) as pool:
        return pool.map(_analyse_default, passages, chunksize=256)
