"""Document pages: /doc/{id} (a corpus document, or a document the corpus only cites) and
/doc/{id}/chain (the directive chain drawn as SVG). The view functions also feed the JSON API."""
from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from corpus.graph import Edge
from corpus.ids import is_valid_id
from corpus.models import Document
from corpus.sectors import sector_of_symbol
from corpus.status import Status
from indexer.kb import KnowledgeBase

from .. import urls
from ..deps import KB, DocId, Templates
from .api_models import PAGE_301, PAGE_404, PAGE_503
from .chain_svg import chain_svg
from .doc_html import render_document
from .kbview import chain_layers, describe, edge_ends, graph_node, registry_entry
from .present import RELATION_LABEL, SCHEMA_RELATIONS, display_date, doc_meta, relation_groups, status_badge

router = APIRouter()

# A corpus document's downloads: format → (media type, the link's label), in the page's order.
DOWNLOADS = {"txt": ("text/plain; charset=utf-8", "Văn bản (.txt)"),
             "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word (.docx)")}

EXCERPT_CHARS = 160


def not_found(doc_id: str) -> HTTPException:
    return HTTPException(404, f"Không có văn bản với mã “{doc_id}” trong kho hoặc trong danh mục văn bản được trích dẫn.")


def edge_item(kb: KnowledgeBase, e: Edge, other_end: str) -> dict[str, Any]:
    """A graph edge as a list item: the document at the other end, and where the citation sits."""
    src, tgt = edge_ends(e)
    other = tgt if other_end == "target" else src
    other = kb.page_id(other) if other else other
    section = edge_section(e)
    info = describe(kb, other) if other else {"label": e.get("text") or "?", "in_corpus": False}
    return {"id": other, "label": info.get("label"), "title": info.get("title"), "date": info.get("date_display"),
            "in_corpus": info.get("in_corpus"), "url": urls.doc(other) if other else None,
            "text": e.get("text") or "", "section_id": section,
            "source": src, "source_url": urls.doc(src, section) if src else None}


def edge_section(e: Edge) -> str | None:
    """The citing section of a graph edge."""
    return e.get("section")


def relation_panel(kb: KnowledgeBase, grouped: dict[str, list[Edge]], other_end: str) -> list[dict[str, Any]]:
    """Panel groups with duplicate citations of the same document in one group folded together."""
    groups = relation_groups(grouped)
    for g in groups:
        seen: dict[str, dict] = {}
        for raw in g["items"]:
            item = edge_item(kb, raw, other_end)
            key = item["id"] or item["text"]
            if key in seen:
                seen[key]["count"] += 1
            else:
                seen[key] = dict(item, count=1)
        g["items"] = list(seen.values())
    return groups


def doc_links(kb: KnowledgeBase, doc: Document) -> list[dict[str, Any]]:
    """Links between attached documents (a cover letter forwarding a plan, an annex to its decision)."""
    labels = {"forwards": "Chuyển kèm văn bản", "attached_to": "Kèm theo văn bản", "attachment": "Văn bản kèm theo"}
    out = []
    for link in doc.links or []:
        target = link.get("target")
        if target:
            info = describe(kb, target)
            out.append({"relation": labels.get(link.get("relation"), RELATION_LABEL.get(link.get("relation"), link.get("relation"))),
                        "url": urls.doc(target), "label": info["label"], "title": info.get("title"), "id": target})
    return out


def doc_ref(kb: KnowledgeBase, doc_id: str) -> dict[str, Any]:
    """A document named by a status (what replaced or amended a text): its label, its page — the
    corpus page, else the cited-document page when the registry or the graph knows it, else no
    link — and its own badge."""
    target = kb.page_id(doc_id)
    info = describe(kb, target)
    return {"id": target, "label": info["label"], "title": info.get("title"), "date": info.get("date_display"),
            "in_corpus": info.get("in_corpus"), "url": urls.doc(target) if kb.is_known(target) else None,
            "badge": status_badge(kb.status_dict(target))}


def current_replacement(kb: KnowledgeBase, doc_id: str, limit: int = 6) -> dict[str, Any] | None:
    """Following "replaced by" until a text not ended today: the text in force now, when the one
    that replaced ``doc_id`` has itself been replaced (91/2017 → 98/2023 → 152/2025)."""
    seen, current = {doc_id}, doc_id
    for _ in range(limit):
        nxt = next((r for r in Status.from_dict(kb.status_dict(current)).replaced_by if r not in seen), None)
        if nxt is None:
            break
        seen.add(nxt)
        current = kb.page_id(nxt)
        seen.add(current)
        if not status_badge(kb.status_dict(current))["ended"]:
            break
    return doc_ref(kb, current) if current != doc_id else None


def status_view(kb: KnowledgeBase, doc_id: str, status: dict[str, Any] | None) -> dict[str, Any]:
    """What a document page (corpus or cited) says about the text's legal status: the badge (state
    today), the dates, the clause that says so, what replaced or amended it and, article by article,
    where each old article went."""
    st = Status.from_dict(status or {})
    badge = status_badge(st)
    replaced = [doc_ref(kb, r) for r in st.replaced_by]
    now = current_replacement(kb, doc_id) if replaced else None
    if now is not None and any(r["id"] == now["id"] for r in replaced):
        now = None
    provisions = []
    for pr in st.provisions:
        by = pr.get("by")
        target = kb.page_id(by) if by else None
        in_corpus = bool(target and kb.document(target) is not None)
        heading = (pr.get("by_heading") or "").strip()
        by_label = pr.get("by_label") or pr.get("by_section") or ""
        provisions.append({
            "label": pr.get("label") or pr.get("section"), "url": urls.doc(doc_id, pr.get("section")) if pr.get("section") else None,
            "by": target, "by_doc": describe(kb, target)["label"] if target else None,
            "by_text": f"{by_label}. {heading}" if heading else by_label,
            "by_url": (urls.doc(target, pr.get("by_section")) if in_corpus else urls.doc(target)) if target else None})
    panel = bool(replaced or badge["ended"] or provisions or st.amended_by or badge["state"] == "not_yet_in_force")
    return {"badge": badge, "state": badge["state"], "label": badge["label"], "ended": badge["ended"], "panel": panel,
            "effective": st.effective, "effective_display": display_date(st.effective),
            "end": st.ended, "end_display": display_date(st.ended), "source": st.source, "inferred": st.inferred,
            "note": st.note, "replaced_by": replaced, "current": now,
            "amended_by": [doc_ref(kb, a) for a in st.amended_by], "provisions": provisions,
            "provision_docs": sorted({p["by_doc"] for p in provisions if p["by_doc"]})}


def document_view(kb: KnowledgeBase, doc: Document, with_html: bool = True) -> dict[str, Any]:
    view = {"id": doc.id, "meta": doc_meta(doc), "doc": doc, "links": doc_links(kb, doc),
            "status": status_view(kb, doc.id, doc.status),
            "cites": relation_panel(kb, kb.graph.cites(doc.id), "target"),
            "cited_by": relation_panel(kb, kb.graph.cited_by(doc.id), "source"),
            "has_chain": bool(kb.graph.chain_pairs(doc.id)), "warnings": doc.warnings}
    if with_html:
        view["body"], view["toc"] = render_document(doc, kb)
        view["full_form"] = citation_form(kb, doc)
        view["attributes"] = attributes(doc, view["status"], view["meta"])
        view["schema"] = schema_rows(view["cites"], view["cited_by"], view["status"])
        view["related"] = related_documents(kb, doc.id, view["links"])
        view["downloads"] = [(fmt, label, urls.doc_download(doc.id, fmt)) for fmt, (_, label) in DOWNLOADS.items()]
    return view


def citation_form(kb: KnowledgeBase, doc: Document) -> str:
    """The document's full citation form (Nghị định 30/2020/NĐ-CP: type, number, date, issuer,
    title), from the registry when it knows the document, else from the document's own header."""
    entry = kb.registry_entry(doc.id)
    form = entry.full_form() if entry is not None else None
    if form:
        return form
    return full_form({"doc_type": doc.doc_type, "canonical": doc.symbol, "date": str(doc.date) if doc.date else None,
                      "issuer": doc.issuer, "title": doc.title})


NOT_KNOWN = "Chưa có thông tin"


def sector_label(doc: Document) -> str:
    """"Thi đua, khen thưởng", with the issuing ministry's sector when its symbol names one."""
    sector = sector_of_symbol(doc.symbol)
    return "Thi đua, khen thưởng" + (f" · ngành {sector.name}" if sector else "")


def attributes(doc: Document, sv: dict[str, Any], meta: dict[str, Any]) -> list[tuple[str, str]]:
    """Every attribute of the "Thuộc tính" tab, in the portals' order; a missing one says so."""
    prov = meta.get("provenance") or {}
    source = prov.get("description_vi") or (f"Kho mã nguồn {prov['repository']}" + (f", tệp {prov['path']}" if prov.get("path") else "")
                                            if prov.get("repository") else "")
    rows = [
        ("Số hiệu", doc.symbol or "(chưa ghi số)"),
        ("Loại văn bản", doc.doc_type),
        ("Cơ quan ban hành", doc.issuer),
        ("Người ký", " – ".join(x for x in (doc.signer_capacity, doc.signer) if x)),
        ("Ngày ban hành", display_date(doc.date)),
        ("Ngày hiệu lực", sv.get("effective_display")),
        ("Ngày hết hiệu lực", sv.get("end_display")),
        ("Tình trạng", sv.get("label")),
        ("Lĩnh vực", sector_label(doc)),
        ("Tỉnh/thành", doc.province),
        ("Trích yếu", doc.title),
        ("Nguồn", source or ("Bộ pháp điển" if doc.codified else "Kho văn bản của trang")),
    ]
    return [(k, v or NOT_KNOWN) for k, v in rows]


def schema_rows(cites: list[dict[str, Any]], cited_by: list[dict[str, Any]], sv: dict[str, Any]) -> list[dict[str, Any]]:
    """The "Lược đồ" tab: every typed relation in both directions, from the citation graph and the
    status (what replaced or amended the text), each row a relation with the documents at its end."""
    out_by = {g["relation"]: g["items"] for g in cites}
    in_by = {g["relation"]: g["items"] for g in cited_by}
    status_in = {"replaces": sv.get("replaced_by") or [], "amends": sv.get("amended_by") or []}
    rows = []
    for relation, out_label, in_label in SCHEMA_RELATIONS:
        rows.append({"relation": relation, "direction": "out", "label": out_label, "items": out_by.get(relation, [])})
        incoming = list(in_by.get(relation, []))
        ids = {i.get("id") for i in incoming}
        incoming += [r for r in status_in.get(relation, []) if r.get("id") not in ids]
        rows.append({"relation": relation, "direction": "in", "label": in_label, "items": incoming})
    known = {r for r, _, _ in SCHEMA_RELATIONS}
    for g in cites:
        if g["relation"] not in known:
            rows.append({"relation": g["relation"], "direction": "out", "label": g["label"], "items": g["items"]})
    return rows


def related_documents(kb: KnowledgeBase, doc_id: str, links: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The "Văn bản liên quan" tab beside the attached and forwarded documents (``links``): the other
    documents of its directive chain (what it implements, what implements it)."""
    out: list[dict[str, Any]] = []
    seen = {doc_id} | {link["id"] for link in links}
    for lower, upper, relation in kb.graph.chain_pairs(doc_id):
        for other in (lower, upper):
            other = kb.page_id(other)
            if other in seen:
                continue
            seen.add(other)
            info = describe(kb, other)
            out.append({"id": other, "url": urls.doc(other), "label": info["label"], "title": info.get("title"),
                        "date": info.get("date_display")})
    return out


SECTION_KIND_LABEL = {"preamble": "Phần mở đầu", "closing": "Phần cuối", "body": "Nội dung"}


def section_label(kb: KnowledgeBase, doc_id: str | None, section_id: str | None) -> str:
    """"Chương II › Điều 5", "II. › 1.", "Phần mở đầu": how an officer names a place in a text."""
    doc = kb.document(doc_id) if doc_id else None
    section = doc.section(section_id) if doc and section_id else None
    if section is None:
        return section_id or "văn bản"
    if section.kind in SECTION_KIND_LABEL and not section.label:
        return SECTION_KIND_LABEL[section.kind]
    return " › ".join(b for b in section.breadcrumb if b) or section.label or section.id


def _excerpt(kb: KnowledgeBase, src: str, edge: dict[str, Any], cited_id: str) -> dict[str, str] | None:
    """The words around the edge's own citation in the citing text: before, the citation, after.
    Two citations of one document in a section (its heading and its text) each show their own."""
    doc = kb.document(src) if src else None
    section_id = edge_section(edge)
    if doc is None or section_id is None or doc.section(section_id) is None:
        return None
    same = [c for c in doc.citations if c.section_id == section_id and c.target == cited_id]
    cit = next((c for c in same if c.start == edge.get("start") and c.part == edge.get("part", "text")
                and c.footnote == edge.get("footnote") and c.text == edge.get("text")), None)
    if cit is None:   # a graph without offsets: the first citation with the edge's words
        cit = next((c for c in same if c.text == edge.get("text")), None)
    text = doc.citation_source(cit) if cit else None
    if text is None:
        return {"before": doc.section(section_id).text[:EXCERPT_CHARS * 2], "hit": "", "after": ""}
    before = text[max(0, cit.start - EXCERPT_CHARS):cit.start]
    after = text[cit.end:cit.end + EXCERPT_CHARS]
    return {"before": ("…" if cit.start > EXCERPT_CHARS else "") + before, "hit": text[cit.start:cit.end],
            "after": after + ("…" if cit.end + EXCERPT_CHARS < len(text) else "")}


def _conflicts_about(kb: KnowledgeBase, doc_id: str) -> list[dict[str, Any]]:
    """Conflicts (same number cited with different dates/issuers) involving `doc_id`, with each
    variant's citing passages linked."""
    out = []
    for c in kb.graph.conflicts():
        variants = c.get("variants") or []
        if not any(v.get("target") == doc_id for v in variants):
            continue
        for v in variants:
            v["date_display"] = display_date(v.get("date"))
            v["sources"] = [dict(src, url=urls.doc(src["doc"], src.get("section")), label=describe(kb, src["doc"])["label"])
                            for src in v.get("sources") or [] if src.get("doc")]
        out.append(c)
    return out


def cited_view(kb: KnowledgeBase, doc_id: str) -> dict[str, Any]:
    """A document outside the corpus: what the registry and every citing passage say about it."""
    entry = registry_entry(kb, doc_id) or {}
    node = graph_node(kb, doc_id) or {}
    info = describe(kb, doc_id)
    status = entry.get("status") or {}
    if isinstance(status, str):
        status = {"state": status}
    sv = status_view(kb, doc_id, status) if status else None
    passages: dict[str, dict[str, Any]] = {}
    for group in relation_groups(kb.graph.cited_by(doc_id)):
        for raw in group["items"]:
            src, _ = edge_ends(raw)
            section = edge_section(raw)
            d = passages.setdefault(src, {"doc": describe(kb, src), "url": urls.doc(src), "items": []})
            d["items"].append({"relation": group["label"], "text": raw.get("text") or "", "section_id": section,
                               "section_label": section_label(kb, src, section),
                               "url": urls.doc(src, section), "excerpt": _excerpt(kb, src, raw, doc_id)})
    return {"id": doc_id, "info": info, "entry": entry, "node": node,
            "status": {**status, "label": Status.from_dict(status).label} if sv else None,
            "status_view": sv, "badge": sv["badge"] if sv else status_badge({}), "state": sv["state"] if sv else "unknown",
            "status_label": sv["label"] if sv else status_badge({})["label"],
            "superseded_by": sv["replaced_by"] if sv else [],
            "full_form": full_form(info | entry) if (entry or node) else None,
            "citing": list(passages.values()), "conflicts": _conflicts_about(kb, doc_id),
            "cites": relation_panel(kb, kb.graph.cites(doc_id), "target"),
            "has_chain": bool(kb.graph.chain_pairs(doc_id))}


def full_form(e: dict[str, Any]) -> str:
    """"Chỉ thị số 34-CT/TW ngày 07/4/2014 của Bộ Chính trị về tiếp tục đổi mới …" from what is known."""
    if e.get("full_form") or e.get("full_citation"):
        return e.get("full_form") or e.get("full_citation")
    parts = [e.get("doc_type") or ""]
    if e.get("canonical") or e.get("symbol"):
        parts.append(f"số {e.get('canonical') or e.get('symbol')}")
    if e.get("date"):
        parts.append(f"ngày {display_date(e['date'])}")
    if e.get("issuer"):
        parts.append(f"của {e['issuer']}")
    title = (e.get("title") or "").strip()
    if title:
        parts.append(title if title.lower().startswith(("về ", "v/v")) else f"về {title[0].lower()}{title[1:]}")
    return " ".join(p for p in parts if p)


def chain_view(kb: KnowledgeBase, doc_id: str) -> dict[str, Any]:
    edges = kb.graph.chain_pairs(doc_id)
    layers = chain_layers(edges, doc_id)
    nodes = {n: describe(kb, n) | {"url": urls.doc(kb.page_id(n))} for layer in layers for n in layer}
    return {"id": doc_id, "info": nodes[doc_id], "layers": [[nodes[n] for n in layer] for layer in layers],
            "edges": [{"from": a, "to": b, "relation": r, "label": RELATION_LABEL.get(r, r),
                       "from_label": nodes[a]["label"], "to_label": nodes[b]["label"]} for a, b, r in edges],
            "svg": chain_svg(layers, edges, nodes, focus=doc_id)}


@router.get("/doc/{doc_id}.{fmt}", summary="Tải văn bản về (.txt hoặc .docx)", responses={**PAGE_404, **PAGE_503},
            response_class=Response)
def document_download(doc_id: DocId, fmt: str, kb: KB):
    from . import doc_export   # python-docx (~170 ms to import): only for a download

    doc = kb.document(doc_id)
    if fmt not in DOWNLOADS or doc is None:
        raise HTTPException(404, f"Không tải được “{doc_id}.{fmt[:20]}”: chỉ tải được văn bản có trong kho, "
                                 "dạng .txt hoặc .docx.")
    media, _ = DOWNLOADS[fmt]
    body = doc_export.to_txt(doc) if fmt == "txt" else doc_export.to_docx(doc)
    name = doc_export.download_name(doc, fmt)
    return Response(body, media_type=media,
                    headers={"Content-Disposition": f"attachment; filename=\"{name}\"; filename*=UTF-8''{quote(name)}"})


@router.get("/doc/{doc_id}", response_class=HTMLResponse, summary="Trang văn bản",
            responses={**PAGE_301, **PAGE_404, **PAGE_503})
def document_page(request: Request, doc_id: str, kb: KB, templates: Templates):
    doc = kb.document(doc_id) if is_valid_id(doc_id) else None
    if doc is not None:
        return templates.TemplateResponse(request, "document.html", {"view": document_view(kb, doc)})
    if is_valid_id(doc_id) and kb.page_id(doc_id) != doc_id:  # the registry's id of a corpus document
        return RedirectResponse(urls.doc(kb.page_id(doc_id)), status_code=301)
    if is_valid_id(doc_id) and kb.is_known(doc_id):
        return templates.TemplateResponse(request, "cited.html", {"view": cited_view(kb, doc_id)})
    return number_page(request, doc_id, kb, templates)


MAX_CHOICES = 50


def number_page(request: Request, wanted: str, kb: KnowledgeBase, templates: Any):
    """/doc/<number> in any spelling ("34-ct-tw", "200/KH-UBND", "nd-30-2020"): the one document it
    names (a redirect, 308), the documents it could be (a page listing them), or a 404 naming it."""
    matches = kb.matching_ids(wanted[:200], registry=True) if len(wanted) <= 200 else []
    if len(matches) == 1:
        return RedirectResponse(urls.doc(matches[0]), status_code=308)
    if not matches:
        raise HTTPException(404, f"Không có văn bản với số hiệu hoặc mã “{wanted[:200]}” trong kho hoặc trong danh mục "
                                 "văn bản được trích dẫn. Hãy thử tìm số hiệu ở trang Tìm kiếm.")
    choices = []
    for doc_id in matches[:MAX_CHOICES]:
        info = describe(kb, doc_id)
        choices.append({"id": doc_id, "url": urls.doc(doc_id), "label": info["label"], "title": info.get("title"),
                        "date": info.get("date_display"), "issuer": info.get("issuer"), "in_corpus": info.get("in_corpus"),
                        "badge": status_badge(kb.status_dict(doc_id))})
    return templates.TemplateResponse(request, "doc_choices.html", {
        "wanted": wanted, "choices": choices, "total": len(matches), "search_url": urls.search(wanted)}, status_code=300)



@router.get("/doc/{doc_id}/chain", response_class=HTMLResponse, summary="Chuỗi chỉ đạo của văn bản",
            responses={**PAGE_404, **PAGE_503})
def chain_page(request: Request, doc_id: DocId, kb: KB, templates: Templates, full: bool = False):
    """The diagram fits the screen's width (scaled by its viewBox); ``full=1``: at its own size, scrolling."""
    if not kb.is_known(doc_id):
        raise not_found(doc_id)
    return templates.TemplateResponse(request, "chain.html", {"view": chain_view(kb, doc_id), "full": full})

# Last: it takes every /doc/… path the routes above do not.

@router.get("/doc/{wanted:path}", response_class=HTMLResponse, include_in_schema=False)
def number_path_page(request: Request, wanted: str, kb: KB, templates: Templates):
    """A number with its slash in the path ("/doc/200/KH-UBND", "/doc/200%2FKH-UBND")."""
    return number_page(request, wanted, kb, templates)
