"""The citation graph over the parsed seeds: the chain of directives, who cites whom, and the
conflict the seeds contain (Chỉ thị 05-CT/TW dated 15/5/2016 in two texts, 15/5/2011 in a third)."""
import json

import pytest

from corpus.citations import extract_document_citations
from corpus.graph import CitationGraph
from corpus.parse import parse_file
from corpus.registry import Registry
from corpus.resolve import resolve_corpus
from corpus.sources import iter_sources


@pytest.fixture(scope="module")
def seeds():
    docs = []
    for source in iter_sources():
        if source.rel.startswith("seeds/"):
            docs += parse_file(source).documents
    for d in docs:
        d.citations = extract_document_citations(d)
    registry = Registry.load()
    registry.add_corpus_documents(docs)
    graph = resolve_corpus(docs, registry)
    return {d.id: d for d in docs}, registry, graph


def _pairs(edges):
    return {(e["source"], e["target"], e["relation"]) for e in edges}


def test_seed_000_holds_the_letter_and_the_plan(seeds):
    docs, _, _ = seeds
    assert {"1419-vks-vp-2021", "200-kh-ubnd-2021"} <= set(docs)


def test_chain_from_the_province_plan_up_to_the_politburo(seeds):
    _, _, graph = seeds
    chain = graph.chain("200-kh-ubnd-2021")
    up = {(e["source"], e["target"], e["relation"]): e["depth"] for e in chain["up"]}
    assert up[("200-kh-ubnd-2021", "19-ct-ttg-2021", "implements")] == 1      # "Thực hiện Chỉ thị số 19/CT-TTg …"
    assert up[("19-ct-ttg-2021", "34-ct-tw-2014", "implements")] == 2         # from the registry
    down = _pairs(chain["down"])
    assert ("1419-vks-vp-2021", "200-kh-ubnd-2021", "implements") in down     # "V/v triển khai Kế hoạch số 200/KH-UBND"


def test_chain_from_the_unit_letter_reaches_the_politburo(seeds):
    _, _, graph = seeds
    targets = {e["target"] for e in graph.chain("1419-vks-vp-2021")["up"]}
    assert {"200-kh-ubnd-2021", "19-ct-ttg-2021", "34-ct-tw-2014"} <= targets


def test_cited_by_groups_by_relation(seeds):
    _, _, graph = seeds
    by = graph.cited_by("34-ct-tw-2014")
    citing = {e["source"] for edges in by.values() for e in edges}
    assert {"200-kh-ubnd-2021", "1169-ctr-ubnd-2016"} <= citing
    assert all(e["relation"] == rel for rel, edges in by.items() for e in edges)
    implements = _pairs(graph.cited_by("19-ct-ttg-2021").get("implements", []))
    assert ("200-kh-ubnd-2021", "19-ct-ttg-2021", "implements") in implements


def test_cites_groups_by_relation_and_keeps_unresolved(seeds):
    docs, _, graph = seeds
    plan = graph.cites("200-kh-ubnd-2021")
    assert ("200-kh-ubnd-2021", "19-ct-ttg-2021", "implements") in _pairs(plan["implements"])
    # the bare "Chỉ thị số 05-CT/TW" in the plan could be the 2011 or the 2016 directive
    bare = [c for c in docs["200-kh-ubnd-2021"].citations if c.canonical == "05-CT/TW"]
    assert [c.status for c in bare] == ["ambiguous"] and bare[0].target is None
    assert "15/5/2011" in bare[0].note and "15/5/2016" in bare[0].note


def test_conflict_in_the_seeds_is_surfaced_with_both_sources(seeds):
    _, _, graph = seeds
    conflict = next(c for c in graph.conflicts() if c["canonical"] == "05-CT/TW")
    assert conflict["kind"] == "date"
    by_date = {v["date"]: {s["doc"] for s in v["sources"]} for v in conflict["variants"]}
    assert "1169-ctr-ubnd-2016" in by_date["2011-05-15"]
    assert len(by_date["2016-05-15"]) == 2


def test_cited_document_node_carries_what_the_corpus_says(seeds):
    _, _, graph = seeds
    node = graph.nodes["04-ct-ubnd-2020"]                # known only from the Lạng Sơn plan
    assert node["kind"] == "cited" and node["date"] == "2020-09-01"
    assert node["title"].startswith("phát động thi đua thực hiện thắng lợi nhiệm vụ phát triển kinh tế - xã hội")
    assert node["cited_as"][0]["doc"] == "200-kh-ubnd-2021"
    assert "Chỉ thị số 04/CT-UBND" in node["cited_as"][0]["passage"]
    assert node["full_form"].startswith("Chỉ thị số 04/CT-UBND ngày 01/9/2020 của Chủ tịch UBND tỉnh Lạng Sơn phát động thi đua")
    known = graph.nodes["34-ct-tw-2014"]
    assert known["full_form"].startswith("Chỉ thị số 34-CT/TW ngày 07/4/2014 của Bộ Chính trị")
    assert len({c["doc"] for c in known["cited_as"]}) >= 3


def test_superseded_citations_are_flagged(seeds):
    docs, _, _ = seeds
    laws = [c for c in docs["12-kh-ubnd-2013"].citations if c.doc_type == "Luật"]
    assert [c.canonical for c in laws] == ["15/2003/QH11", "47/2005/QH11", "15/2003/QH11"]
    assert all(c.status == "superseded" and c.note.startswith("đã bị thay thế bởi Luật 06/2022/QH15") for c in laws)


def test_graph_round_trips_through_json(seeds):
    _, _, graph = seeds
    again = CitationGraph.from_dict(json.loads(json.dumps(graph.to_dict(), ensure_ascii=False)))
    assert again.nodes == graph.nodes and again.edges == graph.edges
    assert again.chain("200-kh-ubnd-2021") == graph.chain("200-kh-ubnd-2021")


@pytest.mark.parametrize("issuers,clash", [
    (("UBND tỉnh Lạng Sơn", "Bộ Nội vụ"), True),
    (("Thủ tướng Chính phủ", "Chính phủ"), False),      # one naming contains the other
    (("Ban Thường vụ Tỉnh ủy", "Tỉnh uỷ"), False),       # tone placement differs
    (("Bộ trưởng Bộ Nội vụ", "Bộ Nội vụ"), False),
])
def test_issuer_conflicts(issuers, clash):
    g = CitationGraph()
    for i, issuer in enumerate(issuers):
        g.add_edge(f"doc-{i}", None, "mentions", canonical="12/KH-UBND", issuer=issuer, text=f"Kế hoạch số 12/KH-UBND của {issuer}")
    found = g.conflicts()
    assert bool(found) == clash
    if clash:
        assert found[0]["kind"] == "issuer" and {v["issuer"] for v in found[0]["variants"]} == set(issuers)
