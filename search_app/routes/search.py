"""The search page (/ and /search) and what /api/search returns: one function builds both."""
from __future__ import annotations

import datetime as _dt
from typing import Annotated, Any

from corpus.status import LABELS
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from indexer.kb import KnowledgeBase
from indexer.search import Filters, Result

from .. import urls
from ..context import COOKIE, COOKIE_MAX_AGE, FORM_KEY, SiteContext, province_options, read_context, sector_options
from ..deps import KB, Templates
from .api_models import PAGE_303, PAGE_503
from .number_cards import number_cards, number_label
from .present import FACET_LABEL, compact_status, display_date, snippet_html, status_badge

router = APIRouter()

PAGE_SIZE = 10
MAX_PAGE = 500
# A query longer than this is cut: nobody types 2,000 characters, and a pasted document should not
# cost the server more than a long query does.
MAX_QUERY_CHARS = 2000
# A query is echoed back (summary, title, "không tìm thấy") cut to this many characters and "…".
SHOWN_QUERY_CHARS = 120
# Grouping of the JSON API (?group=doc); the site always groups by document.
GROUPS = ("doc",)
# Facet key from the searcher → the URL parameter that filters on it.
FACET_PARAM = {"doc_type": "type", "type": "type", "province": "province", "issuer": "issuer", "year": "year"}


def clean_query(q: str | None) -> str:
    """The query as typed, minus control characters (binary junk), bounded in length."""
    if not q:
        return ""
    text = "".join(ch if ch.isprintable() or ch in " \t" else " " for ch in q[:MAX_QUERY_CHARS])
    return " ".join(text.split())


def shown_query(q: str) -> str:
    """The query as the page echoes it: a pasted page of text is cut, not shown whole in bold."""
    return q if len(q) <= SHOWN_QUERY_CHARS else q[:SHOWN_QUERY_CHARS].rstrip() + "…"


def result_date(value: Any) -> str:
    """A result's date: "07/4/2014", or "tháng 9/2024" when the day is not known."""
    shown = display_date(value)
    return "tháng " + shown[2:] if shown.startswith("…/") else shown


def result_snippet(p: dict[str, Any], pieces: Any, label: str) -> Any:
    """The snippet's pieces; a whole-document passage opens with its document's name as built
    ("Kế hoạch /KH-VP …" for a blank number), shown as the result names it ("Kế hoạch không số")."""
    built = " ".join(x for x in (p.get("doc_type") or "", p.get("symbol") or "") if x)
    if p.get("section_id") or not built or built == label or not isinstance(pieces, (list, tuple)) or not pieces:
        return pieces
    first = pieces[0]
    text = first[0] if isinstance(first, (list, tuple)) else str(first)
    if not text.startswith(built):
        return pieces
    return [(label + text[len(built):], bool(first[1]) if isinstance(first, (list, tuple)) else False), *pieces[1:]]


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
    if not any(f.values()):
        return None
    return Filters(doc_type=f["type"], issuer=f["issuer"], province=f["province"],
                   year_from=f["year_from"], year_to=f["year_to"])


def _facet_items(values: dict[str, int]) -> list[tuple[str, int]]:
    items = [(str(v), int(c or 0)) for v, c in values.items() if v not in (None, "")]
    return sorted(items, key=lambda vc: (-vc[1], vc[0]))


def facet_groups(facets: dict[str, dict[str, int]], q: str, f: dict[str, Any],
                 keep: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Facets (the searcher's value → count by facet) as link lists: each value links to the search
    with that filter added (or removed); ``keep``: the context parameters every link carries."""
    keep = keep or {}
    groups = []
    for key, values in facets.items():
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
            items.append({"value": value, "count": count, "active": active, "url": urls.search(q, **{**f, **change}, **keep)})
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


def result_row(result: Result, kb: KnowledgeBase | None = None, day: _dt.date | None = None) -> dict[str, Any]:
    """One section-level hit as the page and the API show it (api_models.SearchResult), with its
    document's status badge: the state on the context's date (``day``; the searcher computed it),
    the full status from the document for the badge's title."""
    p = result.passage.to_dict()
    status = kb.status_dict(p.get("doc_id")) if kb is not None else {}
    if not status:
        status = {"state": p.get("status"), "effective": p.get("effective"), "ended": p.get("ended")}
    badge = status_badge(status, day, result.state)
    meta = kb.corpus_meta.get(p.get("doc_id")) or {} if kb is not None else {}
    label = number_label({"doc_type": p.get("doc_type"), "symbol": p.get("symbol"), "number": p.get("number"),
                          "label": " ".join(x for x in (p.get("doc_type") or "Văn bản", p.get("symbol") or "") if x)})
    return {
        "doc_id": p.get("doc_id"), "section_id": p.get("section_id"),
        "url": urls.doc(p.get("doc_id"), p.get("section_id")),
        "doc_type": p.get("doc_type"), "symbol": p.get("symbol"), "title": p.get("title"),
        "label": label,
        "draft": bool(meta.get("draft")),
        "issuer": p.get("issuer"), "province": p.get("province"), "date": p.get("date"),
        "date_display": result_date(p.get("date")), "heading": p.get("heading"),
        "breadcrumb": p.get("breadcrumb") or [], "crumbs": crumbs(p), "codified": p.get("codified", False),
        "score": round(float(result.score or 0.0), 4),
        "snippet": snippet_html(result_snippet(p, result.snippet, label)),
        "state": badge["state"], "status_label": badge["label"], "badge": badge, "status": compact_status(status),
        # the same content in other documents (near-identical passages grouped into this result)
        "same": [same_row(o.to_dict()) for o in result.same],
        # grouped by document: its other matching passages (a few shown, all counted)
        "more": [more_row(m, label) for m in result.more], "more_count": int(result.more_count or 0),
    }


def more_row(result: Result, label: str = "") -> dict[str, Any]:
    """Another passage of a grouped result's document: where it is and its snippet."""
    p = result.passage.to_dict()
    return {"section_id": p.get("section_id"), "url": urls.doc(p.get("doc_id"), p.get("section_id")),
            "crumbs": crumbs(p) or p.get("heading") or p.get("title"), "score": round(float(result.score or 0.0), 4),
            "snippet": snippet_html(result_snippet(p, result.snippet, label or number_label(p)))}


def same_row(p: dict[str, Any]) -> dict[str, Any]:
    """One document repeating a result's content: where it is and its state as built."""
    return {"doc_id": p.get("doc_id"), "url": urls.doc(p.get("doc_id"), p.get("section_id")),
            "doc_type": p.get("doc_type"), "symbol": p.get("symbol"), "label": p.get("label"),
            "doc_label": number_label({"doc_type": p.get("doc_type"), "symbol": p.get("symbol"), "number": p.get("number"),
                                       "label": " ".join(x for x in (p.get("doc_type") or "Văn bản", p.get("symbol") or "") if x)}),
            "title": p.get("title"), "state": p.get("status") or "unknown",
            "status_label": LABELS.get(p.get("status") or "unknown", LABELS["unknown"]),
            "css": {"in_force": "in-force", "partly_amended": "amended", "not_yet_in_force": "not-yet"}.get(
                p.get("status") or "unknown", p.get("status") or "unknown")}


def filter_chips(q: str, f: dict[str, Any], keep: dict[str, Any] | None = None) -> list[dict[str, str]]:
    """The active filters, each with the link that removes it."""
    names = {"type": "Loại", "province": "Tỉnh/thành", "issuer": "Cơ quan", "year_from": "Từ năm", "year_to": "Đến năm"}
    return [{"label": f"{names[k]}: {v}", "url": urls.search(q, **{**f, k: None}, **(keep or {}))} for k, v in f.items() if v]


def search_context(kb: KnowledgeBase, params: dict[str, Any], site: bool = True, cookie: str | None = None,
                   form: bool = False) -> SiteContext:
    """The context of this request: the URL's, else (site only) the cookie's; in force only is on
    by default on the site and off in the API."""
    return read_context(params, province_options(kb), cookie=cookie if site else None,
                        default_in_force=site, form=form)


def run_search(kb: KnowledgeBase, params: dict[str, Any], site: bool = True, cookie: str | None = None,
               form: bool = False, ctx: SiteContext | None = None, page_size: int = PAGE_SIZE,
               mode: str = "auto") -> dict[str, Any]:
    """Everything the search page, /api/search and `tdkt search --json` show for these URL
    parameters (and, on the site, the context cookie): the results ranked for the asker's context,
    each with its status badge (api_models.SearchResponse). The site groups results by document;
    the API does when asked (``group=doc``). ``page_size`` and ``mode``: the command line's
    --limit and --mode."""
    q = clean_query(params.get("q"))
    f = read_filters(params)
    asked = _int(params.get("page"), 1, 10**9) or 1
    page = min(asked, MAX_PAGE)
    group = "doc" if site or clean_query(params.get("group")) in GROUPS else None
    ctx = ctx or search_context(kb, params, site, cookie, form)
    keep = ctx.url_params(True if site else None)   # every link carries the context
    status = kb.embedding_status()
    out: dict[str, Any] = {"q": q, "q_display": shown_query(q), "filters": f, "page": page, "status": status,
                           "results": [], "total": 0, "total_exact": True, "group": group,
                           "facets": [], "suggestions": [], "documents": [], "mode": None, "chips": filter_chips(q, f, keep),
                           "context": ctx.to_dict(), "context_params": keep,
                           "api_url": urls.api_search(q, **f, **ctx.url_params(None)) if q else None}
    if f["year_from"] and f["year_to"] and f["year_from"] > f["year_to"]:
        # "từ 2024 đến 2020" matches nothing: say so, and offer the range the other way round
        out["years_inverted"] = {"year_from": f["year_from"], "year_to": f["year_to"],
                                 "url": urls.search(q, **{**f, "year_from": f["year_to"], "year_to": f["year_from"]}, **keep)}
    if not q:
        return out
    resp = kb.searcher.search(q, filters=make_filters(f), limit=page_size, offset=(page - 1) * page_size,
                              context=ctx.library(), group=group, mode=mode)
    total = resp.total
    entries = resp.entries or total
    pages = max(1, -(-entries // page_size))
    day = ctx.day
    cards, more_cards = number_cards(kb, resp.parsed, day, [h.doc_id for h in resp.document_hits])
    out.update(
        context=ctx.to_dict(resp.sector),
        results=[result_row(r, kb, day) for r in resp.results],
        total=total, mode=resp.mode, total_exact=resp.total_exact,
        passages_total=resp.passages_total or total, entries=entries,
        number_only=resp.number_only,
        facets=facet_groups(resp.facets, q, f, keep),
        suggestions=[{"text": s, "url": urls.search(s, **f, **keep)} for s in resp.suggestions],
        documents=cards if page == 1 else [], documents_more=more_cards if page == 1 else 0,
        pages=pages,
        prev_url=urls.search(q, page=min(page - 1, pages), **f, **keep) if page > 1 else None,
        next_url=urls.search(q, page=page + 1, **f, **keep) if page < pages and page < MAX_PAGE else None,
        unfiltered_url=urls.search(q, **keep) if any(f.values()) else None,
        # nothing in force answers: offer the same search among every text
        all_texts_url=(urls.search(q, page=None, **f, **(ctx.url_params(True) | {"in_force": "0"}))
                       if ctx.in_force and not total else None),
    )
    if total and asked > pages:
        # page=99999: not a silent page 1, but what happened and the way to the last page
        out["page_beyond"] = {"asked": asked, "last": pages, "url": urls.search(q, page=pages, **f, **keep)}
        out["prev_url"] = None
    return out


def jsonable_search(view: dict[str, Any]) -> dict[str, Any]:
    """run_search's view as JSON (api_models.SearchResponse): /api/search and `tdkt search --json`."""
    out = {k: v for k, v in view.items() if k != "context_params"}
    out["results"] = [dict(r, snippet=str(r["snippet"]), more=[dict(m, snippet=str(m["snippet"])) for m in r.get("more") or []])
                      for r in view["results"]]
    return out


def context_form(kb: KnowledgeBase, view: dict[str, Any]) -> dict[str, Any]:
    """The choices of the context selector and what is chosen now."""
    c = view["context"]
    return {"provinces": province_options(kb), "sectors": sector_options(), "province": c["province"],
            "sector": c["sector"], "as_of": c["as_of"], "in_force": c["in_force_only"], "form_key": FORM_KEY}


def search_params(
    q: Annotated[str | None, Query(description="từ khóa, số hiệu văn bản (có dấu hoặc không dấu)")] = None,
    type: Annotated[str | None, Query(description="loại văn bản: Kế hoạch, Chỉ thị, Luật …")] = None,
    province: Annotated[str | None, Query(description="tỉnh/thành")] = None,
    issuer: Annotated[str | None, Query(description="cơ quan ban hành")] = None,
    year_from: Annotated[str | None, Query(description="từ năm (giá trị sai bị bỏ qua)")] = None,
    year_to: Annotated[str | None, Query(description="đến năm")] = None,
    page: Annotated[str | None, Query(description="trang kết quả, từ 1")] = None,
    province_ctx: Annotated[str | None, Query(
        description="ngữ cảnh: tỉnh/thành phố của người hỏi (một tỉnh có văn bản trong kho, VD: Bắc Ninh); "
                    "xếp trước quy định của tỉnh này. Khác `province` (bộ lọc theo tỉnh của văn bản)")] = None,
    sector: Annotated[str | None, Query(
        description="ngữ cảnh: ngành của người hỏi, mã hoặc tên trong danh mục ngành (VD: tu-phap, Tư pháp); "
                    "xếp trước văn bản của ngành này")] = None,
    as_of: Annotated[str | None, Query(
        description="ngữ cảnh: áp dụng tại ngày, YYYY-MM-DD hoặc dd/mm/yyyy (mặc định: hôm nay); "
                    "tình trạng hiệu lực của mỗi kết quả tính tại ngày này")] = None,
    in_force: Annotated[str | None, Query(
        description="chỉ văn bản còn hiệu lực tại ngày `as_of`: 1 bật, 0 tắt. Mặc định TẮT trong API "
                    "(/api/search), BẬT trên trang web (/search)")] = None,
    group: Annotated[str | None, Query(
        description="`doc`: gộp kết quả theo văn bản (mỗi văn bản một kết quả: đoạn khớp nhất, các đoạn khác "
                    "trong `more`/`more_count`; `total`, `facets` và `page` tính theo văn bản), như trang web. "
                    "Mặc định (bỏ trống): từng đoạn như trước")] = None,
) -> dict[str, Any]:
    """The search parameters, declared (so /docs lists them) but taken as text: a malformed year,
    page or context value is ignored by run_search (with a note) instead of failing the request."""
    return {"q": q, "type": type, "province": province, "issuer": issuer, "year_from": year_from,
            "year_to": year_to, "page": page, "province_ctx": province_ctx, "sector": sector,
            "as_of": as_of, "in_force": in_force, "group": group}


SearchParams = Annotated[dict, Depends(search_params)]


@router.get("/search", response_class=HTMLResponse, summary="Trang tìm kiếm", responses={**PAGE_303, **PAGE_503})
def search_page(request: Request, kb: KB, templates: Templates, params: SearchParams,
                ctx: Annotated[str | None, Query(description="1: biểu mẫu ngữ cảnh vừa được gửi (ghi nhớ ngữ cảnh "
                                                             "vào cookie; ô không đánh dấu nghĩa là tắt)")] = None):
    form = bool(clean_query(ctx))
    if form:
        context = search_context(kb, params, form=True)
        if not context.notes:
            # remember the context, then show the search (from its first page: the ranking changed)
            # at its plain address, where an unticked box reads in_force=0
            response: Any = RedirectResponse(urls.search(clean_query(params.get("q")), **read_filters(params),
                                                         **context.url_params(True)), status_code=303)
            remember(response, context)
            return response
        view = run_search(kb, params, ctx=context)
    else:
        view = run_search(kb, params, cookie=request.cookies.get(COOKIE))
    response = templates.TemplateResponse(request, "search.html", {"view": view, "manifest": kb.manifest,
                                                                    "ctx_form": context_form(kb, view)})
    if form:
        remember(response, context)
    return response


def remember(response: Any, context: SiteContext) -> None:
    """Keep the context for the next pages and the next visit (or forget it when it is the default)."""
    if context.is_default(True):
        response.delete_cookie(COOKIE, path="/")
    else:
        response.set_cookie(COOKIE, context.cookie_value(), max_age=COOKIE_MAX_AGE, path="/",
                            httponly=True, samesite="lax")
