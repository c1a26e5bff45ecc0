"""SQLite FTS5 (stdlib sqlite3) over the same analysed terms — for the benchmark's comparison.

One FTS5 column per text field of the Whoosh index. FTS5 MATCH cannot weigh single terms, so
Whoosh's weighted clauses become an OR of column-qualified terms ranked by bm25(). Terms are
pre-split, so the tokenizer only splits on spaces ("_", "/", "-", "." are kept as token characters
so "thi_đua" and "91/2017/nd-cp" stay whole).
"""
from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from ..passages import Passage
from ..query import ParsedQuery
from .base import Analysed, analyse_all, query_terms

DB = "fts.sqlite"
TOKENIZE = "unicode61 remove_diacritics 0 tokenchars '_/-.'"


def fts5_available() -> bool:
    try:
        sqlite3.connect(":memory:").execute("CREATE VIRTUAL TABLE t USING fts5(x)")
        return True
    except sqlite3.OperationalError:
        return False


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


class SqliteFtsIndex:
    def __init__(self, conn: sqlite3.Connection):
        self._conn = conn
        self._lock = threading.Lock()
        self._fields = {row[1] for row in conn.execute("PRAGMA table_info(p)")} - {"pid", "province", "year"}

    @classmethod
    def build(cls, directory: Path, passages: list[Passage], analysed: list[Analysed] | None = None) -> None:
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        (directory / DB).unlink(missing_ok=True)
        analysed = analysed if analysed is not None else analyse_all(passages)
        fields = list(analysed[0]) if analysed else ["text"]
        conn = sqlite3.connect(directory / DB)
        conn.execute(f"CREATE VIRTUAL TABLE p USING fts5(pid UNINDEXED, province UNINDEXED, year UNINDEXED, "
                     f"{', '.join(fields)}, tokenize=\"{TOKENIZE}\", detail=column)")
        marks = ",".join("?" * (3 + len(fields)))
        conn.executemany(f"INSERT INTO p VALUES ({marks})",
                         ((p.id, p.province or "", p.year or -1, *(a[f] for f in fields)) for p, a in zip(passages, analysed)))
        conn.execute("INSERT INTO p(p) VALUES ('optimize')")
        conn.commit()
        conn.close()

    @classmethod
    def open(cls, directory: Path) -> "SqliteFtsIndex":
        return cls(sqlite3.connect(Path(directory) / DB, check_same_thread=False))

    def search(self, query: ParsedQuery, filters=None, limit: int = 10) -> list[tuple[str, float]]:
        """(passage id, -bm25) best first. FTS5 MATCH cannot weigh single terms, so the terms are
        OR-ed and bm25() ranks; filters are WHERE clauses on unindexed columns."""
        qt = [(f, t) for (f, t) in query_terms(query) if f in self._fields]
        if not qt or limit <= 0:
            return []
        match = " OR ".join(f"{f}:{_quote(t)}" for (f, t) in qt)
        sql, args = "SELECT pid, bm25(p) FROM p WHERE p MATCH ?", [match]
        province = getattr(filters, "province", None) if filters else None
        if province:
            sql += " AND province = ?"
            args.append(province)
        sql += " ORDER BY bm25(p) LIMIT ?"
        args.append(limit)
        with self._lock:
            return [(pid, -float(s)) for pid, s in self._conn.execute(sql, args)]
