"""Lexical engines a user could pick instead of Whoosh, fed the same analysed text.

Fair comparison: every engine here indexes the same fields as the Whoosh index (read from
``indexer.lexical.schema`` and ``_doc_fields``), analysed by the same analyzer
(``indexer.analysis.terms``: pyvi words + their syllables + protected document numbers, in an
accented match form and a folded form) and handed over as space-separated terms, so each engine
only splits on whitespace. Queries are the very term clauses ``WhooshLexicalIndex.to_query``
builds, with their weights. What differs is the engine: its postings, its scoring (BM25 in all;
tantivy weighs each term clause like Whoosh, SQLite FTS5 cannot weigh single terms, bm25s sees one
bag of words) and its speed.

``lexical_engine(name)`` picks the class behind the setting ``TDKT_LEXICAL_ENGINE``
(``whoosh`` — the default — or ``tantivy``).
"""
from __future__ import annotations

import os
from ..analysis import terms
from ..passages import Passage
from ..query import ParsedQuery

from ..kb_layout import ENGINE_SETTING, lexical_engine_name  # the setting, defined once

# An analysed passage: {text field name: its terms joined by spaces}, the fields being exactly
# those of indexer.lexical's Whoosh schema (read from it, so a change of layout there is followed).
Analysed = dict


def text_fields() -> dict[str, bool]:
    """{field name: folded?} of the Whoosh schema's analysed text fields."""
    from ..analysis import VnTokenizer
    from ..lexical import schema

    out = {}
    for name, f in schema().items():
        analyzer = getattr(f, "analyzer", None)
        tokenizer = analyzer if isinstance(analyzer, VnTokenizer) else getattr(analyzer, "tokenizer", None)
        if isinstance(tokenizer, VnTokenizer):
            out[name] = bool(tokenizer.folded)
    return out


def analyse(p: Passage, fields: dict[str, bool] | None = None) -> Analysed:
    """The passage's fields as indexer.lexical lays them out, each analysed as Whoosh would."""
    from ..lexical import _doc_fields

    fields = fields or text_fields()
    values = _doc_fields(p)
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
    from multiprocessing import get_context

    with get_context("fork").Pool(procs) as pool:
        return pool.map(_analyse_default, passages, chunksize=256)


def query_terms(query: ParsedQuery) -> dict[tuple[str, str], float]:
    """{(field, term): weight} — exactly the weighted term clauses WhooshLexicalIndex builds."""
    from whoosh import query as Q

    from ..lexical import WhooshLexicalIndex

    q = WhooshLexicalIndex.to_query(None, query)  # uses no index state
    if q is None:
        return {}
    clauses = q.subqueries if isinstance(q, Q.Or) else [q]
    out: dict[tuple[str, str], float] = {}
    for c in clauses:
        if isinstance(c, Q.Term):
            text = c.text.decode("utf-8") if isinstance(c.text, bytes) else str(c.text)
            out[(c.fieldname, text)] = max(out.get((c.fieldname, text), 0.0), float(c.boost))
    return out


def lexical_engine(name: str | None = None):
    """The LexicalIndex class for an engine name (default: the setting, else Whoosh)."""
    from corpus.errors import UserError

    name = (name or lexical_engine_name()).strip().lower()
    if name == "whoosh":
        from ..lexical import WhooshLexicalIndex

        return WhooshLexicalIndex
    if name == "tantivy":
        from .tantivy_engine import TantivyLexicalIndex

        return TantivyLexicalIndex
    raise UserError(f"{ENGINE_SETTING}={name!r}: the lexical engine must be 'whoosh' or 'tantivy'")
