"""The accounts tables (SQLAlchemy 2 typed models), with their own metadata so their migrations
(accounts/migrations) never touch the records' tables. Every table is prefixed ``accounts_``.

Times are naive UTC (SQLite keeps no time zone; PostgreSQL's ``timestamp without time zone``)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Integer, MetaData, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

ROLE_NAMES = ("viewer", "editor", "admin")

NAMING = {"ix": "ix_%(column_0_label)s", "uq": "uq_%(table_name)s_%(column_0_name)s",
          "ck": "ck_%(table_name)s_%(constraint_name)s", "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
          "pk": "pk_%(table_name)s"}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class User(Base):
    """An officer who can log in. ``session_version`` grows when the password, a role or the
    active flag changes: a session signed before that is no longer honoured."""
    __tablename__ = "accounts_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    created: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    memberships: Mapped[list["Membership"]] = relationship(back_populates="user", cascade="all, delete-orphan",
                                                           order_by="Membership.unit_code")


class Membership(Base):
    """A user's role in one unit (the records' Unit.code, e.g. TINH-BN)."""
    __tablename__ = "accounts_membership"
    __table_args__ = (UniqueConstraint("user_id", "unit_code"),
                      CheckConstraint("role IN ('viewer', 'editor', 'admin')", name="role"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("accounts_user.id", ondelete="CASCADE"), index=True)
    unit_code: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    user: Mapped[User] = relationship(back_populates="memberships")


class LoginAttempt(Base):
    """One try at logging in, kept for the rate limit (accounts/ratelimit.py)."""
    __tablename__ = "accounts_login_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(64), index=True)
    client: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    succeeded: Mapped[bool] = mapped_column(default=False)


class AccountEvent(Base):
    """What happened to an account: login, failed login, logout, user added, role changed,
    password changed, activated/deactivated. Who did it, to whom, when, from where — never a password."""
    __tablename__ = "accounts_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    kind: Mapped[str] = mapped_column(String(32))
    login: Mapped[str] = mapped_column(String(64), index=True)     # the account concerned
    actor: Mapped[str] = mapped_column(String(64))                 # who did it (a login, or cli:<os user>)
    client: Mapped[str] = mapped_column(String(64), default="")    # the client's address, or "cli"
    detail: Mapped[str] = mapped_column(String(500), default="")
