"""The records pages (issue 16): lookup (/records), a decision with its recipients and its căn cứ
lines checked and linked to the knowledge base, a person's or collective's history, form 0601/0602
with every figure linking to the lines it counts, and .xlsx downloads. Read-only: reading obeys
TDKT_RECORDS_PUBLIC (an officer logged in always reads); the write routes (import, edit, delete)
are in records_write.py, the officers' pages in officers.py."""
from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterator
from pathlib import Path as FilePath
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import FileResponse, HTMLResponse
from sqlalchemy.orm import Session
from starlette.background import BackgroundTask
from pydantic import Field

from accounts.web import current_officer, officer_for_header
from awards.catalogue import default_catalogue, parse_day
from corpus.errors import UserError
from corpus.registry import Registry
from records import reports
from records.db import open_db
from records.editing import decision_history
from records.exporting import write_lines, write_template
from records.lookup import check_basis, decision, history, Query as RQ, search

from .. import urls
from ..deps import Templates
from .api_models import ERRORS_400, ERRORS_404, ERRORS_503, PAGE_404, Open, RowId
from .records_write import page_rights

router = APIRouter()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ISO = r"^\d{4}-\d{2}-\d{2}$"   # the downloads take ISO dates (the pages also DD/MM/YYYY)
XLSX_200 = {200: {"description": "Tệp Excel (.xlsx)", "content": {XLSX: {"schema": {"type": "string", "format": "binary"}}}}}


def records_session(request: Request) -> Iterator[Session]:
    """A read-only session of the records database, when reading is public (or, later, for an officer)."""
    settings = request.app.state.settings
    if not settings.records_public and current_officer(request) is None:
        raise HTTPException(403, "Tra cứu hồ sơ khen thưởng cần đăng nhập (TDKT_RECORDS_PUBLIC=0).")
    try:
        db = open_db(settings.records_url())
    except UserError as exc:
        raise HTTPException(503, f"Không mở được cơ sở dữ liệu khen thưởng: {exc}") from None
    with db.session() as s:
        yield s


DB = Annotated[Session, Depends(records_session)]
# A row id from a URL: a database integer (a bigger number is no row, not a server error).


def _day(value: str | None, what: str) -> dt.date | None:
    if not value or not value.strip():
        return None
    try:
        return parse_day(value.strip())
    except UserError:
        raise UserError(f"{what} “{value[:40]}” không phải ngày: ghi 2025-01-31 hoặc 31/01/2025") from None


def _query(name, award, unit, date_from, date_to):
    return RQ(name=(name or "").strip() or None, award=(award or "").strip() or None, unit=(unit or "").strip() or None,
              date_from=_day(date_from, "Từ ngày"), date_to=_day(date_to, "Đến ngày"))


Text = Annotated[str | None, Query(max_length=200)]


@router.get("/records", response_class=HTMLResponse, summary="Tra cứu khen thưởng: theo họ tên, hình thức, đơn vị, thời gian")
def records_page(request: Request, templates: Templates, s: DB, name: Text = None, award: Text = None, unit: Text = None,
                 date_from: Annotated[str | None, Query(alias="from", max_length=20)] = None,
                 date_to: Annotated[str | None, Query(alias="to", max_length=20)] = None) -> HTMLResponse:
    form = {"name": name or "", "award": award or "", "unit": unit or "", "from": date_from or "", "to": date_to or ""}
    rows, error = None, None
    if any(v.strip() for v in form.values()):
        try:
            rows = search(s, _query(name, award, unit, date_from, date_to))
        except UserError as exc:
            error = str(exc)
    return templates.TemplateResponse(request, "records_lookup.html", {
        "form": form, "rows": rows, "error": error, "awards": [a.name for a in default_catalogue().awards],
        **_officer_links(request),
        "xlsx_url": urls.records_xlsx(name, award, unit, date_from, date_to) if rows else None})


def _officer_links(request: Request) -> dict[str, bool]:
    """Links shown only to officers who may use them: import (an editor), officers' pages (an admin)."""
    officer = officer_for_header(request)
    return {"can_import": bool(officer and officer.can("editor")), "can_manage": bool(officer and officer.can("admin"))}


@router.get("/records/export.xlsx", summary="Kết quả tra cứu dưới dạng .xlsx (theo mẫu nhập)",
            responses={**XLSX_200, **PAGE_404}, response_class=FileResponse)
def records_export(s: DB, name: Text = None, award: Text = None, unit: Text = None,
                   date_from: Annotated[str | None, Query(alias="from", pattern=ISO)] = None,
                   date_to: Annotated[str | None, Query(alias="to", pattern=ISO)] = None) -> FileResponse:
    try:
        rows = search(s, _query(name, award, unit, date_from, date_to))
    except UserError as exc:   # nothing to download (no condition, an unknown award or unit …)
        raise HTTPException(404, str(exc)) from None
    return _xlsx(lambda out: write_lines(rows, out), "tra-cuu-khen-thuong.xlsx")


@router.get("/records/template.xlsx", summary="Mẫu nhập quyết định khen thưởng (.xlsx)", responses=XLSX_200,
            response_class=FileResponse)
def records_template() -> FileResponse:
    return _xlsx(write_template, "mau-nhap-khen-thuong.xlsx")


def _xlsx(write, filename: str) -> FileResponse:
    folder = FilePath(tempfile.mkdtemp(prefix="tdkt-xlsx-"))
    out = write(folder / filename)
    import shutil
    return FileResponse(out, media_type=XLSX, filename=filename,
                        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True))


def _registry(request: Request):
    try:
        return request.app.state.kb_holder.get().registry
    except Exception:   # no knowledge base built: the data registry alone still checks citations
        return Registry.load()


@router.get("/records/decision/{decision_id}", response_class=HTMLResponse, summary="Quyết định khen thưởng: danh sách và căn cứ", responses=PAGE_404)
def decision_page(request: Request, templates: Templates, s: DB, decision_id: RowId) -> HTMLResponse:
    d = decision(s, decision_id)
    if d is None:
        raise HTTPException(404, f"Không có quyết định mã {decision_id}.")
    d["basis"] = check_basis(d["basis_lines"], _registry(request), on=dt.date.fromisoformat(d["date"]))
    rights = page_rights(request, d["owner_code"])
    return templates.TemplateResponse(request, "records_decision.html", {
        "d": d, "xlsx_url": urls.records_decision(decision_id) + "/export.xlsx", **rights,
        "history": decision_history(s, decision_id) if rights["officer"] else None})


@router.get("/records/decision/{decision_id}/export.xlsx", summary="Danh sách khen thưởng của một quyết định (.xlsx)",
            responses={**XLSX_200, **PAGE_404}, response_class=FileResponse)
def decision_xlsx(s: DB, decision_id: RowId) -> FileResponse:
    d = decision(s, decision_id)
    if d is None:
        raise HTTPException(404, f"Không có quyết định mã {decision_id}.")
    return _xlsx(lambda out: write_lines(d["lines"] + d["resistance"], out), f"quyet-dinh-{decision_id}.xlsx")


@router.get("/records/person/{person_id}/export.xlsx", summary="Quá trình khen thưởng của một cá nhân (.xlsx)",
            responses={**XLSX_200, **PAGE_404}, response_class=FileResponse)
def person_xlsx(s: DB, person_id: RowId) -> FileResponse:
    h = history(s, person_id=person_id)
    if h is None:
        raise HTTPException(404, f"Không có cá nhân mã {person_id}.")
    return _xlsx(lambda out: write_lines(h["lines"], out), f"ca-nhan-{person_id}.xlsx")


def _history(request, templates, s, person_id=None, collective_id=None) -> HTMLResponse:
    h = history(s, person_id=person_id, collective_id=collective_id)
    if h is None:
        raise HTTPException(404, f"Không có {'cá nhân' if person_id else 'tập thể'} mã {person_id or collective_id}.")
    xlsx = f"{urls.records_person(person_id)}/export.xlsx" if person_id else None
    return templates.TemplateResponse(request, "records_history.html", {"h": h, "xlsx_url": xlsx})


@router.get("/records/person/{person_id}", response_class=HTMLResponse, summary="Quá trình khen thưởng của một cá nhân", responses=PAGE_404)
def person_page(request: Request, templates: Templates, s: DB, person_id: RowId) -> HTMLResponse:
    return _history(request, templates, s, person_id=person_id)


@router.get("/records/collective/{collective_id}", response_class=HTMLResponse, summary="Quá trình khen thưởng của một tập thể", responses=PAGE_404)
def collective_page(request: Request, templates: Templates, s: DB, collective_id: RowId) -> HTMLResponse:
    return _history(request, templates, s, collective_id=collective_id)


def _period(date_from: str | None, date_to: str | None) -> tuple[dt.date, dt.date]:
    today = dt.date.today()
    start = _day(date_from, "Từ ngày") or dt.date(today.year, 1, 1)
    end = _day(date_to, "Đến ngày") or dt.date(today.year, 12, 31)
    return start, end


Day = Annotated[str | None, Query(max_length=20)]


@router.get("/records/report/{form}.xlsx", summary="Biểu 0601/0602 dưới dạng .xlsx, theo mẫu của biểu",
            responses={**XLSX_200, **PAGE_404}, response_class=FileResponse)
def report_xlsx(s: DB, form: str, date_from: Annotated[str | None, Query(alias="from", pattern=ISO)] = None,
                date_to: Annotated[str | None, Query(alias="to", pattern=ISO)] = None):
    try:
        result = reports.compute(s, form, *_period(date_from, date_to))
    except UserError as exc:
        raise HTTPException(404, str(exc)) from None
    return _xlsx(lambda out: reports.write_xlsx(result, out), f"bieu-{result.form}.xlsx")


@router.get("/records/report/{form}", response_class=HTMLResponse, summary="Biểu 0601/0602 (Thông tư 02/2023/TT-BNV)",
            responses=PAGE_404)
def report_page(request: Request, templates: Templates, s: DB, form: str,
                date_from: Annotated[str | None, Query(alias="from", max_length=20)] = None,
                date_to: Annotated[str | None, Query(alias="to", max_length=20)] = None) -> HTMLResponse:
    try:
        start, end = _period(date_from, date_to)
        result: Any = reports.compute(s, form, start, end)
        error = None
    except UserError as exc:
        result, error = None, str(exc)
        if "không có biểu" in error:
            raise HTTPException(404, error) from None
    ctx = {"r": result, "error": error, "form": form, "from": date_from or "", "to": date_to or ""}
    if result:
        ctx["from"], ctx["to"] = result.start.isoformat(), result.end.isoformat()
        ctx["xlsx_url"] = urls.records_report_xlsx(result.form, ctx["from"], ctx["to"])
    return templates.TemplateResponse(request, "records_report.html", ctx)


@router.get("/records/report/{form}/lines", response_class=HTMLResponse, summary="Các dòng khen thưởng được đếm trong một ô của biểu",
            responses=PAGE_404)
def report_cell(request: Request, templates: Templates, s: DB, form: str,
                row: Annotated[str, Query(max_length=300)], col: Annotated[str, Query(max_length=60)],
                date_from: Annotated[str | None, Query(alias="from", max_length=20)] = None,
                date_to: Annotated[str | None, Query(alias="to", max_length=20)] = None) -> HTMLResponse:
    try:
        start, end = _period(date_from, date_to)
        items = reports.cell_items(s, form, start, end, row, col)
    except UserError as exc:   # no such form, column or period: nothing behind this figure
        raise HTTPException(404, str(exc)) from None
    label = next((c["label"] for c in reports.spec()["forms"].get(form.split(".")[0], {}).get("columns", []) if c["key"] == col), col)
    return templates.TemplateResponse(request, "records_lines.html", {
        "items": items, "form": form, "row": row, "label": label, "start": start, "end": end,
        "back": urls.records_report(form, start.isoformat(), end.isoformat())})


# --- JSON API -------------------------------------------------------------------------------------

class RecordLine(Open):
    """Một dòng khen thưởng: ai, hình thức nào, theo quyết định nào (như `tdkt records search --json`)."""
    name: str = Field(description="họ và tên, hoặc tên tập thể, như đã ghi")
    recipient_kind: str = Field(description="individual | collective | household")
    award: str = Field(description="danh hiệu / hình thức khen thưởng (tên trong danh mục)")
    decision_id: int
    decision_number: str = Field(description="số quyết định, ví dụ 1234/QĐ-UBND")
    decision_date: str = Field(description="ngày quyết định, YYYY-MM-DD")
    issuer: str
    unit: str | None = None
    year: int | None = Field(None, description="năm của thành tích")
    period: str | None = Field(None, description="thời kỳ, cho khen thưởng kháng chiến")


class RecordSearchResponse(Open):
    count: int = Field(description="số dòng trả về (tối đa limit)")
    lines: list[RecordLine] = Field(description="mới nhất trước")


@router.get(urls.API_PREFIX + "/records/search", tags=["api"], response_model=RecordSearchResponse,
            summary="Tra cứu khen thưởng (JSON): họ tên không dấu, hình thức, đơn vị, thời gian",
            responses={**ERRORS_400, **ERRORS_404, **ERRORS_503})
def api_records_search(s: DB, name: Text = None, award: Text = None, unit: Text = None,
                       date_from: Annotated[str | None, Query(alias="from", pattern=ISO)] = None,
                       date_to: Annotated[str | None, Query(alias="to", pattern=ISO)] = None,
                       limit: Annotated[int, Query(ge=1, le=500)] = 100) -> dict[str, Any]:
    try:
        q = _query(name, award, unit, date_from, date_to)
        q.limit = limit
        lines = search(s, q)
        return {"count": len(lines), "lines": lines}
    except UserError as exc:   # no condition, an unknown award or unit: nothing found under that name
        raise HTTPException(404, str(exc)) from None
