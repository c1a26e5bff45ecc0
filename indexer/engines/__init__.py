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

import importlib

# Names re-exported from .base and .registry, imported when first asked for: a light import of
# `indexer.engines.registry` (search_app.settings reads the engine names) does not load the
# analyzers (whoosh, pyvi's decoder) that .base needs.
_EXPORTS = {
    **{name: "base" for name in ("Analysed", "LexicalIndex", "analyse", "analyse_all", "analysis_procs", "doc_fields",
                                 "facet_key", "query_terms", "text_fields")},
    **{name: "registry" for name in ("DEFAULT_ENGINE", "ENGINES", "engine_class", "lexical_engine")},
}
__all__ = list(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
