"""The citation graph: corpus documents and the documents they cite, linked by what the wording
says one does to the other (basis, implements, amends, replaces, repeals, guides, attached_to,
mentions).

Nodes are plain dicts keyed by document id; edges are plain dicts, one per citation (plus the
relations the registry records between known documents, ``origin: "registry"``). Everything is
JSON as it stands, so ``to_dict``/``from_dict`` are trivial and graph.json is readable.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, TypedDict

from .vntext import fold
from .vocab import issuers

# Relations that make a chain of directives: a unit's plan implements the province's plan, which
# implements the Prime Minister's directive, which implements the Politburo's.
CHAIN_RELATIONS = {"implements"}


class Edge(TypedDict, total=False):
    """One edge of graph.json: a citation (``origin: "citation"``, where it sits and what it says)
    or a relation the registry records between known documents (``origin: "registry"``)."""
    source: str              # the citing document's id
    target: str | None       # the cited document's id (None: unresolved)
    relation: str            # basis · implements · guides · amends · replaces · repeals · attached_to · forwards · mentions
    origin: str              # citation · registry
    section: str | None      # the citing section's id
    text: str                # the citation's words
    start: int
    part: str
    footnote: str | None
    canonical: str | None
    date: str | None
    issuer: str | None
    pinpoint: str | None
    status: str | None
    short_form: bool
    depth: int               # chain(): 1 = direct
    source_note: str | None
    inferred: bool


class Node(TypedDict, total=False):
    """One node of graph.json: a corpus document or a document the corpus only cites."""
    id: str
    kind: str                # corpus · cited
    in_corpus: bool
    doc_type: str | None
    symbol: str | None
    canonical: str | None
    date: str | None
    issuer: str | None
    title: str | None
    province: str | None
    cited_as: list[str]


def _issuer_codes(issuer: str | None) -> set[str]:
    """Issuer codes a written issuer names ("Bộ Chính trị" → {"TW"}); empty when unrecognised."""
    if not issuer:
        return set()
    f = f" {' '.join(fold(issuer).split())} "
    out = set()
    for i in issuers():
        for name in (i.name, *i.aliases):
            n = " ".join(fold(name).split())
            if len(n) > 3 and f" {n} " in f:
                out.add(i.code)
    return out


@dataclass
class CitationGraph:
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)

    # --- building -----------------------------------------------------------------------------
    def add_node(self, node_id: str, **info: Any) -> Node:
        """Create or enrich a node (values already set are kept)."""
        node = self.nodes.setdefault(node_id, {"id": node_id, "cited_as": []})
        for k, v in info.items():
            if v not in (None, "", []) and node.get(k) in (None, "", []):
                node[k] = v
        return node

    def add_edge(self, source: str, target: str | None, relation: str, **info: Any) -> Edge:
        edge: Edge = {"source": source, "target": target, "relation": relation} | info
        self.edges.append(edge)
        return edge

    # --- queries ------------------------------------------------------------------------------
    def _index(self, end: str) -> dict[str, list[Edge]]:
        """Edges by their source or target id, rebuilt when edges were added since."""
        cache = self.__dict__.setdefault("_indexes", {})
        hit = cache.get(end)
        if hit is None or hit[0] != len(self.edges):
            idx: dict[str, list[Edge]] = defaultdict(list)
            for e in self.edges:
                idx[e[end]].append(e)
            hit = cache[end] = (len(self.edges), idx)
        return hit[1]

    @staticmethod
    def _by_relation(edges: list[Edge]) -> dict[str, list[Edge]]:
        out: dict[str, list[Edge]] = defaultdict(list)
        for e in edges:
            out[e["relation"]].append(e)
        return dict(out)

    def cites(self, doc_id: str) -> dict[str, list[Edge]]:
        """What ``doc_id`` cites, grouped by relation (unresolved citations have target None)."""
        return self._by_relation(self._index("source").get(doc_id, []))

    def cited_by(self, doc_id: str) -> dict[str, list[Edge]]:
        """Who cites ``doc_id``, grouped by relation."""
        return self._by_relation(self._index("target").get(doc_id, []))

    def chain(self, doc_id: str) -> dict[str, list[Edge]]:
        """The chain of directives through ``doc_id``: ``up`` = what it implements, recursively (to
        the Politburo's directive); ``down`` = what implements it, recursively. One edge per
        (source, target) pair, each with its relation and depth (1 = direct)."""
        return {"up": self._walk(doc_id, "source", "target"), "down": self._walk(doc_id, "target", "source")}

    def _walk(self, start: str, near: str, far: str) -> list[Edge]:
        index = self._index(near)
        out: list[Edge]
        out, seen_pairs, frontier, seen_nodes, depth = [], set(), [start], {start}, 0
        while frontier:
            depth += 1
            nxt = []
            for n in frontier:
                for e in index.get(n, []):
                    if (e["relation"] not in CHAIN_RELATIONS or not e["target"] or e["source"] == e["target"]
                            or (e["source"], e["target"]) in seen_pairs):
                        continue
                    seen_pairs.add((e["source"], e["target"]))
                    out.append({"source": e["source"], "target": e["target"], "relation": e["relation"],
                                "depth": depth, "origin": e.get("origin", "citation"), "text": e.get("text")})
                    if e[far] not in seen_nodes:
                        seen_nodes.add(e[far])
                        nxt.append(e[far])
            frontier = nxt
        return out

    def chain_pairs(self, doc_id: str) -> list[tuple[str, str, str]]:
        """(lower, upper, relation) of every edge of the chain through ``doc_id`` (lower implements
        upper), each pair once, no document implementing itself."""
        chain = self.chain(doc_id)
        out: dict[tuple[str, str], str] = {}
        for e in chain["up"] + chain["down"]:
            if e["target"] and e["source"] != e["target"]:
                out.setdefault((e["source"], e["target"]), e["relation"])
        return [(lower, upper, relation) for (lower, upper), relation in out.items()]

    def conflicts(self) -> list[dict[str, Any]]:
        """Numbers cited with different dates (or by issuers that cannot be the same body): either
        two documents share a number or a text got the date wrong; both sources are shown."""
        by_number: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for e in self.edges:
            if e.get("origin", "citation") == "citation" and e.get("canonical") and not e.get("short_form"):
                by_number[" ".join(fold(e["canonical"]).split())].append(e)
        out = []
        for _, edges in sorted(by_number.items()):
            dates = {e["date"] for e in edges if e.get("date") and len(e["date"]) == 10}
            codes = [c for c in (_issuer_codes(e.get("issuer")) for e in edges) if c]
            issuer_clash = any(not (a & b) for i, a in enumerate(codes) for b in codes[i + 1:])
            if len(dates) < 2 and not issuer_clash:
                continue
            kind = "date" if len(dates) >= 2 else "issuer"
            variants: dict[tuple, dict[str, Any]] = {}
            for e in edges:
                if (kind == "date" and not (e.get("date") and len(e["date"]) == 10)) or (kind == "issuer" and not e.get("issuer")):
                    continue                      # a variant that does not take part in the clash
                k = (e.get("date"), frozenset(_issuer_codes(e.get("issuer"))))
                v = variants.setdefault(k, {"date": e.get("date"), "issuer": e.get("issuer"), "target": e.get("target"), "sources": []})
                v["sources"].append({"doc": e["source"], "section": e.get("section"), "text": e.get("text")})
            out.append({"canonical": edges[0]["canonical"], "kind": kind,
                        "variants": sorted(variants.values(), key=lambda v: v["date"] or "")})
        return out

    # --- JSON ---------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {"nodes": self.nodes, "edges": self.edges}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "CitationGraph":
        nodes = data.get("nodes") or {}
        if isinstance(nodes, list):
            nodes = {n["id"]: n for n in nodes}
        return cls(nodes=dict(nodes), edges=list(data.get("edges") or []))
