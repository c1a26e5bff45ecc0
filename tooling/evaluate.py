"""Retrieval quality: metrics (MRR@10, Recall@5, nDCG@10), the benchmark loaders (BEIR-style
corpus.jsonl / queries.jsonl / qrels.tsv, and the officer query set over the bundled corpus), and
the runs that put lexical, semantic, hybrid and a plain BM25 baseline side by side."""
from __future__ import annotations

import gzip
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from corpus.errors import UserError
from corpus.ids import slug
from corpus.registry import default_registry
from corpus.vntext import match_form, nfc
from indexer.analysis import number_key
from indexer.applicability import Applicability, rerank
from indexer.engines.base import HEADING_REPEAT
from indexer.engines.registry import DEFAULT_ENGINE
from indexer.engines.registry import lexical_engine as lexical_engine_class
from indexer.hybrid import BENCHMARKS, DEFAULT, fuse, tune
from indexer.kb import KnowledgeBase
from indexer.passages import Passage, finish, sha256
from indexer.query import parse_query
from indexer.vectors import VectorStore, embed_missing, exact_search

SETS = ["officer", "zalo_thidua", "alqac2022", "alqac2025", "zalo_on_phapdien"]


# ---------------------------------------------------------------- metrics

def mrr_at(ranked: list[str], relevant: set[str], k: int = 10) -> float:
    """1/rank of the first relevant id within the top k, else 0."""
    for i, pid in enumerate(ranked[:k], 1):
        if pid in relevant:
            return 1.0 / i
    return 0.0


def recall_at(ranked: list[str], relevant: set[str], k: int = 5) -> float:
    """Share of the relevant ids found in the top k."""
    if not relevant:
        return 0.0
    return len(relevant & set(ranked[:k])) / len(relevant)


def ndcg_at(ranked: list[str], relevant: set[str], k: int = 10) -> float:
    """Binary-gain nDCG: DCG of the ranking over DCG of the ideal ranking."""
    if not relevant:
        return 0.0
    dcg = sum(1.0 / math.log2(i + 1) for i, pid in enumerate(ranked[:k], 1) if pid in relevant)
    ideal = sum(1.0 / math.log2(i + 1) for i in range(1, min(len(relevant), k) + 1))
    return dcg / ideal


def score_run(run: dict[str, list[str]], qrels: dict[str, set[str]]) -> dict[str, float]:
    """Mean metrics over the queries that have judgements (a query without results scores 0)."""
    qids = [q for q in qrels if qrels[q]]
    if not qids:
        return {"MRR@10": 0.0, "Recall@5": 0.0, "nDCG@10": 0.0, "queries": 0}
    n = len(qids)
    return {
        "MRR@10": sum(mrr_at(run.get(q, []), qrels[q]) for q in qids) / n,
        "Recall@5": sum(recall_at(run.get(q, []), qrels[q]) for q in qids) / n,
        "nDCG@10": sum(ndcg_at(run.get(q, []), qrels[q]) for q in qids) / n,
        "queries": n,
    }


# ---------------------------------------------------------------- benchmark data

@dataclass
class Benchmark:
    name: str
    passages: list[Passage]
    queries: dict[str, str]
    qrels: dict[str, set[str]] = field(default_factory=dict)


def _row_passage(row: dict) -> Passage:
    """A passage from one benchmark corpus row (zalo: so_hieu/unit/title; alqac: law_id/article_id;
    pháp điển bulk: so_hieu/unit/title/loai/ten)."""
    symbol = row.get("so_hieu") or row.get("law_id") or ""
    unit = row.get("unit") or (f"Điều {row['article_id']}" if row.get("article_id") else "")
    text = row.get("text") or ""
    title = row.get("title") or ""
    if not title and "\n\n" in text[:300]:  # alqac rows start with the article's heading
        title, text = text.split("\n\n", 1)
    heading = f"{unit}. {title}".strip(". ") if title else unit
    pid = str(row.get("_id") or row.get("id"))
    return finish(Passage(id=pid, doc_id=slug(symbol) or "doc", section_id=slug(unit) or "a",
                          doc_type=row.get("loai"), symbol=symbol, title=row.get("ten") or "",
                          heading=heading, breadcrumb=[heading], body=text, label=unit))


def read_jsonl(path: Path) -> Iterable[dict]:
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def read_qrels(path: Path) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    with open(path, encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 2 or (i == 0 and parts[0] == "query-id"):
                continue
            if len(parts) < 3 or parts[2].strip() not in ("0", "0.0"):
                out.setdefault(parts[0], set()).add(parts[1])
    return out


def load_benchmark(name: str, eval_dir: Path, bulk_dir: Path | None = None,
                   max_queries: int | None = None) -> Benchmark:
    """zalo_thidua (its queries live in zalo_on_phapdien/queries.jsonl), alqac2022, alqac2025,
    zalo_on_phapdien (its corpus is bulk/phapdien_articles.jsonl.gz)."""
    d = Path(eval_dir) / name
    if name == "zalo_on_phapdien":
        corpus_path = Path(bulk_dir or Path(eval_dir).parent / "bulk") / "phapdien_articles.jsonl.gz"
    else:
        corpus_path = d / "corpus.jsonl"
    queries_path = d / "queries.jsonl" if (d / "queries.jsonl").exists() else Path(eval_dir) / "zalo_on_phapdien" / "queries.jsonl"
    for p in (corpus_path, queries_path, d / "qrels.tsv"):
        if not p.exists():
            raise FileNotFoundError(str(p))
    qrels = read_qrels(d / "qrels.tsv")
    queries = {str(q["_id"]): q["text"] for q in read_jsonl(queries_path) if str(q["_id"]) in qrels}
    if max_queries:
        keep = sorted(queries)[:max_queries]
        queries = {q: queries[q] for q in keep}
    qrels = {q: r for q, r in qrels.items() if q in queries}
    passages = name_documents([_row_passage(r) for r in read_jsonl(corpus_path)])
    return Benchmark(name, passages, queries, qrels)


BENCHMARK_DOCUMENTS = Path(__file__).parent / "data" / "benchmark_documents.yaml"


def document_name(symbol: str, registry=None, extra: dict[str, str] | None = None) -> str:
    """How a document is named where the site would show its title: a law by its name
    ("Bộ luật Dân sự"), another text by its kind and trích yếu ("Thông tư hướng dẫn công tác thi
    đua …"); from the registry, else from BENCHMARK_DOCUMENTS; "" when neither knows it."""
    registry = registry or default_registry()
    for e in registry.by_canonical(symbol) if symbol else []:
        if e.aliases:
            return e.aliases[0]
        if e.title:
            return " ".join(x for x in (e.doc_type, e.title) if x)
    if extra is None:
        extra = benchmark_document_names()
    return extra.get(number_key(symbol), "") if symbol else ""


def benchmark_document_names(path: Path = BENCHMARK_DOCUMENTS) -> dict[str, str]:
    """{number_key(symbol): name} of BENCHMARK_DOCUMENTS."""
    import yaml

    rows = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []
    return {number_key(r["symbol"]): nfc(r["name"]) for r in rows}


def name_documents(passages: list[Passage]) -> list[Passage]:
    """Give each passage without a document title its document's name (``document_name``). The
    benchmarks' corpora carry only numbers (alqac2022: "91/2015/QH13"), while the site indexes every
    passage with its document's title, so a question that names its law ("Theo Bộ luật Dân sự
    2015, …") finds that law's words on the site but not in the benchmark. The title is not part of
    the embedded text: cached vectors stay valid."""
    registry, extra, names = default_registry(), benchmark_document_names(), {}
    for p in passages:
        if p.title or not p.symbol:
            continue
        if p.symbol not in names:
            names[p.symbol] = document_name(p.symbol, registry, extra)
        p.title = names[p.symbol]
    return passages


# ---------------------------------------------------------------- officer query set

@dataclass
class OfficerQuery:
    id: str
    text: str
    answers: list[dict]           # {"symbol": "06/2022/QH15", "label": "Điều 24"} or {"symbol", "heading"}
    note: str = ""


def load_officer_queries(path: Path) -> list[OfficerQuery]:
    import yaml

    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    items = raw.get("queries", raw) if isinstance(raw, dict) else raw
    return [OfficerQuery(str(q["id"]), q["query"], list(q.get("answers") or []), q.get("note", "")) for q in items]


def answer_matches(p: Passage, answer: dict) -> bool:
    """Whether passage ``p`` is the answer named by document symbol and section label (or a
    heading fragment): robust to parser ids, which may change."""
    # a document the parser split (a decision and the regulation it issues: "…-qd-ubnd-2") keeps
    # the symbol in its id even when the part has no symbol line of its own
    same = bool(p.symbol) and number_key(p.symbol) == number_key(answer["symbol"])
    if not same and not (p.doc_id.startswith(slug(answer["symbol"]) + "-") or
                         re.search(rf"(^|-){re.escape(slug(answer['symbol']))}(-\d+)?$", p.doc_id)):
        return False
    label = answer.get("label")
    heading = answer.get("heading")
    if label is None and heading is None:
        return p.section_id == ""
    pieces = [p.heading, *p.breadcrumb]
    if label is not None:
        want = " ".join(label.split()).lower()
        if not any(" ".join(x.split()).lower() == want or
                   re.match(re.escape(want) + r"(?![\w])", " ".join(x.split()).lower()) for x in pieces if x):
            return False
    if heading is not None:
        if not any(match_form(heading) in match_form(x) for x in pieces if x):
            return False
    return True


def officer_benchmark(path: Path, passages: list[Passage]) -> tuple[Benchmark, list[str]]:
    """The officer set against the knowledge base's passages; also the answers no passage matches
    (a parser change that loses an article shows up here, not as a silent zero)."""
    queries = load_officer_queries(path)
    qrels: dict[str, set[str]] = {}
    unmatched: list[str] = []
    for q in queries:
        rel: set[str] = set()
        for a in q.answers:
            found = {p.id for p in passages if answer_matches(p, a)}
            if not found:
                unmatched.append(f"{q.id}: {a}")
            rel |= found
        qrels[q.id] = rel
    return Benchmark("officer", passages, {q.id: q.text for q in queries}, qrels), unmatched


# ---------------------------------------------------------------- runs

def syllables(text: str) -> list[str]:
    """The plain baseline's tokens: lower-case syllables, no segmentation, no folding."""
    return re.findall(r"\w+", nfc(text).lower())


class BM25Baseline:
    """bm25s over syllables (the `eval` extra)."""

    def __init__(self, passages: list[Passage]):
        import bm25s

        self.ids = [p.id for p in passages]
        self.model = bm25s.BM25()
        self.model.index([syllables(p.text) for p in passages], show_progress=False)

    def search(self, text: str, limit: int = 100) -> list[tuple[str, float]]:
        toks = syllables(text)
        if not toks:
            return []
        k = min(limit, len(self.ids))
        docs, scores = self.model.retrieve([toks], k=k, show_progress=False)
        return [(self.ids[int(d)], float(s)) for d, s in zip(docs[0], scores[0]) if s > 0]


def _stamp(passages: list[Passage]) -> str:
    import hashlib

    h = hashlib.sha256()
    for p in passages:
        h.update(p.id.encode())
        h.update(p.content_hash.encode())
        h.update(p.title.encode())   # indexed, though not part of the embedded text
    return h.hexdigest()[:16]


def open_lexical(work: Path, passages: list[Passage], log: Callable[[str], None] = print,
                 engine: str = DEFAULT_ENGINE):
    """The benchmark's own lexical index under ``work`` on ``engine`` (`tdkt eval` passes the
    setting TDKT_LEXICAL_ENGINE), rebuilt only when its passages changed."""
    engine = engine.strip().lower()
    cls = lexical_engine_class(engine)
    stamp = _stamp(passages)
    suffix = "" if engine == "whoosh" else f"-{engine}"
    d = Path(work) / f"lexical-{stamp}-h{HEADING_REPEAT}{suffix}"
    if not (d / "_ok").exists():
        log(f"  indexing {len(passages)} passages ({engine}) …")
        cls.build(d, passages)
        (d / "_ok").write_text("ok")
    return cls.open(d)


class Truncating:
    """An embedder that reads only the first ``chars`` characters of each passage (queries whole):
    the cheap semantic index for a corpus too big to embed in full here (74k articles)."""

    def __init__(self, inner, chars: int):
        self.inner, self.chars = inner, int(chars)
        self.name, self.dim = f"{inner.name}-first{self.chars}", inner.dim

    def embed_passages(self, texts: list[str]):
        return self.inner.embed_passages([t[:self.chars] for t in texts])

    def embed_query(self, text: str):
        return self.inner.embed_query(text)


def open_vectors(work: Path, name: str, passages: list[Passage], embedder, embed: bool = True,
                 log: Callable[[str], None] = print, save_every_s: float = 120.0):
    """The benchmark's vectors (cached by content hash); embeds what is missing when ``embed``,
    saving as it goes (a long run stopped midway keeps what it embedded)."""
    import time

    path = Path(work) / f"{name}-vectors-{embedder.name}.npz"
    store = VectorStore.load(path, model=embedder.name, dim=embedder.dim)
    todo = store.missing(passages)
    if todo and embed:
        log(f"  embedding {len(todo)} passages with {embedder.name} (cached in {path}) …")
        started = last = time.monotonic()
        for i in range(0, len(todo), 256):
            embed_missing(store, todo[i:i + 256], embedder)
            done = min(i + 256, len(todo))
            if time.monotonic() - last > save_every_s or done == len(todo):
                store.save(path)
                last = time.monotonic()
                rate = done / max(last - started, 1e-9)
                log(f"    {done}/{len(todo)} ({rate:.1f}/s, {(len(todo) - done) / rate / 60:.0f} min to go)")
    return store


@dataclass
class Lists:
    """Per query, each method's ranking (passage ids with scores, best first)."""

    lexical: dict[str, list[tuple[str, float]]] = field(default_factory=dict)
    semantic: dict[str, list[tuple[str, float]]] = field(default_factory=dict)
    bm25: dict[str, list[tuple[str, float]]] = field(default_factory=dict)
    # Applicability (indexer/applicability.py), as the Searcher applies it after fusion: per query
    # the weight of every passage, and passage id → position. Empty: rankings are used as they are.
    weights: dict[str, object] = field(default_factory=dict)
    pos: dict[str, int] = field(default_factory=dict)
    passages: list | None = None

    def ranked(self, qid: str, ranking: list[tuple[str, float]]) -> list[tuple[str, float]]:
        """A ranking with the applicability weights of its query applied (when there are any)."""
        w = self.weights.get(qid)
        if w is None:
            return ranking
        return rerank(ranking, self.pos, w, self.passages)

    def hybrid_of(self, qid: str, params) -> list[tuple[str, float]]:
        return self.ranked(qid, fuse(self.lexical.get(qid, []), self.semantic.get(qid, []), params))


def collect_lists(bench: Benchmark, work: Path, embedder=None, depth: int = 100,
                  log: Callable[[str], None] = print, semantic: bool = True, embed: bool = True,
                  engine: str = DEFAULT_ENGINE) -> Lists:
    """Run lexical (our index on ``engine``), semantic (exact vectors) and the bm25s baseline."""
    import numpy as np

    work = Path(work) / bench.name
    work.mkdir(parents=True, exist_ok=True)
    out = Lists()
    app = Applicability(bench.passages)
    out.pos = {p.id: i for i, p in enumerate(bench.passages)}
    out.passages = bench.passages
    out.weights = {qid: app.weights_for(text, None) for qid, text in bench.queries.items()}
    lex = open_lexical(work, bench.passages, log, engine=engine)
    for qid, text in bench.queries.items():
        out.lexical[qid] = lex.search(parse_query(text), None, depth)
    base = BM25Baseline(bench.passages)
    for qid, text in bench.queries.items():
        out.bm25[qid] = base.search(text, depth)
    if embedder is not None and semantic:
        store = open_vectors(work, bench.name, bench.passages, embedder, embed=embed, log=log)
        if not store.covers(bench.passages):
            log(f"  {bench.name}: semantic skipped: {len(store.missing(bench.passages))} passages have no "
                f"cached vector (run without --no-embed)")
            return out
        matrix, mask = store.matrix_for(bench.passages)
        qstore_path = work / f"queries-{embedder.name}.npz"

        qstore = VectorStore.load(qstore_path, model=embedder.name, dim=embedder.dim)
        todo = [(sha256(t), t) for t in dict.fromkeys(bench.queries.values()) if sha256(t) not in qstore]
        if todo:
            qstore.add([h for h, _ in todo], np.vstack([embedder.embed_query(t) for _, t in todo]))
            qstore.save(qstore_path)
        ids = [p.id for p in bench.passages]
        for qid, text in bench.queries.items():
            qv, _ = qstore.matrix_for([Passage(id="q", doc_id="q", section_id="q", content_hash=sha256(text))])
            out.semantic[qid] = [(ids[i], s) for i, s in exact_search(matrix, mask, qv[0], depth)]
    return out


def split(qids: Iterable[str]) -> tuple[list[str], list[str]]:
    """A fixed dev/test split by a hash of the query id (dev: tune on it; test: report on it)."""
    import hashlib

    dev, test = [], []
    for q in qids:
        (dev if int(hashlib.md5(q.encode()).hexdigest(), 16) % 2 == 0 else test).append(q)
    return dev, test


def scores_for(lists: Lists, qrels: dict[str, set[str]], qids: list[str], params) -> dict[str, dict[str, float]]:
    def run(ranking: dict[str, list[tuple[str, float]]]) -> dict[str, list[str]]:
        return {q: [pid for pid, _ in ranking.get(q, [])] for q in qids}

    sub = {q: qrels[q] for q in qids if q in qrels}
    lexical = {q: lists.ranked(q, lists.lexical.get(q, [])) for q in qids}
    table = {"bm25 (baseline)": score_run(run(lists.bm25), sub), "lexical": score_run(run(lexical), sub)}
    if lists.semantic:
        table["semantic"] = score_run(run({q: lists.ranked(q, lists.semantic.get(q, [])) for q in qids}), sub)
        hybrid = {q: lists.hybrid_of(q, params) for q in qids}
        table["hybrid"] = score_run(run(hybrid), sub)
    return table


def tune_fusion(datasets: list[tuple[Lists, dict[str, set[str]], list[str]]], metric: str = "nDCG@10"):
    """Pick fusion parameters maximising the mean ``metric`` over the given (dev) queries of
    several sets (each set weighs the same, whatever its size)."""
    def objective(params) -> float:
        vals = []
        for lists, qrels, qids in datasets:
            run = {q: [pid for pid, _ in lists.hybrid_of(q, params)] for q in qids}
            vals.append(score_run(run, {q: qrels[q] for q in qids})[metric])
        return sum(vals) / max(1, len(vals))

    return tune(objective)


def format_table(name: str, table: dict[str, dict[str, float]], note: str = "") -> str:
    n = next(iter(table.values()))["queries"] if table else 0
    lines = [f"{name} ({n} queries){' — ' + note if note else ''}",
             f"  {'method':<18}{'MRR@10':>8}{'R@5':>8}{'nDCG@10':>9}"]
    for method, m in table.items():
        lines.append(f"  {method:<18}{m['MRR@10']:>8.3f}{m['Recall@5']:>8.3f}{m['nDCG@10']:>9.3f}")
    return "\n".join(lines)


# ---------------------------------------------------------------- the whole evaluation

BIG_SETS = {"zalo_on_phapdien"}   # 74k articles: embedding them takes hours on 2 cores


def _officer_lists(path: Path, build_dir: Path, embedder, embed: bool, log) -> tuple[Benchmark, Lists, list[str], str]:
    """Officer queries run through the real Searcher of the built knowledge base (glossary,
    document numbers, filters and all), in each mode."""
    kb = KnowledgeBase.open(build_dir)
    bench, unmatched = officer_benchmark(path, kb.passages)
    searcher = kb.searcher
    note = ""
    if embedder is not None:
        store = kb.load_vectors(embedder.name)
        if store.missing(kb.passages) and embed:
            log(f"  embedding {len(store.missing(kb.passages))} knowledge-base passages …")
            kb.embed_missing(embedder)
            store = kb.load_vectors(embedder.name)
        if store.missing(kb.passages):
            note = "semantic/hybrid skipped: vectors do not cover the knowledge base (run without --no-embed)"
        else:
            searcher.set_vectors(store, embedder)
    lists = Lists()
    for qid, text in bench.queries.items():
        lists.lexical[qid] = [(r.passage.id, r.score) for r in searcher.search(text, limit=10, mode="lexical").results]
        if searcher.hybrid_ready:
            lists.semantic[qid] = [(r.passage.id, r.score) for r in searcher.search(text, limit=10, mode="semantic").results]
    base = BM25Baseline(bench.passages)
    for qid, text in bench.queries.items():
        lists.bm25[qid] = base.search(text, 10)
    lists.hybrid = {qid: [(r.passage.id, r.score) for r in searcher.search(text, limit=10, mode="hybrid").results]
                    for qid, text in bench.queries.items()} if searcher.hybrid_ready else {}
    return bench, lists, unmatched, note


def run_eval(sets: list[str], eval_dir: Path, work: Path, build_dir: Path, officer_file: Path,
             embedder=None, embed: bool = True, bulk_dir: Path | None = None, max_queries: int | None = None,
             split_name: str = "all", tune: bool = False, log: Callable[[str], None] = print,
             big_embed_chars: int = 0, lexical_engine: str = DEFAULT_ENGINE) -> dict:
    """Every requested set, each method side by side; returns the report (also printed via log)."""
    report: dict = {"fusion": DEFAULT.__dict__, "benchmark_fusion": BENCHMARKS.__dict__, "sets": {}}
    collected: dict[str, tuple[Benchmark, Lists]] = {}
    for name in sets:
        if name == "officer":
            bench, lists, unmatched, note = _officer_lists(officer_file, build_dir, embedder, embed, log)
            qids = list(bench.queries)
            table = scores_for(lists, bench.qrels, qids, DEFAULT)
            if getattr(lists, "hybrid", None):
                table["hybrid"] = score_run({q: [p for p, _ in lists.hybrid[q]] for q in qids}, bench.qrels)
            if unmatched:
                note = (note + "; " if note else "") + f"{len(unmatched)} answers match no passage: " + "; ".join(unmatched[:5])
            log(format_table("officer", table, note))
            report["sets"]["officer"] = {"scores": table, "note": note, "unmatched": unmatched}
            continue
        if not Path(eval_dir).is_dir():
            raise UserError(f"--eval-dir {eval_dir}: no such folder (the public benchmarks live in ../shared/eval; "
                            f"pass --eval-dir, or --sets officer)")
        try:
            bench = load_benchmark(name, Path(eval_dir), bulk_dir, max_queries)
        except FileNotFoundError as exc:
            raise UserError(f"{name}: missing {exc}") from exc
        big = name in BIG_SETS
        log(f"{name}: {len(bench.passages)} passages, {len(bench.queries)} queries")
        set_embedder = embedder
        if big and embedder is not None and big_embed_chars > 0:
            set_embedder = Truncating(embedder, big_embed_chars)
        lists = collect_lists(bench, work, set_embedder, log=log, semantic=not big or big_embed_chars > 0, embed=embed,
                              engine=lexical_engine)
        if big and embedder is not None and not lists.semantic:
            log(f"  {name}: semantic skipped (embedding {len(bench.passages)} articles takes hours here; "
                f"--big-embed-chars N embeds their first N characters)")
        collected[name] = (bench, lists)
    if tune:
        data = []
        for name, (bench, lists) in collected.items():
            if lists.semantic:
                dev, _ = split(bench.queries)
                data.append((lists, bench.qrels, dev))
        if data:
            best, score = tune_fusion(data)
            log(f"tuned on the dev halves of {', '.join(n for n, (b, l) in collected.items() if l.semantic)}: "
                f"{best} (mean nDCG@10 {score:.3f})")
            report["tuned"] = {"params": best.__dict__, "dev_nDCG@10": score}
    for name, (bench, lists) in collected.items():
        qids = list(bench.queries)
        if split_name != "all":
            dev, test = split(qids)
            qids = dev if split_name == "dev" else test
        table = scores_for(lists, bench.qrels, qids, BENCHMARKS)
        note = ""
        if name in BIG_SETS:
            note = (f"semantic: the first {big_embed_chars} characters of each article embedded"
                    if lists.semantic else "semantic skipped: embedding 74k articles takes hours on 2 cores")
        if split_name != "all":
            note = (note + "; " if note else "") + f"{split_name} half"
        log(format_table(name, table, note))
        report["sets"][name] = {"scores": table, "note": note}
    return report
