"""The benchmarks' passages carry their document's name, as the site's passages do: a question that
names its law ("Theo Bộ luật Hình sự, …") finds the law's words in the benchmark as on the site."""
from pathlib import Path

import pytest
import yaml

from corpus.registry import default_registry
from indexer.query import parse_query
from tooling.evaluate import (BENCHMARK_DOCUMENTS, _row_passage, document_name, load_benchmark,
                              name_documents)

SHARED_EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"


@pytest.mark.parametrize("symbol, name", [
    ("91/2015/QH13", "Bộ luật Dân sự"),          # national registry: a law by its name
    ("24/2018/QH14", "Luật An ninh mạng"),
    ("100/2015/QH13", "Bộ luật Hình sự"),
    ("15/2003/QH11", "Luật Thi đua, khen thưởng"),   # registry.yaml
    ("01/VBHN-VPQH", "Bộ luật Hình sự"),         # not in the registry: benchmark_documents.yaml
    ("01/vbhn-vpqh", "Bộ luật Hình sự"),         # spelling of the number aside
    ("999/2099/QH99", ""),                       # unknown: no name rather than a guess
    ("", ""),
])
def test_document_names(symbol, name):
    assert document_name(symbol) == name


def test_a_circular_is_named_by_its_kind_and_summary():
    name = document_name("08/2019/TT-BLĐTBXH")
    assert name.startswith("Thông tư hướng dẫn công tác thi đua khen thưởng ngành Lao động")


def test_the_benchmark_names_file_only_fills_what_the_registry_lacks():
    rows = yaml.safe_load(BENCHMARK_DOCUMENTS.read_text(encoding="utf-8"))
    registry = default_registry()
    assert rows
    for r in rows:
        assert r["symbol"] and r["name"] and r["source"], r
        assert not registry.by_canonical(r["symbol"]), f"{r['symbol']} is in the registry: drop it here"


def _alqac(law_id, article, text):
    return _row_passage({"_id": f"{law_id}||{article}", "law_id": law_id, "article_id": article, "text": text})


def test_naming_keeps_the_embedded_text_and_a_title_already_there():
    civil = _alqac("91/2015/QH13", "93", "Giải thể pháp nhân\n\n1. Pháp nhân giải thể trong trường hợp sau đây")
    titled = _alqac("24/2018/QH14", "1", "Phạm vi điều chỉnh\n\nLuật này quy định …")
    titled.title = "Luật An ninh mạng 2018"
    before = (civil.text, civil.content_hash)
    name_documents([civil, titled])
    assert civil.title == "Bộ luật Dân sự"
    assert (civil.text, civil.content_hash) == before     # cached vectors stay valid
    assert titled.title == "Luật An ninh mạng 2018"


def test_a_question_naming_its_code_finds_that_code(tmp_path):
    from indexer.engines.tantivy_engine import TantivyLexicalIndex

    body = "Phạt tiền\n\nNgười phạm tội bị phạt tiền theo mức do điều luật quy định."
    passages = name_documents([_alqac("91/2015/QH13", "35", body), _alqac("01/VBHN-VPQH", "35", body)])
    TantivyLexicalIndex.build(tmp_path / "ix", passages)
    hits = TantivyLexicalIndex.open(tmp_path / "ix").search(
        parse_query("Theo Bộ luật Hình sự, người phạm tội bị phạt tiền như thế nào?"), None, 10)
    assert hits[0][0] == "01/VBHN-VPQH||35" and hits[0][1] > hits[1][1]


@pytest.mark.skipif(not (SHARED_EVAL / "alqac2022").is_dir(), reason="the public benchmarks (../shared/eval) are absent")
def test_every_alqac2022_code_has_its_name():
    bench = load_benchmark("alqac2022", SHARED_EVAL, max_queries=1)
    names = {p.symbol: p.title for p in bench.passages}
    assert names == {"91/2015/QH13": "Bộ luật Dân sự", "24/2018/QH14": "Luật An ninh mạng",
                     "45/2019/QH14": "Bộ Luật lao động", "01/VBHN-VPQH": "Bộ luật Hình sự"}
