"""The search page (/ and /search) and what /api/search returns: one function builds both."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from .. import urls
from ..deps import KB, Templates
from .kbview import describe
from .present import FACET_LABEL, display_date, field, plain, snippet_html

router = APIRouter()

PAGE_SIZE = 10
MAX_PAGE = 500
# A query longer than this is cut: nobody types 2,000 characters, and a pasted document should not
# cost the server more than a long query does.
MAX_QUERY_CHARS = 2000
# Facet key from the searcher → the URL parameter that filters on it.
FACET_PARAM = {"doc_type": "type", "type": "type", "province": "province", "issuer": "issuer", "year": "year"}


def clean_query(q: str | None) -> str:
    """The query as typed, minus control characters (binary junk), bounded in length."""
    if not q:
        return ""
    text = "".join(ch if ch.isprintable() or ch in " \t" else " " for ch in q[:MAX_QUERY_CHARS])
    return " ".join(text.split())


def _int(value: Any, low: int, high: int) -> int | None:
    """A whole number in range from a query parameter, or None (a bad value is ignored, not a 422)."""
    try:
        n = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return n if low <= n <= high else None


def read_filters(params: dict[str, Any]) -> dict[str, Any]:
    """The filters the URL carries, normalised (unknown or malformed values dropped)."""
    return {
        "type": clean_query(params.get("type")) or None,
        "province": clean_query(params.get("province")) or None,
        "issuer": clean_query(params.get("issuer")) or None,
        "year_from": _int(params.get("year_from"), 1900, 2200),
        "year_to": _int(params.get("year_to"), 1900, 2200),
    }


def make_filters(f: dict[str, Any]):
    from indexer.search import Filters

    if not any(f.values()):
        return None
    return Filters(doc_type=f["type"], issuer=f["issuer"], province=f["province"],
                   year_from=f["year_from"], year_to=f["year_to"])


def _facet_items(values: Any) -> list[tuple[str, int]]:
    if isinstance(values, dict):
        items = list(values.items())
    else:
        items = [tuple(v) if isinstance(v, (list, tuple)) else (field(v, "value"), field(v, "count")) for v in values or []]
    items = [(str(v), int(c or 0)) for v, c in items if v not in (None, "")]
    return sorted(items, key=lambda vc: (-vc[1], vc[0]))


def facet_groups(facets: Any, q: str, f: dict[str, Any]) -> list[dict[str, Any]]:
    """Facets as link lists: each value links to the search with that filter added (or removed)."""
    groups = []
    for key, values in (plain(facets) or {}).items():
        param = FACET_PARAM.get(key)
        if not param:
            continue
        items = []
        for value, count in _facet_items(values):
            if param == "year":
                active = f["year_from"] == f["year_to"] == _int(value, 1900, 2200)
                change = {"year_from": None, "year_to": None} if active else {"year_from": value, "year_to": value}
            else:
                active = (f.get(param) or "") == value
                change = {param: None if active else value}
            items.append({"value": value, "count": count, "active": active, "url": urls.search(q, **{**f, **change})})
        if param == "year":
            items.sort(key=lambda it: it["value"], reverse=True)
        if items:
            groups.append({"key": key, "label": FACET_LABEL.get(key, key), "items": items[:30]})
    return groups


def crumbs(p: dict[str, Any]) -> str:
    """"Chương II › Điều 5 · Tiêu chuẩn …": where the section sits, without repeating the label the
    heading already starts with, and nothing for the whole-document passage (its heading is the title)."""
    trail = [b for b in p.get("breadcrumb") or [] if b]
    heading = (p.get("heading") or "").strip()
    if not p.get("section_id") or heading == (p.get("title") or "").strip():
        heading = ""
    if trail and heading.startswith(trail[-1]):
        trail = trail[:-1]
    return " › ".join(trail + ([heading] if heading else []))


def result_row(result: Any) -> dict[str, Any]:
    """One section-level hit as the page and the API show it."""
    p = plain(field(result, "passage"))
    return {
        "doc_id": p.get("doc_id"), "section_id": p.get("section_id"),
        "url": urls.doc(p.get("doc_id"), p.get("section_id")),
        "doc_type": p.get("doc_type"), "symbol": p.get("symbol"), "title": p.get("title"),
        "issuer": p.get("issuer"), "province": p.get("province"), "date": p.get("date"),
        "date_display": display_date(p.get("date")), "heading": p.get("heading"),
        "breadcrumb": p.get("breadcrumb") or [], "crumbs": crumbs(p), "codified": p.get("codified", False),
        "score": round(float(field(result, "score") or 0.0), 4),
        "snippet": snippet_html(field(result, "snippet")),
    }


def document_card(kb: Any, hit: Any) -> dict[str, Any]:
    """A "Văn bản" card for a document matched by its number."""
    doc_id = hit if isinstance(hit, str) else (field(hit, "doc_id") or field(hit, "id"))
    info = describe(kb, doc_id)
    info["url"] = urls.doc(doc_id)
    return info


def filter_chips(q: str, f: dict[str, Any]) -> list[dict[str, str]]:
    """The active filters, each with the link that removes it."""
    names = {"type": "Loại", "province": "Tỉnh/thành", "issuer": "Cơ quan", "year_from": "Từ năm", "year_to": "Đến năm"}
    return [{"label": f"{names[k]}: {v}", "url": urls.search(q, **{**f, k: None})} for k, v in f.items() if v]


def run_search(kb: Any, params: dict[str, Any]) -> dict[str, Any]:
    """Everything the search page and /api/search show for these URL parameters."""
    q = clean_query(params.get("q"))
    f = read_filters(params)
    page = _int(params.get("page"), 1, MAX_PAGE) or 1
    status = kb.embedding_status()
    out: dict[str, Any] = {"q": q, "filters": f, "page": page, "status": status, "results": [], "total": 0, "total_exact": True,
                           "facets": [], "suggestions": [], "documents": [], "mode": None, "chips": filter_chips(q, f)}
    if not q:
        return out
    resp = kb.searcher.search(q, filters=make_filters(f), limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    total = int(field(resp, "total") or 0)
    out.update(
        results=[result_row(r) for r in field(resp, "results") or []],
        total=total, mode=field(resp, "mode"), total_exact=bool(field(resp, "total_exact")),
        facets=facet_groups(field(resp, "facets"), q, f),
        suggestions=[{"text": s, "url": urls.search(s, **f)} for s in (plain(field(resp, "suggestions")) or [])
                     if isinstance(s, str)],
        documents=[document_card(kb, h) for h in field(resp, "document_hits") or [] if h] if page == 1 else [],
        pages=max(1, -(-total // PAGE_SIZE)),
        prev_url=urls.search(q, page=page - 1, **f) if page > 1 else None,
        next_url=urls.search(q, page=page + 1, **f) if page * PAGE_SIZE < total and page < MAX_PAGE else None,
        unfiltered_url=urls.search(q) if any(f.values()) else None,
    )
    return out


def search_params(
    q: Annotated[str | None, Query(description="từ khóa, số hiệu văn bản (có dấu hoặc không dấu)")] = None,
    type: Annotated[str | None, Query(description="loại văn bản: Kế hoạch, Chỉ thị, Luật …")] = None,
    province: Annotated[str | None, Query(description="tỉnh/thành")] = None,
    issuer: Annotated[str | None, Query(description="cơ quan ban hành")] = None,
    year_from: Annotated[str | None, Query(description="từ năm (giá trị sai bị bỏ qua)")] = None,
    year_to: Annotated[str | None, Query(description="đến năm")] = None,
    page: Annotated[str | None, Query(description="trang kết quả, từ 1")] = None,
) -> dict[str, Any]:
    """The search parameters, declared (so /docs lists them) but taken as text: a malformed year or
    page is ignored by run_search instead of failing the request."""
    return {"q": q, "type": type, "province": province, "issuer": issuer, "year_from": year_from,
            "year_to": year_to, "page": page}


SearchParams = Annotated[dict, Depends(search_params)]


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
@router.get("/search", response_class=HTMLResponse, summary="Trang tìm kiếm")
def search_page(request: Request, kb: KB, templates: Templates, params: SearchParams):
    view = run_search(kb, params)
    return templates.TemplateResponse(request, "search.html", {"view": view, "manifest": kb.manifest})
