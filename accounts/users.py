"""Managing officers and logging them in: the library under `tdkt user …` and the login page.

Every change is one transaction that also writes its account event (accounts/audit.py)."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from corpus.errors import UserError

from . import ratelimit
from .audit import record_event
from .db import AccountsDB
from .models import Membership, User, utcnow
from .officer import ROLES, Officer
from .passwords import check_strength, dummy_hash, hash_password, needs_rehash, verify_password

LOGIN_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
UNIT_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


class AccountError(UserError):
    """A mistake in an account request: unknown or duplicate login, bad role or unit."""


class LoginRefused(Exception):
    """A login that did not succeed; ``message`` is the Vietnamese line shown on the page."""

    def __init__(self, message: str, wait: dt.timedelta | None = None):
        super().__init__(message)
        self.message, self.wait = message, wait


def normal_login(login: str) -> str:
    """The login as stored: NFC, trimmed, lower case; AccountError when it is not a plain login."""
    value = unicodedata.normalize("NFC", login or "").strip().lower()
    if not LOGIN_RE.match(value):
        raise AccountError(f"login {login!r} is not valid: 2–64 characters, letters a–z without accents, "
                           "digits, '.', '_' or '-', starting with a letter or digit")
    return value


def normal_unit(unit: str) -> str:
    value = (unit or "").strip()
    if not UNIT_RE.match(value):
        raise AccountError(f"unit {unit!r} is not a unit code (letters, digits, '.', '_', '-', e.g. TINH-BN)")
    return value


def normal_role(role: str) -> str:
    value = (role or "").strip().lower()
    if value not in ROLES:
        raise AccountError(f"role {role!r} is not one of {', '.join(ROLES)}")
    return value


def officer_of_user(user: User) -> Officer:
    return Officer(id=user.id, login=user.login, name=user.display_name,
                   roles={m.unit_code: m.role for m in user.memberships}, session_version=user.session_version)


def _user(session: Session, login: str) -> User:
    user = session.scalar(select(User).where(User.login == normal_login(login)).options(selectinload(User.memberships)))
    if user is None:
        raise AccountError(f"no user with login {login!r} (see `tdkt user list`)")
    return user


def add_user(db: AccountsDB, login: str, name: str, password: str, role: str, unit: str, actor: str,
             client: str = "cli") -> Officer:
    login, role, unit = normal_login(login), normal_role(role), normal_unit(unit)
    name = unicodedata.normalize("NFC", name or "").strip()
    if not name:
        raise AccountError(f"user {login!r} needs a display name (--name \"Nguyễn Văn A\")")
    check_strength(password, login)
    with db.session() as session:
        if session.scalar(select(User.id).where(User.login == login)) is not None:
            raise AccountError(f"login {login!r} already exists (change it with `tdkt user role` or `tdkt user passwd`)")
        user = User(login=login, display_name=name[:200], password_hash=hash_password(password),
                    memberships=[Membership(unit_code=unit, role=role)])
        session.add(user)
        record_event(session, "user_added", login, actor, client, f"{name[:200]}; {role} @ {unit}")
        session.flush()
        return officer_of_user(user)


def set_password(db: AccountsDB, login: str, password: str, actor: str, client: str = "cli") -> None:
    with db.session() as session:
        user = _user(session, login)
        check_strength(password, user.login)
        user.password_hash = hash_password(password)
        user.session_version += 1       # sessions signed with the old password end
        record_event(session, "password_changed", user.login, actor, client)


def set_role(db: AccountsDB, login: str, unit: str, role: str | None, actor: str, client: str = "cli") -> Officer:
    """Give ``login`` ``role`` in ``unit`` (replacing the one held there), or take it away (None)."""
    unit = normal_unit(unit)
    role = normal_role(role) if role is not None else None
    with db.session() as session:
        user = _user(session, login)
        held = next((m for m in user.memberships if m.unit_code == unit), None)
        before = held.role if held else "—"
        if role is None:
            if held is None:
                raise AccountError(f"{user.login!r} has no role in unit {unit}")
            user.memberships.remove(held)
        elif held is None:
            user.memberships.append(Membership(unit_code=unit, role=role))
        else:
            held.role = role
        user.session_version += 1
        record_event(session, "role_changed", user.login, actor, client, f"{unit}: {before} → {role or '—'}")
        session.flush()
        return officer_of_user(user)


def set_active(db: AccountsDB, login: str, active: bool, actor: str, client: str = "cli") -> None:
    with db.session() as session:
        user = _user(session, login)
        user.active = active
        user.session_version += 1
        record_event(session, "activated" if active else "deactivated", user.login, actor, client)


def list_users(db: AccountsDB) -> list[tuple[User, Officer]]:
    with db.session() as session:
        users = session.scalars(select(User).order_by(User.login).options(selectinload(User.memberships))).all()
        return [(u, officer_of_user(u)) for u in users]


def load_officer(db: AccountsDB, user_id: int, session_version: int) -> Officer | None:
    """The officer of a session, or None when the account is gone, inactive, or changed since the
    session was signed (password, role or active flag: ``session_version``)."""
    with db.session() as session:
        user = session.scalar(select(User).where(User.id == user_id).options(selectinload(User.memberships)))
        if user is None or not user.active or user.session_version != session_version:
            return None
        return officer_of_user(user)


def authenticate(db: AccountsDB, login: str, password: str, client: str, now: dt.datetime | None = None,
                 limit: ratelimit.Limit = ratelimit.Limit()) -> Officer:
    """The officer for ``login`` + ``password``, or LoginRefused with the line to show. Refused
    without looking at the password while the rate limit holds. Every try is recorded (attempt
    and event); the password never is."""
    now = now or utcnow()
    typed = unicodedata.normalize("NFC", login or "").strip().lower()[:64]
    with db.session() as session:
        wait = ratelimit.wait_needed(session, typed, client, now, limit)
        if wait is not None:    # recorded, and raised once the transaction is committed
            record_event(session, "login_refused", typed, typed, client, at=now)
    if wait is not None:
        raise LoginRefused(f"Đã đăng nhập sai quá nhiều lần trong {ratelimit.minutes_text(limit.window)}. "
                           f"Hãy thử lại sau {ratelimit.minutes_text(wait)}.", wait)
    with db.session() as session:
        user = session.scalar(select(User).where(User.login == typed).options(selectinload(User.memberships)))
        ok = verify_password(user.password_hash if user else dummy_hash(), password or "")
        ok = ok and user is not None and user.active
        ratelimit.note_attempt(session, typed, client, ok, now)
        if not ok:
            record_event(session, "login_failed", typed, typed, client,
                         "tài khoản đã khóa" if user is not None and not user.active and password else "", at=now)
        else:
            if needs_rehash(user.password_hash):
                user.password_hash = hash_password(password)
            record_event(session, "login", user.login, user.login, client, at=now)
            return officer_of_user(user)
    raise LoginRefused("Tên đăng nhập hoặc mật khẩu không đúng.")
