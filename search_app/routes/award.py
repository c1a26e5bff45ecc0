"""The award file (/award, /award.docx, /api/award): choose an award, the recipient kind, the date
and a province; see the criteria (quoted, linked to the article), who decides and proposes, the
dossier checklist, deadlines, limits, money, and the "Căn cứ" block to paste, or download the
decision's opening as a Word file."""
from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from typing import Annotated, Any, Iterator, Literal
from urllib.parse import parse_qs

import yaml
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response

from awards.catalogue import UnknownAward, default_catalogue, parse_day, parse_recipient
from awards.compare import compare
from awards.eligibility import eligibility, parse_history
from awards.file import award_file
from corpus.errors import UserError
from indexer.kb import KnowledgeBase

from .. import urls
from ..context import province_options
from ..deps import KB, Templates
from .api_models import PAGE_404, PAGE_503
from .lookup import chosen_province

router = APIRouter()

SECTIONS = [("criteria", "Tiêu chuẩn"), ("prerequisites", "Điều kiện về thành tích đã đạt"),
            ("authority", "Thẩm quyền quyết định"), ("proposer", "Thẩm quyền đề nghị, trình"),
            ("dossier", "Hồ sơ đề nghị"), ("deadline", "Thời hạn gửi hồ sơ, thẩm định"),
            ("limits", "Tỷ lệ, số phiếu"), ("money", "Hiện vật và tiền thưởng")]
RECIPIENT_OPTIONS = [("individual", "Cá nhân"), ("collective", "Tập thể"), ("household", "Hộ gia đình")]
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@contextmanager
def award_errors() -> Iterator[None]:
    """An award the catalogue does not know answers 404 naming it; any other bad input 400."""
    try:
        yield
    except UnknownAward as exc:
        raise HTTPException(404, str(exc)) from None
    except UserError as exc:
        raise HTTPException(400, str(exc)) from None


def shown(exc: UserError) -> str:
    """What a page says of a refused choice: an unknown award in Vietnamese, with the closest ones."""
    return exc.vi if isinstance(exc, UnknownAward) else str(exc)


def award_result(kb: KnowledgeBase, award: str | None, recipient: str | None, date: str | None,
                 province: str | None) -> dict[str, Any]:
    """The award file for the request's choices; a UserError names what is wrong with them."""
    day = parse_day(date) if date else dt.date.today()
    chosen = chosen_province(kb, province) or (province.strip() if province and province.strip() else None)
    return award_file(kb, kb.registry, (award or "").strip(), parse_recipient(recipient or "individual"), day,
                      chosen, link=urls.doc)


def award_view(kb: KnowledgeBase, award: str | None, recipient: str | None, date: str | None,
               province: str | None) -> dict[str, Any]:
    form = {"award": award or "", "recipient": recipient or "individual", "date": date or dt.date.today().isoformat(),
            "province": province or ""}
    view: dict[str, Any] = {"form": form, "awards": [a.name for a in default_catalogue().awards],
                            "recipients": RECIPIENT_OPTIONS, "provinces": province_options(kb), "sections": SECTIONS,
                            "result": None, "error": None}
    if award and award.strip():
        try:
            view["result"] = award_result(kb, award, recipient, date, province)
        except UserError as exc:
            view["error"] = shown(exc)
    if view["result"]:
        a = view["result"]["award"]
        view["docx_url"] = urls.award_docx(award, a["recipient"], a["date"], a["province"])
        view["api_url"] = urls.api_award(award, a["recipient"], a["date"], a["province"])
    return view


@router.get("/award", response_class=HTMLResponse, summary="Hồ sơ khen thưởng (biểu mẫu)", responses=PAGE_503)
def award_page(request: Request, kb: KB, templates: Templates, award: str | None = None, recipient: str | None = None,
               date: str | None = None, province: str | None = None):
    view = award_view(kb, award, recipient, date, province)
    return templates.TemplateResponse(request, "award.html", {"view": view})


@router.get("/award.docx", summary="Phần mở đầu quyết định khen thưởng (Word)", responses={**PAGE_503, **PAGE_404},
            response_class=Response)
def award_docx(kb: KB, award: Annotated[str, Query(min_length=1, max_length=200)],
               recipient: Literal["individual", "collective", "household"] = "individual",
               date: dt.date | None = None, province: Annotated[str | None, Query(max_length=100)] = None):
    from awards.docx_export import decision_opening   # python-docx: ~170 ms to import, only for this download

    with award_errors():
        result = award_result(kb, award, recipient, date.isoformat() if date else None, province)
    name = "quyet-dinh-" + result["award"]["date"] + ".docx"
    return Response(decision_opening(result), media_type=DOCX,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def compare_view(kb: KnowledgeBase, family: str | None, date: str | None, since: str | None) -> dict[str, Any]:
    cat = default_catalogue()
    form = {"family": family or "", "date": date or dt.date.today().isoformat(), "since": since or ""}
    view: dict[str, Any] = {"form": form, "families": list(cat.families), "result": None, "error": None,
                            "kinds": dict(SECTIONS)}
    if family and family.strip():
        try:
            days = [parse_day(form["date"])] + ([parse_day(since)] if since else [])
            view["result"] = compare(kb, kb.registry, family, days, link=urls.doc)
        except UserError as exc:
            view["error"] = shown(exc)
    return view


@router.get("/award/compare", response_class=HTMLResponse, summary="Tiêu chuẩn đặt cạnh nhau (các cấp, các thời điểm, thông tư các ngành)",
            responses=PAGE_503)
def compare_page(request: Request, kb: KB, templates: Templates, family: str | None = None, date: str | None = None,
                 since: str | None = None):
    return templates.TemplateResponse(request, "award_compare.html", {"view": compare_view(kb, family, date, since)})


# A history is a few dozen lines; a pasted book is refused before YAML parses it.
MAX_HISTORY_CHARS = 20_000
HISTORY_EXAMPLE = """name: Nguyễn Thị A
kind: individual
years:
  2024: {rating: hoàn thành xuất sắc nhiệm vụ, titles: [Lao động tiên tiến, CSTĐ cơ sở]}
  2025: {rating: hoàn thành xuất sắc nhiệm vụ, titles: [LĐTT, CSTĐCS], initiatives: 1}
"""


def eligible_result(history_text: str, date: str | None, province: str | None) -> dict[str, Any]:
    """Eligibility for a history given as YAML/JSON text; a UserError names what is wrong with it."""
    if not history_text.strip():
        raise UserError("the history is empty: give kind and years, e.g. " + HISTORY_EXAMPLE.replace("\n", " "))
    if len(history_text) > MAX_HISTORY_CHARS:
        raise UserError(f"the history is too long ({len(history_text)} characters, at most {MAX_HISTORY_CHARS})")
    try:
        data = yaml.safe_load(history_text)
    except yaml.YAMLError as exc:
        raise UserError(f"the history is not valid YAML/JSON ({str(exc).splitlines()[0]})") from None
    day = parse_day(date) if date else dt.date.today()
    return eligibility(parse_history(data, where="history"), day, province or None)


def eligible_view(history: str | None, date: str | None, province: str | None) -> dict[str, Any]:
    view: dict[str, Any] = {"form": {"history": history if history is not None else HISTORY_EXAMPLE,
                                     "date": date or dt.date.today().isoformat(), "province": province or ""},
                            "result": None, "error": None}
    if history is not None:
        try:
            view["result"] = eligible_result(history, date, province)
        except UserError as exc:
            view["error"] = shown(exc)
    return view


@router.get("/award/eligible", response_class=HTMLResponse, summary="Xét điều kiện theo quá trình khen thưởng (biểu mẫu)")
def eligible_page(request: Request, templates: Templates):
    return templates.TemplateResponse(request, "award_eligible.html", {"view": eligible_view(None, None, None)})


@router.post("/award/eligible", response_class=HTMLResponse, summary="Xét điều kiện theo quá trình khen thưởng (gửi biểu mẫu)")
async def eligible_post(request: Request, templates: Templates):
    body = (await request.body())[: MAX_HISTORY_CHARS * 12]
    fields = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
    get = lambda k: (fields.get(k) or [None])[0]
    view = eligible_view(get("history") or "", get("date"), get("province"))
    return templates.TemplateResponse(request, "award_eligible.html", {"view": view})
