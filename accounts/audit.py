"""Who changed what: the account events (accounts_event) and the actor string the records
package writes into its own audit log (records' AuditEntry.actor)."""
from __future__ import annotations

import datetime as dt
import getpass

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import AccountEvent, utcnow
from .officer import Officer

# The kinds of account events, with the Vietnamese label `tdkt user log` and the pages show.
EVENT_KINDS = {
    "login": "đăng nhập",
    "login_failed": "đăng nhập không thành công",
    "login_refused": "đăng nhập bị chặn (quá số lần sai)",
    "logout": "đăng xuất",
    "user_added": "thêm người dùng",
    "role_changed": "đổi vai trò",
    "password_changed": "đổi mật khẩu",
    "activated": "mở lại tài khoản",
    "deactivated": "khóa tài khoản",
}


def actor_of(officer: Officer | None) -> str:
    """The actor recorded for a change made by ``officer``: their login. A change made from the
    command line (no officer) is recorded as ``cli:<operating-system user>``."""
    if officer is not None:
        return officer.login
    return cli_actor()


def cli_actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:   # no user name in this environment (a container without /etc/passwd entry)
        return "cli"


def record_event(session: Session, kind: str, login: str, actor: str, client: str = "", detail: str = "",
                 at: dt.datetime | None = None) -> AccountEvent:
    if kind not in EVENT_KINDS:
        raise ValueError(f"unknown account event {kind!r}")
    event = AccountEvent(kind=kind, login=login[:64], actor=actor[:64], client=(client or "")[:64],
                         detail=(detail or "")[:500], at=at or utcnow())
    session.add(event)
    return event


def list_events(session: Session, login: str | None = None, kinds: list[str] | None = None,
                limit: int = 100) -> list[AccountEvent]:
    """The newest events first, of one account (as subject or actor) when ``login`` is given."""
    query = select(AccountEvent).order_by(AccountEvent.at.desc(), AccountEvent.id.desc()).limit(limit)
    if login:
        query = query.where((AccountEvent.login == login) | (AccountEvent.actor == login))
    if kinds:
        query = query.where(AccountEvent.kind.in_(kinds))
    return list(session.scalars(query))
