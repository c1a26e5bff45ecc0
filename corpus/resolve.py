"""Resolve every citation of the corpus against the registry and build the citation graph.

Steps:
0. laws newer than the registry that several corpus texts cite with the same name, number and
   date are learned (corpus.learn_laws), with the texts named;
1. documents the corpus cites with a number and a year but which the registry does not know are
   added as "cited" entries (what the corpus says about them is all we know), so later bare
   mentions ("Chỉ thị số 05-CT/TW") can resolve to them — or be seen to be ambiguous;
2. each citation gets its target, status (in_corpus / known / unknown / ambiguous / superseded) and
   note, in place;
2b. the corpus's own effect clauses ("Thông tư này … thay thế Thông tư số …") give statuses the
   registry's editor has not;
3. the graph: every corpus document, every cited document with each passage citing it, one edge
   per citation, plus the relations the registry records.
"""
from __future__ import annotations

import re

from .graph import CitationGraph
from .ids import document_id, slug
from .in_force import assign_statuses
from .learn_laws import learn_from_documents
from .models import Citation, Document
from .registry import Registry, RegistryEntry, _entry_from_yaml, key

# The trích yếu that follows a citation: "… của Bộ Chính trị về tiếp tục đổi mới …;"
_TITLE_AFTER = re.compile(r"[^\S\n]*,?[^\S\n]*((?:về|quy định|hướng dẫn|ban hành|phê duyệt|phát động)\b(?:[^;:\n*.]|\.(?!\s|$)){3,240})")


def _source_text(doc: Document, c: Citation) -> str | None:
    """The text the citation's offsets point into: its section's text, heading or a footnote."""
    return doc.citation_source(c)


def _passage(text: str, start: int, end: int) -> str:
    """The sentence around a citation, at most ~300 characters."""
    floor = max(0, start - 150)
    lo = max(text.rfind("\n", floor, start), text.rfind(". ", floor, start) + 1, floor)
    hi_candidates = [i for i in (text.find("\n", end), text.find(". ", end)) if i >= 0]
    hi = min(hi_candidates + [end + 150, len(text)])
    return " ".join(text[lo:hi].split())


def _title_after(text: str, end: int) -> str | None:
    m = _TITLE_AFTER.match(text, end)
    if not m:
        return None
    title = m.group(1)
    if len(title) >= 240:                       # cut off: end on a whole word
        title = title[:title.rfind(" ")]
    title = " ".join(title.split()).rstrip(" ,-–(")
    if title.count("“") > title.count("”"):    # cut inside a quoted name: drop the open quote's tail
        title = title[:title.rfind("“")].rstrip(" ,-–")
    return title or None


def _node_id(entry: RegistryEntry) -> str:
    return entry.corpus_doc_id or entry.id


def _issuer_with_province(issuer: str | None, province: str | None) -> str | None:
    """"UBND tỉnh" in a Lạng Sơn text is "UBND tỉnh Lạng Sơn": the registry keeps the full name."""
    if issuer and province and re.search(r"(?i)\b(tỉnh|thành phố|tỉnh uỷ|tỉnh ủy)$", issuer.strip()):
        return f"{issuer.strip()} {province}"
    return issuer


def add_cited_documents(docs: list[Document], registry: Registry) -> None:
    """Step 1: a "cited" registry entry for each numbered, dated document the registry lacks."""
    for doc in docs:
        for c in doc.citations:
            if c.short_form or not c.canonical or not c.year or not c.number:
                continue
            res = registry.lookup(c, province=doc.province, citing_year=doc.year)
            province = doc.province if Registry._is_local(c) else None
            if res.status != "unknown":
                if res.entry and res.entry.origin == "cited":      # complete what an earlier citation left out
                    if c.date and (not res.entry.date or len(res.entry.date) < 10):
                        res.entry.date = c.date
                    res.entry.issuer = res.entry.issuer or _issuer_with_province(c.issuer, province)
                continue
            new_id = document_id(c.canonical, c.year, c.canonical)
            other = registry.get(new_id)
            if other is not None:
                if not (province and other.province and other.province != province):
                    continue                          # the same document, narrowed out by a wrong date
                new_id = f"{new_id}-{slug(province)}"  # same number and year in another province
                if registry.get(new_id) is not None:
                    continue
            registry.add(RegistryEntry(id=new_id, doc_type=c.doc_type, number=c.number, canonical=c.canonical,
                                       date=c.date or (str(c.year) if c.year else None),
                                       issuer=_issuer_with_province(c.issuer, province),
                                       province=province, origin="cited", status={"state": "unknown"}))


# The citing document speaking of itself in the same sentence: "Thông tư này … thay thế …",
# "… hết hiệu lực kể từ ngày Luật này có hiệu lực". Only then is a replacement its own act.
_ITSELF = re.compile(r"(?i)\b(luật|nghị định|nghị quyết|quyết định|thông tư(?: liên tịch)?|chỉ thị|pháp lệnh|kế hoạch|quy định|quy chế) này\b")


def derive_statuses(docs: list[Document], registry: Registry) -> None:
    """Step 1b: what the corpus's own effect clauses say. A document that states it replaces or
    ends another ("Thông tư này … thay thế Thông tư số 08/2017/TT-BNV") makes that one superseded /
    expired, with the clause as source — unless the registry's editor already gave a status."""
    own_entry = {e.corpus_doc_id: e.id for e in registry.entries if e.corpus_doc_id}
    for doc in docs:
        for c in doc.citations:
            if c.short_form or c.relation not in ("replaces", "repeals"):
                continue
            text = _source_text(doc, c)
            sentence = _sentence(text, c.start, c.end) if text else ""
            if not _ITSELF.search(sentence):
                continue
            res = registry.lookup(c, province=doc.province, citing_year=doc.year)
            by = own_entry.get(doc.id, doc.id)
            e = res.entry
            if e is None or e.id == by or e.corpus_doc_id == doc.id or e.status.get("state") not in (None, "unknown"):
                continue
            where = " ".join(doc.section(c.section_id).breadcrumb) if c.section_id and doc.section(c.section_id) else ""
            e.status = {"state": "superseded" if c.relation == "replaces" else "expired", "by": [by],
                        "source": f"{where} {doc.doc_type or ''} {doc.symbol or doc.id}: {sentence[:240]}".strip(),
                        "derived": True}


def _sentence(text: str, start: int, end: int) -> str:
    """The whole sentence around a citation (to ". " or a line break on both sides, ≤ 400 chars each)."""
    floor = max(0, start - 400)
    dot = text.rfind(". ", floor, start)
    lo = max(text.rfind("\n", floor, start) + 1, dot + 2 if dot >= 0 else 0, floor)
    ceiling = min(len(text), end + 400)
    stops = [i for i in (text.find(". ", end, ceiling), text.find("\n", end, ceiling)) if i >= 0]
    return " ".join(text[lo:min(stops, default=ceiling)].split())


def learn_corpus_laws(docs: list[Document], registry: Registry) -> list[RegistryEntry]:
    """Step 0: laws the registry lacks that the corpus's own căn cứ lines agree on (name, number,
    date; corpus.learn_laws), each with the texts it came from."""
    known = {key(e.canonical) for e in registry.entries if e.canonical}
    added = []
    for row in learn_from_documents(docs, known):
        e = _entry_from_yaml(row)
        e.origin = "learned"
        added.append(registry.add(e))
    return added


def resolve_corpus(docs: list[Document], registry: Registry) -> CitationGraph:
    """Fill each citation's target/status/note in place and return the citation graph."""
    learn_corpus_laws(docs, registry)
    add_cited_documents(docs, registry)
    derive_statuses(docs, registry)
    graph = CitationGraph()
    for doc in docs:
        graph.add_node(doc.id, kind="corpus", in_corpus=True, doc_type=doc.doc_type, symbol=doc.symbol,
                       date=doc.date.iso() if doc.date else None, issuer=doc.issuer, title=doc.title,
                       province=doc.province, source_file=doc.source_file)
    for doc in docs:
        for c in doc.citations:
            _resolve_one(doc, c, registry)
    assign_statuses(docs, registry)
    by_node = {}
    for e in registry.entries:
        by_node.setdefault(_node_id(e), e)
    for doc in docs:
        graph.nodes[doc.id]["status"] = doc.status
        for c in doc.citations:
            _add_citation(graph, doc, c, by_node)
    _add_registry_relations(graph, registry)
    return graph


def _resolve_one(doc: Document, c: Citation, registry: Registry) -> None:
    res = registry.lookup(c, province=doc.province, citing_year=doc.year)
    # what extraction noted (a law's name matched tolerantly) stays beside the resolution's note
    c.status, c.note = res.status, "; ".join(dict.fromkeys(n for n in (res.note, c.note) if n)) or None
    c.target = _node_id(res.entry) if res.entry else None
    if c.target == doc.id:
        c.status, c.note = "in_corpus", "chính văn bản này"
    elif res.entry and res.entry.date and c.date and len(c.date) == len(res.entry.date) == 10 and c.date != res.entry.date:
        c.note = ((c.note + "; ") if c.note else "") + f"trích dẫn với ngày {c.date}, ngày trong danh mục {res.entry.date}"


def _entry_info(e: RegistryEntry) -> dict:
    return {"doc_type": e.doc_type, "canonical": e.canonical, "date": e.date, "issuer": e.issuer, "title": e.title,
            "status": e.status, "full_form": e.full_form(), "in_corpus": e.in_corpus, "registry_id": e.id}


def _add_citation(graph: CitationGraph, doc: Document, c: Citation, by_node: dict[str, RegistryEntry]) -> None:
    if c.target == doc.id:
        return                                   # "Kế hoạch này", or the document's own number
    text = _source_text(doc, c)
    passage = _passage(text, c.start, c.end) if text else c.text
    title = _title_after(text, c.end) if text else None
    edge = graph.add_edge(doc.id, c.target, c.relation or "mentions", section=c.section_id, text=c.text,
                          start=c.start, part=c.part, footnote=c.footnote,
                          canonical=c.canonical, date=c.date, issuer=c.issuer, pinpoint=c.pinpoint,
                          status=c.status, short_form=c.short_form, origin="citation")
    if not c.target:
        return
    entry = by_node.get(c.target)
    if entry is not None and entry.origin == "cited" and not entry.title and title:
        entry.title = title                      # the trích yếu as the citing text gives it
    node = graph.add_node(c.target, kind="corpus" if entry and entry.in_corpus else "cited",
                          **(_entry_info(entry) if entry else {}))
    if not node.get("title") and title:
        node["title"] = title
    node["cited_as"].append({"doc": doc.id, "section": c.section_id, "text": c.text, "date": c.date,
                             "issuer": c.issuer, "title": title, "relation": edge["relation"], "passage": passage})


def _add_registry_relations(graph: CitationGraph, registry: Registry) -> None:
    """Edges the registry records (19/CT-TTg implements 34-CT/TW), with both ends as nodes."""
    for e in registry.entries:
        for rel in e.relations:
            target = registry.get(rel["target"])
            if target is None:
                continue
            src, tgt = _node_id(e), _node_id(target)
            graph.add_node(src, kind="corpus" if e.in_corpus else "cited", **_entry_info(e))
            graph.add_node(tgt, kind="corpus" if target.in_corpus else "cited", **_entry_info(target))
            graph.add_edge(src, tgt, rel["relation"], origin="registry", source_note=rel.get("source"),
                           inferred=bool(rel.get("inferred")))
