"""The JSON API: the same resources as the pages (one view function feeds both)."""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from awards.compare import compare
from awards.eligibility import eligibility, parse_history

from .. import urls
from ..deps import KB, DocId
from .api_models import (AwardResponse, CompareResponse, EligibleRequest, EligibleResponse, ERRORS_400, ERRORS_404, ERRORS_503, ChainResponse, CitationsResponse, DocumentResponse,
                         GlossaryEntry, GlossaryResponse, LookupResponse, SearchResponse, StatusResponse)
from .documents import chain_view, cited_view, not_found, relation_panel
from .glossary import entry_view, glossary_view
from .present import status_badge
from .lookup import lookup_view
from .award import award_errors, award_result
from .search import SearchParams, jsonable_search, run_search

# Every JSON route answers 400 for a malformed request (not FastAPI's 422: see app.install_error_pages)
# and 503 before a knowledge base exists; the body of every error is ErrorBody.
router = APIRouter(prefix=urls.API_PREFIX, tags=["api"], responses={**ERRORS_400, **ERRORS_503})
# a response holds the fields its view produced, none added with a model default
JSON = {"response_model_exclude_unset": True}


class LookupRequest(BaseModel):
    text: str = Field("", description="Văn bản dự thảo hoặc các dòng “Căn cứ …” cần kiểm tra")
    province: str | None = Field(None, description="tỉnh/thành của người soạn: chọn văn bản địa phương được trích dẫn không ghi cơ quan ban hành")


@router.get("/search", response_model=SearchResponse, **JSON, summary="Tìm kiếm (các tham số như trang /search; ngữ cảnh province_ctx, sector, as_of, "
                                "in_force — in_force mặc định tắt trong API). Mỗi kết quả có state, status_label, "
                                "status; context: ngữ cảnh đã dùng")
def api_search(kb: KB, params: SearchParams) -> dict[str, Any]:
    return jsonable_search(run_search(kb, params, site=False))


@router.get("/documents/{doc_id}", response_model=DocumentResponse, responses=ERRORS_404, **JSON, summary="Một văn bản: toàn bộ mô hình JSON, hoặc thông tin văn bản được trích dẫn")
def api_document(doc_id: DocId, kb: KB) -> dict[str, Any]:
    doc = kb.document(doc_id)
    if doc is not None:
        badge = status_badge(doc.status)
        return {"in_corpus": True, "url": urls.doc(doc_id), **doc.to_dict(),
                "state": badge["state"], "status_label": badge["label"]}
    if kb.is_known(doc_id):
        view = cited_view(kb, doc_id)
        return {"in_corpus": False, "url": urls.doc(doc_id), **{k: v for k, v in view.items() if k != "has_chain"}}
    raise not_found(doc_id)


@router.get("/documents/{doc_id}/citations", response_model=CitationsResponse, responses=ERRORS_404, **JSON,
            summary="Văn bản này trích dẫn gì, và được trích dẫn bởi văn bản nào")
def api_citations(doc_id: DocId, kb: KB) -> dict[str, Any]:
    if not kb.is_known(doc_id):
        raise not_found(doc_id)
    return {"id": doc_id, "cites": relation_panel(kb, kb.graph.cites(doc_id), "target"),
            "cited_by": relation_panel(kb, kb.graph.cited_by(doc_id), "source")}


@router.get("/documents/{doc_id}/chain", response_model=ChainResponse, responses=ERRORS_404, **JSON,
            summary="Chuỗi chỉ đạo: thực hiện văn bản nào, được văn bản nào thực hiện")
def api_chain(doc_id: DocId, kb: KB) -> dict[str, Any]:
    if not kb.is_known(doc_id):
        raise not_found(doc_id)
    view = chain_view(kb, doc_id)
    return {k: v for k, v in view.items() if k != "svg"}


@router.get("/lookup", response_model=LookupResponse, **JSON, summary="Kiểm tra trích dẫn trong một đoạn văn bản (?text=)")
def api_lookup_get(kb: KB, text: str = "", province: str | None = None) -> dict[str, Any]:
    view = lookup_view(kb, text, province)
    return {"citations": view["rows"], "warnings": view["warning_count"], "truncated": view["truncated"],
            "province": view["province"]}


@router.post("/lookup", response_model=LookupResponse, **JSON, summary="Kiểm tra trích dẫn trong một đoạn văn bản (JSON {\"text\": …})")
def api_lookup_post(kb: KB, body: LookupRequest) -> dict[str, Any]:
    return api_lookup_get(kb, body.text, body.province)


@router.get("/glossary", response_model=GlossaryResponse, **JSON, summary="Bảng thuật ngữ (lọc theo q, category)")
def api_glossary(kb: KB, q: str | None = None, category: str | None = None) -> dict[str, Any]:
    view = glossary_view(kb, q, category)
    return {"q": view["q"], "category": view["category"], "total": view["total"],
            "categories": [c["name"] for c in view["categories"]], "entries": view["entries"]}


@router.get("/glossary/{slug}", response_model=GlossaryEntry, responses=ERRORS_404, **JSON,
            summary="Một thuật ngữ: định nghĩa, chữ viết tắt, các điều quy định")
def api_glossary_entry(kb: KB, slug: str) -> dict[str, Any]:
    return entry_view(kb, slug)


@router.get("/award", response_model=AwardResponse, responses=ERRORS_404, **JSON,
            summary="Hồ sơ khen thưởng: tiêu chuẩn, thẩm quyền, hồ sơ, thời hạn, tiền thưởng và khối căn cứ (?award=&recipient=&date=&province=)")
def api_award(kb: KB, award: Annotated[str, Query(min_length=1, max_length=200, description="tên danh hiệu, hình thức khen thưởng (gõ tự do: CSTĐ cơ sở, Bằng khen UBND tỉnh …)")],
              recipient: Literal["individual", "collective", "household"] = "individual",
              date: Annotated[dt.date | None, Query(description="ngày quyết định (YYYY-MM-DD); mặc định hôm nay")] = None,
              province: Annotated[str | None, Query(max_length=100, description="tỉnh/thành có quy định riêng")] = None) -> dict[str, Any]:
    with award_errors():
        return award_result(kb, award, recipient, date.isoformat() if date else None, province)


@router.get("/award/compare", response_model=CompareResponse, responses=ERRORS_404, **JSON,
            summary="Tiêu chuẩn đặt cạnh nhau: một nhóm danh hiệu qua các cấp, hai thời điểm và thông tư các ngành (?family=&date=&since=)")
def api_award_compare(kb: KB, family: Annotated[str, Query(min_length=1, max_length=200, description="Chiến sĩ thi đua · Cờ thi đua · Bằng khen · Danh hiệu tập thể, hoặc tên một danh hiệu")],
                      date: Annotated[dt.date | None, Query(description="ngày áp dụng; mặc định hôm nay")] = None,
                      since: Annotated[dt.date | None, Query(description="so với ngày này (tùy chọn)")] = None) -> dict[str, Any]:
    days = [date or dt.date.today()] + ([since] if since else [])
    with award_errors():
        return compare(kb, kb.registry, family, days, link=urls.doc)


@router.post("/award/eligible", response_model=EligibleResponse, responses=ERRORS_404, **JSON,
             summary="Xét điều kiện theo quá trình thi đua, khen thưởng (JSON {\"history\": …, \"date\": …})")
def api_award_eligible(body: EligibleRequest) -> dict[str, Any]:
    with award_errors():
        data = body.history.model_dump()
        data["years"] = {y.pop("year"): y for y in data["years"]}
        history = parse_history(data)
        return eligibility(history, body.date or dt.date.today(), body.province or None)


@router.get("/status", response_model=StatusResponse, **JSON, summary="Tình trạng cơ sở dữ liệu và tiến độ tính vector")
def api_status(kb: KB) -> dict[str, Any]:
    m = kb.manifest
    return {"embedding": kb.embedding_status(), "counts": m.get("counts", {}), "built_at": m.get("built_at"),
            "warnings": len(m.get("warnings", []))}
