"""Passage vectors keyed by content hash: a passage whose embedded text did not change is never
embedded again. Stored float16 in one .npz (keys, matrix, model name); search is exact numpy."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Iterable

import numpy as np

from .passages import Passage


# Rows copied at a time into a searcher's float32 matrix (8,192 × 384 float16: 6 MB a block).
MATRIX_BLOCK = 8192


class VectorStore:
    """content_hash → vector, for one embedding model."""

    def __init__(self, model: str, dim: int):
        self.model, self.dim = model, dim
        self._index: dict[str, int] = {}
        self._rows: list[np.ndarray] = []
        self._matrix: np.ndarray | None = np.zeros((0, dim), np.float16)

    def __len__(self) -> int:
        return len(self._index)

    def __contains__(self, h: str) -> bool:
        return h in self._index

    @classmethod
    def empty(cls, model: str, dim: int = 0) -> "VectorStore":
        return cls(model, dim)

    def merge(self, other: "VectorStore") -> None:
        """Add the other store's vectors this one lacks (same model only)."""
        if other.model != self.model or not len(other):
            return
        keys = sorted(other._index, key=other._index.get)
        new = [k for k in keys if k not in self._index]
        if new:
            m = other.matrix()
            self.add(new, m[[other._index[k] for k in new]])

    @classmethod
    def load(cls, path: Path, model: str | None = None, dim: int | None = None) -> "VectorStore":
        """The store at ``path``; an empty one when the file is missing, unreadable or was made by
        another model (vectors of different models must never mix)."""
        path = Path(path)
        try:
            with np.load(path, allow_pickle=False) as z:
                stored_model, keys, mat = str(z["model"]), list(z["keys"]), z["matrix"]
        except (OSError, KeyError, ValueError):
            return cls(model or "unknown", dim or 0)
        if model is not None and stored_model != model:
            return cls(model, dim or mat.shape[1])
        store = cls(stored_model, int(mat.shape[1]))
        store._index = {str(k): i for i, k in enumerate(keys)}
        store._matrix = mat.astype(np.float16, copy=False)   # no second copy of a float16 file
        return store

    def save(self, path: Path) -> None:
        """Write atomically: a temporary file in the same folder, then os.replace."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        keys = np.array(sorted(self._index, key=self._index.get), dtype=str)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".npz.tmp")
        try:
            os.chmod(tmp, 0o644)
            with os.fdopen(fd, "wb") as fh:
                np.savez(fh, model=np.array(self.model), keys=keys, matrix=self.matrix())
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise

    def matrix(self) -> np.ndarray:
        if self._rows:
            self._matrix = np.vstack([self._matrix] + self._rows).astype(np.float16)
            self._rows = []
        return self._matrix

    def missing(self, passages: Iterable[Passage]) -> list[Passage]:
        """Passages whose content hash has no vector yet (each hash once)."""
        seen: set[str] = set()
        out = []
        for p in passages:
            if p.content_hash not in self._index and p.content_hash not in seen:
                seen.add(p.content_hash)
                out.append(p)
        return out

    def add(self, hashes: list[str], vectors: np.ndarray) -> None:
        vectors = np.asarray(vectors)
        if len(hashes) != len(vectors):
            raise ValueError("hashes and vectors differ in length")
        if len(hashes) and (self.dim == 0 or not len(self._index)):
            self.dim = int(vectors.shape[1])
            if not len(self._index):
                self._matrix = np.zeros((0, self.dim), np.float16)
        new = []
        for h, v in zip(hashes, vectors):
            if h in self._index:
                continue
            self._index[h] = len(self._index)
            new.append(v)
        if new:
            self._rows.append(np.asarray(new, dtype=np.float16))

    def matrix_for(self, passages: list[Passage]) -> tuple[np.ndarray, np.ndarray]:
        """(len(passages), dim) float32 matrix in passage order, and a mask of which rows exist."""
        m = self.matrix()
        rows = np.array([self._index.get(p.content_hash, -1) for p in passages], dtype=np.int64)
        mask = rows >= 0
        out = np.zeros((len(passages), self.dim), np.float32)
        # copied in blocks, converted on assignment: a whole-matrix temporary (float16 gathered,
        # then float32) added 230 MB to a server's peak at 100k passages
        dest, src = np.flatnonzero(mask), rows[mask]
        for i in range(0, len(dest), MATRIX_BLOCK):
            out[dest[i:i + MATRIX_BLOCK]] = m[src[i:i + MATRIX_BLOCK]]
        return out, mask

    def covers(self, passages: list[Passage]) -> bool:
        return all(p.content_hash in self._index for p in passages)


def embed_missing(store: VectorStore, passages: list[Passage], embedder, batch: int = 64,
                  progress=None) -> int:
    """Embed the passages the store lacks, in batches; returns how many were embedded."""
    todo = store.missing(passages)
    for i in range(0, len(todo), batch):
        chunk = todo[i:i + batch]
        store.add([p.content_hash for p in chunk], embedder.embed_passages([p.embed_text() for p in chunk]))
        if progress:
            progress(min(i + batch, len(todo)), len(todo))
    return len(todo)


# The product of a query with every passage vector reads the whole matrix (100k × 384 float32:
# 154 MB) once: it is bound by memory, not arithmetic, so a second BLAS thread does not make it
# faster — on this 2-core machine it made it slower (100k: p50 5.4 ms on one thread, 8.3 ms on two;
# 9.5 against 16 ms with other jobs running) and took the core the server's other process or the
# lexical search needed. Above this many cells the product runs on one BLAS thread.
ONE_THREAD_CELLS = 1_000_000
_blas = [None]


def _one_blas_thread():
    """A context in which BLAS uses one thread (threadpoolctl); a no-op context without it."""
    if _blas[0] is None:
        try:
            from threadpoolctl import ThreadpoolController

            _blas[0] = ThreadpoolController()
        except Exception:  # pragma: no cover - threadpoolctl is a dependency
            _blas[0] = False
    if _blas[0] is False:
        import contextlib

        return contextlib.nullcontext()
    return _blas[0].limit(limits=1, user_api="blas")


def scores_of(matrix: np.ndarray, query: np.ndarray) -> np.ndarray:
    """Cosine of ``query`` with every row (float32; the rows and the query are normalised)."""
    q = np.asarray(query, np.float32)
    if matrix.size >= ONE_THREAD_CELLS:
        with _one_blas_thread():
            return matrix @ q
    return matrix @ q


def exact_search(matrix: np.ndarray, mask: np.ndarray, query: np.ndarray, limit: int,
                 allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
    """Top ``limit`` rows by cosine (vectors are normalised), among rows present and allowed."""
    if not len(matrix):
        return []
    scores = scores_of(matrix, query)
    ok = mask if allowed is None else (mask & allowed)
    n_ok = int(np.count_nonzero(ok))
    if n_ok < len(ok):
        scores[~ok] = -np.inf   # in place: the product's array is this call's own
    k = min(limit, n_ok)
    if k <= 0:
        return []
    top = np.argpartition(-scores, k - 1)[:k]
    top = top[np.argsort(-scores[top], kind="stable")]
    return [(int(i), float(scores[i])) for i in top]
