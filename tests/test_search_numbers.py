"""A document number typed in any spelling goes straight to the passages citing it, also when the
document itself is not in the corpus (Chỉ thị 34-CT/TW, Nghị định 98/2023/NĐ-CP are only cited)."""
import pytest

from indexer.kb import KnowledgeBase


@pytest.fixture(scope="module")
def searcher(mini_build_dir):
    return KnowledgeBase.open(mini_build_dir).searcher


@pytest.mark.parametrize("query,cited_id", [
    ("ct 34", "34-ct-tw-2014"),
    ("chỉ thị 34", "34-ct-tw-2014"),
    ("34-CT/TW", "34-ct-tw-2014"),
    ("34- CT/TW", "34-ct-tw-2014"),
    ("nghị định 98/2023", "98-2023-nd-cp"),
    ("nd 98/2023", "98-2023-nd-cp"),
    ("NĐ 98/2023/NĐ-CP", "98-2023-nd-cp"),
])
def test_a_cited_number_finds_the_passages_citing_it_first(searcher, query, cited_id):
    top = searcher.search(query, limit=3, mode="lexical").results
    assert top and cited_id in top[0].passage.cites, [(r.passage.id, r.passage.cites) for r in top]


def test_a_corpus_number_goes_to_the_document_first(searcher):
    top = searcher.search("kh 200", limit=1, mode="lexical").results[0]
    assert top.passage.doc_id == "200-kh-ubnd-2021" and top.passage.section_id == ""

