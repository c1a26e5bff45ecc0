"""Admin routes (rebuild). The site is read-only: these answer 404 unless TDKT_ADMIN_TOKEN is set,
and then only to a request carrying that token."""
from __future__ import annotations

import hmac

from fastapi import APIRouter, Header, HTTPException, Request

from ..deps import AppSettings

router = APIRouter(prefix="/admin", include_in_schema=False)


def check_token(settings, token: str | None) -> None:
    if not settings.admin_token:
        raise HTTPException(404, "Không có trang này.")
    if not token or not hmac.compare_digest(token.encode(), settings.admin_token.encode()):
        raise HTTPException(403, "Cần mã quản trị hợp lệ (tiêu đề X-Admin-Token).")


@router.post("/rebuild")
def rebuild(request: Request, settings: AppSettings, x_admin_token: str | None = Header(None)):
    """Rebuild the knowledge base from the corpus and swap it in (the old one serves meanwhile)."""
    check_token(settings, x_admin_token)
    from indexer.build import build_kb
    from indexer.kb import KnowledgeBase

    holder = request.app.state.kb_holder
    build_dir = holder.build_dir or settings.build_dir
    summary = build_kb(settings.corpus_dir, build_dir, embedder=None)
    holder.replace(KnowledgeBase.open(build_dir))
    return {"rebuilt": True, "summary": summary.line()}
