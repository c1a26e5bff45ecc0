"""The officers' management pages (/officers) for admins: the officers of the units they
administer, adding one, giving or changing a role in a unit, taking it away, disabling or
enabling an account. Over accounts.users (the library of `tdkt user`): the same checks (login,
unit code, role, password strength), one account event per change, a changed role or a disabled
account ends that officer's open sessions.

An admin acts in the units where they hold admin (and the units below them, records.units):
adding an officer or a role there, disabling an officer all of whose roles are there."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from accounts.officer import ROLES, Officer
from accounts.users import AccountError, add_user, list_users, normal_unit, set_active, set_role
from accounts.web import client_address, form_values, require_officer
from corpus.errors import UserError
from records.db import open_db
from records.units import unit_names

from ..deps import Templates

router = APIRouter(include_in_schema=False)
Admin = Annotated[Officer, Depends(require_officer("admin"))]
Login = Annotated[str, Path(max_length=64)]
ROLE_VN = {"viewer": "xem", "editor": "cập nhật", "admin": "quản trị"}


def _admin_of(request: Request, officer: Officer, unit: str) -> bool:
    return officer.can("admin", unit, request.app.state.unit_ancestors)


def _unit_names(request: Request) -> dict[str, str]:
    try:
        with open_db(request.app.state.settings.records_url()).session() as s:
            return unit_names(s)
    except UserError:
        return {}


def _page(request: Request, templates, officer: Officer, status: int = 200, message: str = "", error: str = "",
          form: dict | None = None) -> HTMLResponse:
    db = request.app.state.accounts_db
    rows = []
    for user, who in list_users(db):
        units = list(who.roles)
        if units and not any(_admin_of(request, officer, u) for u in units):
            continue                      # another unit's officer: not this admin's to see
        rows.append({"login": user.login, "name": user.display_name, "active": user.active,
                     "roles": sorted(who.roles.items()), "self": user.login == officer.login,
                     "manageable": all(_admin_of(request, officer, u) for u in units)})
    names = _unit_names(request)
    mine = [u for u, role in officer.roles.items() if role == "admin"]
    return templates.TemplateResponse(request, "records_officers.html", {
        "rows": rows, "message": message, "error": error, "roles": ROLES, "role_vn": ROLE_VN, "units": names,
        "my_units": mine, "form": form or {}}, status_code=status)


@router.get("/officers", response_class=HTMLResponse)
def officers_page(request: Request, templates: Templates, officer: Admin) -> HTMLResponse:
    return _page(request, templates, officer)


async def _act(request: Request, templates, officer: Officer, action, form: dict | None = None) -> HTMLResponse:
    """Run ``action()`` (a message on success) in a thread; an AccountError or a refusal is shown on the page."""
    def run() -> HTMLResponse:
        try:
            message = action()
        except PermissionError as exc:
            return _page(request, templates, officer, 403, error=str(exc), form=form)
        except UserError as exc:
            return _page(request, templates, officer, 400, error=str(exc), form=form)
        return _page(request, templates, officer, message=message)
    return await run_in_threadpool(run)


def _require_admin_of(request: Request, officer: Officer, unit: str) -> str:
    unit = normal_unit(unit)
    if not _admin_of(request, officer, unit):
        raise PermissionError(f"Tài khoản {officer.login} không quản trị đơn vị {unit}.")
    return unit


@router.post("/officers/add", response_class=HTMLResponse)
async def officer_add(request: Request, templates: Templates, officer: Admin) -> HTMLResponse:
    f = await form_values(request)
    login, name, unit, role = (f.get(k, "")[:200].strip() for k in ("login", "name", "unit", "role"))
    password = f.get("password", "")[:1000]

    def action() -> str:
        checked_unit = _require_admin_of(request, officer, unit)
        added = add_user(request.app.state.accounts_db, login, name, password, role, checked_unit,
                         actor=officer.login, client=client_address(request))
        return f"Đã thêm {added.name} ({added.login}): {ROLE_VN.get(role.lower(), role)} ở {checked_unit}."
    return await _act(request, templates, officer, action, form={"login": login, "name": name, "unit": unit, "role": role})


@router.post("/officers/{login}/role", response_class=HTMLResponse)
async def officer_role(request: Request, templates: Templates, officer: Admin, login: Login) -> HTMLResponse:
    f = await form_values(request)
    unit, role = f.get("unit", "")[:200].strip(), f.get("role", "")[:20].strip()

    def action() -> str:
        checked_unit = _require_admin_of(request, officer, unit)
        if role in ("", "none"):
            set_role(request.app.state.accounts_db, login, checked_unit, None, actor=officer.login, client=client_address(request))
            return f"Đã bỏ vai trò của {login} ở {checked_unit}."
        set_role(request.app.state.accounts_db, login, checked_unit, role, actor=officer.login, client=client_address(request))
        return f"{login}: {ROLE_VN.get(role, role)} ở {checked_unit}."
    return await _act(request, templates, officer, action)


@router.post("/officers/{login}/active", response_class=HTMLResponse)
async def officer_active(request: Request, templates: Templates, officer: Admin, login: Login) -> HTMLResponse:
    f = await form_values(request)
    active = f.get("active", "") == "1"

    def action() -> str:
        db = request.app.state.accounts_db
        target = next((who for user, who in list_users(db) if user.login == login.strip().lower()), None)
        if target is None:
            raise AccountError(f"Không có tài khoản {login}.")
        if target.login == officer.login:
            raise PermissionError("Không thể tự khóa tài khoản của mình.")
        outside = [u for u in target.roles if not _admin_of(request, officer, u)]
        if outside:
            raise PermissionError(f"{target.login} còn có vai trò ở {', '.join(outside)}, đơn vị {officer.login} không quản trị.")
        set_active(db, target.login, active, actor=officer.login, client=client_address(request))
        return f"Đã {'mở lại' if active else 'khóa'} tài khoản {target.login}."
    return await _act(request, templates, officer, action)


__all__ = ["router"]
