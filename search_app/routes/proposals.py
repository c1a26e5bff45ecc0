"""Registration (đăng ký thi đua) and proposals (hồ sơ đề nghị khen thưởng), issue 17: a unit's
home page (/proposals), a proposal's and a registration's pages with their forms, and the same
steps as a JSON API under /api. Every route needs a logged-in officer (require_officer); a write
also needs the session's CSRF token (form field or X-CSRF-Token header) and the editor role in the
unit that holds the thing now (proposals/workflow.py); reading needs a role in the proposing or the
receiving unit. The library is proposals/; this module only reads requests and shapes answers."""
from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path as FilePath
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from accounts.officer import Officer
from accounts.web import csrf_token, require_officer
from awards.catalogue import default_catalogue, parse_day
from corpus.errors import UserError
from corpus.registry import Registry
from proposals import attachments, clock, deadlines, decision, dossier, registration, views, workflow
from proposals.attachments import MAX_BYTES
from proposals.checks import document_kinds
from proposals.db import open_proposals
from proposals.errors import NotAllowed, NotFound, WrongStatus
from records.reading import MAX_BYTES as SHEET_MAX_BYTES

from .. import urls
from ..deps import KB, Templates
from .api_models import ERRORS_400, ERRORS_404, ERRORS_503, ErrorBody, Open, RowId

router = APIRouter()
Viewer = Annotated[Officer, Depends(require_officer("viewer"))]
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ERRORS = {**ERRORS_400, 403: {"model": ErrorBody, "description": "Chưa đăng nhập, thiếu mã CSRF hoặc không có quyền"},
          **ERRORS_404, 409: {"model": ErrorBody, "description": "Hồ sơ không ở trạng thái cho phép thao tác này"},
          413: {"model": ErrorBody, "description": "Tệp quá lớn"}, **ERRORS_503}
# A multipart body larger than this is refused before it is read (the file limit plus the form's other fields).
MAX_UPLOAD_BODY = 21 * 1024 * 1024


def _status_of(exc: UserError) -> int:
    return 404 if isinstance(exc, NotFound) else 403 if isinstance(exc, NotAllowed) else \
        409 if isinstance(exc, WrongStatus) else 400


@contextmanager
def _session(request: Request, officer: Officer | None) -> Iterator[Session]:
    """One transaction on the records database (the proposals' tables migrated), as ``officer``;
    a UserError inside becomes the HTTP answer it stands for, and nothing of the request is kept."""
    try:
        db = open_proposals(request.app.state.settings.records_url())
    except UserError as exc:
        raise HTTPException(503, f"Không mở được cơ sở dữ liệu khen thưởng: {exc}") from None
    try:
        with db.session(actor=officer.login if officer else None) as s:
            yield s
    except UserError as exc:
        raise HTTPException(_status_of(exc), str(exc)) from None


def _can(request: Request, officer: Officer, role: str) -> Callable[[str], bool]:
    """A role in exactly that unit: proposals move between units, and only the unit holding one
    may move it — an officer of the province does not act for a commune (unlike the records, where
    ``app.state.unit_ancestors`` lets the province correct a commune's entries)."""
    return lambda code: officer.can(role, code)


def _editor_of(request: Request, officer: Officer, code: str) -> None:
    if not _can(request, officer, "editor")(code):
        raise NotAllowed(f"tài khoản {officer.login} không có quyền cập nhật của đơn vị {code}")


def _proposal(request: Request, s: Session, officer: Officer, proposal_id: int):
    """The proposal if the officer holds a role in its proposing or receiving unit (404 otherwise:
    another unit's proposal is not shown to exist)."""
    p = dossier.get(s, proposal_id)
    can = _can(request, officer, "viewer")
    if not (can(p.unit.code) or (p.status != "draft" and can(p.receiver.code))):
        raise NotFound(f"không có hồ sơ đề nghị số {proposal_id}")
    return p


def _registration(request: Request, s: Session, officer: Officer, registration_id: int):
    r = registration.get(s, registration_id)
    can = _can(request, officer, "viewer")
    if not (can(r.unit.code) or (r.status != "draft" and can(r.receiver.code))):
        raise NotFound(f"không có bản đăng ký thi đua số {registration_id}")
    return r


def _holding(request: Request, officer: Officer, obj) -> str:
    """The code of the unit holding ``obj``, when the officer may write for it."""
    holder = workflow.holder_unit(obj)
    if holder is None:
        raise WrongStatus("hồ sơ đã kết thúc: không chuyển được nữa")
    if not _can(request, officer, "editor")(holder.code):
        raise NotAllowed(f"hồ sơ đang do {holder.name} giữ: tài khoản {officer.login} không có quyền cập nhật của đơn vị đó")
    return holder.code


def _build_dir(request: Request) -> FilePath:
    return FilePath(request.app.state.settings.build_dir)


def _registry(request: Request):
    try:
        return request.app.state.kb_holder.get().registry
    except Exception:   # no knowledge base built: the data registry alone gives the căn cứ lines
        return Registry.load()


def _day(value: str | None, what: str) -> dt.date:
    try:
        return parse_day((value or "").strip())
    except UserError:
        raise UserError(f"{what} “{(value or '')[:20]}” không phải ngày: ghi 2026-01-31 hoặc 31/01/2026") from None


def _int_or_none(value: Any, what: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise UserError(f"{what} “{str(value)[:20]}” không phải một số") from None


async def _limit_upload(request: Request) -> None:
    """Refuse an upload larger than the limit from its Content-Length, before any of it is read."""
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > MAX_UPLOAD_BODY:
        raise HTTPException(413, f"Tệp quá lớn: tối đa {MAX_BYTES // (1024 * 1024)} MB mỗi tệp.")


# --- the operations, shared by the pages and the API -----------------------------------------------

def do_home(request: Request, officer: Officer, unit: str | None) -> dict[str, Any]:
    codes = list(officer.roles)
    code = (unit or "").strip() or (codes[0] if codes else "")
    if not _can(request, officer, "viewer")(code):
        raise HTTPException(403, f"Tài khoản {officer.login} không có vai trò nào ở đơn vị {code or '(chưa chọn)'}.")
    with _session(request, None) as s:
        u = dossier.unit_by_code(s, code)
        lists = views.unit_lists(s, u.id)
        awards = lists.pop("_awards")
        today = clock.today()
        soon = [{"award": d.award, "day": d.day.isoformat(), "days_left": d.days_left, "article": d.article, "quote": d.quote}
                for d in deadlines.approaching(awards, today, u.province)]
        return {"unit": {"id": u.id, "code": u.code, "name": u.name, "level": u.level}, "units": codes,
                "can_edit": _can(request, officer, "editor")(u.code), **lists, "deadlines": soon,
                "csrf_token": csrf_token(request)}


def do_create(request: Request, officer: Officer, unit: str, award: str, year: Any, title: str | None,
              movement_id: Any) -> int:
    with _session(request, officer) as s:
        _editor_of(request, officer, unit)
        p = dossier.create(s, dossier.unit_by_code(s, unit), award, year, officer.login, title=title,
                           movement_id=_int_or_none(movement_id, "Phong trào"))
        return p.id


def do_show(request: Request, officer: Officer, proposal_id: int) -> dict[str, Any]:
    with _session(request, None) as s:
        return views.proposal(_proposal(request, s, officer, proposal_id), _can(request, officer, "editor"))


def do_add_recipient(request: Request, officer: Officer, proposal_id: int, kind: str, name: str, achievement: str | None) -> None:
    with _session(request, officer) as s:
        p = _proposal(request, s, officer, proposal_id)
        _editor_of(request, officer, p.unit.code)
        dossier.add_recipient(s, p, kind, name, achievement)


def do_remove_recipient(request: Request, officer: Officer, proposal_id: int, recipient_id: int) -> None:
    with _session(request, officer) as s:
        p = _proposal(request, s, officer, proposal_id)
        _editor_of(request, officer, p.unit.code)
        dossier.remove_recipient(s, p, recipient_id)


async def do_attach(request: Request, officer: Officer, proposal_id: int) -> None:
    """The multipart form's ``file`` attached as a document of kind ``kind``."""
    form = await request.form()
    upload = form.get("file")
    if upload is None or isinstance(upload, str):
        raise HTTPException(400, "Chưa chọn tệp để đính kèm (trường file).")
    content = await upload.read(MAX_BYTES + 1)
    kind = str(form.get("kind") or "")

    def attach() -> None:
        stored = []
        try:
            with _session(request, officer) as s:
                p = _proposal(request, s, officer, proposal_id)
                _editor_of(request, officer, p.unit.code)
                stored.append(dossier.attach(s, p, kind, upload.filename, content, _build_dir(request), officer.login).stored_name)
        except BaseException:   # the transaction did not commit: the file on disk goes too
            for name in stored:
                attachments.discard(_build_dir(request), name)
            raise
    await run_in_threadpool(attach)


def do_download(request: Request, officer: Officer, proposal_id: int, attachment_id: int) -> Response:
    with _session(request, None) as s:
        p = _proposal(request, s, officer, proposal_id)
        a = next((a for a in p.attachments if a.id == attachment_id), None)
        if a is None:
            raise NotFound(f"hồ sơ số {proposal_id} không có tệp đính kèm mã {attachment_id}")
        path = attachments.path_of(_build_dir(request), a.stored_name)
        try:
            content = path.read_bytes()
        except OSError:
            raise NotFound(f"tệp “{a.filename}” không còn trên đĩa của máy chủ") from None
        media, filename = a.media_type, a.filename
    from urllib.parse import quote
    return Response(content, media_type=media, headers={
        "Content-Disposition": f"attachment; filename=\"{filename.encode('ascii', 'replace').decode()}\"; "
                               f"filename*=UTF-8''{quote(filename)}",
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "Cache-Control": "private, no-store"})


def do_submit(request: Request, officer: Officer, proposal_id: int, justification: str | None,
              kb: Any = None) -> dict[str, Any]:
    """``kb``: the knowledge base, so that each failure links to the section stating its rule."""
    with _session(request, officer) as s:
        p = _proposal(request, s, officer, proposal_id)
        code = _holding(request, officer, p)
        dossier.submit(s, p, officer.login, code, justification, corpus=kb)
        return {"sent": p.status == "submitted", "failures": p.failures or [], "status": p.status}


def do_move(request: Request, officer: Officer, proposal_id: int, action: str, reason: str | None) -> None:
    with _session(request, officer) as s:
        p = _proposal(request, s, officer, proposal_id)
        rule = workflow.workflow("proposal").rules.get(action)
        if rule is not None and rule.by_form:
            raise WrongStatus(f"“{rule.label}”: dùng biểu mẫu nhập quyết định")
        if action == "submit":
            raise WrongStatus("gửi hồ sơ: dùng thao tác gửi (kiểm tra trước khi gửi)")
        workflow.move(s, p, action, officer.login, _holding(request, officer, p), reason)


def do_decide(request: Request, officer: Officer, proposal_id: int, number: str, date: str | None, signer: str,
              issuer: str | None) -> int:
    with _session(request, officer) as s:
        p = _proposal(request, s, officer, proposal_id)
        d = decision.enter(s, p, number, _day(date, "Ngày quyết định"), signer, officer.login,
                           _holding(request, officer, p), _registry(request), issuer)
        return d.id


def do_decision_docx(request: Request, officer: Officer, proposal_id: int) -> bytes:
    with _session(request, None) as s:
        return decision.draft_docx(_proposal(request, s, officer, proposal_id), _registry(request))


def do_create_registration(request: Request, officer: Officer, unit: str, year: Any, movement_id: Any) -> int:
    with _session(request, officer) as s:
        _editor_of(request, officer, unit)
        return registration.create(s, dossier.unit_by_code(s, unit), year, officer.login,
                                   _int_or_none(movement_id, "Phong trào")).id


def do_show_registration(request: Request, officer: Officer, registration_id: int) -> dict[str, Any]:
    with _session(request, None) as s:
        return views.registration(_registration(request, s, officer, registration_id), _can(request, officer, "editor"))


def do_add_entry(request: Request, officer: Officer, registration_id: int, kind: str, name: str, award: str,
                 note: str | None) -> None:
    with _session(request, officer) as s:
        r = _registration(request, s, officer, registration_id)
        _editor_of(request, officer, r.unit.code)
        registration.add_entry(s, r, kind, name, award, note)


async def do_import(request: Request, officer: Officer, registration_id: int) -> int:
    form = await request.form()
    upload = form.get("file")
    if upload is None or isinstance(upload, str):
        raise HTTPException(400, "Chưa chọn tệp đăng ký (.xlsx hoặc .csv, trường file).")
    name = FilePath(upload.filename or "dang-ky.xlsx").name
    if FilePath(name).suffix.lower() not in (".xlsx", ".csv"):
        raise HTTPException(400, f"Tệp “{name[:80]}” không phải .xlsx hoặc .csv: dùng mẫu đăng ký.")
    content = await upload.read(SHEET_MAX_BYTES + 1)

    def run() -> int:
        with tempfile.TemporaryDirectory(prefix="tdkt-dangky-") as folder:
            path = FilePath(folder) / ("dang-ky" + FilePath(name).suffix.lower())
            path.write_bytes(content)
            with _session(request, officer) as s:
                r = _registration(request, s, officer, registration_id)
                _editor_of(request, officer, r.unit.code)
                return registration.import_file(s, r, path)
    return await run_in_threadpool(run)


def do_move_registration(request: Request, officer: Officer, registration_id: int, action: str, reason: str | None) -> None:
    with _session(request, officer) as s:
        r = _registration(request, s, officer, registration_id)
        workflow.move(s, r, action, officer.login, _holding(request, officer, r), reason)


def do_start_proposals(request: Request, officer: Officer, registration_id: int) -> list[int]:
    with _session(request, officer) as s:
        r = _registration(request, s, officer, registration_id)
        _editor_of(request, officer, r.unit.code)
        return [p.id for p in registration.start_proposals(s, r, officer.login)]


# --- pages ----------------------------------------------------------------------------------------

async def _fields(request: Request) -> dict[str, str]:
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str)}


def _back(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


@router.get("/proposals", response_class=HTMLResponse, include_in_schema=False)
def home_page(request: Request, templates: Templates, officer: Viewer, unit: Annotated[str | None, Query(max_length=64)] = None):
    ctx = do_home(request, officer, unit)
    return templates.TemplateResponse(request, "proposals_home.html", {
        **ctx, "awards": [a.name for a in default_catalogue().awards], "this_year": clock.today().year})


@router.post("/proposals", include_in_schema=False)
async def create_page(request: Request, officer: Viewer):
    f = await _fields(request)
    pid = await run_in_threadpool(do_create, request, officer, f.get("unit", ""), f.get("award", ""), f.get("year", ""),
                                  f.get("title"), f.get("movement_id"))
    return _back(urls.proposal(pid))


@router.get("/proposals/{proposal_id}", response_class=HTMLResponse, include_in_schema=False)
def proposal_page(request: Request, templates: Templates, officer: Viewer, proposal_id: RowId):
    return _proposal_response(request, templates, do_show(request, officer, proposal_id))


def _proposal_response(request: Request, templates, p: dict) -> HTMLResponse:
    """The proposal's page (after a submit the pre-send check stopped, ``p`` carries its failures and
    the page asks for a justification)."""
    return templates.TemplateResponse(request, "proposal.html", {"p": p, "kinds": document_kinds(),
                                                                 "today": clock.today().isoformat()})


@router.post("/proposals/{proposal_id}/recipients", include_in_schema=False)
async def add_recipient_page(request: Request, officer: Viewer, proposal_id: RowId):
    f = await _fields(request)
    await run_in_threadpool(do_add_recipient, request, officer, proposal_id, f.get("kind", ""), f.get("name", ""), f.get("achievement"))
    return _back(urls.proposal(proposal_id) + "#recipients")


@router.post("/proposals/{proposal_id}/recipients/{recipient_id}/delete", include_in_schema=False)
async def remove_recipient_page(request: Request, officer: Viewer, proposal_id: RowId, recipient_id: RowId):
    await run_in_threadpool(do_remove_recipient, request, officer, proposal_id, recipient_id)
    return _back(urls.proposal(proposal_id) + "#recipients")


@router.post("/proposals/{proposal_id}/attachments", include_in_schema=False, dependencies=[Depends(_limit_upload)])
async def attach_page(request: Request, officer: Viewer, proposal_id: RowId):
    await do_attach(request, officer, proposal_id)
    return _back(urls.proposal(proposal_id) + "#attachments")


@router.get("/proposals/{proposal_id}/attachments/{attachment_id}", include_in_schema=False)
def attachment_download(request: Request, officer: Viewer, proposal_id: RowId, attachment_id: RowId):
    return do_download(request, officer, proposal_id, attachment_id)


@router.post("/proposals/{proposal_id}/submit", response_class=HTMLResponse, include_in_schema=False)
async def submit_page(request: Request, templates: Templates, officer: Viewer, proposal_id: RowId, kb: KB):
    f = await _fields(request)
    result = await run_in_threadpool(do_submit, request, officer, proposal_id, f.get("justification"), kb)
    if result["sent"]:
        return _back(urls.proposal(proposal_id))
    p = await run_in_threadpool(do_show, request, officer, proposal_id)
    return _proposal_response(request, templates, p)


@router.post("/proposals/{proposal_id}/move", include_in_schema=False)
async def move_page(request: Request, officer: Viewer, proposal_id: RowId):
    f = await _fields(request)
    await run_in_threadpool(do_move, request, officer, proposal_id, f.get("action", ""), f.get("reason"))
    return _back(urls.proposal(proposal_id))


@router.post("/proposals/{proposal_id}/decision", include_in_schema=False)
async def decide_page(request: Request, officer: Viewer, proposal_id: RowId):
    f = await _fields(request)
    await run_in_threadpool(do_decide, request, officer, proposal_id, f.get("number", ""), f.get("date"),
                            f.get("signer", ""), f.get("issuer"))
    return _back(urls.proposal(proposal_id))


@router.get("/proposals/{proposal_id}/decision.docx", include_in_schema=False)
def decision_docx(request: Request, officer: Viewer, proposal_id: RowId):
    content = do_decision_docx(request, officer, proposal_id)
    return Response(content, media_type=DOCX, headers={
        "Content-Disposition": f'attachment; filename="du-thao-quyet-dinh-{proposal_id}.docx"',
        "X-Content-Type-Options": "nosniff"})


@router.post("/registrations", include_in_schema=False)
async def create_registration_page(request: Request, officer: Viewer):
    f = await _fields(request)
    rid = await run_in_threadpool(do_create_registration, request, officer, f.get("unit", ""), f.get("year", ""), f.get("movement_id"))
    return _back(urls.registration(rid))


@router.get("/registrations/{registration_id}", response_class=HTMLResponse, include_in_schema=False)
def registration_page(request: Request, templates: Templates, officer: Viewer, registration_id: RowId):
    r = do_show_registration(request, officer, registration_id)
    return templates.TemplateResponse(request, "registration.html", {"r": r, "awards": [a.name for a in default_catalogue().awards]})


@router.post("/registrations/{registration_id}/entries", include_in_schema=False)
async def add_entry_page(request: Request, officer: Viewer, registration_id: RowId):
    f = await _fields(request)
    await run_in_threadpool(do_add_entry, request, officer, registration_id, f.get("kind", ""), f.get("name", ""),
                            f.get("award", ""), f.get("note"))
    return _back(urls.registration(registration_id) + "#entries")


@router.post("/registrations/{registration_id}/import", include_in_schema=False, dependencies=[Depends(_limit_upload)])
async def import_page(request: Request, officer: Viewer, registration_id: RowId):
    await do_import(request, officer, registration_id)
    return _back(urls.registration(registration_id) + "#entries")


@router.post("/registrations/{registration_id}/move", include_in_schema=False)
async def move_registration_page(request: Request, officer: Viewer, registration_id: RowId):
    f = await _fields(request)
    await run_in_threadpool(do_move_registration, request, officer, registration_id, f.get("action", ""), f.get("reason"))
    return _back(urls.registration(registration_id))


@router.post("/registrations/{registration_id}/proposals", include_in_schema=False)
async def start_proposals_page(request: Request, officer: Viewer, registration_id: RowId):
    ids = await run_in_threadpool(do_start_proposals, request, officer, registration_id)
    return _back(urls.proposal(ids[0]) if len(ids) == 1 else urls.registration(registration_id))


# --- JSON API -------------------------------------------------------------------------------------

API = urls.API_PREFIX


class Unitish(Open):
    id: int
    code: str
    name: str
    level: str | None = None


class ProposalSummary(Open):
    id: int
    title: str
    award: str
    year: int
    status: str = Field(description="draft | submitted | received | returned | under_review | approved | rejected | decided")
    status_label: str
    unit: str
    receiver: str
    decision_id: int | None = None


class HomeResponse(Open):
    unit: Unitish
    units: list[str] = Field(description="mã các đơn vị mà cán bộ có vai trò")
    can_edit: bool
    proposals: list[ProposalSummary] = Field(description="hồ sơ đơn vị đề nghị")
    incoming: list[ProposalSummary] = Field(description="hồ sơ cấp dưới gửi lên đơn vị")
    registrations: list[dict[str, Any]]
    deadlines: list[dict[str, Any]] = Field(description="hạn gửi hồ sơ sắp tới (theo danh mục khen thưởng)")
    csrf_token: str = Field(description="mã CSRF của phiên, gửi lại trong tiêu đề X-CSRF-Token")


class ProposalView(Open):
    id: int
    title: str
    award: str
    year: int
    status: str
    status_label: str
    unit: Unitish
    receiver: Unitish
    holder: Unitish | None = None
    reason: str | None = Field(None, description="lý do trả lại / không duyệt gần nhất")
    justification: str | None = Field(None, description="lý do đơn vị vẫn gửi dù chưa đạt kiểm tra")
    failures: list[dict[str, Any]] = Field(description="các lỗi của lần kiểm tra trước khi gửi gần nhất, mỗi lỗi dẫn điều khoản")
    recipients: list[dict[str, Any]]
    attachments: list[dict[str, Any]]
    moves: list[dict[str, Any]] = Field(description="nhật ký chuyển: ai, khi nào, từ, đến, lý do")
    decision: dict[str, Any] | None = None
    actions: list[dict[str, Any]] = Field(description="các thao tác cán bộ này được làm bây giờ")


class RegistrationView(Open):
    id: int
    year: int
    status: str
    status_label: str
    unit: Unitish
    receiver: Unitish | None = None
    entries: list[dict[str, Any]]
    moves: list[dict[str, Any]]
    actions: list[dict[str, Any]]


class NewProposal(BaseModel):
    unit: str = Field(max_length=64, description="mã đơn vị đề nghị (Unit.code)")
    award: str = Field(max_length=200, description="hình thức / danh hiệu, như danh mục khen thưởng đọc")
    year: int = Field(ge=1945, le=2100)
    title: str | None = Field(None, max_length=400)
    movement_id: int | None = Field(None, ge=1, le=2**31 - 1)


class NewRecipient(BaseModel):
    kind: str = Field(max_length=30, description="cá nhân | tập thể | hộ gia đình")
    name: str = Field(max_length=300)
    achievement: str | None = Field(None, max_length=4000)


class Submit(BaseModel):
    justification: str | None = Field(None, max_length=4000, description="lý do vẫn gửi khi kiểm tra chưa đạt")


class MoveRequest(BaseModel):
    action: str = Field(max_length=20, description="receive | return | review | approve | reject")
    reason: str | None = Field(None, max_length=4000)


class DecisionEntry(BaseModel):
    number: str = Field(max_length=60, description="số quyết định, ví dụ 125/QĐ-TTg")
    date: str = Field(max_length=20, description="ngày quyết định, YYYY-MM-DD hoặc DD/MM/YYYY")
    signer: str = Field(max_length=200)
    issuer: str | None = Field(None, max_length=300, description="cơ quan ban hành (mặc định: cấp quyết định theo danh mục)")


class NewRegistration(BaseModel):
    unit: str = Field(max_length=64)
    year: int = Field(ge=1945, le=2100)
    movement_id: int | None = Field(None, ge=1, le=2**31 - 1)


class NewEntry(BaseModel):
    kind: str = Field(max_length=30)
    name: str = Field(max_length=300)
    award: str = Field(max_length=200)
    note: str | None = Field(None, max_length=1000)


class SubmitResult(Open):
    sent: bool = Field(description="đã gửi lên cấp trên")
    failures: list[dict[str, Any]] = Field(description="lỗi kiểm tra (quy tắc, người, thông báo, điều khoản)")
    status: str


class Done(Open):
    id: int = Field(description="mã của thứ vừa tạo hoặc thay đổi")


class Imported(Open):
    added: int


class Started(Open):
    proposals: list[int]


def _api(fn, *args):
    return run_in_threadpool(fn, *args)


@router.get(API + "/proposals", tags=["api"], response_model=HomeResponse, responses=ERRORS,
            summary="Trang của đơn vị: hồ sơ đề nghị, hồ sơ nhận, đăng ký thi đua, hạn sắp tới")
async def api_home(request: Request, officer: Viewer, unit: Annotated[str | None, Query(max_length=64)] = None):
    return await _api(do_home, request, officer, unit)


@router.post(API + "/proposals", tags=["api"], response_model=ProposalView, responses=ERRORS, summary="Tạo hồ sơ đề nghị (dự thảo)")
async def api_create(request: Request, officer: Viewer, body: NewProposal):
    pid = await _api(do_create, request, officer, body.unit, body.award, body.year, body.title, body.movement_id)
    return await _api(do_show, request, officer, pid)


@router.get(API + "/proposals/{proposal_id}", tags=["api"], response_model=ProposalView, responses=ERRORS, summary="Một hồ sơ đề nghị")
async def api_show(request: Request, officer: Viewer, proposal_id: RowId):
    return await _api(do_show, request, officer, proposal_id)


@router.post(API + "/proposals/{proposal_id}/recipients", tags=["api"], response_model=ProposalView, responses=ERRORS,
             summary="Thêm cá nhân / tập thể được đề nghị")
async def api_add_recipient(request: Request, officer: Viewer, proposal_id: RowId, body: NewRecipient):
    await _api(do_add_recipient, request, officer, proposal_id, body.kind, body.name, body.achievement)
    return await _api(do_show, request, officer, proposal_id)


@router.delete(API + "/proposals/{proposal_id}/recipients/{recipient_id}", tags=["api"], response_model=ProposalView,
               responses=ERRORS, summary="Bỏ một người / tập thể khỏi hồ sơ")
async def api_remove_recipient(request: Request, officer: Viewer, proposal_id: RowId, recipient_id: RowId):
    await _api(do_remove_recipient, request, officer, proposal_id, recipient_id)
    return await _api(do_show, request, officer, proposal_id)


@router.post(API + "/proposals/{proposal_id}/attachments", tags=["api"], response_model=ProposalView, responses=ERRORS,
             dependencies=[Depends(_limit_upload)],
             summary="Đính kèm tài liệu (multipart: kind = loại tài liệu, file = tệp)")
async def api_attach(request: Request, officer: Viewer, proposal_id: RowId):
    await do_attach(request, officer, proposal_id)
    return await _api(do_show, request, officer, proposal_id)


@router.post(API + "/proposals/{proposal_id}/submit", tags=["api"], response_model=SubmitResult, responses=ERRORS,
             summary="Kiểm tra rồi gửi hồ sơ lên cấp trên (lỗi kiểm tra: chỉ gửi khi có lý do)")
async def api_submit(request: Request, officer: Viewer, proposal_id: RowId, body: Submit, kb: KB):
    return await _api(do_submit, request, officer, proposal_id, body.justification, kb)


@router.post(API + "/proposals/{proposal_id}/move", tags=["api"], response_model=ProposalView, responses=ERRORS,
             summary="Chuyển hồ sơ: tiếp nhận, trả lại (lý do), thẩm định, duyệt, không duyệt")
async def api_move(request: Request, officer: Viewer, proposal_id: RowId, body: MoveRequest):
    await _api(do_move, request, officer, proposal_id, body.action, body.reason)
    return await _api(do_show, request, officer, proposal_id)


@router.post(API + "/proposals/{proposal_id}/decision", tags=["api"], response_model=ProposalView, responses=ERRORS,
             summary="Nhập quyết định khen thưởng đã ký: vào hồ sơ khen thưởng (records)")
async def api_decide(request: Request, officer: Viewer, proposal_id: RowId, body: DecisionEntry):
    await _api(do_decide, request, officer, proposal_id, body.number, body.date, body.signer, body.issuer)
    return await _api(do_show, request, officer, proposal_id)


@router.post(API + "/registrations", tags=["api"], response_model=RegistrationView, responses=ERRORS,
             summary="Tạo bản đăng ký thi đua của đơn vị cho một năm")
async def api_create_registration(request: Request, officer: Viewer, body: NewRegistration):
    rid = await _api(do_create_registration, request, officer, body.unit, body.year, body.movement_id)
    return await _api(do_show_registration, request, officer, rid)


@router.get(API + "/registrations/{registration_id}", tags=["api"], response_model=RegistrationView, responses=ERRORS,
            summary="Một bản đăng ký thi đua")
async def api_show_registration(request: Request, officer: Viewer, registration_id: RowId):
    return await _api(do_show_registration, request, officer, registration_id)


@router.post(API + "/registrations/{registration_id}/entries", tags=["api"], response_model=RegistrationView,
             responses=ERRORS, summary="Thêm một tập thể / cá nhân đăng ký danh hiệu")
async def api_add_entry(request: Request, officer: Viewer, registration_id: RowId, body: NewEntry):
    await _api(do_add_entry, request, officer, registration_id, body.kind, body.name, body.award, body.note)
    return await _api(do_show_registration, request, officer, registration_id)


@router.post(API + "/registrations/{registration_id}/import", tags=["api"], response_model=Imported, responses=ERRORS,
             dependencies=[Depends(_limit_upload)], summary="Nhập danh sách đăng ký từ .xlsx / .csv (multipart: file)")
async def api_import(request: Request, officer: Viewer, registration_id: RowId):
    return {"added": await do_import(request, officer, registration_id)}


@router.post(API + "/registrations/{registration_id}/move", tags=["api"], response_model=RegistrationView, responses=ERRORS,
             summary="Chuyển bản đăng ký: gửi, tiếp nhận, trả lại (lý do)")
async def api_move_registration(request: Request, officer: Viewer, registration_id: RowId, body: MoveRequest):
    await _api(do_move_registration, request, officer, registration_id, body.action, body.reason)
    return await _api(do_show_registration, request, officer, registration_id)


@router.post(API + "/registrations/{registration_id}/proposals", tags=["api"], response_model=Started, responses=ERRORS,
             summary="Cuối năm: lập hồ sơ đề nghị từ bản đăng ký đã được tiếp nhận (một hồ sơ mỗi danh hiệu)")
async def api_start_proposals(request: Request, officer: Viewer, registration_id: RowId):
    return {"proposals": await _api(do_start_proposals, request, officer, registration_id)}
