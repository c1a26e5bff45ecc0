"""The lexical interface on tantivy (Rust; optional extra `bench`): same build/open/search as
``WhooshLexicalIndex``, same fields, same analysed terms, same field boosts.

Why: at 100k sections Whoosh's pure-Python postings make queries slow (see docs/BENCHMARKS.md);
tantivy answers the same term queries in a few milliseconds. Terms are produced by our own
analyzer (pyvi words, syllables, document numbers) and handed to tantivy pre-split, so both engines
match exactly the same words.
"""
from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path

from corpus.errors import UserError

from ..passages import Passage
from ..query import Filters, ParsedQuery
from .base import Analysed, LexicalIndex, analyse_all, facet_key, query_terms, text_fields

TOKENIZER = "tdkt_ws"
HEAP_BYTES = 256 * 1024 * 1024
VOCAB_FILE = "vocabulary.json"
# Passage id of every document address, written at build: reading 1,000 hits' stored ids one by
# one cost ~10 ms a query at 100k passages; a lookup in these lists costs well under one.
DOC_IDS_FILE = "doc_ids.json"


def _tantivy():
    try:
        import tantivy
    except ImportError as exc:  # pragma: no cover - depends on the extra
        raise UserError("the tantivy engine needs the `bench` extra: pip install 'tantivy==0.27.0'") from exc
    return tantivy


def _schema(fields: list[str]):
    t = _tantivy()
    b = t.SchemaBuilder()
    b.add_text_field("id", stored=True, tokenizer_name="raw")
    for name in ("doc_type", "issuer", "province"):
        b.add_text_field(name, stored=False, tokenizer_name="raw")
    b.add_integer_field("year", stored=False, indexed=True, fast=True)
    for name in fields:
        b.add_text_field(name, stored=False, tokenizer_name=TOKENIZER, index_option="freq")
    return b.build()


def _register(index) -> None:
    t = _tantivy()
    index.register_tokenizer(TOKENIZER, t.TextAnalyzerBuilder(t.Tokenizer.whitespace()).build())


class TantivyLexicalIndex(LexicalIndex):
    """BM25 over the same analysed fields as the Whoosh index, with Whoosh's weighted term clauses."""

    def __init__(self, index, directory: Path):
        self._index = index
        self._schema = index.schema
        self._dir = Path(directory)
        self._fields = set(text_fields())
        self._searcher = index.searcher()
        self._lock = threading.Lock()
        self._vocab: list[str] | None = None
        self._ids = self._read_doc_ids()

    def _read_doc_ids(self) -> list[list[str]] | None:
        """The build's address → id lists, when present and agreeing with the index (else None:
        ids are read from the stored documents, as before the file existed)."""
        try:
            data = json.loads((self._dir / DOC_IDS_FILE).read_text(encoding="utf-8"))
            segments = data["segments"]
            if sum(len(x) for x in segments) != self._searcher.num_docs:
                return None
            for seg, ids in enumerate(segments):   # spot-check both ends of every segment
                for doc in {0, len(ids) - 1} if ids else ():
                    if self._searcher.doc(_address(self._searcher, seg, doc))["id"][0] != ids[doc]:
                        return None
            return segments
        except Exception:
            return None

    @classmethod
    def build(cls, directory: Path, passages: list[Passage], analysed: list[Analysed] | None = None,
              threads: int = 2) -> None:
        """Write a fresh index into ``directory`` (whatever was there is replaced)."""
        t = _tantivy()
        directory = Path(directory)
        if directory.exists():
            shutil.rmtree(directory)
        directory.mkdir(parents=True)
        analysed = analysed if analysed is not None else analyse_all(passages)
        fields = list(analysed[0]) if analysed else list(text_fields())
        index = t.Index(_schema(fields), path=str(directory))
        _register(index)
        writer = index.writer(HEAP_BYTES, threads)
        vocab: set[str] = set()
        folded = text_fields()
        accented = [f for f in fields if not folded.get(f, False)]  # spelling suggestions use accented words
        for p, a in zip(passages, analysed):
            writer.add_document(t.Document(
                id=p.id, doc_type=facet_key(p.doc_type), issuer=facet_key(p.issuer), province=facet_key(p.province),
                year=p.year if p.year is not None else -1, **a))
            vocab.update(w for f in accented for w in a[f].split() if "_" in w or (len(w) > 1 and not w.isdigit()))
        writer.commit()
        writer.wait_merging_threads()
        index.reload()
        _write_doc_ids(index.searcher(), directory / DOC_IDS_FILE)
        (directory / VOCAB_FILE).write_text(json.dumps(sorted(vocab), ensure_ascii=False), encoding="utf-8")

    @classmethod
    def open(cls, directory: Path) -> "TantivyLexicalIndex":
        index = _tantivy().Index.open(str(directory))
        _register(index)
        return cls(index, directory)

    def to_query(self, query: ParsedQuery):
        t = _tantivy()
        clauses = []
        for (field, term), w in query_terms(query).items():
            if field not in self._fields:
                continue  # a field the Whoosh layout added after this index was built
            clauses.append((t.Occur.Should, t.Query.boost_query(t.Query.term_query(self._schema, field, term), w)))
        return t.Query.boolean_query(clauses) if clauses else None

    def to_filter(self, filters: Filters | None):
        if filters is None:
            return None
        t = _tantivy()
        parts = []
        for name in ("doc_type", "issuer", "province"):
            value = getattr(filters, name, None)
            if value:
                parts.append(t.Query.term_query(self._schema, name, facet_key(value)))
        lo, hi = getattr(filters, "year_from", None), getattr(filters, "year_to", None)
        if lo is not None or hi is not None:
            parts.append(t.Query.range_query(self._schema, "year", t.FieldType.Integer,
                                             lo if lo is not None else 0, hi if hi is not None else 9999))
        return parts or None

    def _query(self, query: ParsedQuery, filters):
        t = _tantivy()
        q = self.to_query(query)
        if q is None:
            return None
        f = self.to_filter(filters)
        if not f:
            return q
        # filters restrict without scoring: constant score 0
        return t.Query.boolean_query([(t.Occur.Must, q)] + [(t.Occur.Must, t.Query.const_score_query(x, 0.0)) for x in f])

    def search(self, query: ParsedQuery, filters: Filters | None = None, limit: int = 10) -> list[tuple[str, float]]:
        """(passage id, BM25 score), best first."""
        q = self._query(query, filters)
        if q is None or limit <= 0:
            return []
        with self._lock:
            hits = self._searcher.search(q, limit).hits
            if self._ids is not None:
                ids = self._ids
                return [(ids[addr.segment_ord][addr.doc], float(score)) for score, addr in hits]
            return [(self._searcher.doc(addr)["id"][0], float(score)) for score, addr in hits]

    def count(self, query: ParsedQuery, filters: Filters | None = None) -> int:
        q = self._query(query, filters)
        if q is None:
            return 0
        with self._lock:
            return int(self._searcher.search(q, 1, count=True).count)

    def vocabulary(self) -> list[str]:
        if self._vocab is None:
            try:
                self._vocab = json.loads((self._dir / VOCAB_FILE).read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self._vocab = []
        return self._vocab


def _write_doc_ids(searcher, path: Path) -> None:
    """Every document's passage id by (segment, doc) address (DOC_IDS_FILE)."""
    t = _tantivy()
    n = searcher.num_docs
    segments: dict[int, dict[int, str]] = {}
    if n:
        for _, addr in searcher.search(t.Query.all_query(), n).hits:
            segments.setdefault(addr.segment_ord, {})[addr.doc] = searcher.doc(addr)["id"][0]
    lists = []
    for seg in range(max(segments, default=-1) + 1):
        docs = segments.get(seg, {})
        lists.append([docs.get(i, "") for i in range(max(docs, default=-1) + 1)])
    path.write_text(json.dumps({"segments": lists}, ensure_ascii=False), encoding="utf-8")


def _address(searcher, segment: int, doc: int):
    return _tantivy().DocAddress(segment, doc)
