"""The web side of accounts: signed sessions, the CSRF token, and the FastAPI guards.

- Sessions: Starlette's SessionMiddleware (a cookie signed with itsdangerous, HttpOnly,
  SameSite=Lax, Secure with TDKT_COOKIE_SECURE, 12 hours). It holds the officer's id and
  session version (a password, role or active change ends older sessions) and the CSRF token.
- CSRF: one random token per session, sent back in every form (hidden field ``csrf_token``,
  rendered by the Jinja global ``csrf_field(request)``) or, for the JSON API, the header
  ``X-CSRF-Token``; compared with hmac.compare_digest. (starlette-csrf checks a header only, which
  a form without JavaScript cannot send.)
- Guards: ``require_officer(role, unit)`` for every write route: no session → 403 (a GET page
  sends the browser to /login instead), bad or missing CSRF token on POST/PUT/PATCH/DELETE → 403,
  a role too low in the unit → 403. ``current_officer`` for pages that only show who is logged in.
"""
from __future__ import annotations

import hmac
import logging
import os
import secrets
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qs, quote

import itsdangerous
from fastapi import Depends, HTTPException, Request
from markupsafe import Markup, escape
from starlette.concurrency import run_in_threadpool
from starlette.middleware.sessions import SessionMiddleware

from .db import AccountsDB
from .officer import Officer, UnitAncestors, exact_unit_only
from .users import load_officer

log = logging.getLogger("tdkt.accounts")

SESSION_COOKIE = "tdkt_session"
SESSION_MAX_AGE = 12 * 3600          # an office day; then log in again
SECRET_FILE = "session_secret"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
MAX_FORM_BYTES = 2 * 1024 * 1024   # a form bigger than this: its token must come first or in the header
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
LOGIN_PATH = "/login"
_OFFICER_KEY, _CSRF_KEY = "officer", "csrf"
_UNSET = object()

NOT_LOGGED_IN = "Cần đăng nhập bằng tài khoản cán bộ để thực hiện thao tác này."
BAD_CSRF = ("Biểu mẫu đã hết hạn hoặc không hợp lệ (thiếu mã chống giả mạo CSRF). "
            "Hãy tải lại trang rồi gửi lại.")


def session_secret(configured: str | None, build_dir: Path) -> str:
    """TDKT_SECRET_KEY, or a random key generated once into ``build_dir``/session_secret (0600),
    shared by every server process. If that file cannot be written, a key for this process only
    (sessions end when it stops), with a warning."""
    if configured:
        return configured
    path = Path(build_dir) / SECRET_FILE
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            for _ in range(20):   # another server process may be writing it this instant
                key = path.read_text(encoding="utf-8", errors="replace").strip()
                if len(key) >= 32:
                    return key
                time.sleep(0.05)
            raise OSError(f"{path} holds no usable key (shorter than 32 characters)") from None
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            key = secrets.token_urlsafe(48)
            fh.write(key + "\n")
        return key
    except OSError as exc:
        log.warning("session key: %s; using a key for this process only (set TDKT_SECRET_KEY)", exc)
        return secrets.token_urlsafe(48)


class LazyKeySessionMiddleware(SessionMiddleware):
    """Starlette's SessionMiddleware with its key asked for only when a cookie is first signed or
    read: a site nobody logs in to never creates the key file."""

    def __init__(self, app: Any, secret: Callable[[], str], **options: Any):
        self._secret, self._signer = secret, None
        super().__init__(app, secret_key="(not used)", **options)

    @property
    def signer(self) -> itsdangerous.TimestampSigner:
        if self._signer is None:
            self._signer = itsdangerous.TimestampSigner(self._secret())
        return self._signer

    @signer.setter
    def signer(self, _ignored) -> None:   # SessionMiddleware.__init__ sets one from secret_key
        pass


class PrivateWhenLoggedIn:
    """``Cache-Control: private, no-store`` on every answer to a logged-in officer: their name is
    in the page, so neither the site's response cache nor a proxy may keep it."""

    def __init__(self, app: Any):
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def marking_send(message: dict) -> None:
            if message["type"] == "http.response.start" and (scope.get("session") or {}).get(_OFFICER_KEY):
                headers = [(k, v) for k, v in message.get("headers") or () if k.lower() != b"cache-control"]
                message = dict(message, headers=headers + [(b"cache-control", b"private, no-store")])
            await send(message)

        await self.app(scope, receive, marking_send)


def install(app: Any, db: AccountsDB, secret: str | Callable[[], str], https_only: bool = False,
            unit_ancestors: UnitAncestors | None = None) -> None:
    """Sessions on ``app`` and the accounts database its guards use. ``secret``: the signing key,
    or a function giving it on first use. ``unit_ancestors`` (the records' Unit hierarchy) may
    also be set later as ``app.state.unit_ancestors``."""
    app.state.accounts_db = db
    app.state.unit_ancestors = unit_ancestors or exact_unit_only
    app.add_middleware(PrivateWhenLoggedIn)          # inside the sessions: it reads scope["session"]
    app.add_middleware(LazyKeySessionMiddleware, secret=secret if callable(secret) else (lambda: secret),
                       session_cookie=SESSION_COOKIE, max_age=SESSION_MAX_AGE, same_site="lax", https_only=https_only)
    templates = getattr(app.state, "templates", None)
    if templates is not None:
        templates.env.globals.update(csrf_field=csrf_field, officer_of=officer_for_header)


def _session(request: Request) -> dict | None:
    return request.scope.get("session") if "session" in request.scope else None


def client_address(request: Request) -> str:
    return (request.client.host if request.client else "")[:64]


# ---- CSRF ----

def csrf_token(request: Request) -> str:
    """This session's CSRF token (made on first use)."""
    session = _session(request)
    if session is None:
        return ""
    token = session.get(_CSRF_KEY)
    if not token:
        token = session[_CSRF_KEY] = secrets.token_urlsafe(32)
    return token


def csrf_field(request: Request) -> Markup:
    """The hidden form field carrying the CSRF token, for a template: ``{{ csrf_field(request) }}``."""
    return Markup(f'<input type="hidden" name="{CSRF_FIELD}" value="{escape(csrf_token(request))}">')


async def form_values(request: Request) -> dict[str, str]:
    """The fields of an urlencoded form, first value of each (parsed here: python-multipart is not
    a dependency of the site). The body stays cached for anything else reading it."""
    if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        return {}
    body = await request.body()
    values = parse_qs(body[:MAX_FORM_BYTES].decode("utf-8", errors="replace"), keep_blank_values=True)
    return {key: items[0] for key, items in values.items()}


async def _sent_token(request: Request) -> str:
    sent = request.headers.get(CSRF_HEADER)
    if sent:
        return sent
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/x-www-form-urlencoded"):
        return (await form_values(request)).get(CSRF_FIELD, "")
    if content_type.startswith("multipart/form-data"):   # a file upload: Starlette parses it (python-multipart)
        try:
            form = await request.form()
        except Exception:      # a malformed body, or python-multipart missing: no token read
            return ""
        value = form.get(CSRF_FIELD)
        return value if isinstance(value, str) else ""
    return ""


async def check_csrf(request: Request) -> None:
    """Dependency: a POST/PUT/PATCH/DELETE must carry this session's CSRF token (403 otherwise)."""
    if request.method not in UNSAFE_METHODS:
        return
    session = _session(request)
    expected = session.get(_CSRF_KEY) if session else None
    sent = await _sent_token(request)
    if not expected or not sent or not hmac.compare_digest(sent.encode(), expected.encode()):
        raise HTTPException(403, BAD_CSRF)


# ---- who is logged in ----

def current_officer(request: Request) -> Officer | None:
    """The officer of this request's session, or None (no session, account gone, inactive or
    changed since the login). Loaded once per request."""
    cached = getattr(request.state, "officer", _UNSET)
    if cached is not _UNSET:
        return cached
    session = _session(request)
    officer = None
    ref = session.get(_OFFICER_KEY) if session else None
    if isinstance(ref, list) and len(ref) == 2 and all(isinstance(x, int) for x in ref):
        db: AccountsDB | None = getattr(request.app.state, "accounts_db", None)
        officer = load_officer(db, ref[0], ref[1]) if db is not None else None
        if officer is None:
            session.pop(_OFFICER_KEY, None)
    request.state.officer = officer
    return officer


def officer_for_header(request: Request) -> Officer | None:
    """current_officer for the page header: a database that cannot be read shows the login link
    (logged) rather than failing the page — the error page itself renders this header."""
    try:
        return current_officer(request)
    except Exception:
        log.exception("cannot read the officer of this session for the header")
        return None


def log_in(request: Request, officer: Officer) -> None:
    """Start a fresh session for ``officer`` (a new CSRF token; nothing carried over)."""
    session = request.session
    session.clear()
    session[_OFFICER_KEY] = [officer.id, officer.session_version]
    session[_CSRF_KEY] = secrets.token_urlsafe(32)
    request.state.officer = officer


def log_out(request: Request) -> None:
    request.session.clear()
    request.state.officer = None


def safe_next(target: str | None) -> str:
    """Where to go after logging in: a path on this site only (never another host)."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")) and "\n" not in target and "\r" not in target:
        return target
    return "/"


def login_url(next_path: str | None = None) -> str:
    return LOGIN_PATH + (f"?next={quote(next_path, safe='/')}" if next_path and next_path != "/" else "")


# ---- guards ----

UnitOf = str | Callable[[Request], str | None] | None


def require_officer(role: str | None = "editor", unit: UnitOf = None):
    """A dependency giving the logged-in Officer who holds at least ``role`` (None: any logged-in
    officer) in ``unit`` — a code, a function of the request (e.g. ``lambda r: r.path_params["unit"]``),
    or None (some unit; the route then checks the record's own unit with ``officer.can``).
    Unsafe methods also need the session's CSRF token."""

    async def guard(request: Request) -> Officer:
        officer = await run_in_threadpool(current_officer, request)
        if officer is None:
            if request.method in ("GET", "HEAD") and not request.url.path.startswith("/api/"):
                target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
                raise HTTPException(303, NOT_LOGGED_IN, headers={"Location": login_url(target)})
            raise HTTPException(403, NOT_LOGGED_IN)
        await check_csrf(request)
        code = unit(request) if callable(unit) else unit
        if not officer.can(role, code, request.app.state.unit_ancestors):
            where = f" của đơn vị {code}" if code else ""
            raise HTTPException(403, f"Tài khoản {officer.login} không có quyền {ROLE_LABEL.get(role, role)}{where}.")
        return officer

    guard.tdkt_guard = (role, unit)   # type: ignore[attr-defined] — found by is_guarded
    return guard


ROLE_LABEL = {"viewer": "xem", "editor": "cập nhật", "admin": "quản trị", None: "đăng nhập"}


def is_guarded(route: Any) -> bool:
    """Whether a FastAPI route depends (directly or through its dependencies) on a require_officer guard."""
    def walk(dependant) -> bool:
        return any(getattr(d.call, "tdkt_guard", None) is not None or walk(d) for d in dependant.dependencies)
    dependant = getattr(route, "dependant", None)
    return dependant is not None and walk(dependant)


def routes_of(app: Any) -> list[Any]:
    """Every route the app answers, those of included routers too, each with its full ``path``,
    ``methods`` and ``dependant`` (FastAPI keeps included routers as branches in ``app.routes``)."""
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:       # a FastAPI that flattens included routers into app.routes
        return list(app.routes)
    return list(iter_route_contexts(app.routes))


def write_routes(app: Any) -> list[tuple[str, str, bool]]:
    """(method, path, guarded) of every POST/PUT/PATCH/DELETE route of ``app``."""
    return [(method, route.path, is_guarded(route)) for route in routes_of(app)
            for method in sorted(UNSAFE_METHODS & set(route.methods or ()))]


CurrentOfficer = Annotated[Officer | None, Depends(current_officer)]
CSRFChecked = Depends(check_csrf)
