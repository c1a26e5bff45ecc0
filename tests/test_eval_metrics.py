"""Retrieval metrics on tiny hand-computed cases, the qrels reader, answer matching and the
officer query set's shape."""
import math
from pathlib import Path

import pytest
import yaml

from tooling.evaluate import (answer_matches, mrr_at, ndcg_at, read_qrels, recall_at, score_run, split)
from indexer.hybrid import FusionParams, fuse
from indexer.passages import Passage
from corpus.vntext import has_diacritics

OFFICER = Path(__file__).parent / "eval" / "officer_queries.yaml"


@pytest.mark.parametrize("ranked, relevant, mrr, r5, ndcg", [
    (["a", "b", "c"], {"a"}, 1.0, 1.0, 1.0),
    (["x", "a", "c"], {"a"}, 0.5, 1.0, 1 / math.log2(3)),
    (["x", "y", "a"], {"a", "b"}, 1 / 3, 0.5, (1 / math.log2(4)) / (1 + 1 / math.log2(3))),
    (["x", "y", "z", "w", "v", "a"], {"a"}, 1 / 6, 0.0, 1 / math.log2(7)),
    (["x"] * 10 + ["a"], {"a"}, 0.0, 0.0, 0.0),           # rank 11 is outside @10
    ([], {"a"}, 0.0, 0.0, 0.0),
])
def test_metrics_by_hand(ranked, relevant, mrr, r5, ndcg):
    assert mrr_at(ranked, relevant) == pytest.approx(mrr)
    assert recall_at(ranked, relevant) == pytest.approx(r5)
    assert ndcg_at(ranked, relevant) == pytest.approx(ndcg)


def test_score_run_averages_over_judged_queries():
    run = {"q1": ["a"], "q2": ["x", "b"]}
    qrels = {"q1": {"a"}, "q2": {"b"}, "q3": set()}
    s = score_run(run, qrels)
    assert s["queries"] == 2
    assert s["MRR@10"] == pytest.approx(0.75)


def test_read_qrels(tmp_path):
    f = tmp_path / "qrels.tsv"
    f.write_text("query-id\tcorpus-id\tscore\nq1\tA||1\t1\nq1\tA||2\t1\nq2\tB||9\t0\n", encoding="utf-8")
    assert read_qrels(f) == {"q1": {"A||1", "A||2"}}


def test_weighted_rrf_by_hand():
    lex = [("a", 9.0), ("b", 5.0)]
    sem = [("b", 0.9), ("c", 0.8)]
    # plain RRF, k=1: a = 1/2; b = 1/3 + 1/2; c = 1/3
    assert [p for p, _ in fuse(lex, sem, FusionParams("rrf", 1.0, 1.0, 1.0))] == ["b", "a", "c"]
    # semantic weighted 3x: c = 3/3 = 1.0 > a = 0.5
    fused = dict(fuse(lex, sem, FusionParams("rrf", 1.0, 3.0, 1.0)))
    assert fused["c"] == pytest.approx(1.0) and fused["b"] == pytest.approx(1 / 3 + 3 / 2)
    # normalised scores: a = 1, b = 0 + 1, c = 0
    assert dict(fuse(lex, sem, FusionParams("wsum", 1.0, 1.0, 0.0)))["c"] == pytest.approx(0.0)
    assert fuse(lex, [], FusionParams()) == lex


def test_split_is_stable_and_disjoint():
    ids = [f"q{i}" for i in range(100)]
    dev, test = split(ids)
    assert split(ids) == (dev, test)
    assert not set(dev) & set(test) and len(dev) + len(test) == 100 and 30 < len(dev) < 70


def P(symbol, heading, breadcrumb=(), doc_id="d", section_id="s"):
    return Passage(id=f"{doc_id}#{section_id}", doc_id=doc_id, section_id=section_id, symbol=symbol,
                   heading=heading, breadcrumb=list(breadcrumb))


@pytest.mark.parametrize("passage, answer, ok", [
    (P("06/2022/QH15", "Điều 24. Danh hiệu “Lao động tiên tiến”"), {"symbol": "06/2022/QH15", "label": "Điều 24"}, True),
    (P("06/2022/QH15", "Điều 2. Đối tượng áp dụng"), {"symbol": "06/2022/QH15", "label": "Điều 24"}, False),
    (P("06/2022/QH15", "Điều 240. X"), {"symbol": "06/2022/QH15", "label": "Điều 24"}, False),
    (P("15/2003/QH11", "Điều 24. Y"), {"symbol": "06/2022/QH15", "label": "Điều 24"}, False),
    (P("91/2017/NĐ-CP", "1.", ["Điều 55. Thủ tục, hồ sơ đơn giản", "1."]), {"symbol": "91/2017/nđ-cp", "label": "Điều 55"}, True),
    (P(None, "Điều 6. Thời gian đề nghị khen thưởng", doc_id="extra-86-2025-qd-ubnd-2"),
     {"symbol": "86/2025/QĐ-UBND", "label": "Điều 6", "heading": "Thời gian đề nghị"}, True),
    (P("91/2017/NĐ-CP", "", section_id=""), {"symbol": "91/2017/NĐ-CP"}, True),
])
def test_answer_matching(passage, answer, ok):
    assert answer_matches(passage, answer) is ok


def test_officer_query_set_shape():
    qs = yaml.safe_load(OFFICER.read_text(encoding="utf-8"))["queries"]
    assert len(qs) >= 40
    assert len({q["id"] for q in qs}) == len(qs)
    plain = [q for q in qs if not has_diacritics(q["query"])]
    assert len(plain) >= len(qs) // 3 - 1
    assert any(abbr in q["query"] for q in qs for abbr in ("CSTĐ", "TĐKT", "LDTT", "UBND"))
    for q in qs:
        assert q["answers"] and all("symbol" in a for a in q["answers"])


def test_truncating_embedder_reads_the_first_characters_of_passages_only():
    from tooling.evaluate import Truncating

    class Recorder:
        name, dim = "rec", 2

        def __init__(self):
            self.seen = []

        def embed_passages(self, texts):
            self.seen += texts
            return [[1.0, 0.0] for _ in texts]

        def embed_query(self, text):
            self.seen.append(text)
            return [0.0, 1.0]

    inner = Recorder()
    t = Truncating(inner, 12)
    t.embed_passages(["Điều 23. Danh hiệu Chiến sĩ thi đua cơ sở", "ngắn"])
    t.embed_query("tiêu chuẩn chiến sĩ thi đua cơ sở là gì")
    assert inner.seen == ["Điều 23. Dan", "ngắn", "tiêu chuẩn chiến sĩ thi đua cơ sở là gì"]
    assert t.name == "rec-first12" and t.dim == 2        # its vectors are cached apart from full ones
