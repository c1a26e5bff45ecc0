"""Every example in the document-type and issuer data files is recognised by its own entry."""
import re

import pytest

from corpus.vocab import doc_type_by_code, doc_type_by_name, doc_types, issuer_by_code, issuers
from corpus.vntext import fold

TYPE_EXAMPLES = [(t, ex) for t in doc_types() for ex in t.examples]
ISSUER_EXAMPLES = [(i, ex) for i in issuers() for ex in i.examples]


@pytest.mark.parametrize("doc_type,example", TYPE_EXAMPLES, ids=[e for _, e in TYPE_EXAMPLES])
def test_type_example_names_its_type(doc_type, example):
    names = [doc_type.name, *doc_type.variants]
    assert any(fold(example).startswith(fold(n)) for n in names), example


@pytest.mark.parametrize("issuer,example", ISSUER_EXAMPLES, ids=[e for _, e in ISSUER_EXAMPLES])
def test_issuer_example_carries_its_code(issuer, example):
    # the issuer is the last part of the symbol, or the first after "/" for a Công văn (1419/VKS-VP)
    parts = [p for p in re.split(r"[/-]", example) if p]
    assert issuer in {issuer_by_code(parts[-1]), issuer_by_code(example.split("/")[-1].split("-")[0])}


@pytest.mark.parametrize("text,name", [("KẾ HOẠCH", "Kế hoạch"), ("Chi thị", "Chỉ thị"), ("nghi quyet", "Nghị quyết"),
                                       ("CHƯƠNG TRÌNH", "Chương trình"), ("ĐỀ ÁN", "Đề án")])
def test_type_by_name(text, name):
    assert doc_type_by_name(text).name == name


@pytest.mark.parametrize("code,name", [("KH", "Kế hoạch"), ("CTr", "Chương trình"), ("ND", "Nghị định"), ("QĐ", "Quyết định")])
def test_type_by_code(code, name):
    assert doc_type_by_code(code).name == name


@pytest.mark.parametrize("symbol,year,fallback,expected", [
    ("200/KH-UBND", 2021, "x", "200-kh-ubnd-2021"),
    ("91/2017/NĐ-CP", 2017, "x", "91-2017-nd-cp"),
    ("34-CT/TW", 2014, "x", "34-ct-tw-2014"),
    ("/KH-VP", 2024, "seeds/004_0bc12b19801fe739", "seeds-004-0bc12b19801fe739"),
    (None, None, "extra/06_2022_QH15", "extra-06-2022-qh15"),
])
def test_document_id(symbol, year, fallback, expected):
    from corpus.ids import document_id, is_valid_id
    assert document_id(symbol, year, fallback) == expected
    assert is_valid_id(expected)


@pytest.mark.parametrize("bad", ["../etc/passwd", "a/b", "", "A B", "x" * 200, "..", "%2e%2e"])
def test_invalid_ids(bad):
    from corpus.ids import is_valid_id
    assert not is_valid_id(bad)
