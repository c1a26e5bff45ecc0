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

from corpus.ids import slug

from .passages import Passage, finish

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
    passages = [_row_passage(r) for r in read_jsonl(corpus_path)]
    return Benchmark(name, passages, queries, qrels)
