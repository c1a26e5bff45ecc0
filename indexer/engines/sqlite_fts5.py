"""SQLite FTS5 (stdlib sqlite3) over the same analysed terms — for the benchmark's comparison.

Two columns (all accented terms, all folded terms) instead of Whoosh's six fields: FTS5's bm25()
takes per-column weights, but a title/heading/body split would triple the columns for little
difference in speed. Terms are pre-split, so the tokenizer only splits on spaces ("_", "/", "-"
are kept as token characters so "thi_đua" and "91/2017/nd-cp" stay whole).
"""
from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from ..passages import Passage
from ..query import ParsedQuery
from . import Analysed, analyse_all, query_terms

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

    @classmethod
    def build(cls, directory: Path, passages: list[Passage], analysed: list[Analysed] | None = None) -> None:
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        (directory / DB).unlink(missing_ok=True)
        analysed = analysed if analysed is not None else analyse_all(passages)
        conn = sqlite3.connect(directory / DB)
        conn.execute(f"CREATE VIRTUAL TABLE p USING fts5(pid UNINDEXED, province UNINDEXED, year UNINDEXED, "
                     f"acc, fol, tokenize=\"{TOKENIZE}\", detail=column)")
        conn.executemany("INSERT INTO p VALUES (?,?,?,?,?)",
                         ((p.id, p.province or "", p.year or -1, a.acc(), a.fol()) for p, a in zip(passages, analysed)))
        conn.execute("INSERT INTO p(p) VALUES ('optimize')")
        conn.commit()
        conn.close()

    @classmethod
    def open(cls, directory: Path) -> "SqliteFtsIndex":
        return cls(sqlite3.connect(Path(directory) / DB, check_same_thread=False))

    def search(self, query: ParsedQuery, filters=None, limit: int = 10) -> list[tuple[str, float]]:
        """(passage id, -bm25) best first. FTS5 MATCH cannot weigh single terms, so the terms are
        OR-ed and bm25() ranks; filters are WHERE clauses on unindexed columns."""
        qt = query_terms(query)
        if not qt or limit <= 0:
            return []
        match = " OR ".join(f"{'fol' if folded else 'acc'}:{_quote(t)}" for (folded, t) in qt)
        sql, args = "SELECT pid, bm25(p) FROM p WHERE p MATCH ?", [match]
        province = getattr(filters, "province", None) if filters else None
        if province:
            sql += " AND province = ?"
            args.append(province)
        sql += " ORDER BY bm25(p) LIMIT ?"
        args.append(limit)
        with self._lock:
            return [(pid, -float(s)) for pid, s in self._conn.execute(sql, args)]
