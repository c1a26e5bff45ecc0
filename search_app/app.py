"""The search site: FastAPI + Jinja2, server-rendered, in Vietnamese, usable without JavaScript.

`create_app(build_dir)` opens the knowledge base built by `tdkt build` (lazily, on the first
request); tests pass a knowledge base object directly with `create_app(kb=…)`. Pages and the JSON
API share their view functions (search_app/routes/); every link is built by search_app/urls.py.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from . import urls
from .deps import KBHolder
from .routes import admin, api, api_docs, documents, glossary, lookup, search
from .routes.present import RELATION_LABEL, STATUS_LABEL, display_date
from .settings import Settings

HERE = Path(__file__).resolve().parent
log = logging.getLogger("tdkt.site")

STATE_TEXT = {
    "lexical-only": "Tìm kiếm theo từ khóa (chưa có vector ngữ nghĩa).",
    "embedding": "Đang tính vector ngữ nghĩa {done}/{total} đoạn — tạm thời tìm theo từ khóa.",
    "ready": "Tìm kiếm kết hợp (từ khóa + ngữ nghĩa) đang bật.",
}


def embedding_banner(status: dict[str, Any] | None) -> str:
    """One line for the banner: lexical-only, embedding x/y, or hybrid on."""
    status = status or {}
    text = STATE_TEXT.get(status.get("state"), STATE_TEXT["lexical-only"])
    return text.format(done=status.get("done", 0), total=status.get("total", 0))


def make_templates() -> Jinja2Templates:
    """Templates with autoescape on (.html) and the URL builder and labels as globals."""
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    env = templates.env
    env.autoescape = True
    env.globals.update(urls=urls, RELATION_LABEL=RELATION_LABEL, STATUS_LABEL=STATUS_LABEL,
                       embedding_banner=embedding_banner)
    env.filters["vndate"] = display_date
    return templates


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith(urls.API_PREFIX + "/") or request.url.path == urls.openapi()


def _error_page(request: Request, status: int, message: str):
    if _wants_json(request):
        return JSONResponse({"detail": message, "status": status}, status_code=status)
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, "error.html", {"status": status, "message": message}, status_code=status)


def install_error_pages(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        message = exc.detail if isinstance(exc.detail, str) else "Không tìm thấy trang này."
        if exc.status_code == 404 and exc.detail == "Not Found":
            message = f"Không có trang “{request.url.path[:200]}”."
        return _error_page(request, exc.status_code, message)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError):
        return _error_page(request, 400, "Yêu cầu không hợp lệ: " + "; ".join(str(e.get("msg")) for e in exc.errors()[:3]))

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception):  # log it; show a page, not a traceback
        log.exception("error answering %s", request.url.path)
        return _error_page(request, 500, "Đã có lỗi khi xử lý yêu cầu này; lỗi đã được ghi lại.")


def create_app(build_dir: Path | None = None, kb: Any = None, settings: Settings | None = None) -> FastAPI:
    """The site over the knowledge base in `build_dir` (or the given `kb` object)."""
    settings = settings or Settings()
    app = FastAPI(title="tdkt — tra cứu văn bản thi đua, khen thưởng",
                  description="Tìm kiếm, đọc và kiểm tra trích dẫn văn bản về thi đua, khen thưởng.", version="0.1.0",
                  docs_url=None, redoc_url=None)  # /docs is our own page: Swagger UI would load from a CDN
    app.state.settings = settings
    app.state.kb_holder = KBHolder(Path(build_dir) if build_dir else (None if kb is not None else settings.build_dir), kb)
    app.state.templates = make_templates()
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    for module in (search, documents, lookup, glossary, api, api_docs, admin):
        app.include_router(module.router)
    install_error_pages(app)
    return app
