"""What the pages need to know about a document id, asked of the knowledge base in one place.

A document id names either a corpus document (`kb.document(id)`) or a document the corpus only
cites (a registry entry and/or a graph node). Both get a page at the same URL; these helpers say
which it is and gather what is known, so routes stay short.
"""
from __future__ import annotations

from typing import Any

from corpus.graph import Edge
from indexer.kb import KnowledgeBase

from .present import display_date, doc_label


def corpus_meta(kb: KnowledgeBase) -> dict[str, dict[str, Any]]:
    """id → metadata row for every corpus document."""
    return kb.corpus_meta


def registry_entry(kb: KnowledgeBase, doc_id: str) -> dict[str, Any] | None:
    """The registry's entry for ``doc_id`` as the pages read it (RegistryEntry.to_dict, with its full form)."""
    entry = kb.registry_entry(doc_id)
    return entry.to_dict() if entry is not None else None


def graph_node(kb: KnowledgeBase, doc_id: str) -> dict[str, Any] | None:
    """The graph's node for `doc_id` (cited documents carry what the corpus says about them)."""
    node = kb.graph_node(doc_id)
    return dict(node) if node is not None else None


def describe(kb: KnowledgeBase, doc_id: str) -> dict[str, Any]:
    """Label, date, title and whether it is in the corpus, for a box, a list item or a link."""
    meta = kb.corpus_meta.get(doc_id)
    if meta is not None:
        info = dict(meta, in_corpus=True)
    else:
        info = dict(registry_entry(kb, doc_id) or graph_node(kb, doc_id) or {"id": doc_id}, in_corpus=False)
        info["id"] = doc_id
    info["label"] = doc_label(info) or doc_id
    info["date_display"] = display_date(info.get("date"))
    return info


def edge_ends(edge: Edge) -> tuple[str | None, str | None]:
    """(citing id, cited id) of a graph edge."""
    return edge.get("source"), edge.get("target")


def chain_edges(kb: KnowledgeBase, doc_id: str) -> list[tuple[str, str, str]]:
    """(lower, upper, relation) pairs of the directive chain through `doc_id`: lower implements upper."""
    return kb.graph.chain_pairs(doc_id)


def chain_layers(edges: list[tuple[str, str, str]], doc_id: str) -> list[list[str]]:
    """Layers top-down, ordered within each layer to keep arrows short.

    A document sits one layer below the highest thing it implements (the Politburo's directive on
    top, `doc_id`'s own plans and the units' plans further down). A document that implements
    nothing here is drawn just above the highest document implementing it, not on the top row, so
    its arrows stay short. Cycles (bad data) are cut rather than looped.
    """
    up: dict[str, list[str]] = {}
    down: dict[str, list[str]] = {}
    for lower, upper, _ in edges:
        up.setdefault(lower, []).append(upper)
        down.setdefault(upper, []).append(lower)
    nodes = sorted({doc_id} | {n for e in edges for n in e[:2]})
    depth: dict[str, int] = {}

    def level(n: str, visiting: frozenset = frozenset()) -> int:
        if n not in depth:
            parents = [p for p in up.get(n, []) if p not in visiting]
            depth[n] = 0 if not parents else 1 + max(level(p, visiting | {n}) for p in parents)
        return depth[n]

    for n in nodes:
        level(n)
    for n in nodes:  # sources sink to just above their highest child
        if not up.get(n) and down.get(n):
            depth[n] = max(depth[n], min(depth[c] for c in down[n]) - 1)
    rows: list[list[str]] = [[] for _ in range(max(depth.values(), default=0) + 1)]
    for n in nodes:
        rows[depth[n]].append(n)
    return _order_rows([r for r in rows if r], up, down)


def _order_rows(rows: list[list[str]], up: dict[str, list[str]], down: dict[str, list[str]]) -> list[list[str]]:
    """Barycentre ordering (one sweep down, one up): each node near the average position of its
    neighbours in the row it connects to, which removes most crossings in these small graphs."""
    def sweep(order: range, neighbours: dict[str, list[str]], ref_of) -> None:
        for i in order:
            ref = ref_of(i)
            if ref is None:
                continue
            pos = {n: k for k, n in enumerate(rows[ref])}
            def centre(n: str, k: int) -> float:
                linked = [pos[m] for m in neighbours.get(n, []) if m in pos]
                return sum(linked) / len(linked) if linked else k
            rows[i] = [n for _, n in sorted(((centre(n, k), k), n) for k, n in enumerate(rows[i]))]

    sweep(range(1, len(rows)), up, lambda i: i - 1)
    sweep(range(len(rows) - 2, -1, -1), down, lambda i: i + 1)
    return rows
