"""Safe writes over real HTTP: uvicorn on loopback, an httpx client with its own cookie jar.

The site's app (create_app) plus, in this test only, a demo write route per guard shape (a unit in
the path, a JSON API with the CSRF header), since the records routes live in their own package.
Every POST/PUT/PATCH/DELETE of the app is checked to be guarded (or one of the named open forms
that store nothing) and to answer 403 without a session."""
from __future__ import annotations

import re
from typing import Annotated

import httpx
import pytest
from fastapi import Depends, Request

from accounts.officer import Officer
from accounts.users import add_user, set_password
from accounts.web import CSRF_HEADER, SESSION_COOKIE, require_officer, write_routes
from live_site import serving
from search_app.routes.auth import OPEN_POSTS, TOKEN_GUARDED
from search_app.settings import Settings

PASSWORD = "Hoa-sen-nở-2025"
TINH, XA, OTHER = "TINH-BN", "XA-TIENDU", "TINH-LS"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


class StubKB:
    """No knowledge base is needed for logins and writes."""


def make_app(tmp_path, **settings):
    from search_app.app import create_app

    config = Settings(build_dir=tmp_path / "build", database_url=f"sqlite:///{tmp_path / 'records.sqlite3'}",
                      admin_token="mã-quản-trị-thử", **settings)
    return create_app(kb=StubKB(), settings=config)


def add_demo_writes(app) -> None:
    """Write routes shaped as the records' will be (not shipped)."""
    @app.post("/demo/units/{unit}/decisions")
    def demo_form_write(unit: str, officer: Annotated[Officer, Depends(require_officer("editor", lambda r: r.path_params["unit"]))]):
        return {"saved_by": officer.login, "unit": unit}

    @app.get("/demo/units/{unit}/private")
    def demo_private_page(unit: str, officer: Annotated[Officer, Depends(require_officer("viewer", lambda r: r.path_params["unit"]))]):
        return {"shown_to": officer.login}

    @app.delete("/api/demo/decisions/{unit}/1")
    def demo_api_delete(request: Request, officer: Annotated[Officer, Depends(require_officer("admin", lambda r: r.path_params["unit"]))]):
        return {"deleted_by": officer.login}


@pytest.fixture(scope="module", autouse=True)
def fast_hashing():
    """argon2id with small costs for these tests (dozens of logins on a shared machine)."""
    from argon2 import PasswordHasher

    from accounts import passwords

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(passwords, "_HASHER", PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1))
        passwords.dummy_hash.cache_clear()
        yield
    passwords.dummy_hash.cache_clear()


@pytest.fixture(scope="module")
def site(tmp_path_factory, fast_hashing):
    tmp = tmp_path_factory.mktemp("accounts_http")
    app = make_app(tmp)
    add_demo_writes(app)
    db = app.state.accounts_db
    add_user(db, "bientap", "Nguyễn Văn Biên", PASSWORD, "editor", TINH, "cli:test")
    add_user(db, "xem", "Trần Thị Xem", PASSWORD, "viewer", TINH, "cli:test")
    add_user(db, "quantri", "Lê Văn Quản", PASSWORD, "admin", TINH, "cli:test")
    add_user(db, "doimatkhau", "Phạm Thị Đổi", PASSWORD, "editor", TINH, "cli:test")
    with serving(app, log_level="warning") as port:
        yield app, f"http://127.0.0.1:{port}"


def client(base: str) -> httpx.Client:
    return httpx.Client(base_url=base, follow_redirects=False, timeout=20)


def token_of(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def logged_in(base: str, login: str, password: str = PASSWORD) -> tuple[httpx.Client, str]:
    """A client whose session belongs to ``login``, and the session's CSRF token."""
    c = client(base)
    form = c.get("/login")
    r = c.post("/login", data={"login": login, "password": password, "csrf_token": token_of(form.text), "next": "/login"})
    assert r.status_code == 303, r.text
    return c, token_of(c.get("/login").text)


# ---- the guards ----

def test_write_without_a_session_is_refused(site):
    _, base = site
    with client(base) as c:
        r = c.post(f"/demo/units/{TINH}/decisions", data={"csrf_token": "đoán-bừa"})
        assert r.status_code == 403 and "Cần đăng nhập" in r.text
        assert c.delete(f"/api/demo/decisions/{TINH}/1").status_code == 403


def test_a_private_page_sends_a_visitor_to_login_and_back(site):
    _, base = site
    with client(base) as c:
        r = c.get(f"/demo/units/{TINH}/private?nam=2025")
        assert r.status_code == 303 and r.headers["location"] == f"/login?next=/demo/units/{TINH}/private%3Fnam%3D2025"
    c, _ = logged_in(base, "xem")
    assert c.get(f"/demo/units/{TINH}/private").json() == {"shown_to": "xem"}
    assert c.get(f"/demo/units/{OTHER}/private").status_code == 403


@pytest.mark.parametrize("token", ["", "sai-mã-csrf", "OTHER_SESSION"])
def test_write_with_a_missing_or_wrong_csrf_token_is_refused(site, token):
    _, base = site
    c, mine = logged_in(base, "bientap")
    if token == "OTHER_SESSION":    # a valid token, but of another officer's session
        token = logged_in(base, "quantri")[1]
    data = {"csrf_token": token} if token else {}
    r = c.post(f"/demo/units/{TINH}/decisions", data=data)
    assert r.status_code == 403 and "CSRF" in r.text
    assert c.post(f"/demo/units/{TINH}/decisions", data={"csrf_token": mine}).status_code == 200


ROLE_CASES = [
    # who,       method,   path,                               expected
    ("xem",      "POST",   f"/demo/units/{TINH}/decisions",    403),   # a viewer reads only
    ("bientap",  "POST",   f"/demo/units/{OTHER}/decisions",   403),   # another province's records
    ("bientap",  "POST",   f"/demo/units/{TINH}/decisions",    200),
    ("quantri",  "POST",   f"/demo/units/{TINH}/decisions",    200),   # admin includes editor
    ("bientap",  "DELETE", f"/api/demo/decisions/{TINH}/1",    403),   # deleting needs admin here
    ("quantri",  "DELETE", f"/api/demo/decisions/{TINH}/1",    200),   # the API: the token in the header
    ("quantri",  "DELETE", f"/api/demo/decisions/{XA}/1",      403),   # no hierarchy given yet: exact unit
]


@pytest.mark.parametrize("login,method,path,expected", ROLE_CASES)
def test_roles_and_units(site, login, method, path, expected):
    _, base = site
    c, token = logged_in(base, login)
    if method == "POST":
        r = c.post(path, data={"csrf_token": token})
    else:
        r = c.request(method, path, headers={CSRF_HEADER: token})
    assert r.status_code == expected, r.text
    if expected == 200:
        assert login in r.text


def test_an_officer_of_the_tinh_acts_for_its_xa_once_the_hierarchy_is_known(site):
    app, base = site
    c, token = logged_in(base, "bientap")
    assert c.post(f"/demo/units/{XA}/decisions", data={"csrf_token": token}).status_code == 403
    app.state.unit_ancestors = lambda code: [TINH] if code == XA else []   # as the records package sets it
    try:
        assert c.post(f"/demo/units/{XA}/decisions", data={"csrf_token": token}).status_code == 200
    finally:
        from accounts.officer import exact_unit_only
        app.state.unit_ancestors = exact_unit_only


def test_a_password_change_ends_the_open_session(site):
    app, base = site
    c, token = logged_in(base, "doimatkhau")
    assert c.post(f"/demo/units/{TINH}/decisions", data={"csrf_token": token}).status_code == 200
    set_password(app.state.accounts_db, "doimatkhau", "Sông Cầu trong xanh 1", "cli:test")
    r = c.post(f"/demo/units/{TINH}/decisions", data={"csrf_token": token})
    assert r.status_code == 403 and "Cần đăng nhập" in r.text


# ---- sessions and login ----

def test_session_cookie_is_httponly_and_samesite_lax(site):
    _, base = site
    with client(base) as c:
        cookie = c.get("/login").headers["set-cookie"]
    assert cookie.startswith(SESSION_COOKIE + "=")
    assert "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()


def test_login_shows_the_name_and_logout_ends_the_session(site):
    _, base = site
    c, token = logged_in(base, "bientap")
    page = c.get("/login")
    assert "Nguyễn Văn Biên" in page.text and page.headers["cache-control"] == "private, no-store"
    r = c.post("/logout", data={"csrf_token": token})
    assert r.status_code == 303
    assert "Đăng nhập cán bộ" in c.get("/login").text
    assert c.post(f"/demo/units/{TINH}/decisions", data={"csrf_token": token}).status_code == 403


def test_login_without_the_forms_token_is_refused(site):
    _, base = site
    with client(base) as c:
        r = c.post("/login", data={"login": "bientap", "password": PASSWORD})
        assert r.status_code == 403


@pytest.mark.parametrize("target,lands", [("/doc/abc", "/doc/abc"), ("//evil.example/x", "/"),
                                          ("https://evil.example/", "/"), ("/\\evil.example", "/")])
def test_after_login_only_a_path_on_this_site(site, target, lands):
    _, base = site
    with client(base) as c:
        token = token_of(c.get("/login").text)
        r = c.post("/login", data={"login": "bientap", "password": PASSWORD, "csrf_token": token, "next": target})
        assert r.status_code == 303 and r.headers["location"] == lands


def test_login_is_rate_limited_with_a_clear_wait(tmp_path):
    app = make_app(tmp_path)
    add_user(app.state.accounts_db, "nguyenvana", "Nguyễn Văn A", PASSWORD, "editor", TINH, "cli:test")
    with serving(app, log_level="warning") as port, client(f"http://127.0.0.1:{port}") as c:
        token = token_of(c.get("/login").text)
        for _ in range(5):
            r = c.post("/login", data={"login": "nguyenvana", "password": "đoán-sai-mãi", "csrf_token": token})
            assert r.status_code == 401 and "không đúng" in r.text
        r = c.post("/login", data={"login": "nguyenvana", "password": PASSWORD, "csrf_token": token})
        assert r.status_code == 429
        assert "Hãy thử lại sau 15 phút" in r.text and 800 < int(r.headers["retry-after"]) <= 900
    from accounts.audit import list_events
    with app.state.accounts_db.session() as session:
        assert [e.kind for e in list_events(session, "nguyenvana", limit=6)] == ["login_refused"] + ["login_failed"] * 5


# ---- every write route ----

def unguarded_writes(app) -> list[str]:
    """The write routes reachable without a session: neither guarded by require_officer, nor an
    open form that stores nothing, nor the token-guarded admin route."""
    return [f"{method} {path}" for method, path, guarded in write_routes(app)
            if not guarded and (method, path) not in OPEN_POSTS and (method, path) not in TOKEN_GUARDED]


def test_the_shipped_site_has_only_guarded_or_open_writes(tmp_path):
    app = make_app(tmp_path)
    writes = {(method, path): guarded for method, path, guarded in write_routes(app)}
    assert set(OPEN_POSTS) | TOKEN_GUARDED <= set(writes), "a route named in OPEN_POSTS or TOKEN_GUARDED no longer exists"
    assert writes[("POST", "/logout")] is True
    assert unguarded_writes(app) == []


def test_no_write_route_is_reachable_without_a_session(site):
    app, base = site
    assert unguarded_writes(app) == []
    schema_writes = {(m.upper(), p) for p, ops in app.openapi()["paths"].items() for m in ops if m.upper() in UNSAFE}
    # every write in the schema (the demo ones, the records' import, the proposals' API …) is walked below: 403 without a session
    assert {("POST", "/demo/units/{unit}/decisions"), ("DELETE", "/api/demo/decisions/{unit}/1"),
            ("POST", "/api/records/import")} <= schema_writes - set(OPEN_POSTS)
    checked = []
    with client(base) as c:
        for method, path, _ in write_routes(app):
            if (method, path) in OPEN_POSTS:
                continue
            url = re.sub(r"\{[^}]+\}", "1" if path.startswith("/records/") else TINH, path)
            headers = {"X-Admin-Token": "sai"} if (method, path) in TOKEN_GUARDED else {}
            r = c.request(method, url, json={}, headers=headers)
            assert r.status_code == 403, f"{method} {url}: {r.status_code} {r.text[:200]}"
            checked.append(url)
    assert {"/logout", "/admin/rebuild", f"/demo/units/{TINH}/decisions"} <= set(checked)
    assert {"/records/import", "/api/records/import", "/records/decision/1/edit", "/records/decision/1/delete",
            "/records/line/1/edit", "/records/line/1/delete", "/officers/add", f"/officers/{TINH}/role"} <= set(checked)


def test_the_route_walk_catches_an_unguarded_write(tmp_path):
    app = make_app(tmp_path)

    @app.post("/demo/forgotten")
    def forgotten():
        return {}

    assert unguarded_writes(app) == ["POST /demo/forgotten"]


def test_pages_still_render_when_the_accounts_database_is_gone(tmp_path):
    """A logged-in officer's pages show the header (with the login link) if the database vanishes;
    a write answers an error page, never a traceback."""
    app = make_app(tmp_path)
    add_demo_writes(app)
    add_user(app.state.accounts_db, "nguyenvana", "Nguyễn Văn A", PASSWORD, "editor", TINH, "cli:test")
    with serving(app, log_level="critical") as port:
        base = f"http://127.0.0.1:{port}"
        c, token = logged_in(base, "nguyenvana")
        app.state.accounts_db.dispose()
        (tmp_path / "records.sqlite3").write_bytes(b"not a database any more" * 100)
        page = c.get("/login")
        assert page.status_code == 200 and "Đăng nhập cán bộ" in page.text
        r = c.post(f"/demo/units/{TINH}/decisions", data={"csrf_token": token})
        assert r.status_code == 500 and "lỗi đã được ghi lại" in r.text and "Traceback" not in r.text
