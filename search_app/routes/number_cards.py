"""The "Văn bản" cards of a search: the documents the numbers in a query name, in the corpus or
known only from the registry (the editors' registry.yaml and the national registry), each with its
status on the asked date and its links (its page, its chain, who cites it).

A number is matched as the citation extractor reads it (indexer/query.py: "98/2023/NĐ-CP",
"nđ 98/2023", "ct 19", "34-CT/TW"); a local number many provinces share ("12/KH-UBND") gives every
candidate, so the officer picks the right one.
"""
from __future__ import annotations

import re
from typing import Any

from corpus.vntext import fold
from indexer.kb import KnowledgeBase
from indexer.query import DocRef, ParsedQuery

from .. import urls
from .kbview import describe
from .present import compact_status, status_badge

# Cards shown for one query; more candidates are counted ("và N văn bản khác cùng số").
MAX_CARDS = 8


def _registry_ids(kb: KnowledgeBase, ref: DocRef) -> list[str]:
    """Registry entries a reference names: by its full symbol, else by type, number and year."""
    if ref.key:
        found = kb.registry.by_canonical(ref.text)
    else:
        number = ref.number.lstrip("0") or "0"
        index = kb.registry_by_number
        found = index.get(("code", fold(ref.type_code), number), []) if ref.type_code else \
            index.get(("type", fold(ref.type_name or ""), number), [])
        if ref.year:
            found = [e for e in found if e.year == ref.year]
    return [e.id for e in found]


def candidate_ids(kb: KnowledgeBase, pq: ParsedQuery | None, corpus_hits: list[str] = ()) -> list[str]:
    """The page ids of every document the query's numbers may name: the corpus's first (in the
    searcher's order), then the cited ones, then the registry's; each once."""
    if pq is None or not pq.doc_refs:
        return list(corpus_hits)
    searcher = kb.searcher
    ids: list[str] = list(corpus_hits)
    for ref in dict.fromkeys(pq.doc_refs):   # a pasted text repeats its numbers
        ids += searcher.resolve_refs([ref])
        ids += searcher.cited_keys([ref])
        ids += _registry_ids(kb, ref)
    out: list[str] = []
    meta = kb.corpus_meta
    for doc_id in ids:
        pid = kb.page_id(doc_id)
        if pid not in out and (pid in meta or kb.is_known(pid)):
            out.append(pid)
    # the corpus's documents in the searcher's order; then those the corpus cites, newest first;
    # then the registry's other documents with this number, newest first
    inside = [d for d in out if d in meta]
    outside = sorted((d for d in out if d not in meta),
                     key=lambda d: (not searcher.citing_documents(d), _newest_first(describe(kb, d).get("date"))))
    return inside + outside


def _newest_first(date: Any) -> str:
    """A sort key putting later ISO dates (or years) first, unknown dates last."""
    digits = re.sub(r"\D", "", str(date or ""))[:8].ljust(8, "0")
    return "".join(str(9 - int(c)) for c in digits) if digits.strip("0") else "~"


def number_label(info: dict[str, Any]) -> str:
    """"Kế hoạch 200/KH-UBND"; a document whose number is blank ("Số: /KH-VP") is "Kế hoạch không số"."""
    symbol = info.get("symbol") or info.get("canonical") or ""
    if symbol and not re.match(r"\s*\d", symbol) and not info.get("number"):
        return f"{info.get('doc_type') or 'Văn bản'} không số"
    return info.get("label") or symbol or info.get("id") or ""


def document_card(kb: KnowledgeBase, doc_id: str, day: Any = None) -> dict[str, Any]:
    """A card: label, status on ``day``, date, issuer, title, and the links to its page, its
    directive chain (when it has one) and the documents citing it."""
    info = describe(kb, doc_id)
    info["label"] = number_label(info)
    info["url"] = urls.doc(doc_id)
    status = kb.status_dict(doc_id)
    info["badge"] = status_badge(status, day)
    info["state"], info["status_label"] = info["badge"]["state"], info["badge"]["label"]
    info.pop("status", None)
    info["status"] = compact_status(status)
    info["chain_url"] = urls.chain(doc_id) if kb.graph.chain_pairs(doc_id) else None
    citing = kb.searcher.citing_documents(doc_id)
    info["citing_count"] = len(citing)
    info["cited_by_url"] = urls.cited_by(doc_id) if citing else None
    return info


def number_cards(kb: KnowledgeBase, pq: ParsedQuery | None, day: Any = None, corpus_hits: list[str] = ()) -> tuple[list[dict[str, Any]], int]:
    """The cards to show first (at most MAX_CARDS) and how many more candidates there are."""
    ids = candidate_ids(kb, pq, corpus_hits)
    return [document_card(kb, d, day) for d in ids[:MAX_CARDS]], max(0, len(ids) - MAX_CARDS)
