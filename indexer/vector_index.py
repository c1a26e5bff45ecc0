"""The passages' vectors a searcher ranks by cosine: the rows closest to a query among those present
and allowed.

A query's product with every row reads the whole float32 matrix: at 100k passages 154 MB, which
takes 19–25 ms of one core on the 2-core machine the targets are measured on (memory-bound: a
second BLAS thread takes the core another request or the lexical search needs). Above
QUANTISED_ROWS rows the rows are also kept as 8-bit codes (faiss's scalar quantiser, one byte a
dimension: 38 MB at 100k) and a query reads those: the OVERSAMPLE × limit best rows by the codes
(8.6 ms at 100k on one core) are then scored exactly from the float32 rows, so what is returned —
the rows and their scores — is the exact product's answer whenever the codes' best
OVERSAMPLE × limit rows hold the exact best ``limit`` (tests/test_vector_index.py compares the two on
random and on real passage vectors; docs/BENCHMARKS.md has the measurement). Below QUANTISED_ROWS
— the bundled corpus, the benchmarks' corpora — the product is exact and faiss is not imported.
"""
from __future__ import annotations

import numpy as np

from .vectors import exact_search

# Rows from which the 8-bit codes choose the candidates (below: the exact product, ~5 ms or less).
QUANTISED_ROWS = 50_000
# Candidates per result wanted, scored exactly: 4 × 100 = 400 rows for the searcher's DEPTH.
OVERSAMPLE = 4
MIN_CANDIDATES = 256
# With fewer rows allowed than this (a filter by province, type, year …) those rows are scored
# exactly: gathering them costs less than reading every code.
EXACT_SUBSET = 8_000


def _top(scores: np.ndarray, rows: np.ndarray, k: int) -> list[tuple[int, float]]:
    """The ``k`` best ``rows`` by ``scores``, best first; equal scores by row."""
    k = min(k, len(scores))
    if k <= 0:
        return []
    part = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
    ids, best = rows[part], scores[part]
    return [(int(ids[i]), float(best[i])) for i in np.lexsort((ids, -best))]


class VectorIndex:
    """``search(query, limit, allowed)``: the best rows of ``matrix`` (float32, normalised rows;
    ``mask``: the rows that have a vector) as (row, cosine), best first."""

    def __init__(self, matrix: np.ndarray, mask: np.ndarray, quantise_from: int = QUANTISED_ROWS):
        self.matrix = np.ascontiguousarray(matrix, dtype=np.float32)
        self.mask = np.asarray(mask, dtype=bool)
        self._codes = None
        self.use_codes = True    # False: every query takes the exact product (`tdkt bench` compares the two)
        if len(self.matrix) >= quantise_from:
            import faiss   # deferred: ~0.3 s to import, needed only by a big knowledge base

            codes = faiss.IndexScalarQuantizer(self.matrix.shape[1], faiss.ScalarQuantizer.QT_8bit,
                                               faiss.METRIC_INNER_PRODUCT)
            codes.train(self.matrix)   # each dimension's range; a row without a vector is zeros, inside it
            codes.add(self.matrix)
            self._faiss, self._codes = faiss, codes

    @property
    def quantised(self) -> bool:
        return self._codes is not None

    def __len__(self) -> int:
        return len(self.matrix)

    def search(self, query: np.ndarray, limit: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        if self._codes is None or not self.use_codes:
            return exact_search(self.matrix, self.mask, query, limit, allowed)
        ok = self.mask if allowed is None else (self.mask & allowed)
        n_ok = int(np.count_nonzero(ok))
        limit = min(limit, n_ok)
        if limit <= 0:
            return []
        q = np.asarray(query, np.float32)
        if n_ok <= EXACT_SUBSET:
            rows = np.flatnonzero(ok)
            return _top(self.matrix[rows] @ q, rows, limit)
        wanted = min(n_ok, max(limit * OVERSAMPLE, MIN_CANDIDATES))
        params = None
        if n_ok < len(ok):
            bitmap = np.packbits(ok, bitorder="little")   # faiss: bit i of byte i >> 3, lowest first
            params = self._faiss.SearchParameters(sel=self._faiss.IDSelectorBitmap(len(ok), self._faiss.swig_ptr(bitmap)))
        _, found = self._codes.search(q[None, :], wanted, params=params)
        rows = found[0][found[0] >= 0]
        return _top(self.matrix[rows] @ q, rows, limit)
