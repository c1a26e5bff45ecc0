"""The search site: FastAPI + Jinja2, server-rendered, in Vietnamese, usable without JavaScript.

`create_app(build_dir)` opens the knowledge base built by `tdkt build` (lazily, on the first
request); tests pass a knowledge base object directly with `create_app(kb=…)`. Pages and the JSON
API share their view functions (search_app/routes/); every link is built by search_app/urls.py.

Two small ASGI middlewares wrap the app: every GET page answers HEAD (FastAPI's routes do not), and
a request body that does not arrive whole within a bound is answered 408 and its connection closed
(uvicorn has no body-read timeout: a body shorter than its Content-Length held the connection open).
"""
from __future__ import annotations

import asyncio
import json
import logging
import threading
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from indexer.kb import KnowledgeBase

from . import urls
from .deps import KBHolder
from .response_cache import ResponseCache, ResponseCacheMiddleware
from .routes import admin, api, api_docs, auth, award, documents, glossary, home, lookup, search
from .routes import records as records_routes
from .routes import proposals as proposals_routes
from .routes import officers, records_write
from .routes.api_models import ErrorBody
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
    path = request.url.path
    return path.startswith((urls.API_PREFIX + "/", "/admin/")) or path == urls.openapi()


def _error_page(request: Request, status: int, message: str):
    if _wants_json(request):
        return JSONResponse({"detail": message, "status": status}, status_code=status)
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, "error.html", {"status": status, "message": message}, status_code=status)


def allowed_methods(request: Request) -> str:
    """Every method some route of this path answers (Starlette names only the first route's: GET
    for /lookup, which also takes POST), HEAD with GET (HeadMiddleware)."""
    from starlette.routing import Match

    methods: set[str] = set()
    scope = dict(request.scope, method="GET")
    for route in request.app.router.routes:
        if route.matches(scope)[0] != Match.NONE:
            methods |= set(getattr(route, "methods", None) or ())
    if "GET" in methods:
        methods.add("HEAD")
    return ", ".join(sorted(methods))


def install_error_pages(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        message = exc.detail if isinstance(exc.detail, str) else "Không tìm thấy trang này."
        if exc.status_code == 404 and exc.detail == "Not Found":
            message = f"Không có trang “{request.url.path[:200]}”."
        elif exc.status_code == 405 and exc.detail == "Method Not Allowed":
            message = f"Trang “{request.url.path[:200]}” không nhận phương thức {request.method}."
        response = _error_page(request, exc.status_code, message)
        for name, value in (exc.headers or {}).items():   # Allow (405), Connection: close (408)
            response.headers[name] = value
        if exc.status_code == 405:
            response.headers["Allow"] = allowed_methods(request)
        return response

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError):
        return _error_page(request, 400, "Yêu cầu không hợp lệ: " + "; ".join(str(e.get("msg")) for e in exc.errors()[:3]))

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception):  # log it; show a page, not a traceback
        log.exception("error answering %s", request.url.path)
        return _error_page(request, 500, "Đã có lỗi khi xử lý yêu cầu này; lỗi đã được ghi lại.")


class BodyTimeout(StarletteHTTPException):
    """The request body did not arrive whole in time."""

    def __init__(self, seconds: float):
        super().__init__(408, f"Nội dung yêu cầu không đến đủ trong {seconds:g} giây (thiếu so với Content-Length); "
                              "kết nối đã được đóng.", headers={"Connection": "close"})


class BodyTimeoutMiddleware:
    """408 and a closed connection when a request's body has not arrived whole ``seconds`` after
    the app first asks for it (uvicorn waits for a missing body forever). Once the body is complete,
    ``receive`` is passed through untouched (a response may wait on it for the disconnect)."""

    def __init__(self, app: Any, seconds: float):
        self.app, self.seconds = app, seconds

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        loop = asyncio.get_running_loop()
        deadline: float | None = None
        complete = False
        started = False

        async def timed_receive() -> dict:
            nonlocal deadline, complete
            if complete:
                return await receive()
            if deadline is None:
                deadline = loop.time() + self.seconds
            try:
                message = await asyncio.wait_for(receive(), max(0.0, deadline - loop.time()))
            except asyncio.TimeoutError:
                raise BodyTimeout(self.seconds) from None
            if message["type"] != "http.request" or not message.get("more_body", False):
                complete = True
            return message

        async def watched_send(message: dict) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, timed_receive, watched_send)
        except BodyTimeout as exc:   # not answered by the app's handlers (a body read outside a route)
            if started:
                raise
            body = json.dumps({"detail": exc.detail, "status": 408}, ensure_ascii=False).encode()
            await send({"type": "http.response.start", "status": 408,
                        "headers": [(b"content-type", b"application/json"), (b"connection", b"close"),
                                    (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})


class HeadMiddleware:
    """HEAD answered as GET without the body (FastAPI's routes answer HEAD with 405): the same
    status and headers, Content-Length included."""

    def __init__(self, app: Any):
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def bodiless_send(message: dict) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b""}
            await send(message)

        await self.app(dict(scope, method="GET"), receive, bodiless_send)


# A request body must arrive whole within this many seconds (uvicorn has no body-read timeout).
BODY_TIMEOUT_SECONDS = 15.0


def start_embedding(app: FastAPI, kb: KnowledgeBase) -> None:
    """Embed ``kb``'s passages in the background and attach the vectors (hybrid ranking when they
    cover the corpus), with the app's embedder — as `tdkt serve` does at start and the admin
    rebuild does for the new knowledge base. Nothing without an embedder (lexical only)."""
    embedder = getattr(app.state, "embedder", None)
    if embedder is not None and kb is not None:
        kb.start_background_embedding(embedder)


def _openapi_with_our_errors(app: FastAPI) -> dict[str, Any]:
    """FastAPI's schema, with its 422 replaced by the 400 the app really answers (a malformed
    request is reported by install_error_pages as ErrorBody, in JSON under /api/, else as a page)."""
    if app.openapi_schema is not None:
        return app.openapi_schema
    schema = FastAPI.openapi(app)
    for path, ops in schema.get("paths", {}).items():
        for op in ops.values():
            responses = op.get("responses", {})
            if responses.pop("422", None) is None and not (op.get("parameters") or op.get("requestBody")):
                continue
            if path.startswith(urls.API_PREFIX + "/"):
                content = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
            else:
                content = {"text/html": {"schema": {"type": "string"}}}
            responses.setdefault("400", {"description": "Yêu cầu không hợp lệ", "content": content})
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("ErrorBody", ErrorBody.model_json_schema(ref_template="#/components/schemas/{model}"))
    text = json.dumps(schema["paths"])
    for unused in ("HTTPValidationError", "ValidationError"):
        if unused in components and f"/{unused}\"" not in text:
            del components[unused]
    return schema


def _cache_state(holder: KBHolder) -> tuple[KnowledgeBase, str] | None:
    """What a kept answer depends on besides the request: the knowledge base served now (a new
    build is followed first) and how far its embedding is (lexical answers until it is ready)."""
    kb = holder.get()
    if kb is None:
        return None
    status = kb.embedding_status()
    return kb, f"{status.get('state')}:{status.get('done')}"


def create_app(build_dir: Path | None = None, kb: KnowledgeBase | None = None, settings: Settings | None = None,
               embedder: Any = None, body_timeout: float | None = BODY_TIMEOUT_SECONDS) -> FastAPI:
    """The site over the knowledge base in `build_dir` (or the given `kb` object).

    ``embedder``: what `start_embedding` embeds with (`tdkt serve` passes the configured one; the
    admin rebuild embeds the new knowledge base with it). ``body_timeout``: seconds a request body
    may take to arrive (None: no bound)."""
    settings = settings or Settings()
    app = FastAPI(title="tdkt — tra cứu văn bản thi đua, khen thưởng",
                  description="Tìm kiếm, đọc và kiểm tra trích dẫn văn bản về thi đua, khen thưởng.", version="0.1.0",
                  docs_url=None, redoc_url=None)  # /docs is our own page: Swagger UI would load from a CDN
    app.state.settings = settings
    app.state.kb_holder = KBHolder(Path(build_dir) if build_dir else (None if kb is not None else settings.build_dir), kb)
    app.state.templates = make_templates()
    app.state.embedder = embedder
    holder = app.state.kb_holder
    if embedder is not None and getattr(holder, "on_open", False) is None:
        holder.on_open = lambda new_kb: start_embedding(app, new_kb)   # every knowledge base swapped in
    app.state.rebuild_lock = threading.Lock()   # one admin rebuild at a time (a second one: 409)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    for module in (home, search, documents, lookup, glossary, award, api, api_docs, admin, records_routes, proposals_routes):   # home first: it answers /
        app.include_router(module.router)
    install_error_pages(app)
    app.openapi = lambda: _openapi_with_our_errors(app)   # type: ignore[method-assign]
    auth.install(app, settings)   # officers' sessions, inside the response cache: a page with a session is never kept
    records_write.install(app, settings)   # the records' write pages (after auth: sets app.state.unit_ancestors)
    app.include_router(officers.router)
    app.state.response_cache = ResponseCache(int(settings.response_cache_mb * 1024 * 1024))
    app.add_middleware(ResponseCacheMiddleware, cache=app.state.response_cache, state_of=lambda: _cache_state(holder))
    app.add_middleware(HeadMiddleware)
    if body_timeout is not None:
        app.add_middleware(BodyTimeoutMiddleware, seconds=body_timeout)
    return app
