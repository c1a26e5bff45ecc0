"""The lexical interface on Whoosh (pure Python): BM25F over the shared layout (engines.base),
with filters on document type, issuer, province and year. Queries are built as term objects from
the weighted term clauses (engines.base.query_terms); no user text ever reaches Whoosh's parser."""
from __future__ import annotations

import shutil
import threading
from pathlib import Path

from whoosh import index as windex
from whoosh import query as Q
from whoosh import scoring
from whoosh.fields import ID, NUMERIC, TEXT, Schema

from ..analysis import VnAnalyzer
from ..passages import Passage
from ..query import Filters, ParsedQuery
from .base import TEXT_FIELDS, LexicalIndex, doc_fields, facet_key, query_terms


def schema() -> Schema:
    """The Whoosh schema of the shared layout: the filter fields and every text field of
    engines.base.TEXT_FIELDS, analysed accented or folded."""
    return Schema(
        id=ID(stored=True, unique=True),
        doc_id=ID(stored=True),
        doc_type=ID, issuer=ID, province=ID, year=NUMERIC(int, bits=32),
        **{name: TEXT(analyzer=VnAnalyzer(folded=folded), phrase=False) for name, folded in TEXT_FIELDS.items()},
    )


class WhooshLexicalIndex(LexicalIndex):
    """Whoosh BM25F. One searcher is kept open and shared; a lock makes it safe for the web
    server's threads (Whoosh searchers are not documented as thread-safe)."""

    def __init__(self, ix):
        self._ix = ix
        self._lock = threading.Lock()
        self._searcher = ix.searcher(weighting=scoring.BM25F(B=0.75, K1=1.2))
        self._vocab: list[str] | None = None

    @classmethod
    def build(cls, directory: Path, passages: list[Passage], procs: int = 1) -> None:
        """Write a fresh index into ``directory`` (whatever was there is replaced)."""
        directory = Path(directory)
        if directory.exists():
            shutil.rmtree(directory)
        directory.mkdir(parents=True)
        ix = windex.create_in(str(directory), schema())
        writer = ix.writer(limitmb=256, procs=procs)
        for p in passages:
            writer.add_document(**doc_fields(p))
        writer.commit()

    @classmethod
    def open(cls, directory: Path) -> "WhooshLexicalIndex":
        return cls(windex.open_dir(str(directory)))

    # ------------------------------------------------------------------ queries
    @staticmethod
    def to_query(query: ParsedQuery) -> Q.Query | None:
        """Term queries over the fields, weighted; None when the query has no terms."""
        weights = query_terms(query)
        if not weights:
            return None
        return Q.Or([Q.Term(f, t, boost=w) for (f, t), w in weights.items()])

    @staticmethod
    def to_filter(filters: Filters | None) -> Q.Query | None:
        if filters is None:
            return None
        parts: list[Q.Query] = []
        for name in ("doc_type", "issuer", "province"):
            value = getattr(filters, name, None)
            if value:
                parts.append(Q.Term(name, facet_key(value)))
        lo, hi = getattr(filters, "year_from", None), getattr(filters, "year_to", None)
        if lo is not None or hi is not None:
            parts.append(Q.NumericRange("year", lo if lo is not None else 0, hi if hi is not None else 9999))
        return Q.And(parts) if parts else None

    def search(self, query: ParsedQuery, filters: Filters | None = None, limit: int = 10) -> list[tuple[str, float]]:
        """(passage id, BM25F score), best first."""
        q = self.to_query(query)
        if q is None or limit <= 0:
            return []
        with self._lock:
            results = self._searcher.search(q, limit=limit, filter=self.to_filter(filters))
            return [(hit["id"], float(hit.score)) for hit in results]

    def count(self, query: ParsedQuery, filters: Filters | None = None) -> int:
        q = self.to_query(query)
        if q is None:
            return 0
        with self._lock:
            return len(self._searcher.search(q, limit=1, filter=self.to_filter(filters)))

    def vocabulary(self) -> list[str]:
        """Accented words of the text field, most frequent first (for spelling suggestions: the
        common spelling of a folded form wins, "thi" before "thị")."""
        if self._vocab is None:
            with self._lock:
                pairs = [(t.decode("utf-8") if isinstance(t, bytes) else t, info.doc_frequency())
                         for t, info in self._searcher.reader().iter_field("text")]
            pairs.sort(key=lambda tf: -tf[1])
            self._vocab = [w for w, _ in pairs if len(w) > 1 and not w[0].isdigit()]
        return self._vocab

    def close(self) -> None:
        self._searcher.close()
