"""Lexical engines, fed the same analysed text (see engines.base).

``base`` holds the interface (``LexicalIndex``), the indexed layout, the weighted query terms and
the analysis every engine shares; ``registry`` the one table of engines (``lexical_engine(name)``);
one module per engine: ``whoosh_engine``, ``tantivy_engine``, and for the benchmark's comparison
``sqlite_fts5`` and ``bm25s_engine``. Fair comparison: every engine indexes the same fields,
analysed the same way, and is asked the same weighted term clauses; what differs is its postings,
its scoring (BM25 in all; tantivy weighs each term clause like Whoosh, SQLite FTS5 cannot weigh
single terms, bm25s sees one bag of words) and its speed.
"""
from __future__ import annotations

from .base import (Analysed, LexicalIndex, analyse, analyse_all, analysis_procs, doc_fields, facet_key, query_terms,
                   text_fields)
from .registry import DEFAULT_ENGINE, ENGINES, engine_class, lexical_engine

__all__ = ["Analysed", "LexicalIndex", "analyse", "analyse_all", "analysis_procs", "doc_fields", "facet_key",
           "query_terms", "text_fields", "DEFAULT_ENGINE", "ENGINES", "engine_class", "lexical_engine"]
