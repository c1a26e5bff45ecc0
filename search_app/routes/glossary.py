"""Glossary pages: /glossary?q=&category= (the list, filtered) and /glossary/{slug} (one term)."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse

from corpus.ids import is_valid_id
from glossary.load import Glossary, GlossaryEntry
from indexer.kb import KnowledgeBase

from .. import urls
from .api_models import PAGE_404, PAGE_503
from ..deps import KB, Templates
from .kbview import describe
from .search import clean_query

router = APIRouter()


def _glossary(kb: KnowledgeBase) -> Glossary:
    g = kb.glossary
    if g is None:
        raise HTTPException(503, "Chưa nạp được bảng thuật ngữ.")
    return g


def _section_by_label(kb: KnowledgeBase, doc_id: str, label: str | None) -> str | None:
    """The id of the section labelled `label` ("Điều 24") in a corpus document, if there is one."""
    doc = kb.document(doc_id) if label else None
    want = (label or "").strip().rstrip(".").lower()
    section = next((s for s in doc.sections if s.label.strip().rstrip(".").lower() == want), None) if doc else None
    return section.id if section else None


def entry_row(kb: KnowledgeBase, entry: GlossaryEntry, resolve_sections: bool = False) -> dict[str, Any]:
    """A glossary entry with its page URL and its links resolved to document pages where possible
    (and to the article itself when `resolve_sections`: the entry page, not the whole list)."""
    e = entry.to_dict()
    e["url"] = urls.glossary_entry(e.get("slug") or "")
    links = []
    for link in entry.links:
        symbol, label = link.symbol, link.label
        target = _doc_by_symbol(kb, symbol)
        section = _section_by_label(kb, target, label) if target and resolve_sections else None
        named = describe(kb, target)["label"] if target else symbol
        links.append({"text": ", ".join(p for p in (label, named) if p),
                      "url": urls.doc(target, section) if target else None})
    e["links"] = links
    return e


def _doc_by_symbol(kb: KnowledgeBase, symbol: str | None) -> str | None:
    if not symbol:
        return None
    return next((m["id"] for m in kb.documents_meta() if m.get("symbol") == symbol), None)


def glossary_view(kb: KnowledgeBase, q: str | None, category: str | None) -> dict[str, Any]:
    g = _glossary(kb)
    q, category = clean_query(q), clean_query(category) or None
    entries = g.search(q, category=category) if (q or category) else list(g.entries)
    categories = sorted({e.category for e in g.entries if e.category})
    return {"q": q, "category": category, "categories": [{"name": c, "url": urls.glossary(q, c), "active": c == category}
                                                         for c in categories],
            "entries": [entry_row(kb, e) for e in entries], "total": len(g.entries)}


def entry_view(kb: KnowledgeBase, slug: str) -> dict[str, Any]:
    g = _glossary(kb)
    entry = g.get(slug) if is_valid_id(slug) else None
    if entry is None:
        raise HTTPException(404, f"Không có thuật ngữ “{slug[:200]}” trong bảng thuật ngữ.")
    return entry_row(kb, entry, resolve_sections=True)


@router.get("/glossary", response_class=HTMLResponse, summary="Bảng thuật ngữ", responses=PAGE_503)
def glossary_page(request: Request, kb: KB, templates: Templates, q: str | None = None, category: str | None = None):
    return templates.TemplateResponse(request, "glossary.html", {"view": glossary_view(kb, q, category)})


@router.get("/glossary/{slug}", response_class=HTMLResponse, summary="Một thuật ngữ", responses={**PAGE_404, **PAGE_503})
def glossary_entry_page(request: Request, slug: str, kb: KB, templates: Templates):
    return templates.TemplateResponse(request, "glossary_entry.html", {"entry": entry_view(kb, slug)})
