"""Admin routes (rebuild). The site is read-only: these answer 404 unless TDKT_ADMIN_TOKEN is set,
and then only to a request carrying that token. They answer in JSON."""
from __future__ import annotations

import hmac

from fastapi import APIRouter, Header, HTTPException, Request

from indexer import build
from indexer.kb import KnowledgeBase

from ..deps import AppSettings
from .api_models import RebuildResponse

router = APIRouter(prefix="/admin", include_in_schema=False)

REBUILD_BUSY = ("Đang dựng lại cơ sở dữ liệu theo một yêu cầu khác; yêu cầu này không được thực hiện. "
                "Hãy thử lại khi việc dựng lại đó xong.")


def check_token(settings, token: str | None) -> None:
    if not settings.admin_token:
        raise HTTPException(404, "Không có trang này.")
    if not token or not hmac.compare_digest(token.encode(), settings.admin_token.encode()):
        raise HTTPException(403, "Cần mã quản trị hợp lệ (tiêu đề X-Admin-Token).")


@router.post("/rebuild", response_model=RebuildResponse)
def rebuild(request: Request, settings: AppSettings, x_admin_token: str | None = Header(None)):
    """Rebuild the knowledge base from the corpus and swap it in (the old one serves meanwhile),
    then embed the new one in the background as `tdkt serve` does at start. One rebuild at a time:
    a second request while one runs answers 409 at once (two builds would share one temporary
    folder)."""
    check_token(settings, x_admin_token)
    from ..app import start_embedding   # the app includes this router: imported when a rebuild runs

    lock = request.app.state.rebuild_lock
    if not lock.acquire(blocking=False):
        raise HTTPException(409, REBUILD_BUSY)
    try:
        holder = request.app.state.kb_holder
        build_dir = holder.build_dir or settings.build_dir
        summary = build.build_kb(settings.corpus_dir, build_dir, embedder=None, lexical_engine=settings.lexical_engine)
        kb = KnowledgeBase.open(build_dir)
        holder.replace(kb)   # runs the holder's on_open hook, if any (`tdkt serve`: embedding and warm-up)
        if holder.on_open is None:
            start_embedding(request.app, kb)   # hybrid again when the vectors cover the new corpus
    finally:
        lock.release()
    return {"rebuilt": True, "summary": summary.line()}
