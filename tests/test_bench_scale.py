"""The scale corpus generator: what the benchmark measures must look like a real archive."""
from __future__ import annotations

import gzip
import json
import re

import pytest

from corpus.errors import UserError
from tooling import scale


@pytest.fixture(scope="module")
def corpus_1k():
    return scale.passages_of(scale.generate(1000, seed=11))


def test_same_seed_same_corpus_other_seed_other_corpus():
    a = [(p.id, p.text) for p in scale.passages_of(scale.generate(300, seed=5))]
    b = [(p.id, p.text) for p in scale.passages_of(scale.generate(300, seed=5))]
    c = [(p.id, p.text) for p in scale.passages_of(scale.generate(300, seed=6))]
    assert a == b
    assert a != c


@pytest.mark.parametrize("n", [1, 7, 250, 1000])
def test_exactly_the_asked_number_of_sections(n):
    passages = scale.passages_of(scale.generate(n, seed=1))
    assert len(passages) == n
    assert len({p.id for p in passages}) == n  # ids unique: the index would drop duplicates


def test_many_provinces_old_and_new(corpus_1k):
    provinces = {p.province for p in corpus_1k}
    assert len(provinces) >= 30
    assert provinces & set(scale.PROVINCES_2025)
    assert provinces & set(scale.PROVINCES_BEFORE_2025)  # an archive holds both (merger of 2025)
    assert len(scale.PROVINCES_2025) == 34 and len(set(scale.ALL_PROVINCES)) == 63


def test_citations_in_real_forms(corpus_1k):
    citing = [p for p in corpus_1k if p.cites]
    assert 0.3 < len(citing) / len(corpus_1k) < 0.8
    everything = "\n".join(p.text for p in corpus_1k)
    for form in ["Chỉ thị số 34-CT/TW ngày 07/4/2014 của Bộ Chính trị", "91/2017/NĐ-CP", "06/2022/QH15"]:
        assert form in everything
    # local citations: "Kế hoạch số 200/KH-UBND ngày 09/10/2021 của UBND tỉnh Lạng Sơn"
    assert re.search(r"Kế hoạch số \d+/KH-UBND ngày \d\d/\d{1,2}/20\d\d của (UBND|Ủy ban nhân dân) (tỉnh|thành phố) \w", everything)
    for p in citing:
        assert all(c in p.text for c in p.cites)  # the cited form is in the text a user reads


def test_sections_read_like_their_document(corpus_1k):
    by_doc = {}
    for p in corpus_1k:
        by_doc.setdefault(p.doc_id, []).append(p)
    for doc_id, ps in list(by_doc.items())[:40]:
        p = ps[0]
        assert p.symbol and p.symbol.startswith(p.number)
        assert p.province in p.issuer or p.province in p.title or p.issuer.endswith(p.province)
        if p.doc_type == "Quyết định" or p.doc_type == "Nghị quyết":
            assert [x.label for x in ps] == [f"Điều {i}" for i in range(1, len(ps) + 1)]


@pytest.mark.parametrize("sentence,province,year,expect,absent", [
    ("Ủy ban nhân dân tỉnh Lạng Sơn ban hành Kế hoạch", "Cà Mau", 2019, "Ủy ban nhân dân tỉnh Cà Mau ban hành", "Lạng Sơn"),
    ("Thành phố Đà Nẵng và tỉnh Hà Giang", "Huế", 2020, "thành phố Huế", "Hà Giang"),
    ("tổng kết năm 2021, ngày 09/10/2021", "Lào Cai", 2016, "tổng kết năm 2016", "2021"),
    ("thực hiện Kế hoạch số 200/KH-UBND của tỉnh", "Lào Cai", 2016, "/KH-UBND", "200/KH-UBND"),
])
def test_substitution_moves_a_sentence_to_another_province_and_year(sentence, province, year, expect, absent):
    maker = scale._Maker(scale.Pools(), seed=3)
    out = maker.substitute(sentence, province, year)
    assert expect in out
    assert absent not in out


def test_harvest_keeps_prose_not_tables_or_signatures():
    pools = scale.bundled_pools()
    assert len(pools.sentences["plan"]) > 1000 and len(pools.sentences["article"]) > 300
    for s in pools.sentences["plan"] + pools.sentences["article"]:
        assert "|" not in s and "\t" not in s
    assert "Nghị định số 91/2017/NĐ-CP" in pools.citations


def test_bulk_articles_become_passages(tmp_path):
    rows = [{"id": "a1", "so_hieu": "91/2017/NĐ-CP", "loai": "Nghị định", "ten": "Quy định chi tiết …",
             "co_quan": "Chính phủ", "unit": "Điều 4", "title": "Nguyên tắc khen thưởng", "demuc_title": "Thi đua, khen thưởng",
             "text": "Khen thưởng phải đảm bảo chính xác, công khai, công bằng, kịp thời."},
            {"id": "a2", "so_hieu": "06/2022/QH15", "text": ""},          # empty: skipped
            {"id": "a3", "so_hieu": "15/2003/QH11", "loai": "Luật", "text": "Thi đua là hoạt động có tổ chức."}]
    with gzip.open(tmp_path / "phapdien_articles.jsonl.gz", "wt", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        fh.write("{not json\n")                                       # damaged line: skipped, not fatal
    ps = scale.bulk_passages(tmp_path, 10)
    assert [p.symbol for p in ps] == ["91/2017/NĐ-CP", "15/2003/QH11"]
    assert ps[0].year == 2017 and ps[0].codified and "Điều 4" in ps[0].heading
    assert len(scale.bulk_passages(tmp_path, 1)) == 1
    with pytest.raises(UserError):
        scale.bulk_passages(tmp_path / "missing", 10)


def test_raw_texts_parse_back_into_the_same_sections(tmp_path):
    parse = pytest.importorskip("corpus.parse")
    docs = scale.generate(200, seed=4)
    assert scale.write_texts(docs, tmp_path) == len(docs)
    d = next(d for d in docs if d.style == "article")
    text = (tmp_path / f"{d.id}.txt").read_text(encoding="utf-8")
    assert text.splitlines()[1] == f"Số: {d.symbol}"
    result = parse.parse_text(text, f"{d.id}.txt")
    labels = [s.label.rstrip(".") for doc in result.documents for s in doc.sections if s.kind == "dieu"]
    assert labels == [s.label for s in d.sections]
    assert result.documents[0].symbol == d.symbol
