"""What the pages need to know about a document id, asked of the knowledge base in one place.

A document id names either a corpus document (`kb.document(id)`) or a document the corpus only
cites (a registry entry and/or a graph node). Both get a page at the same URL; these helpers say
which it is and gather what is known, so routes stay short.
"""
from __future__ import annotations

from typing import Any

from .present import display_date, doc_label, field, plain


def corpus_meta(kb: Any) -> dict[str, dict[str, Any]]:
    """id → metadata row for every corpus document (cached on the kb object)."""
    cached = getattr(kb, "_site_meta_cache", None)
    if cached is None:
        cached = {m["id"]: m for m in (plain(x) for x in kb.documents_meta())}
        try:
            kb._site_meta_cache = cached
        except AttributeError:
            pass
    return cached


def registry_entry(kb: Any, doc_id: str) -> dict[str, Any] | None:
    registry = getattr(kb, "registry", None)
    find = getattr(registry, "entry", None) or getattr(registry, "get", None)
    if find is None:
        return None
    try:
        entry = find(doc_id)
    except (KeyError, LookupError):
        return None
    return plain(entry) if entry is not None else None


def graph_node(kb: Any, doc_id: str) -> dict[str, Any] | None:
    """The graph's node for `doc_id` (cited documents carry what the corpus says about them)."""
    graph = getattr(kb, "graph", None)
    nodes = field(graph, "nodes")
    if nodes is None:
        return None
    if isinstance(nodes, dict):
        node = nodes.get(doc_id)
    else:
        node = next((n for n in nodes if field(n, "id") == doc_id), None)
    return plain(node) if node is not None else None


def page_id(kb: Any, doc_id: str) -> str:
    """The id whose page shows `doc_id`: the corpus copy when the registry knows one under another id."""
    if doc_id in corpus_meta(kb):
        return doc_id
    corpus_id = (registry_entry(kb, doc_id) or {}).get("corpus_doc_id")
    return corpus_id if corpus_id and corpus_id in corpus_meta(kb) else doc_id


def describe(kb: Any, doc_id: str) -> dict[str, Any]:
    """Label, date, title and whether it is in the corpus, for a box, a list item or a link."""
    meta = corpus_meta(kb).get(doc_id)
    if meta is not None:
        info = dict(meta, in_corpus=True)
    else:
        info = dict(registry_entry(kb, doc_id) or graph_node(kb, doc_id) or {"id": doc_id}, in_corpus=False)
        info["id"] = doc_id
    info["label"] = doc_label(info) or doc_id
    info["date_display"] = display_date(info.get("date"))
    return info


def doc_status(kb: Any, doc_id: str | None) -> dict[str, Any]:
    """The status dict of a corpus document (its JSON's ``status``) or, for a document the corpus
    only cites, of its registry entry; {} when nothing is known. Kept per id on the kb object, so a
    page of results does not read every document again."""
    if not doc_id:
        return {}
    cache = getattr(kb, "_site_status_cache", None)
    if cache is None:
        cache = {}
        try:
            kb._site_status_cache = cache
        except AttributeError:
            pass
    if doc_id not in cache:
        status: Any = None
        doc = kb.document(doc_id) if doc_id in corpus_meta(kb) and hasattr(kb, "document") else None
        if doc is not None:
            status = getattr(doc, "status", None)
        if not status:
            status = (registry_entry(kb, doc_id) or {}).get("status")
        if isinstance(status, str):
            status = {"state": status}
        cache[doc_id] = plain(status) if isinstance(status, dict) else {}
    return cache[doc_id]


def known_id(kb: Any, doc_id: str) -> bool:
    """Is there anything to show for this id: a corpus document, a registry entry or a graph node?"""
    return doc_id in corpus_meta(kb) or registry_entry(kb, doc_id) is not None or graph_node(kb, doc_id) is not None


def edge_ends(edge: dict[str, Any]) -> tuple[str | None, str | None]:
    """(citing id, cited id) of a graph edge, whatever the edge calls them."""
    src = edge.get("source") or edge.get("source_doc") or edge.get("from") or edge.get("doc_id")
    tgt = edge.get("target") or edge.get("to") or edge.get("target_id")
    return src, tgt


def chain_edges(kb: Any, doc_id: str) -> list[tuple[str, str, str]]:
    """(lower, upper, relation) pairs of the directive chain through `doc_id`: lower implements upper."""
    graph = getattr(kb, "graph", None)
    if graph is None or not hasattr(graph, "chain"):
        return []
    found: list[tuple[str, str, str]] = []

    def walk(obj: Any) -> None:
        obj = plain(obj)
        if isinstance(obj, dict):
            src, tgt = edge_ends(obj)
            if src and tgt and isinstance(src, str) and isinstance(tgt, str):
                found.append((src, tgt, obj.get("relation") or "implements"))
                return
            for v in obj.values():
                walk(v)
        elif isinstance(obj, list):
            if len(obj) in (2, 3) and all(isinstance(x, str) for x in obj):
                found.append((obj[0], obj[1], obj[2] if len(obj) == 3 else "implements"))
                return
            for v in obj:
                walk(v)

    walk(graph.chain(doc_id))
    seen, out = set(), []
    for e in found:
        if e[:2] not in seen and e[0] != e[1]:
            seen.add(e[:2])
            out.append(e)
    return out


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
