"""Officers' login and logout (/login, /logout), and the accounts set-up of the app: signed
sessions, the accounts database (the records database, `Settings.records_url()`), the guards'
unit hierarchy (`app.state.unit_ancestors`, exact unit until the records package sets it).

Every write route depends on `accounts.web.require_officer` (a session, its CSRF token, a role in
the unit). The POST routes below in OPEN_POSTS store nothing: they compute an answer from the form
and are open to anyone, like the GET pages; tests/test_accounts_http.py fails for any other write
route that is not guarded."""
from __future__ import annotations

from typing import Annotated

from starlette.concurrency import run_in_threadpool

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from accounts.audit import record_event
from accounts.db import accounts_db
from accounts.officer import Officer
from accounts.users import LoginRefused, authenticate
from accounts.web import (check_csrf, client_address, current_officer, form_values, install as install_accounts, log_in,
                          log_out, require_officer, safe_next, session_secret)

from ..deps import Templates
from ..settings import Settings

router = APIRouter(include_in_schema=False)

# (method, path) → why it needs no session: these compute an answer and store nothing.
OPEN_POSTS = {
    ("POST", "/login"): "the login itself (checked against the session's CSRF token)",
    ("POST", "/lookup"): "checks the citations of a pasted text; stores nothing",
    ("POST", "/award/eligible"): "checks an award history against the rules; stores nothing",
    ("POST", "/api/lookup"): "the JSON citation check; stores nothing",
    ("POST", "/api/award/eligible"): "the JSON eligibility check; stores nothing",
}
# Routes guarded by their own token instead of a session (TDKT_ADMIN_TOKEN; 404 when unset).
TOKEN_GUARDED = {("POST", "/admin/rebuild")}


def install(app, settings: Settings) -> None:
    """Sessions and officers on ``app`` (the database is opened, and the session key made, when first needed)."""
    install_accounts(app, accounts_db(settings.records_url()),
                     lambda: session_secret(settings.secret_key, settings.build_dir), https_only=settings.cookie_secure)
    app.include_router(router)


def _login_page(request: Request, templates, status: int = 200, error: str = "", login: str = "", next_path: str = "/",
                headers: dict | None = None):
    return templates.TemplateResponse(request, "login.html", {"error": error, "login": login, "next": safe_next(next_path)},
                                      status_code=status, headers=headers)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, templates: Templates, next: str = "/"):
    return _login_page(request, templates, next_path=next)


@router.post("/login", response_class=HTMLResponse, dependencies=[Depends(check_csrf)])
async def login_submit(request: Request, templates: Templates):
    fields = await form_values(request)
    login, password, next_path = fields.get("login", "")[:200], fields.get("password", "")[:1000], fields.get("next", "/")
    return await run_in_threadpool(_login, request, templates, login, password, next_path)


def _login(request: Request, templates, login: str, password: str, next: str):
    if not login.strip() or not password:
        return _login_page(request, templates, 400, "Hãy nhập tên đăng nhập và mật khẩu.", login, next)
    try:
        officer = authenticate(request.app.state.accounts_db, login, password, client_address(request))
    except LoginRefused as refused:
        if refused.wait is not None:
            return _login_page(request, templates, 429, refused.message, login, next,
                               headers={"Retry-After": str(max(1, int(refused.wait.total_seconds())))})
        return _login_page(request, templates, 401, refused.message, login, next)
    log_in(request, officer)
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/logout")
def logout(request: Request, officer: Annotated[Officer, Depends(require_officer(role=None))]):
    with request.app.state.accounts_db.session() as session:
        record_event(session, "logout", officer.login, officer.login, client_address(request))
    log_out(request)
    return RedirectResponse("/", status_code=303)


__all__ = ["router", "install", "OPEN_POSTS", "TOKEN_GUARDED", "current_officer"]
