"""Citation lookup for drafting (/lookup, /api/lookup): paste a draft or its "Căn cứ …" lines, get
every citation resolved, its standard full form ready to copy, and warnings for superseded
documents, dates or issuers that differ from the registry, and unknown or ambiguous numbers."""
from __future__ import annotations

from typing import Any

from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from corpus.citation_rows import cite_rows
from corpus.vntext import fold
from indexer.kb import KnowledgeBase

from .. import urls
from ..context import province_options
from ..deps import KB, Templates
from .api_models import PAGE_503
from .kbview import describe
from .present import STATUS_LABEL, display_date

router = APIRouter()

# A draft is a few pages; a pasted book is cut here so one request cannot occupy the server.
MAX_TEXT_CHARS = 100_000
# …and no draft cites more documents than this; beyond it the page would only get slower to read.
MAX_CITATIONS = 500


def _named(kb: KnowledgeBase, doc_id: str) -> str:
    info = describe(kb, doc_id)
    return info["label"] + (f" ({info['date_display']})" if info["date_display"] else "")


def _warnings(row: dict[str, Any]) -> list[dict[str, str]]:
    """What a drafter must fix, as the drafting check (corpus.draft_check, shared with `tdkt cite`)
    names it: the page shows ``text``; ``by`` names a superseded document's replacement."""
    out = []
    for w in row.get("warnings") or []:
        item = {"kind": w["kind"], "text": w["message"], "message": w["message"]} | ({"right": w["right"]} if w.get("right") else {})
        if w["kind"] == "superseded":
            item["by"] = w.get("right") or ""
        out.append(item)
    return out


def lookup_citations(kb: KnowledgeBase, text: str, province: str | None = None) -> list[dict[str, Any]]:
    """Every citation in `text`, resolved against the knowledge base's registry, with warnings.

    The resolution is `tdkt cite`'s own (corpus.citation_rows.cite_rows), so the command line
    and the page always agree; the page adds links, the registry's dates and the warnings.
    """
    rows = []
    for row in cite_rows(text[:MAX_TEXT_CHARS], kb.registry, province=province)[:MAX_CITATIONS]:
        target = row.get("resolved")
        rows.append(row | {
            "doc_type": row.get("type"), "date_display": display_date(row.get("date")),
            "url": urls.doc(target) if target else None,
            "in_corpus": bool(target and describe(kb, target).get("in_corpus")),
            "warnings": _warnings(row),
            "candidates_view": [_candidate(kb, c) for c in row.get("candidate_details") or []],
        })
    return rows


def _candidate(kb: KnowledgeBase, c: dict[str, Any]) -> dict[str, Any]:
    """One document an ambiguous citation may mean, as the page lists it (no full form: it is not chosen)."""
    return {"id": c["id"], "label": _named(kb, c["id"]), "province": c.get("province"), "issuer": c.get("issuer"),
            "title": c.get("title"), "url": urls.doc(c["id"]) if kb.has_document(c["id"]) else None}


def chosen_province(kb: KnowledgeBase, province: str | None) -> str | None:
    """The drafter's province as the knowledge base names it (accents and case as typed do not
    matter), or None for none or one it does not know."""
    if not province or not province.strip():
        return None
    want = fold(" ".join(province.split()))
    return next((p for p in province_options(kb) if fold(p) == want), None)


def lookup_view(kb: KnowledgeBase, text: str | None, province: str | None = None) -> dict[str, Any]:
    text = (text or "").replace("\x00", "")
    chosen = chosen_province(kb, province)
    rows = lookup_citations(kb, text, chosen) if text.strip() else []
    return {"text": text, "rows": rows, "truncated": len(text) > MAX_TEXT_CHARS or len(rows) >= MAX_CITATIONS,
            "province": chosen, "provinces": province_options(kb),
            "province_unknown": province.strip() if province and province.strip() and not chosen else None,
            "status_label": STATUS_LABEL,
            "warning_count": sum(len(r["warnings"]) for r in rows)}


@router.get("/lookup", response_class=HTMLResponse, summary="Tra cứu trích dẫn (biểu mẫu)", responses=PAGE_503)
def lookup_page(request: Request, kb: KB, templates: Templates, text: str | None = None, province: str | None = None):
    return templates.TemplateResponse(request, "lookup.html", {"view": lookup_view(kb, text, province)})


async def form_fields(request: Request) -> tuple[str, str | None]:
    """The `text` and `province` fields of an urlencoded form (parsed here: python-multipart is not a dependency)."""
    body = (await request.body())[: MAX_TEXT_CHARS * 12]  # percent-encoded Vietnamese: up to ~12 bytes a char
    fields = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
    return (fields.get("text") or [""])[0], (fields.get("province") or [None])[0]


@router.post("/lookup", response_class=HTMLResponse, summary="Tra cứu trích dẫn (gửi biểu mẫu)", responses=PAGE_503)
async def lookup_post(request: Request, kb: KB, templates: Templates):
    text, province = await form_fields(request)
    return templates.TemplateResponse(request, "lookup.html", {"view": lookup_view(kb, text, province)})
