"""The lexical index: BM25 over Vietnamese-analysed text (document title, heading, body) in an
accented and a folded form, with filters on document type, issuer, province and year.

``LexicalIndex`` is the small interface the searcher needs, so another engine (tantivy, OpenSearch)
can take Whoosh's place at scale. Queries are built as term objects from the analysed query text;
no user text ever reaches Whoosh's query parser.
"""
from __future__ import annotations

import shutil
import threading
from abc import ABC, abstractmethod
from pathlib import Path
from typing import TYPE_CHECKING

from whoosh import index as windex
from whoosh import query as Q
from whoosh import scoring
from whoosh.fields import ID, NUMERIC, TEXT, Schema

from corpus.ids import slug

from .analysis import VnAnalyzer, terms
from .passages import Passage
from .query import ParsedQuery

if TYPE_CHECKING:
    from .search import Filters

# One text field (document title, breadcrumb, heading twice, body) in two forms. Separate
# title/heading/body fields tripled the clauses of every query, and Whoosh's union matcher is slow
# in the number of clauses (2 s a question on alqac2022); the heading is said twice instead, so
# its words weigh more. Folded forms carry every accented match too, so on an accented query they
# only add a little (an accent-less query relies on them alone).
FIELD_BOOSTS = {"text": 1.0}
HEADING_REPEAT = 2
FOLDED_WEIGHT_ACCENTED = 0.15
EXPANSION_WEIGHT = 0.5
NUMBER_WEIGHT = 4.0
# Cap on distinct query terms (a 10 kB paste must not build a 3,000-clause query).
MAX_TERMS = 64


def facet_key(value: str | None) -> str:
    """The stored filter form of a doc_type / issuer / province value (accent- and case-free)."""
    return slug(value or "")


def schema() -> Schema:
    acc, fol = VnAnalyzer(folded=False), VnAnalyzer(folded=True)
    return Schema(
        id=ID(stored=True, unique=True),
        doc_id=ID(stored=True),
        doc_type=ID, issuer=ID, province=ID, year=NUMERIC(int, bits=32),
        text=TEXT(analyzer=acc, phrase=False), text_f=TEXT(analyzer=fol, phrase=False),
    )


class LexicalIndex(ABC):
    """What the searcher needs from a lexical engine."""

    @classmethod
    @abstractmethod
    def build(cls, directory: Path, passages: list[Passage]) -> None: ...

    @classmethod
    @abstractmethod
    def open(cls, directory: Path) -> "LexicalIndex": ...

    @abstractmethod
    def search(self, query: ParsedQuery, filters: "Filters | None", limit: int) -> list[tuple[str, float]]: ...

    @abstractmethod
    def count(self, query: ParsedQuery, filters: "Filters | None") -> int: ...

    @abstractmethod
    def vocabulary(self) -> list[str]: ...


def _doc_fields(p: Passage) -> dict:
    body = p.body or p.text
    title = " ".join(x for x in (p.doc_type or "", p.symbol or "", p.title or "") if x)
    heading = " ".join([*(b for b in p.breadcrumb if not p.heading.startswith(b)), p.heading])
    text = "\n".join([title, *[heading] * HEADING_REPEAT, body])
    return dict(id=p.id, doc_id=p.doc_id, doc_type=facet_key(p.doc_type), issuer=facet_key(p.issuer),
                province=facet_key(p.province), year=p.year if p.year is not None else -1,
                text=text, text_f=text)


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
            writer.add_document(**_doc_fields(p))
        writer.commit()

    @classmethod
    def open(cls, directory: Path) -> "WhooshLexicalIndex":
        return cls(windex.open_dir(str(directory)))

    # ------------------------------------------------------------------ queries
    def to_query(self, query: ParsedQuery) -> Q.Query | None:
        """Term queries over the fields, weighted; None when the query has no terms."""
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
        if not weights:
            return None
        # keep the strongest clauses when a pasted text yields too many
        items = sorted(weights.items(), key=lambda kv: -kv[1])[: MAX_TERMS * 2]
        return Q.Or([Q.Term(f, t, boost=w) for (f, t), w in items])

    @staticmethod
    def to_filter(filters: "Filters | None") -> Q.Query | None:
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

    def search(self, query: ParsedQuery, filters: "Filters | None" = None, limit: int = 10) -> list[tuple[str, float]]:
        """(passage id, BM25F score), best first."""
        q = self.to_query(query)
        if q is None or limit <= 0:
            return []
        with self._lock:
            results = self._searcher.search(q, limit=limit, filter=self.to_filter(filters))
            return [(hit["id"], float(hit.score)) for hit in results]

    def count(self, query: ParsedQuery, filters: "Filters | None" = None) -> int:
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
