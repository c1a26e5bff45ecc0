"""The records' write pages (issue 16): import a file from the site (/records/import, and
POST /api/records/import for programs), edit or delete a decision or an award line, each by a
logged-in editor of the unit that owns the record (records.units: the issuer, or the cơ quan
trình of a central body's decision; a role in a tỉnh covers its huyện and xã and the units merged
into it, ``app.state.unit_ancestors``). Every write is guarded by accounts.web.require_officer
(a session and its CSRF token) and audited under the officer's login by the records session.

The import is the command line's (records.importing.import_file): the same checks, errors per row
with the cell named, nothing imported from a file with a bad row unless the good rows are
accepted, one transaction, a re-import adds nothing."""
from __future__ import annotations

import hmac
import secrets
import shutil
import tempfile
import time
from pathlib import Path as FilePath
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import Field
from starlette.concurrency import run_in_threadpool

from accounts.officer import Officer
from accounts.web import current_officer, form_values, require_officer
from awards.catalogue import default_catalogue
from corpus.errors import UserError
from records.columns import layout
from records.db import open_db
from records.editing import DECISION_FIELDS, decision_values, delete_decision, edit_decision, edit_line, EditRefused, LINE_FIELDS, line_values
from records.importing import import_file
from records.lookup import decision, line_dict
from records.models import AwardLine, Decision
from records.units import code_of, unit_ancestors

from .. import urls
from ..deps import Templates
from .api_models import ERRORS_400, ERRORS_503, ErrorBody, Open, RowId

router = APIRouter()
Editor = Annotated[Officer, Depends(require_officer("editor"))]

UPLOAD_LIMIT = 10 * 1024 * 1024          # an office's file of a few thousand lines is well under 1 MB
SUFFIXES = (".xlsx", ".csv")
ERRORS_403 = {403: {"model": ErrorBody, "description": "Chưa đăng nhập, mã CSRF sai, hoặc không có quyền cập nhật"}}
ERRORS_413 = {413: {"model": ErrorBody, "description": "Tệp quá lớn"}}


def install(app: Any, settings: Any) -> None:
    """The write routes on ``app``, and the guards' unit hierarchy from the records' units."""
    app.include_router(router)

    def ancestors(code: str) -> list[str]:
        try:
            return unit_ancestors(open_db(settings.records_url()))(code)
        except UserError:        # no records database: a role counts in its own unit only
            return []
    app.state.unit_ancestors = ancestors


def _db(request: Request):
    try:
        return open_db(request.app.state.settings.records_url())
    except UserError as exc:
        raise HTTPException(503, f"Không mở được cơ sở dữ liệu khen thưởng: {exc}") from None


def may_write(request: Request, officer: Officer, unit_code: str | None) -> bool:
    return unit_code is not None and officer.can("editor", unit_code, request.app.state.unit_ancestors)


def owner_check(request: Request, officer: Officer):
    """records.importing.OwnerCheck for ``officer``: None for a unit they may write, else why not."""
    db = _db(request)

    def check(owner: str) -> str | None:
        with db.session() as s:
            code = code_of(s, owner)
        if may_write(request, officer, code):
            return None
        return (f"tài khoản {officer.login} không có quyền cập nhật hồ sơ của “{owner}” (mã đơn vị {code}); "
                "quyết định của cơ quan Trung ương ghi vào sổ của cơ quan trình: ghi cột Cơ quan trình")
    return check


# --- import ---------------------------------------------------------------------------------------

async def upload_size(request: Request) -> None:
    """Refuse a body over the limit by its Content-Length, before anything reads it."""
    length = request.headers.get("content-length")
    if length is None:
        raise HTTPException(411, "Cần ghi Content-Length khi tải tệp lên.")
    if not length.isdigit() or int(length) > UPLOAD_LIMIT + 64 * 1024:
        raise HTTPException(413, f"Tệp quá lớn: tối đa {UPLOAD_LIMIT // (1024 * 1024)} MB; chia thành nhiều tệp.")


def _import_page(request: Request, templates, status: int = 200, **ctx: Any) -> HTMLResponse:
    base = {"result": None, "error": None, "filename": "", "accept": False, "limit_mb": UPLOAD_LIMIT // (1024 * 1024),
            "template_url": urls.records_template()}
    return templates.TemplateResponse(request, "records_import.html", {**base, **ctx}, status_code=status)


@router.get("/records/import", response_class=HTMLResponse, include_in_schema=False)
def import_form(request: Request, templates: Templates, officer: Editor) -> HTMLResponse:
    return _import_page(request, templates)


async def _saved_upload(request: Request) -> tuple[FilePath, str, bool]:
    """The uploaded file saved to a temporary folder (its name kept for the messages), its name,
    and whether the good rows are accepted. UserError for no file, a wrong type or a big file."""
    form = await request.form()
    upload = form.get("file")
    accept = str(form.get("accept_good_rows") or "").lower() in ("1", "on", "true", "yes")
    if upload is None or isinstance(upload, str) or not upload.filename:
        raise UserError("Chưa chọn tệp: chọn tệp .xlsx hoặc .csv theo mẫu nhập.")
    name = FilePath(upload.filename.replace("\\", "/")).name[:120] or "tep"
    if FilePath(name).suffix.lower() not in SUFFIXES:
        raise UserError(f"“{name}”: chỉ nhận tệp .xlsx hoặc .csv (lưu lại từ Excel dưới dạng .xlsx; không nhận .xls, .xlsm).")
    folder = FilePath(tempfile.mkdtemp(prefix="tdkt-upload-"))
    path = folder / ("upload" + FilePath(name).suffix.lower())
    size = 0
    try:
        with path.open("wb") as out:
            while chunk := await upload.read(1024 * 1024):
                size += len(chunk)
                if size > UPLOAD_LIMIT:
                    raise UserError(f"“{name}”: tệp quá lớn (tối đa {UPLOAD_LIMIT // (1024 * 1024)} MB): chia thành nhiều tệp.")
                out.write(chunk)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return path, name, accept


def _run_import(request: Request, officer: Officer, path: FilePath, name: str, accept: bool):
    try:
        return import_file(_db(request), path, actor=officer.login, accept_good_rows=accept,
                           may_own=owner_check(request, officer))
    except UserError as exc:   # not a spreadsheet, no header, empty …: named by the file's own name
        raise UserError(str(exc).replace(str(path), f"“{name}”")) from None


async def _import(request: Request, officer: Officer, keep: bool = False):
    """(result, file name, accepted, token of the file kept for "import the good rows" or None).
    The page's form sends a new file, or ``upload_token``: the file this session checked last."""
    form = await request.form()
    token, upload = form.get("upload_token"), form.get("file")
    if keep and isinstance(token, str) and token and (upload is None or isinstance(upload, str) or not upload.filename):
        path, name = _kept_upload(request, officer, token)
        accept = True
    else:
        path, name, accept = await _saved_upload(request)
    kept = None
    try:
        result = await run_in_threadpool(_run_import, request, officer, path, name, accept)
        if keep and not result.imported and result.rows > len({e.row for e in result.errors}):
            kept = _keep(request, officer, path, name)
    finally:
        shutil.rmtree(path.parent, ignore_errors=True)
    return result, name, accept, kept


KEPT_FOLDER = "uploads"          # under the build folder: a checked file kept for "import the good rows"
KEEP_SECONDS = 3600
_KEPT_KEY = "records_upload"


def _kept_folder(request: Request) -> FilePath:
    return FilePath(request.app.state.settings.build_dir) / KEPT_FOLDER


def _keep(request: Request, officer: Officer, path: FilePath, name: str) -> str | None:
    """Keep a checked file for this session's officer (one at a time; files older than an hour go)."""
    folder = _kept_folder(request)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        now = time.time()
        for old in folder.iterdir():
            if now - old.stat().st_mtime > KEEP_SECONDS:
                old.unlink(missing_ok=True)
        previous = request.session.get(_KEPT_KEY)
        if isinstance(previous, dict) and isinstance(previous.get("token"), str):
            (folder / (previous["token"] + str(previous.get("suffix", "")))).unlink(missing_ok=True)
        token = secrets.token_urlsafe(18)
        shutil.move(str(path), folder / (token + path.suffix))
    except OSError:
        return None            # nowhere to keep it: the officer chooses the file again
    request.session[_KEPT_KEY] = {"token": token, "name": name, "suffix": path.suffix, "officer": officer.id}
    return token


def _kept_upload(request: Request, officer: Officer, token: str) -> tuple[FilePath, str]:
    """The file kept by ``_keep`` for this session and officer, moved to a temporary folder. The
    token only names it; the file's name on disk comes from the signed session."""
    entry = request.session.get(_KEPT_KEY)
    gone = UserError("Tệp đã kiểm tra không còn được giữ (quá một giờ, hoặc đã nhập): hãy chọn lại tệp.")
    if (not isinstance(entry, dict) or entry.get("officer") != officer.id or not isinstance(entry.get("token"), str)
            or not hmac.compare_digest(entry["token"].encode(), token.encode())):
        raise gone
    request.session.pop(_KEPT_KEY, None)
    source = _kept_folder(request) / (entry["token"] + str(entry.get("suffix", "")))
    if not source.is_file():
        raise gone
    folder = FilePath(tempfile.mkdtemp(prefix="tdkt-upload-"))
    path = folder / ("upload" + source.suffix)
    shutil.move(str(source), path)
    return path, str(entry.get("name") or "tệp")


@router.post("/records/import", response_class=HTMLResponse, include_in_schema=False,
             dependencies=[Depends(upload_size)])
async def import_submit(request: Request, templates: Templates, officer: Editor) -> HTMLResponse:
    try:
        result, name, accept, kept = await _import(request, officer, keep=True)
    except UserError as exc:
        return _import_page(request, templates, 400, error=str(exc))
    return _import_page(request, templates, 200 if result.imported else 422, result=result, filename=name, accept=accept,
                        upload_token=kept, good_rows=result.rows - len({e.row for e in result.errors}))


class ImportError_(Open):
    row: int = Field(description="số dòng trong tệp, như Excel đánh số")
    column: str = Field(description="chữ cột, như Excel ghi (A, B …)")
    header: str = Field(description="tên cột")
    message: str


class ImportedDecision(Open):
    id: int
    number: str
    date: str = Field(description="YYYY-MM-DD")
    url: str


class ImportResponse(Open):
    imported: bool = Field(description="false: tệp có dòng lỗi và không nhập gì (gửi lại với accept_good_rows=1 để nhập các dòng đúng)")
    rows: int = Field(description="số dòng dữ liệu của tệp")
    added: int = Field(description="số dòng khen thưởng mới")
    existing: int = Field(description="số dòng đã có (nhập lại không thêm)")
    decisions_added: int
    errors: list[ImportError_]
    decisions: list[ImportedDecision]


@router.post(urls.API_PREFIX + "/records/import", tags=["api"], response_model=ImportResponse,
             summary="Nhập quyết định khen thưởng từ tệp .xlsx/.csv (cần phiên đăng nhập và tiêu đề X-CSRF-Token)",
             description="Gửi multipart/form-data: `file` (.xlsx hoặc .csv theo mẫu), `accept_good_rows` (1: nhập các dòng đúng).",
             dependencies=[Depends(upload_size)], responses={**ERRORS_400, **ERRORS_403, **ERRORS_413, **ERRORS_503})
async def api_import(request: Request, officer: Editor) -> dict[str, Any]:
    try:
        result, _, _, _ = await _import(request, officer)
    except UserError as exc:
        raise HTTPException(400, str(exc)) from None
    return {"imported": result.imported, "rows": result.rows, "added": result.added, "existing": result.existing,
            "decisions_added": result.decisions_added,
            "errors": [{"row": e.row, "column": e.column, "header": e.header, "message": e.message} for e in result.errors],
            "decisions": [{"id": i, "number": n, "date": d.isoformat(), "url": urls.records_decision(i)}
                          for i, n, d in result.decisions]}


# --- edit and delete ------------------------------------------------------------------------------

def _decision(s, request: Request, officer: Officer, decision_id: int):
    d = s.get(Decision, decision_id)
    if d is None:
        raise HTTPException(404, f"Không có quyết định mã {decision_id}.")
    code = d.owner_unit.code if d.owner_unit else None
    if not may_write(request, officer, code):
        owner = d.owner_unit.name if d.owner_unit else "(chưa có đơn vị quản lý)"
        raise HTTPException(403, f"Tài khoản {officer.login} không có quyền cập nhật quyết định của {owner}.")
    return d


def _line(s, request: Request, officer: Officer, line_id: int):
    line = s.get(AwardLine, line_id)
    if line is None:
        raise HTTPException(404, f"Không có dòng khen thưởng mã {line_id}.")
    _decision(s, request, officer, line.decision_id)
    return line


def _edit_page(request: Request, templates, ctx: dict, status: int = 200) -> HTMLResponse:
    lay = layout()
    return templates.TemplateResponse(request, "records_edit.html", {
        "labels": {c.key: c.header for c in lay.columns}, "errors": [], "methods": list(lay.methods.values()),
        "awards": [a.name for a in default_catalogue().awards], **ctx}, status_code=status)


@router.get("/records/decision/{decision_id}/edit", response_class=HTMLResponse, include_in_schema=False)
def decision_edit_form(request: Request, templates: Templates, officer: Editor, decision_id: RowId) -> HTMLResponse:
    with _db(request).session() as s:
        d = _decision(s, request, officer, decision_id)
        ctx = {"what": "decision", "d": d, "values": decision_values(d), "back": urls.records_decision(decision_id)}
        return _edit_page(request, templates, ctx)


def _save_decision(request: Request, officer: Officer, decision_id: int, values: dict[str, str]):
    with _db(request).session(actor=officer.login) as s:
        d = _decision(s, request, officer, decision_id)
        edit_decision(s, d, values, owner_check(request, officer))


@router.post("/records/decision/{decision_id}/edit", response_class=HTMLResponse, include_in_schema=False)
async def decision_edit(request: Request, templates: Templates, officer: Editor, decision_id: RowId):
    fields = await form_values(request)
    values = {k: fields.get(k, "")[:4000] for k in DECISION_FIELDS}
    try:
        await run_in_threadpool(_save_decision, request, officer, decision_id, values)
    except EditRefused as exc:
        errors = exc.errors

        def page():
            with _db(request).session() as s:
                d = _decision(s, request, officer, decision_id)
                return _edit_page(request, templates, {"what": "decision", "d": d, "values": values, "errors": errors,
                                                       "back": urls.records_decision(decision_id)}, 400)
        return await run_in_threadpool(page)
    return RedirectResponse(urls.records_decision(decision_id) + "#history", status_code=303)


@router.get("/records/line/{line_id}/edit", response_class=HTMLResponse, include_in_schema=False)
def line_edit_form(request: Request, templates: Templates, officer: Editor, line_id: RowId) -> HTMLResponse:
    with _db(request).session() as s:
        line = _line(s, request, officer, line_id)
        ctx = {"what": "line", "line": line_dict(line), "values": line_values(line),
               "back": urls.records_decision(line.decision_id)}
        return _edit_page(request, templates, ctx)


@router.post("/records/line/{line_id}/edit", response_class=HTMLResponse, include_in_schema=False)
async def line_edit(request: Request, templates: Templates, officer: Editor, line_id: RowId):
    fields = await form_values(request)
    values = {k: fields.get(k, "")[:4000] for k in LINE_FIELDS}

    def save() -> int:
        with _db(request).session(actor=officer.login) as s:
            line = _line(s, request, officer, line_id)
            edit_line(s, line, values)
            return line.decision_id

    try:
        decision_id = await run_in_threadpool(save)
    except EditRefused as exc:
        errors = exc.errors

        def page():
            with _db(request).session() as s:
                line = _line(s, request, officer, line_id)
                return _edit_page(request, templates, {"what": "line", "line": line_dict(line), "values": values,
                                                       "errors": errors, "back": urls.records_decision(line.decision_id)}, 400)
        return await run_in_threadpool(page)
    return RedirectResponse(urls.records_decision(decision_id) + "#history", status_code=303)


def _confirm_page(request: Request, templates, ctx: dict) -> HTMLResponse:
    return templates.TemplateResponse(request, "records_delete.html", ctx)


@router.get("/records/decision/{decision_id}/delete", response_class=HTMLResponse, include_in_schema=False)
def decision_delete_form(request: Request, templates: Templates, officer: Editor, decision_id: RowId) -> HTMLResponse:
    with _db(request).session() as s:
        _decision(s, request, officer, decision_id)
        d = decision(s, decision_id)
        return _confirm_page(request, templates, {"what": "decision", "d": d, "back": urls.records_decision(decision_id),
                                                  "action": urls.records_decision(decision_id) + "/delete"})


@router.post("/records/decision/{decision_id}/delete", response_class=HTMLResponse, include_in_schema=False)
def decision_delete(request: Request, templates: Templates, officer: Editor, decision_id: RowId) -> HTMLResponse:
    with _db(request).session(actor=officer.login) as s:
        d = _decision(s, request, officer, decision_id)
        number, day = d.number, d.date
        n = delete_decision(s, d)
    return templates.TemplateResponse(request, "records_delete.html", {
        "what": "deleted", "message": f"Đã xóa quyết định {number} ngày {day:%d/%m/%Y} và {n} dòng khen thưởng của nó.",
        "back": urls.records()})


@router.get("/records/line/{line_id}/delete", response_class=HTMLResponse, include_in_schema=False)
def line_delete_form(request: Request, templates: Templates, officer: Editor, line_id: RowId) -> HTMLResponse:
    with _db(request).session() as s:
        line = _line(s, request, officer, line_id)
        return _confirm_page(request, templates, {"what": "line", "line": line_dict(line),
                                                  "back": urls.records_decision(line.decision_id),
                                                  "action": f"/records/line/{line_id}/delete"})


@router.post("/records/line/{line_id}/delete", include_in_schema=False)
def line_delete(request: Request, officer: Editor, line_id: RowId) -> RedirectResponse:
    with _db(request).session(actor=officer.login) as s:
        line = _line(s, request, officer, line_id)
        decision_id = line.decision_id
        s.delete(line)
    return RedirectResponse(urls.records_decision(decision_id) + "#history", status_code=303)


def page_rights(request: Request, owner_code: str | None) -> dict[str, bool]:
    """What the logged-in officer (if any) may do on a decision's page: edit it, see its history."""
    officer = current_officer(request)
    return {"can_edit": officer is not None and may_write(request, officer, owner_code),
            "officer": officer is not None}
