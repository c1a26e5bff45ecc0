"""The home page (/) and the document lists it links to (/van-ban): a search box, browsing by type,
issuer, province and year (with the number of documents), the newest documents, and the texts of
the national framework in force today by the registry's status."""
from __future__ import annotations

from collections import Counter
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from indexer.kb import KnowledgeBase

from .. import urls
from ..deps import KB, Templates
from ..context import COOKIE
from .api_models import PAGE_503
from .search import SearchParams, clean_query, context_form, run_search, search_page
from .present import display_date, doc_label, status_badge

router = APIRouter()

NEWEST = 10
# The national framework, in the order an officer reads it: the law, the decrees detailing it, the
# circulars guiding them, the Party's and the Prime Minister's directives.
FRAMEWORK_TYPES = ("Luật", "Nghị định", "Thông tư", "Chỉ thị", "Kết luận", "Quyết định", "Nghị quyết")
BROWSE_KEYS = {"type": "doc_type", "issuer": "issuer", "province": "province", "year": "year"}
BROWSE_TITLES = {"type": "Theo loại văn bản", "issuer": "Theo cơ quan ban hành", "province": "Theo tỉnh/thành",
                 "year": "Theo năm ban hành"}


def _row(kb: KnowledgeBase, m: dict[str, Any]) -> dict[str, Any]:
    return {"id": m["id"], "url": urls.doc(m["id"]), "label": doc_label(m), "title": m.get("title"),
            "date": display_date(m.get("date")), "issuer": m.get("issuer"),
            "badge": status_badge(kb.status_dict(m["id"]))}


def _date_key(m: dict[str, Any]) -> str:
    return str(m.get("date") or m.get("year") or "")


def browse_groups(metas: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each way to browse, with its values and how many documents have each (most first; years newest first)."""
    groups = []
    for key, field in BROWSE_KEYS.items():
        counts = Counter(str(m[field]) for m in metas if m.get(field))
        values = sorted(counts.items(), key=(lambda kv: kv[0]) if key == "year" else (lambda kv: (-kv[1], kv[0])),
                        reverse=key == "year")
        groups.append({"key": key, "title": BROWSE_TITLES[key],
                       "values": [{"value": v, "count": n, "url": urls.doc_list(**{key: v})} for v, n in values]})
    return groups


def framework_in_force(kb: KnowledgeBase) -> list[dict[str, Any]]:
    """The registry's national texts (no province) whose state today is "in force" (còn hiệu lực or
    sửa đổi một phần), grouped by type in FRAMEWORK_TYPES order."""
    out = []
    for e in kb.registry.entries:
        if e.origin not in ("registry", "corpus", "learned") or e.province or e.doc_type not in FRAMEWORK_TYPES:
            continue
        badge = status_badge(kb.status_dict(e.corpus_doc_id or e.id))
        if badge["state"] not in ("in_force", "partly_amended"):
            continue
        target = e.corpus_doc_id or e.id
        out.append({"id": target, "url": urls.doc(target), "label": f"{e.doc_type} {e.canonical}",
                    "date": display_date(e.date), "title": e.title, "issuer": e.issuer, "badge": badge,
                    "order": (FRAMEWORK_TYPES.index(e.doc_type), -(int(e.date[:4]) if e.date else 0))})
    return sorted(out, key=lambda r: r["order"])


def home_view(kb: KnowledgeBase) -> dict[str, Any]:
    metas = kb.documents_meta()
    newest = sorted((m for m in metas if m.get("date")), key=_date_key, reverse=True)[:NEWEST]
    return {"count": len(metas), "browse": browse_groups(metas), "newest": [_row(kb, m) for m in newest],
            "framework": framework_in_force(kb)}


@router.get("/", response_class=HTMLResponse, summary="Trang chủ", responses=PAGE_503)
def home_page(request: Request, kb: KB, templates: Templates, params: SearchParams, ctx: str | None = None):
    """The home page with the search box and its context selector; a query or a submitted context
    (/?q=…) is the search page's, as it always was."""
    if clean_query(params.get("q")) or clean_query(ctx):
        return search_page(request, kb, templates, params, ctx)
    view = run_search(kb, params, cookie=request.cookies.get(COOKIE))
    return templates.TemplateResponse(request, "home.html", {"home": home_view(kb), "manifest": kb.manifest,
                                                              "view": view, "ctx_form": context_form(kb, view)})


def doc_list_view(kb: KnowledgeBase, filters: dict[str, str | None]) -> dict[str, Any]:
    """The documents with the chosen type, issuer, province and year, newest first."""
    chosen = {k: v.strip() for k, v in filters.items() if v and v.strip()}
    metas = [m for m in kb.documents_meta()
             if all(str(m.get(BROWSE_KEYS[k]) or "") == v for k, v in chosen.items())]
    metas.sort(key=_date_key, reverse=True)
    what = " · ".join(f"{BROWSE_TITLES[k].replace('Theo ', '')}: {v}" for k, v in chosen.items())
    search_filters = {k: v for k, v in chosen.items() if k != "year"}
    if "year" in chosen:
        search_filters |= {"year_from": chosen["year"], "year_to": chosen["year"]}
    return {"filters": chosen, "what": what, "rows": [_row(kb, m) for m in metas], "search_filters": search_filters}


@router.get("/van-ban", response_class=HTMLResponse, summary="Danh sách văn bản theo loại, cơ quan, tỉnh, năm",
            responses=PAGE_503)
def doc_list_page(request: Request, kb: KB, templates: Templates, type: str | None = None, issuer: str | None = None,
                  province: str | None = None, year: str | None = None):
    view = doc_list_view(kb, {"type": type, "issuer": issuer, "province": province, "year": year})
    return templates.TemplateResponse(request, "doc_list.html", {"view": view})
