"""bm25s (numpy/scipy sparse BM25) over the same analysed terms — for the benchmark's comparison.

One bag of words (every field's terms together); no filters, no per-term weights: bm25s scores a
bag of query tokens. It is what a user gets from the simplest "pip install" BM25.
"""
from __future__ import annotations

import json
from pathlib import Path

from ..passages import Passage
from ..query import ParsedQuery
from .base import Analysed, analyse_all, query_terms

IDS = "ids.json"


class Bm25sIndex:
    def __init__(self, model, ids: list[str]):
        self._model, self._ids = model, ids
        self._vocab = model.vocab_dict

    @classmethod
    def build(cls, directory: Path, passages: list[Passage], analysed: list[Analysed] | None = None) -> None:
        import bm25s

        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        analysed = analysed if analysed is not None else analyse_all(passages)
        model = bm25s.BM25(k1=1.2, b=0.75)
        model.index([" ".join(a.values()).split() for a in analysed], show_progress=False)
        model.save(str(directory), show_progress=False)
        (directory / IDS).write_text(json.dumps([p.id for p in passages]), encoding="utf-8")

    @classmethod
    def open(cls, directory: Path) -> "Bm25sIndex":
        import bm25s

        model = bm25s.BM25.load(str(directory), mmap=False)
        return cls(model, json.loads((Path(directory) / IDS).read_text(encoding="utf-8")))

    def search(self, query: ParsedQuery, filters=None, limit: int = 10) -> list[tuple[str, float]]:
        tokens = list(dict.fromkeys(t for (_, t) in query_terms(query) if t in self._vocab))
        if not tokens or limit <= 0:
            return []
        k = min(limit, len(self._ids))
        docs, scores = self._model.retrieve([tokens], k=k, show_progress=False, n_threads=1)
        return [(self._ids[int(d)], float(s)) for d, s in zip(docs[0], scores[0]) if s > 0]
