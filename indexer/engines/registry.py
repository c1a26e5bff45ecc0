"""The one table of lexical engines: each engine's name, where its class lives, whether a
knowledge base can be built and served on it, and what to install when it is missing.

``lexical_engine(name)`` is the class a knowledge base is built and opened with (``tantivy`` — the
default: it meets the speed targets from the bundled corpus to 100k sections, docs/BENCHMARKS.md —
or ``whoosh``); ``engine_class(name, servable=False)`` also gives the engines only the benchmark
compares (SQLite FTS5, bm25s). Classes are imported when asked for, so an engine whose optional
dependency is not installed costs nothing until it is chosen.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass

from corpus.errors import UserError


@dataclass(frozen=True)
class Engine:
    name: str
    module: str          # indexer.engines.<module>
    cls: str
    servable: bool       # a knowledge base can be built and served on it (else: benchmark only)
    requires: str = ""   # the module its optional dependency provides
    install: str = ""    # what to install when it is missing


ENGINES: dict[str, Engine] = {e.name: e for e in (
    Engine("whoosh", "whoosh_engine", "WhooshLexicalIndex", servable=True),
    Engine("tantivy", "tantivy_engine", "TantivyLexicalIndex", servable=True, requires="tantivy", install="pip install 'tantivy==0.27.0'"),
    Engine("sqlite", "sqlite_fts5", "SqliteFtsIndex", servable=False),
    Engine("bm25s", "bm25s_engine", "Bm25sIndex", servable=False, requires="bm25s", install="pip install 'bm25s==0.3.16'"),
)}
DEFAULT_ENGINE = "tantivy"
SERVABLE = tuple(n for n, e in ENGINES.items() if e.servable)


def engine_names(servable: bool = True) -> tuple[str, ...]:
    return SERVABLE if servable else tuple(ENGINES)


def engine_class(name: str, servable: bool = True):
    """The class of engine ``name`` (case and spaces ignored); a clear error when it is unknown,
    benchmark-only (with ``servable``) or not installed."""
    key = (name or "").strip().lower()
    engine = ENGINES.get(key)
    if engine is None or (servable and not engine.servable):
        choices = " or ".join(repr(n) for n in engine_names(servable))
        raise UserError(f"lexical engine {name!r} (setting TDKT_LEXICAL_ENGINE): the lexical engine must be {choices}")
    try:
        module = importlib.import_module(f"{__package__}.{engine.module}")
    except ImportError as exc:
        hint = f": {engine.install}" if engine.install else ""
        raise UserError(f"lexical engine {key!r} is not installed ({exc}){hint}") from exc
    return getattr(module, engine.cls)


def lexical_engine(name: str = DEFAULT_ENGINE):
    """The LexicalIndex class a knowledge base is built and opened with."""
    return engine_class(name, servable=True)
