"""The searcher: one query → ranked passages with snippets, facets, document hits and spelling
suggestions, lexical or hybrid (lexical + semantic fused, see hybrid.py).

Snippets are lists of (text, is_hit) pieces of the passage's original text (never HTML): the site
escapes each piece and marks the hits.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from corpus.status import state_on
from corpus.vntext import fold, match_form

from .analysis import lone_y_as_i, number_key
from .applicability import Applicability, Context, rerank
from .hybrid import DEFAULT, FusionParams, fuse
from .engines.base import LexicalIndex, facet_key
from .near_dup import group_results
from .passages import Passage
from .query import DocRef, Filters, ParsedQuery, parse_query
from .query_embedding import QueryEmbeddings
from .vector_index import VectorIndex
from .vectors import VectorStore

MODES = ("auto", "lexical", "semantic", "hybrid")
# How deep each method's list goes before fusion, and the bound for facet counting.
DEPTH = 100
FACET_DEPTH = 1000
# Grouped by document the total is exact: every lexical match is read when the corpus has at most
# this many passages (the bundled corpus: 2,477; reading them all costs a few ms), else FACET_DEPTH.
EXACT_DEPTH = 20_000
# Passages shown under a document besides its best one ("N đoạn khác"); the rest are only counted
# (each snippet costs ~0.3 ms: five a result added 15 ms a page, three add ~8).
MORE_SHOWN = 3
SNIPPET_CHARS = 260
# Function words never highlighted (they occur in every sentence).
_NO_HIGHLIGHT = set(match_form(w) for w in (
    "và của các là có được không cho về theo với trong những này đó thì mà khi để từ tại bị do "
    "như nào gì ai bao nhiêu hay hoặc đã sẽ đang một người việc quy định").split())
# For an accent-less query only the function words whose folded form is not also a content word.
_NO_HIGHLIGHT_FOLDED = set(("va cua cac la duoc khong cho ve theo voi trong nhung nay ma khi de tu tai "
                            "nhu nao gi ai bao nhieu hay hoac se dang mot nguoi viec quy dinh").split())
_WORD = re.compile(r"\w+", re.UNICODE)


# Query embeddings kept per searcher (384 float32 each: 4,096 are 6 MB).
QUERY_CACHE = 4096


@dataclass
class Result:
    passage: Passage
    score: float
    snippet: list[tuple[str, bool]]
    state: str = "unknown"       # its document's state on the context's date (corpus.status)
    same: list[Passage] = field(default_factory=list)   # the same content in other documents, ranked
    more: list["Result"] = field(default_factory=list)   # grouped by document: its next passages (≤ MORE_SHOWN)
    more_count: int = 0          # grouped by document: how many other passages of it matched


@dataclass
class DocumentHit:
    doc_id: str
    symbol: str | None
    doc_type: str | None
    title: str
    url: str


@dataclass
class SearchResponse:
    query: str
    results: list[Result] = field(default_factory=list)
    total: int = 0
    total_exact: bool = True     # False: the lexical list was cut at FACET_DEPTH, so "total" is a floor
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    mode: str = "lexical"
    suggestions: list[str] = field(default_factory=list)
    document_hits: list[DocumentHit] = field(default_factory=list)
    parsed: ParsedQuery | None = None
    context: Context | None = None
    sector: str | None = None     # the sector the ranking favoured (named in the query or context)
    group: str | None = None      # "doc": results, total and facets count documents, not passages
    entries: int = 0              # grouped: how many results there are to page through (a result
    #                               may stand for several documents with the same content)
    passages_total: int = 0       # how many passages matched (grouped or not)
    number_only: bool = False     # the query is a document number: only what names or cites it


class Searcher:
    """Search over a fixed list of passages with a lexical index and, when given, vectors."""

    def __init__(self, passages: list[Passage], lexical: LexicalIndex, vectors: VectorStore | None = None,
                 embedder=None, glossary=None, fusion: FusionParams = DEFAULT, query_cache: int = QUERY_CACHE):
        self.passages = list(passages)
        self.lexical = lexical
        self.glossary = glossary
        self.fusion = fusion
        self._pos = {p.id: i for i, p in enumerate(self.passages)}
        self._years = np.array([p.year if p.year is not None else -1 for p in self.passages], dtype=np.int64)
        self._facet_codes()
        self._index_documents()
        self.applicability = Applicability(self.passages)
        # one answer, not twelve copies: near-identical passages (grouped at build) show as one result
        self._groups = {p.id: p.same_group for p in self.passages if p.same_group}
        self._qcache_size = query_cache
        self._queries: QueryEmbeddings | None = None   # the query vectors: kept, embedded in batches
        self.vectors_model: str | None = None
        self.embedder = None
        self._vectors: VectorIndex | None = None
        self._syllable_cache: tuple[dict[str, str], list[str]] | None = None
        self.set_vectors(vectors, embedder)

    # ------------------------------------------------------------------ setup
    def _facet_codes(self) -> None:
        """Per facet: each passage's spelling as a code (-1: none), the spellings, and the code of
        each spelling's folded key (so spellings of one value count together)."""
        self._spelling_codes: dict[str, np.ndarray] = {}
        self._spellings: dict[str, list[str]] = {}
        self._spelling_key: dict[str, np.ndarray] = {}
        self._key_index: dict[str, dict[str, int]] = {}   # folded key → key code
        self._key_codes: dict[str, np.ndarray] = {}        # per passage: its key code (-1: none)
        for name in ("doc_type", "province", "issuer"):
            code_of: dict[str, int] = {}
            key_of: dict[str, int] = {}
            keys: list[int] = []
            codes = np.full(len(self.passages), -1, dtype=np.int64)
            for i, p in enumerate(self.passages):
                v = getattr(p, name)
                if not v:
                    continue
                c = code_of.get(v)
                if c is None:
                    c = code_of[v] = len(code_of)
                    keys.append(key_of.setdefault(facet_key(v), len(key_of)))
                codes[i] = c
            self._spelling_codes[name] = codes
            self._spellings[name] = list(code_of)
            self._spelling_key[name] = np.array(keys, dtype=np.int64)
            self._key_index[name] = key_of
            self._key_codes[name] = np.where(codes >= 0, self._spelling_key[name][np.maximum(codes, 0)]
                                             if keys else -1, -1)

    def _index_documents(self) -> None:
        """Document numbers → documents, and cited numbers → the passages citing them."""
        self._docs: dict[str, Passage] = {}
        self._by_key: dict[str, set[str]] = {}
        self._by_num: dict[tuple[str | None, str], set[str]] = {}
        self._citing: dict[str, list[str]] = {}
        self._cited_keys: dict[tuple[str, str], set[str]] = {}
        self._doc_passages: dict[str, list[str]] = {}
        for p in self.passages:
            self._doc_passages.setdefault(p.doc_id, []).append(p.id)
            if p.doc_id not in self._docs or not p.section_id:
                self._docs[p.doc_id] = p
            for cite in p.cites:
                key = number_key(cite)
                self._citing.setdefault(key, []).append(p.id)
                self._citing.setdefault(cite, []).append(p.id)
                shape = _cited_shape(key)
                if shape:
                    self._cited_keys.setdefault(shape[:2], set()).add(key)
        for doc_id, p in self._docs.items():
            if p.symbol:
                key = number_key(p.symbol)
                self._by_key.setdefault(key, set()).add(doc_id)
                num = re.match(r"\d+(?:\.\d+)?", key)
                if num:
                    code = fold(p.type_code or "") or None
                    self._by_num.setdefault((code, num.group(0)), set()).add(doc_id)
                    self._by_num.setdefault((None, num.group(0)), set()).add(doc_id)

    def set_vectors(self, store: VectorStore | None, embedder=None) -> None:
        """Turn hybrid ranking on (the server calls this when background embedding finishes)."""
        if embedder is not None:
            if embedder is not self.embedder or self._queries is None:
                self._queries = QueryEmbeddings(embedder, self._qcache_size)
            self.embedder = embedder
        # the store itself is not kept: its float16 matrix (77 MB at 100k passages) would be held
        # beside the float32 one the products use; only its model's name is
        self.vectors_model = store.model if store is not None else None
        if store is not None and len(store):
            matrix, mask = store.matrix_for(self.passages)
            # float32 for the products: numpy multiplies float16 ~50× slower (2,477 passages: 3.6 ms
            # a query against 0.07 ms); twice the memory (100k passages: 154 MB instead of 77)
            self._vectors = VectorIndex(matrix, mask)
        else:
            self._vectors = None

    @property
    def vector_index(self) -> VectorIndex | None:
        """The passages' vectors (None before they are attached)."""
        return self._vectors

    @property
    def hybrid_ready(self) -> bool:
        return self.embedder is not None and self._vectors is not None and bool(self._vectors.mask.all())

    # ------------------------------------------------------------------ pieces
    def resolve_refs(self, refs: list[DocRef]) -> list[str]:
        """Documents of the corpus a query names by number."""
        out: list[str] = []
        for r in refs:
            found: set[str] = set()
            if r.key:
                found = set(self._by_key.get(r.key, set()))
            if not found:
                code = fold(r.type_code or "") or None
                found = set(self._by_num.get((code, r.number), set()))
                if code is None and r.type_name:
                    found = {d for d in found if fold(self._docs[d].doc_type or "") == fold(r.type_name)}
                if r.year:
                    found = {d for d in found if self._docs[d].year == r.year or f"/{r.year}/" in number_key(self._docs[d].symbol or "")}
            out += sorted(d for d in found if d not in out)
        return out

    def cited_keys(self, refs: list[DocRef]) -> list[str]:
        """Cited numbers a short reference names: "ct 34" → "34-ct/tw", "nghị định 98/2023" →
        "98/2023/nd-cp" (documents outside the corpus are reached through the passages citing them)."""
        out: list[str] = []
        for r in refs:
            if r.key:
                # a full symbol names the cited document whose id spells it: "98/2023/NĐ-CP" →
                # "98-2023-nd-cp", "34-CT/TW" → "34-ct-tw-2014" (the year added to a Party number)
                shape, spelled = _cited_shape(r.key), re.sub(r"[/-]", "-", r.key)
                for key in sorted(self._cited_keys.get(shape[:2], ()) if shape else ()):
                    if (key == spelled or key.startswith(spelled + "-")) and key not in out:
                        out.append(key)
                continue
            if not r.type_code:
                continue
            for key in sorted(self._cited_keys.get((fold(r.type_code), r.number), ())):
                if r.year and str(r.year) not in re.split(r"[/-]", key):
                    continue
                if key not in out:
                    out.append(key)
        return out

    def citing_documents(self, doc_id: str) -> list[str]:
        """The corpus documents with a passage citing ``doc_id`` (its id or its number), itself aside."""
        keys = [doc_id] + ([number_key(self._docs[doc_id].symbol)] if doc_id in self._docs and self._docs[doc_id].symbol else [])
        pids = [pid for k in keys for pid in self._citing.get(k, ())]
        docs = dict.fromkeys(self.passages[self._pos[pid]].doc_id for pid in pids)
        docs.pop(doc_id, None)
        return list(docs)

    def allowed(self, filters: Filters | None) -> np.ndarray | None:
        """Mask of passages passing the filters (None: no filter)."""
        if filters is None or not filters.active():
            return None
        ok = np.ones(len(self.passages), dtype=bool)
        for name in ("doc_type", "issuer", "province"):
            value = getattr(filters, name)
            if value:
                ok &= self._key_codes[name] == self._key_index[name].get(facet_key(value), -2)
        if filters.year_from is not None:
            ok &= self._years >= filters.year_from
        if filters.year_to is not None:
            ok &= (self._years <= filters.year_to) & (self._years >= 0)
        return ok

    def _semantic_text(self, pq: ParsedQuery) -> str:
        return " ".join([pq.text, *pq.expansions]).strip()

    def query_vector(self, text: str) -> np.ndarray:
        """The query's embedding; the most recently asked QUERY_CACHE are kept (turning a page, and
        the questions many officers ask, need it again: ~15 ms of CPU each time otherwise), and
        questions asked at the same time are embedded together (query_embedding.py)."""
        return self._queries.get(text)

    def clear_query_cache(self) -> None:
        if self._queries is not None:
            self._queries.clear()

    def semantic(self, pq: ParsedQuery, filters: Filters | None, limit: int,
                 qv: np.ndarray | None = None, allowed: np.ndarray | None = None) -> list[tuple[str, float]]:
        """``allowed``: the filters' mask when the caller has it already (else computed here)."""
        if self._vectors is None or self.embedder is None or not (pq.text or pq.expansions):
            return []
        if qv is None:
            qv = self.query_vector(self._semantic_text(pq))
        if allowed is None:
            allowed = self.allowed(filters)
        hits = self._vectors.search(qv, limit, allowed)
        return [(self.passages[i].id, s) for i, s in hits]

    def _embed_ahead(self, pq: ParsedQuery):
        """Start embedding the query in the embedding worker thread: the embedder (C, releases the
        GIL) then runs while the lexical engine searches, on the other core, together with the
        questions other requests are waiting on. None when there is nothing to embed."""
        if self._vectors is None or self.embedder is None or not (pq.text or pq.expansions):
            return None
        return self._queries.submit(self._semantic_text(pq))

    def _mode(self, mode: str) -> str:
        if mode in ("semantic", "hybrid") and self._vectors is not None and self.embedder is not None:
            return mode
        if mode == "auto" and self.hybrid_ready:
            return "hybrid"
        return "lexical"

    # ------------------------------------------------------------------ search
    def search(self, query: str, filters: Filters | None = None, limit: int = 10, offset: int = 0,
               mode: str = "auto", context: Context | None = None, group: str | None = None) -> SearchResponse:
        """Ranked passages for ``query`` (never raises on what a user types). ``context``: the
        asker's province, sector and date, and whether only texts in force answer (applicability.py).
        ``group="doc"``: one result per document (its best passage, the others under it), and the
        total, the facets, ``limit`` and ``offset`` count documents."""
        pq = parse_query(query, self.glossary)
        limit, offset = max(0, min(int(limit), 200)), max(0, int(offset))
        used = self._mode(mode if mode in MODES else "auto")
        by_doc = group == "doc"
        resp = SearchResponse(query=pq.raw, mode=used, parsed=pq, context=context, group="doc" if by_doc else None)
        if pq.empty:
            return resp
        allowed = self.allowed(filters)
        in_force = self.applicability.allowed(context)
        if in_force is not None:
            allowed = in_force if allowed is None else (allowed & in_force)
        doc_ids = self._prefer_named_issuer(self.resolve_refs(pq.doc_refs), pq)
        resp.document_hits = [self._doc_hit(d) for d in doc_ids]
        # a bare document number has no meaning to embed: the lexical list and the number lead
        ahead = self._embed_ahead(pq) if used in ("semantic", "hybrid") and not _only_number(pq) else None
        depth = EXACT_DEPTH if by_doc and len(self.passages) <= EXACT_DEPTH else FACET_DEPTH
        lexical = [] if used == "semantic" else self.lexical.search(pq, filters, depth)
        if in_force is not None:
            lexical = [(pid, s) for pid, s in lexical if in_force[self._pos[pid]]]
        # what does not need the query's vector is worked out while the embedder finishes it
        sector = self.applicability.sector_for(pq.text, context)
        resp.sector = sector.name if sector else None
        weights = self.applicability.weights_for(pq.text, context)
        semantic = (self.semantic(pq, filters, DEPTH, qv=ahead.result(), allowed=allowed)
                    if ahead is not None else [])
        ranked = fuse(lexical[:DEPTH], semantic, self.fusion) if used == "hybrid" else (semantic or lexical)
        ranked = rerank(ranked, self._pos, weights, self.passages, context.day if context else None)
        ranked = self._boost_refs(_demote_closing(ranked, self), doc_ids, pq, allowed)
        named = self._number_passages(doc_ids, pq) if _only_number(pq) else None
        if named:
            # a bare number: what the number names or what cites it, never the words of its type
            # ("NĐ", "CP" matching "Nghị định", "Chính phủ" of every decree)
            ranked = [(pid, s) for pid, s in ranked if pid in named]
            lexical = []
        resp.number_only = bool(named)
        # the matching set: every lexical match, plus what the semantic list brought
        matching = dict(ranked)
        for pid, s in lexical:
            matching.setdefault(pid, s)
        resp.passages_total = len(matching)
        resp.total_exact = len(lexical) < depth
        day = context.day if context else None
        if by_doc:
            self._page_documents(resp, ranked, lexical, matching, pq, day, offset, limit)
        else:
            resp.total = len(matching)
            resp.facets = self._facets(matching)
            grouped = group_results(ranked, self._groups) if self._groups else [(pid, s, []) for pid, s in ranked]
            resp.entries = len(grouped)
            for pid, score, others in grouped[offset:offset + limit]:
                resp.results.append(self._result(pid, score, pq, day, others))
        if not resp.total:
            resp.suggestions = self.suggest(pq)
        return resp

    def _result(self, pid: str, score: float, pq: ParsedQuery, day, others: list[str] = ()) -> Result:
        p = self.passages[self._pos[pid]]
        state = state_on({"state": p.status, "effective": p.effective, "ended": p.ended}, day)
        return Result(p, float(score), snippet(p, pq), state, [self.passages[self._pos[o]] for o in others])

    def _page_documents(self, resp: SearchResponse, ranked: list[tuple[str, float]], lexical: list[tuple[str, float]],
                        matching: dict[str, float], pq: ParsedQuery, day, offset: int, limit: int) -> None:
        """One result per document, in the order of its best passage: the ranked list first, then
        the lexical matches beyond it (so every counted document can be paged to). Documents whose
        best passages are near-identical show as one result ("cùng nội dung trong N văn bản")."""
        by_doc: dict[str, list[tuple[str, float]]] = {}
        for pid, s in ranked:
            by_doc.setdefault(self.passages[self._pos[pid]].doc_id, []).append((pid, s))
        in_ranked = set(dict(ranked))
        for pid, s in lexical:
            if pid not in in_ranked:
                by_doc.setdefault(self.passages[self._pos[pid]].doc_id, []).append((pid, s))
        best = [hits[0] for hits in by_doc.values()]
        grouped = group_results(best, self._groups) if self._groups else [(pid, s, []) for pid, s in best]
        resp.total = len(by_doc)
        resp.entries = len(grouped)
        resp.facets = self._facets({self._docs[d].id: 0.0 for d in by_doc if d in self._docs})
        for pid, score, others in grouped[offset:offset + limit]:
            r = self._result(pid, score, pq, day, others)
            rest = by_doc[r.passage.doc_id][1:]
            r.more = [self._result(o, s, pq, day) for o, s in rest[:MORE_SHOWN]]
            r.more_count = len(rest)
            resp.results.append(r)

    def _number_passages(self, doc_ids: list[str], pq: ParsedQuery) -> set[str]:
        """The passages of the documents a query names, and those citing the numbers it names
        (exactly: "98/2023/NĐ-CP", or every cited number a short form fits, "ct 34")."""
        wanted = set(doc_ids)
        out = {pid for d in wanted for pid in self._doc_passages.get(d, ())}
        keys = [r.key for r in pq.doc_refs if r.key] + self.cited_keys(pq.doc_refs)
        keys += [number_key(self._docs[d].symbol or "") for d in doc_ids] + list(doc_ids)
        for k in keys:
            out.update(self._citing.get(k, ()))
        return out

    def _prefer_named_issuer(self, doc_ids: list[str], pq: ParsedQuery) -> list[str]:
        """Of several documents one number names ("thông tư 12/2019" is a circular of Bộ Nội vụ and
        one of Bộ Công an), those whose issuer the query names come first ("… bộ nội vụ")."""
        if len(doc_ids) < 2:
            return doc_ids
        q = f" {fold(pq.text)} "

        def named(d: str) -> bool:
            issuer = fold(self._docs[d].issuer or "")
            return bool(issuer) and f" {issuer} " in q
        return sorted(doc_ids, key=lambda d: not named(d))

    def _boost_refs(self, ranked: list[tuple[str, float]], doc_ids: list[str], pq: ParsedQuery,
                    allowed: np.ndarray | None) -> list[tuple[str, float]]:
        """A query naming a document goes straight to it: its whole-document passage first, then
        (when the query says nothing more) the passages citing it; with more words, the named
        document's passages and the citing ones rise above the rest."""
        keys = [r.key for r in pq.doc_refs if r.key] + self.cited_keys(pq.doc_refs)
        if not doc_ids and not any(k in self._citing for k in keys):
            return ranked
        top = ranked[0][1] if ranked else 1.0
        scores = dict(ranked)
        only_number = _only_number(pq)
        ok = (lambda pid: allowed is None or bool(allowed[self._pos[pid]]))
        wanted = set(doc_ids)
        for i, d in enumerate(doc_ids):
            whole = f"{d}#"
            if whole in self._pos and ok(whole):
                scores[whole] = top * (3.0 - 0.01 * i)
        for pid, s in list(scores.items()):
            p = self.passages[self._pos[pid]]
            if p.doc_id in wanted and p.section_id:
                scores[pid] = s + top * (0.5 if only_number else 1.0)
        cited = [(d, self._citing.get(number_key(self._docs[d].symbol or ""), []) + self._citing.get(d, []))
                 for d in doc_ids] + [(None, self._citing.get(k, [])) for k in keys]
        for d, citing in cited:
            for pid in dict.fromkeys(citing):
                if ok(pid) and self.passages[self._pos[pid]].doc_id != d:
                    scores[pid] = scores.get(pid, 0.0) + top * (1.0 if only_number else 0.5)
        return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))

    def _facets(self, matching: dict[str, float]) -> dict[str, dict[str, int]]:
        """Counts per value over the matching set, most frequent first (ties: first seen in the
        matching order). Spellings of one value ("Uỷ ban" / "Ủy ban", "Bộ công thương" / "Bộ Công
        Thương") count as one, shown in their most frequent spelling there: the filter compares the
        same accent- and case-free key. Counted with numpy over codes computed once per corpus (at
        100k passages a per-passage Python loop cost 60 ms a query)."""
        pos = np.fromiter((self._pos[pid] for pid in matching), dtype=np.int64, count=len(matching))
        out: dict[str, dict[str, int]] = {}
        for k in ("doc_type", "province", "issuer"):
            codes = self._spelling_codes[k][pos]
            uniq, first, cnt = np.unique(codes[codes >= 0], return_index=True, return_counts=True)
            per_key: dict[int, list] = {}  # key code → [total, first seen, best count, best first, spelling]
            for c, f, n in zip(uniq.tolist(), first.tolist(), cnt.tolist()):
                key = int(self._spelling_key[k][c])
                e = per_key.setdefault(key, [0, f, -1, f, c])
                e[0] += n
                e[1] = min(e[1], f)
                if n > e[2] or (n == e[2] and f < e[3]):
                    e[2], e[3], e[4] = n, f, c
            ranked = sorted(per_key.values(), key=lambda e: (-e[0], e[1]))
            out[k] = {self._spellings[k][e[4]]: e[0] for e in ranked}
        years = self._years[pos]
        uniq, first, cnt = np.unique(years[years >= 0], return_index=True, return_counts=True)
        out["year"] = {str(y): n for y, f, n in sorted(zip(uniq.tolist(), first.tolist(), cnt.tolist()),
                                                       key=lambda t: (-t[2], t[1]))}
        return out

    def _doc_hit(self, doc_id: str) -> DocumentHit:
        p = self._docs[doc_id]
        return DocumentHit(doc_id, p.symbol, p.doc_type, p.title, f"/doc/{doc_id}")

    # ------------------------------------------------------------------ suggestions
    def _syllables(self) -> tuple[dict[str, str], list[str]]:
        """The index vocabulary's syllables by folded form (first spelling kept) and the folded
        forms in that order, computed once per searcher: folding the whole vocabulary again for
        every query without a match cost ~180 ms a query at 100k passages."""
        cached = self._syllable_cache
        if cached is not None:
            return cached
        try:
            vocab = self.lexical.vocabulary()
        except Exception:
            return {}, []
        syllables: dict[str, str] = {}
        for w in vocab:
            for s in w.split("_"):
                syllables.setdefault(fold(s), s)
        self._syllable_cache = (syllables, list(syllables))
        return self._syllable_cache

    def suggest(self, pq: ParsedQuery, n: int = 3) -> list[str]:
        """Closest spellings from the index vocabulary (compared folded) for words it lacks."""
        words = _WORD.findall(pq.text)
        if not words or len(words) > 12:
            return []
        syllables, folded = self._syllables()
        if not syllables:
            return []
        fixed, changed = [], False
        for w in words:
            f = fold(w)
            if f in syllables or w.isdigit() or len(f) < 3:
                fixed.append(w)
                continue
            close = difflib.get_close_matches(f, folded, n=1, cutoff=0.7)
            if close:
                fixed.append(syllables[close[0]])
                changed = True
            else:
                fixed.append(w)
        return [" ".join(fixed)] if changed else []


# ---------------------------------------------------------------------- snippets

# The signature and "Nơi nhận" block names "Chủ tịch UBND", "Sở Nội vụ", "Ban TĐKT" …: it matches
# many queries and answers none, so it ranks below the articles (still found when nothing else is).
CLOSING_WEIGHT = 0.5


_NUMBER_WORDS = {"so", "ve", "cua", "chi", "thi", "nghi", "dinh", "ke", "hoach"}


def _only_number(pq: ParsedQuery) -> bool:
    """The query is a document number and nothing more ("nd 91/2017", "nghị định số 91",
    "Kế hoạch 200/KH-UBND"): no words a ranking by meaning could use."""
    if not pq.doc_refs:
        return False
    rest = fold(pq.text)
    for r in pq.doc_refs:
        rest = rest.replace(fold(r.text), " ")
    return not [w for w in _WORD.findall(rest) if w not in _NUMBER_WORDS]


def _demote_closing(ranked: list[tuple[str, float]], searcher: "Searcher") -> list[tuple[str, float]]:
    out = [(pid, s * CLOSING_WEIGHT if searcher.passages[searcher._pos[pid]].section_id == "closing" else s)
           for pid, s in ranked]
    return sorted(out, key=lambda kv: (-kv[1], kv[0]))


def _cited_shape(key: str) -> tuple[str, str, str | None] | None:
    """(type code, number, year) of a cited number key, as a symbol or a document id:
    "34-ct/tw" or "34-ct-tw-2014" → ("ct", "34", …), "98/2023/nd-cp" or "98-2023-nd-cp" → ("nd", "98", "2023")."""
    m = re.match(r"^(\d+(?:\.\d+)?)(?:[/-](\d{4}))?[/-]([a-z]+)", key)
    return (m.group(3), m.group(1), m.group(2)) if m else None


@lru_cache(maxsize=65_536)  # snippets compare every word of ten passages a query
def _iy_form(word: str, folded: bool) -> str:
    """The comparison form of one word: folded or match form, y/i spelling unified."""
    return lone_y_as_i(fold(word) if folded else match_form(word))


def _query_forms(pq: ParsedQuery) -> tuple[set[str], bool]:
    text = " ".join([pq.text, *pq.expansions])
    words = _WORD.findall(text)
    if pq.accentless:
        return {_iy_form(w, True) for w in words if fold(w) not in _NO_HIGHLIGHT_FOLDED}, True
    return {_iy_form(w, False) for w in words if match_form(w) not in _NO_HIGHLIGHT}, False


# Folded syllables this short are ambiguous without their diacritics (see snippet).
SHORT_FOLDED = 3


def _query_pairs(pq: ParsedQuery) -> set[tuple[str, str]]:
    """Adjacent word pairs of an accent-less query, folded ("co so" → ("co", "so"))."""
    out: set[tuple[str, str]] = set()
    for text in (pq.text, *pq.expansions):
        ws = [_iy_form(w, True) for w in _WORD.findall(text)]
        out.update(zip(ws, ws[1:]))
    return out


# A snippet reads at most this many characters of a passage, and weighs at most this many hits.
# The longest passage of the bundled corpus is ~10,500 characters, so every real passage is read
# whole; a pathological one (a document that is one 2-million-character line) costs no more than a
# passage of this size. Hits beyond the bound are not highlighted (the window is in the prefix).
SNIPPET_SCAN_CHARS = 20_000
SNIPPET_MAX_HITS = 2_000
# "Do not cut words in half" moves a window's edge by at most this many characters.
SNIPPET_WORD_EDGE = 64


def snippet(p: Passage, pq: ParsedQuery, width: int = SNIPPET_CHARS) -> list[tuple[str, bool]]:
    """The window of the passage's display text with the most query words, as (text, is_hit)
    pieces; words compared in match form (or folded, for an accent-less query).

    The cost is bounded whatever the passage's shape: only the first SNIPPET_SCAN_CHARS characters
    are read (cut at a word boundary), only the first SNIPPET_MAX_HITS hits are weighed, and the
    window scan is one pass over the sorted hits with two pointers (linear, not every hit against
    every other)."""
    text = p.body or p.text
    limit = len(text)
    if limit > SNIPPET_SCAN_CHARS:
        limit = SNIPPET_SCAN_CHARS
    forms, folded = _query_forms(pq)
    numbers = {r.text for r in pq.doc_refs if r.key}
    found: list[tuple[int, int, str]] = []
    words = [(m.start(), m.end(), _iy_form(m.group(0), folded)) for m in _WORD.finditer(text, 0, limit)]
    if words and limit < len(text) and words[-1][1] == limit and _WORD.match(text, limit):
        words.pop()  # a word cut by the bound is not a word
    pairs = _query_pairs(pq) if folded else set()
    for i, (start, end, f) in enumerate(words):
        if f not in forms:
            continue
        # Without diacritics a short syllable names many ("co": có, cơ, cô, cổ …): mark it only
        # where it stands beside the query word it stands beside in the query ("co so" → cơ sở).
        if folded and len(f) <= SHORT_FOLDED and len(pairs) > 0:
            prev = words[i - 1][2] if i else None
            nxt = words[i + 1][2] if i + 1 < len(words) else None
            if (prev, f) not in pairs and (f, nxt) not in pairs:
                continue
        found.append((start, end, f))
    for n in numbers:
        for m in re.compile(re.escape(n)).finditer(text, 0, limit):
            found.append((m.start(), m.end(), n))
    found.sort()
    hits = _merge_hits([(s, e) for s, e, _ in found], text)
    if len(text) <= width:
        start, end = 0, len(text)
    elif not found:
        start, end = 0, width
    else:
        # the window with the most distinct query words (then the most hits) wins: "Hồ" of
        # "Hồ Chí Minh" repeated must not beat "số lượng hồ sơ … lưu trữ"
        best = _best_window(found[:SNIPPET_MAX_HITS], width)
        start = max(0, best - width // 4)
        end = min(len(text), start + width)
        # do not cut words in half (a "word" of thousands of letters is cut all the same)
        floor, ceiling = max(0, start - SNIPPET_WORD_EDGE), min(len(text), end + SNIPPET_WORD_EDGE)
        while start > floor and text[start - 1].isalnum():
            start -= 1
        while end < ceiling and text[end].isalnum():
            end += 1
    pieces: list[tuple[str, bool]] = []
    if start > 0:
        pieces.append(("…", False))
    pos = start
    for s, e in hits:
        if s < pos or e > end:
            continue
        if s > pos:
            pieces.append((text[pos:s], False))
        pieces.append((text[s:e], True))
        pos = e
    if pos < end:
        pieces.append((text[pos:end], False))
    if end < len(text):
        pieces.append(("…", False))
    return pieces


def _best_window(found: list[tuple[int, int, str]], width: int) -> int:
    """The start of the hit whose window (from width/4 before it to 3·width/4 after) holds the
    most distinct forms, then the most hits (the first such hit on a tie).

    ``found`` is sorted by start. As the anchor moves right both window edges move right, so a hit
    enters once (when the right edge passes its end) and leaves once (when the left edge passes
    its start): one pass with two pointers and a counter of the forms inside — O(n log n) for the
    sort by end, O(n) for the scan."""
    n = len(found)
    by_end = sorted(range(n), key=lambda j: found[j][1])
    entered = [False] * n
    left = [False] * n
    counts: dict[str, int] = {}
    inside = distinct = 0
    a = b = 0
    best, best_score = found[0][0], -1.0
    for s0, _, _ in found:
        lo, hi = s0 - width // 4, s0 + width * 3 // 4
        while a < n and found[by_end[a]][1] <= hi:
            j = by_end[a]
            a += 1
            entered[j] = True
            if not left[j]:
                f = found[j][2]
                c = counts.get(f, 0)
                counts[f] = c + 1
                inside += 1
                distinct += c == 0
        while b < n and found[b][0] < lo:
            j = b
            b += 1
            left[j] = True
            if entered[j]:
                f = found[j][2]
                c = counts[f] - 1
                counts[f] = c
                inside -= 1
                distinct -= c == 0
        score = distinct + 0.01 * inside
        if score > best_score:
            best, best_score = s0, score
    return best


def _merge_hits(hits: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """Overlapping hits, and hits separated only by spaces or "/-", become one ("«chiến sĩ»")."""
    out: list[tuple[int, int]] = []
    for s, e in hits:
        if out and (s <= out[-1][1] or not text[out[-1][1]:s].strip(" /-")):
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def snippet_text(pieces: list[tuple[str, bool]], mark: tuple[str, str] = ("«", "»")) -> str:
    """Pieces as one string with hits between «» (or other marks)."""
    return "".join(f"{mark[0]}{t}{mark[1]}" if hit else t for t, hit in pieces)
